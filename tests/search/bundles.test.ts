import { describe, expect, it } from "vitest";
import { allWordsFirst, bundlesFor, idf, joinSearches, mergeCounts, rankAcrossBundles } from "../../_includes/js/search-bundles.js";

describe("allWordsFirst", () => {
  const results = ["a", "b", "c", "d"].map((id) => ({ id, score: 1 }));

  it("puts the results holding every word first, each group in the order given, with the words each holds", () => {
    const found = allWordsFirst(results, ["harbour", "strike"], [new Set(["a", "b", "d"]), new Set(["b", "c", "d"])]);
    expect(found.hits.map((hit) => [hit.result.id, hit.words])).toEqual([
      ["b", ["harbour", "strike"]],
      ["d", ["harbour", "strike"]],
      ["a", ["harbour"]],
      ["c", ["strike"]],
    ]);
    expect(found.withAll).toBe(2);
  });

  it("counts none when no result holds every word", () => {
    expect(allWordsFirst(results, ["x", "y"], [new Set(["a"]), new Set(["b"])]).withAll).toBe(0);
  });
});

describe("rankAcrossBundles", () => {
  const result = (id: string, score: number) => ({ id, score });

  it("scales each bundle's scores to the whole archive's word frequencies", () => {
    // "harbour" is on 9 of 10 pages of the old bundle (a low weight there) and 1 of 10 of the new one (a high weight):
    // over 20 pages it is on 10, so the new bundle's page must not win on its bundle's rarity alone.
    const ranked = rankAcrossBundles(
      [
        { bundle: "old", results: [result("old-1", 0.5)] },
        { bundle: "new", results: [result("new-1", 1.5)] },
      ],
      [
        {
          scores: new Map([
            ["old-1", 0.5],
            ["new-1", 1.5],
          ]),
          containing: { old: 9, new: 1 },
        },
      ],
      { old: 10, new: 10 },
    );
    const overall = idf(20, 10);
    expect(ranked.map((entry) => entry.result.id)).toEqual(
      0.5 * (overall / idf(10, 9)) > 1.5 * (overall / idf(10, 1)) ? ["old-1", "new-1"] : ["new-1", "old-1"],
    );
    expect(ranked.find((entry) => entry.result.id === "new-1")?.score).toBeCloseTo(1.5 * (overall / idf(10, 1)));
  });

  it("keeps the order of scores when the word is as frequent in every bundle", () => {
    const ranked = rankAcrossBundles(
      [
        { bundle: "old", results: [result("a", 1), result("b", 3)] },
        { bundle: "new", results: [result("c", 2)] },
      ],
      [
        {
          scores: new Map([
            ["a", 1],
            ["b", 3],
            ["c", 2],
          ]),
          containing: { old: 2, new: 2 },
        },
      ],
      { old: 5, new: 5 },
    );
    expect(ranked.map((entry) => entry.result.id)).toEqual(["b", "c", "a"]);
  });
});

describe("mergeCounts", () => {
  it("adds counts value by value without changing its inputs", () => {
    const a = { topic: { Iran: 1 } };
    expect(mergeCounts([a, { topic: { Iran: 2, Syria: 1 }, year: { "2001": 1 } }])).toEqual({
      topic: { Iran: 3, Syria: 1 },
      year: { "2001": 1 },
    });
    expect(a).toEqual({ topic: { Iran: 1 } });
  });
});

describe("joinSearches", () => {
  const result = (id: string, score: number) => ({ id, score, words: [], data: () => Promise.reject(new Error("not loaded")) });

  it("joins several bundles' answers by score, highest first and ties in bundle order, adding up the counts", () => {
    const joined = joinSearches([
      {
        results: [result("a", 3), result("b", 1)],
        unfilteredResultCount: 4,
        filters: { year: { "2001": 2 } },
        totalFilters: { year: { "2001": 3 } },
      },
      {
        results: [result("c", 2), result("d", 1)],
        unfilteredResultCount: 5,
        filters: { year: { "2002": 2 } },
        totalFilters: { year: { "2001": 1, "2002": 4 } },
      },
    ]);
    expect(joined.results.map((each) => each.id)).toEqual(["a", "c", "b", "d"]);
    expect(joined.unfilteredResultCount).toBe(9);
    expect(joined.filters).toEqual({ year: { "2001": 2, "2002": 2 } });
    expect(joined.totalFilters).toEqual({ year: { "2001": 4, "2002": 4 } });
  });

  it("answers nothing for no bundle", () => {
    expect(joinSearches([])).toEqual({ results: [], unfilteredResultCount: 0, filters: {}, totalFilters: {} });
  });
});

describe("bundlesFor", () => {
  const bundles = [
    { url: "/pagefind/2019-01/", years: ["2019", "2020"], articles: 10 },
    { url: "/pagefind/2020-06/", years: ["2020", "2021"], articles: 10 },
    { url: "/pagefind/2022-01/", years: ["2022"], articles: 10 },
  ];
  const urls = (list: { url: string }[]) => list.map((bundle) => bundle.url);

  it("touches only the bundles holding a chosen year when browsing by year", () => {
    expect(urls(bundlesFor(bundles, false, { year: { any: ["2020"] } }))).toEqual(["/pagefind/2019-01/", "/pagefind/2020-06/"]);
    expect(urls(bundlesFor(bundles, false, { year: { any: ["2022", "2019"] } }))).toEqual(["/pagefind/2019-01/", "/pagefind/2022-01/"]);
  });

  it("touches only the bundles holding a chosen year when other filters narrow the year further", () => {
    expect(urls(bundlesFor(bundles, false, { year: { any: ["2022"] }, topic: { any: ["Iran"] } }))).toEqual(["/pagefind/2022-01/"]);
  });

  it("needs every bundle for words, or for filters without a year", () => {
    expect(bundlesFor(bundles, true, { year: { any: ["2022"] } })).toHaveLength(3);
    expect(bundlesFor(bundles, false, { topic: { any: ["Iran"] } })).toHaveLength(3);
  });

  it("always includes the one bundle of a small archive", () => {
    expect(bundlesFor([{ url: "/pagefind/", years: null, articles: 5 }], false, { year: { any: ["1999"] } })).toHaveLength(1);
  });
});
