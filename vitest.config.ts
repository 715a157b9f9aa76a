// Two projects: `unit` (pure functions, no builds or browsers; `npm run test:unit`) and `build` (real builds, child
// processes and a browser, sharing one build of the fixture archive). `npm test` runs both.
import { defineConfig } from "vitest/config";

/** Test files that run the real build, another command or the browser. */
const INTEGRATION = [
  "tests/browser/**/*.test.ts",
  "tests/build/**/*.test.ts",
  "tests/**/build.test.ts",
  "tests/authoring/scaffold.test.ts",
  "tests/bench/measure.test.ts",
  "tests/bench/smoke.test.ts",
  "tests/importer/cli.test.ts",
  "tests/scripts/check.test.ts",
  "tests/search/index.test.ts",
  "tests/validation/validation.test.ts",
];

export default defineConfig({
  test: {
    // Every test file stands alone (its own folders, ports and builds), so two run at once: one per core here.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          exclude: INTEGRATION,
          globalSetup: ["tests/helpers/tmp.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "build",
          include: INTEGRATION,
          // The run's temporary folder first: the fixture build goes in it.
          globalSetup: ["tests/helpers/tmp.ts", "tests/helpers/fixture-site.ts"],
          // Real builds and a browser: give them room.
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
