// Builds an archive with the real `npm run build` command line (read from package.json) into a temp folder, for build and browser tests.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";
import { buildScriptArgs } from "../../scripts/build-script.ts";
import { testTmpdir } from "./tmp.ts";

const run = promisify(execFile);

/** The project root (where package.json is). */
export const projectRoot = path.resolve(import.meta.dirname, "../..");

/** The shared fixture archive built by most tests. */
export const fixtureArchive = path.join(projectRoot, "tests/fixtures/archive");

/**
 * The part of the fixture archive that tests copy when they change their copy: two years and one article of 2024 with
 * its picture (20 articles; every kind of page, feeds and search), a fraction of the whole archive's build time.
 */
const SMALL_FIXTURE = ["2019", "2022", "2024/story-24.md", "2024/lake-hills.jpg"];

/** Copies {@link SMALL_FIXTURE} into the articles folder `to` (made if needed), for a test that changes its copy. */
export async function copySmallFixture(to: string): Promise<void> {
  for (const entry of SMALL_FIXTURE) await cp(path.join(fixtureArchive, entry), path.join(to, entry), { recursive: true });
}

/** Authors, sections and site settings of the fixture archives. */
export const fixtureData = path.join(projectRoot, "tests/fixtures/data");

/** The build time of fixture builds (2024-03-01T00:00:00Z): later articles are embargoed. */
export const FIXTURE_BUILD_TIME = "2024-03-01T00:00:00Z";
const FIXTURE_EPOCH = String(Date.parse(FIXTURE_BUILD_TIME) / 1000);

/**
 * Makes `cache` a build cache holding only the pictures encoded by the fixture build (in the default cache, by the
 * global setup) and returns it. Pictures are named by their content, so any build can reuse them; a build with this
 * cache renders every page itself, as a build from an empty cache does, without encoding the pictures again.
 */
export async function cacheWithPictures(cache: string): Promise<string> {
  await cp(path.join(projectRoot, ".cache/broadsheet/images"), path.join(cache, "images"), { recursive: true });
  return cache;
}

/** Result of one build. */
export interface BuildResult {
  outputDir: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Builds `articlesDir` into `outputDir` (a new temp folder unless given) with the fixture data and build time,
 * and never throws on a failed build.
 */
export async function buildArchive(
  articlesDir: string,
  outputDir?: string,
  env: Record<string, string> = {},
  /** More arguments of the build command, e.g. `--shard 1/2`. */
  args: readonly string[] = [],
): Promise<BuildResult> {
  const out = outputDir ?? (await mkdtemp(path.join(testTmpdir(), "broadsheet-build-")));
  try {
    const { stdout, stderr } = await run(process.execPath, [...(await buildScriptArgs()), `--output=${out}`, "--quiet", ...args], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ARTICLES_DIR: path.relative(projectRoot, articlesDir),
        DATA_DIR: path.relative(projectRoot, fixtureData),
        SITE_URL: "https://news.test",
        SOURCE_DATE_EPOCH: FIXTURE_EPOCH,
        ...env,
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { outputDir: out, exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { outputDir: out, exitCode: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** Reads a built file as text. */
export function readOutput(build: BuildResult, relativePath: string): Promise<string> {
  return readFile(path.join(build.outputDir, relativePath), "utf8");
}

/** The fixture archive built once per test run by the global setup (`fixture-site.ts`): read it, never change it. */
export function fixtureBuild(): BuildResult {
  return inject("fixtureBuild");
}

/**
 * Articles per search bundle in {@link shardedFixtureBuild}: the 79 published fixture articles make 11 bundles, 4
 * sealed and 7 sub-bundles of the newest range, with years in more than one bundle. Each bundle costs every search page the
 * tests load its requests, so no more than the layout needs.
 */
export const SHARDED_FIXTURE_ENV = { SEARCH_SHARD_SIZE: "20" } as const;

/**
 * The fixture archive built once per test run in several search bundles ({@link SHARDED_FIXTURE_ENV}) by the global
 * setup (`fixture-site.ts`): read it, never change it.
 */
export function shardedFixtureBuild(): BuildResult {
  return inject("shardedFixtureBuild");
}
