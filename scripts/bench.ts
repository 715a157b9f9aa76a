// `npm run bench -- --articles 1000,10000,100000`: builds generated archives of each size with the real build
// command and reports time per phase, peak memory, output size and the floor ratio (see docs/scaling.md), then the
// newsroom edit cycle's warm builds (unless --no-edits) and, with --peers, the same archive built by Hugo + Pagefind.
import os from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { parseSizes, projectRoot, runBench } from "./bench/run.ts";

const program = new Command()
  .name("npm run bench --")
  .description("Builds generated archives of the given sizes with the real build and measures them.")
  .option(
    "--articles <sizes>",
    "comma-separated archive sizes, e.g. 1000,10000,100000 or 1k,10k",
    (value) => {
      try {
        return parseSizes(value);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    },
    [1000, 10_000],
  )
  .option(
    "--seed <n>",
    "generator seed (same seed, same archive)",
    (value) => {
      const seed = Number(value);
      if (!Number.isInteger(seed) || seed < 0) throw new InvalidArgumentError("the seed must be a whole number");
      return seed;
    },
    1,
  )
  .option("--json <file>", "where to write the JSON results", path.join(projectRoot, "docs/bench/results.json"))
  .option("--svg <file>", "where to draw the chart (default: beside --json, as .svg; docs/bench/scaling.svg by default)")
  .option("--cache <dir>", "where generated archives are kept and reused", path.join(os.tmpdir(), "broadsheet-bench"))
  .option("--merge", "keep the results of other sizes already in the JSON file and redraw the chart with all of them", false)
  .option("--keep", "keep the built sites instead of deleting them", false)
  .option("--no-search", "skip the search payload measurement (sizes of 10,000 and more)")
  .option(
    "--no-edits",
    "skip the edit cycle (warm builds after an edit, an addition, a retraction, a stylesheet change and the correction after it)",
  )
  .option("--peers", "also build each archive with Hugo and the Pagefind CLI and print Broadsheet ÷ peer", false)
  .option(
    "--memory-cap <MB>",
    "stop a build whose processes together pass this resident memory, and report it as failed",
    (value) => {
      const mb = Number(value);
      if (!Number.isFinite(mb) || mb <= 0) throw new InvalidArgumentError("the memory cap is a number of megabytes");
      return mb;
    },
    Math.round((os.totalmem() * 0.6) / 2 ** 20),
  )
  .option("--time-limit <minutes>", "stop a build or floor run after this many minutes, and report it as failed", (value) => {
    const minutes = Number(value);
    if (!Number.isFinite(minutes) || minutes <= 0) throw new InvalidArgumentError("the time limit is a number of minutes");
    return minutes;
  })
  .option("--cpu-prof <dir>", "write a V8 CPU profile of each build into <dir> (slower; for profiling, not figures)")
  .parse();

const options = program.opts<{
  articles: number[];
  seed: number;
  json: string;
  svg?: string;
  cache: string;
  keep: boolean;
  merge: boolean;
  search: boolean;
  edits: boolean;
  peers: boolean;
  memoryCap: number;
  timeLimit?: number;
  cpuProf?: string;
}>();
const jsonFile = path.resolve(options.json);
const defaultJson = path.join(projectRoot, "docs/bench/results.json");
const svgFile = path.resolve(
  options.svg ?? (jsonFile === defaultJson ? path.join(projectRoot, "docs/bench/scaling.svg") : jsonFile.replace(/(\.json)?$/, ".svg")),
);

try {
  const results = await runBench({
    sizes: options.articles,
    seed: options.seed,
    cacheDir: path.resolve(options.cache),
    jsonFile,
    svgFile,
    keep: options.keep,
    merge: options.merge,
    search: options.search,
    edits: options.edits,
    peers: options.peers,
    memoryCapBytes: options.memoryCap * 2 ** 20,
    timeLimitMs: options.timeLimit === undefined ? undefined : options.timeLimit * 60_000,
    cpuProfDir: options.cpuProf,
    log: (line) => console.log(line),
  });
  if (results.results.some((result) => result.error !== undefined)) process.exitCode = 1;
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 1;
}
