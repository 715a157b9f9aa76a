// Vitest global setup: builds the fixture archive once per test run, for every test file that only reads it.
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type BuildResult, buildArchive, fixtureArchive } from "./build.ts";
import { testTmpdir } from "./tmp.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The fixture archive's build, shared by the test files that read it and never change it. */
    fixtureBuild: BuildResult;
  }
}

/** Builds the fixture into the run's temporary folder (made by the setup before this one) and provides it. */
export default async function setup(project: TestProject): Promise<void> {
  const build = await buildArchive(fixtureArchive, path.join(testTmpdir(), "fixture-site"));
  if (build.exitCode !== 0) throw new Error(`the fixture archive did not build:\n${build.stderr}`);
  project.provide("fixtureBuild", build);
}
