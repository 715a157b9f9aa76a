// The memory estimate a build checks before it renders: what fits, and what a build that does not fit is told.
import { mkdtemp, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildArchive, fixtureArchive } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";
import {
  ARCHIVE_BYTES_PER_ARTICLE,
  BASE_BYTES,
  COMPACT_MIN_PAGES,
  DEFAULT_GROWTH,
  MAIN_BYTES_PER_ARTICLE,
  RENDER_BYTES_PER_PAGE,
  TIGHT_GROWTH,
  TIGHT_HEAP_GROWING_PERCENT,
  type RenderLayout,
  compactHeap,
  compactsBeforeSearch,
  heapGrowingPercent,
  memoryProblem,
  processHeapBytes,
  renderLayout,
  residentBytes,
} from "../../src/build/memory.ts";

const GB = 2 ** 30;

describe("processHeapBytes", () => {
  it("grows with the archive each process holds, more in the main one, and with the pages of its largest run", () => {
    expect(processHeapBytes(0, 0)).toBe(BASE_BYTES);
    expect(processHeapBytes(10_000, 0) - processHeapBytes(0, 0)).toBe(10_000 * ARCHIVE_BYTES_PER_ARTICLE);
    expect(processHeapBytes(10_000, 0, true) - processHeapBytes(10_000, 0)).toBe(10_000 * MAIN_BYTES_PER_ARTICLE);
    expect(processHeapBytes(10_000, 5_000) - processHeapBytes(10_000, 0)).toBe(5_000 * RENDER_BYTES_PER_PAGE);
  });
});

describe("memoryProblem", () => {
  it("lets a build through that fits Node's heap limit and the machine: 100,000 articles fit Node's own limit", () => {
    expect(memoryProblem(10_000, [7_800, 6_800], { heapLimit: 2 * GB, budget: 4 * GB, totalMemory: 8 * GB })).toBeUndefined();
    expect(memoryProblem(100_000, [10_000, 10_000], { heapLimit: 4 * GB, budget: 8 * GB, totalMemory: 16 * GB })).toBeUndefined();
  });

  it("stops a process that would outgrow Node's heap limit, naming the sizes and the ways out", () => {
    const problem = memoryProblem(50_000, [10_000, 10_000], { heapLimit: 1.5 * GB, budget: 12 * GB, totalMemory: 24 * GB });
    expect(problem).toMatch(/^build: not enough memory: a build process of this archive \(50,000 articles, 10,000 pages in one run\)/);
    expect(problem).toMatch(/needs about 1\.6 GB, but Node allows it 1\.5 GB/);
    expect(problem).toMatch(/Give Node more \(NODE_OPTIONS=--max-old-space-size=\d+ npm run build; this machine has 24\.0 GB\)/);
    expect(problem).toMatch(/, or render fewer pages at a time \(BROADSHEET_PAGES_PER_RUN=\d+00 npm run build\)\. Nothing was changed\.$/);
    const fitting = Number(/BROADSHEET_PAGES_PER_RUN=(\d+)/.exec(problem ?? "")?.[1]);
    expect(memoryProblem(50_000, [fitting, fitting], { heapLimit: 1.5 * GB, budget: 12 * GB, totalMemory: 24 * GB })).toBeUndefined();
  });

  it("says when the archive alone outgrows the limit, and when only a bigger machine will do", () => {
    expect(memoryProblem(100_000, [10_000], { heapLimit: 1 * GB, budget: 1.5 * GB, totalMemory: 3 * GB })).toMatch(
      /Build it on a machine with more memory than this one's 3\.0 GB \(and NODE_OPTIONS=--max-old-space-size=\d+\); the archive alone needs 1\.\d GB in the main build process\. Nothing was changed\.$/,
    );
  });

  it("stops processes that together would outgrow the build's memory budget, and says to render in fewer or raise it", () => {
    const problem = memoryProblem(100_000, [10_000, 10_000, 10_000], { heapLimit: 8 * GB, budget: 5 * GB, totalMemory: 24 * GB });
    expect(problem).toMatch(
      /3 build processes of this archive \(100,000 articles\) need about (\d+\.\d) GB together, and the build may use 5\.0 GB \(BROADSHEET_MEMORY; by default half of this machine's 24\.0 GB\)/,
    );
    expect(problem).toMatch(
      /Render in fewer processes \(BROADSHEET_PROCESSES=1 npm run build\), or let the build use more \(BROADSHEET_MEMORY=\d+ npm run build\)\. Nothing was changed\.$/,
    );
    const asked = Number(/BROADSHEET_MEMORY=(\d+)/.exec(problem ?? "")?.[1]) * 2 ** 20;
    expect(memoryProblem(100_000, [10_000, 10_000, 10_000], { heapLimit: 8 * GB, budget: asked, totalMemory: 24 * GB })).toBeUndefined();
    expect(memoryProblem(100_000, [10_000], { heapLimit: 8 * GB, budget: 1 * GB, totalMemory: 24 * GB })).toMatch(
      /the build process of this archive \(100,000 articles\) needs about \d\.\d GB, and the build may use 1\.0 GB .*\. Let the build use more/,
    );
  });
});

describe("renderLayout", () => {
  // A process holds 1 GB, and 1 MB more per page of its largest run.
  const heaps = ({ processes, pagesPerRun }: RenderLayout) => Array.from({ length: processes }, () => GB + pagesPerRun * 2 ** 20);

  it("renders in every process asked for, in full runs, where their heaps fit the budget as V8 grows them", () => {
    expect(renderLayout(2, 1_000, 2 * (GB + 1_000 * 2 ** 20) * DEFAULT_GROWTH, heaps)).toEqual({ processes: 2, pagesPerRun: 1_000 });
    expect(renderLayout(2, 1_000, 2 * (GB + 1_000 * 2 ** 20) * TIGHT_GROWTH, heaps)).toEqual({ processes: 2, pagesPerRun: 1_000 });
  });

  it("renders smaller runs before it renders in fewer processes, and one process in full runs when nothing fits", () => {
    const layout = renderLayout(2, 1_000, 2 * (GB + 500 * 2 ** 20) * TIGHT_GROWTH, heaps);
    expect(layout.processes).toBe(2);
    expect(layout.pagesPerRun).toBeLessThanOrEqual(500);
    expect(layout.pagesPerRun).toBeGreaterThan(500 * 0.8);
    expect(renderLayout(2, 1_000, (GB + 1_000 * 2 ** 20) * TIGHT_GROWTH, heaps)).toEqual({ processes: 1, pagesPerRun: 1_000 });
    expect(renderLayout(2, 1_000, (GB + 99 * 2 ** 20) * TIGHT_GROWTH, heaps)).toEqual({ processes: 1, pagesPerRun: 1_000 });
  });
});

describe("heapGrowingPercent", () => {
  it("leaves V8's own heap growing while the heaps fit the budget with its room, and limits it where they would not", () => {
    expect(heapGrowingPercent([GB, GB], 2 * GB * DEFAULT_GROWTH)).toBeUndefined();
    expect(heapGrowingPercent([GB, GB], 2 * GB * DEFAULT_GROWTH - 1)).toBe(TIGHT_HEAP_GROWING_PERCENT);
  });
});

describe("residentBytes", () => {
  it("grows the estimate as V8 would, less where its heap growing is limited", () => {
    expect(residentBytes([GB], 2 * GB)).toBe(GB * DEFAULT_GROWTH);
    expect(residentBytes([GB], 1.5 * GB)).toBe(GB * TIGHT_GROWTH);
  });
});

describe("compactsBeforeSearch", () => {
  it("compacts under a tight budget, and after the main process rendered many pages itself", () => {
    expect(compactsBeforeSearch(true, 0)).toBe(true);
    expect(compactsBeforeSearch(false, COMPACT_MIN_PAGES)).toBe(true);
    expect(compactsBeforeSearch(false, COMPACT_MIN_PAGES - 1)).toBe(false);
  });
});

describe("compactHeap", () => {
  it("runs a full collection: an object only weakly held is gone after it", async () => {
    const held = (() => new WeakRef({ pages: Array.from({ length: 1_000 }, (_, i) => `page ${i}`) }))();
    // A weakly held object stays alive until the job that made it has ended.
    await new Promise((resolve) => setTimeout(resolve, 0));
    compactHeap();
    expect(held.deref()).toBeUndefined();
  });
});

describe("a build that does not fit its memory", () => {
  it("stops before it renders, says why and what to do, without a stack trace, and publishes nothing", async () => {
    const cache = await mkdtemp(path.join(testTmpdir(), "broadsheet-memory-"));
    const result = await buildArchive(fixtureArchive, undefined, { NODE_OPTIONS: "--max-old-space-size=100", BROADSHEET_CACHE: cache });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/build: not enough memory: a build process of this archive \(\d+ articles, \d+ pages in one run\)/);
    expect(result.stderr).toMatch(/NODE_OPTIONS=--max-old-space-size=\d+ npm run build/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(result.outputDir)).toEqual([]);
  });

  it("stops before it renders when the build's processes would outgrow its memory budget (BROADSHEET_MEMORY)", async () => {
    const cache = await mkdtemp(path.join(testTmpdir(), "broadsheet-memory-"));
    const result = await buildArchive(fixtureArchive, undefined, { BROADSHEET_MEMORY: "64", BROADSHEET_CACHE: cache });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /build: not enough memory: the build process of this archive \(\d+ articles\) needs about \d+ MB, and the build may use 64 MB/,
    );
    expect(result.stderr).toMatch(/BROADSHEET_MEMORY=\d+ npm run build\)\. Nothing was changed\./);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(result.outputDir)).toEqual([]);
  });
});
