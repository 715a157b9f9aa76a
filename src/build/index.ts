// The build pipeline behind `npm run build` and `npm start`: read and check the archive once, render with Eleventy
// into a staging folder, publish it whole, and only then record the published URLs.
import { watch } from "node:fs";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import Eleventy, { type UserConfig } from "@11ty/eleventy";
import pMap from "p-map";
import { type BroadsheetOptions, type BuildParts, type RenderPlan, broadsheet, buildParts } from "../../.eleventy.ts";
import { writeArticleFile } from "../authoring/write.ts";
import { ArchiveProblemsError, type ArchiveRead, ArchiveSource, formatProblemReport } from "../archive/source.ts";
import { entryPoint } from "../shared/entries.ts";
import { exists, linkOrCopy, sameFile, treeEntries, writeWhole } from "../shared/fs.ts";
import type { BroadsheetConfig } from "../config/index.ts";
import { formatManifest } from "../redirects/manifest.ts";
import { type Phase, startPhase, timingLine } from "../progress/index.ts";
import { SearchIndexer, bundleFolder, lastBuildBundles, searchProcessesWithin } from "../search/index.ts";
import { SEARCH_FOLDER, type SearchShard, planSearchShards } from "../search/shards.ts";
import { PageCache, type PageEntry, outputFile, pageEntries, sharedInputKeys } from "./pages.ts";
import {
  type RenderLayout,
  compactHeap,
  compactsBeforeSearch,
  heapGrowingPercent,
  memoryLimits,
  memoryProblem,
  processHeapBytes,
  renderLayout,
  residentBytes,
} from "./memory.ts";
import {
  PART_INPUT_PROBLEM,
  PART_START_PAGES,
  articlePageUrls,
  PartInputProblemError,
  type PartMessage,
  type PartPlan,
  type PartResult,
  type RunningPart,
  heaviestRun,
  renderPartCount,
  splitParts,
  pageRuns,
  startPart,
} from "./parts.ts";
import {
  PreviewPages,
  PreviewState,
  forgetPreviewRecord,
  isPageRequest,
  problemPage,
  readPreviewRecord,
  writePreviewRecord,
} from "./preview.ts";
import { SHARD_MARKER, type Shard, type ShardMarker, shardEntries } from "./shards.ts";
import {
  OutputBusyError,
  type OutputPaths,
  lockOutput,
  outputPaths,
  startFromReused,
  type SiteListing,
  type RecordedSite,
  type SiteWalk,
  type SiteWalking,
  listSite,
  listingUnder,
  publishStaging,
  recoverOutput,
  siteRecordText,
  walkSite,
} from "./publish.ts";

/**
 * Pages stored in or restored from the page cache at once: enough to keep the disk busy, few enough to keep memory
 * flat (at 100,000 articles, 139,000 page stores started at once held hundreds of megabytes of pending file operations).
 */
const FILES_AT_ONCE = 64;

/** Where a build writes and how much it says. */
export interface BuildOptions {
  /** The output folder (default `_site`). */
  output: string;
  /** Leave out Eleventy's line per written file. */
  quiet: boolean;
  /** Build only this shard of the site (`--shard I/N`), to be joined with the others by {@link runMerge}. */
  shard?: Shard | undefined;
}

/** Where the pipeline prints: the problem list and summaries. */
export interface BuildReporter {
  error(text: string): void;
  log(text: string): void;
}

/** The project's Eleventy config file, for its fixed settings (compiled with the rest when the build is). */
const CONFIG_FILE = entryPoint("eleventy");

/** The first error of class `type` in an error's chain (Eleventy wraps errors thrown while rendering). */
function findInChain<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth += 1) {
    if (current instanceof type) return current;
    const wrapped = current as Error & { originalError?: unknown };
    current = wrapped.originalError ?? wrapped.cause;
  }
  return undefined;
}

/** The first {@link ArchiveProblemsError} in an error's chain (Eleventy wraps errors thrown while rendering). */
export function findProblems(error: unknown): ArchiveProblemsError | undefined {
  return findInChain(error, ArchiveProblemsError);
}

/** Whether `error` is a problem in the input that has been printed already: by this process or by a render part. */
function reported(error: unknown): boolean {
  return findProblems(error) !== undefined || findInChain(error, PartInputProblemError) !== undefined;
}

/** An Eleventy instance for `config` that prints Broadsheet's own problem lists through `reporter`, once. */
export function createEleventy(
  config: BroadsheetConfig,
  source: ArchiveSource,
  output: string,
  options: {
    parts: BuildParts;
    plan?: BroadsheetOptions["plan"];
    renders?: BroadsheetOptions["renders"];
    searchKeys?: BroadsheetOptions["searchKeys"];
    quiet: boolean;
    runMode: "build" | "serve";
    reporter: BuildReporter;
    extend?: (eleventyConfig: UserConfig) => void;
    /** Told of a rebuild's problems before they are printed; returns whether to print them. */
    onProblems?: (error: ArchiveProblemsError) => boolean;
  },
): Eleventy {
  const configure = broadsheet({
    config,
    source,
    ...options.parts,
    plan: options.plan,
    renders: options.renders,
    searchKeys: options.searchKeys,
  });
  const eleventy = new Eleventy(config.input, output, {
    configPath: CONFIG_FILE,
    config: (eleventyConfig) => {
      configure(eleventyConfig);
      options.extend?.(eleventyConfig);
    },
    quietMode: options.quiet,
    runMode: options.runMode,
  });
  // Eleventy prints every failed build (and every failed rebuild under `npm start`) through its error handler, with
  // stacks and wrapper messages. Problems in the input are printed instead as the plain problem list; anything else
  // is a bug, and keeps Eleventy's full report.
  const handler = eleventy.errorHandler;
  const printError = handler.error.bind(handler);
  handler.error = (error: unknown, message?: string) => {
    // A render part prints its own problems.
    if (findInChain(error, PartInputProblemError)) return;
    const problems = findProblems(error);
    if (!problems) return printError(error, message);
    if (options.onProblems?.(problems) ?? true) options.reporter.error(problems.message);
  };
  return eleventy;
}

/**
 * Builds the site into `options.output`. Nothing in the output changes unless every phase succeeds; the
 * permalink manifest is updated only after the new site is in place. Returns the exit code.
 */
export async function runBuild(config: BroadsheetConfig, options: BuildOptions, reporter: BuildReporter = console): Promise<number> {
  const paths = outputPaths(path.resolve(config.cwd, options.output));
  startPhase("start-up", undefined, { startedAt: 0, timingsFile: config.timingsFile }).end(0);
  return withCheckedArchive(config, paths, "build", reporter, async (source, read, site) => {
    const parts = buildParts(config, source);
    const build = await planBuild(config, read, parts, { paths, quiet: options.quiet, shard: options.shard, site });
    let succeeded = false;
    try {
      const problem = memoryProblem(build.memory.articles, build.memory.pages, memoryLimits(config.memoryBudget));
      if (problem !== undefined) {
        reporter.error(problem);
        return 1;
      }
      const runs = await build.start(paths);
      const unchanged = `${path.relative(config.cwd, paths.output) || "."} and the permalink manifest were not changed`;
      try {
        for (const run of runs) {
          await createEleventy(config, source, paths.staging, {
            parts,
            plan: run.plan,
            quiet: options.quiet,
            runMode: "build",
            reporter,
          }).write();
          build.written(run);
        }
      } catch (error) {
        // Eleventy's error handler has printed it (see createEleventy).
        if (!reported(error)) reporter.error(`build: failed; ${unchanged}`);
        return 1;
      }
      try {
        await build.partsWritten();
      } catch (error) {
        // A part that stopped on a problem in the input printed it; one that crashed printed its error.
        if (!reported(error)) reporter.error(`build: ${error instanceof Error ? error.message : String(error)}; ${unchanged}`);
        return 1;
      }
      // What rendering grew this process's heap to goes back before the rest of the search index (see compactsBeforeSearch).
      if (build.compactBeforeSearch) compactHeap();
      try {
        await build.searchIndex();
      } catch (error) {
        // Not a problem in the input (those stop the build before it renders): Pagefind or a bug, reported in full.
        reporter.error(
          `build: the search index failed; ${unchanged}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return 1;
      }
      await build.store(paths.staging);
      if (options.shard) {
        const marker: ShardMarker = { ...options.shard, digest: build.digest };
        await writeFile(path.join(paths.staging, SHARD_MARKER), `${JSON.stringify(marker)}\n`);
      }
      succeeded = true;
    } finally {
      await build.finish();
      // Nothing may be left being removed beside the output once the lock is released.
      if (!succeeded) await build.settled();
    }
    let replaced: Promise<void> = Promise.resolve();
    // From the swap on the site is live: what the build still does is its own clean-up, timed apart so that how long a
    // change took to go live can be read (the bench's edit cycle reports both).
    let cleanUp: Phase | undefined;
    try {
      ({ removed: replaced } = await publishStaging(paths, { keepReplaced: build.keepsReplaced }));
      cleanUp = startPhase("clean-up", undefined, { timingsFile: config.timingsFile });
      // A shard is not the site: the manifest is recorded when the shards are merged.
      if (!options.shard) await recordManifest(config, read, reporter);
    } finally {
      // The new site is live before the site it replaced (when not kept), a stale one set aside and the cache's stale
      // pages are gone.
      await Promise.allSettled([replaced]);
      await build.settled();
    }
    await replaced;
    cleanUp?.end(0);
    return 0;
  });
}

/**
 * Runs `work` under the lock of `paths`, after clearing what a killed build left and reading and checking the archive:
 * a busy output or problems in the archive are printed and end the run with exit code 1, before `work` starts. A build
 * (not a merge) has the site it starts from walked meanwhile (see {@link startSiteWalk}), stopped when `work` is over.
 */
async function withCheckedArchive(
  config: BroadsheetConfig,
  paths: OutputPaths,
  command: "build" | "merge",
  reporter: BuildReporter,
  work: (source: ArchiveSource, read: ArchiveRead, site: StartingSite | undefined) => Promise<number>,
): Promise<number> {
  let release: () => Promise<void>;
  try {
    release = await lockOutput(paths);
  } catch (error) {
    if (!(error instanceof OutputBusyError)) throw error;
    reporter.error(`${command}: ${error.message}`);
    return 1;
  }
  let site: StartingSite | undefined;
  try {
    await recoverOutput(paths);
    site = command === "build" ? await startSiteWalk(paths, config.cacheDir) : undefined;
    const source = new ArchiveSource(config);
    const read = await source.loadTimed();
    if (read.problems.length > 0) {
      reporter.error(formatProblemReport(read.problems));
      return 1;
    }
    return await work(source, read, site);
  } finally {
    // Nothing may still be copying beside the output once the lock is released.
    await site?.walking.stop();
    await release();
  }
}

/** Writes the permalink manifest of `read` if the build changed it. */
async function recordManifest(config: BroadsheetConfig, read: ArchiveRead, reporter: BuildReporter): Promise<void> {
  const { plan, manifestFile } = read;
  if (manifestFile !== undefined && plan.manifestChanged) {
    // Whole or not at all: a full disk must not leave a truncated manifest in the repository.
    await writeArticleFile(path.resolve(config.cwd, manifestFile), formatManifest(plan.manifest), { overwrite: true });
    reporter.log(`[broadsheet] permalinks: ${manifestFile} now lists ${plan.manifest.length} URL(s); commit it`);
  }
}

/** What `--merge` joins. */
export interface MergeOptions {
  /** The shard outputs, one per shard of one sharded build (`--shard I/N --output DIR`). */
  inputs: string[];
  output: string;
}

/**
 * Joins the outputs of every shard of a sharded build into `options.output`, through the same staging, lock and
 * manifest update as a build. The archive is read and planned again, so shards built from another commit or other
 * settings are refused rather than mixed.
 */
export async function runMerge(config: BroadsheetConfig, options: MergeOptions, reporter: BuildReporter = console): Promise<number> {
  const paths = outputPaths(path.resolve(config.cwd, options.output));
  return withCheckedArchive(config, paths, "merge", reporter, async (source, read) => {
    const markers = await Promise.all(
      options.inputs.map(async (input) => {
        const file = path.join(path.resolve(config.cwd, input), SHARD_MARKER);
        if (!(await exists(file))) return { input, marker: undefined };
        return { input, marker: JSON.parse(await readFile(file, "utf8")) as ShardMarker };
      }),
    );
    const problems = await mergeProblems(config, source, read.manifestFile, markers);
    if (problems.length > 0) {
      reporter.error(`${problems.map((problem) => `merge: ${problem}`).join("\n")}\nmerge: nothing was published`);
      return 1;
    }
    await mkdir(paths.staging, { recursive: true });
    for (const input of options.inputs) await joinInto(path.resolve(config.cwd, input), paths.staging);
    await publishStaging(paths);
    await recordManifest(config, read, reporter);
    return 0;
  });
}

/** One Eleventy run of the main process: what it renders, and the article pages it writes. */
interface MainRun {
  plan: RenderPlan;
  articleUrls: readonly string[];
}

/**
 * The pages of one build: those it takes from the page cache and those it renders, in one or more processes, and its
 * search index, each bundle written as soon as its pages are.
 */
interface BuildPlan {
  /** For a shard, the hash of the whole site's page keys that its marker carries (see `shards.ts`). */
  digest: string;
  /**
   * Whether the site this build replaces is kept for the next build to start from: not when this build renders more
   * than half of its pages, which leaves few of that site's files for the next build (see `PublishOptions`).
   */
  keepsReplaced: boolean;
  /**
   * What the memory estimate reads: the articles each process holds, and the weight of each one's heaviest run, in
   * article pages (see `splitRuns`).
   */
  memory: { articles: number; pages: number[] };
  /**
   * Whether the main process compacts its heap before the rest of the search index (`compactsBeforeSearch`): its heap
   * growing is limited to keep within the memory budget (see `heapGrowingPercent`), or it rendered many pages itself.
   */
  compactBeforeSearch: boolean;
  /**
   * Starts the staging folder of `paths` from the site the last swap replaced, if any ({@link startFromReused}), puts
   * the unchanged pages into it, starts the other render parts and the search index; returns what the main process
   * renders, as Eleventy runs one after another.
   */
  start(paths: OutputPaths): Promise<MainRun[]>;
  /** Tells the search index that a main run has written its pages. */
  written(run: MainRun): void;
  /** Resolves once every render part has written its pages (rejects if one failed), and starts storing them. */
  partsWritten(): Promise<void>;
  /** Once every page is written: the rest of the search index (see `SearchIndexer.finish`). */
  searchIndex(): Promise<void>;
  /** Stores the pages this build rendered into `outputDir` and records the build in the cache. */
  store(outputDir: string): Promise<void>;
  /** Stops render parts and Pagefind processes still running and waits for pages being stored. */
  finish(): Promise<void>;
  /**
   * Resolves once a stale site the build set aside ({@link startFromReused}) and the pages the cache dropped
   * (`PageCache.commit`) are removed, and releases the cache; every build calls it once, after publishing (or failing).
   */
  settled(): Promise<void>;
}

/**
 * Plans a build: which pages the page cache has, and how the others are shared out between render parts. When
 * another build is using the cache, this one renders every page and stores none, which is slower but the same output.
 */
async function planBuild(
  config: BroadsheetConfig,
  read: ArchiveRead,
  parts: BuildParts,
  options: { paths: OutputPaths; quiet: boolean; shard: Shard | undefined; site: StartingSite | undefined },
): Promise<BuildPlan> {
  const dir = path.join(config.cacheDir, "pages");
  await mkdir(config.cacheDir, { recursive: true });
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockOutput(outputPaths(dir));
  } catch (error) {
    if (!(error instanceof OutputBusyError)) throw error;
  }
  // Without the cache no page of the site walked is kept (see start()): its walk stops.
  if (!release) await options.site?.walking.stop();
  const site = release ? options.site : undefined;
  const walking = site?.walking;
  const phase = startPhase("page cache", undefined, { unit: "pages", timingsFile: config.timingsFile });
  const [cache, shared, published] = await Promise.all([
    release ? PageCache.open(dir) : undefined,
    sharedInputKeys(config, read.manifestFile),
    parts.archive.load(),
  ]);
  const all = await pageEntries(published, { cwd: config.cwd, shared, sitemapUrlLimit: config.sitemapUrlLimit });
  const sharded = options.shard ? shardEntries(all, published, config.searchShardSize, options.shard) : undefined;
  const digest = sharded?.digest ?? "";
  const entries = sharded?.entries ?? all;
  const hits = entries.filter((entry) => cache?.stored(entry.key));
  const misses = entries.filter((entry) => !cache?.stored(entry.key));
  // The site-wide files the cache lacks are the last main run's, which writes the site-wide files; the pages are shared
  // out between runs and processes.
  const siteMisses = misses.filter((entry) => entry.siteWide);
  const pageMisses = misses.filter((entry) => !entry.siteWide);
  const articles = published.read.checked.length;
  // The bundles this build indexes, and the search page lists (see RenderPlan.searchShards).
  const searchPlan = planSearchShards(
    published.articles.map((article) => article.url),
    config.searchShardSize,
  );
  const searchSelected = sharded ? (shard: SearchShard) => sharded.bundles.has(shard.bundle) : () => true;
  // A number of processes asked for (BROADSHEET_PROCESSES) shares the pages evenly; the automatic one gives the main
  // run a head start, as it does not wait for a process to start. Either renders in runs as large as the memory budget
  // holds, and the automatic one in as many processes as it holds.
  const headStart = config.renderProcesses === undefined ? PART_START_PAGES : 0;
  const split = ({ processes, pagesPerRun }: RenderLayout) => {
    const runs = splitPages(pageMisses, processes, headStart).map((share) => pageRuns(share, pagesPerRun));
    const heaps = runs.map((shareRuns, index) => processHeapBytes(articles, heaviestRun(shareRuns), index === 0));
    return { runs, heaps };
  };
  // A number asked for is kept, and only the runs are fitted to the budget.
  const asked = config.renderProcesses === undefined ? undefined : Math.min(config.renderProcesses, Math.max(1, pageMisses.length));
  const layout = renderLayout(
    asked ?? renderPartCount(pageMisses.length),
    config.pagesPerRun,
    config.memoryBudget,
    (candidate) => split({ ...candidate, processes: asked ?? candidate.processes }).heaps,
  );
  const fixed = { ...layout, processes: asked ?? layout.processes };
  const { runs: processRuns, heaps } = split(fixed);
  const [ownRuns = [[]], ...othersRuns] = processRuns;
  // Where V8's own heap growing would take the processes past the budget, every one grows its heap less (the main
  // process from now on, the render parts from their start): more collections, less memory.
  const growing = heapGrowingPercent(heaps, config.memoryBudget);
  const nodeFlags = growing === undefined ? [] : [`--heap-growing-percent=${growing}`];
  const running: RunningPart[] = [];
  let indexer: SearchIndexer | undefined;
  /** The staging folder, once start() has it. */
  let staging: string | undefined;
  // Pages render parts wrote before the search index started (see start()).
  const writtenEarly: string[] = [];
  const written = (urls: readonly string[]) => {
    if (indexer) indexer.written(urls);
    else writtenEarly.push(...urls);
  };
  // Pagefind runs beside rendering only on the cores the render processes leave, and in the memory they and this
  // process leave (sharing a core with rendering made a cold build slower, not faster): the processes still rendering
  // (0 is this one), and each process's estimated heap, this one's down to the archive once its runs are done.
  const rendering = new Set(heaps.keys());
  const heapNow = new Map(heaps.entries());
  const besideRendering = () =>
    searchProcessesWithin(
      searchPlan.filter(searchSelected),
      availableParallelism() - rendering.size,
      Math.max(0, config.memoryBudget - residentBytes([...heapNow.values()], config.memoryBudget)),
    );
  let removed: Promise<void> = Promise.resolve();
  let stored: Promise<void> | undefined;
  /** The text of the build cache's record of this build's site (see {@link startSiteWalk}), once its pages are stored. */
  let siteRecord: string | undefined;
  /** The files the cached pages put into the output ({@link wantedFiles}), worked out by start(). */
  let hitFiles = new Map<string, string>();
  /** Stores every page this build rendered (once every part has written) into the page cache, once. */
  const storePages = (outputDir: string): Promise<void> =>
    (stored ??= (async () => {
      const results = await Promise.all(running.map((part) => part.done));
      if (!cache) return;
      const pictures = new Map(results.flatMap((result) => Object.entries(result.pictures)));
      // A few at a time (see FILES_AT_ONCE), as this runs beside Pagefind.
      await pMap(misses, (entry) => cache.store(entry, outputDir, pictures.get(entry.url) ?? parts.images.usedBy(entry.url)), {
        concurrency: FILES_AT_ONCE,
      });
      // Every page of the build is kept or stored: its index, and the record of its files, are worked out while
      // Pagefind may still be indexing.
      cache.prepareCommit();
      // The cached pages' files, which start() worked out and no longer needs, and those of the pages just stored.
      siteRecord = siteRecordText(config.cacheDir, wantedFiles(cache, misses, parts.images.urlPath, hitFiles));
    })());
  return {
    digest,
    keepsReplaced: misses.length * 2 <= entries.length,
    memory: { articles, pages: processRuns.map(heaviestRun) },
    compactBeforeSearch: compactsBeforeSearch(growing !== undefined, ownRuns.flat().length),
    async start(paths) {
      for (const flag of nodeFlags) setFlagsFromString(flag);
      const outputDir = paths.staging;
      staging = outputDir;
      // Before any part writes into it: what stays of the earlier site is what this build would link in anyway.
      let present = new Set<string>();
      // What the staging folder's search bundles hold: nothing, unless the earlier site stays.
      let searchListing: SiteListing | undefined;
      const walked = site?.walk;
      // A site being copied from the cache's record holds what the last build on the cache used; any other is there.
      const sample = walked && "record" in walked ? undefined : (walked?.root ?? paths.reuse);
      if (cache) hitFiles = wantedFiles(cache, hits, parts.images.urlPath);
      const start = await startFromReused(
        paths,
        hitFiles,
        {
          has: (relative, source) =>
            sample === undefined ? (cache?.inLastBuild(source) ?? false) : sameFile(`${sample}${path.sep}${relative}`, source),
          listing: () => walking?.listing ?? walkSite({ root: paths.reuse, leave: [SEARCH_FOLDER] }),
          stop: async () => await walking?.stop(),
        },
        (source) => cache?.identityOf(source),
      );
      // The walk is over, or its site was set aside unlisted: either way it has nothing more to give.
      await walking?.stop();
      if (start) {
        present = start.kept;
        searchListing = start.listing?.left;
        removed = start.removed;
        // Awaited by settled(), which every build calls; until then a failure must not count as unhandled.
        removed.catch(() => undefined);
      }
      for (const [index, shareRuns] of othersRuns.entries()) {
        const plan: PartPlan = {
          pages: shareRuns.flat().map(({ url, file, weight }) => ({ url, file, weight })),
          pagesPerRun: fixed.pagesPerRun,
          digest: read.digest,
        };
        const part = await startPart(plan, `${outputDir}.part-${index + 1}.json`, outputDir, {
          quiet: options.quiet,
          nodeFlags,
          onWritten: written,
        });
        // Every page of a part that exited is written, whichever of its messages arrived.
        part.done.then(
          () => written(articlePageUrls(plan.pages)),
          () => undefined,
        );
        running.push(part);
      }
      if (cache) {
        // Each set of pictures once: most pages share theirs with many others (see StoredPage).
        const pictures = new Set<readonly string[]>();
        const missing: PageEntry[] = [];
        for (const entry of hits) {
          if (present.has(outputFile(entry.url))) pictures.add(cache.keep(entry));
          else missing.push(entry);
        }
        for (const restored of await pMap(missing, (entry) => cache.restore(entry, outputDir), { concurrency: FILES_AT_ONCE }))
          pictures.add(restored);
        for (const set of pictures) parts.images.keep(set);
      }
      phase.end(hits.length);
      // Every cacheable page of the site, this shard's or not: the others are no run's here.
      const cacheable = new Set(all.map((entry) => entry.url));
      const searchKeys = new Map(all.flatMap((entry) => (entry.searchKey === undefined ? [] : [[entry.url, entry.searchKey] as const])));
      // Every page not rendered is in the staging folder now: the search index starts, and indexes each bundle as its
      // last page is written, beside rendering where a core and the memory are free.
      indexer = new SearchIndexer(
        {
          shards: searchPlan,
          outputDir,
          language: config.site.language,
          cacheDir: path.join(config.cacheDir, "search"),
          selected: searchSelected,
          searchKeys,
          planned: true,
          page: !sharded || sharded.siteFiles,
          timingsFile: config.timingsFile,
          present: (bundle) => (searchListing ? listingUnder(searchListing, bundleFolder(bundle)) : { files: new Map(), folders: [] }),
        },
        articlePageUrls(misses),
        besideRendering(),
      );
      indexer.written(writtenEarly.splice(0));
      for (const [index, part] of running.entries()) {
        // A part that has written its pages leaves its core and memory to Pagefind.
        part.done.then(
          () => {
            rendering.delete(index + 1);
            heapNow.delete(index + 1);
            indexer?.allow(besideRendering());
          },
          () => undefined,
        );
      }
      // The site-wide pages come last.
      return ownRuns.map((run, index): MainRun => {
        const last = index === ownRuns.length - 1;
        const urls = new Set([...run, ...(last ? siteMisses : [])].map((entry) => entry.url));
        return {
          plan: {
            renders: last ? (url) => urls.has(url) || !cacheable.has(url) : (url) => urls.has(url),
            articleFiles: run.flatMap((entry) => (entry.file === undefined ? [] : [path.resolve(config.cwd, entry.file)])),
            siteFiles: last && (!sharded || sharded.siteFiles),
            searchShards: searchPlan,
          },
          articleUrls: articlePageUrls(run),
        };
      });
    },
    written(run) {
      written(run.articleUrls);
    },
    async partsWritten() {
      // This process has rendered its runs: its core is free, and it holds the archive.
      rendering.delete(0);
      heapNow.set(0, processHeapBytes(articles, 0, true));
      indexer?.allow(besideRendering());
      await Promise.all(running.map((part) => part.done));
      // Every page is written: they go into the page cache while Pagefind indexes them, which leaves this process's
      // thread idle. A failure is reported by store(), which waits for it.
      if (staging !== undefined) storePages(staging).catch(() => undefined);
    },
    async searchIndex() {
      // Pagefind gets what the budget leaves beside this process, which now holds only the archive.
      await indexer?.finish(config.memoryBudget - processHeapBytes(articles, 0, true));
    },
    async store(outputDir) {
      await storePages(outputDir);
      if (config.timingsFile !== undefined && othersRuns.length > 0) {
        // The pages the other parts rendered, counted with the main run's (their time overlapped it).
        const count = othersRuns.reduce((sum, shareRuns) => sum + shareRuns.flat().length, 0);
        await appendFile(config.timingsFile, timingLine({ phase: "render/write", ms: 0, count }));
      }
      // Before the index that names its files: a record ahead of its index costs the next build only what it copies
      // in vain.
      if (siteRecord !== undefined) await writeWhole(path.join(config.cacheDir, SITE_RECORD), siteRecord);
      await cache?.commit();
    },
    async finish() {
      for (const part of running) part.stop();
      await indexer?.stop();
      // A failed build may have started storing pages (see partsWritten): the cache is not released under it.
      await Promise.allSettled([...running.map((part) => part.done), stored]);
      await Promise.all(running.map((part) => part.cleanUp()));
    },
    async settled() {
      // The cache is released once the stale pages it is removing are gone: another build could store one again.
      await Promise.allSettled([removed, cache?.removal(), indexer?.removal()]);
      await release?.();
      await removed;
      await cache?.removal();
      await indexer?.removal();
    },
  };
}

/** The site a build starts its staging folder from, being walked on another thread (see {@link startSiteWalk}). */
interface StartingSite {
  walk: SiteWalk | RecordedSite;
  walking: SiteWalking;
}

/** The build cache's record of the files of the last site built on it (see {@link siteRecordText}), in `cacheDir`. */
const SITE_RECORD = "site.tsv";

/**
 * Starts walking, on another thread while this one reads the archive and keys the pages, the site a build starts its
 * staging folder from (see `startFromReused`): the site the last swap replaced, or, where there is none but a site is
 * published (the first build after one that published into an empty place), the published site, copied as it is walked
 * into the replaced site's place, each file a hard link of its own; where neither is there (a CI runner that keeps
 * only the build cache `cacheDir`), a copy of the last site built on the cache, made from its record there
 * ({@link RecordedSite}). Starting from nothing would link every unchanged file into staging after the pages are keyed
 * (at 100,000 articles, 139,000 pages and the search bundles' 113,000 files); the copy makes the same links, but
 * beside the build's reading and keying. Undefined when there is nothing to start from.
 */
async function startSiteWalk(paths: OutputPaths, cacheDir: string): Promise<StartingSite | undefined> {
  const leave = [SEARCH_FOLDER];
  const record = path.join(cacheDir, SITE_RECORD);
  let walk: SiteWalk | RecordedSite;
  if (await exists(paths.reuse)) walk = { root: paths.reuse, leave };
  else if (await exists(paths.output)) {
    // Made here, not by the walk, so that the copy exists (however far it got) when the build looks for it.
    await mkdir(paths.reuse);
    walk = { root: paths.output, leave, into: paths.reuse };
  } else if (await exists(record)) {
    const trees = await lastBuildBundles(path.join(cacheDir, "search"));
    await mkdir(paths.reuse);
    walk = { record, trees, into: paths.reuse, leave };
  } else return undefined;
  const walking = listSite(walk);
  // Awaited by start(); a build that stops before it (problems in the archive) must not count a failure as unhandled.
  walking.listing.catch(() => undefined);
  return { walk, walking };
}

/**
 * The files the cached pages `hits` put into the output (relative path → stored file): each page and its pictures,
 * added to `wanted`; after the build stored its pages, any of them.
 */
function wantedFiles(
  cache: PageCache,
  hits: readonly PageEntry[],
  imageUrlPath: string,
  wanted = new Map<string, string>(),
): Map<string, string> {
  // Each set of pictures once: most are used by several pages (an article, its listings, the articles it is related to).
  const pictureSets = new Set<readonly string[]>();
  for (const entry of hits) {
    wanted.set(outputFile(entry.url), cache.fileOf(entry.key));
    const pictures = cache.picturesOf(entry.key);
    if (pictures) pictureSets.add(pictures);
  }
  for (const pictures of pictureSets) {
    for (const picture of pictures) wanted.set(path.join(imageUrlPath, path.basename(picture)).replace(/^\//, ""), picture);
  }
  return wanted;
}

/**
 * Shares pages out between `count` render processes: articles, listing pages and feed files each split on their own
 * (a feed file with fifty full entries costs many article pages), the main run taking `headStart` more in proportion.
 */
function splitPages(entries: readonly PageEntry[], count: number, headStart: number): PageEntry[][] {
  const kinds = [
    entries.filter((entry) => entry.file !== undefined),
    entries.filter((entry) => entry.file === undefined && entry.url.endsWith("/")),
    entries.filter((entry) => entry.file === undefined && !entry.url.endsWith("/")),
  ];
  const shares = kinds.map((kind) => splitParts(kind, count, Math.round((headStart * kind.length) / Math.max(1, entries.length))));
  return Array.from({ length: count }, (_, part) => shares.flatMap((share) => share[part] ?? []));
}

/**
 * Renders one part of a build's pages into `options.output` (the build's staging folder) for the build that started
 * this process (see `src/build/parts.ts`): the pages named in the plan file, none of the site-wide files. Returns the
 * exit code: {@link PART_INPUT_PROBLEM} for a problem in the input, printed here.
 */
export async function runPart(
  config: BroadsheetConfig,
  options: { planFile: string; output: string; quiet: boolean },
  reporter: BuildReporter = console,
): Promise<number> {
  // A part of a build that died (killed, or failed elsewhere) must not go on writing into what the next build will
  // use as its staging folder.
  const parent = process.ppid;
  setInterval(() => {
    // An orphan is adopted by another process: its parent id changes.
    if (process.ppid !== parent) process.exit(1);
  }, 200).unref();
  const plan = JSON.parse(await readFile(options.planFile, "utf8")) as PartPlan;
  const source = new ArchiveSource(config);
  const read = await source.load();
  if (read.problems.length > 0) {
    reporter.error(formatProblemReport(read.problems));
    return PART_INPUT_PROBLEM;
  }
  // The build keyed, listed and indexed the articles as it read them: a page rendered from other bytes (an article
  // saved while the build ran) would be published beside them, and kept in the page cache under the other bytes' key.
  if (read.digest !== plan.digest) {
    reporter.error("build: an article file changed while the build ran; nothing was published, build again");
    return PART_INPUT_PROBLEM;
  }
  const parts = buildParts(config, source);
  // The build hears of each run's pages over the channel, when it started this part with one; it must not keep the
  // part running once its work is done.
  process.channel?.unref();
  try {
    for (const run of pageRuns(plan.pages, plan.pagesPerRun)) {
      const urls = new Set(run.map((page) => page.url));
      const renderPlan: RenderPlan = {
        renders: (url) => urls.has(url),
        articleFiles: run.flatMap((page) => (page.file === undefined ? [] : [page.file])),
        siteFiles: false,
      };
      await createEleventy(config, source, options.output, {
        parts,
        plan: renderPlan,
        quiet: options.quiet,
        runMode: "build",
        reporter,
      }).write();
      process.send?.({ written: articlePageUrls(run) } satisfies PartMessage);
    }
  } catch (error) {
    // Eleventy's error handler has printed it (see createEleventy).
    if (findProblems(error)) return PART_INPUT_PROBLEM;
    throw error;
  }
  const result: PartResult = { pictures: Object.fromEntries(plan.pages.map(({ url }) => [url, parts.images.usedBy(url)])) };
  await writeFile(`${options.planFile}.result.json`, JSON.stringify(result));
  return 0;
}

/** What is wrong with joining these shard outputs for the archive as it is now, if anything. */
async function mergeProblems(
  config: BroadsheetConfig,
  source: ArchiveSource,
  manifestFile: string | undefined,
  markers: { input: string; marker: ShardMarker | undefined }[],
): Promise<string[]> {
  const problems = markers.flatMap(({ input, marker }) =>
    marker ? [] : [`${input} is not the output of a sharded build (it has no ${SHARD_MARKER}); build it with --shard I/N`],
  );
  const found = markers.flatMap(({ input, marker }) => (marker ? [{ input, marker }] : []));
  const count = found[0]?.marker.count;
  if (problems.length > 0 || count === undefined) return problems;
  if (found.some(({ marker }) => marker.count !== count)) {
    return [
      `the shards are of different builds: ${found.map(({ input, marker }) => `${input} is ${marker.index}/${marker.count}`).join(", ")}`,
    ];
  }
  for (let index = 1; index <= count; index += 1) {
    const given = found.filter(({ marker }) => marker.index === index);
    if (given.length === 0) problems.push(`shard ${index}/${count} is missing; give every shard's output`);
    if (given.length > 1) problems.push(`shard ${index}/${count} is given twice (${given.map(({ input }) => input).join(", ")})`);
  }
  const parts = buildParts(config, source);
  const published = await parts.archive.load();
  const entries = await pageEntries(published, {
    cwd: config.cwd,
    shared: await sharedInputKeys(config, manifestFile),
    sitemapUrlLimit: config.sitemapUrlLimit,
  });
  const { digest } = shardEntries(entries, published, config.searchShardSize, { index: 1, count });
  for (const { input, marker } of found) {
    if (marker.digest !== digest) {
      problems.push(
        `${input} (shard ${marker.index}/${count}) was built from other articles, layouts or settings than these; build every shard from the same commit`,
      );
    }
  }
  return problems;
}

/** Links every file of a shard's output into `staging`; a file two shards both wrote (a picture) must be the same. */
async function joinInto(input: string, staging: string): Promise<void> {
  const made = new Set<string>();
  for (const entry of await treeEntries(input)) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(input, file);
    if (relative === SHARD_MARKER) continue;
    const target = path.join(staging, relative);
    const folder = path.dirname(target);
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true });
      made.add(folder);
    }
    try {
      await linkOrCopy(file, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!(await readFile(file)).equals(await readFile(target)))
        throw new Error(`merge: ${relative} differs between two shards`, { cause: error });
    }
  }
}

/** Where `npm start` serves from. */
export interface PreviewOptions {
  /** The preview folder (default `.preview`, never `_site`). */
  output: string;
  port: number;
  quiet: boolean;
}

/**
 * Serves a preview with live reload, rebuilding on every change. Held-back articles get preview pages and
 * a published URL that would stop working is a warning. Each rebuild reads and checks the archive again, and
 * renders only the pages whose inputs changed since the last rebuild that succeeded (see {@link PreviewPages});
 * a rebuild with problems prints them once and shows them in the browser, and writes nothing.
 */
export async function runPreview(config: BroadsheetConfig, options: PreviewOptions, reporter: BuildReporter = console): Promise<void> {
  const paths = outputPaths(path.resolve(config.cwd, options.output));
  startPhase("start-up", undefined, { startedAt: 0, timingsFile: config.timingsFile }).end(0);
  const release = await lockOutput(paths);
  await recoverOutput(paths);
  const source = new ArchiveSource(config);
  // Eleventy gives up watching when its first build fails, so the first build waits for an archive without problems.
  await waitUntilValid(config, source, reporter);
  const state = new PreviewState();
  const pages = new PreviewPages(await readPreviewRecord(paths.output));
  const parts = buildParts(config, source);
  await previewInRuns(config, source, parts, pages, paths.output, options.quiet, reporter);
  const eleventy = createEleventy(config, source, paths.output, {
    parts,
    renders: (url) => pages.renders(url),
    searchKeys: () => pages.searchKeys,
    quiet: options.quiet,
    runMode: "serve",
    reporter,
    extend: (eleventyConfig) => {
      // One listener after another, in the order they were added, and these added by a plugin after Broadsheet's
      // (Eleventy runs plugins once the configuration has been read): the keys are of the archive the source's own
      // listener has just read again (and are not made at all when it found problems), and a rebuild counts as done
      // once its search index is written too.
      eleventyConfig.setEventEmitterMode("sequential");
      eleventyConfig.addPlugin((afterBroadsheet: UserConfig) => {
        afterBroadsheet.on("eleventy.before", async () => {
          const published = await parts.archive.load();
          const shared = await sharedInputKeys(config, published.read.manifestFile);
          pages.plan(await pageEntries(published, { cwd: config.cwd, shared }));
          await forgetPreviewRecord(paths.output);
        });
        afterBroadsheet.on("eleventy.after", async () => {
          pages.succeed();
          await writePreviewRecord(paths.output, pages.shown);
          state.succeed();
        });
      });
      // While the last rebuild failed, every page shows its problems instead of what is now out of date.
      eleventyConfig.setServerOptions({
        onRequest: {
          "/*": ({ url }: { url: URL }) =>
            state.problems.length > 0 && isPageRequest(url.pathname)
              ? { status: 500, headers: { "Content-Type": "text/html; charset=utf-8" }, body: problemPage(state.problems) }
              : undefined,
        },
      });
    },
    onProblems: (error) => {
      const changed = state.fail(error.problems);
      // A failed build does not reload the browser by itself; this one shows the problem page at once.
      void eleventy.eleventyServe
        .reload({})
        .catch((reloadError: unknown) => reporter.error(`preview: could not reload the browser: ${String(reloadError)}`));
      // The same problems again (a second rebuild of one save) are already in the terminal and on the page.
      return changed;
    },
  });
  await eleventy.init();
  await eleventy.watch();
  await eleventy.serve(options.port);
  process.once("SIGINT", () => {
    void eleventy.stopWatch().then(release, (error: unknown) => {
      reporter.error(String(error));
      process.exitCode = 1;
    });
  });
}

/**
 * Brings the keyed pages of the preview folder `output` up to date before Eleventy starts watching it, when more are
 * out of date than one Eleventy run renders (`BROADSHEET_PAGES_PER_RUN`): in runs of at most that many, one after
 * another, as a build renders. Eleventy's watch mode renders a build in one run, which holds every page it renders at
 * once: a first `npm start` of 100,000 articles ran out of Node's heap (4 GB) after 190 s. The watch's first build
 * then renders only what has no key (the site-wide files, the preview pages of drafts and embargoed articles).
 */
async function previewInRuns(
  config: BroadsheetConfig,
  source: ArchiveSource,
  parts: BuildParts,
  pages: PreviewPages,
  output: string,
  quiet: boolean,
  reporter: BuildReporter,
): Promise<void> {
  const published = await parts.archive.load();
  const shared = await sharedInputKeys(config, published.read.manifestFile);
  const entries = await pageEntries(published, { cwd: config.cwd, shared });
  pages.plan(entries);
  const stale = entries.filter((entry) => pages.renders(entry.url));
  if (stale.length <= config.pagesPerRun) return;
  await forgetPreviewRecord(output);
  for (const run of pageRuns(stale, config.pagesPerRun)) {
    const urls = new Set(run.map((entry) => entry.url));
    const plan: RenderPlan = {
      renders: (url) => urls.has(url),
      articleFiles: run.flatMap((entry) => (entry.file === undefined ? [] : [entry.file])),
      siteFiles: false,
    };
    await createEleventy(config, source, output, { parts, plan, quiet, runMode: "build", reporter }).write();
  }
  pages.succeed();
  await writePreviewRecord(output, pages.shown);
}

/** Reads the archive until it has no problems, printing them and waiting for a change to the articles or data. */
async function waitUntilValid(config: BroadsheetConfig, source: ArchiveSource, reporter: BuildReporter): Promise<void> {
  for (;;) {
    const read = await source.loadTimed();
    if (read.problems.length === 0) return;
    reporter.error(`${formatProblemReport(read.problems)}\npreview: waiting for a fix (save any article or data file to check again)`);
    await nextChange([path.resolve(config.cwd, config.input), path.resolve(config.cwd, config.dataDir)]);
  }
}

/** Resolves at the next change of a file under any of `folders`. */
function nextChange(folders: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const watchers = folders.map((folder) =>
      watch(folder, { recursive: true }, () => {
        for (const watcher of watchers) watcher.close();
        resolve();
      }).once("error", reject),
    );
  });
}
