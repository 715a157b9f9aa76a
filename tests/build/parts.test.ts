// How a build shares its pages out between render processes.
import { describe, expect, it } from "vitest";
import { MIN_PAGES_PER_PART, partEnvironment, renderPartCount, splitParts } from "../../src/build/parts.ts";

const GB = 2 ** 30;

describe("renderPartCount", () => {
  it("renders a few pages in one process, and many in one per core", () => {
    expect(renderPartCount(15, 2, 16 * GB)).toBe(1);
    expect(renderPartCount(2 * MIN_PAGES_PER_PART - 1, 2, 16 * GB)).toBe(1);
    expect(renderPartCount(2 * MIN_PAGES_PER_PART, 2, 16 * GB)).toBe(2);
    expect(renderPartCount(100_000, 8, 64 * GB)).toBe(8);
  });

  it("starts no more processes than memory allows", () => {
    expect(renderPartCount(100_000, 8, 4 * GB)).toBe(1);
    expect(renderPartCount(100_000, 8, 12 * GB)).toBe(3);
  });
});

describe("splitParts", () => {
  it("keeps neighbours together and every item once, in order", () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const parts = splitParts(items, 3);
    expect(parts).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(parts.flat()).toEqual(items);
  });

  it("gives the main run a head start of pages, and never takes more than there are", () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(splitParts(items, 2, 4)).toEqual([
      [0, 1, 2, 3, 4, 5, 6],
      [7, 8, 9],
    ]);
    expect(splitParts(items, 3, 20)).toEqual([items, [], []]);
    expect(splitParts(items, 1, 4)).toEqual([items]);
  });
});

describe("partEnvironment", () => {
  it("keeps the build's environment but for the timings file", () => {
    expect(partEnvironment({ ARTICLES_DIR: "a", BROADSHEET_TIMINGS: "t.jsonl" })).toEqual({ ARTICLES_DIR: "a", BROADSHEET_TIMINGS: "" });
  });
});
