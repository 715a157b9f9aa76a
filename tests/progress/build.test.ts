import { mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PhaseTiming, parseTimings } from "../../src/progress/index.ts";
import { listArticleFiles } from "../../src/validation/index.ts";
import { type BuildResult, buildArchive, cacheWithPictures, fixtureArchive } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";

let scratch: string;
let build: BuildResult;
let timings: PhaseTiming[];
let articleFiles: string[];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(testTmpdir(), "broadsheet-progress-build-"));
  const timingsFile = path.join(scratch, "timings.jsonl");
  build = await buildArchive(fixtureArchive, path.join(scratch, "site"), {
    BROADSHEET_TIMINGS: timingsFile,
    // A cache with no pages or search bundles: every page is rendered and every article indexed, whatever other tests
    // built (only the encoded pictures are kept, which these phases do not count).
    BROADSHEET_CACHE: await cacheWithPictures(path.join(scratch, "cache")),
  });
  timings = parseTimings(await readFile(timingsFile, "utf8"));
  articleFiles = await listArticleFiles(fixtureArchive);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("build progress", () => {
  it("builds", () => {
    expect(build.exitCode).toBe(0);
  });

  it("reports start-up, validation, page cache, render/write (once per Eleventy run), search index and the clean-up after publishing, in that order", () => {
    // Article pages may render in a run before the listings and feeds (see `pageRuns`).
    const phases = timings.map((timing) => timing.phase);
    expect(phases.filter((phase, index) => phase !== phases[index - 1])).toEqual([
      "start-up",
      "validation",
      "page cache",
      "render/write",
      "search index",
      "clean-up",
    ]);
  });

  it("counts the articles validated, the pages written and the articles indexed", () => {
    const count = (phase: string) => timings.filter((timing) => timing.phase === phase).reduce((sum, timing) => sum + timing.count, 0);
    expect(count("validation")).toBe(articleFiles.length);
    // The draft and the embargoed article are validated but neither published nor indexed.
    expect(count("search index")).toBe(articleFiles.length - 2);
    expect(count("render/write")).toBeGreaterThan(count("search index"));
  });

  it("prints one summary line per phase when not on a terminal", () => {
    const lines = build.stdout
      .split("\n")
      .filter((line) => /^\[broadsheet\] (start-up|validation|page cache|render\/write|search index|clean-up):/.test(line));
    expect(lines).toHaveLength(timings.length);
    expect(lines[1]).toMatch(new RegExp(`^\\[broadsheet\\] validation: ${articleFiles.length} articles in \\d+\\.\\d\\d s$`));
  });
});
