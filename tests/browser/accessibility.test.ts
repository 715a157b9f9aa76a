// Every page type is free of axe-core violations in a real browser, in light and dark colour schemes, and the reading
// pages (home, article, listing, archive) are also at a phone's width.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, fixtureBuild } from "../helpers/build.ts";
import { launchBrowser, serve, type SiteServer } from "../helpers/browser.ts";
import { SCREENSHOT_PAGES } from "../../scripts/screenshots.ts";

const axeScript = path.join(projectRoot, "node_modules/axe-core/axe.min.js");

/** One page of each type the site produces. */
const pageTypes: [string, string][] = [
  ["home", "/"],
  ["home, later page", "/page/2/"],
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

beforeAll(async () => {
  const build = fixtureBuild();
  if (build.exitCode !== 0) throw new Error(`build failed:\n${build.stderr}`);
  server = await serve(path.resolve(build.outputDir));
  origin = server.url;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function violations(page: Page, url: string): Promise<string[]> {
  const response = await page.goto(`${origin}${url}`);
  expect(response?.status(), url).toBe(200);
  await page.addScriptTag({ path: axeScript });
  const found = await page.evaluate(async () => {
    // axe is injected above as a plain script; the page's global has no types for it.
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

describe.concurrent.each(["light", "dark"] as const)("axe-core in the %s colour scheme", (colorScheme) => {
  it.each(pageTypes)(
    "%s page (%s) has no violations",
    async (_type, url) => {
      const page = await browser.newPage({ colorScheme });
      try {
        expect(await violations(page, url)).toEqual([]);
      } finally {
        await page.close();
      }
    },
    30_000,
  );
});

describe.concurrent.each(["light", "dark"] as const)("axe-core at 390 px in the %s colour scheme", (colorScheme) => {
  it.each(Object.entries(SCREENSHOT_PAGES))(
    "%s page (%s) has no violations",
    async (_name, url) => {
      const page = await browser.newPage({ colorScheme, viewport: { width: 390, height: 844 } });
      try {
        expect(await violations(page, url)).toEqual([]);
      } finally {
        await page.close();
      }
    },
    30_000,
  );
});
