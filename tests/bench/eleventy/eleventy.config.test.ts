import { describe, expect, it } from "vitest";
import { listingPages } from "../../../scripts/bench/eleventy/eleventy.config.ts";

describe("listingPages", () => {
  it("cuts a listing into pages of the size, the first at the listing's own URL", () => {
    const pages = listingPages("/topics/jury/", "Jury", [1, 2, 3, 4, 5], 2);
    expect(pages.map((page) => [page.url, page.items])).toEqual([
      ["/topics/jury/", [1, 2]],
      ["/topics/jury/page/2/", [3, 4]],
      ["/topics/jury/page/3/", [5]],
    ]);
    expect(pages.every((page) => page.title === "Jury")).toBe(true);
  });

  it("links each page to its newer and older neighbours", () => {
    const pages = listingPages("/", "Latest", [1, 2, 3, 4, 5], 2);
    expect(pages.map((page) => [page.newer, page.older])).toEqual([
      [undefined, "/page/2/"],
      ["/", "/page/3/"],
      ["/page/2/", undefined],
    ]);
  });

  it("gives an empty listing one empty page", () => {
    expect(listingPages("/2020/", "2020", [], 20)).toEqual([
      { url: "/2020/", title: "2020", items: [], newer: undefined, older: undefined },
    ]);
  });
});
