// The preview's state between rebuilds: its last build's problems, each list reported once, and which pages a rebuild
// renders again.
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  PREVIEW_RECORD,
  PreviewPages,
  PreviewState,
  forgetPreviewRecord,
  readPreviewRecord,
  writePreviewRecord,
} from "../../src/build/preview.ts";
import { testTmpdir } from "../helpers/tmp.ts";
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

  it("gives the search keys of the article pages of the rebuild under way", () => {
    const pages = new PreviewPages();
    pages.plan([{ url: "/2024/01/01/a/", key: "1", searchKey: "s1" }, entry("/topics/x/", "2")]);
    expect(pages.searchKeys).toEqual(new Map([["/2024/01/01/a/", "s1"]]));
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

describe("the preview folder's record of page keys", () => {
  it("gives back the keys it was given, and none once forgotten or where there is no record", async () => {
    const folder = await mkdtemp(path.join(testTmpdir(), "broadsheet-preview-record-"));
    expect(await readPreviewRecord(folder)).toEqual(new Map());
    const shown = new Map([
      ["/a/", "1"],
      ["/feed.json", "2"],
    ]);
    await writePreviewRecord(folder, shown);
    expect(await readPreviewRecord(folder)).toEqual(shown);
    expect(new PreviewPages(await readPreviewRecord(folder)).renders("/a/")).toBe(false);
    await forgetPreviewRecord(folder);
    expect(await readdir(folder)).toEqual([]);
    expect(await readPreviewRecord(folder)).toEqual(new Map());
  });

  it("reads a record that is not one (cut short, edited by hand) as no record: every page is rendered", async () => {
    const folder = await mkdtemp(path.join(testTmpdir(), "broadsheet-preview-record-"));
    for (const text of ['{"pages": [["/a/", "1"]', '{"pages": {"/a/": "1"}}', "null", '{"pages": [["/a/", 1]]}']) {
      await writeFile(path.join(folder, PREVIEW_RECORD), text);
      expect(await readPreviewRecord(folder), text).toEqual(new Map());
    }
  });
});
