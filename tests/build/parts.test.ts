// How a build shares its pages out between render processes, and what a build killed while they render leaves.
import { execFile, spawn } from "node:child_process";
import { appendFile, cp, mkdtemp, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { buildScriptArgs } from "../../scripts/build-script.ts";
import { runPart } from "../../src/build/index.ts";
import {
  MIN_PAGES_PER_PART,
  PART_INPUT_PROBLEM,
  type PartPlan,
  partEnvironment,
  renderPartCount,
  splitParts,
  heaviestRun,
  pageRuns,
  pageWeight,
  splitRuns,
} from "../../src/build/parts.ts";
import { outputPaths } from "../../src/build/publish.ts";
import { loadConfig } from "../../src/config/index.ts";
import { FIXTURE_BUILD_TIME, buildArchive, cacheWithPictures, fixtureArchive, fixtureData, projectRoot } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";
import { treeDigest } from "../helpers/tree.ts";

describe("renderPartCount", () => {
  it("renders a few pages in one process, and many in one per core", () => {
    expect(renderPartCount(15, 2)).toBe(1);
    expect(renderPartCount(2 * MIN_PAGES_PER_PART - 1, 2)).toBe(1);
    expect(renderPartCount(2 * MIN_PAGES_PER_PART, 2)).toBe(2);
    expect(renderPartCount(100_000, 8)).toBe(8);
  });
});

describe("splitParts", () => {
  it("keeps neighbours together and every item once, in order", () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const parts = splitParts(items, 3);
    expect(parts).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(parts.flat()).toEqual(items);
  });

  it("gives the main run a head start of pages, and never takes more than there are", () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(splitParts(items, 2, 4)).toEqual([
      [0, 1, 2, 3, 4, 5, 6],
      [7, 8, 9],
    ]);
    expect(splitParts(items, 3, 20)).toEqual([items, [], []]);
    expect(splitParts(items, 1, 4)).toEqual([items]);
  });
});

describe("splitRuns", () => {
  it("cuts a process's pages into runs of at most so many, in order, and always gives one run", () => {
    expect(splitRuns([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(splitRuns([1, 2], 5)).toEqual([[1, 2]]);
    expect(splitRuns([], 5)).toEqual([[]]);
  });

  it("weighs each page: a feed counts its entries, and a page heavier than a run is a run of its own", () => {
    const pages = [{ url: "/a/" }, { url: "/b/" }, { url: "/feed-1.xml", weight: 3 }, { url: "/feed-2.xml", weight: 9 }, { url: "/c/" }];
    expect(splitRuns(pages, 4, pageWeight).map((run) => run.map((page) => page.url))).toEqual([
      ["/a/", "/b/"],
      ["/feed-1.xml"],
      ["/feed-2.xml"],
      ["/c/"],
    ]);
    expect(heaviestRun(splitRuns(pages, 4, pageWeight))).toBe(9);
    expect(heaviestRun(splitRuns(pages.slice(0, 2), 4, pageWeight))).toBe(2);
    expect(heaviestRun([[]])).toBe(0);
  });
});

describe("pageRuns", () => {
  const article = (url: string) => ({ url, file: `articles${url}index.md` });
  const listing = (url: string, weight?: number): { url: string; file?: string; weight?: number } =>
    weight === undefined ? { url } : { url, weight };
  const pages = [
    article("/2013/01/01/a/"),
    article("/2013/01/02/b/"),
    article("/2013/01/03/c/"),
    listing("/topics/x/"),
    listing("/feed.xml", 2),
  ];

  it("renders a process's article pages in runs of their own before its listings and feeds", () => {
    expect(pageRuns(pages, 2).map((run) => run.map((page) => page.url))).toEqual([
      ["/2013/01/01/a/", "/2013/01/02/b/"],
      ["/2013/01/03/c/"],
      ["/topics/x/"],
      ["/feed.xml"],
    ]);
    expect(pageRuns(pages, 10).map((run) => run.map((page) => page.url))).toEqual([
      ["/2013/01/01/a/", "/2013/01/02/b/", "/2013/01/03/c/"],
      ["/topics/x/", "/feed.xml"],
    ]);
  });

  it("gives one run, empty or not, to a process with pages of one kind or none", () => {
    expect(pageRuns([listing("/topics/x/")], 5)).toEqual([[listing("/topics/x/")]]);
    expect(pageRuns([article("/2013/01/01/a/")], 5)).toHaveLength(1);
    expect(pageRuns([], 5)).toEqual([[]]);
  });
});

describe("partEnvironment", () => {
  it("keeps the build's environment but for the timings file, with two malloc arenas unless it sets a number", () => {
    expect(partEnvironment({ ARTICLES_DIR: "a", BROADSHEET_TIMINGS: "t.jsonl" })).toEqual({
      ARTICLES_DIR: "a",
      BROADSHEET_TIMINGS: "",
      MALLOC_ARENA_MAX: "2",
    });
    expect(partEnvironment({ MALLOC_ARENA_MAX: "4" }).MALLOC_ARENA_MAX).toBe("4");
  });
});

/** The process ids of the render parts writing into `staging` now, from the process table. */
async function partsOf(staging: string): Promise<number[]> {
  const { stdout } = await promisify(execFile)("ps", ["-eo", "pid=,args="]);
  return stdout
    .split("\n")
    .filter((line) => line.includes(" --part ") && line.includes(`${staging}.part-`))
    .map((line) => Number.parseInt(line.trim(), 10));
}

/** Polls `check` every 50 ms until it holds; fails after `tries` polls. */
async function until(what: string, check: () => Promise<boolean>, tries = 600): Promise<void> {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting until ${what}`);
}

describe("a build killed while its render parts run", () => {
  it("leaves the published site byte-identical, its parts stop, and the next build publishes the site a build in runs gives", async () => {
    const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-parts-killed-"));
    const articles = path.join(root, "articles");
    await cp(fixtureArchive, articles, { recursive: true });
    const output = path.join(root, "_site");
    const env = { BROADSHEET_PROCESSES: "3", BROADSHEET_CACHE: await cacheWithPictures(path.join(root, "cache")) };
    expect((await buildArchive(articles, output, env)).exitCode).toBe(0);
    const published = await treeDigest(output);
    await appendFile(path.join(articles, "2022/story-29.md"), "\nA sentence added by a correction.\n");

    const child = spawn(process.execPath, [...(await buildScriptArgs()), `--output=${output}`, "--quiet"], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ...env,
        ARTICLES_DIR: path.relative(projectRoot, articles),
        DATA_DIR: path.relative(projectRoot, fixtureData),
        SITE_URL: "https://news.test",
        SOURCE_DATE_EPOCH: String(Date.parse(FIXTURE_BUILD_TIME) / 1000),
      },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    const { staging } = outputPaths(output);
    await until("the build has started its render parts", async () => (await partsOf(staging)).length > 0);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    // Orphaned, each part stops by itself rather than go on writing into what the next build will use.
    await until("the killed build's render parts have stopped", async () => (await partsOf(staging)).length === 0);
    expect(await treeDigest(output)).toEqual(published);

    expect((await buildArchive(articles, output, env)).exitCode).toBe(0);
    // Built elsewhere in two processes, each rendering in Eleventy runs of 25 pages: the same site, byte for byte.
    const elsewhere = await buildArchive(articles, undefined, {
      BROADSHEET_PROCESSES: "2",
      BROADSHEET_PAGES_PER_RUN: "25",
      BROADSHEET_CACHE: await cacheWithPictures(path.join(root, "other-cache")),
    });
    expect(elsewhere.exitCode).toBe(0);
    expect(await treeDigest(output)).toEqual(await treeDigest(elsewhere.outputDir));
    expect(await treeDigest(output)).not.toEqual(published);
  });
});

describe("a render part", () => {
  it("renders nothing when its read of the archive is not the build's (an article saved while the build ran)", async () => {
    const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-part-digest-"));
    const config = await loadConfig({
      env: {
        ARTICLES_DIR: path.relative(projectRoot, fixtureArchive),
        DATA_DIR: path.relative(projectRoot, fixtureData),
        SOURCE_DATE_EPOCH: String(Date.parse(FIXTURE_BUILD_TIME) / 1000),
        BROADSHEET_CACHE: path.join(root, "cache"),
      },
      cwd: projectRoot,
    });
    const planFile = path.join(root, "plan.json");
    const plan: PartPlan = {
      pages: [{ url: "/2019/01/01/story-01/", file: "tests/fixtures/archive/2019/story-01.md" }],
      pagesPerRun: 100,
      digest: "an earlier read",
    };
    await writeFile(planFile, JSON.stringify(plan));
    const errors: string[] = [];
    const output = path.join(root, "staging");
    const code = await runPart(config, { planFile, output, quiet: true }, { error: (text) => errors.push(text), log: () => undefined });
    expect(code).toBe(PART_INPUT_PROBLEM);
    expect(errors).toEqual(["build: an article file changed while the build ran; nothing was published, build again"]);
    expect(await readdir(root)).not.toContain("staging");
  });
});
