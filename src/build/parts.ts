// Render parts: a build with many pages to render (a cold build, a layout change) shares them out between processes,
// one per core, each an Eleventy run over its share writing into the same staging folder, so no core sits idle.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { entryPoint } from "../shared/entries.ts";

/** What one render part renders: article, listing and feed pages by URL, each article page with its file. */
export interface PartPlan {
  pages: { url: string; file?: string | undefined; weight?: number | undefined }[];
  /** The weight of a run (see {@link splitRuns}), as the build chose it for its memory budget. */
  pagesPerRun: number;
  /** The digest of the build's read of the archive (`ArchiveRead.digest`), which the part's own read must have. */
  digest: string;
}

/**
 * The exit code of a render part that stopped on a problem in its input (problems in the archive, or an article saved
 * while the build ran), having printed it.
 */
export const PART_INPUT_PROBLEM = 65;

/** A render part stopped on a problem in its input, which it has printed: the build stops without printing more. */
export class PartInputProblemError extends Error {
  constructor() {
    super("a render part stopped on a problem in its input, which it printed");
    this.name = "PartInputProblemError";
  }
}

/**
 * What a render part tells the build while it runs, over the IPC channel: the article pages (by URL) of a run it has
 * written, so the search bundles they complete are indexed at once (`SearchIndexer`).
 */
export interface PartMessage {
  written: string[];
}

/** What a render part reports back: the encoded pictures each of its pages uses, for the page cache. */
export interface PartResult {
  pictures: Record<string, string[]>;
}

/**
 * The environment of a render part: the build's own, but for the timings file, and with at most two malloc arenas
 * unless the build's environment sets a number. A part's render time runs beside the main run's, so it is not added
 * to the build's phases; the build records the pages parts rendered instead. glibc gives each thread that finds the
 * arenas busy one of its own (up to eight per core), and freed memory stays in them: a cold 10,000-article build run
 * with two peaked at 0.95 GB resident in its main process against 1.49 GB, rendering as fast (other C libraries
 * ignore the variable).
 */
export function partEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: "2", ...env, BROADSHEET_TIMINGS: "" };
}

/**
 * Fewest pages worth a process of their own: a part starts Node, reads and checks the archive and starts Eleventy
 * (about 2 s, and 6 s more to read 10,000 articles) before it renders a page.
 */
export const MIN_PAGES_PER_PART = 2_000;

/**
 * How many processes render `pages` pages: one per core when each gets enough pages. The build then takes as many of
 * them as its memory budget holds (`processesWithin`, `src/build/memory.ts`).
 */
export function renderPartCount(pages: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(cores, Math.floor(pages / MIN_PAGES_PER_PART)));
}

/**
 * Pages the main run renders in the time a render part takes to start (Node, reading the archive, the model,
 * Eleventy): about 3 s at 10,000 articles, some 1,000 pages (with 2,000 the main run finished last). The main run
 * takes that many more than each part, so all finish together and the search index, which waits for the last,
 * starts sooner.
 */
export const PART_START_PAGES = 1_000;

/**
 * Splits `items` into `count` runs of consecutive items: the first (the main run's) `headStart` items longer than the
 * others, which are as even as can be, so neighbouring pages share a part.
 */
export function splitParts<T>(items: readonly T[], count: number, headStart: number = 0): T[][] {
  const others = count > 1 ? Math.max(0, Math.floor((items.length - headStart) / count)) : 0;
  const first = items.length - others * (count - 1);
  return Array.from({ length: count }, (_, part) =>
    part === 0 ? items.slice(0, first) : items.slice(first + (part - 1) * others, first + part * others),
  );
}

/**
 * Splits one process's pages into Eleventy runs of at most `perRun` in weight (`weightOf`: what a page holds in memory
 * while its run lasts, in article pages; a page heavier than `perRun` is a run of its own), in order: always at least
 * one run (which may be empty: the main run also renders the site-wide pages).
 */
export function splitRuns<T>(items: readonly T[], perRun: number, weightOf: (item: T) => number = () => 1): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let weight = 0;
  for (const item of items) {
    const itemWeight = weightOf(item);
    if (run.length > 0 && weight + itemWeight > perRun) {
      runs.push(run);
      run = [];
      weight = 0;
    }
    run.push(item);
    weight += itemWeight;
  }
  if (run.length > 0 || runs.length === 0) runs.push(run);
  return runs;
}

/**
 * One process's Eleventy runs, in runs of at most `perRun` in weight (see {@link splitRuns}): its article pages (those
 * with a file) first, then its other pages (listings, feeds) in runs of their own, so a search bundle's pages are all
 * written, and the bundle handed to Pagefind, while the listings still render; always at least one run. The extra
 * run is cheap (one article page's run took about 0.4 s at 100,000 articles, as Eleventy's file search skips the
 * articles folder), and an edit's bundle no longer waits for the listing and feed pages the edit also changes: at
 * 100,000 articles that published an edit about 0.9 s sooner.
 */
export function pageRuns<T extends { file?: string | undefined; weight?: number | undefined }>(pages: readonly T[], perRun: number): T[][] {
  const articles = pages.filter((page) => page.file !== undefined);
  const others = pages.filter((page) => page.file === undefined);
  if (others.length === 0 || articles.length === 0) return splitRuns([...articles, ...others], perRun, pageWeight);
  return [...splitRuns(articles, perRun, pageWeight), ...splitRuns(others, perRun, pageWeight)];
}

/** The URLs of the article pages (those with a file) among `pages`: what the search index waits for. */
export function articlePageUrls(pages: readonly { url: string; file?: string | undefined }[]): string[] {
  return pages.flatMap((page) => (page.file === undefined ? [] : [page.url]));
}

/** The weight of a page in a run (see {@link splitRuns}): its own, or one article page's. */
export function pageWeight(page: { weight?: number | undefined }): number {
  return page.weight ?? 1;
}

/** The weight of the heaviest of `runs`. */
export function heaviestRun(runs: readonly (readonly { weight?: number | undefined }[])[]): number {
  return Math.max(0, ...runs.map((run) => run.reduce((sum, page) => sum + pageWeight(page), 0)));
}

/** The build command line, which renders a part when given `--part`. */
const BUILD_SCRIPT = entryPoint("build");

/** A render part running in a child process. */
export interface RunningPart {
  /** Resolves with the part's result once it has written its pages; rejects if it failed. */
  done: Promise<PartResult>;
  /** Stops the part (when the build fails elsewhere). */
  stop(): void;
  /** Removes the plan and result files. */
  cleanUp(): Promise<void>;
}

/**
 * Starts the render part `plan` in a child process with this process's Node flags (and `nodeFlags`) and environment,
 * writing into `outputDir`. The plan and result travel as files beside `outputDir`'s parent (`planFile`,
 * `planFile.result.json`); `onWritten` hears of the article pages of each run the part has written (see
 * {@link PartMessage}; a message can be lost when the part exits, and every page is written once `done` resolves).
 */
export async function startPart(
  plan: PartPlan,
  planFile: string,
  outputDir: string,
  options: { quiet: boolean; nodeFlags: readonly string[]; onWritten?: (urls: readonly string[]) => void },
): Promise<RunningPart> {
  await writeFile(planFile, JSON.stringify(plan));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...process.execArgv,
      ...options.nodeFlags,
      BUILD_SCRIPT,
      "--part",
      planFile,
      "--output",
      outputDir,
      ...(options.quiet ? ["--quiet"] : []),
    ],
    { stdio: ["inherit", "inherit", "inherit", "ipc"], env: partEnvironment() },
  );
  child.on("message", (message: PartMessage) => options.onWritten?.(message.written));
  const done = new Promise<PartResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === PART_INPUT_PROBLEM) {
        reject(new PartInputProblemError());
        return;
      }
      if (code !== 0) {
        reject(new Error(`a render part stopped (${signal ?? `exit code ${code}`}) before writing its pages`));
        return;
      }
      readFile(`${planFile}.result.json`, "utf8").then((text) => resolve(JSON.parse(text) as PartResult), reject);
    });
  });
  // A failed part is reported through `done`; the build's other promises wait on it, so none is left unhandled.
  done.catch(() => {});
  return {
    done,
    stop: () => {
      if (child.exitCode === null) child.kill();
    },
    cleanUp: async () => {
      await Promise.all([rm(planFile, { force: true }), rm(`${planFile}.result.json`, { force: true })]);
    },
  };
}
