// Browser-test tooling: the static server and Debian's chromium, shared with the search benchmark and screenshot script.
import type { Browser } from "playwright-core";
import { launchChromium } from "../../scripts/bench/search-payload.ts";

export { POLL_ON_TIMER, serveSite as serve, type SiteServer } from "../../scripts/bench/search-payload.ts";

/**
 * V8 without its optimising compilers in the tests' pages. A test's page lives for a second or two, too short for
 * optimised code to pay back its compilation, which ran on the renderers' background threads: without it the browser
 * tests took about 12 fewer CPU-seconds of the suite's ~265 (measured with a `/proc` sampler over `vitest run`). What
 * the pages do is unchanged; the benchmark, which times searches, keeps Chromium's defaults.
 */
const TEST_ARGS: readonly string[] = ["--js-flags=--no-opt"];

/** Starts the tests' headless Chromium, with `args` after the shared flags and {@link TEST_ARGS}. */
export function launchBrowser(args: readonly string[] = []): Promise<Browser> {
  return launchChromium([...TEST_ARGS, ...args]);
}
