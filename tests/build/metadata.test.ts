// Article metadata (Open Graph, Twitter, JSON-LD), sitemaps, robots.txt, the JSON Feed, the 404 page and _headers in a real build.
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parseHTML } from "linkedom";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, buildArchive, fixtureArchive, readOutput, fixtureBuild } from "../helpers/build.ts";
import { expectedOlderPages, publishedFixtureArticles } from "../helpers/fixture.ts";

const SITE = "https://news.test";
const seedUrl = "/2023/08/06/hamas-patches-up-ties-with-hezbollah-iran/";
const correctedUrl = "/2022/12/01/refinery-output-rises-for-third-year/";
const hostileUrl = "/2024/01/20/script-alert-t-script-and-quotes-end/";
const breakingUrl = "/2024/02/29/breaking-port-strike-called-off/";
const hebrewUrl = "/2023/05/10/חמאס-ואיראן-מחדשים-קשרים/";
const absolute = (sitePath: string) => new URL(sitePath, SITE).href;

let build: BuildResult;
let splitBuild: BuildResult;

beforeAll(async () => {
  build = fixtureBuild();
  if (build.exitCode !== 0) throw new Error(`fixture build failed:\n${build.stderr}`);
  splitBuild = await buildArchive(fixtureArchive, undefined, { SITEMAP_URL_LIMIT: "10" });
  if (splitBuild.exitCode !== 0) throw new Error(`fixture build with SITEMAP_URL_LIMIT=10 failed:\n${splitBuild.stderr}`);
});

const documentOf = async (sitePath: string) => parseHTML(await readOutput(build, `${sitePath}index.html`)).document;
const metaOf = (doc: Document, key: string) =>
  [...doc.querySelectorAll(`meta[property="${key}"], meta[name="${key}"]`)].map((meta) => meta.getAttribute("content"));
const jsonLdOf = (doc: Document): Record<string, unknown> => {
  const scripts = doc.querySelectorAll('script[type="application/ld+json"]');
  expect(scripts).toHaveLength(1);
  return JSON.parse(scripts[0]?.textContent ?? "") as Record<string, unknown>;
};

const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ["url", "sitemap"].includes(name) });
interface UrlEntry {
  loc: string;
  lastmod?: string;
}
const parseXml = (text: string): Record<string, unknown> => {
  expect(XMLValidator.validate(text)).toBe(true);
  return xml.parse(text) as Record<string, unknown>;
};
const sitemapIndexOf = async (result: BuildResult) =>
  (parseXml(await readOutput(result, "sitemap.xml")).sitemapindex as { sitemap: UrlEntry[] }).sitemap;
const sitemapFileOf = async (result: BuildResult, loc: string) =>
  (parseXml(await readOutput(result, new URL(loc).pathname)).urlset as { url: UrlEntry[] }).url;
const allSitemapEntries = async (result: BuildResult) => {
  const files = await Promise.all((await sitemapIndexOf(result)).map((sitemap) => sitemapFileOf(result, sitemap.loc)));
  return files.flat();
};

/** The article pages the build wrote (not listings, not redirect pages), as absolute URLs. */
async function builtArticleUrls(result: BuildResult): Promise<Set<string>> {
  const files = (await readdir(result.outputDir, { recursive: true })).filter((file) =>
    /^\d{4}\/\d{2}\/\d{2}\/[^/]+\/index\.html$/.test(file),
  );
  const urls = new Set<string>();
  for (const file of files) {
    const doc = parseHTML(await readOutput(result, file)).document;
    if (doc.querySelector("article.article")) urls.add(absolute(`/${path.dirname(file)}/`));
  }
  return urls;
}

describe("Open Graph and Twitter tags", () => {
  it("describe the seed article with its absolute URL, site, locale and dek", async () => {
    const doc = await documentOf(seedUrl);
    expect(metaOf(doc, "og:type")).toEqual(["article"]);
    expect(metaOf(doc, "og:url")).toEqual([absolute(seedUrl)]);
    expect(metaOf(doc, "og:site_name")).toEqual(["Broadsheet"]);
    expect(metaOf(doc, "og:locale")).toEqual(["en"]);
    expect(metaOf(doc, "og:title")).toEqual(["Hamas patches up ties with Hezbollah, Iran"]);
    expect(metaOf(doc, "og:description")).toEqual([
      "Two senior representatives of Gaza terror group meet with Shiite organization in Beirut",
    ]);
  });

  it("date, file and tag the corrected article", async () => {
    const doc = await documentOf(correctedUrl);
    expect(metaOf(doc, "article:published_time")).toEqual(["2022-12-01T09:15:00.000+02:00"]);
    expect(metaOf(doc, "article:modified_time")).toEqual(["2022-12-03T18:00:00.000+02:00"]);
    expect(metaOf(doc, "article:section")).toEqual(["Business"]);
    expect(metaOf(doc, "article:tag")).toEqual(["Energy", "Economy"]);
    expect(metaOf(doc, "article:author")).toEqual([absolute("/authors/ada-reporter/"), absolute("/authors/ben-correspondent/")]);
  });

  it("use the modification time of the publication when an article was never updated", async () => {
    const doc = await documentOf(seedUrl);
    expect(metaOf(doc, "article:modified_time")).toEqual(["2023-08-06T00:00:00.000+03:00"]);
  });

  it("give a summary card without an image and a large card with one", async () => {
    expect(metaOf(await documentOf(seedUrl), "twitter:card")).toEqual(["summary"]);
    expect(metaOf(await documentOf(seedUrl), "og:image")).toEqual([]);
    const hostile = await documentOf(hostileUrl);
    expect(metaOf(hostile, "twitter:card")).toEqual(["summary_large_image"]);
    expect(metaOf(hostile, "og:image")).toEqual(["https://images.test/photo.jpg"]);
    expect(metaOf(hostile, "twitter:image")).toEqual(["https://images.test/photo.jpg"]);
  });

  it("keep hostile front matter intact as attribute values", async () => {
    const doc = await documentOf(hostileUrl);
    const title = `<script>alert('t')</script> & "quotes" ]]> end`;
    expect(metaOf(doc, "og:title")).toEqual([title]);
    expect(metaOf(doc, "twitter:title")).toEqual([title]);
    expect(metaOf(doc, "og:description")).toEqual(["Dek with <b>tags</b> & ]]> and 'apostrophes'"]);
    expect(metaOf(doc, "og:image:alt")).toEqual([`Alt with "quotes" & <angles>`]);
  });
});

describe("NewsArticle JSON-LD", () => {
  it("describes the seed article field by field", async () => {
    const jsonLd = jsonLdOf(await documentOf(seedUrl));
    expect(jsonLd["@context"]).toBe("https://schema.org");
    expect(jsonLd["@type"]).toBe("NewsArticle");
    expect(jsonLd.headline).toBe("Hamas patches up ties with Hezbollah, Iran");
    expect(jsonLd.description).toBe("Two senior representatives of Gaza terror group meet with Shiite organization in Beirut");
    expect(jsonLd.url).toBe(absolute(seedUrl));
    expect(jsonLd.mainEntityOfPage).toEqual({ "@type": "WebPage", "@id": absolute(seedUrl) });
    expect(jsonLd.datePublished).toBe("2023-08-06T00:00:00.000+03:00");
    expect(jsonLd.dateModified).toBe("2023-08-06T00:00:00.000+03:00");
    expect(jsonLd.inLanguage).toBe("en");
    expect(jsonLd.articleSection).toBe("World");
    expect(jsonLd.keywords).toEqual(["Hamas", "Hezbollah", "Iran", "Syria"]);
    expect(jsonLd.publisher).toEqual({
      "@type": "Organization",
      name: "Broadsheet",
      url: `${SITE}/`,
      logo: { "@type": "ImageObject", url: `${SITE}/favicon.svg` },
    });
    expect(jsonLd).not.toHaveProperty("image");
    expect(jsonLd).not.toHaveProperty("correction");
  });

  it("names the authors of the corrected article as people with their author pages", async () => {
    expect(jsonLdOf(await documentOf(correctedUrl)).author).toEqual([
      { "@type": "Person", name: "Ada Reporter", url: absolute("/authors/ada-reporter/") },
      { "@type": "Person", name: "Ben Correspondent", url: absolute("/authors/ben-correspondent/") },
    ]);
  });

  it("carries the corrected article's update and both corrections", async () => {
    const jsonLd = jsonLdOf(await documentOf(correctedUrl));
    expect(jsonLd.dateModified).toBe("2022-12-03T18:00:00.000+02:00");
    expect(jsonLd.correction).toEqual([
      {
        "@type": "CorrectionComment",
        text: "An earlier version gave the output in barrels a day; it is tonnes a year.",
        datePublished: "2022-12-02T00:00:00.000+02:00",
      },
      { "@type": "CorrectionComment", text: "The refinery is in Haifa, not Ashdod.", datePublished: "2022-12-03T00:00:00.000+02:00" },
    ]);
  });

  it("keeps hostile front matter intact and inside its script element", async () => {
    const html = await readOutput(build, `${hostileUrl}index.html`);
    const doc = parseHTML(html).document;
    const jsonLd = jsonLdOf(doc);
    expect(jsonLd.headline).toBe(`<script>alert('t')</script> & "quotes" ]]> end`);
    expect(jsonLd.description).toBe("Dek with <b>tags</b> & ]]> and 'apostrophes'");
    expect(jsonLd.image).toEqual({
      "@type": "ImageObject",
      url: "https://images.test/photo.jpg",
      caption: "Caption <script>x</script> & ]]>",
      creditText: "Credit & Co <i>",
    });
    // The first </script> after the opening tag must end exactly the JSON: nothing in it closed the element early.
    const open = '<script type="application/ld+json">';
    const start = html.indexOf(open) + open.length;
    const raw = html.slice(start, html.indexOf("</script>", start));
    expect(JSON.parse(raw)).toEqual(jsonLd);
    expect(raw).not.toMatch(/<!--|<script|<\/script/i);
  });

  it("credits the unsigned hostile article to the publisher", async () => {
    const jsonLd = jsonLdOf(await documentOf(hostileUrl));
    expect(jsonLd.author).toEqual([jsonLd.publisher]);
  });

  it("percent-encodes the Hebrew article's URL", async () => {
    expect(jsonLdOf(await documentOf(hebrewUrl)).url).toBe(
      "https://news.test/2023/05/10/%D7%97%D7%9E%D7%90%D7%A1-%D7%95%D7%90%D7%99%D7%A8%D7%90%D7%9F-%D7%9E%D7%97%D7%93%D7%A9%D7%99%D7%9D-%D7%A7%D7%A9%D7%A8%D7%99%D7%9D/",
    );
  });
});

describe("sitemaps", () => {
  it("list exactly the published articles, drafts and embargoed articles left out", async () => {
    const articles = await builtArticleUrls(build);
    const locs = (await allSitemapEntries(build)).map((entry) => entry.loc);
    const articleLocs = locs.filter((loc) => /^https:\/\/news\.test\/\d{4}\/\d{2}\/\d{2}\/[^/]+\/$/.test(loc));
    const fixtureFiles = (await readdir(fixtureArchive, { recursive: true })).filter((file) => file.endsWith(".md"));
    expect(articles.size).toBe(fixtureFiles.length - 2);
    expect(new Set(articleLocs)).toEqual(articles);
    expect(articleLocs).toHaveLength(articles.size);
    expect(locs.some((loc) => loc.includes("unpublished-draft") || loc.includes("embargoed-budget-story"))).toBe(false);
  });

  it("date each article by its update, else its publication, with the site's offset", async () => {
    const lastmod = new Map((await allSitemapEntries(build)).map((entry) => [entry.loc, entry.lastmod]));
    expect(lastmod.get(absolute(correctedUrl))).toBe("2022-12-03T18:00:00.000+02:00");
    expect(lastmod.get(absolute(seedUrl))).toBe("2023-08-06T00:00:00.000+03:00");
    expect(lastmod.get(absolute(breakingUrl))).toBe("2024-02-29T10:00:00.000+02:00");
  });

  it("give every article a lastmod that is an article's date, never the build time", async () => {
    const entries = (await allSitemapEntries(build)).filter((entry) => /\/\d{4}\/\d{2}\/\d{2}\//.test(entry.loc));
    for (const entry of entries) {
      expect(entry.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
      expect(Date.parse(entry.lastmod ?? "")).toBeLessThan(Date.parse("2024-03-01T00:00:00Z"));
    }
  });

  it("write the Hebrew article's URL percent-encoded", async () => {
    const locs = (await allSitemapEntries(build)).map((entry) => entry.loc);
    expect(locs).toContain(absolute(hebrewUrl));
    expect(locs.every((loc) => /^[\x21-\x7e]+$/.test(loc))).toBe(true);
  });

  it("list the home page, indexes and first pages of year, month, topic, author and section listings", async () => {
    const locs = (await allSitemapEntries(build)).map((entry) => entry.loc);
    for (const sitePath of [
      "/",
      expectedOlderPages("/", await publishedFixtureArticles())[0]!.url,
      "/archive/",
      "/topics/",
      "/authors/",
      "/sections/",
      "/2024/",
      "/2024/02/",
      "/topics/economy/",
      "/authors/ada-reporter/",
      "/sections/business/",
    ]) {
      expect(locs).toContain(absolute(sitePath));
    }
  });

  it("date the home page and the topics index by the newest article in them", async () => {
    const lastmod = new Map((await allSitemapEntries(build)).map((entry) => [entry.loc, entry.lastmod]));
    expect(lastmod.get(absolute("/"))).toBe("2024-02-29T10:00:00.000+02:00");
    expect(lastmod.get(absolute("/topics/"))).toBe("2024-02-29T10:00:00.000+02:00");
  });

  it("fit in one file by default, which the index dates by its newest entry", async () => {
    const index = await sitemapIndexOf(build);
    expect(index).toEqual([{ loc: absolute("/sitemaps/sitemap-1.xml"), lastmod: "2024-02-29T10:00:00.000+02:00" }]);
  });

  it("split into ceil(n/10) files of at most 10 URLs with SITEMAP_URL_LIMIT=10, listing the same URLs", async () => {
    const whole = (await allSitemapEntries(build)).map((entry) => entry.loc);
    const index = await sitemapIndexOf(splitBuild);
    expect(index).toHaveLength(Math.ceil(whole.length / 10));
    const files = await Promise.all(index.map((sitemap) => sitemapFileOf(splitBuild, sitemap.loc)));
    for (const file of files) expect(file.length).toBeLessThanOrEqual(10);
    expect(files.flat().map((entry) => entry.loc)).toEqual(whole);
    expect(index.map((sitemap) => sitemap.loc)).toEqual(index.map((_, i) => absolute(`/sitemaps/sitemap-${i + 1}.xml`)));
  });

  it("date each split file in the index by the newest entry in it", async () => {
    for (const sitemap of await sitemapIndexOf(splitBuild)) {
      const times = (await sitemapFileOf(splitBuild, sitemap.loc)).flatMap((entry) => (entry.lastmod ? [entry.lastmod] : []));
      const newest = times.reduce<string | undefined>(
        (best, time) => (best === undefined || Date.parse(time) > Date.parse(best) ? time : best),
        undefined,
      );
      expect(sitemap.lastmod).toBe(newest);
    }
  });
});

describe("Google News sitemap", () => {
  it("lists exactly the article published within two days of the build, with publication, date and title", async () => {
    const urlset = parseXml(await readOutput(build, "news-sitemap.xml")).urlset as Record<string, unknown> & {
      url: Record<string, unknown>[];
    };
    expect(urlset["@_xmlns:news"]).toBe("http://www.google.com/schemas/sitemap-news/0.9");
    expect(urlset.url).toEqual([
      {
        loc: absolute(breakingUrl),
        "news:news": {
          "news:publication": { "news:name": "Broadsheet", "news:language": "en" },
          "news:publication_date": "2024-02-29T10:00:00.000+02:00",
          "news:title": "Breaking: port strike called off",
        },
      },
    ]);
  });
});

describe("search engines and large previews", () => {
  const harbourUrl = "/2022/06/14/harbour-cranes-return-to-the-port/";

  it("let every published article page show large image previews", async () => {
    for (const url of [seedUrl, correctedUrl, harbourUrl, hebrewUrl])
      expect(metaOf(await documentOf(url), "robots"), url).toEqual(["max-image-preview:large"]);
  });

  it("give a local picture's 16:9, 4:3 and 1:1 crops in the JSON-LD, each a real JPEG of that size", async () => {
    const image = jsonLdOf(await documentOf(harbourUrl)).image as {
      url: string;
      width: number;
      height: number;
      caption?: string;
      creditText?: string;
    }[];
    expect(image.map((crop) => [crop.width / crop.height])).toEqual([[16 / 9], [4 / 3], [1]]);
    for (const crop of image) {
      expect(crop.url).toMatch(/^https:\/\/news\.test\/img\/[\w-]+\.jpeg$/);
      expect(crop.width * crop.height).toBeGreaterThanOrEqual(50_000);
      expect([crop.caption, crop.creditText]).toEqual(["The repaired cranes at the container terminal", "Fixture Photo Desk"]);
      const metadata = await sharp(path.join(build.outputDir, new URL(crop.url).pathname)).metadata();
      expect([metadata.format, metadata.width, metadata.height]).toEqual(["jpeg", crop.width, crop.height]);
    }
  });
});

describe("robots.txt", () => {
  it("allows every crawler and names the sitemaps", async () => {
    const lines = (await readOutput(build, "robots.txt")).split("\n");
    expect(lines).toContain("User-agent: *");
    expect(lines).toContain("Allow: /");
    expect(lines).not.toContain("Disallow: /");
    expect(lines).toContain("Sitemap: https://news.test/sitemap.xml");
    expect(lines).toContain("Sitemap: https://news.test/news-sitemap.xml");
  });
});

describe("JSON Feed", () => {
  interface Feed {
    version: string;
    home_page_url: string;
    feed_url: string;
    language: string;
    items: {
      id: string;
      url: string;
      title: string;
      summary?: string;
      content_html: string;
      date_published: string;
      date_modified: string;
      authors?: unknown;
      tags?: string[];
    }[];
  }
  const feedOf = async () => JSON.parse(await readOutput(build, "feed.json")) as Feed;

  it("is a JSON Feed 1.1 with the site's URLs and language", async () => {
    const feed = await feedOf();
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.home_page_url).toBe(`${SITE}/`);
    expect(feed.feed_url).toBe(`${SITE}/feed.json`);
    expect(feed.language).toBe("en");
  });

  it("has the Atom feed's 50 entries, in order, with the same ids and links", async () => {
    const atom = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "entry" || name === "link" }).parse(
      await readOutput(build, "feed.xml"),
    ) as {
      feed: { entry: { id: string; link: { "@_href": string; "@_rel"?: string }[] }[] };
    };
    const items = (await feedOf()).items;
    expect(items).toHaveLength(50);
    expect(items.map((item) => item.id)).toEqual(atom.feed.entry.map((entry) => entry.id));
    // The entry's own link is the one without a rel (an enclosure link may sit beside it).
    expect(items.map((item) => item.url)).toEqual(
      atom.feed.entry.map((entry) => entry.link.find((link) => link["@_rel"] === undefined)?.["@_href"]),
    );
  });

  it("gives the breaking article's title, summary, dates, author and tags", async () => {
    const item = (await feedOf()).items.find((candidate) => candidate.url === absolute(breakingUrl));
    expect(item).toMatchObject({
      title: "Breaking: port strike called off",
      summary: "Published within two days of the build, so it is in the news sitemap",
      date_published: "2024-02-29T10:00:00.000+02:00",
      date_modified: "2024-02-29T10:00:00.000+02:00",
      authors: [{ name: "Ben Correspondent", url: absolute("/authors/ben-correspondent/") }],
      tags: ["Economy"],
    });
    expect(item?.content_html).toContain("The strike at the port was called off");
  });

  it("has only absolute URLs in its content", async () => {
    for (const item of (await feedOf()).items) {
      const { document } = parseHTML(`<div>${item.content_html}</div>`);
      for (const element of document.querySelectorAll("[src], [href], [srcset]")) {
        for (const attribute of ["src", "href"]) {
          const value = element.getAttribute(attribute);
          if (value !== null) expect(value).toMatch(/^[a-z]+:/);
        }
        const srcset = element.getAttribute("srcset");
        if (srcset !== null) for (const candidate of srcset.split(",")) expect(candidate.trim()).toMatch(/^https?:\/\//);
      }
    }
  });
});

describe("404 page", () => {
  it("exists, is kept out of search engines and points to search, the archive, topics and home", async () => {
    const doc = parseHTML(await readOutput(build, "404.html")).document;
    expect(doc.querySelector("h1")?.textContent).toBe("Page not found");
    expect(doc.querySelector('meta[name="robots"]')?.getAttribute("content")).toBe("noindex");
    expect(doc.querySelector('main form[action="/search/"] input[name="q"]')).not.toBeNull();
    const links = [...doc.querySelectorAll("main a")].map((a) => a.getAttribute("href"));
    for (const href of ["/", "/archive/", "/topics/"]) expect(links).toContain(href);
    expect(doc.querySelector("[data-pagefind-body]")).toBeNull();
  });
});

describe("_headers", () => {
  const blocksOf = async () => {
    const blocks = new Map<string, Map<string, string>>();
    let current: Map<string, string> | undefined;
    for (const line of (await readOutput(build, "_headers")).split("\n")) {
      if (line.startsWith("/")) blocks.set(line, (current = new Map()));
      else if (line.trim() !== "") {
        const [name = "", ...value] = line.trim().split(": ");
        current?.set(name, value.join(": "));
      }
    }
    return blocks;
  };

  it("sends nosniff and a referrer policy everywhere", async () => {
    const all = (await blocksOf()).get("/*");
    expect(all?.get("X-Content-Type-Options")).toBe("nosniff");
    expect(all?.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
  });

  it("caches Pagefind's hashed chunks for a year and the home page, feeds and every year's pages briefly", async () => {
    const blocks = await blocksOf();
    expect(blocks.get("/pagefind/fragment/*")?.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    for (const rule of ["/", "/feed.xml", "/feed.json", "/sitemap.xml", "/2019/*", "/2024/*"]) {
      expect(blocks.get(rule)?.get("Cache-Control")).toBe("public, max-age=300, must-revalidate");
    }
  });

  it("is written to the output root", async () => {
    expect((await stat(path.join(build.outputDir, "_headers"))).isFile()).toBe(true);
  });
});
