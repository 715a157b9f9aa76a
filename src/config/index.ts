// The one place that reads Broadsheet's settings: environment variables and the site settings of the data folder in use.
import { totalmem } from "node:os";
import path from "node:path";
import type { DateTime } from "luxon";
import type { SiteSettings } from "../../_data/site.ts";
import { buildTime } from "../articles/publication.ts";
import { searchShardSize } from "../search/index.ts";
import { importTypeScript } from "../shared/modules.ts";
import { sitemapUrlLimit } from "../sitemaps/index.ts";

/** Every setting of one build or preview, read once and handed to the plugins as typed options. */
export interface BroadsheetConfig {
  /** Folder everything else is relative to (the project root). */
  cwd: string;
  /** The articles folder (`ARTICLES_DIR`, default `articles`), relative to `cwd`. */
  input: string;
  /** The data folder (`DATA_DIR`, default `_data`), relative to `cwd`. */
  dataDir: string;
  /** The site settings: `site.ts` of the data folder in use. */
  site: SiteSettings;
  /** The moment this build publishes up to (`SOURCE_DATE_EPOCH`, else now). */
  now: DateTime;
  /** True for `npm start`: held-back articles get preview pages and broken permalinks only warn. */
  preview: boolean;
  /** The permalink manifest named by `PERMALINKS_MANIFEST`, if any. */
  manifest: string | undefined;
  /** Articles per sealed search bundle (`SEARCH_SHARD_SIZE`); the newest range is split into tenths of it. */
  searchShardSize: number;
  /** URLs per sitemap file (`SITEMAP_URL_LIMIT`). */
  sitemapUrlLimit: number;
  /**
   * The build cache (`BROADSHEET_CACHE`, default `.cache/broadsheet`, absolute): encoded pictures and search bundles,
   * reused by every build. Safe to delete; the one folder a CI should keep between runs.
   */
  cacheDir: string;
  /**
   * How many processes render a build's pages (`BROADSHEET_PROCESSES`); undefined: one per core when there are
   * enough pages to share and memory for each (see `src/build/parts.ts`).
   */
  renderProcesses: number | undefined;
  /**
   * Pages one Eleventy run renders (`BROADSHEET_PAGES_PER_RUN`, default {@link DEFAULT_PAGES_PER_RUN}): a process with
   * more renders them in several runs one after another, each handing its memory back before the next, so memory
   * follows this number rather than the archive's size (see `src/build/memory.ts`).
   */
  pagesPerRun: number;
  /**
   * Memory a build's processes may use together, in bytes (`BROADSHEET_MEMORY`, in MB; default half the machine's):
   * it sets how many processes render and index at once, and how far their heaps may grow (see `src/build/memory.ts`).
   */
  memoryBudget: number;
  /** File that phase timings are appended to (`BROADSHEET_TIMINGS`), for the bench. */
  timingsFile: string | undefined;
}

/** Where the settings come from; every field defaults to the running process's. */
export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  preview?: boolean;
}

/** A non-empty environment variable, or undefined. */
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** Reads a setting that is a whole number of at least 1 (`name` for the message), or unset. */
function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${name} must be a whole number of at least 1, not "${value}"`);
  return count;
}

/** Reads BROADSHEET_PROCESSES: a whole number of at least 1, or unset. */
export function processCount(value: string | undefined): number | undefined {
  return wholeNumber("BROADSHEET_PROCESSES", value);
}

/**
 * Reads BROADSHEET_MEMORY (megabytes, as Node's `--max-old-space-size`) into bytes; unset: half of `machine` (the
 * machine's memory), leaving the rest to the system and to what else runs beside the build.
 */
export function memoryBudget(value: string | undefined, machine: number = totalmem()): number {
  const megabytes = wholeNumber("BROADSHEET_MEMORY", value);
  return megabytes === undefined ? Math.floor(machine / 2) : megabytes * 2 ** 20;
}

/**
 * Pages an Eleventy run renders unless `BROADSHEET_PAGES_PER_RUN` says otherwise: at about 64 kB of heap a page, some
 * 640 MB, beside the archive's own.
 */
export const DEFAULT_PAGES_PER_RUN = 10_000;

/**
 * Reads every setting once. The site settings are imported from the data folder in use, so a fixture or
 * benchmark data folder with its own `site.ts` is honoured everywhere, and `SITE_URL` overrides the URL.
 */
export async function loadConfig(sources: ConfigSources = {}): Promise<BroadsheetConfig> {
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const input = setting(env, "ARTICLES_DIR") ?? "articles";
  const dataDir = setting(env, "DATA_DIR") ?? "_data";
  const siteModule = (await importTypeScript(path.resolve(cwd, dataDir, "site.ts"))) as { default: SiteSettings };
  const siteUrl = setting(env, "SITE_URL");
  const site: SiteSettings = { ...siteModule.default, ...(siteUrl !== undefined && { url: siteUrl.replace(/\/+$/, "") }) };
  return {
    cwd,
    input,
    dataDir,
    site,
    now: buildTime(env),
    preview: sources.preview ?? false,
    manifest: setting(env, "PERMALINKS_MANIFEST"),
    searchShardSize: searchShardSize(setting(env, "SEARCH_SHARD_SIZE")),
    sitemapUrlLimit: sitemapUrlLimit(setting(env, "SITEMAP_URL_LIMIT")),
    cacheDir: path.resolve(cwd, setting(env, "BROADSHEET_CACHE") ?? ".cache/broadsheet"),
    renderProcesses: processCount(setting(env, "BROADSHEET_PROCESSES")),
    pagesPerRun: wholeNumber("BROADSHEET_PAGES_PER_RUN", setting(env, "BROADSHEET_PAGES_PER_RUN")) ?? DEFAULT_PAGES_PER_RUN,
    memoryBudget: memoryBudget(setting(env, "BROADSHEET_MEMORY")),
    timingsFile: setting(env, "BROADSHEET_TIMINGS"),
  };
}
