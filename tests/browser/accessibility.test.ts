// Every page type is free of axe-core violations in a real browser, in light and dark colour schemes, and the reading
// pages (home, article, listing, archive) are also at a phone's width.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, fixtureBuild } from "../helpers/build.ts";
import { launchBrowser, newTestPage, serve, type SiteServer } from "../helpers/browser.ts";
import { SCREENSHOT_PAGES } from "../../scripts/screenshots.ts";
import { expectedOlderPages, publishedFixtureArticles } from "../helpers/fixture.ts";

const axeScript = path.join(projectRoot, "node_modules/axe-core/axe.min.js");

/** One page of each type the site produces. */
const pageTypes: [string, string][] = [
  ["home", "/"],
  ["home, later page", expectedOlderPages("/", await publishedFixtureArticles())[0]!.url],
  ["article", "/2022/12/01/refinery-output-rises-for-third-year/"],
  ["article with related articles", "/2021/10/20/pipeline-talks-resume-between-neighbours/"],
  ["year", "/2023/"],
  ["month", "/2023/08/"],
  ["topic", "/topics/hezbollah/"],
  ["topic index", "/topics/"],
  ["author", "/authors/ada-reporter/"],
  ["author index", "/authors/"],
  ["section", "/sections/world/"],
  ["section index", "/sections/"],
  ["archive", "/archive/"],
  ["search", "/search/"],
  ["not found", "/404.html"],
];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let server: SiteServer;
let browser: Browser;
let origin: string;
let axeSource: string;

beforeAll(async () => {
  const build = fixtureBuild();
  if (build.exitCode !== 0) throw new Error(`build failed:\n${build.stderr}`);
  server = await serve(path.resolve(build.outputDir));
  origin = server.url;
  browser = await launchBrowser();
  axeSource = await readFile(axeScript, "utf8");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * A page in `colorScheme` at `viewport` for the tests of one describe block, which load their URL in it one after
 * another: each test still loads its page afresh in that scheme and width, while the browser keeps axe compiled and
 * warm between them (a new page per test cost four times as much). axe is added to every document the page loads,
 * before the site's own scripts run; the site keeps nothing in storage between pages.
 */
function pageFor(options: { colorScheme: "light" | "dark"; viewport?: { width: number; height: number } }): () => Page {
  let page: Page | undefined;
  beforeAll(async () => {
    page = await newTestPage(browser, options);
    await page.addInitScript({ content: axeSource });
  });
  afterAll(async () => {
    await page?.close();
  });
  return () => {
    if (!page) throw new Error("the page is only there while the block's tests run");
    return page;
  };
}

async function violations(page: Page, url: string): Promise<string[]> {
  const response = await page.goto(`${origin}${url}`);
  expect(response?.status(), url).toBe(200);
  const found = await page.evaluate(async () => {
    // axe is added above as a plain script; the page's global has no types for it.
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: { resultTypes: string[] }) => Promise<{ violations: unknown[] }> };
      }
    ).axe;
    // Only violations are read: axe then spends no time detailing the rules that pass (violations are reported in full).
    return (await axe.run(document, { resultTypes: ["violations"] })).violations;
  });
  return (found as AxeViolation[]).map(
    (v) => `${url}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

describe.each(["light", "dark"] as const)("axe-core in the %s colour scheme", (colorScheme) => {
  const page = pageFor({ colorScheme });
  it.each(pageTypes)(
    "%s page (%s) has no violations",
    async (_type, url) => {
      expect(await violations(page(), url)).toEqual([]);
    },
    30_000,
  );
});

describe.each(["light", "dark"] as const)("axe-core at 390 px in the %s colour scheme", (colorScheme) => {
  const page = pageFor({ colorScheme, viewport: { width: 390, height: 844 } });
  it.each(Object.entries(SCREENSHOT_PAGES))(
    "%s page (%s) has no violations",
    async (_name, url) => {
      expect(await violations(page(), url)).toEqual([]);
    },
    30_000,
  );
});
