// Build progress: a live bar per phase on a terminal, one summary line per phase elsewhere (CI logs), and
// machine-readable phase timings for `npm run bench` when BROADSHEET_TIMINGS names a file.
import { appendFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { UserConfig } from "@11ty/eleventy";
import cliProgress from "cli-progress";

/** How long one phase took and how many things it handled; one JSON line of the timings file. */
export interface PhaseTiming {
  phase: string;
  ms: number;
  count: number;
}

/** A running phase. */
export interface Phase {
  /** Counts `n` (default 1) more things done. */
  tick(n?: number): void;
  /**
   * Ends the phase; `count` overrides the ticks counted so far, `note` is added to the summary line in brackets.
   * Ending twice is a no-op returning the first timing.
   */
  end(count?: number, note?: string): PhaseTiming;
}

/** A stream a phase writes to; `isTTY` decides whether it gets a live bar. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

/** Where a phase reports. Defaults: stdout, a bar only if stdout is a terminal, the file named by BROADSHEET_TIMINGS. */
export interface PhaseOptions {
  /** What is counted, plural: "articles", "pages". */
  unit?: string;
  stream?: ProgressStream;
  /** Show a live bar (default: when `stream` is a terminal). */
  live?: boolean;
  /** File to append the timing to as a JSON line (the configuration's `timingsFile`, from BROADSHEET_TIMINGS); none if unset. */
  timingsFile?: string | undefined;
  /** `performance.now()` at which the phase really began, when it is only noticed later. */
  startedAt?: number;
}

/** The one-line summary of a phase, e.g. `[broadsheet] validation: 10000 articles in 1.23 s`, and its note in brackets. */
export function formatSummary(timing: PhaseTiming, unit: string, note?: string): string {
  const what = unit === "" ? "" : ` ${timing.count} ${unit}`;
  return `[broadsheet] ${timing.phase}:${what} in ${(timing.ms / 1000).toFixed(2)} s${note === undefined ? "" : ` (${note})`}`;
}

/** The timings file line of a phase. */
export function timingLine(timing: PhaseTiming): string {
  return `${JSON.stringify({ phase: timing.phase, ms: Math.round(timing.ms * 10) / 10, count: timing.count })}\n`;
}

/** Parses a timings file (one JSON object a line); blank lines are skipped, anything else malformed throws. */
export function parseTimings(text: string): PhaseTiming[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const value = JSON.parse(line) as Partial<PhaseTiming>;
      if (typeof value.phase !== "string" || typeof value.ms !== "number" || typeof value.count !== "number") {
        throw new Error(`timings line ${index + 1} is not {phase, ms, count}: ${line}`);
      }
      return { phase: value.phase, ms: value.ms, count: value.count };
    });
}

/** When the latest phase ended, so a phase noticed late can start where the previous one stopped. */
let lastPhaseEnd = 0;

/** Starts timing a phase named `name`; `total`, when known, makes the terminal bar show how far along it is. */
export function startPhase(name: string, total?: number, options: PhaseOptions = {}): Phase {
  const stream = options.stream ?? process.stdout;
  const unit = options.unit ?? "";
  const { timingsFile } = options;
  const started = options.startedAt ?? performance.now();
  const live = options.live ?? stream.isTTY === true;
  let count = 0;
  let ended: PhaseTiming | undefined;

  // Without a known total the bar is a running count; cli-progress redraws at most 10 times a second, so ticks stay cheap.
  const bar = live
    ? new cliProgress.SingleBar(
        {
          stream,
          clearOnComplete: true,
          hideCursor: null,
          format:
            total === undefined
              ? `[broadsheet] ${name}: {value} ${unit} {duration}s`
              : `[broadsheet] ${name} {bar} {value}/{total} ${unit} {duration}s`,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(total ?? 0, 0);

  return {
    tick(n = 1) {
      count += n;
      bar?.update(count);
    },
    end(finalCount, note) {
      if (ended) return ended;
      const now = performance.now();
      lastPhaseEnd = now;
      ended = { phase: name, ms: now - started, count: finalCount ?? count };
      bar?.stop();
      stream.write(`${formatSummary(ended, unit, note)}\n`);
      if (timingsFile) appendFileSync(timingsFile, timingLine(ended));
      return ended;
    },
  };
}

/**
 * Times what happens between the build's own phases: start-up (process start to the first build) and
 * render/write (from the end of validation to `eleventy.after`), counting pages as Eleventy finishes them.
 * Register it before the search plugin, so its `eleventy.after` listener runs first and the render/write
 * time excludes indexing (Eleventy starts the listeners of one event in registration order, then awaits them together).
 */
export function registerProgress(eleventyConfig: UserConfig, options: { timingsFile: string | undefined }): void {
  let buildStart = 0;
  let render: Phase | undefined;
  // The render phase starts after every `eleventy.before` listener (validation among them) has finished,
  // which no event marks; the first finished page notices it and backdates the start to the last phase's end.
  const renderPhase = (): Phase => {
    render ??= startPhase("render/write", undefined, {
      unit: "pages",
      startedAt: Math.max(buildStart, lastPhaseEnd),
      timingsFile: options.timingsFile,
    });
    return render;
  };

  eleventyConfig.on("eleventy.before", () => {
    buildStart = performance.now();
    render = undefined;
  });
  // A linter sees each page once, after its layout is rendered and before it is written, and changes nothing.
  eleventyConfig.addLinter("broadsheet-progress", () => {
    renderPhase().tick();
  });
  eleventyConfig.on("eleventy.after", () => {
    renderPhase().end();
  });
}
