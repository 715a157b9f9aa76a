import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  type SitemapArticle,
  type SitemapEntry,
  SITEMAP_URL_LIMIT,
  newsEntries,
  robotsTxt,
  sitemapChunks,
  sitemapEntries,
  sitemapFileUrls,
  sitemapUrlLimit,
} from "../../src/sitemaps/sitemap.ts";

const site = { url: "https://news.test", timezone: "Asia/Jerusalem" };
const article = (url: string, date: string, updated?: string): SitemapArticle => ({
  url,
  data: { title: `Title of ${url}`, date, updated },
});
const entries = (count: number): SitemapEntry[] =>
  Array.from({ length: count }, (_, index) => ({ loc: `https://news.test/${index}/`, lastmod: `x${index}`, lastmodMillis: index }));

describe("sitemapChunks", () => {
  it("splits into files of at most the limit, numbered from 1", () => {
    const chunks = sitemapChunks(entries(25), 10);
    expect(chunks.map((chunk) => chunk.entries.length)).toEqual([10, 10, 5]);
    expect(chunks.map((chunk) => chunk.url)).toEqual(["/sitemaps/sitemap-1.xml", "/sitemaps/sitemap-2.xml", "/sitemaps/sitemap-3.xml"]);
  });

  it("keeps every entry once, in order", () => {
    const all = entries(25);
    expect(sitemapChunks(all, 10).flatMap((chunk) => chunk.entries)).toEqual(all);
  });

  it("makes one file when everything fits exactly", () => {
    expect(sitemapChunks(entries(10), 10)).toHaveLength(1);
  });

  it("dates each file by its newest entry, compared as instants", () => {
    const chunk = sitemapChunks(
      [
        { loc: "a", lastmod: "2024-01-01T23:00:00.000-05:00", lastmodMillis: Date.parse("2024-01-01T23:00:00.000-05:00") },
        { loc: "b", lastmod: "2024-01-02T03:00:00.000+02:00", lastmodMillis: Date.parse("2024-01-02T03:00:00.000+02:00") },
        { loc: "c" },
      ],
      10,
    )[0];
    expect(chunk?.lastmod).toBe("2024-01-01T23:00:00.000-05:00");
  });

  it("gives a file with no dated entry no lastmod", () => {
    expect(sitemapChunks([{ loc: "a" }], 10)[0]?.lastmod).toBeUndefined();
  });

  it("defaults to the protocol's 50,000 URLs and splits 100,001 URLs into three files", () => {
    const chunks = sitemapChunks(entries(2 * SITEMAP_URL_LIMIT + 1));
    expect(chunks.map((chunk) => chunk.entries.length)).toEqual([50_000, 50_000, 1]);
  });

  it("refuses a limit below one", () => {
    expect(() => sitemapChunks(entries(1), 0)).toThrow(/at least one URL/);
  });
});

describe("sitemapUrlLimit", () => {
  it("is 50,000 when unset or empty", () => {
    expect(sitemapUrlLimit(undefined)).toBe(50_000);
    expect(sitemapUrlLimit("")).toBe(50_000);
  });

  it("reads a whole number", () => {
    expect(sitemapUrlLimit("10")).toBe(10);
  });

  it.each(["0", "-3", "2.5", "ten", "50001"])("refuses %j", (value) => {
    expect(() => sitemapUrlLimit(value)).toThrow(/SITEMAP_URL_LIMIT/);
  });
});

describe("sitemapFileUrls", () => {
  it("names the index and the files sitemapChunks makes of the entries, without making them", () => {
    const articles = Array.from({ length: 23 }, (_, index) => article(`/2024/01/${index + 1}/a/`, "2024-01-01"));
    const listings = Array.from({ length: 5 }, (_, index) => ({ kind: "topic", url: `/topics/t${index}/`, items: articles.slice(index) }));
    for (const limit of [1, 7, 10, 31, 32, SITEMAP_URL_LIMIT]) {
      const chunks = sitemapChunks(sitemapEntries(articles, listings, site), limit);
      expect(sitemapFileUrls(articles.length, listings.length, limit), `limit ${limit}`).toEqual([
        "/sitemap.xml",
        ...chunks.map((chunk) => chunk.url),
      ]);
    }
  });
});

describe("sitemapEntries", () => {
  const newer = article("/2024/02/01/newer/", "2024-02-01");
  const older = article("/2023/05/10/חמאס/", "2023-05-10", "2024-03-01T10:00:00+02:00");
  const listings = [
    { kind: "latest", url: "/", items: [newer, older] },
    { kind: "topic", url: "/topics/iran/", items: [older] },
    { kind: "year", url: "/2024/", items: [newer] },
  ];

  it("lists articles oldest first, with absolute percent-encoded URLs", () => {
    const locs = sitemapEntries([newer, older], listings, site).map((entry) => entry.loc);
    expect(locs.slice(0, 2)).toEqual(["https://news.test/2023/05/10/%D7%97%D7%9E%D7%90%D7%A1/", "https://news.test/2024/02/01/newer/"]);
  });

  it("dates an article by its update, else by its publication, with the site's offset", () => {
    const [first, second] = sitemapEntries([newer, older], listings, site);
    expect(first?.lastmod).toBe("2024-03-01T10:00:00.000+02:00");
    expect(second?.lastmod).toBe("2024-02-01T00:00:00.000+02:00");
  });

  it("dates a listing page by the newest change among its articles", () => {
    const byLoc = new Map(sitemapEntries([newer, older], listings, site).map((entry) => [entry.loc, entry.lastmod]));
    expect(byLoc.get("https://news.test/")).toBe("2024-03-01T10:00:00.000+02:00");
    expect(byLoc.get("https://news.test/2024/")).toBe("2024-02-01T00:00:00.000+02:00");
  });

  it("dates an index page by the listings it links to, and leaves an empty index undated", () => {
    const byLoc = new Map(sitemapEntries([newer, older], listings, site).map((entry) => [entry.loc, entry.lastmod]));
    expect(byLoc.get("https://news.test/topics/")).toBe("2024-03-01T10:00:00.000+02:00");
    expect(byLoc.get("https://news.test/archive/")).toBe("2024-02-01T00:00:00.000+02:00");
    expect(byLoc.has("https://news.test/sections/")).toBe(true);
    expect(byLoc.get("https://news.test/sections/")).toBeUndefined();
  });

  it("lists every article, index page and listing page exactly once", () => {
    const locs = sitemapEntries([newer, older], listings, site).map((entry) => entry.loc);
    expect(locs).toHaveLength(2 + 4 + 3);
    expect(new Set(locs).size).toBe(locs.length);
  });
});

describe("newsEntries", () => {
  const now = DateTime.fromISO("2024-03-01T00:00:00Z", { zone: "utc" });
  const newestFirst = [
    article("/2024/03/02/embargoed/", "2024-03-02T06:00:00+02:00"),
    article("/2024/02/29/breaking/", "2024-02-29T10:00:00+02:00"),
    article("/2024/02/28/edge/", "2024-02-28T00:00:00Z"),
    article("/2024/02/27/old/", "2024-02-27T23:59:00Z"),
  ];

  it("keeps what was published in the two days up to the build time, newest first", () => {
    expect(newsEntries(newestFirst, now, site).map((entry) => entry.loc)).toEqual([
      "https://news.test/2024/02/29/breaking/",
      "https://news.test/2024/02/28/edge/",
    ]);
  });

  it("gives title and publication date with the site's offset", () => {
    expect(newsEntries(newestFirst, now, site)[0]).toEqual({
      loc: "https://news.test/2024/02/29/breaking/",
      title: "Title of /2024/02/29/breaking/",
      publicationDate: "2024-02-29T10:00:00.000+02:00",
    });
  });

  it("stops at the limit", () => {
    expect(newsEntries(newestFirst, now, site, 2, 1)).toHaveLength(1);
  });

  it("is empty when nothing is recent", () => {
    expect(newsEntries(newestFirst.slice(3), now, site)).toEqual([]);
  });
});

describe("robotsTxt", () => {
  it("allows everything and names the sitemap index and the news sitemap", () => {
    expect(robotsTxt("https://news.test").split("\n")).toEqual([
      "User-agent: *",
      "Allow: /",
      "",
      "Sitemap: https://news.test/sitemap.xml",
      "Sitemap: https://news.test/news-sitemap.xml",
      "",
    ]);
  });
});
