// The one reading of Broadsheet's settings: defaults, every environment variable, and a clear error for a bad value.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { totalmem } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import site from "../../_data/site.ts";
import { DEFAULT_PAGES_PER_RUN, loadConfig, memoryBudget } from "../../src/config/index.ts";
import { SEARCH_SHARD_SIZE } from "../../src/search/index.ts";
import { projectRoot } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";

describe("loadConfig", () => {
  it("gives the defaults when nothing is set (an empty variable counts as unset)", async () => {
    const config = await loadConfig({ env: { ARTICLES_DIR: "", BROADSHEET_PROCESSES: "" }, cwd: projectRoot });
    expect(config).toMatchObject({
      cwd: projectRoot,
      input: "articles",
      dataDir: "_data",
      site,
      preview: false,
      manifest: undefined,
      searchShardSize: SEARCH_SHARD_SIZE,
      cacheDir: path.join(projectRoot, ".cache/broadsheet"),
      renderProcesses: undefined,
      pagesPerRun: DEFAULT_PAGES_PER_RUN,
      memoryBudget: Math.floor(totalmem() / 2),
      timingsFile: undefined,
    });
  });

  it("reads every setting from its variable, and the site settings from the data folder in use", async () => {
    const cwd = await mkdtemp(path.join(testTmpdir(), "broadsheet-config-"));
    await mkdir(path.join(cwd, "desk-data"));
    await writeFile(
      path.join(cwd, "desk-data/site.ts"),
      `import site from ${JSON.stringify(path.join(projectRoot, "_data/site.ts"))};\nexport default { ...site, title: "The Desk" };\n`,
    );
    const config = await loadConfig({
      env: {
        ARTICLES_DIR: "desk-articles",
        DATA_DIR: "desk-data",
        SITE_URL: "https://news.test/",
        SOURCE_DATE_EPOCH: "1709251200",
        PERMALINKS_MANIFEST: "permalinks.txt",
        SEARCH_SHARD_SIZE: "12",
        BROADSHEET_CACHE: "elsewhere/cache",
        BROADSHEET_PROCESSES: "3",
        BROADSHEET_PAGES_PER_RUN: "500",
        BROADSHEET_MEMORY: "4096",
        BROADSHEET_TIMINGS: "timings.jsonl",
      },
      cwd,
      preview: true,
    });
    expect(config).toMatchObject({
      input: "desk-articles",
      dataDir: "desk-data",
      preview: true,
      manifest: "permalinks.txt",
      searchShardSize: 12,
      cacheDir: path.join(cwd, "elsewhere/cache"),
      renderProcesses: 3,
      pagesPerRun: 500,
      memoryBudget: 4 * 2 ** 30,
      timingsFile: "timings.jsonl",
    });
    expect(config.site).toEqual({ ...site, title: "The Desk", url: "https://news.test" });
    expect(config.now.toISO()).toBe("2024-03-01T00:00:00.000Z");
  });

  it("names the variable and the value when a number is not a whole number of at least 1", async () => {
    await expect(loadConfig({ env: { BROADSHEET_PROCESSES: "0" }, cwd: projectRoot })).rejects.toThrow(
      'BROADSHEET_PROCESSES must be a whole number of at least 1, not "0"',
    );
    await expect(loadConfig({ env: { BROADSHEET_PAGES_PER_RUN: "many" }, cwd: projectRoot })).rejects.toThrow(
      'BROADSHEET_PAGES_PER_RUN must be a whole number of at least 1, not "many"',
    );
    await expect(loadConfig({ env: { BROADSHEET_MEMORY: "4G" }, cwd: projectRoot })).rejects.toThrow(
      'BROADSHEET_MEMORY must be a whole number of at least 1, not "4G"',
    );
    await expect(loadConfig({ env: { SOURCE_DATE_EPOCH: "yesterday" }, cwd: projectRoot })).rejects.toThrow("SOURCE_DATE_EPOCH");
  });
});

describe("memoryBudget", () => {
  it("is the megabytes given, else half the machine's memory", () => {
    expect(memoryBudget("3072", 16 * 2 ** 30)).toBe(3 * 2 ** 30);
    expect(memoryBudget(undefined, 16 * 2 ** 30)).toBe(8 * 2 ** 30);
    expect(memoryBudget(undefined, 7)).toBe(3);
  });
});
