// Browser-test tooling: the static server and Debian's chromium, shared with the search benchmark and screenshot script.
import type { Browser, BrowserContext, Page } from "playwright-core";
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

/**
 * How long one Playwright action or wait in the tests may take: twice Playwright's default. CI's machine ran the suite
 * 2.5 times slower than this one did (423 s against 170 s), and a search that settles in a second or two here can take
 * many times that there; the test's own limit (the build project's 180 s) stays the outer bound.
 */
export const PAGE_TIMEOUT_MS = 60_000;

/** A new browser context whose pages wait up to {@link PAGE_TIMEOUT_MS}. */
export async function newTestContext(browser: Browser, options?: Parameters<Browser["newContext"]>[0]): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  return context;
}

/** A new page in a context of its own (closed with it) that waits up to {@link PAGE_TIMEOUT_MS}. */
export async function newTestPage(browser: Browser, options?: Parameters<Browser["newPage"]>[0]): Promise<Page> {
  const page = await browser.newPage(options);
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  return page;
}
