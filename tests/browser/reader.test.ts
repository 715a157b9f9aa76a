// A reader's path through the built site in a real browser: home, older page, article, search.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArchive, fixtureArchive, type BuildResult } from "../helpers/build.ts";
import { launchBrowser, serve, type SiteServer } from "../helpers/browser.ts";

const seedHeadline = "Hamas patches up ties with Hezbollah, Iran";

describe("reading the archive in a browser", () => {
  let build: BuildResult;
  let server: SiteServer;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    build = await buildArchive(fixtureArchive);
    if (build.exitCode !== 0) throw new Error(`build failed (${build.exitCode}):\n${build.stderr}`);
    server = await serve(path.resolve(build.outputDir));
    baseUrl = server.url;
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${page.url()}: console: ${message.text()}${message.location().url ? ` (${message.location().url})` : ""}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: pageerror: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("lists articles on the home page and the seed article on the older page", async () => {
    await page.goto(`${baseUrl}/`);
    expect(await page.locator("main a[href^='/20']").count()).toBeGreaterThan(0);
    await page.locator("a[rel='next']").first().click();
    await page.waitForURL(`${baseUrl}/page/2/`);
    await expect.poll(() => page.getByRole("link", { name: seedHeadline }).count()).toBeGreaterThan(0);
  }, 30_000);

  it("opens the seed article from its link", async () => {
    await page.getByRole("link", { name: seedHeadline }).first().click();
    await page.waitForURL(/\/2023\/08\/06\/[^/]+\/$/);
    expect((await page.locator("h1").first().textContent())?.trim()).toBe(seedHeadline);
  }, 30_000);

  it("finds the seed article with the header search", async () => {
    await page.locator("#site-search").fill("Hezbollah");
    await page.locator("#site-search").press("Enter");
    await page.waitForURL(`${baseUrl}/search/?q=Hezbollah`);
    const result = page.locator(".search-result__link", { hasText: seedHeadline });
    await result.first().waitFor({ timeout: 15_000 });
    expect(await result.count()).toBeGreaterThan(0);
  }, 30_000);

  it("logs no console errors or page errors along the way", () => {
    expect(consoleErrors).toEqual([]);
  });
});
