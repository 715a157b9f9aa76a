// The search bundle cache with real builds sharing one cache folder: a second build of the same archive links every
// bundle from the cache, byte for byte what Pagefind wrote, an edited article re-indexes only its own bundle, and a new
// article that enters older articles' related lists re-indexes only the bundle it joins.
import { cp, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, buildArchive, cacheWithPictures, fixtureArchive } from "../helpers/build.ts";
import { scratchFolder } from "../helpers/scratch.ts";
import { treeDigest } from "../helpers/tree.ts";

/** The bundles indexed and reused, from the search phase's summary line. */
function searchCounts(build: BuildResult): { indexed: number; reused: number; articles: number } {
  const match = /search index: (\d+) articles indexed in [\d.]+ s \((\d+) bundles? indexed, (\d+) reused from the cache\)/.exec(
    build.stdout,
  );
  if (!match) throw new Error(`no search summary in the build's output:\n${build.stdout}\n${build.stderr}`);
  return { articles: Number(match[1]), indexed: Number(match[2]), reused: Number(match[3]) };
}

/** The digest of each bundle folder under `/pagefind/`, by name. */
async function bundleDigests(build: BuildResult): Promise<Map<string, string>> {
  const dir = path.join(build.outputDir, "pagefind");
  const names = (await readdir(dir)).sort();
  return new Map(
    await Promise.all(names.map(async (name) => [name, JSON.stringify([...(await treeDigest(path.join(dir, name)))])] as const)),
  );
}

describe("the search bundle cache", () => {
  const scratch = scratchFolder("broadsheet-search-cache-");
  let cold: BuildResult;
  let warm: BuildResult;
  let edited: BuildResult;
  let added: BuildResult;
  let addedCold: BuildResult;

  beforeAll(async () => {
    const articles = path.join(scratch(), "articles");
    const cache = path.join(scratch(), "cache");
    await cp(fixtureArchive, articles, { recursive: true });
    // The photos encoded by the fixture build, so these builds spend their time on search.
    await cacheWithPictures(cache);
    // Every build with its own folder; all but the last share one cache.
    const build = async (name: string, buildCache = cache) => {
      const result = await buildArchive(articles, path.join(scratch(), name), { BROADSHEET_CACHE: buildCache, SEARCH_SHARD_SIZE: "12" });
      if (result.exitCode !== 0) throw new Error(`the ${name} build failed (${result.exitCode}):\n${result.stderr}`);
      return result;
    };
    cold = await build("cold");
    warm = await build("warm");
    // An edit of one article of the oldest bundle: its page, and only its page, is indexed differently.
    const story = path.join(articles, "2019", "story-01.md");
    await writeFile(story, `${await readFile(story, "utf8")}\nA correction: the ministers met on Tuesday.\n`);
    edited = await build("edited");
    // A new article on a topic whose other articles are years older: it enters their related lists. Filed for a month
    // of a sealed bundle with room for it, so no bundle seals or shifts: the bundles it can change are its own and
    // those of the articles that now link to it.
    await writeFile(
      path.join(articles, "2023", "treaty-signed.md"),
      "---\ntitle: A treaty signed at last\ndate: 2023-07-20\nauthors: [Ben Correspondent]\nsection: Politics\ntopics: [Treaties]\n---\nThe treaty was signed.\n",
    );
    added = await build("added");
    addedCold = await build("added-cold", await cacheWithPictures(path.join(scratch(), "cache-cold")));
  }, 180_000);

  it("indexes every bundle with an empty cache and reuses every one when nothing changed", () => {
    const first = searchCounts(cold);
    expect(first.indexed).toBeGreaterThan(2);
    expect(first.reused).toBe(0);
    expect(searchCounts(warm)).toEqual({ articles: 0, indexed: 0, reused: first.indexed });
  });

  it("links byte for byte the bundles Pagefind wrote", async () => {
    expect(await treeDigest(path.join(warm.outputDir, "pagefind"))).toEqual(await treeDigest(path.join(cold.outputDir, "pagefind")));
  });

  it("re-indexes only the bundle of an edited article", async () => {
    const counts = searchCounts(edited);
    expect(counts.indexed).toBe(1);
    expect(counts.reused).toBe(searchCounts(cold).indexed - 1);
    const before = await bundleDigests(warm);
    const after = await bundleDigests(edited);
    expect([...after.keys()]).toEqual([...before.keys()]);
    expect([...after].filter(([name, digest]) => before.get(name) !== digest).map(([name]) => name)).toEqual(["2019-01"]);
  });

  it("re-indexes only the bundle a new article joins, though older articles of other bundles now link to it", async () => {
    const newUrl = "/2023/07/20/a-treaty-signed-at-last/";
    const older = await readFile(path.join(added.outputDir, "2021/10/20/pipeline-talks-resume-between-neighbours/index.html"), "utf8");
    const { document } = parseHTML(older);
    // The link is in the related list, outside what Pagefind indexes: nothing in the indexed part shows other articles.
    expect([...document.querySelectorAll(`.related a[href="${newUrl}"]`)]).toHaveLength(1);
    for (const outside of document.querySelectorAll(".related, .article-nav")) {
      expect(outside.closest("[data-pagefind-body]")).toBeNull();
      expect(
        [...outside.querySelectorAll("*")].some((element) => element.getAttributeNames().some((name) => name.startsWith("data-pagefind"))),
      ).toBe(false);
    }
    expect(searchCounts(added)).toMatchObject({ indexed: 1, reused: searchCounts(cold).indexed - 1 });
    // Byte for byte the bundles a build with an empty cache writes.
    expect(await treeDigest(path.join(added.outputDir, "pagefind"))).toEqual(await treeDigest(path.join(addedCold.outputDir, "pagefind")));
  });
});
