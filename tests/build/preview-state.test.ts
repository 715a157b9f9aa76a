// The preview's record of its last build's problems: each list of problems is reported once.
import { describe, expect, it } from "vitest";
import { PreviewState } from "../../src/build/preview.ts";
import type { Problem } from "../../src/validation/index.ts";

const broken: Problem = { file: "articles/2024/broken.md", line: 3, field: "date", message: '"2024-02-30" is not a real date' };
const other: Problem = { file: "articles/2024/other.md", line: 2, field: "title", message: "is missing" };

describe("PreviewState", () => {
  it("says a failed build's problems are new the first time, and not when a second rebuild finds the same", () => {
    const state = new PreviewState();
    expect(state.fail([broken])).toBe(true);
    expect(state.fail([{ ...broken }])).toBe(false);
    expect(state.problems).toEqual([broken]);
  });

  it("says the problems are new when they change, or come back after a build that succeeded", () => {
    const state = new PreviewState();
    state.fail([broken]);
    expect(state.fail([broken, other])).toBe(true);
    expect(state.fail([other])).toBe(true);
    state.succeed();
    expect(state.problems).toEqual([]);
    expect(state.fail([other])).toBe(true);
  });
});
