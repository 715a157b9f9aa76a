// Two projects: `unit` (pure functions, no builds or browsers; `npm run test:unit`) and `build` (real builds, child
// processes and a browser, sharing one build of the fixture archive). `npm test` runs both.
import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Test files that run the real build, another command or the browser. */
const INTEGRATION = [
  "tests/browser/**/*.test.ts",
  "tests/build/**/*.test.ts",
  "tests/**/build.test.ts",
  "tests/authoring/scaffold.test.ts",
  "tests/bench/measure.test.ts",
  "tests/bench/smoke.test.ts",
  "tests/importer/cli.test.ts",
  "tests/scripts/build-script.test.ts",
  "tests/scripts/check.test.ts",
  "tests/search/index.test.ts",
  "tests/validation/validation.test.ts",
];

/**
 * The longest test files, longest first. Vitest starts files longest first only when it has timings of an earlier run
 * (never on a clean clone: largest first then); these start first anyway, so that no long file starts last and runs
 * alone while the other worker has nothing left to do.
 */
const LONGEST_FIRST = [
  "tests/browser/search.test.ts",
  "tests/build/incremental.test.ts",
  "tests/build/pipeline.test.ts",
  "tests/bench/smoke.test.ts",
  "tests/redirects/build.test.ts",
  "tests/importer/cli.test.ts",
  "tests/build/shards.test.ts",
  "tests/browser/accessibility.test.ts",
  "tests/build/search-cache.test.ts",
  "tests/browser/reader.test.ts",
  "tests/scripts/check.test.ts",
  "tests/build/archive.test.ts",
  "tests/authoring/scaffold.test.ts",
  "tests/images/build.test.ts",
  "tests/browser/preview-errors.test.ts",
  "tests/build/html-validity.test.ts",
  "tests/search/index.test.ts",
  "tests/build/preview.test.ts",
];

/** Vitest's order (the `build` project's files before the `unit` project's), with {@link LONGEST_FIRST} first. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.indexOf(
        path
          .relative(import.meta.dirname, file.moduleId)
          .split(path.sep)
          .join("/"),
      );
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    // Every test file stands alone (its own folders, ports and builds), so several run at once: one per core and one
    // more, as a file spends part of its time waiting (on a browser, a server, a child process's start), which the
    // extra file fills. On this 2-core machine with another process keeping one core busy, `npm test` took 171 s with
    // three files at once against 182 s with two (173 s with four); on a quiet machine it costs a few seconds.
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          exclude: INTEGRATION,
          // Pure functions with no mocks or global state: the files share their workers' module graph instead of each
          // importing it anew, which was most of this project's time.
          isolate: false,
          globalSetup: ["tests/helpers/tmp.ts"],
          // Some of these write and read files, start a worker thread or run Pagefind: under the suite's load on a slow
          // 2-core machine a worker thread's check of 1,000 files took 4.3 s, removing 1,500 files 3.1 s and generating
          // an archive 2.4 s, against the default limit of 5 s. A hang still fails, later.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "build",
          include: INTEGRATION,
          // As in the unit project, the files share their worker's module graph (Playwright, linkedom, the code under
          // test) instead of each importing it anew, which saved about 11 of the suite's 280 CPU seconds. Each file
          // still keeps its own builds, folders, servers and browser, and vitest restores its config and mocks after
          // each file.
          isolate: false,
          // The run's temporary folder first: the fixture build goes in it.
          globalSetup: ["tests/helpers/tmp.ts", "tests/helpers/fixture-site.ts"],
          // Real builds and a browser: give them room. A test of three builds takes 5 s alone, but over 60 s with two
          // other files' builds beside it on a slow 2-core machine (seen in CI), so the limit is the hooks' one.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
