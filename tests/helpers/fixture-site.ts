// Vitest global setup: builds the fixture archive once per test run, for every test file that only reads it; and once
// more in several search bundles, for the test files that search an archive too large for one index.
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type BuildResult, SHARDED_FIXTURE_ENV, buildArchive, fixtureArchive } from "./build.ts";
import { testTmpdir } from "./tmp.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The fixture archive's build, shared by the test files that read it and never change it. */
    fixtureBuild: BuildResult;
    /** The fixture archive's build in several search bundles ({@link SHARDED_FIXTURE_ENV}), shared the same way. */
    shardedFixtureBuild: BuildResult;
  }
}

/**
 * Builds both into the run's temporary folder (made by the setup before this one), one after the other, and provides
 * them. The second reuses the pictures the first encoded (the default cache); built at once, both encoded every
 * picture, which took longer on two cores than building one after the other.
 */
export default async function setup(project: TestProject): Promise<void> {
  const build = await buildArchive(fixtureArchive, path.join(testTmpdir(), "fixture-site"));
  if (build.exitCode !== 0) throw new Error(`the fixture archive did not build:\n${build.stderr}`);
  const sharded = await buildArchive(fixtureArchive, path.join(testTmpdir(), "fixture-site-sharded"), SHARDED_FIXTURE_ENV);
  if (sharded.exitCode !== 0) throw new Error(`the fixture archive did not build in search bundles:\n${sharded.stderr}`);
  project.provide("fixtureBuild", build);
  project.provide("shardedFixtureBuild", sharded);
}
