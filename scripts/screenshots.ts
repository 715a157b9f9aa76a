// Takes the README's pictures of the reading side (home, an article, a listing, the archive) at phone and desktop
// widths, light and dark, from a built site, by default the fixture archive. The browser tests use the same shots.
// Usage: tsx scripts/screenshots.ts [--site DIR] [--out docs/screenshots]   (without --site it builds the fixture first)
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Browser, Page } from "playwright-core";
import { buildArchive, fixtureArchive, projectRoot } from "../tests/helpers/build.ts";
import { POLL_ON_TIMER, launchChromium, serveSite } from "./bench/search-payload.ts";

/** The pages shown, by name: one of each kind a reader meets. */
export const SCREENSHOT_PAGES: Readonly<Record<string, string>> = {
  home: "/",
  article: "/2022/12/01/refinery-output-rises-for-third-year/",
  listing: "/sections/business/",
  archive: "/archive/",
};

/** Viewports: an iPhone-sized phone and a common laptop. */
export const SCREENSHOT_WIDTHS: Readonly<Record<number, number>> = { 390: 844, 1280: 800 };

/** One screenshot to take. */
export interface Shot {
  name: string;
  url: string;
  width: number;
  colorScheme: "light" | "dark";
}

/** Every shot: each page at each width in light, and each at each width in dark. */
export function allShots(): Shot[] {
  return Object.entries(SCREENSHOT_PAGES).flatMap(([name, url]) =>
    Object.keys(SCREENSHOT_WIDTHS).flatMap((width) =>
      (["light", "dark"] as const).map((colorScheme) => ({ name, url, width: Number(width), colorScheme })),
    ),
  );
}

/** The file of a shot, e.g. `home-390.png` or `home-1280-dark.png`. */
export function shotFile(shot: Shot): string {
  return `${shot.name}-${shot.width}${shot.colorScheme === "dark" ? "-dark" : ""}.png`;
}

/** What a shot found on its page besides the picture. */
export interface ShotResult {
  /** The page's cumulative layout shift while it loaded (zero when every picture is sized). */
  shift: number;
  /** The document's scroll width in CSS pixels: no wider than the shot's width unless something overflows. */
  scrollWidth: number;
  /** Pictures without a width or height attribute. */
  unsizedImages: number;
}

/**
 * A page at `shot`'s viewport and colour scheme that records layout shifts from the first paint of every document it
 * loads: one serves every shot of the same width and scheme ({@link shootIn}).
 */
export async function openShotPage(browser: Browser, shot: Shot): Promise<Page> {
  const height = SCREENSHOT_WIDTHS[shot.width] ?? 800;
  const page = await browser.newPage({ viewport: { width: shot.width, height }, colorScheme: shot.colorScheme });
  await page.addInitScript(() => {
    // Layout shifts are recorded from the first paint on, so the measure covers pictures loading.
    (window as unknown as { __shift: number }).__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) (window as unknown as { __shift: number }).__shift += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  return page;
}

/**
 * Loads `shot` against `origin` in `page` (from {@link openShotPage} for the shot's width and scheme), waits for its
 * pictures, and writes the top of the page (one screen) to `outFile`; returns what it measured on the page.
 */
export async function shootIn(page: Page, origin: string, shot: Shot, outFile: string): Promise<ShotResult> {
  await page.goto(`${origin}${shot.url}`, { waitUntil: "load" });
  await page.waitForFunction(
    () => [...document.images].filter((image) => image.getBoundingClientRect().top < window.innerHeight).every((image) => image.complete),
    undefined,
    POLL_ON_TIMER,
  );
  await mkdir(path.dirname(outFile), { recursive: true });
  await page.screenshot({ path: outFile, type: "png" });
  return page.evaluate(() => ({
    shift: (window as unknown as { __shift: number }).__shift,
    scrollWidth: document.documentElement.scrollWidth,
    unsizedImages: document.querySelectorAll("img:not([width]), img:not([height])").length,
  }));
}

/** Opens `shot` in a page of its own in `browser` against `origin` and writes it to `outFile` (see {@link shootIn}). */
export async function takeShot(browser: Browser, origin: string, shot: Shot, outFile: string): Promise<ShotResult> {
  const page = await openShotPage(browser, shot);
  try {
    return await shootIn(page, origin, shot, outFile);
  } finally {
    await page.close();
  }
}

/** Serves `siteDir` and writes every shot into `outDir`; returns the files written with their sizes. */
export async function takeScreenshots(
  siteDir: string,
  outDir: string,
  shots: readonly Shot[] = allShots(),
): Promise<{ file: string; bytes: number; shift: number }[]> {
  const server = await serveSite(siteDir);
  const browser = await launchChromium();
  try {
    const written: { file: string; bytes: number; shift: number }[] = [];
    for (const shot of shots) {
      const file = path.join(outDir, shotFile(shot));
      const { shift } = await takeShot(browser, server.url, shot, file);
      written.push({ file, bytes: (await stat(file)).size, shift });
    }
    return written;
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Runs `work` on the site in `siteDir`, or, without one, on a fresh build of the fixture archive that is removed
 * afterwards: the screenshot scripts' common start.
 */
export async function withFixtureSite(siteDir: string | undefined, work: (siteDir: string) => Promise<void>): Promise<void> {
  if (siteDir !== undefined) return work(siteDir);
  const build = await buildArchive(fixtureArchive);
  if (build.exitCode !== 0) throw new Error(`the fixture archive did not build:\n${build.stderr}`);
  try {
    await work(build.outputDir);
  } finally {
    await rm(build.outputDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { site: { type: "string" }, out: { type: "string", default: "docs/screenshots" } } });
  const out = path.resolve(projectRoot, values.out);
  await withFixtureSite(values.site, async (siteDir) => {
    for (const { file, bytes } of await takeScreenshots(siteDir, out))
      console.log(`wrote ${path.relative(projectRoot, file)} (${bytes} bytes)`);
  });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await main();
}
