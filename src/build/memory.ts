// The memory a build needs, estimated before it renders anything, and how a build keeps within its budget: how many
// processes render, in runs of how many pages, how far their heaps grow. A build too big for its budget, or for Node's
// heap limit, stops at once saying what to do, instead of running out of memory minutes later with a crash report.
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { totalmem } from "node:os";

/**
 * The young generation of a build process: three semi-spaces of `--max-semi-space-size=64` (package.json's build,
 * start and check commands), which a build fills, and which Node's heap limit counts beside `--max-old-space-size`.
 */
const YOUNG_GENERATION_BYTES = 3 * 64 * 2 ** 20;

/** Heap of a build process before it reads the archive: Node, Eleventy, the plugins, the layouts, its young generation. */
export const BASE_BYTES = 150 * 2 ** 20 + YOUNG_GENERATION_BYTES;

/**
 * Heap each process holds per article of the archive: its checked front matter, the archive model and the page keys.
 * Measured with `--trace-gc` in a cold build of 100,000 articles (live heap after full collections, fitted with the
 * same build of 10,000): about 4.5 kB an article, here with the room a collector needs to work in.
 */
export const ARCHIVE_BYTES_PER_ARTICLE = 8 * 2 ** 10;

/**
 * Heap per page of a process's largest run: Eleventy keeps each page's data and output until its run ends (measured
 * as above: about 25 kB an article page). Runs are cut by weight, a feed counting one page per entry it holds in full
 * (`splitRuns`), so this is per article page's worth.
 */
export const RENDER_BYTES_PER_PAGE = 48 * 2 ** 10;

/**
 * Heap the main process holds per article beyond a render part's: the site-wide pages (sitemaps, indexes, redirects),
 * the pages of every part to store in the page cache and the search phase (measured as above: about 3.6 kB).
 */
export const MAIN_BYTES_PER_ARTICLE = 8 * 2 ** 10;

/**
 * Heap one build process is estimated to need for an archive of `articles` articles when its largest Eleventy run
 * renders `pages` pages; `main` for the process that also writes the site-wide pages and the search index.
 */
export function processHeapBytes(articles: number, pages: number, main = false): number {
  return BASE_BYTES + articles * (ARCHIVE_BYTES_PER_ARTICLE + (main ? MAIN_BYTES_PER_ARTICLE : 0)) + pages * RENDER_BYTES_PER_PAGE;
}

/**
 * What a build may use: Node's heap limit in each process, the memory all its processes may use together (the
 * `BROADSHEET_MEMORY` budget) and the memory of the machine.
 */
export interface MemoryLimits {
  heapLimit: number;
  budget: number;
  totalMemory: number;
}

/**
 * This process's heap limit (`--max-old-space-size`, else Node's default for the machine, plus the young generation),
 * the build's `budget` and the machine's memory.
 */
export function memoryLimits(budget: number): MemoryLimits {
  return { heapLimit: getHeapStatistics().heap_size_limit, budget, totalMemory: totalmem() };
}

/** How a build's pages are rendered: in how many processes, each in runs of at most how many pages. */
export interface RenderLayout {
  processes: number;
  pagesPerRun: number;
}

/**
 * The layout of a build whose estimated heaps are `heaps(layout)` (each render process's, see {@link processHeapBytes})
 * that fits `budget` once grown as V8 grows them ({@link residentBytes}): the most processes, from `processes` down to
 * one, each with the largest runs, from `pagesPerRun` down to a tenth of it. More processes render sooner (each holds
 * the archive model), smaller runs cost an Eleventy start each. When nothing fits, one process with full runs, which
 * the memory check ({@link memoryProblem}) then reports.
 */
export function renderLayout(
  processes: number,
  pagesPerRun: number,
  budget: number,
  heaps: (layout: RenderLayout) => readonly number[],
): RenderLayout {
  const smallest = Math.max(1, Math.ceil(pagesPerRun / 10));
  for (let count = Math.max(1, processes); count >= 1; count -= 1) {
    for (let perRun = pagesPerRun; ; perRun = Math.max(smallest, Math.floor(perRun * 0.8))) {
      const layout = { processes: count, pagesPerRun: perRun };
      if (residentBytes(heaps(layout), budget) <= budget) return layout;
      if (perRun === smallest) break;
    }
  }
  return { processes: 1, pagesPerRun };
}

/**
 * How far the resident memory of build processes rises above their estimated heaps under V8's own heap growing: V8
 * lets a heap grow to several times what was live after its last full collection when the limit leaves room, and a
 * cold build of 100,000 articles peaked at 6.65 GB resident while rendering, in two processes estimated at 3.97 GB.
 */
export const DEFAULT_GROWTH = 1.7;

/**
 * How much a heap may grow past what was live after a full collection (`--heap-growing-percent`) in a build whose
 * estimate would not fit its budget with V8's own growing: measured on a cold build of 10,000 articles, the render
 * phase's resident memory fell from 2.2 to 1.9 GB for 20 % more render time.
 */
export const TIGHT_HEAP_GROWING_PERCENT = 30;

/**
 * Resident memory of build processes per byte of their estimated heaps with their heap growing limited to
 * {@link TIGHT_HEAP_GROWING_PERCENT}: a cold build of 100,000 articles peaked at 4.9 GB while rendering, in two
 * processes estimated at 3.97 GB.
 */
export const TIGHT_GROWTH = 1.25;

/**
 * The `--heap-growing-percent` for the build processes of a build estimated at `heaps` (every render process's heap,
 * see {@link processHeapBytes}) under `budget`: none (V8's own) while they fit with V8's own growing.
 */
export function heapGrowingPercent(heaps: readonly number[], budget: number): number | undefined {
  return sum(heaps) * DEFAULT_GROWTH > budget ? TIGHT_HEAP_GROWING_PERCENT : undefined;
}

/** The resident memory of processes estimated at `heaps` under `budget`, grown as {@link heapGrowingPercent} lets them. */
export function residentBytes(heaps: readonly number[], budget: number): number {
  return sum(heaps) * (heapGrowingPercent(heaps, budget) === undefined ? DEFAULT_GROWTH : TIGHT_GROWTH);
}

/**
 * Pages the main process renders itself from which it compacts its heap before the rest of the search index whatever
 * the budget (see {@link compactsBeforeSearch}).
 */
export const COMPACT_MIN_PAGES = 2_000;

/**
 * Whether the main process compacts its heap ({@link compactHeap}) once its Eleventy runs are done and before the rest
 * of the search index: under a tight budget, and after it rendered `mainPages` pages itself, at least
 * {@link COMPACT_MIN_PAGES}. Its heap then stays as large as rendering grew it while it waits for Pagefind, beside
 * Pagefind's own processes: in a cold build of 100,000 articles, 3.4 GB through the search phase beside two Pagefind
 * processes of 3.3 GB. A build that rendered a few pages is spared the collection, which would delay its search index.
 */
export function compactsBeforeSearch(tightMemory: boolean, mainPages: number): boolean {
  return tightMemory || mainPages >= COMPACT_MIN_PAGES;
}

/**
 * Hands back to the system the heap this process grew to while rendering: a full collection that compacts every page
 * of the heap, whose emptied pages V8 then unmaps on a background thread. V8 otherwise keeps fragmented pages (in a
 * cold 10,000-article build under a tight budget, the main process went from 858 MB resident before the search index to
 * 559 MB three seconds after; at 100,000 articles it held 2.0–2.5 GB through the search phase). The collector is
 * reached through V8's `--expose-gc`, set at run time, as Jest's leak detector does.
 */
export function compactHeap(): void {
  setFlagsFromString("--expose-gc");
  const collect = runInNewContext("gc") as () => void;
  setFlagsFromString("--compact-on-every-full-gc");
  try {
    collect();
  } finally {
    setFlagsFromString("--no-compact-on-every-full-gc");
  }
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

const gigabytes = (bytes: number) => (bytes < 2 ** 30 ? `${Math.round(bytes / 2 ** 20)} MB` : `${(bytes / 2 ** 30).toFixed(1)} GB`);

/**
 * Why a build of `articles` articles rendering `pagesPerProcess` pages in each of its processes' largest run (the main
 * run first) cannot fit in `limits` (each process in Node's heap limit, all of them in the budget), with what to do;
 * undefined when it fits.
 */
export function memoryProblem(articles: number, pagesPerProcess: readonly number[], limits: MemoryLimits): string | undefined {
  const needs = pagesPerProcess.map((pages, index) => processHeapBytes(articles, pages, index === 0));
  const largest = Math.max(...needs);
  const total = needs.reduce((sum, need) => sum + need, 0);
  const count = `${articles.toLocaleString("en")} articles`;
  if (largest > limits.heapLimit) {
    const asked = Math.ceil((largest * 1.2) / 2 ** 30) * 1024;
    const more =
      asked * 2 ** 20 < limits.totalMemory * 0.9
        ? `Give Node more (NODE_OPTIONS=--max-old-space-size=${asked} npm run build; this machine has ${gigabytes(limits.totalMemory)})`
        : `Build it on a machine with more memory than this one's ${gigabytes(limits.totalMemory)} (and NODE_OPTIONS=--max-old-space-size=${asked})`;
    // What a run may hold once the archive is read, rounded down to hundreds of pages.
    const fitting = Math.floor((limits.heapLimit - processHeapBytes(articles, 0, true)) / RENDER_BYTES_PER_PAGE / 100) * 100;
    const smaller =
      fitting >= 100
        ? `, or render fewer pages at a time (BROADSHEET_PAGES_PER_RUN=${fitting} npm run build)`
        : `; the archive alone needs ${gigabytes(processHeapBytes(articles, 0, true))} in the main build process`;
    return (
      `build: not enough memory: a build process of this archive (${count}, ${pagesPerProcess[needs.indexOf(largest)]?.toLocaleString("en") ?? 0} pages ` +
      `in one run) needs about ${gigabytes(largest)}, but Node allows it ${gigabytes(limits.heapLimit)}. ${more}${smaller}. Nothing was changed.`
    );
  }
  if (total > limits.budget) {
    const fewer = needs.length > 1 ? "Render in fewer processes (BROADSHEET_PROCESSES=1 npm run build), or l" : "L";
    const asked = Math.ceil((total * 1.1) / 2 ** 30) * 1024;
    return (
      `build: not enough memory: ${needs.length === 1 ? "the build process" : `${needs.length} build processes`} of this archive (${count}) ` +
      `need${needs.length === 1 ? "s" : ""} about ${gigabytes(total)}${needs.length === 1 ? "" : " together"}, and the build may use ` +
      `${gigabytes(limits.budget)} (BROADSHEET_MEMORY; by default half of this machine's ${gigabytes(limits.totalMemory)}). ` +
      `${fewer}et the build use more (BROADSHEET_MEMORY=${asked} npm run build). Nothing was changed.`
    );
  }
  return undefined;
}
