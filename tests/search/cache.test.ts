// The search bundle cache on hand-made folders (no Pagefind): what a key depends on, storing and linking back, pruning.
import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BundleCache, bundleKey } from "../../src/search/cache.ts";
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

    expect(await cache.restore("missing", restored)).toBe(false);
    await expect(stat(restored)).rejects.toThrow(/ENOENT/);
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
