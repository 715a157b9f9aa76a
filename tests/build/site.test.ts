import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, fixtureData, readOutput, fixtureBuild } from "../helpers/build.ts";
import { type FixtureArticle, expectedOlderPages, fixtureArticles, publishedFixtureArticles } from "../helpers/fixture.ts";
import { parseYaml } from "../../src/articles/frontMatter.ts";

const seedUrl = "/2023/08/06/hamas-patches-up-ties-with-hezbollah-iran/";
let build: BuildResult;
let published: FixtureArticle[];
const documentOf = async (file: string) => parseHTML(await readOutput(build, file)).document;

beforeAll(async () => {
  build = fixtureBuild();
  published = await publishedFixtureArticles();
  if (build.exitCode !== 0) throw new Error(`fixture build failed:\n${build.stderr}`);
});

describe("article page", () => {
  it("shows headline, dek, dateline in the site time zone, caption with credit once, and the source", async () => {
    const doc = await documentOf(`${seedUrl}index.html`);
    expect(doc.querySelector("h1")?.textContent).toBe("Hamas patches up ties with Hezbollah, Iran");
    expect(doc.querySelector(".article__dek")?.textContent).toBe(
      "Two senior representatives of Gaza terror group meet with Shiite organization in Beirut",
    );
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
    expect(doc.querySelector('link[rel="alternate"][type="application/atom+xml"]')?.getAttribute("href")).toBe(
      "https://news.test/feed.xml",
    );
  });

  it("escapes hostile front matter in the page", async () => {
    const doc = await documentOf("2024/01/20/script-alert-t-script-and-quotes-end/index.html");
    expect(doc.querySelector("h1")?.textContent).toBe(`<script>alert('t')</script> & "quotes" ]]> end`);
    expect(doc.querySelectorAll('script:not([type="application/ld+json"]):not([data-search-highlight])').length).toBe(0);
    expect(doc.querySelector("figcaption")?.textContent).toContain("Caption <script>x</script> & ]]>");
    expect(doc.querySelector("figure img")?.getAttribute("alt")).toBe(`Alt with "quotes" & <angles>`);
  });
});

/**
 * The home listing's older pages: blocks counted from the oldest article, named after their newest article's day
 * (src/archive/model.ts paginate), oldest first; the fixture needs two or more.
 */
const olderPages = () => expectedOlderPages("/", published);
/** The output file of a page URL. */
const fileOf = (url: string) => `${url.slice(1)}index.html`;

describe("home page", () => {
  const listed = (doc: Document) => [...doc.querySelectorAll(".article-list__title a")].map((a) => a.getAttribute("href"));

  it("lists the newest articles first, the left-over ones and the newest block, and links to the older page", async () => {
    const older = olderPages();
    expect(older.length).toBeGreaterThanOrEqual(2);
    const doc = await documentOf("index.html");
    expect(listed(doc)).toEqual(published.slice(0, older.at(-1)!.start).map((article) => article.url));
    expect(doc.querySelector('.pager a[rel="next"]')?.getAttribute("href")).toBe(older.at(-1)!.url);
    expect(doc.querySelector('.pager a[rel="prev"]')).toBeNull();
    expect(doc.querySelector(".pager__position")).toBeNull();
  });

  it("names older pages after their newest article's day: the oldest block's page links back and no further", async () => {
    const [oldest, next] = olderPages();
    expect(oldest!.url).toMatch(/^\/page\/\d{4}-\d{2}-\d{2}\/$/);
    const doc = await documentOf(fileOf(oldest!.url));
    expect(listed(doc)).toEqual(published.slice(oldest!.start).map((article) => article.url));
    expect(doc.querySelector('.pager a[rel="prev"]')?.getAttribute("href")).toBe(next!.url);
    expect(doc.querySelector('.pager a[rel="next"]')).toBeNull();
    expect(doc.querySelector("title")?.textContent?.startsWith(`Latest news, ${oldest!.span} `)).toBe(true);
    expect(doc.querySelector(".pager__position")?.textContent).toBe(oldest!.span);
  });

  it("shows nothing on an older page that changes with the number of articles", async () => {
    const newest = olderPages().at(-1)!;
    const doc = await documentOf(fileOf(newest.url));
    expect(doc.querySelector('.pager a[rel="prev"]')?.getAttribute("href")).toBe("/");
    expect(doc.querySelector("h1")?.textContent).toBe(`Latest news, ${newest.span}`);
    expect(doc.querySelector("main")?.textContent).not.toMatch(new RegExp(`\\b${published.length}\\b`));
    expect(doc.querySelector(".listing-header__count")).toBeNull();
  });
});

describe("front page", () => {
  const hrefs = (doc: Document, selector: string) => [...doc.querySelectorAll(selector)].map((a) => a.getAttribute("href"));

  it("leads with the newest article large, with its dek, byline and date, then the next four", async () => {
    const doc = await documentOf("index.html");
    const [lead, ...rest] = published;
    expect(hrefs(doc, ".front__lead .story__title a")).toEqual([lead?.url]);
    expect(doc.querySelector(".front__lead .story__dek")?.textContent).toBe(lead?.data.dek);
    expect(doc.querySelector(".front__lead .byline")?.textContent).toBe(`By ${lead?.data.authors?.join(" and ")}`);
    expect(doc.querySelector(".front__lead time")?.getAttribute("datetime")).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(hrefs(doc, ".front__more .story__title a")).toEqual(rest.slice(0, 4).map((article) => article.url));
  });

  it("then has a block per section, in the newsroom's order, with its newest articles not shown above", async () => {
    const doc = await documentOf("index.html");
    const order = (parseYaml(await readFile(path.join(fixtureData, "sections.yaml"), "utf8")) as { name: string }[]).map(
      (section) => section.name,
    );
    const shown = new Set(published.slice(0, 5).map((article) => article.url));
    const expected = order
      .map((name) => ({
        name,
        urls: published
          .filter((article) => article.data.section === name && !shown.has(article.url))
          .slice(0, 4)
          .map((article) => article.url),
      }))
      .filter((block) => block.urls.length > 0);
    const blocks = [...doc.querySelectorAll(".section-block")].map((block) => ({
      name: block.querySelector(".section-block__title")?.textContent,
      urls: [...block.querySelectorAll(".story__title a")].map((a) => a.getAttribute("href")),
    }));
    expect(blocks).toEqual(expected);
    const above = [...doc.querySelectorAll(".front .story__title a, .section-block .story__title a")].map((a) => a.getAttribute("href"));
    expect(new Set(above).size).toBe(above.length);
  });

  it("has one h1, and the Latest list under the front", async () => {
    const doc = await documentOf("index.html");
    expect(doc.querySelectorAll("h1")).toHaveLength(1);
    expect(doc.querySelector(".front__latest-title")?.textContent).toBe("Latest");
    // The first page holds the newest block plus the newer articles left over (src/archive/model.ts paginate).
    expect(doc.querySelectorAll(".article-list__item")).toHaveLength(olderPages().at(-1)!.start);
  });

  it("shows the picture of an article that has a local one, with width and height, and no remote picture", async () => {
    const doc = await documentOf("sections/business/index.html");
    const harbour = [...doc.querySelectorAll(".article-list__item")].find((item) =>
      item.querySelector("a")?.getAttribute("href")?.includes("harbour-cranes"),
    );
    const img = harbour?.querySelector("picture img");
    expect(img?.getAttribute("src")).toMatch(/^\/img\//);
    for (const page of [
      "index.html",
      fileOf(olderPages()[0]!.url),
      "sections/business/index.html",
      "topics/economy/index.html",
      "2022/index.html",
    ]) {
      for (const image of (await documentOf(page)).querySelectorAll("img")) {
        expect(image.getAttribute("src"), page).toMatch(/^\/img\//);
        expect(Number(image.getAttribute("width")), page).toBeGreaterThan(0);
        expect(Number(image.getAttribute("height")), page).toBeGreaterThan(0);
      }
    }
  });

  it("lists each item of a listing with its dek, byline and date", async () => {
    const doc = await documentOf("authors/ada-reporter/index.html");
    const items = [...doc.querySelectorAll(".article-list__item")];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.querySelector(".byline")?.textContent).toContain("Ada Reporter");
      expect(item.querySelector("time")?.getAttribute("datetime")).toBeTruthy();
    }
    expect(items.some((item) => item.querySelector(".story__dek") !== null)).toBe(true);
  });

  it("puts the sections that have articles in the site navigation, in the newsroom's order", async () => {
    const doc = await documentOf(`${seedUrl}index.html`);
    const sections = [...doc.querySelectorAll(".site-nav li:not(.site-nav__index) a")].map((a) => [a.textContent, a.getAttribute("href")]);
    expect(sections).toEqual([
      ["World", "/sections/world/"],
      ["Politics", "/sections/politics/"],
      ["Business", "/sections/business/"],
      ["Culture", "/sections/culture/"],
    ]);
    expect((await documentOf("sections/world/index.html")).querySelector('.site-nav a[aria-current="page"]')?.textContent).toBe("World");
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
    expect(feed.items.map((item) => item.url)).toEqual(
      published.slice(0, 50).map((article) => new URL(article.url, "https://news.test").href),
    );
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

describe("feed entries", () => {
  const harbourUrl = "https://news.test/2022/06/14/harbour-cranes-return-to-the-port/";
  const correctedUrl = "https://news.test/2022/12/01/refinery-output-rises-for-third-year/";

  it("carry the lead picture: in the content with caption and credit, and as an enclosure with its real size", async () => {
    const feed = parseFeed(await readOutput(build, "feeds/2022-06.xml"));
    const harbour = feed.items.find((item) => item.url === harbourUrl);
    const [enclosure] = harbour?.media ?? [];
    expect(enclosure).toMatchObject({ mimeType: "image/jpeg", type: "image" });
    expect(enclosure?.url).toMatch(/^https:\/\/news\.test\/img\/[\w-]+\.jpeg$/);
    expect(enclosure?.length).toBe((await stat(path.join(build.outputDir, new URL(enclosure?.url ?? "").pathname))).size);
    const content = parseHTML(`<div>${harbour?.content ?? ""}</div>`).document;
    const img = content.querySelector("figure img");
    expect([img?.getAttribute("src"), img?.getAttribute("alt")]).toEqual([enclosure?.url, "Three harbour cranes against a grey sky"]);
    expect(Number(img?.getAttribute("width"))).toBeGreaterThan(0);
    expect(content.querySelector("figcaption")?.textContent).toBe(
      "The repaired cranes at the container terminal (Photo: Fixture Photo Desk)",
    );
  });

  it("carry the corrections after the body", async () => {
    const feed = parseFeed(await readOutput(build, "feeds/2022-12.xml"));
    const content = parseHTML(`<div>${feed.items.find((item) => item.url === correctedUrl)?.content ?? ""}</div>`).document;
    const corrections = [...content.querySelectorAll("section li")].map((li) => li.textContent);
    expect(content.querySelector("section h2")?.textContent).toBe("Corrections");
    expect(corrections).toEqual([
      "December 2, 2022: An earlier version gave the output in barrels a day; it is tonnes a year.",
      "December 3, 2022: The refinery is in Haifa, not Ashdod.",
    ]);
  });

  it("give the JSON Feed item the same picture as its image and in its content", async () => {
    const json = JSON.parse(await readOutput(build, "feeds/2022-06.json")) as {
      items: { url: string; image?: string; content_html: string }[];
    };
    const atom = parseFeed(await readOutput(build, "feeds/2022-06.xml")).items.find((item) => item.url === harbourUrl);
    const item = json.items.find((candidate) => candidate.url === harbourUrl);
    expect(item?.image).toBe(atom?.media[0]?.url);
    expect(item?.content_html).toContain(`<figure><img src="${atom?.media[0]?.url}"`);
    expect(item?.content_html).toContain("(Photo: Fixture Photo Desk)");
  });

  it("have no picture for an absolute image URL, which the build never fetches", async () => {
    const feed = parseFeed(await readOutput(build, "feed.xml"));
    const hostile = feed.items.find((item) => item.url === "https://news.test/2024/01/20/script-alert-t-script-and-quotes-end/");
    expect(hostile?.media).toEqual([]);
    expect(hostile?.content).not.toContain("images.test");
  });
});

describe("RFC 5005 archived feeds", () => {
  const HISTORY = "http://purl.org/syndication/history/1.0";
  const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "entry" || name === "link" });
  interface AtomLink {
    "@_href": string;
    "@_rel"?: string;
  }
  interface AtomDocument {
    feed: {
      "@_xmlns:fh"?: string;
      "fh:archive"?: unknown;
      id: string;
      updated: string;
      link: AtomLink[];
      entry?: { id: string; link: AtomLink[]; published: string; updated: string }[];
    };
  }
  const documentAt = async (url: string) => {
    const text = await readOutput(build, new URL(url).pathname);
    expect(XMLValidator.validate(text), url).toBe(true);
    return (xml.parse(text) as AtomDocument).feed;
  };
  const linkOf = (feed: AtomDocument["feed"], rel: string) =>
    feed.link.filter((link) => link["@_rel"] === rel).map((link) => link["@_href"]);

  it("walks from /feed.xml through every prev-archive and finds every published article in exactly one archive", async () => {
    const current = await documentAt("https://news.test/feed.xml");
    expect(current["fh:archive"]).toBeUndefined();
    expect(linkOf(current, "self")).toEqual(["https://news.test/feed.xml"]);
    const archived: string[] = [];
    const visited: string[] = [];
    let next = linkOf(current, "prev-archive")[0];
    let newer: string | undefined;
    while (next !== undefined) {
      expect(visited).not.toContain(next);
      visited.push(next);
      const archive = await documentAt(next);
      expect(archive["@_xmlns:fh"]).toBe(HISTORY);
      expect(archive["fh:archive"]).toBeDefined();
      expect(archive.id).toBe(current.id);
      expect(linkOf(archive, "self")).toEqual([next]);
      expect(linkOf(archive, "current")).toEqual(["https://news.test/feed.xml"]);
      expect(linkOf(archive, "next-archive")).toEqual(newer === undefined ? [] : [newer]);
      archived.push(...(archive.entry ?? []).map((entry) => entry.link.find((link) => link["@_rel"] === undefined)?.["@_href"] ?? ""));
      // What the W3C feed validator checks besides: unique entry ids, RFC 3339 dates, absolute links.
      const ids = (archive.entry ?? []).map((entry) => entry.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const date of [archive.updated, ...(archive.entry ?? []).flatMap((entry) => [entry.published, entry.updated])])
        expect(date).toMatch(RFC3339);
      for (const link of [...archive.link, ...(archive.entry ?? []).flatMap((entry) => entry.link)])
        expect(link["@_href"]).toMatch(/^https:\/\/news\.test\//);
      newer = next;
      next = linkOf(archive, "prev-archive")[0];
    }
    expect(archived.length).toBe(new Set(archived).size);
    expect(new Set(archived)).toEqual(new Set(published.map((article) => new URL(article.url, "https://news.test").href)));
    // One document a month that has articles, named by the month.
    const months = new Set(published.map((article) => article.url.slice(1, 8).replace("/", "-")));
    expect(visited.map((url) => url.replace("https://news.test/feeds/", "").replace(".xml", "")).sort()).toEqual([...months].sort());
  });

  it("gives entries the same ids in the archives as in the current document", async () => {
    const current = await documentAt("https://news.test/feed.xml");
    const archive = await documentAt("https://news.test/feeds/2024-02.xml");
    const ids = new Map(current.entry?.map((entry) => [entry.link[0]?.["@_href"], entry.id]));
    for (const entry of archive.entry ?? []) expect(ids.get(entry.link[0]?.["@_href"])).toBe(entry.id);
  });

  it("chains the JSON Feed the same way with next_url", async () => {
    const urls: string[] = [];
    let next: string | undefined = "https://news.test/feed.json";
    let first = true;
    while (next !== undefined) {
      const feed = JSON.parse(await readOutput(build, new URL(next).pathname)) as { next_url?: string; items: { url: string }[] };
      if (!first) urls.push(...feed.items.map((item) => item.url));
      first = false;
      next = feed.next_url;
    }
    expect(urls.length).toBe(published.length);
    expect(new Set(urls).size).toBe(published.length);
  });

  it("leaves drafts and embargoed articles out of every archive", async () => {
    const held = (await fixtureArticles()).filter((article) => !article.published);
    expect(held.length).toBeGreaterThan(0);
    const files = (await readdir(path.join(build.outputDir, "feeds"))).map((file) => `feeds/${file}`);
    for (const file of files) for (const article of held) expect(await readOutput(build, file), file).not.toContain(article.url);
  });
});

describe("search index", () => {
  it("is written by the same build and holds only the article pages", async () => {
    const entry = JSON.parse(await readOutput(build, "pagefind/pagefind-entry.json")) as {
      languages: Record<string, { page_count: number }>;
    };
    expect(entry.languages.en?.page_count).toBe(published.length);
    expect(await readdir(path.join(build.outputDir, "pagefind/fragment"))).toHaveLength(published.length);
  });
});
