// The Pagefind index of the built fixture archive, read back through Pagefind's own JS API in Chromium.
import { createHash } from "node:crypto";
import { access, cp, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import site from "../../_data/site.ts";
import { yearOf } from "../../src/dates/index.ts";
import { POLL_ON_TIMER, launchBrowser, newTestPage, serve as serveSite, type SiteServer } from "../helpers/browser.ts";
import { parseHTML } from "linkedom";
import { SearchIndexer, buildSearchIndex, pagesByBundle, writeSearchIndex } from "../../src/search/index.ts";
import { readFragment } from "../../src/search/output.ts";
import { articlePagesOf, bundleIndexOf, planSearchShards } from "../../src/search/shards.ts";
import { SHARDED_FIXTURE_ENV, readOutput, type BuildResult, fixtureBuild, shardedFixtureBuild } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";
import { treeDigest } from "../helpers/tree.ts";
import { type FixtureArticle, TIMEZONE, fixtureArticles } from "../helpers/fixture.ts";

/** One indexed page as Pagefind returns it. */
interface IndexedPage {
  url: string;
  content: string;
  filters: Record<string, string[]>;
  meta: Record<string, string>;
}

/** The parts of the search page's archive search (`_includes/js/search-bundles.js`) these tests use. */
interface ArchiveApi {
  search(
    term: string | null,
    words: string[],
    options: object,
  ): Promise<{ hits: { result: { data(): Promise<IndexedPage & { raw_url?: string }> } }[] }>;
  filters(): Promise<Record<string, Record<string, number>>>;
}

/** What a search for nothing, newest or oldest first, and the filter counts show. */
interface IndexReading {
  newest: IndexedPage[];
  oldest: string[];
  filters: Record<string, Record<string, number>>;
}

/** A bundle as the search page lists it. */
interface PageBundle {
  url: string;
  years: string[] | null;
  articles: number;
}

/** The built search page's bundles, oldest first, and the URL of its fingerprinted archive-search module. */
async function searchPage(outputDir: string): Promise<{ bundles: PageBundle[]; module: string }> {
  const { document } = parseHTML(await readFile(path.join(outputDir, "search", "index.html"), "utf8"));
  const module = [...document.querySelectorAll('link[rel="modulepreload"]')]
    .map((link) => link.getAttribute("href") ?? "")
    .find((href) => href.includes("/search-bundles."));
  if (!module) throw new Error("the search page preloads no search-bundles module");
  return { bundles: JSON.parse(document.getElementById("search")?.dataset.bundles ?? "null") as PageBundle[], module };
}

/** Every page in the index through the search page's own module: newest first with its data, oldest first by URL, and the filter counts. */
async function readIndex(browser: Browser, baseUrl: string, outputDir: string): Promise<IndexReading> {
  const { bundles, module } = await searchPage(outputDir);
  const page = await newTestPage(browser);
  try {
    await page.goto(`${baseUrl}/`);
    // Loaded by the page itself, as the search page does (a module script, not code run through the test's bundler).
    await page.addScriptTag({
      type: "module",
      content: `import { openArchive } from ${JSON.stringify(module)}; window.openArchive = (bundles, options) => openArchive(bundles, options, (url) => import(url));`,
    });
    await page.waitForFunction(() => "openArchive" in window, undefined, POLL_ON_TIMER);
    return await page.evaluate(async (list) => {
      const open = (window as unknown as { openArchive(bundles: readonly PageBundle[], options: object): Promise<ArchiveApi> }).openArchive;
      const archive = await open(list, { highlightParam: "pagefind-highlight", excerptLength: 28, ranking: {} });
      const read = async (hit: { result: { data(): Promise<IndexedPage & { raw_url?: string }> } }) => {
        const data = await hit.result.data();
        return { url: data.raw_url ?? data.url, content: data.content, filters: data.filters, meta: data.meta };
      };
      const newest = await Promise.all((await archive.search(null, [], { sort: { date: "desc" } })).hits.map(read));
      const oldest = await Promise.all(
        (await archive.search(null, [], { sort: { date: "asc" } })).hits.map(async (hit) => (await read(hit)).url),
      );
      return { newest, oldest, filters: await archive.filters() };
    }, bundles);
  } finally {
    await page.close();
  }
}

const normal = (url: string) => decodeURI(url);
const topicKey = (topic: string) => topic.trim().toLocaleLowerCase("en");

// The fixture's build in one index, read once for the file: both blocks below read it (the second compares the bundles
// with it), through the file's one browser.
let browser: Browser;
let singleServer: SiteServer;
let singleReading: IndexReading;

beforeAll(async () => {
  const single = fixtureBuild();
  if (single.exitCode !== 0) throw new Error(`build failed (${single.exitCode}):\n${single.stderr}`);
  singleServer = await serveSite(single.outputDir);
  browser = await launchBrowser();
  singleReading = await readIndex(browser, singleServer.url, single.outputDir);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await singleServer?.close();
});

describe("the search index of the built archive", () => {
  let build: BuildResult;
  let reading: IndexReading;
  let indexed: IndexedPage[];
  let articles: FixtureArticle[];
  let published: FixtureArticle[];

  beforeAll(async () => {
    build = fixtureBuild();
    reading = singleReading;
    indexed = reading.newest;
    articles = await fixtureArticles();
    published = articles.filter((article) => article.published);
  });

  /** The indexed page of a fixture article. */
  function entry(article: FixtureArticle): IndexedPage {
    const found = indexed.find((page) => normal(page.url) === normal(article.url));
    if (!found) throw new Error(`${article.file} (${article.url}) is not in the index`);
    return found;
  }

  it("lists exactly the published articles, each of which has a page in the built site", async () => {
    for (const article of published) await access(path.join(build.outputDir, normal(article.url), "index.html"));
    expect(indexed.map((page) => normal(page.url)).sort()).toEqual(published.map((article) => normal(article.url)).sort());
  });

  it("leaves out drafts and embargoed articles", () => {
    const held = articles.filter((article) => !article.published).map((article) => normal(article.url));
    expect(held.length).toBeGreaterThan(0);
    expect(indexed.map((page) => normal(page.url)).filter((url) => held.includes(url))).toEqual([]);
  });

  it("files the seed article under its topics, section, year and no author", () => {
    const seed = indexed.find((page) => page.url === "/2023/08/06/hamas-patches-up-ties-with-hezbollah-iran/");
    expect(seed?.filters).toEqual({ topic: ["Hamas", "Hezbollah", "Iran", "Syria"], section: ["World"], year: ["2023"] });
  });

  it("gives every article the topics, authors, section and year of its front matter", () => {
    for (const article of published) {
      const { filters } = entry(article);
      const expected = {
        topic: [...new Set((article.data.topics ?? []).map(topicKey))].sort(),
        author: [...(article.data.authors ?? [])].sort(),
        section: article.data.section ? [article.data.section] : [],
        year: [String(yearOf(article.data.date, TIMEZONE))],
      };
      const actual = {
        topic: [...new Set((filters.topic ?? []).map(topicKey))].sort(),
        author: [...(filters.author ?? [])].sort(),
        section: filters.section ?? [],
        year: filters.year ?? [],
      };
      expect(actual, article.file).toEqual(expected);
    }
  });

  it("gives every article a headline and a date, and the dek where there is one", () => {
    for (const article of published) {
      const { meta } = entry(article);
      expect(meta.title, article.file).toBe(article.data.title);
      expect(meta.date, article.file).toBeTruthy();
      expect(meta.dek, article.file).toBe(article.data.dek);
    }
  });

  it("sorts every article by date, newest first, so none drops out of a sorted search", () => {
    expect(indexed).toHaveLength(published.length);
    const millis = indexed.map((page) => published.find((article) => normal(article.url) === normal(page.url))?.millis ?? Number.NaN);
    expect(millis).toEqual([...millis].sort((a, b) => b - a));
  });

  it("keeps site chrome, related lists, navigation and the topic footer out of the indexed text", () => {
    const seed = indexed.find((page) => page.url === "/2023/08/06/hamas-patches-up-ties-with-hezbollah-iran/");
    expect(seed?.content).toContain("Gaza-based terror group Hamas");
    for (const chrome of [
      site.title,
      "Skip to content",
      "Search the archive",
      "Related articles",
      "Previous article",
      "Next article",
      "Topics:",
      "first appeared in",
      "Atom feed",
    ]) {
      expect(seed?.content, chrome).not.toContain(chrome);
    }
  });

  it("is built for the site's language", async () => {
    const entryFile = JSON.parse(await readFile(path.join(build.outputDir, "pagefind", "pagefind-entry.json"), "utf8")) as {
      languages: Record<string, { page_count: number }>;
    };
    expect(Object.keys(entryFile.languages)).toEqual([site.language]);
    expect(entryFile.languages[site.language]?.page_count).toBe(published.length);
  });

  it("publishes only the index, Pagefind's script and the site language's WebAssembly", async () => {
    expect((await readdir(path.join(build.outputDir, "pagefind"))).sort()).toEqual([
      "filter",
      "fragment",
      "index",
      "pagefind-entry.json",
      expect.stringMatching(/^pagefind\.en_[0-9a-f]+\.pf_meta$/),
      "pagefind.js",
      "wasm.en.pagefind",
    ]);
  });

  it("serves the search page's scripts under content-hashed names, cached for a year", async () => {
    const { document } = parseHTML(await readOutput(build, "search/index.html"));
    const scripts = [
      ...[...document.querySelectorAll('link[rel="modulepreload"]')].map((link) => link.getAttribute("href") ?? ""),
      document.querySelector('script[type="module"]')?.getAttribute("src") ?? "",
    ].filter((href) => href.startsWith("/js/"));
    expect(scripts.map((href) => href.replace(/\.[0-9a-f]{10}\.js$/, ".js")).sort()).toEqual([
      "/js/search-bundles.js",
      "/js/search-state.js",
      "/js/search.js",
    ]);
    for (const script of scripts) {
      const text = await readOutput(build, script.slice(1));
      expect(createHash("sha256").update(text).digest("hex").slice(0, 10), script).toBe(/\.([0-9a-f]{10})\.js$/.exec(script)?.[1]);
      for (const imported of text.matchAll(/from "\.\/([^"]+)"/g))
        expect(scripts, `${script} imports ${imported[1]}`).toContain(`/js/${imported[1]}`);
    }
    const headers = (await readOutput(build, "_headers")).split("\n\n");
    expect(headers).toContain("/js/*\n  Cache-Control: public, max-age=31536000, immutable");
  });
});

describe("the search index of an archive too large for one bundle", () => {
  let sharded: BuildResult;
  let shardedServer: SiteServer;
  let bundles: string[];
  let alone: IndexReading;
  let split: IndexReading;

  beforeAll(async () => {
    sharded = shardedFixtureBuild();
    if (sharded.exitCode !== 0) throw new Error(`build failed (${sharded.exitCode}):\n${sharded.stderr}`);
    shardedServer = await serveSite(sharded.outputDir);
    bundles = (await searchPage(sharded.outputDir)).bundles.map((bundle) => bundle.url);
    alone = singleReading;
    split = await readIndex(browser, shardedServer.url, sharded.outputDir);
  }, 180_000);

  afterAll(async () => {
    await shardedServer?.close();
  });

  it("is written as date-range bundles of at most SEARCH_SHARD_SIZE articles, each named on the search page", async () => {
    expect(bundles.length).toBeGreaterThan(2);
    let total = 0;
    for (const bundle of bundles) {
      expect(bundle).toMatch(/^\/pagefind\/\d{4}-\d{2}(-\d{2})?\/$/);
      const entryFile = JSON.parse(await readFile(path.join(sharded.outputDir, bundle, "pagefind-entry.json"), "utf8")) as {
        languages: Record<string, { page_count: number }>;
      };
      const count = entryFile.languages[site.language]?.page_count ?? 0;
      expect(count, bundle).toBeGreaterThan(0);
      expect(count, bundle).toBeLessThanOrEqual(Number(SHARDED_FIXTURE_ENV.SEARCH_SHARD_SIZE));
      total += count;
    }
    expect(total).toBe(alone.newest.length);
  });

  it("plans each bundle's pages as the article pages its folders hold, Hebrew slugs too, redirect pages apart", async () => {
    const urls = (await fixtureArticles()).filter((article) => article.published).map((article) => article.url);
    expect(urls.some((url) => /[\u0590-\u05ff]/.test(url))).toBe(true);
    const shards = planSearchShards(urls, Number(SHARDED_FIXTURE_ENV.SEARCH_SHARD_SIZE));
    const planned = pagesByBundle(shards, urls);
    const searched = async (page: string) => (await readFile(path.join(sharded.outputDir, page), "utf8")).includes("data-pagefind-body");
    for (const [index, shard] of shards.entries()) {
      const listed = await articlePagesOf(sharded.outputDir, shard.globs);
      const withBody = (await Promise.all(listed.map(async (page) => ((await searched(page)) ? [page] : [])))).flat();
      expect(planned[index], shard.bundle).toEqual(withBody);
    }
  });

  it("leaves no single index at /pagefind/ for the search page to miss", async () => {
    await expect(access(path.join(sharded.outputDir, "pagefind", "pagefind-entry.json"))).rejects.toThrow();
  });

  it("publishes Pagefind's script once, in the newest bundle, and none of Pagefind's unused files", async () => {
    const published = await Promise.all(bundles.map(async (bundle) => (await readdir(path.join(sharded.outputDir, bundle))).sort()));
    for (const [i, names] of published.entries()) {
      expect(
        names.filter((name) => name !== "pagefind.js"),
        bundles[i],
      ).toEqual([
        "filter",
        "fragment",
        "index",
        "pagefind-entry.json",
        expect.stringMatching(/^pagefind\.en_[0-9a-f]+\.pf_meta$/),
        "wasm.en.pagefind",
      ]);
      expect(names.includes("pagefind.js"), bundles[i]).toBe(i === bundles.length - 1);
    }
    expect((await readdir(path.join(sharded.outputDir, "pagefind"))).filter((name) => !bundles.includes(`/pagefind/${name}/`))).toEqual([]);
  });

  it("lists the same articles newest first, and oldest first, as one index does", () => {
    expect(split.newest.map((page) => page.url)).toEqual(alone.newest.map((page) => page.url));
    expect(split.oldest).toEqual(alone.oldest);
  });

  it("counts every filter value as one index does", () => {
    expect(split.filters).toEqual(alone.filters);
  });

  it("caches every bundle's hashed chunks in _headers", async () => {
    const headers = await readFile(path.join(sharded.outputDir, "_headers"), "utf8");
    for (const bundle of bundles) expect(headers.split("\n")).toContain(`${bundle}fragment/*`);
  });
});

describe("buildSearchIndex", () => {
  it("writes the same bundles on one process as on three workers handed the bundles largest first", async () => {
    const built = shardedFixtureBuild().outputDir;
    const years = (await readdir(built)).filter((name) => /^\d{4}$/.test(name));
    const pages = (await readdir(built, { recursive: true })).filter((file) => /^\d{4}\/\d{2}\/\d{2}\/[^/]+\/index\.html$/.test(file));
    const shards = planSearchShards(
      pages.map((file) => `/${path.dirname(file)}/`),
      12,
    );
    expect(shards.length).toBeGreaterThan(3);
    const digests = [];
    for (const workers of [1, 3]) {
      const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-search-"));
      await Promise.all(years.map((year) => cp(path.join(built, year), path.join(dir, year), { recursive: true })));
      const ticks: number[] = [];
      expect(await buildSearchIndex(shards, dir, "en", (articles) => ticks.push(articles), workers)).toBe(pages.length);
      expect(ticks.sort((a, b) => a - b)).toEqual(shards.map((shard) => shard.articles).sort((a, b) => a - b));
      digests.push(await treeDigest(path.join(dir, "pagefind")));
    }
    expect(digests[0]?.size).toBeGreaterThan(0);
    expect(digests[1]).toEqual(digests[0]);
  });
});

describe("SearchIndexer", () => {
  /** A copy of the sharded fixture's article pages in a new folder, their URLs, and a plan of several bundles. */
  async function articlePages() {
    const built = shardedFixtureBuild().outputDir;
    const years = (await readdir(built)).filter((name) => /^\d{4}$/.test(name));
    const files = (await readdir(built, { recursive: true })).filter((file) => /^\d{4}\/\d{2}\/\d{2}\/[^/]+\/index\.html$/.test(file));
    const urls = files.map((file) => `/${path.dirname(file)}/`).sort();
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-search-"));
    await Promise.all(years.map((year) => cp(path.join(built, year), path.join(dir, year), { recursive: true })));
    return { dir, urls, shards: planSearchShards(urls, 12) };
  }

  it("writes the same bundles when told of each page as it is written, some twice, as when every page was there first", async () => {
    const after = await articlePages();
    await writeSearchIndex({ shards: after.shards, outputDir: after.dir, language: "en" });
    const beside = await articlePages();
    expect(beside.shards.length).toBeGreaterThan(3);
    const indexer = new SearchIndexer({ shards: beside.shards, outputDir: beside.dir, language: "en" }, beside.urls, 1);
    for (const url of [...beside.urls].reverse()) indexer.written([url, url]);
    const result = await indexer.finish();
    expect(result.articlesIndexed).toBe(beside.urls.length);
    expect(await treeDigest(path.join(beside.dir, "pagefind"))).toEqual(await treeDigest(path.join(after.dir, "pagefind")));
  });

  it("counts a page told of twice once, and waits for the pages it was not told of", async () => {
    const { dir, urls, shards } = await articlePages();
    const indexer = new SearchIndexer({ shards, outputDir: dir, language: "en" }, urls, 0);
    // Half of every bundle's pages, rounded up: told of twice, they would add up to every page.
    const bundleOf = bundleIndexOf(shards);
    const told = shards.flatMap((_, index) => {
      const pages = urls.filter((url) => bundleOf(url) === index);
      return pages.slice(0, Math.ceil(pages.length / 2));
    });
    // A render part's message for a run, then its exit, both name the run's pages.
    indexer.written(told);
    indexer.written(told);
    await expect(indexer.finish()).rejects.toThrow(`search index: pages of`);
  });

  it("writes a bundle over the previous build's fragments as into an empty folder, and again where it cannot vouch for them", async () => {
    const cacheDir = await mkdtemp(path.join(testTmpdir(), "broadsheet-search-cache-"));
    const first = await articlePages();
    const index = (pages: Awaited<ReturnType<typeof articlePages>>, cached: boolean) =>
      writeSearchIndex({ shards: pages.shards, outputDir: pages.dir, language: "en", ...(cached && { cacheDir }) });
    expect((await index(first, true)).bundlesIndexed).toBe(first.shards.length);

    // One article retracted: its page is gone, and its bundle (the largest) is written over the fragments of the others.
    const largest = first.shards.reduce((most, shard) => (shard.articles > most.articles ? shard : most));
    const inLargest = first.urls.filter((url) => first.shards[bundleIndexOf(first.shards)(url)!] === largest);
    expect(inLargest.length).toBeGreaterThan(3);
    const [retracted, tampered, edited] = inLargest;
    const withoutOne = async () => {
      const pages = await articlePages();
      await rm(path.join(pages.dir, retracted!), { recursive: true });
      return { ...pages, urls: pages.urls.filter((url) => url !== retracted), shards: first.shards };
    };
    const second = await withoutOne();
    const { bundle } = largest;
    expect((await index(second, true)).bundlesIndexed).toBe(1);
    const fresh = await withoutOne();
    await index(fresh, false);
    const digest = await treeDigest(path.join(fresh.dir, "pagefind"));
    expect(await treeDigest(path.join(second.dir, "pagefind"))).toEqual(digest);

    // One page's fragment kept under another name (as if Pagefind named it otherwise now): seeded under that name, it
    // is named by no page, and Pagefind writes the page's own. The bundle a third build writes over the seeded
    // fragments cannot be vouched for, and is written again into an empty folder.
    const builds = JSON.parse(await readFile(path.join(cacheDir, "builds.json"), "utf8")) as { bundles: Record<string, string> };
    const kept = path.join(cacheDir, "entries", builds.bundles[bundle]!);
    const entry = path.join(kept, "fragment");
    const fragments = await readdir(entry);
    const renamed = fragments.find((name) => readFragment(path.join(entry, name)).url === tampered)!;
    await rename(path.join(entry, renamed), path.join(entry, "en_0000000.pf_fragment"));
    const recordFile = path.join(kept, ".broadsheet-pages.json");
    const record = JSON.parse(await readFile(recordFile, "utf8")) as { fragments: [string, string][] };
    record.fragments = record.fragments.map(([name, url]) => [name === renamed ? "en_0000000.pf_fragment" : name, url]);
    await writeFile(recordFile, JSON.stringify(record));
    // The kept bundle's record of its files names it so too (a fragment missing from it is not seeded at all).
    const filesFile = path.join(kept, ".broadsheet-files.json");
    const files = JSON.parse(await readFile(filesFile, "utf8")) as { files: [string, number][] };
    files.files = files.files.map(([file, ino]) => [file === `fragment/${renamed}` ? "fragment/en_0000000.pf_fragment" : file, ino]);
    await writeFile(filesFile, JSON.stringify(files));
    const third = await withoutOne();
    // Another page of the bundle edited, so that the bundle is indexed again.
    const editedFile = path.join(third.dir, edited!, "index.html");
    await writeFile(editedFile, (await readFile(editedFile, "utf8")).replace("</main>", "<p>A correction.</p></main>"));
    expect((await index(third, true)).bundlesIndexed).toBe(1);
    const thirdFresh = await withoutOne();
    await cp(editedFile, path.join(thirdFresh.dir, edited!, "index.html"));
    await index(thirdFresh, false);
    expect(await treeDigest(path.join(third.dir, "pagefind"))).toEqual(await treeDigest(path.join(thirdFresh.dir, "pagefind")));
    // Every fragment was written anew: none is the kept entry's file.
    const keptFiles = new Set(await Promise.all((await readdir(entry)).map(async (name) => (await stat(path.join(entry, name))).ino)));
    const written = path.join(third.dir, bundle, "fragment");
    for (const name of await readdir(written)) expect(keptFiles.has((await stat(path.join(written, name))).ino)).toBe(false);
  });

  it("names the bundles whose pages it was never told were written", async () => {
    const { dir, urls, shards } = await articlePages();
    const indexer = new SearchIndexer({ shards, outputDir: dir, language: "en" }, urls.slice(0, 1), 0);
    await expect(indexer.finish()).rejects.toThrow(`search index: pages of ${shards[0]!.bundle} were never written`);
  });
});
