import { describe, expect, it } from "vitest";
import {
  MAX_QUERY_LENGTH,
  facetEntries,
  isActive,
  pagefindFilters,
  pagefindSort,
  readState,
  writeState,
} from "../../_includes/js/search-state.js";

describe("readState", () => {
  it("reads words, repeated facet values and the sort from the query string", () => {
    expect(readState("?q=hezbollah&topic=Iran&topic=Syria&year=2023&sort=newest")).toEqual({
      q: "hezbollah",
      sort: "newest",
      filters: { topic: ["Iran", "Syria"], author: [], section: [], year: ["2023"] },
    });
  });

  it("falls back to relevance for a missing or unknown sort", () => {
    expect(readState("?q=a").sort).toBe("relevance");
    expect(readState("?q=a&sort=random").sort).toBe("relevance");
  });

  it("drops empty and repeated facet values and ignores unknown parameters", () => {
    expect(readState("?topic=Iran&topic=Iran&topic=%20&author=&utm_source=x").filters).toEqual({ topic: ["Iran"], author: [], section: [], year: [] });
  });

  it("decodes non-Latin values", () => {
    expect(readState(`?topic=${encodeURIComponent("ירושלים")}`).filters.topic).toEqual(["ירושלים"]);
  });

  it("cuts an overlong query to the longest kept length", () => {
    expect(readState(`?q=${"a".repeat(5000)}`).q).toHaveLength(MAX_QUERY_LENGTH);
  });
});

describe("writeState", () => {
  it("writes q, facets and sort in a fixed order and leaves out the defaults", () => {
    const state = readState("?sort=newest&topic=Iran&q=hezbollah");
    expect(writeState(state)).toBe("?q=hezbollah&topic=Iran&sort=newest");
  });

  it("gives an empty string for the empty state", () => {
    expect(writeState(readState(""))).toBe("");
  });

  it("round-trips through readState", () => {
    const search = `?q=${encodeURIComponent('"quoted" & <b>')}&author=Ada+Reporter&section=World&year=2019&year=2020&sort=oldest`;
    expect(readState(writeState(readState(search)))).toEqual(readState(search));
  });
});

describe("isActive", () => {
  it("is false with no words and no filters, true with either", () => {
    expect(isActive(readState("?q=%20%20"))).toBe(false);
    expect(isActive(readState("?q=iran"))).toBe(true);
    expect(isActive(readState("?year=2020"))).toBe(true);
  });
});

describe("pagefindFilters", () => {
  it("asks for any of a facet's values and all facets together", () => {
    expect(pagefindFilters(readState("?topic=Iran&topic=Syria&year=2023").filters)).toEqual({
      topic: { any: ["Iran", "Syria"] },
      year: { any: ["2023"] },
    });
  });

  it("leaves out the facet being counted", () => {
    expect(pagefindFilters(readState("?topic=Iran&year=2023").filters, "topic")).toEqual({ year: { any: ["2023"] } });
  });
});

describe("pagefindSort", () => {
  it("sorts by date for newest and oldest", () => {
    expect(pagefindSort("newest", true)).toEqual({ date: "desc" });
    expect(pagefindSort("oldest", true)).toEqual({ date: "asc" });
  });

  it("leaves relevance to Pagefind when there are words, and lists newest first when browsing", () => {
    expect(pagefindSort("relevance", true)).toBeUndefined();
    expect(pagefindSort("relevance", false)).toEqual({ date: "desc" });
  });
});

describe("facetEntries", () => {
  it("orders values by count, then name, and hides values nothing matches", () => {
    expect(facetEntries("topic", { Syria: 2, Iran: 5, Books: 2, Energy: 0 }, [], "en").map((entry) => entry.value)).toEqual(["Iran", "Books", "Syria"]);
  });

  it("keeps a chosen value even when nothing matches it", () => {
    expect(facetEntries("topic", { Iran: 5 }, ["Gone"], "en")).toEqual([
      { value: "Iran", count: 5, selected: false },
      { value: "Gone", count: 0, selected: true },
    ]);
  });

  it("lists years newest first", () => {
    expect(facetEntries("year", { "2019": 9, "2024": 1, "2021": 3 }, [], "en").map((entry) => entry.value)).toEqual(["2024", "2021", "2019"]);
  });
});
