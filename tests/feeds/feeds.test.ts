import { describe, expect, it } from "vitest";
import { entryId, head } from "../../src/feeds/index.ts";

describe("entryId", () => {
  it("builds a tag URI from the authority, the UTC publication day and the path", () => {
    expect(entryId("news.example,2026", "2013-08-04T09:00:00+03:00", "/2013/08/04/story/")).toBe(
      "tag:news.example,2026:2013-08-04:/2013/08/04/story/",
    );
  });
});

describe("head", () => {
  it("keeps the first items in order", () => {
    expect(head(["a", "b", "c"], 2)).toEqual(["a", "b"]);
  });

  it("gives an empty list for a non-positive count", () => {
    expect(head(["a"], -1)).toEqual([]);
  });
});
