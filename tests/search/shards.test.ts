import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ARTICLE_PAGES_GLOB,
  SEARCH_SHARD_SIZE,
  type SearchShard,
  articlePagesOf,
  bundleIndexOf,
  planSearchShards,
  searchShardSize,
} from "../../src/search/shards.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const scratch = scratchFolder("broadsheet-search-shards-unit-");

const urls = (day: string, count: number) => Array.from({ length: count }, (_, i) => `/${day}/article-${i}/`);

/** `count` articles a day from `first` (`YYYY-MM-DD`, UTC) for `days` days, oldest first. */
function daily(first: string, days: number, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: days }, (_, d) => new Date(start + d * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "/")).flatMap(
    (day) => urls(day, count),
  );
}

/** The `YYYY/MM/DD` of an article URL. */
const dayOf = (url: string) => url.slice(1, "/YYYY/MM/DD".length);

/** The one bundle whose globs match a URL's page (as Pagefind and the cache match them); throws if not exactly one. */
function bundleOf(plan: readonly SearchShard[], url: string): string {
  const day = dayOf(url);
  const shards = plan.filter((candidate) =>
    candidate.globs.some(
      (glob) => glob === ARTICLE_PAGES_GLOB || day.startsWith(glob.replace(/\/(\[0-9\]\[0-9\]\/)?\*\/index\.html$/, "")),
    ),
  );
  if (shards.length !== 1) throw new Error(`${url} is in ${shards.length} bundles: ${shards.map((shard) => shard.bundle).join(", ")}`);
  return shards[0]!.bundle;
}

describe("planSearchShards", () => {
  // Most cases pass a split of 5 (sub-bundles of a fifth of the limit), which keeps their numbers small; the default
  // split has a case of its own.
  it("keeps an archive of at most a sub-bundle's worth in /pagefind/, with every article page", () => {
    expect(planSearchShards([...urls("2013/08/04", 3), ...urls("2001/01/01", 2)], 25, 5)).toEqual([
      { bundle: "/pagefind/", globs: [ARTICLE_PAGES_GLOB], articles: 5 },
    ]);
    expect(planSearchShards([...urls("2013/08/04", 3), ...urls("2001/01/01", 3)], 25, 5)).toHaveLength(2);
  });

  it("gives an empty archive the one bundle, so the search page always has an index", () => {
    expect(planSearchShards([])).toEqual([{ bundle: "/pagefind/", globs: [ARTICLE_PAGES_GLOB], articles: 0 }]);
  });

  it("seals whole months, oldest first, into bundles of at most the limit, and splits the newest range into sub-bundles", () => {
    const plan = planSearchShards(
      [
        ...urls("2001/01/05", 4),
        ...urls("2001/02/07", 5),
        ...urls("2001/03/01", 1),
        ...urls("2001/03/02", 2),
        ...urls("2001/04/09", 1),
        ...urls("2001/05/01", 1),
      ],
      10,
      5,
    );
    expect(plan).toEqual([
      { bundle: "/pagefind/2001-01/", globs: ["2001/01/[0-9][0-9]/*/index.html", "2001/02/[0-9][0-9]/*/index.html"], articles: 9 },
      // The newest range (March to May, 5 articles) in sub-bundles of at most 2; March, too big for one, by day.
      { bundle: "/pagefind/2001-03-01/", globs: ["2001/03/01/*/index.html"], articles: 1 },
      { bundle: "/pagefind/2001-03-02/", globs: ["2001/03/02/*/index.html"], articles: 2 },
      { bundle: "/pagefind/2001-04/", globs: ["2001/04/[0-9][0-9]/*/index.html", "2001/05/[0-9][0-9]/*/index.html"], articles: 2 },
    ]);
  });

  it("splits an archive of less than a bundle into about ten sub-bundles", () => {
    const plan = planSearchShards(daily("2020-01-01", 300, 30), 10_000);
    expect(plan.reduce((sum, shard) => sum + shard.articles, 0)).toBe(9_000);
    expect(plan.length).toBeGreaterThanOrEqual(9);
    expect(plan.length).toBeLessThanOrEqual(11);
    for (const shard of plan) expect(shard.articles, shard.bundle).toBeLessThanOrEqual(1_000);
  });

  it("splits a month bigger than a bundle by day", () => {
    const plan = planSearchShards([...urls("2001/01/05", 2), ...urls("2001/01/06", 2), ...urls("2001/01/07", 1)], 15, 5);
    expect(plan.map(({ bundle, globs, articles }) => [bundle, globs, articles])).toEqual([
      ["/pagefind/2001-01-05/", ["2001/01/05/*/index.html"], 2],
      ["/pagefind/2001-01-06/", ["2001/01/06/*/index.html", "2001/01/07/*/index.html"], 3],
    ]);
  });

  it("puts every article in exactly one bundle", () => {
    const all = [...urls("2001/01/05", 7), ...urls("2001/03/01", 4), ...urls("2004/11/30", 9), ...urls("2005/01/01", 1)];
    const plan = planSearchShards(all, 5, 5);
    expect(plan.reduce((sum, shard) => sum + shard.articles, 0)).toBe(all.length);
    expect(new Set(plan.map((shard) => shard.bundle)).size).toBe(plan.length);
    for (const url of all) bundleOf(plan, url);
  });

  it("never lets a month's glob reach days of an earlier bundle, when the newest range starts inside a split month", () => {
    // February (14) is split by day for bundles of 12: the sealed bundle ends on the 12th, the newest range (a
    // sub-bundle's worth, 2) is the 13th and 14th.
    const all = [...daily("2024-01-01", 12, 1), ...daily("2024-02-01", 14, 1)];
    const plan = planSearchShards(all, 12, 5);
    expect(plan.map((shard) => shard.bundle)).toEqual(["/pagefind/2024-01/", "/pagefind/2024-02-01/", "/pagefind/2024-02-13/"]);
    expect(plan.at(-1)?.globs).toEqual(["2024/02/13/*/index.html", "2024/02/14/*/index.html"]);
    for (const url of all) bundleOf(plan, url);
  });

  it("lists articles in date order when the bundles are read in order", () => {
    // Uneven months: some fit a sub-bundle, some are split by day, some are bigger than a sealed bundle.
    const all = [
      ...daily("2001-01-01", 31, 1),
      ...daily("2001-02-01", 28, 9),
      ...daily("2001-03-01", 10, 2),
      ...daily("2001-04-01", 30, 3),
      ...daily("2001-05-01", 31, 1),
      ...daily("2001-06-01", 3, 5),
    ];
    for (const size of [7, 10, 40, 100, 300, 10_000]) {
      const plan = planSearchShards([...all].reverse(), size);
      const order = plan.map((shard) => shard.bundle);
      const read = [...all].sort((a, b) => order.indexOf(bundleOf(plan, a)) - order.indexOf(bundleOf(plan, b)));
      expect(read.map(dayOf), `SEARCH_SHARD_SIZE=${size}`).toEqual(all.map(dayOf));
      expect(
        plan.map((shard) => shard.articles).reduce((a, b) => a + b),
        `SEARCH_SHARD_SIZE=${size}`,
      ).toBe(all.length);
    }
  });

  it("seals a full range only once the range after it holds a sub-bundle's worth, so the newest articles stay in sub-bundles", () => {
    const full = daily("2001-01-01", 10, 1);
    // 10 articles fill a bundle of 10; the 11th, in a new month, does not seal it yet: every bundle is a sub-bundle.
    const one = planSearchShards([...full, ...urls("2001/02/01", 1)], 10, 5);
    expect(one.every((shard) => shard.articles <= 2)).toBe(true);
    expect(one.reduce((sum, shard) => sum + shard.articles, 0)).toBe(11);
    // The 12th makes February a sub-bundle's worth (2): January seals.
    expect(planSearchShards([...full, ...urls("2001/02/01", 2)], 10, 5).map(({ bundle, articles }) => [bundle, articles])).toEqual([
      ["/pagefind/2001-01/", 10],
      ["/pagefind/2001-02/", 2],
    ]);
  });

  it("changes only the last sub-bundle when a newest article is added, until the newest range is full", () => {
    // 3 a day from January 2020 with bundles of 200: sealed bundles of two months (~180), sub-bundles of at most 40
    // (a month, ~90, split by day).
    let archive = daily("2020-01-01", 400, 3);
    let plan = planSearchShards(archive, 200, 5);
    let merges = 0;
    // Half a year more of publishing, one article at a time, each the newest.
    for (const day of daily("2021-02-04", 180, 1)) {
      for (let n = 0; n < 3; n++) {
        archive = [...archive, `/${dayOf(day)}/newest-${n}/`];
        const next = planSearchShards(archive, 200, 5);
        const what = `${archive.length} articles`;
        // The newest 40 articles (a sub-bundle's worth) are never in a sealed bundle.
        let newest = 0;
        for (const shard of [...next].reverse()) {
          if (newest >= 40) break;
          expect(shard.articles, what).toBeLessThanOrEqual(40);
          newest += shard.articles;
        }
        if (JSON.stringify(next.slice(0, plan.length - 1)) === JSON.stringify(plan.slice(0, -1))) {
          // The last sub-bundle changed (or a new one started after it): at most 40 articles to index.
          expect(next.length - plan.length, what).toBeLessThanOrEqual(1);
          for (const shard of next.slice(plan.length - 1)) expect(shard.articles, what).toBeLessThanOrEqual(40);
        } else {
          // The newest range filled up: its sub-bundles became one sealed bundle, and the newest month, holding the
          // new article, starts the next range. Every older bundle stays.
          merges++;
          const sealed = next.findIndex((shard, i) => JSON.stringify(shard) !== JSON.stringify(plan[i]));
          expect(
            plan.slice(sealed).every((shard) => shard.articles <= 40),
            what,
          ).toBe(true);
          expect(next[sealed]?.articles, what).toBeGreaterThan(40);
          expect(next[sealed]?.articles, what).toBeLessThanOrEqual(200);
          for (const shard of next.slice(sealed + 1)) {
            expect(shard.articles, what).toBeLessThanOrEqual(40);
            expect(shard.bundle.startsWith(`/pagefind/${dayOf(day).slice(0, "YYYY/MM".length).replace("/", "-")}`), what).toBe(true);
          }
        }
        plan = next;
      }
    }
    // 540 articles: one merge per two months of ~90.
    expect(merges).toBe(3);
  });

  it("keeps the bundle before a month that grows past the sub-bundle size, once it is split by day", () => {
    const before = planSearchShards([...urls("2001/01/01", 15), ...urls("2001/02/01", 19)], 100, 5);
    const after = planSearchShards([...urls("2001/01/01", 15), ...urls("2001/02/01", 19), ...urls("2001/02/02", 2)], 100, 5);
    expect(after[0]).toEqual(before[0]);
    expect(after.map((shard) => shard.bundle)).toEqual(["/pagefind/2001-01/", "/pagefind/2001-02-01/", "/pagefind/2001-02-02/"]);
  });

  it("refuses a URL that is not an article URL, naming it", () => {
    expect(() => planSearchShards(["/2001/01/01/a/", "/about/"], 1)).toThrow("/about/ is not an article URL of the form /YYYY/MM/DD/slug/");
  });
});

describe("bundleIndexOf", () => {
  it("finds each article's bundle as the bundle's globs match it, for months packed whole and split by day", () => {
    // A month too big for a bundle (split by day), whole months packed together, and the newest sub-bundles.
    const all = [...daily("2012-01-01", 31, 20), ...daily("2012-02-01", 120, 2), ...daily("2012-06-01", 40, 3)];
    const plan = planSearchShards(all, 500);
    expect(plan.some((shard) => shard.globs.some((glob) => /^\d{4}\/\d{2}\/\d{2}\//.test(glob)))).toBe(true);
    const indexOf = bundleIndexOf(plan);
    for (const url of all) expect(plan[indexOf(url)!]?.bundle).toBe(bundleOf(plan, url));
  });

  it("puts every article in the one bundle of a small archive, and knows nothing of other pages", () => {
    const plan = planSearchShards(urls("2013/05/07", 10));
    expect(bundleIndexOf(plan)("/2013/05/07/article-3/")).toBe(0);
    expect(bundleIndexOf(plan)("/topics/energy/")).toBeUndefined();
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

describe("articlePagesOf", () => {
  it("lists a page for each folder of each day a bundle's globs cover, and nothing outside the article folders", async () => {
    const out = scratch();
    const pages = ["2001/01/02/a", "2001/01/02/b", "2001/01/31/c", "2001/02/01/d", "2001/ab/01/e", "2001/01/xx/f", "about"];
    for (const page of pages) {
      await mkdir(path.join(out, page), { recursive: true });
      await writeFile(path.join(out, page, "index.html"), "<p></p>");
    }
    await writeFile(path.join(out, "2001/01/02/not-a-folder.html"), "");
    await mkdir(path.join(out, "2001/01/02/.hidden"));
    // The one bundle of a small archive covers every date.
    expect(await articlePagesOf(out, [ARTICLE_PAGES_GLOB])).toEqual([
      "2001/01/02/a/index.html",
      "2001/01/02/b/index.html",
      "2001/01/31/c/index.html",
      "2001/02/01/d/index.html",
    ]);
    expect(await articlePagesOf(out, ["2001/01/[0-9][0-9]/*/index.html"])).toEqual([
      "2001/01/02/a/index.html",
      "2001/01/02/b/index.html",
      "2001/01/31/c/index.html",
    ]);
    expect(await articlePagesOf(out, ["2001/01/02/*/index.html", "2001/03/01/*/index.html"])).toEqual([
      "2001/01/02/a/index.html",
      "2001/01/02/b/index.html",
    ]);
    expect(await articlePagesOf(out, ["1999/01/[0-9][0-9]/*/index.html"])).toEqual([]);
    await expect(articlePagesOf(out, ["2001/*/index.html"])).rejects.toThrow('"2001/*/index.html" is not a glob of article pages');
  });
});
