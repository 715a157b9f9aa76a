import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { PeerBuild } from "../../scripts/bench/peers.ts";
import {
  EDIT_COLUMNS,
  type EditResult,
  PEER_COLUMNS,
  type SizeResult,
  TABLE_COLUMNS,
  editRows,
  formatTable,
  logTicks,
  mergeResults,
  niceAbove,
  niceBelow,
  peerRows,
  ratioOf,
  renderScalingChart,
  searchRows,
  shortCount,
  tableRows,
  withDerived,
} from "../../scripts/bench/report.ts";
import { failureReason, parseSizes } from "../../scripts/bench/run.ts";

/** A measured size with round numbers; `overrides` change what a test is about. */
function result(articles: number, wallMs: number, overrides: Partial<SizeResult> = {}): SizeResult {
  const base = {
    articles,
    seed: 1,
    pages: articles * 2,
    wallMs,
    cpuMs: wallMs * 1.2,
    phases: { "start-up": 1000, validation: wallMs / 10, "render/write": wallMs / 2, "search index": wallMs / 4 },
    counts: { validation: articles },
    peakRssBytes: articles * 100_000,
    peakProcessRssBytes: articles * 80_000,
    outputBytes: articles * 50_000,
    outputFiles: articles * 3,
    floor: {
      ms: wallMs / 2,
      readMs: 1,
      markdownMs: 1,
      pagefindMs: 1,
      pagefindWriteMs: 1,
      wallMs: wallMs / 2 + 300,
      cpuMs: wallMs / 2,
      peakRssBytes: articles * 20_000,
    },
    eleventyBenchmarks: [],
    archive: { reused: true, generateMs: 0, words: articles * 800, images: articles / 3 },
    load: { before: 0.5, after: 1 },
    ...overrides,
  };
  return withDerived([base])[0] as SizeResult;
}

const results = withDerived([result(1000, 4000), result(10_000, 50_000)]);

describe("withDerived", () => {
  it("divides the build by the floor and by the articles", () => {
    expect(results[0]?.floorRatio).toBe(2);
    expect(results[0]?.msPerArticle).toBe(4);
  });

  it("compares time per article with the previous size", () => {
    expect(results[0]?.growth).toBeNull();
    expect(results[1]?.growth).toBeCloseTo(5 / 4);
  });
});

describe("a failed size", () => {
  const failed = withDerived([
    result(1000, 4000),
    result(10_000, 9000, { error: "the build of 10000 articles exited with 134 (heap out of memory)" }),
  ]);

  it("has no floor ratio or growth", () => {
    expect(failed[1]?.floorRatio).toBeNull();
    expect(failed[1]?.growth).toBeNull();
  });

  it("says so in the table", () => {
    expect(tableRows(failed)[1]?.[TABLE_COLUMNS.indexOf("wall s")]).toBe("failed after 9.0");
  });

  it("is left off the chart's lines and named under it", () => {
    const svg = renderScalingChart(failed);
    expect(svg).toContain("10k articles: failed — the build of 10000 articles exited with 134 (heap out of memory)");
    expect(svg).toMatch(/<svg [^>]*height="384"/); // 360 plus one line for the failure
    expect(svg.match(/<circle/g)).toHaveLength(5); // 3 time series + 2 memory series, one size each
  });
});

describe("failureReason", () => {
  const run = {
    exitCode: 134,
    stdout: "",
    stderr: "<--- JS stacktrace --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n",
    killedForMemory: false,
  };

  it("names Node's heap exhaustion", () => {
    expect(failureReason("the build", run, 1)).toMatch(
      /^the build exited with 134 \(FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\)/,
    );
  });

  it("names the time limit when the bench stopped the run", () => {
    expect(failureReason("the build", { ...run, killedForTime: true, wallMs: 900_400 }, 1)).toBe(
      "the build was stopped after 900 s (--time-limit)",
    );
  });

  it("names the memory cap when the bench stopped the run", () => {
    expect(failureReason("the build", { ...run, killedForMemory: true, wallMs: 412_000 }, 12 * 2 ** 30)).toBe(
      "the build was stopped after 412 s for using more than 12288 MB (--memory-cap)",
    );
  });
});

describe("mergeResults", () => {
  it("keeps earlier sizes, replaces a re-measured one and recomputes growth", () => {
    const merged = mergeResults(
      [result(1000, 4000), result(10_000, 50_000)],
      withDerived([result(100_000, 600_000), result(10_000, 40_000)]),
    );
    expect(merged.map((row) => [row.articles, row.wallMs])).toEqual([
      [1000, 4000],
      [10_000, 40_000],
      [100_000, 600_000],
    ]);
    expect(merged[2]?.growth).toBeCloseTo(6 / 4);
  });
});

describe("the table", () => {
  it("has one row per size with a cell per column", () => {
    const rows = tableRows(results);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.length === TABLE_COLUMNS.length)).toBe(true);
  });

  it("shows seconds, megabytes, the floor ratio and growth", () => {
    const row = tableRows(results)[1] ?? [];
    const cell = (column: (typeof TABLE_COLUMNS)[number]) => row[TABLE_COLUMNS.indexOf(column)];
    expect(cell("wall s")).toBe("50.0");
    expect(cell("peak RSS MB")).toBe(String(Math.round((10_000 * 100_000) / 2 ** 20)));
    expect(cell("floor ratio")).toBe("2.00");
    expect(cell("growth")).toBe("×1.25");
  });

  it("shows a dash for a phase the build did not report", () => {
    const row = tableRows([result(1000, 4000, { phases: {} })])[0] ?? [];
    expect(row[TABLE_COLUMNS.indexOf("validation s")]).toBe("–");
  });

  it("formats as a Markdown table with aligned columns", () => {
    const lines = formatTable(
      ["a", "bb"],
      [
        ["1", "2"],
        ["333", "4"],
      ],
    ).split("\n");
    expect(lines).toEqual(["|   a | bb |", "|----:|---:|", "|   1 |  2 |", "| 333 |  4 |"]);
  });
});

describe("searchRows", () => {
  it("lists the numeric search figures of the sizes that have them", () => {
    const search = searchRows([result(1000, 1), result(10_000, 1, { search: { query: "x", bytes: 120, requests: 4 } })]);
    expect(search.header).toEqual(["articles", "bytes", "requests"]);
    expect(search.rows).toEqual([["10000", "120", "4"]]);
  });
});

describe("parseSizes", () => {
  it("reads plain numbers and k or M suffixes", () => {
    expect(parseSizes("1000,10k,1M")).toEqual([1000, 10_000, 1_000_000]);
  });

  it("rejects anything else", () => {
    expect(() => parseSizes("1000,lots")).toThrow(/"lots" is not a number of articles/);
  });
});

describe("renderScalingChart", () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    isArray: (name) => ["g", "polyline", "circle", "text", "line"].includes(name),
  });
  type Node = { polyline?: { "data-name": string; points: string }[]; circle?: unknown[] };
  const chart = (rows: SizeResult[]) => parser.parse(renderScalingChart(rows)) as { svg: { g?: Node[]; title: { "#text": string } } };

  it("draws a time panel and a memory panel", () => {
    expect(chart(results).svg.g).toHaveLength(2);
  });

  it("draws the build, the floor and the linear reference with a point per size", () => {
    const [time] = chart(results).svg.g ?? [];
    const lines = time?.polyline ?? [];
    expect(lines.map((line) => line["data-name"])).toEqual(["full build", "floor (markdown + Pagefind)", "linear from smallest"]);
    expect(lines.every((line) => line.points.split(" ").length === 2)).toBe(true);
  });

  it("puts a larger value higher up (a smaller y)", () => {
    const [time] = chart(results).svg.g ?? [];
    const [small, large] = (time?.polyline?.[0]?.points ?? "").split(" ").map((point) => Number(point.split(",")[1]));
    expect(large).toBeLessThan(small ?? 0);
  });

  it("names the sizes in its title", () => {
    expect(chart(results).svg.title["#text"]).toContain("1k, 10k articles");
  });

  it("still draws a single size", () => {
    expect(chart([result(1000, 4000)]).svg.g).toHaveLength(2);
  });
});

describe("axis helpers", () => {
  it("label counts as 1k, 100k, 1M", () => {
    expect([200, 1000, 100_000, 1_000_000].map(shortCount)).toEqual(["200", "1k", "100k", "1M"]);
  });

  it("round a log axis out to 1, 2 or 5 times a power of ten", () => {
    expect([niceBelow(3.2), niceBelow(94.7), niceBelow(1000)]).toEqual([2, 50, 1000]);
    expect([niceAbove(3.2), niceAbove(94.7), niceAbove(4807)]).toEqual([5, 100, 5000]);
  });

  it("tick a log axis at 1, 2 and 5 of each power of ten", () => {
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });
});

describe("ratioOf", () => {
  it("divides two measured values", () => {
    expect(ratioOf({ value: 3000 }, { value: 12_000 })).toBe(0.25);
  });

  it("has no ratio with a failed, missing or zero run", () => {
    expect(ratioOf({ value: 3000, error: "exited with 1" }, { value: 12_000 })).toBeNull();
    expect(ratioOf({ value: 3000 }, { value: 12_000, error: "killed" })).toBeNull();
    expect(ratioOf({ value: null }, { value: 12_000 })).toBeNull();
    expect(ratioOf({ value: 3000 }, undefined)).toBeNull();
    expect(ratioOf({ value: 3000 }, { value: 0 })).toBeNull();
  });
});

/** A warm build of the edit cycle with round numbers. */
function edit(step: string, wallMs: number, overrides: Partial<EditResult> = {}): EditResult {
  return {
    step,
    change: `${step} change`,
    wallMs,
    cpuMs: wallMs,
    peakRssBytes: 100 * 2 ** 20,
    pages: 12,
    indexed: 1000,
    coldRatio: wallMs / 4000,
    coldPeakRatio: 0.5,
    ...overrides,
  };
}

const peerBuild: PeerBuild = {
  wallMs: 8000,
  siteMs: 3000,
  pagefindMs: 5000,
  cpuMs: 9000,
  peakRssBytes: 300 * 2 ** 20,
  pages: 1600,
  indexed: 1000,
};

describe("editRows", () => {
  const measured = result(1000, 4000, {
    counts: { "render/write": 2500, "search index": 1000 },
    edits: [edit("edit", 1000), edit("add", 2000, { error: "exited with 1" })],
  });

  it("lists the cold build, then each warm build, with a cell per column", () => {
    const rows = editRows([measured, result(10_000, 50_000)]);
    expect(rows.map((row) => row[1])).toEqual(["cold", "edit", "add"]);
    expect(rows.every((row) => row.length === EDIT_COLUMNS.length)).toBe(true);
  });

  it("shows times, ratios against the cold build, pages and articles", () => {
    const [cold, warm, failed] = editRows([measured]);
    expect(cold?.slice(2, 8)).toEqual(["4.0", "×1.00", "95", "×1.00", "2500", "1000"]);
    expect(warm?.slice(2, 9)).toEqual(["1.0", "×0.25", "100", "×0.50", "12", "1000", "edit change"]);
    expect(failed?.[2]).toBe("failed after 2.0");
  });

  it("is empty when the cycle was skipped", () => {
    expect(editRows([result(1000, 4000)])).toEqual([]);
  });
});

describe("peerRows", () => {
  const measured = result(1000, 4000, {
    counts: { "render/write": 2500, "search index": 1000 },
    peer: { name: "Hugo + Pagefind", version: "hugo v0.111", cold: peerBuild, ratio: 0.5 },
    edits: [edit("edit", 1000, { peer: { ...peerBuild, wallMs: 7000 }, peerRatio: 1000 / 7000 }), edit("add", 2000)],
  });

  it("sets Broadsheet beside the peer for the cold build and each step the peer rebuilt after", () => {
    const rows = peerRows([measured]);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.length === PEER_COLUMNS.length)).toBe(true);
    expect(rows[0]).toEqual([
      "1000",
      "cold",
      "Hugo + Pagefind",
      "4.0",
      "3.0",
      "5.0",
      "8.0",
      "×0.50",
      "95",
      "300",
      "2500/1600",
      "1000/1000",
    ]);
    expect(rows[1]?.slice(0, 8)).toEqual(["1000", "edit", "Hugo + Pagefind", "1.0", "3.0", "5.0", "7.0", "×0.14"]);
  });

  it("adds the Eleventy peer's cold build after the Hugo peer's rows, and shows it without the Hugo peer", () => {
    const eleventyPeer = {
      name: "minimal Eleventy + Pagefind",
      version: "Eleventy 3.1.8",
      cold: { ...peerBuild, siteMs: 2000, wallMs: 7000, pages: 1200 },
      ratio: 4000 / 7000,
    };
    const rows = peerRows([{ ...measured, eleventyPeer }]);
    expect(rows.map((row) => row.slice(1, 3))).toEqual([
      ["cold", "Hugo + Pagefind"],
      ["edit", "Hugo + Pagefind"],
      ["cold", "minimal Eleventy + Pagefind"],
    ]);
    expect(rows[2]).toEqual([
      "1000",
      "cold",
      "minimal Eleventy + Pagefind",
      "4.0",
      "2.0",
      "5.0",
      "7.0",
      "×0.57",
      "95",
      "300",
      "2500/1200",
      "1000/1000",
    ]);
    expect(peerRows([result(1000, 4000, { eleventyPeer })])).toHaveLength(1);
  });

  it("is empty without the peer or when it was skipped", () => {
    expect(peerRows([result(1000, 4000)])).toEqual([]);
    expect(peerRows([result(1000, 4000, { peer: { name: "Hugo + Pagefind", version: null, skipped: "no hugo" } })])).toEqual([]);
  });
});
