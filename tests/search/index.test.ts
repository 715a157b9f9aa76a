// The Pagefind index of the built fixture archive, read back through Pagefind's own JS API in Chromium.
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import site from "../../_data/site.ts";
import { yearOf } from "../../src/dates/index.ts";
import { launchChromium, serveSite, type SiteServer } from "../../scripts/bench/search-payload.ts";
import { buildArchive, fixtureArchive, type BuildResult } from "../helpers/build.ts";
import { type FixtureArticle, TIMEZONE, fixtureArticles } from "../helpers/fixture.ts";

/** One indexed page as Pagefind returns it. */
interface IndexedPage {
  url: string;
  content: string;
  filters: Record<string, string[]>;
  meta: Record<string, string>;
}

/** The parts of Pagefind's JS API (the site's built `/pagefind/pagefind.js`) these tests use. */
interface PagefindApi {
  options(options: object): Promise<void>;
  search(term: string | null, options: object): Promise<{ results: { data(): Promise<IndexedPage & { raw_url?: string }> }[] }>;
}

/** Every page in the index, in Pagefind's newest-first date order (a search for nothing lists them all). */
async function readIndex(browser: Browser, baseUrl: string): Promise<IndexedPage[]> {
  const page = await browser.newPage();
  try {
    await page.goto(`${baseUrl}/`);
    // Loaded by the page itself, as the search page does (a module script, not code run through the test's bundler).
    await page.addScriptTag({ type: "module", content: 'import * as pagefind from "/pagefind/pagefind.js"; window.pagefind = pagefind;' });
    await page.waitForFunction(() => "pagefind" in window);
    return await page.evaluate(async () => {
      const pagefind = (window as unknown as { pagefind: PagefindApi }).pagefind;
      await pagefind.options({ noWorker: true });
      const all = await pagefind.search(null, { sort: { date: "desc" } });
      return Promise.all(
        all.results.map(async (result) => {
          const data = await result.data();
          return { url: data.raw_url ?? data.url, content: data.content, filters: data.filters, meta: data.meta };
        }),
      );
    });
  } finally {
    await page.close();
  }
}

const normal = (url: string) => decodeURI(url);
const topicKey = (topic: string) => topic.trim().toLocaleLowerCase("en");

describe("the search index of the built archive", () => {
  let build: BuildResult;
  let server: SiteServer;
  let browser: Browser;
  let indexed: IndexedPage[];
  let articles: FixtureArticle[];
  let published: FixtureArticle[];

  beforeAll(async () => {
    build = await buildArchive(fixtureArchive);
    if (build.exitCode !== 0) throw new Error(`build failed (${build.exitCode}):\n${build.stderr}`);
    server = await serveSite(build.outputDir);
    browser = await launchChromium();
    indexed = await readIndex(browser, server.url);
    articles = await fixtureArticles();
    published = articles.filter((article) => article.published);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
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
    for (const chrome of [site.title, "Skip to content", "Search the archive", "Related articles", "Previous article", "Next article", "Topics:", "first appeared in", "Atom feed"]) {
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
});
