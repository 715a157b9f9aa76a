import { describe, expect, it } from "vitest";
import { newestFirst, published } from "../../src/collections/index.ts";

const item = (inputPath: string, date: string, draft?: boolean) => ({ inputPath, data: { date, draft } });

describe("newestFirst", () => {
  it("orders by instant, not by the written date string", () => {
    const early = item("a.md", "2013-08-04T23:00:00-04:00");
    const late = item("b.md", "2013-08-05T01:00:00+03:00");
    expect(newestFirst([late, early]).map((i) => i.inputPath)).toEqual(["a.md", "b.md"]);
  });

  it("breaks ties by file path so builds are repeatable", () => {
    expect(newestFirst([item("b.md", "2013-08-04"), item("a.md", "2013-08-04")]).map((i) => i.inputPath)).toEqual(["a.md", "b.md"]);
  });
});

describe("published", () => {
  it("leaves drafts out", () => {
    expect(published([item("a.md", "2013-08-04", true), item("b.md", "2013-08-04")]).map((i) => i.inputPath)).toEqual(["b.md"]);
  });
});
