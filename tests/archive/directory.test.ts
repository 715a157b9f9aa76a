import { mkdtemp, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadDirectory } from "../../src/archive/directory.ts";
import { testTmpdir } from "../helpers/tmp.ts";

async function dataDir(authors: string, sections: string): Promise<string> {
  const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-directory-"));
  await writeFile(path.join(dir, "authors.yaml"), authors);
  await writeFile(path.join(dir, "sections.yaml"), sections);
  return dir;
}

describe("loadDirectory", () => {
  it("reads authors with bio and optional url, and sections with a description", async () => {
    const dir = await dataDir("- name: Ada\n  bio: Writes.\n  url: https://ada.example/\n- name: Ben\n  bio: Edits.\n", "- name: World\n  description: Abroad.\n");
    expect(await loadDirectory(dir)).toEqual({
      authors: [{ name: "Ada", bio: "Writes.", url: "https://ada.example/" }, { name: "Ben", bio: "Edits." }],
      sections: [{ name: "World", description: "Abroad." }],
    });
  });

  it("names the file, the entry (counted from 1) and the field of a bad entry", async () => {
    const dir = await dataDir("- name: Ada\n  bio: Writes.\n- name: Ben\n", "[]\n");
    await expect(loadDirectory(dir)).rejects.toThrow(`${path.join(dir, "authors.yaml")}: entry 2, bio: `);
  });

  it("names every missing file, in a fixed order, and says how to create it", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-directory-"));
    await expect(loadDirectory(dir)).rejects.toThrow(
      /authors\.yaml: cannot be read .*create it as a YAML list\n.*sections\.yaml: cannot be read .*create it as a YAML list$/,
    );
  });

  it("reports a bad entry in one file together with a problem in the other", async () => {
    const dir = await dataDir("- name: Ada\n", "- name: World\n");
    const failure = loadDirectory(dir);
    await expect(failure).rejects.toThrow(`${path.join(dir, "authors.yaml")}: entry 1, bio: `);
    await expect(failure).rejects.toThrow(`${path.join(dir, "sections.yaml")}: entry 1, description: `);
  });
});
