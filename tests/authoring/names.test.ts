import { describe, expect, it } from "vitest";
import { unknownNameMessage } from "../../src/authoring/names.ts";

const SECTIONS = { flag: "--section", kind: "section", file: "_data/sections.yaml" };
const known = ["World", "Politics", "Business", "Culture", "Opinion"];

describe("unknownNameMessage", () => {
  it("accepts a known name as it is spelled there", () => {
    expect(unknownNameMessage(SECTIONS, "World", known)).toBeUndefined();
  });

  it("suggests the closest name for a typo and lists the three closest, nearest first", () => {
    expect(unknownNameMessage(SECTIONS, "Wrold", known)).toBe(
      '--section "Wrold" is not a known section; did you mean "World"? the closest in _data/sections.yaml are "World", "Politics", "Business"; fix the spelling or add it to _data/sections.yaml',
    );
  });

  it("treats a different case as unknown (the check does) but suggests the right spelling", () => {
    expect(unknownNameMessage(SECTIONS, "world", known)).toContain('did you mean "World"?');
  });

  it("lists the closest without a guess when nothing is near", () => {
    const message = unknownNameMessage(SECTIONS, "Sport", known) ?? "";
    expect(message).not.toContain("did you mean");
    expect(message).toContain("the closest in _data/sections.yaml are");
  });

  it("says so when the directory lists no names yet", () => {
    expect(unknownNameMessage({ flag: "--author", kind: "author", file: "_data/authors.yaml" }, "Jane Doe", [])).toBe(
      '--author "Jane Doe": _data/authors.yaml lists no authors yet; add "Jane Doe" there first, or leave out --author',
    );
  });
});
