// The file-system helpers: mirroring a folder as hard links without writing into any file it shares.
import { link, mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  exists,
  linkTree,
  listTree,
  mirrorTree,
  readFileReusing,
  relativePath,
  removeFiles,
  removeTreeApart,
  removeTreesApart,
  sameFile,
  treeEntries,
} from "../../src/shared/fs.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const scratch = scratchFolder("broadsheet-fs-");

/** Writes `files` (relative path → text) under `root`. */
async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
}

describe("readFileReusing", () => {
  it("gives each file's bytes, however large, in a buffer the next call reuses", async () => {
    const root = scratch();
    const large = Buffer.alloc(200_000, "x");
    large.write("end", large.length - 3);
    await writeTree(root, { "a.md": "Café\r\n", "b.md": "Bonjour", "empty.md": "" });
    await writeFile(path.join(root, "large.md"), large);
    const first = readFileReusing(path.join(root, "a.md"));
    expect(first.toString("utf8")).toBe("Café\r\n");
    expect(readFileReusing(path.join(root, "b.md")).toString("utf8")).toBe("Bonjour");
    // The first view now shows the second file's bytes: a caller keeps a copy, never the view.
    expect(first.subarray(0, 7).toString("utf8")).toBe("Bonjour");
    expect(readFileReusing(path.join(root, "large.md")).equals(large)).toBe(true);
    expect(readFileReusing(path.join(root, "empty.md")).length).toBe(0);
    expect(() => readFileReusing(path.join(root, "missing.md"))).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });
});

describe("sameFile", () => {
  it("is true for two links of one file only, and false for a missing one", async () => {
    const root = scratch();
    await writeTree(root, { a: "x", b: "x" });
    await link(path.join(root, "a"), path.join(root, "a-link"));
    expect(sameFile(path.join(root, "a"), path.join(root, "a-link"))).toBe(true);
    expect(sameFile(path.join(root, "a"), path.join(root, "b"))).toBe(false);
    expect(sameFile(path.join(root, "a"), path.join(root, "missing"))).toBe(false);
  });
});

describe("mirrorTree", () => {
  it("makes a folder hold exactly the source's files as links, keeping links already there and removing the rest", async () => {
    const root = scratch();
    const from = path.join(root, "entry");
    const to = path.join(root, "bundle");
    await writeTree(from, { "pagefind-entry.json": "entry", "index/en_1.pf_index": "index", "fragment/en_2.pf_fragment": "new fragment" });
    await mkdir(path.join(to, "index"), { recursive: true });
    await link(path.join(from, "index/en_1.pf_index"), path.join(to, "index/en_1.pf_index"));
    // Same name, another file (an earlier build's fragment, shared with a published site): replaced, never written.
    await writeTree(to, { "fragment/en_2.pf_fragment": "old fragment", "stale/en_9.pf_fragment": "stale", "stale.txt": "stale" });
    await link(path.join(to, "fragment/en_2.pf_fragment"), path.join(root, "published-fragment"));
    const kept = (await stat(path.join(to, "index/en_1.pf_index"))).ino;

    await mirrorTree(from, to);
    expect((await readdir(to, { recursive: true })).sort()).toEqual([
      "fragment",
      "fragment/en_2.pf_fragment",
      "index",
      "index/en_1.pf_index",
      "pagefind-entry.json",
    ]);
    for (const file of ["pagefind-entry.json", "index/en_1.pf_index", "fragment/en_2.pf_fragment"])
      expect(sameFile(path.join(from, file), path.join(to, file)), file).toBe(true);
    expect((await stat(path.join(to, "index/en_1.pf_index"))).ino).toBe(kept);
    expect(await readFile(path.join(root, "published-fragment"), "utf8")).toBe("old fragment");
  });

  it("works from the listings it is given of either folder as from its own", async () => {
    const root = path.join(scratch(), "known");
    const from = path.join(root, "entry");
    const to = path.join(root, "bundle");
    await writeTree(from, { "a.txt": "a", "b/c.txt": "c" });
    const source = await listTree(from);
    await mkdir(to);
    await link(path.join(from, "a.txt"), path.join(to, "a.txt"));
    await writeTree(to, { "b/c.txt": "an earlier c", "old/d.txt": "d" });
    const target = await listTree(to);
    await mirrorTree(from, to, { from: source, to: target });
    expect((await readdir(to, { recursive: true })).sort()).toEqual(["a.txt", "b", "b/c.txt"]);
    for (const file of ["a.txt", "b/c.txt"]) expect(sameFile(path.join(from, file), path.join(to, file)), file).toBe(true);
    // A listing of `from` whose identities are not those of `to`'s files replaces them, never keeps them.
    const other = new Map([...source.files].map(([file, identity]) => [file, { ...identity, ino: identity.ino + 1 }] as const));
    await mirrorTree(from, to, { from: { files: other, folders: source.folders }, to: await listTree(to) });
    expect(sameFile(path.join(from, "a.txt"), path.join(to, "a.txt"))).toBe(true);
  });

  it("makes the folder when it is missing", async () => {
    const root = scratch();
    await writeTree(path.join(root, "from"), { "a/b.txt": "b" });
    await mirrorTree(path.join(root, "from"), path.join(root, "new/to"));
    expect(await readFile(path.join(root, "new/to/a/b.txt"), "utf8")).toBe("b");
  });
});

describe("listTree and linkTree", () => {
  it("list a folder's files with their identities and its folders, and link one into a new folder", async () => {
    const root = path.join(scratch(), "listed");
    const from = path.join(root, "from");
    await writeTree(from, { "a.txt": "a", "b/c/d.txt": "d" });
    const listed = await listTree(from);
    expect([...listed.files.keys()].sort()).toEqual(["a.txt", path.join("b", "c", "d.txt")]);
    expect([...listed.folders].sort()).toEqual(["b", path.join("b", "c")]);
    expect(listed.files.get("a.txt")?.ino).toBe((await stat(path.join(from, "a.txt"))).ino);
    expect(await listTree(path.join(root, "missing"))).toEqual({ files: new Map(), folders: [] });

    const linked = await linkTree(from, path.join(root, "to"));
    expect(linked.files).toEqual(listed.files);
    expect([...linked.folders].sort()).toEqual([...listed.folders].sort());
    expect(await readFile(path.join(root, "to", "b", "c", "d.txt"), "utf8")).toBe("d");
  });
});

describe("removeTreeApart", () => {
  it("removes a whole tree and leaves what is beside it", async () => {
    const root = path.join(scratch(), "removal");
    await writeTree(root, { "site/a/index.html": "a", "site/b/c/index.html": "c", "site/feed.xml": "f", "kept.txt": "k" });
    await removeTreeApart(path.join(root, "site"));
    expect(await exists(path.join(root, "site"))).toBe(false);
    expect(await readdir(root)).toEqual(["kept.txt"]);
  });

  it("is done at once when there is nothing to remove", async () => {
    await expect(removeTreeApart(path.join(scratch(), "missing"))).resolves.toBeUndefined();
  });
});

describe("removeTreesApart", () => {
  it("removes every tree named, in one child process, passing over those already gone", async () => {
    const root = path.join(scratch(), "removals");
    await writeTree(root, { "one/a/index.html": "a", "two/b.json": "b", "kept/c.txt": "c" });
    await removeTreesApart(["one", "gone", "two"].map((name) => path.join(root, name)));
    expect(await readdir(root)).toEqual(["kept"]);
  });
});

describe("removeFiles", () => {
  it("removes the files named, a few or many, and passes over those already gone", async () => {
    for (const count of [3, 1_500]) {
      const root = path.join(scratch(), `files-${count}`);
      const names = Array.from({ length: count }, (_, index) => `f${index}`);
      await writeTree(root, Object.fromEntries([...names, "kept"].map((name) => [name, name])));
      await removeFiles([...names, "gone"].map((name) => path.join(root, name)));
      expect(await readdir(root)).toEqual(["kept"]);
    }
  });
});

describe("relativePath", () => {
  it("gives each entry's path relative to the root, however the root is written", async () => {
    const root = scratch();
    await writeTree(path.join(root, "tree"), { "index.html": "", "2013/08/04/story/index.html": "" });
    for (const written of [path.join(root, "tree"), `${path.join(root, "tree")}/`, path.relative(process.cwd(), path.join(root, "tree"))]) {
      const files = (await treeEntries(written))
        .filter((entry) => entry.isFile())
        .map((entry) => relativePath(written, entry))
        .sort();
      expect(files, written).toEqual(["2013/08/04/story/index.html", "index.html"]);
    }
  });
});
