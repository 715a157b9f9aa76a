import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLValidator } from "fast-xml-parser";
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, buildArchive, fixtureArchive, readOutput } from "../helpers/build.ts";
import { type FixtureArticle, publishedFixtureArticles } from "../helpers/fixture.ts";

const seedUrl = "/2023/08/06/hamas-patches-up-ties-with-hezbollah-iran/";
let build: BuildResult;
let published: FixtureArticle[];
const documentOf = async (file: string) => parseHTML(await readOutput(build, file)).document;

beforeAll(async () => {
  [build, published] = await Promise.all([buildArchive(fixtureArchive), publishedFixtureArticles()]);
  if (build.exitCode !== 0) throw new Error(`fixture build failed:\n${build.stderr}`);
});

describe("article page", () => {
  it("shows headline, dek, dateline in the site time zone, caption with credit once, and the source", async () => {
    const doc = await documentOf(`${seedUrl}index.html`);
    expect(doc.querySelector("h1")?.textContent).toBe("Hamas patches up ties with Hezbollah, Iran");
    expect(doc.querySelector(".article__dek")?.textContent).toBe("Two senior representatives of Gaza terror group meet with Shiite organization in Beirut");
    const time = doc.querySelector(".article__byline time");
    expect(time?.getAttribute("datetime")).toBe("2023-08-06T00:00:00.000+03:00");
    expect(time?.textContent).toBe("August 6, 2023");
    const caption = doc.querySelector("figcaption")?.textContent ?? "";
    expect(caption.split("Wissam Nassar/Flash90").length - 1).toBe(1);
    expect(doc.querySelector(".article__source")?.textContent).toContain("The Times of Israel");
  });

  it("keeps the body's curly quotes and dashes and drops the site boilerplate", async () => {
    const body = (await documentOf(`${seedUrl}index.html`)).querySelector(".article__body")?.textContent ?? "";
    expect(body).toContain("“We demand of Hezbollah");
    expect(body).toContain("some groups — such as");
    expect(body).not.toContain("read more");
    expect(body).not.toContain("\u00a0");
  });

  it("has lang, a canonical URL, a skip link and feed autodiscovery", async () => {
    const doc = await documentOf(`${seedUrl}index.html`);
    expect(doc.documentElement.getAttribute("lang")).toBe("en");
    expect(doc.querySelector('link[rel="canonical"]')?.getAttribute("href")).toBe(`https://news.test${seedUrl}`);
    expect(doc.querySelector("a.skip-link")?.getAttribute("href")).toBe("#main");
    expect(doc.querySelector('link[rel="alternate"][type="application/atom+xml"]')?.getAttribute("href")).toBe("https://news.test/feed.xml");
  });

  it("escapes hostile front matter in the page", async () => {
    const doc = await documentOf("2024/01/20/script-alert-t-script-and-quotes-end/index.html");
    expect(doc.querySelector("h1")?.textContent).toBe(`<script>alert('t')</script> & "quotes" ]]> end`);
    expect(doc.querySelectorAll('script:not([type="application/ld+json"]):not([data-search-highlight])').length).toBe(0);
    expect(doc.querySelector("figcaption")?.textContent).toContain("Caption <script>x</script> & ]]>");
    expect(doc.querySelector("figure img")?.getAttribute("alt")).toBe(`Alt with "quotes" & <angles>`);
  });
});

describe("home page", () => {
  it("lists the 20 newest articles first and links to the next page", async () => {
    const doc = await documentOf("index.html");
    const links = [...doc.querySelectorAll(".article-list__title a")].map((a) => a.getAttribute("href"));
    expect(links).toEqual(published.slice(0, 20).map((article) => article.url));
    expect(doc.querySelector('.pager a[rel="next"]')?.getAttribute("href")).toBe("/page/2/");
    expect(doc.querySelector('.pager a[rel="prev"]')).toBeNull();
  });

  it("puts the oldest articles on the last page with a link back", async () => {
    const last = Math.ceil(published.length / 20);
    const doc = await documentOf(`page/${last}/index.html`);
    const links = [...doc.querySelectorAll(".article-list__title a")].map((a) => a.getAttribute("href"));
    expect(links).toEqual(published.slice((last - 1) * 20).map((article) => article.url));
    expect(doc.querySelector('.pager a[rel="prev"]')?.getAttribute("href")).toBe(last === 2 ? "/" : `/page/${last - 1}/`);
    expect(doc.querySelector('.pager a[rel="next"]')).toBeNull();
  });
});

describe("drafts and embargoed articles", () => {
  it.each([
    ["draft", "unpublished-draft", "Unpublished draft", "draft-only-topic"],
    ["embargoed article", "embargoed-budget-story", "Embargoed budget story", "embargo-only-topic"],
  ])("a %s gets no page and appears in no page, listing, feed or sitemap", async (_kind, slug, title, topicSlug) => {
    const files = (await readdir(build.outputDir, { recursive: true })).map(String);
    expect(files.filter((f) => f.includes(slug) || f.includes(topicSlug))).toEqual([]);
    for (const file of files.filter((f) => /\.(html|xml|json|txt)$/.test(f) && !f.startsWith("pagefind"))) {
      expect(await readOutput(build, file), file).not.toContain(title);
    }
  });

  it("an author who only wrote held-back articles gets no page", async () => {
    const files = (await readdir(build.outputDir, { recursive: true })).map(String);
    expect(files.some((f) => f.includes("dormant-writer"))).toBe(false);
  });
});

describe("feed", () => {
  it("is well-formed XML even with hostile titles", async () => {
    expect(XMLValidator.validate(await readOutput(build, "feed.xml"))).toBe(true);
  });

  it("parses with a real feed parser: entries newest first, absolute links, dates and full content", async () => {
    const feed = parseFeed(await readOutput(build, "feed.xml"));
    expect(feed.items.map((item) => item.url)).toEqual(published.slice(0, 50).map((article) => new URL(article.url, "https://news.test").href));
    const seed = feed.items.find((item) => item.title === "Hamas patches up ties with Hezbollah, Iran");
    expect(seed?.url).toBe(`https://news.test${seedUrl}`);
    expect(seed?.id).toBe(`tag:broadsheet.example.org,2026:2023-08-06:${seedUrl}`);
    expect(seed?.published?.toISOString()).toBe("2023-08-05T21:00:00.000Z");
    expect(seed?.content).toContain("Zionist enemy");
    for (const item of feed.items) expect(item.url).toMatch(/^https:\/\/news\.test\//);
  });

  it("keeps hostile text as text", async () => {
    const feed = parseFeed(await readOutput(build, "feed.xml"));
    expect(feed.items.map((item) => item.title)).toContain(`<script>alert('t')</script> & "quotes" ]]> end`);
  });
});

describe("search index", () => {
  it("is written by the same build and holds only the article pages", async () => {
    const entry = JSON.parse(await readOutput(build, "pagefind/pagefind-entry.json")) as { languages: Record<string, { page_count: number }> };
    expect(entry.languages.en?.page_count).toBe(published.length);
    expect(await readdir(path.join(build.outputDir, "pagefind/fragment"))).toHaveLength(published.length);
  });
});
