import { describe, expect, it } from "vitest";
import { articlePath, slugOf } from "../../src/articles/permalink.ts";

describe("slugOf", () => {
  it("lower-cases and hyphenates a headline", () => {
    expect(slugOf("Hamas patches up ties with Hezbollah, Iran")).toBe("hamas-patches-up-ties-with-hezbollah-iran");
  });

  it("transliterates accented letters", () => {
    expect(slugOf("Ünïcödé – “quotes”")).toBe("uenicoede-quotes");
  });
});

describe("articlePath", () => {
  it("dates the URL in the site's time zone", () => {
    expect(articlePath("2013-08-04T23:30:00-04:00", "Late story", "Asia/Jerusalem")).toBe("/2013/08/05/late-story/");
  });

  it("refuses a title that gives an empty slug", () => {
    expect(() => articlePath("2013-08-04", "!!!", "UTC")).toThrow(/empty slug/);
  });
});
