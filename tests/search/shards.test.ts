import { describe, expect, it } from "vitest";
import { ARTICLE_PAGES_GLOB, SEARCH_SHARD_SIZE, planSearchShards, searchShardSize } from "../../src/search/shards.ts";

const urls = (day: string, count: number) => Array.from({ length: count }, (_, i) => `/${day}/article-${i}/`);

describe("planSearchShards", () => {
  it("keeps an archive that fits in one bundle in /pagefind/, with every article page", () => {
    expect(planSearchShards([...urls("2013/08/04", 3), ...urls("2001/01/01", 2)], 5)).toEqual([
      { bundle: "/pagefind/", globs: [ARTICLE_PAGES_GLOB], articles: 5 },
    ]);
  });

  it("gives an empty archive the one bundle, so the search page always has an index", () => {
    expect(planSearchShards([])).toEqual([{ bundle: "/pagefind/", globs: [ARTICLE_PAGES_GLOB], articles: 0 }]);
  });

  it("packs whole months, oldest first, into bundles of at most the limit, named after their first month", () => {
    const plan = planSearchShards(
      [...urls("2002/03/09", 2), ...urls("2001/01/05", 2), ...urls("2001/02/07", 1), ...urls("2001/02/08", 1)],
      4,
    );
    expect(plan).toEqual([
      { bundle: "/pagefind/2001-01/", globs: ["2001/01/[0-9][0-9]/*/index.html", "2001/02/[0-9][0-9]/*/index.html"], articles: 4 },
      { bundle: "/pagefind/2002-03/", globs: ["2002/03/[0-9][0-9]/*/index.html"], articles: 2 },
    ]);
  });

  it("splits a month bigger than a bundle by day", () => {
    const plan = planSearchShards([...urls("2001/01/05", 2), ...urls("2001/01/06", 2), ...urls("2001/01/07", 1)], 3);
    expect(plan.map(({ bundle, globs, articles }) => [bundle, globs, articles])).toEqual([
      ["/pagefind/2001-01-05/", ["2001/01/05/*/index.html"], 2],
      ["/pagefind/2001-01-06/", ["2001/01/06/*/index.html", "2001/01/07/*/index.html"], 3],
    ]);
  });

  it("puts every article in exactly one bundle", () => {
    const all = [...urls("2001/01/05", 7), ...urls("2001/03/01", 4), ...urls("2004/11/30", 9), ...urls("2005/01/01", 1)];
    const plan = planSearchShards(all, 5);
    expect(plan.reduce((sum, shard) => sum + shard.articles, 0)).toBe(all.length);
    expect(new Set(plan.map((shard) => shard.bundle)).size).toBe(plan.length);
  });

  it("refuses a URL that is not an article URL, naming it", () => {
    expect(() => planSearchShards(["/2001/01/01/a/", "/about/"], 1)).toThrow("/about/ is not an article URL of the form /YYYY/MM/DD/slug/");
  });
});

describe("searchShardSize", () => {
  it("defaults to SEARCH_SHARD_SIZE and reads a whole number", () => {
    expect(searchShardSize(undefined)).toBe(SEARCH_SHARD_SIZE);
    expect(searchShardSize("250")).toBe(250);
  });

  it("names the variable and the value it cannot use", () => {
    expect(() => searchShardSize("0")).toThrow('SEARCH_SHARD_SIZE must be a whole number of at least 1, not "0"');
    expect(() => searchShardSize("ten")).toThrow('not "ten"');
  });
});
