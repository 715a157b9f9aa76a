// The search bundle cache: a Pagefind bundle is kept, under a hash of everything its files depend on, in the build
// cache (`<cacheDir>/search/`), so a build whose pages of a bundle are unchanged links the kept files into the output
// instead of running Pagefind again. Pagefind writes the same bytes for the same pages (measured: two builds with an
// empty cache give byte-identical bundles), so a warm build's output equals a cold one's.
//
// Layout: `entries/<key>/` are complete bundles, only ever made by renaming a finished folder from `tmp/` (so a killed
// build never leaves a half-written entry that looks complete), and removed by renaming them back into `tmp/` first
// (so a build linking from an entry sees all of it or none of it); `builds.json` names the last build's keys, and each
// bundle URL's.
// Entries used by neither this build nor the previous one are removed, so the cache holds at most two builds' bundles.
//
// Output files are hard links to the cache's (copies across filesystems): nothing may edit the output in place.
// A bundle folder is made the kept entry's mirror (files that are already its links stay, all else goes) before it is
// served, or, before Pagefind fills it, left holding only the previous build's fragments of its unchanged pages, which
// Pagefind does not write again (`seed`), or emptied: so an in-place rebuild (`npm start`) never writes into a link.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { type FileIdentity, type TreeListing, exists, linkTree, mirrorTree, removeTreesApart } from "../shared/fs.ts";
import { sha256 } from "../shared/hash.ts";
import { readFragment, referencedFragments } from "./output.ts";
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

/**
 * The record an entry keeps of its pages for {@link BundleCache.seed}: a file of its own, as a restore reads only the
 * files record.
 */
const PAGES_RECORD = ".broadsheet-pages.json";

/** The shape of {@link PAGES_RECORD}. */
interface PagesRecord {
  /** What each page stood for when the bundle was indexed (`[url, input]`, see {@link BundleInputs.pages}). */
  pages: [string, string][];
  /**
   * Each fragment file's page (`[name, url]`), where the build that kept the bundle knew it without reading every
   * fragment: one written over seeded fragments (see {@link settleSeededFragments}).
   */
  fragments?: [string, string][];
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

/** `builds.json`: the keys of a build's bundles, and each bundle URL's key. */
interface BuildRecord {
  keys: string[];
  bundles: Record<string, string>;
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
  return (await bundleInputs(shard, outputDir, language, searchKeys)).key;
}

/** A bundle's cache key, and what each of its pages stood for in it. */
export interface BundleInputs {
  /** See {@link bundleKey}. */
  key: string;
  /** Page URL (`/2013/08/04/slug/`, as Pagefind's fragments name it) → what the key hashed for that page. */
  pages: Map<string, string>;
}

/** {@link bundleKey} of `shard`, with what each page stood for in it. */
export async function bundleInputs(
  shard: SearchShard,
  outputDir: string,
  language: string,
  searchKeys: ReadonlyMap<string, string> = new Map(),
  /** The bundle's pages as {@link articlePagesOf} lists them, where the build knows them from its plan. */
  planned?: readonly string[],
): Promise<BundleInputs> {
  const pages = planned ?? (await articlePagesOf(outputDir, shard.globs));
  const inputs = new Map<string, string>();
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
    const url = `/${page.replace(/index\.html$/, "")}`;
    const key = searchKeys.get(url);
    // A folder without a page of its own is none Pagefind reads.
    const bytes =
      key === undefined
        ? await readFile(path.join(outputDir, page)).catch((error: unknown) => {
            if (hasCode(error, "ENOENT")) return undefined;
            throw error;
          })
        : undefined;
    const input = key !== undefined ? `search:${key}` : bytes !== undefined ? `bytes:${sha256(bytes)}` : undefined;
    if (input === undefined) continue;
    hash.update(`\n${page}\0${input}`);
    inputs.set(url, input);
  }
  return { key: hash.digest("hex"), pages: inputs };
}

/** The fragments {@link BundleCache.seed} put into a bundle folder before Pagefind wrote it: file name in `fragment/` → page URL. */
export interface SeededFragments {
  names: ReadonlyMap<string, string>;
}

/**
 * Checks a bundle folder that Pagefind wrote over fragments {@link BundleCache.seed} put there, and returns each of its
 * fragments' page (file name → URL) if it is what Pagefind writes into an empty folder; undefined if not, and the
 * caller then indexes the bundle again into an empty folder. `pages` are the bundle's pages now, by URL.
 *
 * Every seeded fragment is that of a page whose input is unchanged, as Pagefind writes it today. Pagefind names a
 * fragment by a short hash of its content (`en_7d91eba`) and does not write one whose file is there already. So a
 * changed page whose new fragment's short hash were a seeded fragment's name would be served the seeded page's
 * fragment. Whether Pagefind then names both pages by that one file, or gives the seeded page's own fragment a longer
 * name and writes it, it shows: a fragment named twice, or a seeded page named by a fragment Pagefind wrote too. That
 * is what is checked, reading only the fragments Pagefind wrote (those of changed pages; about 50 µs each), each of
 * which must be of a page of the bundle. A seeded fragment the metadata does not name is not what an empty folder
 * would hold either.
 */
export async function settleSeededFragments(
  bundleDir: string,
  seeded: SeededFragments,
  pages: ReadonlyMap<string, string>,
): Promise<Map<string, string> | undefined> {
  const folder = path.join(bundleDir, "fragment");
  const named = await referencedFragments(bundleDir);
  const referenced = new Set(named);
  if (referenced.size !== named.length || [...seeded.names.keys()].some((name) => !referenced.has(name))) return undefined;
  const urls = new Set(seeded.names.values());
  const fragments = new Map(seeded.names);
  for (const name of referenced) {
    if (seeded.names.has(name)) continue;
    const { url } = readFragment(path.join(folder, name));
    if (urls.has(url) || !pages.has(url)) return undefined;
    urls.add(url);
    fragments.set(name, url);
  }
  return fragments;
}

/** The search bundle cache in one folder (see the module comment). */
export class BundleCache {
  readonly #entries: string;
  readonly #tmp: string;
  readonly #record: string;
  /** The removal {@link prune} started, if any. */
  #removing: Promise<void> = Promise.resolve();
  /** The previous build's record, once read. */
  #previous: Promise<BuildRecord> | undefined;

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
   * or returns false when the cache has no such bundle, leaving `bundleDir` as it was (see {@link seed}), or absent
   * where another build removed the bundle while it was being linked. `present` is what `bundleDir` holds, where the
   * caller has listed it.
   */
  async restore(key: string, bundleDir: string, present?: TreeListing): Promise<boolean> {
    const entry = path.join(this.#entries, key);
    if (!(await exists(entry))) return false;
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

  /**
   * Makes `bundleDir` hold only the fragments of the bundle the previous build had at the bundle URL `bundle`, as links
   * of the kept ones, for each page whose input is the same in `pages` (the bundle's pages now, see
   * {@link BundleInputs.pages}) as it was then; returns their names, or undefined, when there are none (a new bundle,
   * or new code: every page's input changed) or the bundle is no longer kept, and then `bundleDir` is for the caller
   * to clear. The folder is usually the previous bundle already (a build starts from the site it replaced): its
   * fragments that are links of the kept ones stay, and only the rest of it is removed (`mirrorTree`, with `present`,
   * what the caller listed in it), rather than all of it removed and the fragments linked again: at 100,000
   * articles, a sealed bundle of about 9,700 fragments.
   *
   * Pagefind then writes only the other pages' fragments: it does not write a fragment whose file is there already
   * (seen with `strace`: it looks at the file, and neither opens nor writes it). The Pagefind CLI on a bundle of 2,035
   * pages, one page removed, took 4.1–4.5 s into an empty folder (2.3–2.9 s of it system time, creating files) and
   * 2.8–3.0 s over the previous bundle's fragments. Its other files have fixed names and are written over, so only
   * fragments are seeded: a link written through would change the kept bundle and the published site. Only unchanged
   * pages' fragments are seeded, so none of a retracted or corrected article's text is there for the new bundle to
   * keep. See {@link settleSeededFragments} for the check once Pagefind has written the bundle.
   */
  async seed(
    bundle: string,
    bundleDir: string,
    pages: ReadonlyMap<string, string>,
    present?: TreeListing,
  ): Promise<SeededFragments | undefined> {
    const key = (await this.#previousBuild()).bundles[bundle];
    if (key === undefined) return undefined;
    const entry = path.join(this.#entries, key);
    try {
      const record = JSON.parse(await readFile(path.join(entry, PAGES_RECORD), "utf8")) as Partial<PagesRecord>;
      // Kept by other code: written the next time the bundle is.
      if (!Array.isArray(record.pages)) return undefined;
      const unchanged = new Set(record.pages.flatMap(([url, input]) => (pages.get(url) === input ? [url] : [])));
      if (unchanged.size === 0) return undefined;
      const kept = path.join(entry, "fragment");
      const known = record.fragments ?? (await readdir(kept)).map((name) => [name, readFragment(path.join(kept, name)).url] as const);
      const names = new Map(known.filter(([, url]) => unchanged.has(url)));
      const keptFiles = (await entryListing(entry)).files;
      const wanted = new Map<string, FileIdentity>();
      for (const name of names.keys()) {
        const file = `fragment/${name}`;
        const identity = keptFiles.get(file);
        // Not in the kept bundle's file record: written by Pagefind again.
        if (identity === undefined) names.delete(name);
        else wanted.set(file, identity);
      }
      await mirrorTree(entry, bundleDir, { from: { files: wanted, folders: ["fragment"] }, ...(present && { to: present }) });
      return { names };
    } catch (error) {
      // Kept without its records, or removed by a concurrent build while it was being read or linked (or the folder
      // changed since it was listed): Pagefind writes every fragment into the folder the caller clears.
      if (!hasCode(error, "ENOENT")) throw error;
      return undefined;
    }
  }

  /**
   * Keeps the finished bundle in `bundleDir` under `key`, with what each of its pages stood for (`pages`) and, where
   * known, each fragment's page (`fragments`), for {@link seed}: linked into `tmp/`, then renamed into place whole.
   */
  async store(key: string, bundleDir: string, pages?: ReadonlyMap<string, string>, fragments?: ReadonlyMap<string, string>): Promise<void> {
    const staging = await this.#tmpDir(key);
    const { files } = await linkTree(bundleDir, staging);
    const record: FilesRecord = { dev: 0, files: [] };
    for (const [file, { dev, ino }] of files) {
      record.dev = dev;
      record.files.push([file, ino]);
    }
    await writeFile(path.join(staging, FILES_RECORD), JSON.stringify(record));
    if (pages !== undefined) {
      const kept: PagesRecord = { pages: [...pages], ...(fragments && { fragments: [...fragments] }) };
      await writeFile(path.join(staging, PAGES_RECORD), JSON.stringify(kept));
    }
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
   * Records `keys` as this build's, with the key of each bundle URL in `bundles` (for the next build's {@link seed}),
   * and takes out every entry used by neither this build nor the previous one (renamed into `tmp/`, so no build finds
   * it any more), and starts removing them, with what killed builds left in `tmp/`, in a child process: see
   * {@link removal}. Returns the keys taken out.
   */
  async prune(keys: readonly string[], bundles: ReadonlyMap<string, string> = new Map()): Promise<string[]> {
    const previous = (await this.#previousBuild()).keys;
    const record = await this.#tmpDir("builds");
    const recorded: BuildRecord = {
      keys: [...new Set(keys)].sort(),
      bundles: Object.fromEntries([...bundles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    };
    await writeFile(record, `${JSON.stringify(recorded)}\n`);
    await rename(record, this.#record);
    // What a later build on this cache (`npm start`'s next rebuild) starts from.
    this.#previous = Promise.resolve(recorded);

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

  /**
   * The kept bundles the last build recorded, each bundle URL with its entry's folder, and the files of an entry that
   * are the cache's records of it, not files of the bundle.
   */
  async lastBundles(): Promise<{ bundles: { bundle: string; entry: string }[]; records: string[] }> {
    const { bundles } = await this.#previousBuild();
    return {
      bundles: Object.entries(bundles).map(([bundle, key]) => ({ bundle, entry: path.join(this.#entries, key) })),
      records: [FILES_RECORD, PAGES_RECORD],
    };
  }

  /** Resolves once the removals {@link prune} started are over (rejects if one failed). */
  removal(): Promise<void> {
    return this.#removing;
  }

  /** What the previous build recorded (read once: this build's own record replaces it at {@link prune}); empty before the first build. */
  #previousBuild(): Promise<BuildRecord> {
    this.#previous ??= (async () => {
      let text: string;
      try {
        text = await readFile(this.#record, "utf8");
      } catch (error) {
        if (hasCode(error, "ENOENT")) return { keys: [], bundles: {} };
        throw error;
      }
      const { keys, bundles = {} } = JSON.parse(text) as { keys?: unknown; bundles?: unknown };
      const strings = (values: unknown[]) => values.every((value) => typeof value === "string");
      if (!Array.isArray(keys) || !strings(keys) || typeof bundles !== "object" || bundles === null || !strings(Object.values(bundles)))
        throw new Error(`search cache: ${this.#record} is not a record of a build's bundles; delete it`);
      return { keys: keys as string[], bundles: bundles as Record<string, string> };
    })();
    return this.#previous;
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
