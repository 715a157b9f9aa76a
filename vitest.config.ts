import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The run's temporary folder first: the fixture build goes in it.
    globalSetup: ["tests/helpers/tmp.ts", "tests/helpers/fixture-site.ts"],
    // Build and browser tests run real builds; give them room and avoid starving the 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
