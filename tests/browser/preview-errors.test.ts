// What an editor sees under `npm start` when a save breaks an article: the problems in the browser instead of a stale
// page, printed once in the terminal, and the site back as soon as the article is fixed.
import { mkdtemp, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copySmallFixture, fixtureData, projectRoot } from "../helpers/build.ts";
import { type Preview, startPreview } from "../helpers/preview.ts";
import { POLL_ON_TIMER, launchBrowser, newTestPage } from "../helpers/browser.ts";
import { testTmpdir } from "../helpers/tmp.ts";

let preview: Preview;
let origin: string;
let articles: string;
let browser: Browser;

beforeAll(async () => {
  const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-preview-errors-"));
  articles = path.join(root, "articles");
  await copySmallFixture(articles);
  preview = await startPreview({
    articles,
    data: path.relative(projectRoot, fixtureData),
    output: path.join(root, "preview"),
    quiet: true,
  });
  origin = preview.origin;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  preview?.server.kill();
});

describe("a save that breaks an article under npm start", () => {
  it("shows the problem in the open page, prints it once, and brings the site back when fixed", async () => {
    const page = await newTestPage(browser);
    await page.goto(`${origin}/`);
    const broken = path.join(articles, "2024/broken.md");
    await writeFile(broken, "---\ntitle: Broken story\ndate: 2024-02-30\n---\nBody.\n");

    // Live reload replaces the open page with the problem list; no manual reload.
    await page.waitForFunction(() => document.body.innerText.includes("The preview is not up to date"), undefined, POLL_ON_TIMER);
    const items = await page.locator("li code").allTextContents();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatch(/broken\.md:3: date: "2024-02-30" is not a real date/);
    expect(
      preview
        .log()
        .split("\n")
        .filter((line) => line.includes("broken.md:3: date:")),
    ).toHaveLength(1);
    expect(preview.log()).not.toMatch(/\n\s+at |Original error stack trace/);
    // Every page shows the problems while they last, not only the one that was open.
    const other = await fetch(`${origin}/topics/`);
    expect(other.status).toBe(500);
    expect(await other.text()).toContain("broken.md:3: date:");

    await writeFile(broken, "---\ntitle: Broken story\ndate: 2024-02-28\n---\nBody.\n");
    await page.waitForFunction(() => !document.body.innerText.includes("The preview is not up to date"), undefined, POLL_ON_TIMER);
    expect((await fetch(`${origin}/topics/`)).status).toBe(200);
    const fixed = await fetch(`${origin}/2024/02/28/broken-story/`);
    expect(fixed.status, preview.log()).toBe(200);
  });
});
