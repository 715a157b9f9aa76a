import { describe, expect, it } from "vitest";
import { mergeCounts, mergeSearches } from "../../_includes/js/search-bundles.js";

const search = (ids: [string, number][], filters: Record<string, Record<string, number>> = {}) => ({
  results: ids.map(([id, score]) => ({ id, score })),
  unfilteredResultCount: ids.length,
  filters,
  totalFilters: filters,
});
const ids = (merged: { results: { id: string }[] }) => merged.results.map((result) => result.id);

describe("mergeSearches", () => {
  const older = search([["old-1", 0.2], ["old-2", 0.9]], { year: { "2001": 2 } });
  const newer = search([["new-1", 0.5], ["new-2", 0.1]], { year: { "2013": 1, "2001": 1 } });

  it("orders by relevance across bundles when no sort is asked for", () => {
    expect(ids(mergeSearches([older, newer], undefined))).toEqual(["old-2", "new-1", "old-1", "new-2"]);
  });

  it("keeps each bundle's date order, newest bundle first, for a descending date sort", () => {
    expect(ids(mergeSearches([older, newer], { date: "desc" }))).toEqual(["new-1", "new-2", "old-1", "old-2"]);
  });

  it("keeps each bundle's date order, oldest bundle first, for an ascending date sort", () => {
    expect(ids(mergeSearches([older, newer], { date: "asc" }))).toEqual(["old-1", "old-2", "new-1", "new-2"]);
  });

  it("adds up the result and filter counts", () => {
    const merged = mergeSearches([older, newer], undefined);
    expect(merged.unfilteredResultCount).toBe(4);
    expect(merged.filters).toEqual({ year: { "2001": 3, "2013": 1 } });
  });
});

describe("mergeCounts", () => {
  it("adds counts value by value without changing its inputs", () => {
    const a = { topic: { Iran: 1 } };
    expect(mergeCounts([a, { topic: { Iran: 2, Syria: 1 }, year: { "2001": 1 } }])).toEqual({ topic: { Iran: 3, Syria: 1 }, year: { "2001": 1 } });
    expect(a).toEqual({ topic: { Iran: 1 } });
  });
});
