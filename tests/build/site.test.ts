import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLValidator } from "fast-xml-parser";
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, buildArchive, fixtureArchive, readOutput } from "../helpers/build.ts";

const seedUrl = "/2023/08/06/hamas-patches-up-ties-with-hezbollah-iran/";
let build: BuildResult;
const documentOf = async (file: string) => parseHTML(await readOutput(build, file)).document;

beforeAll(async () => {
  build = await buildArchive(fixtureArchive);
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
    expect(doc.querySelectorAll("script").length).toBe(0);
    expect(doc.querySelector("figcaption")?.textContent).toContain("Caption <script>x</script> & ]]>");
    expect(doc.querySelector("figure img")?.getAttribute("alt")).toBe(`Alt with "quotes" & <angles>`);
  });
});

describe("home page", () => {
  it("lists the 20 newest articles first and links to the next page", async () => {
    const doc = await documentOf("index.html");
    const titles = [...doc.querySelectorAll(".article-list__title a")].map((a) => a.textContent);
    expect(titles).toHaveLength(20);
    expect(titles[0]).toBe("Fixture story 24");
    expect(doc.querySelector('a[rel="next"]')?.getAttribute("href")).toBe("/page/2/");
    expect(doc.querySelector('a[rel="prev"]')).toBeNull();
  });

  it("puts the rest on page 2 with a link back", async () => {
    const doc = await documentOf("page/2/index.html");
    const titles = [...doc.querySelectorAll(".article-list__title a")].map((a) => a.textContent);
    expect(titles.at(-1)).toBe("Hamas patches up ties with Hezbollah, Iran");
    expect(titles).toHaveLength(6);
    expect(doc.querySelector('a[rel="prev"]')?.getAttribute("href")).toBe("/");
    expect(doc.querySelector('a[rel="next"]')).toBeNull();
  });
});

describe("drafts", () => {
  it("get no page and appear in no listing or feed", async () => {
    const files = await readdir(build.outputDir, { recursive: true });
    expect(files.some((f) => f.includes("unpublished-draft"))).toBe(false);
    for (const file of files.filter((f) => f.endsWith(".html") || f.endsWith(".xml"))) {
      expect(await readOutput(build, file), file).not.toContain("Unpublished draft");
    }
  });
});

describe("feed", () => {
  it("is well-formed XML even with hostile titles", async () => {
    expect(XMLValidator.validate(await readOutput(build, "feed.xml"))).toBe(true);
  });

  it("parses with a real feed parser: entries newest first, absolute links, dates and full content", async () => {
    const feed = parseFeed(await readOutput(build, "feed.xml"));
    expect(feed.items).toHaveLength(26);
    expect(feed.items[0]?.title).toBe("Fixture story 24");
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
    expect(entry.languages.en?.page_count).toBe(26);
    expect(await readdir(path.join(build.outputDir, "pagefind/fragment"))).toHaveLength(26);
  });
});
