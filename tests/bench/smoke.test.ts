// A small run of `npm run bench` end to end: it checks that the results are well-formed, never how fast they are.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchResults, SizeResult } from "../../scripts/bench/report.ts";
import { projectRoot } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";

const run = promisify(execFile);

/**
 * A small archive: enough for every kind of page, a floor and an edit cycle. Most of the run is fixed costs (start-ups,
 * the generated pictures), so fewer articles would save little more.
 */
const ARTICLES = 40;

let scratch: string;
let stdout: string;
let bench: BenchResults;
let result: SizeResult;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(testTmpdir(), "broadsheet-bench-smoke-"));
  const json = path.join(scratch, "results.json");
  ({ stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/bench.ts",
      "--articles",
      String(ARTICLES),
      "--json",
      json,
      "--cache",
      path.join(scratch, "cache"),
      "--no-search",
    ],
    { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: Error & { stdout?: string; stderr?: string }) => {
    // execFile's error names only the command: the bench's own report says what failed.
    throw new Error(`${error.message}\n${error.stdout ?? ""}\n${error.stderr ?? ""}`, { cause: error });
  }));
  bench = JSON.parse(await readFile(json, "utf8")) as BenchResults;
  result = bench.results[0] as SizeResult;
}, 300_000);
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe(`npm run bench -- --articles ${ARTICLES}`, () => {
  it("writes one result, for the articles asked for, with the machine it ran on", () => {
    expect(bench.results).toHaveLength(1);
    expect(result.articles).toBe(ARTICLES);
    expect(bench.machine.cpus).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(bench.date))).toBe(false);
  });

  it("measures wall time, pages, output and memory as positive numbers", () => {
    for (const value of [result.wallMs, result.pages, result.outputBytes, result.outputFiles, result.peakRssBytes, result.msPerArticle]) {
      expect(value).toBeGreaterThan(0);
    }
    expect(result.pages).toBeGreaterThan(ARTICLES);
  });

  it("times every phase of the build, each a positive part of the wall time", () => {
    for (const phase of ["start-up", "validation", "render/write", "search index"]) {
      expect(result.phases[phase], phase).toBeGreaterThan(0);
      expect(result.phases[phase] ?? Infinity, phase).toBeLessThan(result.wallMs);
    }
    expect(result.counts.validation).toBe(ARTICLES);
    expect(result.counts["search index"]).toBe(ARTICLES);
  });

  it("records no failure", () => {
    expect(result.error).toBeUndefined();
  });

  it("measures the floor and divides the build by it", () => {
    expect(result.floor?.ms).toBeGreaterThan(0);
    expect(result.floor?.markdownMs).toBeGreaterThan(0);
    expect(result.floorRatio).toBeCloseTo(result.wallMs / (result.floor?.ms ?? NaN));
    expect(result.growth).toBeNull();
  });

  it("prints the table", () => {
    expect(stdout).toMatch(/\| articles \| pages \| wall s \|/);
    expect(stdout).toMatch(new RegExp(`\\|\\s+${ARTICLES} \\|`));
  });

  it("draws the chart beside the JSON", async () => {
    const svg = await readFile(path.join(scratch, "results.svg"), "utf8");
    expect(() => new XMLParser().parse(svg, true)).not.toThrow();
    expect(svg).toContain('data-name="full build"');
  });

  it("runs the edit cycle after the cold build and compares each warm build with it", () => {
    expect(result.edits?.map((edit) => edit.step)).toEqual(["edit", "add", "retract", "stylesheet", "correct"]);
    for (const edit of result.edits ?? []) {
      expect(edit.error, edit.step).toBeUndefined();
      expect(edit.wallMs, edit.step).toBeGreaterThan(0);
      // Live once published: before the build's clean-up is over.
      expect(edit.liveMs, edit.step).toBeGreaterThan(0);
      expect(edit.liveMs, edit.step).toBeLessThan(edit.wallMs);
      expect(edit.coldRatio, edit.step).toBeCloseTo(edit.wallMs / result.wallMs);
    }
    expect(stdout).toMatch(/\| articles \|\s+build \| wall s \| ÷ cold \|/);
  });
});
