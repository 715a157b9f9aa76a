import { describe, expect, it } from "vitest";
import { LARGE_BUNDLE_ARTICLES, PAGEFIND_BYTES_PER_ARTICLE, searchProcessesWithin, searchWorkerCount } from "../../src/search/index.ts";

const GB = 2 ** 30;

/** `count` bundles of `articles` articles each. */
const bundles = (count: number, articles = 10_000) => Array.from({ length: count }, () => ({ articles }));

describe("searchWorkerCount", () => {
  it("builds one bundle in the build's own process", () => {
    expect(searchWorkerCount(bundles(1), 8, 64 * GB)).toBe(1);
  });

  it("uses one worker per core when there are more bundles than cores", () => {
    expect(searchWorkerCount(bundles(11, 2_000), 2, 12 * GB)).toBe(2);
    expect(searchWorkerCount(bundles(11, LARGE_BUNDLE_ARTICLES), 2, 12 * GB)).toBe(2);
  });

  it("gives a bundle above the large size two cores begun, as its Pagefind process keeps more than one busy", () => {
    expect(searchWorkerCount(bundles(11), 2, 12 * GB)).toBe(1);
    expect(searchWorkerCount(bundles(11, LARGE_BUNDLE_ARTICLES + 1), 2, 12 * GB)).toBe(1);
    expect(searchWorkerCount(bundles(11), 3, 12 * GB)).toBe(2);
    expect(searchWorkerCount(bundles(11), 4, 12 * GB)).toBe(2);
    expect(searchWorkerCount([...bundles(10, 1_000), { articles: 10_000 }], 2, 12 * GB)).toBe(1);
  });

  it("never starts more workers than bundles", () => {
    expect(searchWorkerCount(bundles(3), 16, 256 * GB)).toBe(3);
  });

  it("keeps Pagefind within the memory it is given, counting every worker at the largest bundle's size", () => {
    const perBundle = 10_000 * PAGEFIND_BYTES_PER_ARTICLE;
    expect(searchWorkerCount(bundles(11), 16, 3 * perBundle)).toBe(3);
    expect(searchWorkerCount(bundles(11), 16, 2.9 * perBundle)).toBe(2);
    expect(searchWorkerCount([...bundles(10, 1_000), { articles: 10_000 }], 16, 2 * perBundle)).toBe(2);
    expect(searchWorkerCount(bundles(11, 1_000), 16, 2 * perBundle)).toBe(11);
  });

  it("still indexes, one bundle at a time, where memory allows none", () => {
    expect(searchWorkerCount(bundles(11), 16, 1 * GB)).toBe(1);
  });
});

describe("searchProcessesWithin", () => {
  const perBundle = 10_000 * PAGEFIND_BYTES_PER_ARTICLE;

  it("gives Pagefind none beside rendering when the memory left holds not one of the largest bundle", () => {
    expect(searchProcessesWithin(bundles(3), 1, 0.9 * perBundle)).toBe(0);
    expect(searchProcessesWithin([...bundles(3, 1_000), { articles: 10_000 }], 2, 0.9 * perBundle)).toBe(0);
  });

  it("gives as many as the memory holds, up to the cores given (two a large bundle)", () => {
    expect(searchProcessesWithin(bundles(3), 1, 64 * GB)).toBe(1);
    expect(searchProcessesWithin(bundles(3), 4, 2.5 * perBundle)).toBe(2);
    expect(searchProcessesWithin(bundles(3), 4, 64 * GB)).toBe(2);
    expect(searchProcessesWithin(bundles(3, 2_000), 4, 64 * GB)).toBe(4);
    expect(searchProcessesWithin(bundles(3), 0, 64 * GB)).toBe(0);
  });
});
