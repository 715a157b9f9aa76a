// The memory a build needs, estimated before it renders anything: a build too big for the machine, or for Node's heap
// limit, stops at once saying what to do, instead of running out of memory minutes later with a crash report.
import { getHeapStatistics } from "node:v8";
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

/** What a machine gives a build: Node's heap limit in each process, and the memory of the machine. */
export interface MemoryLimits {
  heapLimit: number;
  totalMemory: number;
}

/**
 * This process's heap limit (`--max-old-space-size`, else Node's default for the machine, plus the young generation) and
 * the machine's memory.
 */
export function memoryLimits(): MemoryLimits {
  return { heapLimit: getHeapStatistics().heap_size_limit, totalMemory: totalmem() };
}

const gigabytes = (bytes: number) => (bytes < 2 ** 30 ? `${Math.round(bytes / 2 ** 20)} MB` : `${(bytes / 2 ** 30).toFixed(1)} GB`);

/**
 * Why a build of `articles` articles rendering `pagesPerProcess` pages in each of its processes' largest run (the main
 * run first) cannot fit in `limits`, with what to do; undefined when it fits.
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
  if (total > limits.totalMemory * 0.9) {
    return (
      `build: not enough memory: ${needs.length} build processes of this archive (${count}) need about ${gigabytes(total)} together, ` +
      `and this machine has ${gigabytes(limits.totalMemory)}. Render in fewer processes (BROADSHEET_PROCESSES=1 npm run build). ` +
      "Nothing was changed."
    );
  }
  return undefined;
}
