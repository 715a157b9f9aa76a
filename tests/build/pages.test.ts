// The page cache's store: pages kept under their keys, the index replaced whole, and what no recent build used removed.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PageCache, type PageEntry, outputFile } from "../../src/build/pages.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const scratch = scratchFolder("broadsheet-pages-");

/** Writes a page of `url` into `output` and gives its entry under `key` (64 hex digits, as a sha256). */
async function page(output: string, url: string, key: string): Promise<PageEntry> {
  const file = path.join(output, outputFile(url));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `page ${url}`);
  return { url, key: key.padEnd(64, "0") };
}

/** The keys stored in the cache folder `dir`, sorted. */
async function storedKeys(dir: string): Promise<string[]> {
  const folders = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  const keys = await Promise.all(folders.map((folder) => readdir(path.join(dir, folder.name))));
  return keys.flat().sort();
}

/** One build: opens the cache, restores `hits`, stores `rendered` (written into `output`), and commits unless told not to. */
async function build(dir: string, output: string, hits: PageEntry[], rendered: PageEntry[], commit = true): Promise<void> {
  const cache = await PageCache.open(dir);
  for (const entry of hits) await cache.restore(entry, output);
  for (const entry of rendered) await cache.store(entry, output, []);
  if (commit) await cache.commit();
  await cache.removal();
}

describe("PageCache", () => {
  it("keeps the pages of the last two builds and removes older ones", async () => {
    const dir = path.join(scratch(), "cache-a");
    const a = await page(path.join(scratch(), "out-1"), "/a/", "aa");
    const b = await page(path.join(scratch(), "out-1"), "/b/", "bb");
    await build(dir, path.join(scratch(), "out-1"), [], [a, b]);
    const b2 = await page(path.join(scratch(), "out-2"), "/b/", "b2");
    await build(dir, path.join(scratch(), "out-2"), [a], [b2]);
    expect(await storedKeys(dir)).toEqual([a.key, b.key, b2.key].sort());
    await build(dir, path.join(scratch(), "out-3"), [a, b2], []);
    expect(await storedKeys(dir)).toEqual([a.key, b2.key].sort());
    expect((await PageCache.open(dir)).stored(b.key)).toBeUndefined();
  });

  it("drops from the index at its commit what neither of the last two builds used, and its files by removal()", async () => {
    const dir = path.join(scratch(), "cache-c");
    const out = (n: number) => path.join(scratch(), `out-c${n}`);
    const a = await page(out(1), "/a/", "ac");
    const b = await page(out(1), "/b/", "bc");
    await build(dir, out(1), [], [a, b]);
    const b2 = await page(out(2), "/b/", "b2c");
    await build(dir, out(2), [a], [b2]);
    const cache = await PageCache.open(dir);
    await cache.restore(a, out(3));
    await cache.restore(b2, out(3));
    await cache.commit();
    // The build publishes here, while the files go: no index names them any more.
    expect((await PageCache.open(dir)).stored(b.key)).toBeUndefined();
    await cache.removal();
    expect(await storedKeys(dir)).toEqual([a.key, b2.key].sort());
    expect(await readdir(dir)).not.toContain("unfinished");
  });

  it("counts a page kept where the output already holds it as used, and refuses one it does not store", async () => {
    const dir = path.join(scratch(), "cache-d");
    const out = (n: number) => path.join(scratch(), `out-d${n}`);
    const a = await page(out(1), "/a/", "ad");
    const b = await page(out(1), "/b/", "bd");
    await build(dir, out(1), [], [a, b]);
    for (let run = 2; run <= 4; run++) {
      const cache = await PageCache.open(dir);
      expect(cache.keep(a)).toEqual([]);
      await cache.commit();
      await cache.removal();
    }
    // Three builds kept `a` without linking it anywhere; `b`, used by none of the last two, is gone.
    expect(await storedKeys(dir)).toEqual([a.key]);
    await expect(PageCache.open(dir).then((cache) => cache.keep(b))).rejects.toThrow("page cache: /b/ is not stored");
  });

  it("removes the pages a build stored but never committed (failed or killed), at the next commit", async () => {
    const dir = path.join(scratch(), "cache-b");
    const a = await page(path.join(scratch(), "out-b1"), "/a/", "ab");
    await build(dir, path.join(scratch(), "out-b1"), [], [a]);
    const lost = await page(path.join(scratch(), "out-b2"), "/lost/", "cd");
    await build(dir, path.join(scratch(), "out-b2"), [a], [lost], false);
    expect(await storedKeys(dir)).toEqual([a.key, lost.key].sort());
    expect(await readdir(dir)).toContain("unfinished");
    expect((await PageCache.open(dir)).stored(lost.key)).toBeUndefined();
    await build(dir, path.join(scratch(), "out-b3"), [a], []);
    expect(await storedKeys(dir)).toEqual([a.key]);
    expect(await readdir(dir)).not.toContain("unfinished");
  });
});
