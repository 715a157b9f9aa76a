import { describe, expect, it } from "vitest";
import { searchWorkerCount } from "../../src/search/index.ts";

const GB = 2 ** 30;

describe("searchWorkerCount", () => {
  it("builds one bundle in the build's own process", () => {
    expect(searchWorkerCount(1, 8, 64 * GB)).toBe(1);
  });

  it("uses one worker per core when there are more bundles than cores", () => {
    expect(searchWorkerCount(11, 2, 24 * GB)).toBe(2);
  });

  it("never starts more workers than bundles", () => {
    expect(searchWorkerCount(3, 16, 256 * GB)).toBe(3);
  });

  it("keeps Pagefind within half the machine's memory, at about 4 GB a bundle", () => {
    expect(searchWorkerCount(11, 16, 24 * GB)).toBe(3);
    expect(searchWorkerCount(11, 16, 4 * GB)).toBe(1);
  });
});
