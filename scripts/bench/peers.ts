// The bench's peers (`npm run bench -- --peers`, issue 11): the same generated archive built by Hugo with a minimal
// layout set (scripts/bench/hugo/), then indexed by the Pagefind CLI — the usual way to give a Hugo site search — and
// built by a minimal Eleventy 3 site (scripts/bench/eleventy/), indexed the same way: what the engine Broadsheet is
// built on costs for the same archive, measured in the same run.
//
// Hugo reads the generator's markdown as it is: YAML front matter with `title`, `date`, `draft` of its own, `updated`
// mapped to its lastmod and `topics` declared as a taxonomy in hugo.toml; the other fields (dek, authors, section,
// image) are page parameters the layouts print. No conversion step is needed, so none is timed.
import { execFile } from "node:child_process";
import { cp, mkdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { type MeasuredRun, runMeasured, settleDisk } from "./measure.ts";

/** The name the report gives the Hugo peer. */
export const PEER_NAME = "Hugo + Pagefind";

/** The name the report gives the Eleventy peer. */
export const ELEVENTY_PEER_NAME = "minimal Eleventy + Pagefind";

/** One build of a peer: its site generator (Hugo or Eleventy), then Pagefind on its output, one after the other. */
export interface PeerBuild {
  /** The generator's wall time plus Pagefind's. */
  wallMs: number;
  /** The generator's wall time. */
  siteMs: number;
  pagefindMs: number;
  /** CPU time of both, or null without /proc. */
  cpuMs: number | null;
  /** The higher of the two peaks: they never run at once. */
  peakRssBytes: number | null;
  /** Pages the generator rendered (Hugo's "Pages" plus "Paginator pages"; the files Eleventy says it wrote). */
  pages: number | null;
  /** Pages Pagefind indexed. */
  indexed: number | null;
  error?: string | undefined;
}

/** A number from a line of Hugo's build summary table (`  Pages            | 1544  `); undefined if absent. */
export function hugoStat(stdout: string, label: string): number | undefined {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`^\\s*${escaped}\\s*\\|\\s*(\\d+)`, "m").exec(stdout);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Pages Hugo rendered, from its summary: regular and list pages plus the extra pages of paginated lists. */
export function hugoPages(stdout: string): number | null {
  const pages = hugoStat(stdout, "Pages");
  return pages === undefined ? null : pages + (hugoStat(stdout, "Paginator pages") ?? 0);
}

/** Files Eleventy wrote, from its summary (`[11ty] Copied 9 Wrote 1704 files in 2.55 seconds`); null if absent. */
export function eleventyPages(output: string): number | null {
  const match = /Wrote (\d+) files?/.exec(output);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** Pages the Pagefind CLI indexed, from its summary (`Indexed 1000 pages`); null if absent. */
export function pagefindIndexed(stdout: string): number | null {
  const match = /Indexed (\d+) pages?/.exec(stdout);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/**
 * The two runs of one peer build as one figure: times and CPU add up, peaks do not (the runs are sequential). `pages`
 * is what the generator said it rendered.
 */
export function combinePeerRuns(
  site: Pick<MeasuredRun, "wallMs" | "cpuMs" | "peakTreeRssBytes">,
  pages: number | null,
  pagefind: Pick<MeasuredRun, "wallMs" | "cpuMs" | "peakTreeRssBytes" | "stdout"> | undefined,
  error?: string,
): PeerBuild {
  const cpu = [site.cpuMs, pagefind?.cpuMs].filter((ms) => ms !== undefined);
  const peaks = [site.peakTreeRssBytes, pagefind?.peakTreeRssBytes].filter((bytes) => bytes !== undefined);
  return {
    wallMs: site.wallMs + (pagefind?.wallMs ?? 0),
    siteMs: site.wallMs,
    pagefindMs: pagefind?.wallMs ?? 0,
    cpuMs: cpu.includes(null) ? null : (cpu as number[]).reduce((sum, ms) => sum + ms, 0),
    peakRssBytes: peaks.includes(null) ? null : Math.max(...(peaks as number[])),
    pages,
    indexed: pagefind ? pagefindIndexed(pagefind.stdout) : null,
    error,
  };
}

/** Hugo's version line, or undefined when there is no `hugo` on the PATH. */
export async function hugoVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)("hugo", ["version"]);
    return stdout.trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * The Pagefind binary the `pagefind` npm package runs (its CLI wrapper and its Node API both start it), found as the
 * package finds it: `PAGEFIND_BINARY_PATH`, else the extended or plain binary of this platform's `@pagefind/*` package.
 */
export function pagefindBinary(projectRoot: string): string {
  const fromEnv = process.env.PAGEFIND_EXTENDED_BINARY_PATH ?? process.env.PAGEFIND_BINARY_PATH;
  if (fromEnv) return fromEnv;
  const require = createRequire(path.join(projectRoot, "node_modules/pagefind/package.json"));
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const suffix = platform === "windows" ? ".exe" : "";
  const tried: string[] = [];
  for (const name of ["pagefind_extended", "pagefind"]) {
    const request = `@pagefind/${platform}-${process.arch}/bin/${name}${suffix}`;
    try {
      return require.resolve(request);
    } catch (error) {
      // Either binary will do; say which were looked for if neither is there.
      tried.push(`${request} (${(error as Error).message.split("\n")[0] ?? ""})`);
    }
  }
  throw new Error(`no Pagefind binary found: ${tried.join("; ")}`);
}

/** The peer's folders in a size's workspace. */
export interface HugoPeer {
  /** Hugo's project folder: a copy of scripts/bench/hugo/ plus the project's stylesheet. */
  siteDir: string;
  /** The archive's articles folder, Hugo's content folder. */
  contentDir: string;
  outputDir: string;
  cacheDir: string;
  pagefind: string;
}

/**
 * Sets up the peer in `work`: a copy of the layouts (so the peer's stylesheet could be changed like Broadsheet's) with
 * the project's stylesheet, so both sites publish the same CSS.
 */
export async function prepareHugoPeer(work: string, projectRoot: string, contentDir: string): Promise<HugoPeer> {
  const peer: HugoPeer = {
    siteDir: path.join(work, "hugo", "site"),
    contentDir,
    outputDir: path.join(work, "hugo", "public"),
    cacheDir: path.join(work, "hugo", "cache"),
    pagefind: pagefindBinary(projectRoot),
  };
  await cp(path.join(projectRoot, "scripts/bench/hugo"), peer.siteDir, { recursive: true });
  await mkdir(path.join(peer.siteDir, "assets/css"), { recursive: true });
  await cp(path.join(projectRoot, "_includes/css/site.css"), path.join(peer.siteDir, "assets/css/site.css"));
  return peer;
}

/**
 * Builds the peer from scratch: Hugo has no incremental build, so every build is a full one into a cleaned output
 * folder, and the Pagefind CLI then indexes all of it again.
 */
export async function buildHugoPeer(
  peer: HugoPeer,
  limits: { memoryCapBytes: number; timeLimitMs?: number | undefined },
  describeFailure: (what: string, run: MeasuredRun) => string,
): Promise<PeerBuild> {
  await settleDisk();
  const hugo = await runMeasured(
    "hugo",
    [
      "--source",
      peer.siteDir,
      "--contentDir",
      peer.contentDir,
      "--destination",
      peer.outputDir,
      "--cacheDir",
      peer.cacheDir,
      "--cleanDestinationDir",
    ],
    { cwd: peer.siteDir, env: process.env, ...limits },
  );
  const pages = hugoPages(hugo.stdout);
  if (hugo.exitCode !== 0) return combinePeerRuns(hugo, pages, undefined, describeFailure("hugo", hugo));
  const pagefind = await runMeasured(peer.pagefind, ["--site", peer.outputDir], { cwd: peer.siteDir, env: process.env, ...limits });
  return combinePeerRuns(hugo, pages, pagefind, pagefind.exitCode === 0 ? undefined : describeFailure("pagefind", pagefind));
}

/** The Eleventy peer's folders in a size's workspace. */
export interface EleventyPeer {
  /** The project, whose scripts/bench/eleventy/ the peer runs. */
  projectRoot: string;
  /** The archive's articles folder, Eleventy's input. */
  articlesDir: string;
  outputDir: string;
  pagefind: string;
}

/** Eleventy's version, from the package the project installed. */
export async function eleventyVersion(projectRoot: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(projectRoot, "node_modules/@11ty/eleventy/package.json"), "utf8")) as {
    version: string;
  };
  return `Eleventy ${manifest.version}`;
}

/**
 * Builds the Eleventy peer from scratch into an emptied output folder (Eleventy keeps nothing between runs outside
 * `--serve`), then indexes all of it with the Pagefind CLI, as the Hugo peer is.
 */
export async function buildEleventyPeer(
  peer: EleventyPeer,
  limits: { memoryCapBytes: number; timeLimitMs?: number | undefined },
  describeFailure: (what: string, run: MeasuredRun) => string,
): Promise<PeerBuild> {
  await rm(peer.outputDir, { recursive: true, force: true });
  await settleDisk();
  const eleventy = await runMeasured(
    process.execPath,
    ["--import", "tsx", "scripts/bench/eleventy/build.ts", peer.articlesDir, peer.outputDir],
    { cwd: peer.projectRoot, env: process.env, ...limits },
  );
  const pages = eleventyPages(`${eleventy.stdout}\n${eleventy.stderr}`);
  if (eleventy.exitCode !== 0) return combinePeerRuns(eleventy, pages, undefined, describeFailure("eleventy", eleventy));
  const pagefind = await runMeasured(peer.pagefind, ["--site", peer.outputDir], { cwd: peer.projectRoot, env: process.env, ...limits });
  return combinePeerRuns(eleventy, pages, pagefind, pagefind.exitCode === 0 ? undefined : describeFailure("pagefind", pagefind));
}
