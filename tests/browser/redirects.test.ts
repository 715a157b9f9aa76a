// An old URL in a real browser: the static redirect page sends the reader on to the article's new URL.
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArchive, fixtureArchive } from "../helpers/build.ts";
import { launchBrowser, newTestPage, serve, type SiteServer } from "../helpers/browser.ts";
import { testTmpdir } from "../helpers/tmp.ts";

const OLD_URL = "/2019/01/03/the-old-headline/";
const NEW_URL = "/2019/01/03/archive-story-01/";
const HEBREW_OLD_URL = "/2023/05/10/כותרת-ישנה/";
const HEBREW_NEW_URL = "/2023/05/10/חמאס-ואיראן-מחדשים-קשרים/";

describe("following an old URL in a browser", () => {
  let server: SiteServer;
  let browser: Browser;
  let page: Page;
  let origin: string;

  beforeAll(async () => {
    const articles = await mkdtemp(path.join(testTmpdir(), "broadsheet-redirects-"));
    await mkdir(path.join(articles, "2019"));
    await mkdir(path.join(articles, "2023"));
    const withAlias = async (file: string, alias: string) => {
      const text = await readFile(path.join(fixtureArchive, file), "utf8");
      await writeFile(path.join(articles, file), text.replace(/^(date: .*)$/m, `$1\naliases: [${alias}]`));
    };
    await withAlias("2019/story-01.md", OLD_URL);
    await withAlias("2023/hebrew.md", HEBREW_OLD_URL);
    await copyFile(path.join(fixtureArchive, "2019/story-02.md"), path.join(articles, "2019/story-02.md"));
    const build = await buildArchive(articles);
    if (build.exitCode !== 0) throw new Error(`build failed (${build.exitCode}):\n${build.stderr}`);
    server = await serve(path.resolve(build.outputDir));
    origin = server.url;
    browser = await launchBrowser();
    page = await newTestPage(browser);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("ends at the article's new URL", async () => {
    await page.goto(`${origin}${OLD_URL}`);
    await page.waitForURL(`${origin}${NEW_URL}`);
    expect(await page.locator("h1").first().textContent()).toContain("Archive story 01");
  });

  it("ends at the new URL from an old non-Latin URL", async () => {
    await page.goto(`${origin}${encodeURI(HEBREW_OLD_URL)}`);
    await page.waitForURL(`${origin}${encodeURI(HEBREW_NEW_URL)}`);
    expect(await page.locator("h1").first().textContent()).toContain("חמאס ואיראן מחדשים קשרים");
  });
});
