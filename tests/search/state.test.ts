import { describe, expect, it } from "vitest";
import {
  MAX_QUERY_LENGTH,
  activeFilterCount,
  queryWords,
  statusText,
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
    expect(readState("?topic=Iran&topic=Iran&topic=%20&author=&utm_source=x").filters).toEqual({
      topic: ["Iran"],
      author: [],
      section: [],
      year: [],
    });
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

  it("is true for a date order alone: every article, newest or oldest first", () => {
    expect(isActive(readState("?sort=newest"))).toBe(true);
    expect(isActive(readState("?sort=oldest"))).toBe(true);
  });
});

describe("activeFilterCount", () => {
  it("counts the chosen values over every facet", () => {
    expect(activeFilterCount(readState("?topic=Iran&topic=Syria&year=2023&q=x").filters)).toBe(3);
    expect(activeFilterCount(readState("").filters)).toBe(0);
  });
});

describe("queryWords", () => {
  it("gives the distinct words, lower-cased, without punctuation, emoji or empty words", () => {
    expect(queryWords(` Harbour, "strike"  harbour 📰 -- `, "en")).toEqual(["harbour", "strike"]);
    expect(queryWords("חמאס ואיראן", "he")).toEqual(["חמאס", "ואיראן"]);
    expect(queryWords("   ", "en")).toEqual([]);
  });
});

describe("statusText", () => {
  const format = (count: number) => count.toLocaleString("en");
  const found = { total: 12, withAll: 12, words: ["harbour"], query: "harbour", order: "relevance" as const, hasWords: true };

  it("gives the count and the words, and the order when it is a date order", () => {
    expect(statusText(found, format)).toBe("12 articles for “harbour”.");
    expect(statusText({ ...found, total: 1, withAll: 1, order: "oldest" }, format)).toBe("1 article for “harbour”, oldest first.");
    expect(statusText({ ...found, words: [], query: "", hasWords: false, total: 1200, withAll: 1200 }, format)).toBe(
      "1,200 articles, newest first.",
    );
  });

  it("says plainly when no article holds every word", () => {
    expect(statusText({ ...found, words: ["harbour", "strike"], query: "harbour strike", withAll: 0 }, format)).toBe(
      "No article contains all of “harbour strike”. 12 articles contain some of the words.",
    );
  });

  it("says when nothing matches, with or without words", () => {
    expect(statusText({ ...found, total: 0, withAll: 0 }, format)).toBe(
      "No articles match “harbour” with these filters. Try fewer words or remove a filter.",
    );
    expect(statusText({ ...found, total: 0, withAll: 0, words: [], query: "", hasWords: false }, format)).toBe(
      "No articles match these filters.",
    );
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
    expect(facetEntries("topic", { Syria: 2, Iran: 5, Books: 2, Energy: 0 }, [], "en").map((entry) => entry.value)).toEqual([
      "Iran",
      "Books",
      "Syria",
    ]);
  });

  it("keeps a chosen value even when nothing matches it", () => {
    expect(facetEntries("topic", { Iran: 5 }, ["Gone"], "en")).toEqual([
      { value: "Iran", count: 5, selected: false },
      { value: "Gone", count: 0, selected: true },
    ]);
  });

  it("lists years newest first", () => {
    expect(facetEntries("year", { "2019": 9, "2024": 1, "2021": 3 }, [], "en").map((entry) => entry.value)).toEqual([
      "2024",
      "2021",
      "2019",
    ]);
  });
});
