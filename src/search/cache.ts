// The search bundle cache: a Pagefind bundle is kept, under a hash of everything its files depend on, in the build
// cache (`<cacheDir>/search/`), so a build whose pages of a bundle are unchanged links the kept files into the output
// instead of running Pagefind again. Pagefind writes the same bytes for the same pages (measured: two builds with an
// empty cache give byte-identical bundles), so a warm build's output equals a cold one's.
//
// Layout: `entries/<key>/` are complete bundles, only ever made by renaming a finished folder from `tmp/` (so a killed
// build never leaves a half-written entry that looks complete), and removed by renaming them back into `tmp/` first
// (so a build linking from an entry sees all of it or none of it); `builds.json` names the last build's keys.
// Entries used by neither this build nor the previous one are removed, so the cache holds at most two builds' bundles.
//
// Output files are hard links to the cache's (copies across filesystems): nothing may edit the output in place.
// A bundle folder is made the kept entry's mirror (files that are already its links stay, all else goes) or removed
// before Pagefind fills it, so an in-place rebuild (`npm start`) never writes into a link.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { type TreeListing, exists, linkTree, mirrorTree, removeTreesApart } from "../shared/fs.ts";
import { sha256 } from "../shared/hash.ts";
import { INDEX_CHUNK_SIZE } from "./pagefind.ts";
import { type SearchShard, articlePagesOf } from "./shards.ts";

/** Bumped when how bundles are written changes in a way the key does not see (Pagefind's options, the files kept). */
const CACHE_FORMAT = 2;

/**
 * The record an entry keeps of its own files (`{ dev, files: [[path, inode], …] }`), made before the entry is renamed
 * into place, so it is never without one and never outlives it. A restore compares it with a listing of the bundle
 * folder instead of looking at every file of the entry again: 200,000 files at 100,000 articles. Pagefind never writes
 * a file of this name; it is not one of the entry's files, and is never linked into the output.
 */
const FILES_RECORD = ".broadsheet-files.json";

/** The shape of {@link FILES_RECORD}. */
interface FilesRecord {
  dev: number;
  files: [string, number][];
}

/** The listing of an entry from its record (see {@link FILES_RECORD}). */
async function entryListing(entry: string): Promise<TreeListing> {
  const record = JSON.parse(await readFile(path.join(entry, FILES_RECORD), "utf8")) as FilesRecord;
  const files = new Map(record.files.map(([file, ino]) => [file, { dev: record.dev, ino }] as const));
  const folders = new Set<string>();
  for (const file of files.keys()) {
    for (let folder = path.dirname(file); folder !== "." && !folders.has(folder); folder = path.dirname(folder)) folders.add(folder);
  }
  return { files, folders: [...folders] };
}

/** Leftovers in `tmp/` older than this are from a killed build and are removed; younger ones may be another build's. */
const STALE_TMP_MS = 60 * 60 * 1000;

/** The installed Pagefind's version, read once: its output changes between versions. */
let pagefindVersion: Promise<string> | undefined;
function installedPagefindVersion(): Promise<string> {
  pagefindVersion ??= readFile(new URL("../package.json", import.meta.resolve("pagefind")), "utf8").then((text) => {
    const { version } = JSON.parse(text) as { version?: unknown };
    if (typeof version !== "string") throw new Error("search cache: Pagefind's package.json names no version");
    return version;
  });
  return pagefindVersion;
}

/** Whether `error` is a Node system error with one of `codes`. */
function hasCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? "");
}

/**
 * The cache key of `shard`'s bundle: a sha256 of the cache format, the Pagefind version and index chunk size, the language, the bundle URL
 * and, for every page its globs match in `outputDir` (the pages Pagefind reads, sorted by relative path, see
 * `articlePagesOf`), the path and what stands for what Pagefind reads of it: the page's search key where `searchKeys`
 * (URL → key, from the build's page cache, which wrote the page) has one, as the same key always gives the same indexed
 * text, metadata and filters, and otherwise the sha256 of the page's bytes as written.
 */
export async function bundleKey(
  shard: SearchShard,
  outputDir: string,
  language: string,
  searchKeys: ReadonlyMap<string, string> = new Map(),
): Promise<string> {
  const pages = await articlePagesOf(outputDir, shard.globs);
  const hash = createHash("sha256").update(
    JSON.stringify({
      format: CACHE_FORMAT,
      pagefind: await installedPagefindVersion(),
      chunkSize: INDEX_CHUNK_SIZE,
      language,
      bundle: shard.bundle,
    }),
  );
  for (const page of pages) {
    const key = searchKeys.get(`/${page.replace(/index\.html$/, "")}`);
    if (key !== undefined) {
      hash.update(`\n${page}\0search:${key}`);
      continue;
    }
    // A folder without a page of its own is none Pagefind reads.
    const bytes = await readFile(path.join(outputDir, page)).catch((error: unknown) => {
      if (hasCode(error, "ENOENT")) return undefined;
      throw error;
    });
    if (bytes !== undefined) hash.update(`\n${page}\0bytes:${sha256(bytes)}`);
  }
  return hash.digest("hex");
}

/** The search bundle cache in one folder (see the module comment). */
export class BundleCache {
  readonly #entries: string;
  readonly #tmp: string;
  readonly #record: string;
  /** The removal {@link prune} started, if any. */
  #removing: Promise<void> = Promise.resolve();

  /** `dir` is the cache's own folder, e.g. `<cacheDir>/search`; it is made when first written. */
  constructor(readonly dir: string) {
    this.#entries = path.join(dir, "entries");
    this.#tmp = path.join(dir, "tmp");
    this.#record = path.join(dir, "builds.json");
  }

  /** A fresh, uniquely named folder in `tmp/`, on the same filesystem as the entries so renames are atomic. */
  async #tmpDir(label: string): Promise<string> {
    await mkdir(this.#tmp, { recursive: true });
    return path.join(this.#tmp, `${label}-${randomUUID()}`);
  }

  /**
   * Links the bundle kept under `key` into `bundleDir` (replacing whatever is there, but keeping its files that are
   * already links of the kept ones: a build started from the site it replaced, see `pruneStaging`) and returns true,
   * or returns false, leaving `bundleDir` absent, when the cache has no such bundle (or another build removed it
   * meanwhile). `present` is what `bundleDir` holds, where the caller has listed it.
   */
  async restore(key: string, bundleDir: string, present?: TreeListing): Promise<boolean> {
    const entry = path.join(this.#entries, key);
    if (!(await exists(entry))) {
      await rm(bundleDir, { recursive: true, force: true });
      return false;
    }
    try {
      await mirrorTree(entry, bundleDir, { from: await entryListing(entry), ...(present && { to: present }) });
      return true;
    } catch (error) {
      if (!hasCode(error, "ENOENT")) throw error;
      // Not kept, or removed by a concurrent build while it was being linked: the caller builds it.
      await rm(bundleDir, { recursive: true, force: true });
      return false;
    }
  }

  /** Keeps the finished bundle in `bundleDir` under `key`: linked into `tmp/`, then renamed into place whole. */
  async store(key: string, bundleDir: string): Promise<void> {
    const staging = await this.#tmpDir(key);
    const { files } = await linkTree(bundleDir, staging);
    const record: FilesRecord = { dev: 0, files: [] };
    for (const [file, { dev, ino }] of files) {
      record.dev = dev;
      record.files.push([file, ino]);
    }
    await writeFile(path.join(staging, FILES_RECORD), JSON.stringify(record));
    await mkdir(this.#entries, { recursive: true });
    try {
      await rename(staging, path.join(this.#entries, key));
    } catch (error) {
      // Another build kept the same bundle first; it has the same bytes.
      if (!hasCode(error, "ENOTEMPTY", "EEXIST")) throw error;
      await rm(staging, { recursive: true, force: true });
    }
  }

  /**
   * Records `keys` as this build's and takes out every entry used by neither this build nor the previous one (renamed
   * into `tmp/`, so no build finds it any more), and starts removing them, with what killed builds left in `tmp/`, in
   * a child process: see {@link removal}. Returns the keys taken out.
   */
  async prune(keys: readonly string[]): Promise<string[]> {
    const previous = await this.#previousKeys();
    const record = await this.#tmpDir("builds");
    await writeFile(record, `${JSON.stringify({ keys: [...new Set(keys)].sort() })}\n`);
    await rename(record, this.#record);

    const keep = new Set([...keys, ...previous]);
    const unused = (await this.#list(this.#entries)).filter((key) => !keep.has(key));
    const now = Date.now();
    // Listed before the entries are taken out, so that only leftovers of other builds are looked at.
    const leftovers = await this.#list(this.#tmp);
    const trash: string[] = [];
    await Promise.all(
      unused.map(async (key) => {
        const taken = await this.#tmpDir(`removed-${key}`);
        try {
          await rename(path.join(this.#entries, key), taken);
          trash.push(taken);
        } catch (error) {
          // A concurrent build removed it first.
          if (!hasCode(error, "ENOENT")) throw error;
        }
      }),
    );
    await Promise.all(
      leftovers.map(async (name) => {
        const leftover = path.join(this.#tmp, name);
        try {
          // ctime, not mtime: renaming a folder into `tmp/` updates only its ctime.
          if (now - (await stat(leftover)).ctimeMs > STALE_TMP_MS) trash.push(leftover);
        } catch (error) {
          // A concurrent build removed it first.
          if (!hasCode(error, "ENOENT")) throw error;
        }
      }),
    );
    // A bundle's files are the last links of their blocks once its sites are gone, and freeing them waits on the disk
    // (about 150 µs a file here: 14 s for the twelve bundles of a 100,000-article site), so the build does not wait for
    // it before it publishes; it waits for removal() before it exits. A removal already running goes on beside.
    const removing = this.#removing;
    const removed = removeTreesApart(trash.sort());
    this.#removing = Promise.all([removing, removed]).then(() => undefined);
    // Awaited by removal(); until then a failure must not count as unhandled.
    this.#removing.catch(() => undefined);
    return unused;
  }

  /** Resolves once the removals {@link prune} started are over (rejects if one failed). */
  removal(): Promise<void> {
    return this.#removing;
  }

  /** The keys the previous build recorded; none before the first build. */
  async #previousKeys(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.#record, "utf8");
    } catch (error) {
      if (hasCode(error, "ENOENT")) return [];
      throw error;
    }
    const { keys } = JSON.parse(text) as { keys?: unknown };
    if (!Array.isArray(keys) || !keys.every((key) => typeof key === "string"))
      throw new Error(`search cache: ${this.#record} is not a list of keys; delete it`);
    return keys;
  }

  /** The names in `dir`; none if it does not exist yet. */
  async #list(dir: string): Promise<string[]> {
    try {
      return await readdir(dir);
    } catch (error) {
      if (hasCode(error, "ENOENT")) return [];
      throw error;
    }
  }
}
