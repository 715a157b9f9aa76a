// The search bundle cache on hand-made folders: what a key depends on, storing and linking back, pruning; and, with
// Pagefind, a bundle written over the previous build's fragments.
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { decode, encode } from "cborg";
import { describe, expect, it } from "vitest";
import { BundleCache, bundleInputs, bundleKey, settleSeededFragments } from "../../src/search/cache.ts";
import { writeBundles } from "../../src/search/pagefind.ts";
import type { SearchShard } from "../../src/search/shards.ts";
import { listTree } from "../../src/shared/fs.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const scratch = scratchFolder("broadsheet-search-cache-unit-");

/** Writes `files` (relative path → text) under `root`. */
async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
}

const january: SearchShard = { bundle: "/pagefind/2001-01/", globs: ["2001/01/[0-9][0-9]/*/index.html"], articles: 2 };

describe("bundleKey", () => {
  it("depends on the bytes and paths of the bundle's pages, its URL and its language, and on nothing else", async () => {
    const out = path.join(scratch(), "key");
    await writeTree(out, {
      "2001/01/02/a/index.html": "<p>a</p>",
      "2001/01/03/b/index.html": "<p>b</p>",
      "2001/02/01/c/index.html": "<p>c</p>",
      "about/index.html": "<p>about</p>",
    });
    const key = await bundleKey(january, out, "en");
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await bundleKey(january, out, "en")).toBe(key);
    // Pages of other bundles, and pages that are not articles, do not count.
    await writeTree(out, { "2001/02/01/c/index.html": "<p>c, edited</p>", "about/index.html": "<p>about us</p>" });
    expect(await bundleKey(january, out, "en")).toBe(key);
    expect(await bundleKey(january, out, "fr")).not.toBe(key);
    expect(await bundleKey({ ...january, bundle: "/pagefind/" }, out, "en")).not.toBe(key);
    await writeTree(out, { "2001/01/03/b/index.html": "<p>b, edited</p>" });
    const edited = await bundleKey(january, out, "en");
    expect(edited).not.toBe(key);
    // A folder without a page is none Pagefind reads.
    await mkdir(path.join(out, "2001/01/05/empty"), { recursive: true });
    expect(await bundleKey(january, out, "en")).toBe(edited);
    await writeTree(out, { "2001/01/04/d/index.html": "" });
    expect(await bundleKey(january, out, "en")).not.toBe(edited);
  });
});

describe("BundleCache", () => {
  it("links a stored bundle back into an output, file for file, and reports a bundle it does not hold", async () => {
    const cache = new BundleCache(path.join(scratch(), "cache-a"));
    const built = path.join(scratch(), "built", "pagefind");
    await writeTree(built, { "pagefind-entry.json": "{}", "index/en_1.pf_index": "index", "fragment/en_2.pf_fragment": "fragment" });
    await cache.store("k1", built);
    // A second build storing the same bundle finds it there.
    await cache.store("k1", built);

    const restored = path.join(scratch(), "restored", "pagefind");
    await writeTree(restored, { "stale.txt": "left from an earlier build" });
    expect(await cache.restore("k1", restored)).toBe(true);
    expect((await readdir(restored, { recursive: true })).sort()).toEqual([
      "fragment",
      "fragment/en_2.pf_fragment",
      "index",
      "index/en_1.pf_index",
      "pagefind-entry.json",
    ]);
    expect(await readFile(path.join(restored, "index/en_1.pf_index"), "utf8")).toBe("index");
    expect((await stat(path.join(restored, "pagefind-entry.json"))).ino).toBe((await stat(path.join(built, "pagefind-entry.json"))).ino);

    // A key not kept leaves the folder as it was, for the caller to seed or clear.
    expect(await cache.restore("missing", restored)).toBe(false);
    expect(await readFile(path.join(restored, "index/en_1.pf_index"), "utf8")).toBe("index");
  });

  it("restores over a bundle folder as the caller listed it, keeping the files that are already the kept ones", async () => {
    const cache = new BundleCache(path.join(scratch(), "cache-listed"));
    const built = path.join(scratch(), "built-listed", "pagefind");
    await writeTree(built, { "pagefind-entry.json": "{}", "fragment/en_2.pf_fragment": "fragment" });
    await cache.store("k1", built);
    const restored = path.join(scratch(), "restored-listed", "pagefind");
    expect(await cache.restore("k1", restored)).toBe(true);
    const kept = (await stat(path.join(restored, "fragment/en_2.pf_fragment"))).ino;
    await writeTree(restored, { "stale.txt": "left from an earlier build" });
    expect(await cache.restore("k1", restored, await listTree(restored))).toBe(true);
    // The cache's record of its files is not one of the bundle's.
    expect((await readdir(restored, { recursive: true })).sort()).toEqual(["fragment", "fragment/en_2.pf_fragment", "pagefind-entry.json"]);
    expect((await stat(path.join(restored, "fragment/en_2.pf_fragment"))).ino).toBe(kept);
  });

  it("keeps the bundles of this build and the previous one, and removes the rest", async () => {
    const dir = path.join(scratch(), "cache-b");
    const cache = new BundleCache(dir);
    const built = path.join(scratch(), "built-b");
    await writeTree(built, { "pagefind-entry.json": "{}" });
    for (const key of ["k1", "k2", "k3"]) await cache.store(key, built);

    expect(await cache.prune(["k1"])).toEqual(["k2", "k3"]);
    await cache.store("k2", built);
    expect(await cache.prune(["k2"])).toEqual([]);
    expect(await cache.prune(["k3"])).toEqual(["k1"]);
    // Taken out at once, removed beside: what a build would still publish meanwhile.
    expect((await readdir(path.join(dir, "entries"))).sort()).toEqual(["k2"]);
    expect(await cache.restore("k2", path.join(scratch(), "restored-b"))).toBe(true);
    await cache.removal();
    // Nothing is left, half-made or taken out, in the temporary folder.
    expect(await readdir(path.join(dir, "tmp"))).toEqual([]);
  });
});

/** An article page as Pagefind reads it. */
function articlePage(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main data-pagefind-body><h1>${title}</h1><p>${text}</p></main></body></html>`;
}

/** Every file of a folder, by relative path, with its bytes. */
async function treeBytes(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), (await readFile(file)).toString("base64"));
  }
  return files;
}

describe("a bundle written over the previous build's fragments", () => {
  const pages = {
    "2001/01/02/a/index.html": articlePage("Harbour reopens", "The harbour reopened on Monday."),
    "2001/01/03/b/index.html": articlePage("Treaty signed", "The treaty was signed at noon."),
    "2001/01/04/c/index.html": articlePage("Retracted story", "A claim about zeppelinfield that was wrong."),
  };

  /** Builds `january` in a new output holding `files`, through `cache` if given: what a build's SearchIndexer does. */
  async function build(name: string, files: Record<string, string>, cache?: BundleCache) {
    const out = path.join(scratch(), name);
    await writeTree(out, files);
    const { key, pages: inputs } = await bundleInputs(january, out, "en");
    const dir = path.join(out, january.bundle);
    const seeded = await cache?.seed(january.bundle, dir, inputs);
    if (!seeded) await rm(dir, { recursive: true, force: true });
    await writeBundles([january], out, "en");
    return { out, dir, key, inputs, seeded };
  }

  /** A cache holding the bundle of `pages` as the previous build's. */
  async function cacheOf(name: string) {
    const cache = new BundleCache(path.join(scratch(), `${name}-cache`));
    const first = await build(`${name}-first`, pages, cache);
    expect(first.seeded).toBeUndefined();
    await cache.store(first.key, first.dir, first.inputs);
    await cache.prune([first.key], new Map([[january.bundle, first.key]]));
    return { cache, first };
  }

  it("is the bundle Pagefind writes into an empty folder, without the fragment of a page gone, and leaves the kept fragments as they were", async () => {
    const { cache, first } = await cacheOf("seeded");
    const entryFragments = path.join(cache.dir, "entries", first.key, "fragment");
    const kept = new Map(
      await Promise.all((await readdir(entryFragments)).map(async (name) => [name, await stat(path.join(entryFragments, name))] as const)),
    );

    // The retracted story is gone, and the treaty story edited.
    const after: Record<string, string> = {
      ...pages,
      "2001/01/03/b/index.html": articlePage("Treaty signed", "The treaty was signed at one."),
    };
    delete after["2001/01/04/c/index.html"];
    const second = await build("seeded-second", after, cache);
    // Only the unchanged page's fragment: nothing of the retracted or the edited story is put there.
    expect(second.seeded?.names.size).toBe(1);
    expect(await settleSeededFragments(second.dir, second.seeded!, second.inputs)).toBeDefined();

    const fresh = await build("seeded-fresh", after);
    expect(await treeBytes(second.dir)).toEqual(await treeBytes(fresh.dir));
    for (const file of (await treeBytes(second.dir)).keys())
      expect(await readFile(path.join(second.dir, file))).not.toContain("zeppelinfield");
    // Pagefind found the unchanged page's fragment there and left it, the kept file itself: never written through.
    const reused = (await readdir(path.join(second.dir, "fragment"))).filter((name) => kept.has(name));
    expect(reused).toHaveLength(1);
    const now = await stat(path.join(second.dir, "fragment", reused[0]!));
    expect(now.ino).toBe(kept.get(reused[0]!)!.ino);
    expect(now.mtimeMs).toBe(kept.get(reused[0]!)!.mtimeMs);
  });

  it("is seeded in a folder holding the previous bundle by keeping its unchanged fragments and removing the rest", async () => {
    const { cache, first } = await cacheOf("seeded-over");
    const entryFragments = path.join(cache.dir, "entries", first.key, "fragment");
    const kept = new Map(
      await Promise.all(
        (await readdir(entryFragments)).map(async (name) => [name, (await stat(path.join(entryFragments, name))).ino] as const),
      ),
    );
    const after: Record<string, string> = { ...pages };
    delete after["2001/01/04/c/index.html"];
    const out = path.join(scratch(), "seeded-over-second");
    await writeTree(out, after);
    const { pages: inputs } = await bundleInputs(january, out, "en");
    const dir = path.join(out, january.bundle);
    expect(await cache.restore(first.key, dir)).toBe(true);
    const seeded = await cache.seed(january.bundle, dir, inputs, await listTree(dir));
    // Only the two unchanged pages' fragments are left, the kept files themselves; the metadata and index are gone.
    expect(seeded?.names.size).toBe(2);
    const left = (await readdir(dir, { recursive: true })).sort();
    expect(left).toEqual(["fragment", ...[...seeded!.names.keys()].map((name) => `fragment/${name}`).sort()]);
    for (const name of seeded!.names.keys()) expect((await stat(path.join(dir, "fragment", name))).ino).toBe(kept.get(name));
    await writeBundles([january], out, "en");
    expect(await settleSeededFragments(dir, seeded!, inputs)).toBeDefined();
    expect(await treeBytes(dir)).toEqual(await treeBytes((await build("seeded-over-fresh", after)).dir));
  });

  it("is not vouched for when a page seeded has a fragment written too, a seeded fragment is named by no page, or one by two", async () => {
    const { cache } = await cacheOf("unvouched");
    const second = await build("unvouched-second", pages, cache);
    const seeded = second.seeded!;
    expect(seeded.names.size).toBe(3);
    expect(await settleSeededFragments(second.dir, seeded, second.inputs)).toEqual(seeded.names);
    const [[a, aUrl], [b, bUrl], [, cUrl]] = [...seeded.names] as [[string, string], [string, string], [string, string]];
    // As if a's file had been seeded for page c, and c's own fragment written: what a changed page given a seeded
    // fragment's name would leave, the seeded page named by a written fragment too.
    expect(
      await settleSeededFragments(
        second.dir,
        {
          names: new Map([
            [a, cUrl],
            [b, bUrl],
          ]),
        },
        second.inputs,
      ),
    ).toBeUndefined();
    // A written fragment of no page of the bundle.
    const withoutA = new Map([...seeded.names].filter(([name]) => name !== a));
    expect(
      await settleSeededFragments(second.dir, { names: withoutA }, new Map([...second.inputs].filter(([url]) => url !== aUrl))),
    ).toBeUndefined();
    expect(await settleSeededFragments(second.dir, { names: withoutA }, second.inputs)).toEqual(seeded.names);
    // A seeded fragment the metadata does not name.
    expect(await settleSeededFragments(second.dir, { names: new Map([["en_0000000.pf_fragment", aUrl]]) }, second.inputs)).toBeUndefined();
    // One fragment named by two pages: the metadata rewritten with its first page twice.
    const meta = (await readdir(second.dir)).find((name) => name.endsWith(".pf_meta"))!;
    const content = gunzipSync(await readFile(path.join(second.dir, meta)));
    const decoded = decode(content.subarray(12)) as [string, unknown[], ...unknown[]];
    decoded[1] = [decoded[1][0], ...decoded[1]];
    await rm(path.join(second.dir, meta));
    await writeFile(path.join(second.dir, meta), gzipSync(Buffer.concat([content.subarray(0, 12), encode(decoded)])));
    expect(await settleSeededFragments(second.dir, seeded, second.inputs)).toBeUndefined();
  });

  it("seeds only the fragments of pages whose input is unchanged: none after new code changed every page's", async () => {
    const { cache } = await cacheOf("changed");
    const out = path.join(scratch(), "changed-second");
    await writeTree(out, pages);
    const { pages: inputs } = await bundleInputs(january, out, "en");
    const dir = path.join(out, january.bundle);
    const changed = new Map([...inputs].map(([url]) => [url, "search:new code"]));
    expect(await cache.seed(january.bundle, dir, changed)).toBeUndefined();
    expect(
      (await cache.seed(january.bundle, dir, new Map([...changed, ["/2001/01/03/b/", inputs.get("/2001/01/03/b/")!]])))?.names.size,
    ).toBe(1);
  });

  it("is not seeded without a previous build's bundle at that URL, or from a bundle kept without its pages", async () => {
    const cache = new BundleCache(path.join(scratch(), "seeded-cache-none"));
    const dir = path.join(scratch(), "none", january.bundle);
    expect(await cache.seed(january.bundle, dir, new Map())).toBeUndefined();
    const built = path.join(scratch(), "none-built");
    await writeTree(built, { "pagefind-entry.json": "{}", "fragment/en_2.pf_fragment": "fragment" });
    await cache.store("k1", built);
    await cache.prune(["k1"], new Map([[january.bundle, "k1"]]));
    expect(await cache.seed(january.bundle, dir, new Map())).toBeUndefined();
    await rm(dir, { recursive: true, force: true });
  });
});
