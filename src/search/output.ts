// What of Pagefind's output the site publishes. Pagefind writes a full kit into every bundle folder: its search script
// and WebAssembly, a web worker, a highlighter and three UI bundles (~430 kB). The search page runs one Pagefind runtime
// for every bundle (`_includes/js/search-bundles.js`), on the page thread, with its own interface, and article pages
// highlight with their own inlined script. So the script is kept in the newest bundle only, and the WebAssembly of the
// site's language in every bundle: the runtime downloads it once, from whichever bundle the page's first search reads.
import { readFileSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { decode } from "cborg";
import { exists } from "../shared/fs.ts";
import { SEARCH_FOLDER, type SearchShard } from "./shards.ts";

/** Pagefind's entry file: each language's index hash and the WebAssembly it needs. */
interface PagefindEntry {
  languages: Record<string, { hash: string; wasm?: string; page_count: number }>;
}

/** Files of a bundle that name the index itself (entry, metadata, chunk folders): always kept. */
const INDEX_FILE = /^(pagefind-entry\.json|pagefind\..+\.pf_meta|index|filter|fragment)$/;

/**
 * The files Pagefind wrote into `bundleDir` that the site does not serve: everything but the index and the WebAssembly
 * its entry file names, and `pagefind.js` unless this bundle carries the script.
 */
export async function unusedPagefindFiles(bundleDir: string, carriesScript: boolean): Promise<string[]> {
  const names = await readdir(bundleDir);
  const entry = JSON.parse(await readFile(path.join(bundleDir, "pagefind-entry.json"), "utf8")) as PagefindEntry;
  const keep = new Set([
    ...(carriesScript ? ["pagefind.js"] : []),
    ...Object.values(entry.languages).map((language) => `wasm.${language.wasm ?? "unknown"}.pagefind`),
  ]);
  return names.filter((name) => !INDEX_FILE.test(name) && !keep.has(name)).sort();
}

/**
 * Removes Pagefind's unused files from every bundle of `shards` in `outputDir`; the newest bundle (the last) keeps
 * the script the search page loads. Returns the paths removed, relative to `outputDir`.
 */
export async function pruneBundles(
  shards: readonly SearchShard[],
  outputDir: string,
  /** The bundles this build wrote (a sharded build writes some of them; the newest keeps the script wherever it is). */
  selected: (shard: SearchShard) => boolean = () => true,
): Promise<string[]> {
  const removed = await Promise.all(
    shards.map(async (shard, i) => {
      if (!selected(shard)) return [];
      const dir = path.join(outputDir, shard.bundle);
      const unused = await unusedPagefindFiles(dir, i === shards.length - 1);
      await Promise.all(unused.map((name) => rm(path.join(dir, name), { recursive: true })));
      return unused.map((name) => path.join(shard.bundle, name).slice(1));
    }),
  );
  return removed.flat();
}

/**
 * Removes from the search folder of `outputDir` whatever is not one of the `selected` bundles' folders: bundles of an
 * earlier plan, left in a staging folder started from the site a build replaced (see `pruneStaging`). Where the one
 * selected bundle is the search folder itself, restoring or indexing it already cleared it. Returns the names removed.
 */
export async function removeOtherBundles(
  shards: readonly SearchShard[],
  outputDir: string,
  selected: (shard: SearchShard) => boolean,
): Promise<string[]> {
  const folder = path.join(outputDir, SEARCH_FOLDER);
  const bundles = shards.filter(selected).map((shard) => shard.bundle);
  if (bundles.includes(`/${SEARCH_FOLDER}/`) || !(await exists(folder))) return [];
  const names = new Set(bundles.map((bundle) => bundle.split("/")[2]));
  const others = (await readdir(folder)).filter((name) => !names.has(name)).sort();
  await Promise.all(others.map((name) => rm(path.join(folder, name), { recursive: true })));
  return others;
}

/** What Pagefind's metadata and fragment files start with, once ungzipped, before their content. */
const PAGEFIND_SIGNATURE = "pagefind_dcd";

/** The content of one of Pagefind's gzipped files (`.pf_meta`, `.pf_fragment`), after its signature. */
function pagefindContent(file: string, bytes: Buffer): Buffer {
  const content = gunzipSync(bytes);
  if (content.subarray(0, PAGEFIND_SIGNATURE.length).toString("latin1") !== PAGEFIND_SIGNATURE) {
    throw new Error(`search index: ${file} is not a Pagefind file of the version this code reads`);
  }
  return content.subarray(PAGEFIND_SIGNATURE.length);
}

/**
 * The fragment files (names in `fragment/`) that the metadata of the bundle in `bundleDir` names, one per page it
 * indexed, in order, in each of its languages. The metadata is CBOR: `[version, pages, index chunks, filters, sorts,
 * …]`, each page `[hash, word count, …]`, its fragment `fragment/<hash>.pf_fragment`.
 */
export async function referencedFragments(bundleDir: string): Promise<string[]> {
  const entry = JSON.parse(await readFile(path.join(bundleDir, "pagefind-entry.json"), "utf8")) as PagefindEntry;
  const names: string[] = [];
  for (const { hash } of Object.values(entry.languages)) {
    const file = path.join(bundleDir, `pagefind.${hash}.pf_meta`);
    const meta: unknown = decode(pagefindContent(file, await readFile(file)));
    const pages: unknown = Array.isArray(meta) ? meta[1] : undefined;
    if (!Array.isArray(pages)) throw new Error(`search index: ${file} lists no pages where this code reads them`);
    for (const page of pages) {
      if (!Array.isArray(page) || typeof page[0] !== "string") throw new Error(`search index: ${file} has a page without a hash`);
      names.push(`${page[0]}.pf_fragment`);
    }
  }
  return names;
}

/** The page URL a Pagefind fragment file is of (read synchronously: a bundle's thousands of small files, one after another). */
export function readFragment(file: string): { url: string } {
  const fragment: unknown = JSON.parse(pagefindContent(file, readFileSync(file)).toString("utf8"));
  const url = typeof fragment === "object" && fragment !== null && "url" in fragment ? fragment.url : undefined;
  if (typeof url !== "string") throw new Error(`search index: ${file} names no page`);
  return { url };
}
