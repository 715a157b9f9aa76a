// Search: the /search/ page (facets, sorting, state in the URL) and a Pagefind index of the published articles, built in
// the same Eleventy run; bundles whose pages did not change are linked from the build cache instead (cache.ts).
import { mkdir, rm, writeFile } from "node:fs/promises";
import { availableParallelism, totalmem } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { UserConfig } from "@11ty/eleventy";
import { startPhase } from "../progress/index.ts";
import { workerEntry } from "../shared/entries.ts";
import { BundleCache, bundleKey } from "./cache.ts";
import { pruneBundles, removeOtherBundles, unusedPagefindFiles } from "./output.ts";
import { writeBundles } from "./pagefind.ts";
import type { WorkerMessage } from "./worker.ts";
import { fingerprintScripts } from "./scripts.ts";
import { ARTICLE_PAGES_GLOB, type SearchShard, planSearchShards } from "./shards.ts";

export { SEARCH_SHARD_SIZE, searchShardSize } from "./shards.ts";

/**
 * How many bundles to index at once: each runs its own Pagefind process, which is single-threaded and holds about
 * {@link PAGEFIND_BYTES_PER_ARTICLE} per article of the bundle it writes, so one per core, and no more than
 * `memoryBytes` (the memory left for Pagefind) allows for the largest of `shards`; at least one. Only the bundles the
 * cache does not hold are counted.
 */
export function searchWorkerCount(
  shards: readonly Pick<SearchShard, "articles">[],
  cores: number = availableParallelism(),
  memoryBytes: number = totalmem() / 2,
): number {
  const largest = shards.reduce((most, shard) => Math.max(most, shard.articles), 1);
  return Math.max(1, Math.min(shards.length, cores, Math.floor(memoryBytes / (largest * PAGEFIND_BYTES_PER_ARTICLE))));
}

/**
 * Peak memory of a Pagefind process per article of the bundle it writes, with some room: measured on the bench's
 * articles (about 1,000 words each) at 322 kB for 10,000, 336 kB for 4,400 and 360 kB for 2,200.
 */
export const PAGEFIND_BYTES_PER_ARTICLE = 400 * 2 ** 10;

/**
 * Builds the Pagefind bundles of `shards` into `outputDir` from the article pages Eleventy wrote there, and returns
 * the number of articles indexed. One bundle is built in this process; several are handed out, largest first, to
 * worker threads (`worker.ts`), each with its own Pagefind process, as each finishes its last, so bundles of unequal
 * sizes (a sealed bundle and the newest sub-bundles) keep every core busy to the end. Every bundle's files depend only
 * on its own pages, so the output is the same whichever worker builds it.
 */
export async function buildSearchIndex(
  shards: readonly SearchShard[],
  outputDir: string,
  language: string,
  /** Called after each bundle is written, with its article count (the build's progress bar). */
  onBundle: (articles: number) => void = () => {},
  workers: number = searchWorkerCount(shards),
): Promise<number> {
  if (workers <= 1) return writeBundles(shards, outputDir, language, onBundle);
  const queue = [...shards].sort((a, b) => b.articles - a.articles);
  const threads = Array.from({ length: workers }, () => new Worker(workerEntry("search-worker"), { workerData: { outputDir, language } }));
  let count = 0;
  try {
    await Promise.all(
      threads.map(
        (thread) =>
          new Promise<void>((resolve, reject) => {
            thread.on("message", (message: WorkerMessage) => {
              if (message.bundle !== undefined) {
                count += message.bundle;
                onBundle(message.bundle);
              }
              const shard = queue.shift();
              thread.postMessage({ shard: shard ?? null });
              if (!shard) resolve();
            });
            thread.once("error", reject);
            thread.once("exit", (code) =>
              reject(new Error(`search index: a worker stopped (exit code ${code}) before its bundles were written`)),
            );
          }),
      ),
    );
    return count;
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}

/** `n thing` or `n things`. */
function plural(n: number, thing: string): string {
  return `${n} ${thing}${n === 1 ? "" : "s"}`;
}

/** A bundle as the search page lists it (see `_includes/js/search-bundles.js`). */
export interface PageBundle {
  url: string;
  /** The years its articles are from, oldest first; null for the one bundle of a small archive (every year). */
  years: string[] | null;
  articles: number;
}

/** The bundle plan as the search page needs it: where each bundle is, which years it holds and how many articles. */
export function searchBundles(plan: readonly SearchShard[]): PageBundle[] {
  return plan.map((shard) => ({
    url: shard.bundle,
    years: shard.globs.includes(ARTICLE_PAGES_GLOB) ? null : [...new Set(shard.globs.map((glob) => glob.slice(0, "YYYY".length)))],
    articles: shard.articles,
  }));
}

/** Settings for the search plugin. */
export interface SearchPluginOptions {
  /** Adds the search page and writes its scripts (not in a shard of a build but the first, see `--shard`). */
  page: boolean;
  /** Which bundles this build writes, by URL (default: all). */
  bundles?: ((bundle: string) => boolean) | undefined;
  /**
   * Resolves when every article page is written, where other processes write some of them (a build's render parts):
   * the index reads the pages from the output folder.
   */
  pagesWritten?: (() => Promise<void>) | undefined;
  language: string;
  /** The published articles, newest first: what the index holds. */
  articles: () => Promise<readonly { url: string }[]>;
  /** Articles per sealed Pagefind bundle (default {@link SEARCH_SHARD_SIZE}; the newest ones hold a fifth of it). */
  shardSize?: number | undefined;
  /** Where the search phase's timing goes, for the bench (see `startPhase`). */
  timingsFile?: string | undefined;
  /** The search bundle cache's folder (see cache.ts), e.g. `<cacheDir>/search`; without it every bundle is indexed. */
  cacheDir?: string | undefined;
  /** The search key of each article page by URL, which stands for what Pagefind reads of it in the bundle keys (see cache.ts). */
  searchKeys?: ReadonlyMap<string, string> | undefined;
  /** Memory the Pagefind processes may use together, in bytes (see {@link searchWorkerCount}); default half the machine's. */
  memoryBytes?: number | undefined;
  /**
   * Takes the search phase instead of running it at the end of the Eleventy run: a build runs it once the run has
   * returned, so the run's pages and data can be collected while Pagefind works (see `runBuild`). Without it (`npm
   * start`) the index is written in the run, after every rebuild.
   */
  defer?: ((index: () => Promise<void>) => void) | undefined;
}

/** What the search phase did: articles and bundles indexed with Pagefind, and bundles linked from the cache. */
export interface SearchIndexResult {
  articlesIndexed: number;
  bundlesIndexed: number;
  bundlesReused: number;
}

/**
 * Puts every bundle of `shards` into `outputDir`: those `cache` holds for the pages Eleventy wrote are linked from it,
 * the others are built with Pagefind (`buildSearchIndex`), trimmed of the files the site does not serve and kept in
 * the cache; then the cache is pruned to this build's and the previous build's bundles, and each bundle trimmed to
 * what it serves (`pruneBundles`). `onBundle` counts the articles of each bundle built.
 */
export async function writeSearchIndex(
  shards: readonly SearchShard[],
  outputDir: string,
  language: string,
  cache: BundleCache | undefined,
  onBundle: (articles: number) => void = () => {},
  /** The bundles to write: a sharded build (`--shard`) writes those of its own articles. */
  selected: (shard: SearchShard) => boolean = () => true,
  /** The search key of each article page by URL (see {@link bundleKey}). */
  searchKeys?: ReadonlyMap<string, string>,
  /** Memory the Pagefind processes may use together (see {@link searchWorkerCount}). */
  memoryBytes?: number,
): Promise<SearchIndexResult> {
  const written = shards.filter(selected);
  const keys = cache ? await Promise.all(written.map((shard) => bundleKey(shard, outputDir, language, searchKeys))) : [];
  const missing: { shard: SearchShard; key: string | undefined }[] = [];
  for (const [i, shard] of written.entries()) {
    const dir = path.join(outputDir, shard.bundle);
    const key = keys[i];
    if (cache && key !== undefined && (await cache.restore(key, dir))) continue;
    // Pagefind writes into a fresh folder: an in-place rebuild (`npm start`) must not write through links into the cache.
    await rm(dir, { recursive: true, force: true });
    missing.push({ shard, key });
  }
  await removeOtherBundles(shards, outputDir, selected);
  const articlesIndexed =
    missing.length === 0
      ? 0
      : await buildSearchIndex(
          missing.map(({ shard }) => shard),
          outputDir,
          language,
          onBundle,
          searchWorkerCount(
            missing.map(({ shard }) => shard),
            undefined,
            memoryBytes,
          ),
        );
  if (cache) {
    for (const { shard, key } of missing) {
      const dir = path.join(outputDir, shard.bundle);
      // Kept with Pagefind's script, which only the newest bundle serves: pruneBundles removes it from the others, so
      // the kept bundle does not depend on where in the plan it is.
      await Promise.all((await unusedPagefindFiles(dir, true)).map((name) => rm(path.join(dir, name), { recursive: true })));
      if (key !== undefined) await cache.store(key, dir);
    }
    await cache.prune(keys);
  }
  await pruneBundles(shards, outputDir, selected);
  return { articlesIndexed, bundlesIndexed: missing.length, bundlesReused: written.length - missing.length };
}

/** Writes the search page's fingerprinted scripts into `outputDir` (read again each build: `npm start` picks up edits). */
async function writeSearchScripts(outputDir: string): Promise<void> {
  await Promise.all(
    fingerprintScripts("_includes/js").map(async (script) => {
      const file = path.join(outputDir, script.url);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, script.content);
    }),
  );
}

/**
 * Adds the `/search/` page and its scripts, and indexes the published articles after every build, `npm start`
 * included. `collections.searchShards` is the bundle plan: the search page lists every bundle in it (and loads
 * those a search needs), `_headers` caches their chunks, and the index is built to it.
 */
export function registerSearch(eleventyConfig: UserConfig, options: SearchPluginOptions): void {
  // The plan of the build in progress, made with its collections and used once its pages are written.
  let shards: SearchShard[] | undefined;
  eleventyConfig.addCollection("searchShards", async () => {
    shards = planSearchShards(
      (await options.articles()).map((article) => article.url),
      options.shardSize,
    );
    return shards;
  });
  eleventyConfig.addFilter("searchBundles", searchBundles);
  const cache = options.cacheDir === undefined ? undefined : new BundleCache(options.cacheDir);
  const bundles = options.bundles ?? (() => true);
  /** Writes the search scripts and the bundles of `plan` into `output`: the search phase. */
  const index = async (plan: readonly SearchShard[], output: string): Promise<void> => {
    await options.pagesWritten?.();
    // Counts the articles Pagefind indexes, not those of bundles linked from the cache: the total is known only once
    // the bundles are keyed, so the bar counts up without one.
    const phase = startPhase("search index", undefined, { unit: "articles indexed", timingsFile: options.timingsFile });
    if (options.page) await writeSearchScripts(output);
    const result = await writeSearchIndex(
      plan,
      output,
      options.language,
      cache,
      (articles) => phase.tick(articles),
      (shard) => bundles(shard.bundle),
      options.searchKeys,
      options.memoryBytes,
    );
    phase.end(result.articlesIndexed, `${plural(result.bundlesIndexed, "bundle")} indexed, ${result.bundlesReused} reused from the cache`);
  };
  eleventyConfig.on("eleventy.after", async ({ directories }: { directories: { output: string } }) => {
    if (!shards) throw new Error("search index: the bundle plan was not made (collections.searchShards was never built)");
    // Only the plan and the folder's name go with a deferred phase: nothing that keeps the run's pages alive.
    const plan = shards;
    const output = directories.output;
    if (options.defer) options.defer(() => index(plan, output));
    else await index(plan, output);
  });
  if (!options.page) return;
  // The search page's scripts, fingerprinted (see scripts.ts) and read again on every build, so `npm start` picks up
  // edits; the page links the last, the entry, and preloads the rest. Written to the output with the index.
  eleventyConfig.addWatchTarget("_includes/js/");
  eleventyConfig.addGlobalData("searchScripts", () => fingerprintScripts("_includes/js").map((script) => script.url));
  eleventyConfig.addTemplate("search.njk", "", {
    layout: "layouts/search.njk",
    permalink: "/search/",
    title: "Search",
    eleventyExcludeFromCollections: true,
    tags: [],
  });
}
