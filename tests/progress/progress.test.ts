import { readFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { type ProgressStream, formatSummary, parseTimings, startPhase, timingLine } from "../../src/progress/index.ts";
import { scratchFolder } from "../helpers/scratch.ts";

/** A stream that keeps what is written, and says whether it is a terminal. */
function capture(isTTY: boolean): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join("") });
}

const scratchDir = scratchFolder("broadsheet-progress-");

describe("formatSummary", () => {
  it("says what was done, how many and how long, in seconds", () => {
    expect(formatSummary({ phase: "validation", ms: 1234, count: 10_000 }, "articles")).toBe(
      "[broadsheet] validation: 10000 articles in 1.23 s",
    );
  });

  it("leaves the count out of a phase that counts nothing", () => {
    expect(formatSummary({ phase: "start-up", ms: 500, count: 0 }, "")).toBe("[broadsheet] start-up: in 0.50 s");
  });

  it("adds a note in brackets", () => {
    expect(formatSummary({ phase: "search index", ms: 310, count: 2 }, "articles indexed", "1 bundle indexed, 9 reused")).toBe(
      "[broadsheet] search index: 2 articles indexed in 0.31 s (1 bundle indexed, 9 reused)",
    );
  });
});

describe("startPhase", () => {
  it("prints one summary line when not on a terminal", () => {
    const stream = capture(false);
    const phase = startPhase("render/write", undefined, { unit: "pages", stream, timingsFile: undefined });
    phase.tick();
    phase.tick(2);
    phase.end();
    expect(stream.text()).toMatch(/^\[broadsheet\] render\/write: 3 pages in \d+\.\d\d s\n$/);
  });

  it("counts what end() is given instead of the ticks", () => {
    const phase = startPhase("validation", undefined, { unit: "articles", stream: capture(false), timingsFile: undefined });
    phase.tick();
    expect(phase.end(77).count).toBe(77);
  });

  it("ends once: a second end() returns the first timing and prints nothing", () => {
    const stream = capture(false);
    const phase = startPhase("search index", undefined, { stream, timingsFile: undefined });
    const first = phase.end(1);
    expect(phase.end(2)).toBe(first);
    expect(stream.text().trim().split("\n")).toHaveLength(1);
  });

  it("measures from startedAt when the phase began before it was noticed", () => {
    // The clock is the test's: the phase is noticed and ends at 20 s, having begun at 15 s.
    const now = vi.spyOn(performance, "now").mockReturnValue(20_000);
    try {
      const phase = startPhase("late", undefined, { stream: capture(false), timingsFile: undefined, startedAt: 15_000 });
      expect(phase.end().ms).toBeGreaterThanOrEqual(5000);
    } finally {
      now.mockRestore();
    }
  });

  it("still ends with the summary line when showing a live bar", () => {
    const stream = capture(true);
    const phase = startPhase("validation", 3, { unit: "articles", stream, live: true, timingsFile: undefined });
    phase.tick(3);
    phase.end();
    expect(stream.text().trimEnd().split("\n").at(-1)).toMatch(/\[broadsheet\] validation: 3 articles in \d+\.\d\d s$/);
  });

  it("appends one JSON line per phase to the timings file", async () => {
    const file = path.join(scratchDir(), "timings.jsonl");
    startPhase("validation", undefined, { stream: capture(false), timingsFile: file }).end(5);
    startPhase("render/write", undefined, { stream: capture(false), timingsFile: file }).end(9);
    const timings = parseTimings(await readFile(file, "utf8"));
    expect(timings.map(({ phase, count }) => ({ phase, count }))).toEqual([
      { phase: "validation", count: 5 },
      { phase: "render/write", count: 9 },
    ]);
    expect(timings.every((timing) => timing.ms >= 0)).toBe(true);
  });
});

describe("timings lines", () => {
  it("round-trip through timingLine and parseTimings", () => {
    expect(parseTimings(timingLine({ phase: "search index", ms: 12.34, count: 3 }))).toEqual([
      { phase: "search index", ms: 12.3, count: 3 },
    ]);
  });

  it("reject a line that is not {phase, ms, count}", () => {
    expect(() => parseTimings('{"phase":"x","ms":"fast"}\n')).toThrow(/timings line 1/);
  });
});
