import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { newestFirst, published } from "../../src/collections/index.ts";

const item = (inputPath: string, date: string, draft?: boolean) => ({ inputPath, data: { date, draft } });
const now = DateTime.fromISO("2024-03-01T12:00:00Z");

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
    expect(published([item("a.md", "2013-08-04", true), item("b.md", "2013-08-04")], now, "UTC").map((i) => i.inputPath)).toEqual(["b.md"]);
  });

  it("leaves out articles dated after the build time", () => {
    expect(
      published([item("a.md", "2024-03-01T12:00:01Z"), item("b.md", "2024-03-01T12:00:00Z")], now, "UTC").map((i) => i.inputPath),
    ).toEqual(["b.md"]);
  });

  it("reads a date-only embargo as midnight in the site time zone", () => {
    // 2024-03-02 00:00 in Tokyo is 2024-03-01 15:00 UTC: still in the future at 12:00 UTC.
    expect(published([item("a.md", "2024-03-02")], now, "Asia/Tokyo")).toEqual([]);
    expect(published([item("a.md", "2024-03-02")], now.plus({ hours: 4 }), "Asia/Tokyo")).toHaveLength(1);
  });
});
