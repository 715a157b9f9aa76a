// A reader's path through the built site in a real browser: home, older page, article, search.
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArchive, fixtureArchive, type BuildResult } from "../helpers/build.ts";

const seedHeadline = "Hamas patches up ties with Hezbollah, Iran";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
};

/** Serves `root` statically on 127.0.0.1 with an OS-chosen port. */
function serve(root: string): Promise<Server> {
  const server = createServer(async (request, response) => {
    try {
      const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
      let file = path.join(root, path.normalize(pathname));
      if (!file.startsWith(root)) throw new Error("outside root");
      if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
      const body = await readFile(file);
      response.writeHead(200, { "content-type": contentTypes[path.extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("Not found");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("reading the archive in a browser", () => {
  let build: BuildResult;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    build = await buildArchive(fixtureArchive);
    if (build.exitCode !== 0) throw new Error(`build failed (${build.exitCode}):\n${build.stderr}`);
    server = await serve(path.resolve(build.outputDir));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${page.url()}: console: ${message.text()}${message.location().url ? ` (${message.location().url})` : ""}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: pageerror: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
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
    const result = page.locator(".pagefind-ui__result-link", { hasText: seedHeadline });
    await result.first().waitFor({ timeout: 15_000 });
    expect(await result.count()).toBeGreaterThan(0);
  }, 30_000);

  it("logs no console errors or page errors along the way", () => {
    expect(consoleErrors).toEqual([]);
  });
});
