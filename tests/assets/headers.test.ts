import { describe, expect, it } from "vitest";
import { FEED_ARCHIVE_CACHE, IMMUTABLE_CACHE, SHORT_CACHE, headerRules, headersFile, stylesheetUrl } from "../../src/assets/index.ts";

const rules = headerRules([2024, 2013]);
const cacheOf = (path: string) => rules.find((rule) => rule.path === path)?.headers["Cache-Control"];

describe("headerRules", () => {
  it("sends nosniff and a referrer policy with every response", () => {
    expect(rules[0]).toEqual({
      path: "/*",
      headers: { "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin" },
    });
  });

  it("caches Pagefind's hashed chunks and the generated images for a year, immutably", () => {
    for (const path of ["/pagefind/fragment/*", "/pagefind/index/*", "/pagefind/filter/*", "/img/*", "/css/*"])
      expect(cacheOf(path)).toBe(IMMUTABLE_CACHE);
  });

  it("caches the hashed chunks of every search bundle of a large archive", () => {
    const sharded = headerRules([2024], ["/pagefind/2001-01/", "/pagefind/2013-05/"]);
    const immutable = sharded.filter((rule) => rule.headers["Cache-Control"] === IMMUTABLE_CACHE).map((rule) => rule.path);
    expect(immutable).toEqual(
      expect.arrayContaining(["/pagefind/2001-01/fragment/*", "/pagefind/2001-01/index/*", "/pagefind/2013-05/filter/*"]),
    );
    expect(immutable).not.toContain("/pagefind/fragment/*");
  });

  it("caches pages, feeds and sitemaps briefly, one rule per archive year", () => {
    for (const path of [
      "/",
      "/topics/*",
      "/feed.xml",
      "/feed.json",
      "/sitemap.xml",
      "/sitemaps/*",
      "/news-sitemap.xml",
      "/2024/*",
      "/2013/*",
    ]) {
      expect(cacheOf(path)).toBe(SHORT_CACHE);
    }
  });

  it("caches the feed archives for a day and then revalidates them, never immutably: a closed month can still be corrected", () => {
    expect(cacheOf("/feeds/*")).toBe(FEED_ARCHIVE_CACHE);
    expect(FEED_ARCHIVE_CACHE).toContain("must-revalidate");
    expect(FEED_ARCHIVE_CACHE).not.toContain("immutable");
  });

  it("never gives Cache-Control twice to one path, so hosts that join matching rules cannot mix policies", () => {
    const paths = rules.filter((rule) => "Cache-Control" in rule.headers).map((rule) => rule.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).not.toContain("/*");
    expect(paths).not.toContain("/pagefind/*");
  });
});

describe("headersFile", () => {
  it("writes each path with its headers indented under it, blocks apart", () => {
    expect(
      headersFile([
        { path: "/a/*", headers: { "X-One": "1", "X-Two": "2" } },
        { path: "/", headers: { "X-Three": "3" } },
      ]),
    ).toBe("/a/*\n  X-One: 1\n  X-Two: 2\n\n/\n  X-Three: 3\n");
  });
});

describe("stylesheetUrl", () => {
  it("names the stylesheet by its content, so a changed stylesheet gets a new URL", () => {
    expect(stylesheetUrl("a{}")).toMatch(/^\/css\/site\.[0-9a-f]{10}\.css$/);
    expect(stylesheetUrl("a{}")).toBe(stylesheetUrl("a{}"));
    expect(stylesheetUrl("a{}")).not.toBe(stylesheetUrl("b{}"));
  });
});
