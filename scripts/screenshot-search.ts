// Takes the README's picture of the search page (facets and results) from a built site, by default the fixture archive.
// Usage: tsx scripts/screenshot-search.ts [--site DIR] [--out docs/search.png]   (without --site it builds the fixture first)
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Browser, Page } from "playwright-core";
import { projectRoot } from "../tests/helpers/build.ts";
import { POLL_ON_TIMER, launchChromium, serveSite } from "./bench/search-payload.ts";
import { withFixtureSite } from "./screenshots.ts";

/** The search shown: words found in headlines and bodies, narrowed to one topic; the top result has a picture. */
export const SCREENSHOT_QUERY = "?q=harbour&topic=Economy";

/** Largest PNG the README should carry. */
export const MAX_SCREENSHOT_BYTES = 200_000;

/**
 * Waits until the search page has finished the search it is on (status written, results and facets no longer busy).
 * If it does not within Playwright's timeout, the error says what the page showed, so a hung search can be told from
 * a slow one.
 */
export async function searchSettled(page: Page): Promise<void> {
  try {
    await page.waitForFunction(
      () => {
        const status = document.getElementById("search-status");
        return (
          status !== null &&
          status.textContent !== "" &&
          document.querySelector("#search-results[aria-busy], #search-facets[aria-busy]") === null
        );
      },
      undefined,
      POLL_ON_TIMER,
    );
  } catch (error) {
    if (!(error instanceof Error) || error.name !== "TimeoutError") throw error;
    const shown = await page
      .evaluate(() => ({
        status: document.getElementById("search-status")?.textContent ?? null,
        busy: [...document.querySelectorAll("[aria-busy]")].map((element) => `#${element.id}`),
        results: document.querySelectorAll(".search-result").length,
      }))
      .catch((reason: unknown) => String(reason));
    throw new Error(`${page.url()}: the search did not settle; the page showed ${JSON.stringify(shown)}`, { cause: error });
  }
}

/** Options for {@link screenshotSearch}. */
export interface ScreenshotOptions {
  /** Query string of the search to show, starting with "?" (default {@link SCREENSHOT_QUERY}). */
  query?: string;
  colorScheme?: "light" | "dark";
  /** A running Chromium to use (left running); by default one is started and closed. */
  browser?: Browser;
}

/**
 * Serves `siteDir`, opens its search page on `options.query` in Chromium at a desktop width, waits for the results
 * and writes a PNG of the top of the page to `outFile`. Returns the file's size in bytes; throws if it is over
 * {@link MAX_SCREENSHOT_BYTES}, since the picture must stay light enough for the README.
 */
export async function screenshotSearch(siteDir: string, outFile: string, options: ScreenshotOptions = {}): Promise<number> {
  const server = await serveSite(siteDir);
  const browser = options.browser ?? (await launchChromium());
  const page = await browser.newPage({ viewport: { width: 1100, height: 860 }, colorScheme: options.colorScheme ?? "light" });
  try {
    await page.goto(`${server.url}/search/${options.query ?? SCREENSHOT_QUERY}`);
    await searchSettled(page);
    // Thumbnails load lazily; wait for those in view so the picture has no empty boxes.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLImageElement>(".search-result__image")]
          .filter((image) => image.getBoundingClientRect().top < window.innerHeight)
          .every((image) => image.complete),
      undefined,
      POLL_ON_TIMER,
    );
    await mkdir(path.dirname(outFile), { recursive: true });
    await page.screenshot({ path: outFile, type: "png" });
    const { size } = await stat(outFile);
    if (size > MAX_SCREENSHOT_BYTES) throw new Error(`${outFile} is ${size} bytes, over the ${MAX_SCREENSHOT_BYTES} allowed`);
    return size;
  } finally {
    await (options.browser ? page.close() : browser.close());
    await server.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { site: { type: "string" }, out: { type: "string", default: "docs/search.png" } } });
  const out = path.resolve(projectRoot, values.out);
  await withFixtureSite(values.site, async (siteDir) => {
    const size = await screenshotSearch(siteDir, out);
    console.log(`wrote ${path.relative(projectRoot, out)} (${size} bytes)`);
  });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await main();
}
