// Search: the /search/ page (facets, sorting, state in the URL) and a Pagefind index of the published articles, each
// bundle written as soon as its pages are, beside rendering; bundles whose pages did not change are linked from the
// build cache instead (cache.ts).
import { mkdir, rm, writeFile } from "node:fs/promises";
import { availableParallelism, totalmem } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { UserConfig } from "@11ty/eleventy";
import { type Phase, startPhase } from "../progress/index.ts";
import { workerEntry } from "../shared/entries.ts";
import type { TreeListing } from "../shared/fs.ts";
import { BundleCache, type SeededFragments, bundleInputs, settleSeededFragments } from "./cache.ts";
import { pruneBundles, removeOtherBundles, unusedPagefindFiles } from "./output.ts";
import type { WorkerMessage } from "./worker.ts";
import { fingerprintScripts } from "./scripts.ts";
import { ARTICLE_PAGES_GLOB, type SearchShard, bundleIndexOf, planSearchShards } from "./shards.ts";

export { SEARCH_SHARD_SIZE, searchShardSize } from "./shards.ts";

/**
 * How many bundles to index at once: each runs its own Pagefind process, which holds about
 * {@link PAGEFIND_BYTES_PER_ARTICLE} per article of the bundle it writes, so one per core (per two for large bundles,
 * see {@link LARGE_BUNDLE_ARTICLES}), and no more than `memoryBytes` (the memory left for Pagefind) allows for the
 * largest of `shards`; at least one. Only the bundles the cache does not hold are counted.
 */
export function searchWorkerCount(
  shards: readonly Pick<SearchShard, "articles">[],
  cores: number = availableParallelism(),
  memoryBytes: number = totalmem() / 2,
): number {
  return Math.max(1, Math.min(shards.length, searchProcessesWithin(shards, cores, memoryBytes)));
}

/**
 * Bundles of more than this many articles are written one Pagefind process per two cores; smaller ones, one per core.
 * Pagefind keeps more than a core busy itself (alone, 41.8 CPU-s in 29.4 s for 10,000 articles), and two processes
 * holding large indexes slow each other down, most of it in the kernel's page faults. Measured on 2 cores with the
 * build's own pool, into new bundle folders as a build writes them, one process against two: six bundles of about
 * 4,800 articles of the bench's 100,000-article site, 95.7 s against 91.4 s (two runs each); four sealed bundles of
 * about 9,700, 141.3 s against 148.8 s, at half the memory; the 10,000-article site's six bundles of 2,000, 25.9 s
 * against 23.9 s (three runs each).
 */
export const LARGE_BUNDLE_ARTICLES = 5_000;

/**
 * How many Pagefind processes `cores` free cores and `memoryBytes` hold, each writing a bundle as large as the largest
 * of `shards`: one per core, or per two cores begun for a bundle above {@link LARGE_BUNDLE_ARTICLES}, and none when not
 * even one fits in the memory (beside rendering, the bundles then wait for it to end).
 */
export function searchProcessesWithin(shards: readonly Pick<SearchShard, "articles">[], cores: number, memoryBytes: number): number {
  const largest = shards.reduce((most, shard) => Math.max(most, shard.articles), 1);
  const byCores = Math.ceil(Math.max(0, cores) / (largest > LARGE_BUNDLE_ARTICLES ? 2 : 1));
  return Math.max(0, Math.min(byCores, Math.floor(memoryBytes / (largest * PAGEFIND_BYTES_PER_ARTICLE))));
}

/**
 * Peak memory of a Pagefind process per article of the bundle it writes, with some room: measured on the bench's
 * articles (about 1,000 words each) at 322 kB for 10,000, 336 kB for 4,400 and 360 kB for 2,200.
 */
export const PAGEFIND_BYTES_PER_ARTICLE = 400 * 2 ** 10;

/** A worker thread writing bundles with its own Pagefind process (`worker.ts`), and the bundles handed to it. */
interface Lane {
  thread: Worker;
  /** Bundles handed to it and not yet written: the one it writes, and at most one waiting behind it. */
  handed: number;
  /** Told there are no more bundles. */
  ended: boolean;
  done: Promise<void>;
}

/**
 * Pagefind processes writing the bundles handed to them ({@link BundlePool.add}) into `outputDir`, each bundle from the
 * article pages already written there, each process on a worker thread of its own (`worker.ts`). A free process gets
 * the largest bundle waiting, so bundles of unequal sizes (a sealed bundle and the newest sub-bundles) keep every
 * process busy to the end, and each busy one gets its next bundle ahead: a main thread busy rendering (Eleventy's
 * rendering runs long chains of promises, before which no message is read) does not leave it idle. Every bundle's
 * files depend only on its own pages, so the output is the same whichever process writes it and whenever it is handed
 * in.
 */
export class BundlePool {
  private readonly waiting: SearchShard[] = [];
  private readonly lanes: Lane[] = [];
  private limit = 0;
  private closed = false;
  private written = 0;

  constructor(
    private readonly outputDir: string,
    private readonly language: string,
    /** Called after each bundle is written, with its article count (the build's progress bar). */
    private readonly onBundle: (articles: number) => void = () => {},
  ) {}

  /** Hands in a bundle whose pages are all written. */
  add(shard: SearchShard): void {
    this.waiting.push(shard);
    this.settle();
  }

  /** Lets up to `processes` Pagefind processes run at once (never fewer than were already let). */
  allow(processes: number): void {
    this.limit = Math.max(this.limit, processes);
    this.settle();
  }

  /** Once every bundle is handed in: waits for them to be written, at least one process working, and returns the articles indexed. */
  async close(): Promise<number> {
    this.closed = true;
    this.allow(1);
    try {
      // Lanes started while waiting for others are in the list by the time those end.
      for (let seen = 0; seen < this.lanes.length; seen = this.lanes.length) await Promise.all(this.lanes.map((lane) => lane.done));
      return this.written;
    } finally {
      await this.stop();
    }
  }

  /** Stops every Pagefind process (a build that failed elsewhere). */
  async stop(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    await Promise.all(this.lanes.map((lane) => lane.thread.terminate()));
    await Promise.allSettled(this.lanes.map((lane) => lane.done));
  }

  /** Hands waiting bundles out: to an idle process, else to a new one the limit allows, else one ahead to a busy one. */
  private settle(): void {
    while (this.waiting.length > 0) {
      const lane =
        this.lanes.find((candidate) => !candidate.ended && candidate.handed === 0) ??
        (this.lanes.length < this.limit ? this.startLane() : this.lanes.find((candidate) => !candidate.ended && candidate.handed === 1));
      if (!lane) break;
      lane.handed += 1;
      lane.thread.postMessage({ shard: this.takeLargest() });
    }
    if (!this.closed || this.waiting.length > 0) return;
    for (const lane of this.lanes) {
      if (lane.ended || lane.handed > 0) continue;
      lane.ended = true;
      lane.thread.postMessage({ shard: null });
    }
  }

  private takeLargest(): SearchShard {
    const largest = this.waiting.reduce((best, shard, index) => (shard.articles > this.waiting[best]!.articles ? index : best), 0);
    return this.waiting.splice(largest, 1)[0]!;
  }

  private startLane(): Lane {
    const thread = new Worker(workerEntry("search-worker"), { workerData: { outputDir: this.outputDir, language: this.language } });
    const lane: Lane = { thread, handed: 0, ended: false, done: Promise.resolve() };
    lane.done = new Promise<void>((resolve, reject) => {
      thread.on("message", (message: WorkerMessage) => {
        lane.handed -= 1;
        this.written += message.bundle;
        this.onBundle(message.bundle);
        this.settle();
      });
      thread.once("error", reject);
      thread.once("exit", (code) =>
        lane.ended && code === 0
          ? resolve()
          : reject(new Error(`search index: a worker stopped (exit code ${code}) before its bundles were written`)),
      );
    });
    // A failure is reported by close(), which a build reaches unless it failed elsewhere first.
    lane.done.catch(() => undefined);
    this.lanes.push(lane);
    return lane;
  }
}

/**
 * Builds the Pagefind bundles of `shards` into `outputDir` from the article pages Eleventy wrote there, `workers`
 * Pagefind processes at a time ({@link BundlePool}), and returns the number of articles indexed.
 */
export async function buildSearchIndex(
  shards: readonly SearchShard[],
  outputDir: string,
  language: string,
  onBundle: (articles: number) => void = () => {},
  workers: number = searchWorkerCount(shards),
): Promise<number> {
  const pool = new BundlePool(outputDir, language, onBundle);
  pool.allow(workers);
  for (const shard of shards) pool.add(shard);
  return pool.close();
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
  /**
   * Writes the search index after each Eleventy run (`npm start`); a build writes it itself, bundle by bundle as the
   * pages are written ({@link SearchIndexer}).
   */
  index: boolean;
  language: string;
  /** The published articles, newest first: what the index holds. */
  articles: () => Promise<readonly { url: string }[]>;
  /** Articles per sealed Pagefind bundle (default {@link SEARCH_SHARD_SIZE}; the newest ones hold a tenth of it). */
  shardSize?: number | undefined;
  /** Where the search phase's timing goes, for the bench (see `startPhase`). */
  timingsFile?: string | undefined;
  /** The search bundle cache's folder (see cache.ts), e.g. `<cacheDir>/search`; without it every bundle is indexed. */
  cacheDir?: string | undefined;
  /** Memory the Pagefind processes may use together, in bytes (see {@link searchWorkerCount}); default half the machine's. */
  memoryBytes?: number | undefined;
  /** The bundle plan a build made and indexes itself; without it the plugin plans the bundles from `articles`. */
  shards?: readonly SearchShard[] | undefined;
  /**
   * With `index`, the search key of each article page the run's output holds (see {@link SearchIndexOptions.searchKeys}),
   * read after each run: the bundles are then keyed without reading every page (`npm start`, see `PreviewPages`).
   */
  searchKeys?: (() => ReadonlyMap<string, string>) | undefined;
}

/** What the search phase did: articles and bundles indexed with Pagefind, and bundles linked from the cache. */
export interface SearchIndexResult {
  articlesIndexed: number;
  bundlesIndexed: number;
  bundlesReused: number;
}

/** Where and how a build's search index is written. */
export interface SearchIndexOptions {
  /** The bundle plan ({@link planSearchShards}). */
  shards: readonly SearchShard[];
  outputDir: string;
  language: string;
  /** The search bundle cache's folder (see cache.ts); without it every bundle is indexed. */
  cacheDir?: string | undefined;
  /** The bundles to write: a sharded build (`--shard`) writes those of its own articles. Default: all. */
  selected?: ((shard: SearchShard) => boolean) | undefined;
  /** The search key of each article page by URL (see {@link bundleKey}). */
  searchKeys?: ReadonlyMap<string, string> | undefined;
  /**
   * Whether {@link searchKeys} names every article page the output holds once it is written, as a build's plan does: a
   * bundle's pages are then taken from it rather than listed from the bundle's day folders (some 6,000 folders, 0.6 s of
   * the build's thread at 100,000 articles). The folders may also hold redirect pages, which carry no
   * `data-pagefind-body`, so Pagefind indexes nothing of them and the bundle is the same without them in its key.
   */
  planned?: boolean | undefined;
  /** Writes the search page's scripts too (the build or shard that writes the site-wide files). */
  page?: boolean | undefined;
  /**
   * What a bundle's folder (by the bundle's URL) holds when the phase starts, where the build has listed it: saves
   * looking at each of its files again before it is made the cached bundle's mirror (see `BundleCache.restore`).
   */
  present?: ((bundle: string) => TreeListing) | undefined;
  /** Where the search phase's timing goes, for the bench (see `startPhase`). */
  timingsFile?: string | undefined;
}

/** A bundle a build hands to Pagefind. */
interface IndexedBundle {
  shard: SearchShard;
  /** Its cache key, with a cache. */
  key: string | undefined;
  /** What each of its pages stands for, with a cache (see `BundleInputs`). */
  pages: ReadonlyMap<string, string> | undefined;
  /** The previous build's fragments put into its folder before Pagefind wrote it, if any. */
  seeded: SeededFragments | undefined;
  /** Each of its fragments' page, where the check of a seeded bundle gave them (see `settleSeededFragments`). */
  fragments?: Map<string, string> | undefined;
}

/**
 * The article pages of each bundle of `shards` among `urls` (article URLs, `/YYYY/MM/DD/slug/`), as the files
 * `articlePagesOf` lists them: `YYYY/MM/DD/slug/index.html`, sorted.
 */
export function pagesByBundle(
  shards: readonly SearchShard[],
  urls: Iterable<string>,
  bundleOf: (url: string) => number | undefined = bundleIndexOf(shards),
): string[][] {
  const pages = shards.map((): string[] => []);
  for (const url of urls) {
    const index = bundleOf(url);
    if (index !== undefined) pages[index]?.push(`${url.slice(1)}index.html`);
  }
  for (const list of pages) list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return pages;
}

/**
 * The search phase of a build, bundle by bundle: a bundle is keyed, and linked from the cache or handed to Pagefind
 * ({@link BundlePool}), as soon as the last of its article pages is written, so indexing runs beside rendering. Told
 * at the start which article pages the build still renders ({@link SearchIndexer.constructor}), and of each as it is
 * written ({@link SearchIndexer.written}); {@link SearchIndexer.finish} then writes what remains, trims the bundles
 * to what the site serves and prunes the cache to this build's and the previous build's bundles.
 */
/**
 * The search bundles the last build on the cache `cacheDir` (the search cache's folder) recorded, as folders to copy
 * into a site (see `RecordedSite` in src/build/publish.ts): each kept entry's folder, the bundle's folder in the site
 * (relative to it), and the entry's files that are the cache's records rather than the bundle's. Only a start: the
 * search phase keeps what is the very kept bundle, and nothing else (`BundleCache.restore`).
 */
export async function lastBuildBundles(cacheDir: string): Promise<{ from: string; to: string; skip: string[] }[]> {
  const { bundles, records } = await new BundleCache(cacheDir).lastBundles();
  return bundles.map(({ bundle, entry }) => ({ from: entry, to: bundleFolder(bundle), skip: records }));
}

/** The folder of the bundle URL `bundle` in the site, relative to it (`/pagefind/2001-01/` → `pagefind/2001-01`). */
export function bundleFolder(bundle: string): string {
  return bundle
    .replace(/^\/|\/$/g, "")
    .split("/")
    .join(path.sep);
}

export class SearchIndexer {
  private readonly cache: BundleCache | undefined;
  private readonly pool: BundlePool;
  private readonly bundleOf: (url: string) => number | undefined;
  /** Each bundle's article pages (`YYYY/MM/DD/slug/index.html`, sorted), where {@link SearchIndexOptions.planned} gives them. */
  private readonly plannedPages: string[][] | undefined;
  /** Article pages still to be written, per bundle of the plan; undefined for a bundle this build does not write. */
  private readonly unwritten: (number | undefined)[];
  /** The article pages still to be written: a page told of twice (a part's message, then its exit) counts once. */
  private readonly pending: Set<string>;
  private readonly prepared: Promise<void>[] = [];
  private readonly keys: string[] = [];
  /** Each bundle URL's key, for the next build to seed its fragments from (see `BundleCache.seed`). */
  private readonly bundleKeys = new Map<string, string>();
  private readonly indexed: IndexedBundle[] = [];
  private started: number | undefined;
  private phase: Phase | undefined;
  private reused = 0;
  private articles = 0;

  constructor(
    private readonly options: SearchIndexOptions,
    /** The article pages (by URL) this build has still to write; every other page of a bundle is written already. */
    pending: Iterable<string> = [],
    /** Pagefind processes that may run before {@link finish}: beside rendering. */
    processes = 0,
  ) {
    this.cache = options.cacheDir === undefined ? undefined : new BundleCache(options.cacheDir);
    this.pool = new BundlePool(options.outputDir, options.language, (articles) => {
      this.articles += articles;
      this.phase?.tick(articles);
    });
    this.pool.allow(processes);
    const selected = options.selected ?? (() => true);
    this.unwritten = options.shards.map((shard) => (selected(shard) ? 0 : undefined));
    this.bundleOf = bundleIndexOf(options.shards);
    this.plannedPages =
      options.planned && options.searchKeys ? pagesByBundle(options.shards, options.searchKeys.keys(), this.bundleOf) : undefined;
    this.pending = new Set();
    for (const url of pending) {
      const index = this.bundleOf(url);
      if (index === undefined || this.unwritten[index] === undefined || this.pending.has(url)) continue;
      this.pending.add(url);
      this.unwritten[index] += 1;
    }
    for (const [index, count] of this.unwritten.entries()) if (count === 0) this.ready(index);
  }

  /** Tells of article pages now written (again or not): a bundle whose last page this was is indexed now. */
  written(urls: Iterable<string>): void {
    for (const url of urls) {
      if (!this.pending.delete(url)) continue;
      const index = this.bundleOf(url)!;
      const count = this.unwritten[index]! - 1;
      this.unwritten[index] = count;
      if (count === 0) this.ready(index);
    }
  }

  /**
   * Once every page is written: writes the bundles not yet written, with as many Pagefind processes at a time as
   * `memoryBytes` holds (see {@link searchWorkerCount}), and the search scripts; trims the bundles and prunes the
   * cache. Returns what the phase did.
   */
  async finish(memoryBytes: number = totalmem() / 2): Promise<SearchIndexResult> {
    const { shards, outputDir, timingsFile } = this.options;
    const left = this.unwritten.flatMap((count, index) => (count ? [shards[index]!.bundle] : []));
    if (left.length > 0) throw new Error(`search index: pages of ${left.join(", ")} were never written`);
    // Counts the articles Pagefind indexes, not those of bundles linked from the cache, from the first bundle's start.
    const phase = startPhase("search index", undefined, {
      unit: "articles indexed",
      timingsFile,
      ...(this.started === undefined ? {} : { startedAt: this.started }),
    });
    phase.tick(this.articles);
    this.phase = phase;
    const selected = this.options.selected ?? (() => true);
    await Promise.all(this.prepared);
    await removeOtherBundles(shards, outputDir, selected);
    const workers = searchWorkerCount(
      this.indexed.map(({ shard }) => shard),
      availableParallelism(),
      memoryBytes,
    );
    this.pool.allow(workers);
    await this.pool.close();
    await this.settleSeeded(workers);
    if (this.options.page) await writeSearchScripts(outputDir);
    if (this.cache) {
      for (const { shard, key, pages, fragments } of this.indexed) {
        const dir = path.join(outputDir, shard.bundle);
        // Kept with Pagefind's script, which only the newest bundle serves: pruneBundles removes it from the others, so
        // the kept bundle does not depend on where in the plan it is.
        await Promise.all((await unusedPagefindFiles(dir, true)).map((name) => rm(path.join(dir, name), { recursive: true })));
        if (key !== undefined) await this.cache.store(key, dir, pages, fragments);
      }
      await this.cache.prune(this.keys, this.bundleKeys);
    }
    await pruneBundles(shards, outputDir, selected);
    const result = { articlesIndexed: this.articles, bundlesIndexed: this.indexed.length, bundlesReused: this.reused };
    phase.end(result.articlesIndexed, `${plural(result.bundlesIndexed, "bundle")} indexed, ${result.bundlesReused} reused from the cache`);
    return result;
  }

  /** Lets up to `processes` Pagefind processes run at once before {@link finish} (never fewer than were already let). */
  allow(processes: number): void {
    this.pool.allow(processes);
  }

  /** Stops the Pagefind processes (a build that failed elsewhere). */
  stop(): Promise<void> {
    return this.pool.stop();
  }

  /**
   * Resolves once the search cache has removed the entries {@link finish} took out (those no build uses any more), at
   * once without a cache; rejects if the removal failed. A build waits for it after publishing.
   */
  removal(): Promise<void> {
    return this.cache?.removal() ?? Promise.resolve();
  }

  /**
   * Once Pagefind has written every bundle: checks each bundle it wrote over seeded fragments (`settleSeededFragments`)
   * and indexes again, into empty folders, `workers` at a time, those that cannot be vouched for.
   */
  private async settleSeeded(workers: number): Promise<void> {
    const again: SearchShard[] = [];
    for (const bundle of this.indexed) {
      const { shard, pages, seeded } = bundle;
      if (seeded === undefined || pages === undefined) continue;
      const dir = path.join(this.options.outputDir, shard.bundle);
      bundle.fragments = await settleSeededFragments(dir, seeded, pages);
      if (bundle.fragments) continue;
      await rm(dir, { recursive: true, force: true });
      again.push(shard);
    }
    if (again.length === 0) return;
    // Counted once already, in the phase's progress.
    const pool = new BundlePool(this.options.outputDir, this.options.language);
    for (const shard of again) pool.add(shard);
    pool.allow(workers);
    await pool.close();
  }

  /** The bundle at `index` has all its pages: it is linked from the cache, or handed to Pagefind. */
  private ready(index: number): void {
    this.started ??= performance.now();
    const shard = this.options.shards[index]!;
    const { outputDir, language, searchKeys } = this.options;
    const prepared = (async () => {
      const dir = path.join(outputDir, shard.bundle);
      const inputs = this.cache ? await bundleInputs(shard, outputDir, language, searchKeys, this.plannedPages?.[index]) : undefined;
      const key = inputs?.key;
      if (key !== undefined) {
        this.keys.push(key);
        this.bundleKeys.set(shard.bundle, key);
      }
      const present = this.options.present?.(shard.bundle);
      if (this.cache && key !== undefined && (await this.cache.restore(key, dir, present))) {
        this.reused += 1;
        return;
      }
      // Pagefind writes into a fresh folder (an in-place rebuild, `npm start`, must not write through links into the
      // cache), but for the previous bundle's fragments of unchanged pages, which it never writes (`BundleCache.seed`).
      const seeded = this.cache && inputs ? await this.cache.seed(shard.bundle, dir, inputs.pages, present) : undefined;
      if (!seeded) await rm(dir, { recursive: true, force: true });
      this.indexed.push({ shard, key, pages: inputs?.pages, seeded });
      this.pool.add(shard);
    })();
    // A failure is reported by finish(), which awaits it.
    prepared.catch(() => undefined);
    this.prepared.push(prepared);
  }
}

/**
 * Puts every bundle of `options.shards` into `options.outputDir` from the article pages written there, with as many
 * Pagefind processes at a time as `memoryBytes` holds: the search phase run after the pages are written (`npm start`,
 * after each rebuild).
 */
export async function writeSearchIndex(options: SearchIndexOptions, memoryBytes?: number): Promise<SearchIndexResult> {
  const indexer = new SearchIndexer(options);
  const result = await indexer.finish(memoryBytes);
  await indexer.removal();
  return result;
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
 * Adds the `/search/` page and its scripts, and with `options.index` (`npm start`) indexes the published articles
 * after every rebuild. `collections.searchShards` is the bundle plan: the search page lists every bundle in it (and
 * loads those a search needs), `_headers` caches their chunks, and the index is built to it (a build hands over the plan
 * its own {@link SearchIndexer} indexes).
 */
export function registerSearch(eleventyConfig: UserConfig, options: SearchPluginOptions): void {
  // The plan of the run in progress, made with its collections and indexed once its pages are written.
  let shards: readonly SearchShard[] | undefined;
  eleventyConfig.addCollection("searchShards", async () => {
    shards =
      options.shards ??
      planSearchShards(
        (await options.articles()).map((article) => article.url),
        options.shardSize,
      );
    return shards;
  });
  eleventyConfig.addFilter("searchBundles", searchBundles);
  if (options.index) {
    eleventyConfig.on("eleventy.after", async ({ directories }: { directories: { output: string } }) => {
      if (!shards) throw new Error("search index: the bundle plan was not made (collections.searchShards was never built)");
      const { language, cacheDir, timingsFile } = options;
      const searchKeys = options.searchKeys?.();
      await writeSearchIndex(
        { shards, outputDir: directories.output, language, cacheDir, timingsFile, searchKeys, page: true },
        options.memoryBytes,
      );
    });
  }
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
