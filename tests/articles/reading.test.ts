import { describe, expect, it } from "vitest";
import { countWords, readingStats } from "../../src/articles/reading.ts";

describe("countWords", () => {
  it("counts words, not punctuation or markdown syntax", () => {
    expect(countWords("## Hamas’s *Gaza* leader — said: “no” [link](/x/)")).toBe(7);
  });

  it("counts Hebrew and Arabic words", () => {
    expect(countWords("חמאס ואיראן מחדשים קשרים · حماس تصلح علاقاتها")).toBe(7);
  });

  it("counts each Chinese or Japanese character as a word", () => {
    expect(countWords("日本の記事 and more")).toBe(7);
  });
});

describe("readingStats", () => {
  it("rounds to whole minutes at 230 words a minute, at least one", () => {
    expect(readingStats("word ".repeat(690))).toEqual({ words: 690, minutes: 3 });
    expect(readingStats("")).toEqual({ words: 0, minutes: 1 });
  });
});
