import { describe, expect, it } from "vitest";
import { findTargetClashes } from "../../src/importer/clashes.ts";

describe("findTargetClashes", () => {
  it("names every other input bound for the same file, and leaves the rest alone", () => {
    const clashes = findTargetClashes([
      { input: "raw/a.txt", target: "articles/2013/budget.md" },
      { input: "raw/b.txt", target: "articles/2013/other.md" },
      { input: "raw/c.txt", target: "articles/2013/budget.md" },
    ]);
    expect([...clashes.keys()]).toEqual(["raw/a.txt", "raw/c.txt"]);
    expect(clashes.get("raw/a.txt")).toBe(
      "would be written to articles/2013/budget.md, as would raw/c.txt (same headline and year); neither was written: change the headline of one of them and import again",
    );
    expect(clashes.get("raw/c.txt")).toContain("as would raw/a.txt");
  });
});
