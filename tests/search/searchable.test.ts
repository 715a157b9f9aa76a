import { describe, expect, it } from "vitest";
import { isSearchable } from "../../src/search/index.ts";

describe("isSearchable", () => {
  it("accepts a page that marks its body for Pagefind", () => {
    expect(isSearchable({ url: "/a/", outputPath: "_site/a/index.html", content: "<article data-pagefind-body>x</article>" })).toBe(true);
  });

  it("rejects listing pages and pages with no URL", () => {
    expect(isSearchable({ url: "/", outputPath: "_site/index.html", content: "<ol></ol>" })).toBe(false);
    expect(isSearchable({ url: false, outputPath: false, content: "data-pagefind-body" })).toBe(false);
  });
});
