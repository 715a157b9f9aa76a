// The preview's state between rebuilds: its last build's problems, each list reported once, and which pages a rebuild
// renders again.
import { describe, expect, it } from "vitest";
import { PreviewPages, PreviewState } from "../../src/build/preview.ts";
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

const entry = (url: string, key: string) => ({ url, key });

describe("PreviewPages", () => {
  it("renders every page in the first build, then only the pages whose keys changed", () => {
    const pages = new PreviewPages();
    pages.plan([entry("/a/", "1"), entry("/b/", "1")]);
    expect([pages.renders("/a/"), pages.renders("/b/")]).toEqual([true, true]);
    pages.succeed();
    pages.plan([entry("/a/", "1"), entry("/b/", "2"), entry("/c/", "1")]);
    expect([pages.renders("/a/"), pages.renders("/b/"), pages.renders("/c/")]).toEqual([false, true, true]);
  });

  it("renders a page without a key in every build (a draft's preview page, the site-wide files)", () => {
    const pages = new PreviewPages();
    pages.plan([entry("/a/", "1")]);
    pages.succeed();
    pages.plan([entry("/a/", "1")]);
    expect(pages.renders("/drafts/x/")).toBe(true);
  });

  it("renders a page again after a rebuild that failed once it had started rendering it", () => {
    const pages = new PreviewPages();
    pages.plan([entry("/a/", "1"), entry("/b/", "1")]);
    pages.succeed();
    // /b/ may be half rewritten by the failed rebuild: going back to its earlier key still renders it.
    pages.plan([entry("/a/", "1"), entry("/b/", "2")]);
    pages.plan([entry("/a/", "1"), entry("/b/", "1")]);
    expect([pages.renders("/a/"), pages.renders("/b/")]).toEqual([false, true]);
  });

  it("renders a page again once it left the keyed pages and came back (published, then a draft, then published)", () => {
    const pages = new PreviewPages();
    pages.plan([entry("/a/", "1")]);
    pages.succeed();
    pages.plan([]);
    pages.succeed();
    pages.plan([entry("/a/", "1")]);
    expect(pages.renders("/a/")).toBe(true);
  });
});
