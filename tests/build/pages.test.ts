// The page cache's store: pages kept under their keys, the index replaced whole, and what no recent build used removed.
import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
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

  it("commits the index worked out ahead (prepareCommit), or works it out again for a page stored after it", async () => {
    const dir = path.join(scratch(), "cache-p");
    const out = (n: number) => path.join(scratch(), `out-p${n}`);
    const a = await page(out(1), "/a/", "ap");
    const b = await page(out(1), "/b/", "bp");
    let cache = await PageCache.open(dir);
    await cache.store(a, out(1), []);
    cache.prepareCommit();
    await cache.store(b, out(1), []);
    await cache.commit();
    await cache.removal();
    cache = await PageCache.open(dir);
    expect([cache.stored(a.key), cache.stored(b.key)].map((stored) => stored !== undefined)).toEqual([true, true]);
    // Worked out ahead with nothing after it: the index it wrote is the one the next build finds.
    cache.keep(a);
    cache.prepareCommit();
    await cache.commit();
    await cache.removal();
    cache = await PageCache.open(dir);
    expect(cache.stored(a.key)).toBeDefined();
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

  it("stores a page over the half-stored file a killed build with the same process id left", async () => {
    const dir = path.join(scratch(), "cache-tmp");
    const output = path.join(scratch(), "out-tmp");
    const a = await page(output, "/a/", "ae");
    const cache = await PageCache.open(dir);
    const file = path.join(dir, a.key.slice(0, 2), a.key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(`${file}.${process.pid}.tmp`, "half a page");
    await cache.store(a, output, []);
    expect(await readFile(file, "utf8")).toBe("page /a/");
    expect(await readdir(path.dirname(file))).toEqual([a.key]);
  });

  it("keeps each page's pictures, each set once in the index, and gives pages with the same pictures one array", async () => {
    const dir = path.join(scratch(), "cache-e");
    const out = path.join(scratch(), "out-e1");
    const [a, b, c] = [await page(out, "/a/", "ae"), await page(out, "/b/", "be"), await page(out, "/c/", "ce")];
    const cache = await PageCache.open(dir);
    await cache.store(a, out, ["/img/1.jpeg", "/img/2.jpeg"]);
    await cache.store(b, out, ["/img/1.jpeg", "/img/2.jpeg"]);
    await cache.store(c, out, []);
    await cache.commit();
    await cache.removal();
    const index = JSON.parse(await readFile(path.join(dir, "index.json"), "utf8")) as { sets: string[][] };
    expect(index.sets.sort()).toEqual([[], ["/img/1.jpeg", "/img/2.jpeg"]]);
    const again = await PageCache.open(dir);
    expect(again.keep(a)).toEqual(["/img/1.jpeg", "/img/2.jpeg"]);
    expect(again.keep(b)).toBe(again.keep(a));
    expect(again.keep(c)).toEqual([]);
  });

  it("starts empty from an index written in another form", async () => {
    const dir = path.join(scratch(), "cache-f");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "index.json"), JSON.stringify({ build: 3, pages: { ["a".repeat(64)]: { pictures: [], build: 3 } } }));
    expect((await PageCache.open(dir)).stored("a".repeat(64))).toBeUndefined();
  });

  it("knows the identity of each stored file, and of no other", async () => {
    const dir = path.join(scratch(), "cache-g");
    const out = path.join(scratch(), "out-g1");
    const a = await page(out, "/a/", "ag");
    await build(dir, out, [], [a]);
    const cache = await PageCache.open(dir);
    const stored = await stat(cache.fileOf(a.key));
    expect(cache.identityOf(cache.fileOf(a.key))).toEqual({ dev: stored.dev, ino: stored.ino });
    expect(cache.identityOf(cache.fileOf("b".repeat(64)))).toBeUndefined();
    expect(cache.identityOf(path.join(out, "a", "index.html"))).toBeUndefined();
  });
});
