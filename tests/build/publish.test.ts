// Staged publishing: the lock, the recovery after a killed build and the swap, on real folders.
import { link, lstat, mkdir, readFile, readdir, rename, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  OutputBusyError,
  type OutputPaths,
  lockOutput,
  outputPaths,
  pruneStaging,
  publishStaging,
  recoverOutput,
  listSite,
  listingUnder,
  startFromReused,
  walkSite,
  joinListings,
  walkThreads,
  type SiteListing,
  copyRecordedSite,
  siteRecordText,
} from "../../src/build/publish.ts";
import { exists, sameFile } from "../../src/shared/fs.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const scratch = scratchFolder("broadsheet-publish-");

/** A folder holding one file with `text`. */
async function site(folder: string, text: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, "index.html"), text);
}

const read = (folder: string) => readFile(path.join(folder, "index.html"), "utf8");

describe("outputPaths", () => {
  it("keeps staging, previous and the lock beside the output, hidden", () => {
    expect(outputPaths("/srv/x/_site")).toEqual({
      output: "/srv/x/_site",
      staging: "/srv/x/._site.staging",
      previous: "/srv/x/._site.previous",
      reuse: "/srv/x/._site.reuse",
      lock: "/srv/x/._site.lock",
      trash: "/srv/x/._site.trash",
    });
  });
});

describe("publishStaging", () => {
  it("replaces the output with the staging folder, keeping the replaced site hidden beside it for the next build", async () => {
    const paths = outputPaths(path.join(scratch(), "swap", "_site"));
    await site(paths.output, "old");
    await writeFile(path.join(paths.output, "retracted.html"), "retracted story");
    await site(paths.staging, "new");
    await publishStaging(paths);
    expect(await read(paths.output)).toBe("new");
    expect(await readdir(paths.output)).toEqual(["index.html"]);
    expect((await readdir(path.dirname(paths.output))).sort()).toEqual(["._site.reuse", "_site"]);
    expect(await read(paths.reuse)).toBe("old");
  });

  it("removes the replaced site, and any older one, when it is not kept, once the new site is in place", async () => {
    const paths = outputPaths(path.join(scratch(), "drop", "_site"));
    await site(paths.output, "old");
    await site(paths.reuse, "older");
    await site(paths.staging, "new");
    const { removed } = await publishStaging(paths, { keepReplaced: false });
    expect(await read(paths.output)).toBe("new");
    await removed;
    expect(await readdir(path.dirname(paths.output))).toEqual(["_site"]);
  });

  it("publishes the first build when there was no output yet", async () => {
    const paths = outputPaths(path.join(scratch(), "first", "_site"));
    await site(paths.staging, "first");
    await publishStaging(paths);
    expect(await read(paths.output)).toBe("first");
  });
});

describe("recoverOutput", () => {
  it("puts the previous site back when a build was killed between the two renames", async () => {
    const paths = outputPaths(path.join(scratch(), "cut", "_site"));
    await site(paths.previous, "published");
    await site(paths.staging, "half");
    await recoverOutput(paths);
    expect(await read(paths.output)).toBe("published");
    expect(await readdir(path.dirname(paths.output))).toEqual(["_site"]);
  });

  it("keeps a leftover previous site for reuse when the new one was already in place, and drops a half-built one", async () => {
    const paths = outputPaths(path.join(scratch(), "late", "_site"));
    await site(paths.output, "new");
    await site(paths.previous, "old");
    await site(paths.staging, "half");
    await recoverOutput(paths);
    expect(await read(paths.output)).toBe("new");
    expect(await read(paths.reuse)).toBe("old");
    expect((await readdir(path.dirname(paths.output))).sort()).toEqual(["._site.reuse", "_site"]);
  });
});

describe("pruneStaging", () => {
  it("keeps only the files that are already hard links of the wanted ones, and the folders that hold them", async () => {
    const root = scratch();
    const cache = path.join(root, "cache");
    const staging = path.join(root, "staging");
    await mkdir(cache, { recursive: true });
    for (const name of ["a", "b", "c"]) await writeFile(path.join(cache, name), `cached ${name}`);
    await mkdir(path.join(staging, "2013/08/04/kept"), { recursive: true });
    await mkdir(path.join(staging, "2013/08/05/gone"), { recursive: true });
    await mkdir(path.join(staging, "img"), { recursive: true });
    await link(path.join(cache, "a"), path.join(staging, "2013/08/04/kept/index.html"));
    // The same bytes as a wanted file, but another file: an earlier site's copy must not stay.
    await writeFile(path.join(staging, "2013/08/05/gone/index.html"), "cached b");
    await link(path.join(cache, "c"), path.join(staging, "img/c.jpeg"));
    await writeFile(path.join(staging, "index.html"), "site-wide page, rendered anew");
    const wanted = new Map([
      ["2013/08/04/kept/index.html", path.join(cache, "a")],
      ["2013/08/05/gone/index.html", path.join(cache, "b")],
    ]);
    expect([...(await pruneStaging(staging, wanted, walkSite({ root: staging, leave: [] })))]).toEqual(["2013/08/04/kept/index.html"]);
    expect((await readdir(staging, { recursive: true })).sort()).toEqual([
      "2013",
      "2013/08",
      "2013/08/04",
      "2013/08/04/kept",
      "2013/08/04/kept/index.html",
    ]);
    expect(await readFile(path.join(cache, "c"), "utf8")).toBe("cached c");
  });

  it("judges a file by the recorded identity of its wanted file where one is given, against the listing", async () => {
    const root = scratch();
    const cache = path.join(root, "cache");
    const staging = path.join(root, "staging");
    await mkdir(cache, { recursive: true });
    await mkdir(path.join(staging, "a"), { recursive: true });
    await mkdir(path.join(staging, "b"), { recursive: true });
    await writeFile(path.join(cache, "a"), "cached a");
    await writeFile(path.join(cache, "b"), "cached b");
    await link(path.join(cache, "a"), path.join(staging, "a/index.html"));
    await link(path.join(cache, "b"), path.join(staging, "b/index.html"));
    const wanted = new Map([
      ["a/index.html", path.join(cache, "a")],
      ["b/index.html", path.join(cache, "b")],
    ]);
    // `b` is recorded as another inode (the very file, but not the one recorded): the record decides.
    const a = await stat(path.join(cache, "a"));
    const identities = new Map([
      [path.join(cache, "a"), { dev: a.dev, ino: a.ino }],
      [path.join(cache, "b"), { dev: a.dev, ino: a.ino }],
    ]);
    expect([...(await pruneStaging(staging, wanted, walkSite({ root: staging, leave: [] }), (source) => identities.get(source)))]).toEqual([
      "a/index.html",
    ]);
  });

  it("leaves the folders it is told to leave as they are, for their own phase", async () => {
    const staging = path.join(scratch(), "staging");
    await mkdir(path.join(staging, "pagefind/2013-08"), { recursive: true });
    await writeFile(path.join(staging, "pagefind/2013-08/pagefind-entry.json"), "{}");
    await writeFile(path.join(staging, "index.html"), "site-wide page");
    expect([...(await pruneStaging(staging, new Map(), walkSite({ root: staging, leave: ["pagefind"] })))]).toEqual([]);
    expect((await readdir(staging, { recursive: true })).sort()).toEqual([
      "pagefind",
      "pagefind/2013-08",
      "pagefind/2013-08/pagefind-entry.json",
    ]);
  });
});

describe("walkSite and listSite", () => {
  /** A site at `root` with a home page, one article page and one search bundle file; returns `root`. */
  async function smallSite(root: string): Promise<string> {
    await mkdir(path.join(root, "2013/08/04/a"), { recursive: true });
    await mkdir(path.join(root, "pagefind/2013-08"), { recursive: true });
    await writeFile(path.join(root, "2013/08/04/a/index.html"), "a");
    await writeFile(path.join(root, "pagefind/2013-08/pagefind-entry.json"), "{}");
    await writeFile(path.join(root, "index.html"), "home");
    return root;
  }

  it("list every folder and file but the top-level folders left, each file's identity unfollowed, on a worker too", async () => {
    const root = await smallSite(path.join(scratch(), "site"));
    await symlink(path.join(root, "index.html"), path.join(root, "link.html"));
    const identity = async (file: string) => ({
      dev: (await lstat(path.join(root, file))).dev,
      ino: (await lstat(path.join(root, file))).ino,
    });
    const walk = { root, leave: ["pagefind"] };
    const listing = walkSite(walk);
    expect(listing.folders.sort()).toEqual(["2013", "2013/08", "2013/08/04", "2013/08/04/a"]);
    expect([...listing.files].sort()).toEqual(["2013/08/04/a/index.html", "index.html", "link.html"]);
    // The folders left are listed apart, for the phase that writes them.
    expect(listing.left?.folders.sort()).toEqual(["pagefind", "pagefind/2013-08"]);
    expect(listing.left?.files).toEqual(["pagefind/2013-08/pagefind-entry.json"]);
    const bundle = listingUnder(listing.left!, "pagefind/2013-08");
    expect(bundle).toEqual({
      files: new Map([["pagefind-entry.json", await identity("pagefind/2013-08/pagefind-entry.json")]]),
      folders: [],
    });
    for (const [index, file] of listing.files.entries()) {
      expect({ dev: listing.dev[index], ino: listing.ino[index] }).toEqual(await identity(file));
    }
    const onWorker = await listSite(walk).listing;
    expect({ ...onWorker, files: [...onWorker.files].sort(), folders: [...onWorker.folders].sort() }).toEqual({
      ...listing,
      files: [...listing.files].sort(),
      folders: [...listing.folders].sort(),
    });
  });

  it("share one walk between threads, each entry listed and copied once, as one thread lists it", async () => {
    const root = await smallSite(path.join(scratch(), "shared"));
    for (const year of ["2014", "2015", "2016", "2017"]) {
      await mkdir(path.join(root, year, "01/02/story"), { recursive: true });
      await writeFile(path.join(root, year, "01/02/story/index.html"), year);
      await writeFile(path.join(root, `${year}.xml`), year);
    }
    const alone = walkSite({ root, leave: ["pagefind"] });
    const into = path.join(path.dirname(root), "shared-copy");
    await mkdir(into);
    const shared = await listSite({ root, leave: ["pagefind"], into }, 3).listing;
    const byFile = (listing: SiteListing) => new Map(listing.files.map((file, index) => [file, listing.ino[index]]));
    expect(shared.files).toHaveLength(alone.files.length);
    expect(byFile(shared)).toEqual(byFile(alone));
    expect([...shared.folders].sort()).toEqual([...alone.folders].sort());
    expect(byFile(shared.left!)).toEqual(byFile(alone.left!));
    expect((await readdir(into, { recursive: true })).sort()).toEqual((await readdir(root, { recursive: true })).sort());
  });

  it("copy the site into an empty folder as they go, every file a hard link of the site's, and list the copy", async () => {
    const root = await smallSite(path.join(scratch(), "published"));
    const into = path.join(path.dirname(root), "copy");
    await mkdir(into);
    const listing = await listSite({ root, leave: ["pagefind"], into }).listing;
    expect([...listing.files].sort()).toEqual(["2013/08/04/a/index.html", "index.html"]);
    expect(listing.left?.files).toEqual(["pagefind/2013-08/pagefind-entry.json"]);
    for (const each of [listing, listing.left!]) {
      for (const [index, file] of each.files.entries()) {
        const copied = await lstat(path.join(into, file));
        // The very file, listed as the copy holds it; the site itself is unchanged.
        expect({ dev: copied.dev, ino: copied.ino }).toEqual({ dev: each.dev[index], ino: each.ino[index] });
        expect(copied.ino).toBe((await lstat(path.join(root, file))).ino);
      }
    }
    expect(await readFile(path.join(into, "index.html"), "utf8")).toBe("home");
    expect((await readdir(into)).sort()).toEqual(["2013", "index.html", "pagefind"]);
  });

  it("stop a walk still running, after which nothing more is written", async () => {
    const root = path.join(scratch(), "large");
    for (let folder = 0; folder < 50; folder += 1) {
      await mkdir(path.join(root, String(folder)), { recursive: true });
      await Promise.all(Array.from({ length: 40 }, (_, file) => writeFile(path.join(root, String(folder), `${file}.html`), "x")));
    }
    const into = path.join(path.dirname(root), "stopped");
    await mkdir(into);
    const walking = listSite({ root, leave: [], into });
    // Expected before the stop: the listing rejects as the first of the walk's threads ends, before the last has.
    const stopped = expect(walking.listing).rejects.toThrow(/the site walk stopped/);
    await walking.stop();
    await stopped;
    const copied = await readdir(into, { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await readdir(into, { recursive: true })).toEqual(copied);
  });
});

describe("joinListings", () => {
  it("joins the listings of the threads of one walk, each file with its own identity", () => {
    const part = (files: string[], first: number): SiteListing => ({
      folders: files.map((file) => path.dirname(file)),
      files,
      dev: Float64Array.from(files, () => 7),
      ino: Float64Array.from(files, (_, index) => first + index),
    });
    const joined = joinListings([
      { ...part(["a/1.html", "a/2.html"], 10), left: part(["pagefind/x"], 30) },
      { ...part(["b/1.html"], 20), left: part([], 0) },
    ]);
    expect(joined.files).toEqual(["a/1.html", "a/2.html", "b/1.html"]);
    expect([...joined.ino]).toEqual([10, 11, 20]);
    expect([...joined.dev]).toEqual([7, 7, 7]);
    expect(joined.left?.files).toEqual(["pagefind/x"]);
    expect([...(joined.left?.ino ?? [])]).toEqual([30]);
  });
});

describe("walkThreads", () => {
  it("walks in at least two threads, one per core, at most four", () => {
    expect([1, 2, 3, 4, 16].map((cores) => walkThreads(cores))).toEqual([2, 2, 3, 4, 4]);
  });
});

/** Whether the site in `root` holds `relative` as a hard link of `source`, as a build judges a site it starts from. */
const inFolder = (root: string) => (relative: string, source: string) => sameFile(path.join(root, relative), source);

describe("startFromReused", () => {
  it("starts nothing when no earlier site was kept", async () => {
    const paths = outputPaths(path.join(scratch(), "none", "_site"));
    expect(await startFromReused(paths, new Map(), walked(paths.reuse))).toBeUndefined();
  });

  /** The site at `root`, listed on this thread when it is asked for, with nothing to stop. */
  const walked = (root: string) => ({
    has: inFolder(root),
    listing: () => walkSite({ root, leave: [] }),
    stop: async () => undefined,
  });

  /** A replaced site kept for reuse beside `paths` with pages a/, b/, c/, each a link of the cache's file or a copy. */
  async function reusedSite(root: string, linked: string[]): Promise<{ paths: OutputPaths; wanted: Map<string, string> }> {
    const paths = outputPaths(path.join(root, "_site"));
    const wanted = new Map<string, string>();
    for (const name of ["a", "b", "c"]) {
      const cached = path.join(root, "cache", name);
      await mkdir(path.dirname(cached), { recursive: true });
      await writeFile(cached, `cached ${name}`);
      const page = path.join(paths.reuse, name, "index.html");
      await mkdir(path.dirname(page), { recursive: true });
      if (linked.includes(name)) await link(cached, page);
      else await writeFile(page, `an earlier build's ${name}`);
      wanted.set(`${name}/index.html`, cached);
    }
    return { paths, wanted };
  }

  it("prunes a site that mostly holds the very files the build wants", async () => {
    const { paths, wanted } = await reusedSite(path.join(scratch(), "fresh"), ["a", "b"]);
    const start = await startFromReused(paths, wanted, walked(paths.reuse));
    await start?.removed;
    expect([...(start?.kept ?? [])].sort()).toEqual(["a/index.html", "b/index.html"]);
    expect(start?.listing?.files.sort()).toEqual(["a/index.html", "b/index.html", "c/index.html"]);
    expect(await exists(paths.reuse)).toBe(false);
    expect((await readdir(paths.staging)).sort()).toEqual(["a", "b"]);
  });

  it("sets a stale site aside whole and removes it, starting the staging folder empty", async () => {
    const { paths, wanted } = await reusedSite(path.join(scratch(), "stale"), ["a"]);
    // The site is not listed: nothing of it stays.
    const stopped: boolean[] = [];
    const start = await startFromReused(paths, wanted, {
      has: inFolder(paths.reuse),
      listing: () => {
        throw new Error("a site set aside is not listed");
      },
      // Whatever still writes into the site stops before it is moved: it is there as it was when asked.
      stop: async () => void stopped.push(await exists(paths.reuse)),
    });
    expect(stopped).toEqual([true]);
    expect(start?.kept.size).toBe(0);
    expect(start?.listing).toBeUndefined();
    expect(await readdir(paths.staging)).toEqual([]);
    await start?.removed;
    await expect(readdir(paths.trash)).rejects.toThrow(/ENOENT/);
  });

  it("judges a copy still being made by the site it copies, and waits for the copy's listing", async () => {
    const root = path.join(scratch(), "copying");
    const { paths, wanted } = await reusedSite(root, ["a", "b", "c"]);
    // The published site holds the files; the copy in the reused site's place is only begun.
    await rename(paths.reuse, paths.output);
    await mkdir(paths.reuse);
    const walking = listSite({ root: paths.output, leave: [], into: paths.reuse });
    const start = await startFromReused(paths, wanted, {
      has: inFolder(paths.output),
      listing: () => walking.listing,
      stop: walking.stop,
    });
    expect([...(start?.kept ?? [])].sort()).toEqual(["a/index.html", "b/index.html", "c/index.html"]);
    for (const name of ["a", "b", "c"]) {
      expect((await stat(path.join(paths.staging, name, "index.html"))).ino).toBe((await stat(path.join(root, "cache", name))).ino);
    }
    expect(await read(path.join(paths.output, "a"))).toBe("cached a");
  });
});

describe("lockOutput", () => {
  it("refuses a second holder while the first runs, and frees the lock on release", async () => {
    const paths = outputPaths(path.join(scratch(), "_site"));
    const release = await lockOutput(paths);
    await expect(lockOutput(paths)).rejects.toBeInstanceOf(OutputBusyError);
    await expect(lockOutput(paths)).rejects.toThrow(/another build \(process \d+ .*\) is writing .*_site; wait for it/);
    await release();
    const again = await lockOutput(paths);
    await again();
  });

  it("takes the lock of an output whose parent folder does not exist yet", async () => {
    const paths = outputPaths(path.join(scratch(), "new", "parent", "_site"));
    const release = await lockOutput(paths);
    await release();
  });

  it("takes over a lock whose process is gone (a build killed with SIGKILL)", async () => {
    const paths = outputPaths(path.join(scratch(), "dead", "_site"));
    await mkdir(path.dirname(paths.lock), { recursive: true });
    // Process ids are at most 2^22 on Linux; this one cannot be running.
    await writeFile(
      paths.lock,
      JSON.stringify({ pid: 2 ** 22 + 1, host: (await import("node:os")).hostname(), started: "2026-01-01T00:00:00Z" }),
    );
    const release = await lockOutput(paths);
    expect(JSON.parse(await readFile(paths.lock, "utf8"))).toMatchObject({ pid: process.pid });
    await release();
  });
});

describe("the site record and the copy made from it", () => {
  /** A cache folder with two cached pages, a picture and one kept search bundle (with a record of its own). */
  async function cacheWithSite(root: string) {
    const cache = path.join(root, "cache");
    const files = new Map<string, string>();
    for (const [file, source] of [
      ["2013/a/index.html", "pages/aa/aa1"],
      ["2013/b/index.html", "pages/bb/bb2"],
      ["img/p.jpg", "images/img/p.jpg"],
    ] as const) {
      await mkdir(path.dirname(path.join(cache, source)), { recursive: true });
      await writeFile(path.join(cache, source), `cached ${file}`);
      files.set(file.split("/").join(path.sep), path.join(cache, source));
    }
    const entry = path.join(cache, "search", "entries", "k1");
    await mkdir(path.join(entry, "fragment"), { recursive: true });
    await writeFile(path.join(entry, "pagefind-entry.json"), "{}");
    await writeFile(path.join(entry, "fragment", "en_1.pf_fragment"), "f");
    await writeFile(path.join(entry, ".record.json"), "the cache's own");
    await writeFile(path.join(cache, "site.tsv"), siteRecordText(cache, files));
    const trees = [{ from: entry, to: path.join("pagefind", "2013-01"), skip: [".record.json"] }];
    return { cache, files, trees, record: path.join(cache, "site.tsv") };
  }

  /** The files a copy made from `record` (no trees) holds, sorted. */
  async function copied(record: string, into: string): Promise<string[]> {
    await mkdir(into);
    return [...copyRecordedSite({ record, trees: [], into, leave: [] }).files].sort();
  }

  it("names each file's cached file relative to the record, so a cache restored elsewhere still finds them", async () => {
    const root = path.join(scratch(), "record");
    const { cache, files, record } = await cacheWithSite(root);
    expect(await readFile(record, "utf8")).not.toContain(cache);
    const moved = path.join(root, "moved");
    await rename(cache, moved);
    expect(await copied(path.join(moved, "site.tsv"), path.join(root, "copy"))).toEqual([...files.keys()].sort());
  });

  it("copies nothing from a missing record or one of another format, and skips lines that name no file of the site", async () => {
    const root = path.join(scratch(), "bad-records");
    const { cache, record } = await cacheWithSite(root);
    const text = await readFile(record, "utf8");
    const [header, ...lines] = text.split("\n");
    const write = async (name: string, content: string) => {
      await writeFile(path.join(cache, name), content);
      return await copied(path.join(cache, name), path.join(root, `copy-${name}`));
    };
    expect(await copied(path.join(cache, "none.json"), path.join(root, "copy-none"))).toEqual([]);
    expect(await write("other.json", text.replace(header ?? "", "broadsheet site record 99"))).toEqual([]);
    const bad = ["no tab", "../outside/index.html\tpages/aa/aa1", "/etc/passwd\tpages/aa/aa1", "a\tb\tc", "\tpages/aa/aa1"];
    const named = lines.filter((line) => line !== "").map((line) => line.split("\t")[0]);
    expect(await write("mixed.json", [header, ...bad, ...lines].join("\n"))).toEqual(named.sort());
  });

  it("links every recorded file and kept bundle file into the copy, and lists the bundles apart", async () => {
    const root = path.join(scratch(), "copy");
    const { files, trees, record } = await cacheWithSite(root);
    const into = path.join(root, "reuse");
    await mkdir(into);
    const listing = await listSite({ record, trees, into, leave: ["pagefind"] }).listing;
    expect([...listing.files].sort()).toEqual([...files.keys()].sort());
    for (const [file, source] of files) expect(sameFile(path.join(into, file), source)).toBe(true);
    expect([...listing.folders].sort()).toEqual(["2013", path.join("2013", "a"), path.join("2013", "b"), "img"].sort());
    const bundle = path.join("pagefind", "2013-01");
    expect([...(listing.left?.files ?? [])].sort()).toEqual([
      path.join(bundle, "fragment", "en_1.pf_fragment"),
      path.join(bundle, "pagefind-entry.json"),
    ]);
    expect([...(listing.left?.folders ?? [])].sort()).toEqual(["pagefind", bundle, path.join(bundle, "fragment")]);
    expect(await exists(path.join(into, bundle, ".record.json"))).toBe(false);
    // Each file listed with the identity of the cached file it links.
    const index = listing.files.indexOf(path.join("2013", "a", "index.html"));
    expect(listing.ino[index]).toBe((await stat(files.get(path.join("2013", "a", "index.html")) ?? "")).ino);
  });

  it("leaves out a file whose cached file is gone, and a bundle no longer kept", async () => {
    const root = path.join(scratch(), "gone");
    const { cache, trees, record } = await cacheWithSite(root);
    await rename(path.join(cache, "pages", "bb"), path.join(root, "elsewhere"));
    await rename(trees[0]!.from, path.join(root, "entry-elsewhere"));
    const into = path.join(root, "reuse");
    await mkdir(into);
    const listing = copyRecordedSite({ record, trees, into, leave: ["pagefind"] });
    expect([...listing.files].sort()).toEqual([path.join("2013", "a", "index.html"), path.join("img", "p.jpg")]);
    expect(listing.left?.files).toEqual([]);
  });
});
