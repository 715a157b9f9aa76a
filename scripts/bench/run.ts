// The bench itself: for each size, generate (or reuse) an archive, build it with the real build command line in a
// fresh process, measure the floor in another, and collect the figures the issue asks for.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_END_DATE, archiveLayout, benchArchiveRoot, ensureArchive, generateDirectory, searchWord } from "./generator/index.ts";
import { parseTimings } from "../../src/progress/index.ts";
import { buildScriptArgs } from "../build-script.ts";
import { type Workspace, createWorkspace } from "./workspace.ts";
import { EDIT_STEPS, applyEdit, datedArticles, pickEditTargets } from "./edits.ts";
import { type MeasuredRun, folderSize, runMeasured, settleDisk } from "./measure.ts";
import type { FloorResult } from "./floor.ts";
import { measureSearchPayload } from "./search-payload.ts";
import {
  ELEVENTY_PEER_NAME,
  type HugoPeer,
  PEER_NAME,
  type PeerBuild,
  buildEleventyPeer,
  buildHugoPeer,
  eleventyVersion,
  hugoVersion,
  pagefindBinary,
  prepareHugoPeer,
} from "./peers.ts";
import {
  type BenchResults,
  EDIT_COLUMNS,
  type EditResult,
  PEER_COLUMNS,
  type PeerResult,
  type SizeResult,
  TABLE_COLUMNS,
  editRows,
  formatTable,
  mergeResults,
  peerRows,
  ratioOf,
  renderScalingChart,
  searchRows,
  tableRows,
  withDerived,
} from "./report.ts";

/** The project root (where package.json is). */
export const projectRoot = path.resolve(import.meta.dirname, "../..");

/** Sizes of 10,000 articles and more also get the search payload measured (`search-payload.ts`). */
export const SEARCH_PAYLOAD_MIN_ARTICLES = 10_000;

/** Parses `1000,10000` or `1k,10k,100k` into article counts; throws on anything else. */
export function parseSizes(value: string): number[] {
  return value.split(",").map((part) => {
    const match = /^\s*(\d+)\s*([km])?\s*$/i.exec(part);
    if (!match) throw new Error(`"${part}" is not a number of articles (e.g. 1000 or 10k)`);
    const unit = match[2]?.toLowerCase();
    const size = Number(match[1]) * (unit === "k" ? 1000 : unit === "m" ? 1_000_000 : 1);
    if (size < 1) throw new Error("a size must be at least 1 article");
    return size;
  });
}

/** What to run. */
export interface BenchOptions {
  sizes: number[];
  seed: number;
  /** Where generated archives are cached. */
  cacheDir: string;
  /** JSON results file and SVG chart file. */
  jsonFile: string;
  svgFile: string;
  /** Keep the built sites (they are deleted after measuring otherwise). */
  keep: boolean;
  /** Measure the search payload (sizes of {@link SEARCH_PAYLOAD_MIN_ARTICLES} articles and more). */
  search: boolean;
  /** Keep the results of other sizes already in `jsonFile` (a 100,000-article run can be added to an earlier 1k/10k run). */
  merge: boolean;
  /** A build or floor run whose processes together pass this much resident memory is stopped and reported as failed. */
  memoryCapBytes: number;
  /** A build or floor run still going after this long is stopped and reported as failed. */
  timeLimitMs?: number | undefined;
  /** Run the newsroom edit cycle (warm builds after an edit, an addition, a retraction, a stylesheet change) after the cold build. */
  edits: boolean;
  /** Also build each archive with Hugo and with a minimal Eleventy site, each indexed by the Pagefind CLI, for Broadsheet ÷ peer ratios. */
  peers: boolean;
  /** Write a V8 CPU profile of each build into this folder (slows the build; for finding costs, not for figures). */
  cpuProfDir?: string | undefined;
  log: (line: string) => void;
}

/** Why a measured command failed: the memory cap, or its exit code and the tail of its output. */
export function failureReason(
  what: string,
  run: { exitCode: number; stdout: string; stderr: string; killedForMemory: boolean; killedForTime?: boolean; wallMs?: number },
  capBytes: number,
): string {
  if (run.killedForMemory)
    return `${what} was stopped after ${Math.round((run.wallMs ?? 0) / 1000)} s for using more than ${Math.round(capBytes / 2 ** 20)} MB (--memory-cap)`;
  if (run.killedForTime) return `${what} was stopped after ${Math.round((run.wallMs ?? 0) / 1000)} s (--time-limit)`;
  const lines = `${run.stdout}\n${run.stderr}`.trim().split("\n");
  // Node's own heap exhaustion is the most common failure at scale; name it plainly.
  const oom = lines.find((line) => /heap out of memory|Allocation failed/i.test(line));
  const tail = lines.slice(-12).join("\n");
  return `${what} exited with ${run.exitCode}${oom ? ` (${oom.trim()})` : ""}:\n${tail}`;
}

/** The search payload figures of `search-payload.ts` on the built site, or the error that stopped the browser measurement. */
async function measureSearch(siteDir: string, query: string): Promise<Record<string, unknown>> {
  try {
    return { ...(await measureSearchPayload(siteDir, query)) };
  } catch (error) {
    // A failed browser measurement is a result to report, not a reason to lose the build figures.
    return { query, error: (error as Error).message };
  }
}

/** One Broadsheet build in the workspace, with its phase timings. */
interface MeasuredBuild {
  run: MeasuredRun;
  phases: Record<string, number>;
  counts: Record<string, number>;
  error: string | undefined;
}

/** The folders every build of one size shares: the cold build's cache and output folder are the warm builds' too. */
interface BuildPlace {
  workspace: Workspace;
  site: string;
  cacheDir: string;
  work: string;
}

/** Runs the real build command (`npm run build`'s Node flags) in the workspace's copy of the project. */
async function measureBuild(place: BuildPlace, label: string, what: string, options: BenchOptions): Promise<MeasuredBuild> {
  // A timings file per build: the build appends to it, and each build's counts must be its own.
  const timingsFile = path.join(place.work, `timings-${label}.jsonl`);
  const profiling = options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(options.cpuProfDir)}`] : [];
  await settleDisk();
  const run = await runMeasured(process.execPath, [...profiling, ...(await buildScriptArgs()), `--output=${place.site}`, "--quiet"], {
    cwd: place.workspace.projectDir,
    memoryCapBytes: options.memoryCapBytes,
    timeLimitMs: options.timeLimitMs,
    env: {
      ...process.env,
      ARTICLES_DIR: place.workspace.articlesDir,
      DATA_DIR: place.workspace.dataDir,
      BROADSHEET_CACHE: place.cacheDir,
      SITE_URL: "https://bench.example.org",
      SOURCE_DATE_EPOCH: String(Date.parse(DEFAULT_END_DATE) / 1000),
      BROADSHEET_TIMINGS: timingsFile,
    },
  });
  const timings = existsSync(timingsFile) ? parseTimings(await readFile(timingsFile, "utf8")) : [];
  const phases: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const timing of timings) {
    phases[timing.phase] = (phases[timing.phase] ?? 0) + timing.ms;
    counts[timing.phase] = (counts[timing.phase] ?? 0) + timing.count;
  }
  phases.other = Math.max(0, run.wallMs - Object.values(phases).reduce((sum, ms) => sum + ms, 0));
  return { run, phases, counts, error: run.exitCode === 0 ? undefined : failureReason(what, run, options.memoryCapBytes) };
}

/**
 * Loads the build's modules once in the copy of the project (`--help` imports them all and exits), so that tsx's
 * transpile cache, keyed by file, is as warm for the copy as for the project: the cold build is cold in Broadsheet's
 * cache, not in TypeScript compilation of a folder never built before.
 */
async function warmTranspileCache(projectDir: string): Promise<void> {
  const run = await runMeasured(process.execPath, [...(await buildScriptArgs()), "--help"], { cwd: projectDir, env: process.env });
  if (run.exitCode !== 0) throw new Error(failureReason("loading the build in the copy of the project", run, Infinity));
}

const mb = (bytes: number | null): string => ((bytes ?? 0) / 2 ** 20).toFixed(0);

/** The Hugo peer as asked for: its version, or why it is skipped (the Eleventy peer runs whenever peers are asked for). */
type PeerPlan = { version: string } | { skipped: string };

/** Says in the log how a peer's build went. */
function logPeer(name: string, generator: string, label: string, build: PeerBuild, options: BenchOptions): void {
  options.log(
    `  ${name} ${label} ${build.error ? "FAILED after " : ""}${(build.wallMs / 1000).toFixed(1)} s (${generator} ${(build.siteMs / 1000).toFixed(1)} s, pagefind ${(build.pagefindMs / 1000).toFixed(1)} s), ${build.pages ?? "?"} pages, ${build.indexed ?? "?"} indexed, peak ${mb(build.peakRssBytes)} MB`,
  );
  if (build.error) options.log(`  ${build.error.replace(/\n/g, "\n  ")}`);
}

/** Builds the Hugo peer and says so in the log. */
async function measurePeer(hugo: HugoPeer, label: string, options: BenchOptions): Promise<PeerBuild> {
  const build = await buildHugoPeer(hugo, options, (what, run) => failureReason(`${what} (${label})`, run, options.memoryCapBytes));
  logPeer(PEER_NAME, "hugo", label, build, options);
  return build;
}

/** Builds the Eleventy peer from the archive in `articlesDir` into `work`, and says so in the log. */
async function measureEleventyPeer(
  work: string,
  articlesDir: string,
  cold: { wallMs: number; error?: string | undefined },
  options: BenchOptions,
): Promise<PeerResult> {
  const peer = { projectRoot, articlesDir, outputDir: path.join(work, "eleventy-peer"), pagefind: pagefindBinary(projectRoot) };
  const build = await buildEleventyPeer(peer, options, (what, run) =>
    failureReason(`${what} (the Eleventy peer)`, run, options.memoryCapBytes),
  );
  logPeer(ELEVENTY_PEER_NAME, "eleventy", "cold", build, options);
  // Its output is not needed again, and is as large as a site.
  await rm(peer.outputDir, { recursive: true, force: true });
  return {
    name: ELEVENTY_PEER_NAME,
    version: await eleventyVersion(projectRoot),
    cold: build,
    ratio: ratioOf({ value: cold.wallMs, error: cold.error }, { value: build.wallMs, error: build.error }),
  };
}

/** Builds and measures one size. */
async function benchSize(
  articles: number,
  options: BenchOptions,
  peerPlan: PeerPlan | undefined,
): Promise<Omit<SizeResult, "floorRatio" | "msPerArticle" | "growth">> {
  const { log } = options;
  const root = benchArchiveRoot(articles, options.seed, options.cacheDir);
  const generateStart = performance.now();
  const { manifest, reused } = await ensureArchive(root, { articles, seed: options.seed });
  const generateMs = reused ? 0 : performance.now() - generateStart;
  log(`${articles} articles: ${reused ? "reusing" : `generated in ${(generateMs / 1000).toFixed(1)} s,`} ${root}`);
  const layout = archiveLayout(root);

  const work = await mkdtemp(path.join(os.tmpdir(), "broadsheet-bench-run-"));
  try {
    // Every build of this size reads copies (the edit cycle changes them) and shares one fresh cache and output folder.
    const workspace = await createWorkspace(work, layout, projectRoot);
    await warmTranspileCache(workspace.projectDir);
    const place: BuildPlace = { workspace, work, site: path.join(work, "site"), cacheDir: path.join(work, "cache") };
    const site = place.site;
    const loadBefore = os.loadavg()[0] ?? 0;
    const cold = await measureBuild(place, "cold", `the build of ${articles} articles`, options);
    const { run: build, phases, counts, error: buildError } = cold;
    const loadAfter = os.loadavg()[0] ?? 0;
    const output = existsSync(site) ? await folderSize(site) : { bytes: 0, files: 0 };
    log(
      `  build ${buildError ? "FAILED after " : ""}${(build.wallMs / 1000).toFixed(1)} s (cpu ${((build.cpuMs ?? 0) / 1000).toFixed(1)} s), ${counts["render/write"] ?? 0} pages, peak ${mb(build.peakTreeRssBytes)} MB, load ${loadBefore.toFixed(1)}→${loadAfter.toFixed(1)}`,
    );
    if (buildError) log(`  ${buildError.replace(/\n/g, "\n  ")}`);

    const search =
      !buildError && options.search && articles >= SEARCH_PAYLOAD_MIN_ARTICLES
        ? await measureSearch(site, searchWord(generateDirectory(options.seed)))
        : undefined;
    if (search) log(`  search payload measured for "${String(search.query)}"`);

    await settleDisk();
    const floorRun = await runMeasured(
      process.execPath,
      ["--import", "tsx", "scripts/bench/floor-cli.ts", layout.articlesDir, path.join(work, "floor")],
      {
        cwd: projectRoot,
        env: process.env,
        memoryCapBytes: options.memoryCapBytes,
        timeLimitMs: options.timeLimitMs,
      },
    );
    const floorError =
      floorRun.exitCode === 0 ? undefined : failureReason(`the floor run of ${articles} articles`, floorRun, options.memoryCapBytes);
    const floorResult = floorError ? undefined : (JSON.parse(floorRun.stdout.trim().split("\n").at(-1) ?? "") as FloorResult);
    log(
      floorResult
        ? `  floor ${(floorResult.totalMs / 1000).toFixed(1)} s, peak ${mb(floorRun.peakTreeRssBytes)} MB`
        : `  ${floorError ?? ""}`,
    );

    // The peers read the same copy of the archive, before any edit.
    let peer: PeerResult | undefined;
    let hugo: HugoPeer | undefined;
    if (peerPlan !== undefined && "skipped" in peerPlan) peer = { name: PEER_NAME, version: null, skipped: peerPlan.skipped };
    else if (peerPlan !== undefined) {
      hugo = await prepareHugoPeer(work, projectRoot, workspace.articlesDir);
      const peerCold = await measurePeer(hugo, "cold", options);
      peer = {
        name: PEER_NAME,
        version: peerPlan.version,
        cold: peerCold,
        ratio: ratioOf({ value: build.wallMs, error: buildError }, { value: peerCold.wallMs, error: peerCold.error }),
      };
    }

    const eleventyPeer =
      peerPlan === undefined
        ? undefined
        : await measureEleventyPeer(work, workspace.articlesDir, { wallMs: build.wallMs, error: buildError }, options);

    const edits = options.edits && !buildError ? await editCycle(place, cold, hugo, articles, options) : undefined;

    return {
      articles,
      seed: options.seed,
      pages: counts["render/write"] ?? 0,
      wallMs: build.wallMs,
      cpuMs: build.cpuMs,
      phases,
      counts,
      peakRssBytes: build.peakTreeRssBytes,
      peakProcessRssBytes: build.peakProcessRssBytes,
      outputBytes: output.bytes,
      outputFiles: output.files,
      floor: floorResult
        ? {
            ms: floorResult.totalMs,
            readMs: floorResult.readMs,
            markdownMs: floorResult.markdownMs,
            pagefindMs: floorResult.pagefindMs,
            pagefindWriteMs: floorResult.pagefindWriteMs,
            wallMs: floorRun.wallMs,
            cpuMs: floorRun.cpuMs,
            peakRssBytes: floorRun.peakTreeRssBytes,
          }
        : null,
      search,
      eleventyBenchmarks: `${build.stdout}\n${build.stderr}`
        .split("\n")
        .filter((line) => line.includes("Benchmark"))
        .map((line) => line.trim()),
      archive: { reused, generateMs, words: manifest.words, images: manifest.images },
      load: { before: loadBefore, after: loadAfter },
      measuredAt: new Date().toISOString(),
      error: buildError || floorError ? [buildError, floorError].filter(Boolean).join("\n") : undefined,
      edits,
      peer,
      eleventyPeer,
    };
  } finally {
    if (options.keep) log(`  kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

/**
 * The newsroom edit cycle (issue 10): each step of scripts/bench/edits.ts applied on top of the previous ones, each
 * followed by a warm build with the cold build's cache and output folder. The peer, when measured, rebuilds after the
 * first step only: it has no incremental build, so its later rebuilds would repeat the same full build.
 */
async function editCycle(
  place: BuildPlace,
  cold: MeasuredBuild,
  hugo: HugoPeer | undefined,
  articles: number,
  options: BenchOptions,
): Promise<EditResult[]> {
  const picked = pickEditTargets(await datedArticles(place.workspace.articlesDir));
  const targets = { articlesDir: place.workspace.articlesDir, projectDir: place.workspace.projectDir, seed: options.seed };
  const edits: EditResult[] = [];
  for (const step of EDIT_STEPS) {
    const { change, file } = await applyEdit(step, targets, picked);
    const warm = await measureBuild(place, step, `the warm build of ${articles} articles after "${step}"`, options);
    const pages = warm.counts["render/write"] ?? 0;
    const indexed = warm.counts["search index"] ?? 0;
    // The build's clean-up runs after its site is live (see runBuild).
    const cleanUpMs = warm.phases["clean-up"];
    const liveMs = cleanUpMs === undefined || warm.error ? undefined : warm.run.wallMs - cleanUpMs;
    options.log(
      `  ${step}: ${warm.error ? "FAILED after " : ""}${(warm.run.wallMs / 1000).toFixed(1)} s${liveMs === undefined ? "" : ` (live after ${(liveMs / 1000).toFixed(1)} s)`}, ${pages} pages rendered, ${indexed} indexed, peak ${mb(warm.run.peakTreeRssBytes)} MB (${change}: ${file})`,
    );
    if (warm.error) options.log(`  ${warm.error.replace(/\n/g, "\n  ")}`);
    const peer = hugo !== undefined && step === "edit" ? await measurePeer(hugo, step, options) : undefined;
    const broadsheet = { value: warm.run.wallMs, error: warm.error };
    edits.push({
      step,
      change,
      file,
      wallMs: warm.run.wallMs,
      liveMs,
      cpuMs: warm.run.cpuMs,
      peakRssBytes: warm.run.peakTreeRssBytes,
      pages,
      indexed,
      coldRatio: ratioOf(broadsheet, { value: cold.run.wallMs, error: cold.error }),
      coldPeakRatio: ratioOf(
        { value: warm.run.peakTreeRssBytes, error: warm.error },
        { value: cold.run.peakTreeRssBytes, error: cold.error },
      ),
      peer,
      peerRatio: peer ? ratioOf(broadsheet, { value: peer.wallMs, error: peer.error }) : undefined,
      error: warm.error,
    });
    // Each step builds on the previous ones: after a failed build the rest would measure a broken state.
    if (warm.error) break;
  }
  return edits;
}

/** Runs every size in turn (smallest first), prints the table and writes the JSON and the chart. */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const sizes = [...new Set(options.sizes)].sort((a, b) => a - b);
  let peerPlan: PeerPlan | undefined;
  if (options.peers) {
    const version = await hugoVersion();
    peerPlan = version === undefined ? { skipped: "hugo is not on the PATH" } : { version };
    options.log(
      version === undefined
        ? `${PEER_NAME}: hugo is not on the PATH, skipping this peer (the Eleventy peer still runs)`
        : `${PEER_NAME}: ${version}`,
    );
  }
  const measured: Omit<SizeResult, "floorRatio" | "msPerArticle" | "growth">[] = [];
  for (const size of sizes) measured.push(await benchSize(size, options, peerPlan));
  const earlier =
    options.merge && existsSync(options.jsonFile) ? (JSON.parse(await readFile(options.jsonFile, "utf8")) as BenchResults).results : [];
  const results = mergeResults(earlier, withDerived(measured));
  const failed = results.filter((result) => result.error !== undefined);
  const bench: BenchResults = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}` },
    command: `npm run bench -- --articles ${sizes.join(",")} --seed ${options.seed}${options.merge ? " --merge" : ""}${options.edits ? "" : " --no-edits"}${options.peers ? " --peers" : ""}${options.cpuProfDir ? " --cpu-prof" : ""}`,
    results,
  };
  options.log("");
  options.log(formatTable(TABLE_COLUMNS, tableRows(results)));
  const edits = editRows(results);
  if (edits.length > 0) {
    options.log("");
    options.log("Edit cycle (warm builds, same cache and output folder as the cold build):");
    options.log(formatTable(EDIT_COLUMNS, edits));
  }
  const peers = peerRows(results);
  if (peers.length > 0) {
    options.log("");
    options.log(`Broadsheet and its peers, measured in this run:`);
    options.log(formatTable(PEER_COLUMNS, peers));
  }
  const search = searchRows(results);
  if (search.rows.length > 0) {
    options.log("");
    options.log(formatTable(search.header, search.rows));
  }
  await mkdir(path.dirname(options.jsonFile), { recursive: true });
  await writeFile(options.jsonFile, `${JSON.stringify(bench, null, 2)}\n`);
  await mkdir(path.dirname(options.svgFile), { recursive: true });
  await writeFile(options.svgFile, renderScalingChart(results));
  options.log("");
  options.log(`results: ${path.relative(process.cwd(), options.jsonFile)}, chart: ${path.relative(process.cwd(), options.svgFile)}`);
  if (failed.length > 0)
    options.log(`failed: ${failed.map((result) => `${result.articles} articles`).join(", ")} (see "error" in the results)`);
  return bench;
}
