// A temporary folder for one test file: made before its tests, removed after them.
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { testTmpdir } from "./tmp.ts";

/** Registers a fresh `<tmp>/<prefix>XXXXXX` folder for the calling test file; the returned function gives its path. */
export function scratchFolder(prefix: string): () => string {
  let folder: string | undefined;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(testTmpdir(), prefix));
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });
  return () => {
    if (!folder) throw new Error("the scratch folder is only there while the file's tests run");
    return folder;
  };
}
