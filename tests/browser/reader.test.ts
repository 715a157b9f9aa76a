// A reader's path through the built site in a real browser (home, older page, article, search), and the reading pages
// at phone and desktop widths, light and dark: screenshots, no layout shift, no sideways scrolling, phone layout.
import { mkdtemp } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BuildResult, fixtureBuild } from "../helpers/build.ts";
import { expectedOlderPages, publishedFixtureArticles } from "../helpers/fixture.ts";
import { launchBrowser, newTestPage, serve, type SiteServer } from "../helpers/browser.ts";
import { testTmpdir } from "../helpers/tmp.ts";
import { type Shot, allShots, openShotPage, shootIn, shotFile } from "../../scripts/screenshots.ts";

const seedHeadline = "Hamas patches up ties with Hezbollah, Iran";

describe("reading the archive in a browser", () => {
  let build: BuildResult;
  let server: SiteServer;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  /** What the reader's page logged as errors during the current test. */
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    build = fixtureBuild();
    if (build.exitCode !== 0) throw new Error(`build failed (${build.exitCode}):\n${build.stderr}`);
    server = await serve(path.resolve(build.outputDir));
    baseUrl = server.url;
    browser = await launchBrowser();
    page = await newTestPage(browser);
    page.on("console", (message) => {
      if (message.type() === "error")
        consoleErrors.push(`${page.url()}: console: ${message.text()}${message.location().url ? ` (${message.location().url})` : ""}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: pageerror: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe("along the reader's path", () => {
    beforeEach(() => {
      consoleErrors.length = 0;
    });
    // Each step of the path logs no console error or page error.
    afterEach(() => {
      expect(consoleErrors).toEqual([]);
    });

    it("lists the seed article on the home page and older articles on the older page", async () => {
      await page.goto(`${baseUrl}/`);
      expect(await page.locator("main a[href^='/20']").count()).toBeGreaterThan(0);
      await page.getByRole("link", { name: seedHeadline }).first().waitFor();
      await page.locator("a[rel='next']").first().click();
      // The home page holds the newest block and the articles after it; its older link goes to the block before
      // (src/archive/model.ts paginate), which starts with the next article.
      const published = await publishedFixtureArticles();
      const newestOlder = expectedOlderPages("/", published).at(-1)!;
      await page.waitForURL(`${baseUrl}${newestOlder.url}`);
      await page.getByRole("link", { name: published[newestOlder.start]!.data.title }).first().waitFor();
    });

    it("opens the seed article from its link", async () => {
      await page.goto(`${baseUrl}/`);
      await page.getByRole("link", { name: seedHeadline }).first().click();
      await page.waitForURL(/\/2023\/08\/06\/[^/]+\/$/);
      expect((await page.locator("h1").first().textContent())?.trim()).toBe(seedHeadline);
    });

    it("finds the seed article with the header search", async () => {
      await page.goto(`${baseUrl}/`);
      await page.locator("#site-search").fill("Hezbollah");
      await page.locator("#site-search").press("Enter");
      await page.waitForURL(`${baseUrl}/search/?q=Hezbollah`);
      const result = page.locator(".search-result__link", { hasText: seedHeadline });
      await result.first().waitFor();
      expect(await result.count()).toBeGreaterThan(0);
    });
  });

  // One page per width and colour scheme loads each of its shots afresh (see openShotPage).
  const groups = new Map<string, Shot[]>();
  for (const shot of allShots()) {
    const group = `${shot.width} px, ${shot.colorScheme}`;
    groups.set(group, [...(groups.get(group) ?? []), shot]);
  }
  describe.each([...groups])("at %s", (_group, shots) => {
    let view: Page;
    let folder: string;
    beforeAll(async () => {
      view = await openShotPage(browser, shots[0] as Shot);
      folder = await mkdtemp(path.join(testTmpdir(), "broadsheet-shots-"));
    });
    afterAll(async () => {
      await view?.close();
    });

    it.each(shots.map((shot): [string, Shot] => [shotFile(shot), shot]))(
      "%s loads with its pictures sized, no layout shift and nothing wider than the screen",
      async (name, shot) => {
        const result = await shootIn(view, baseUrl, shot, path.join(folder, name));
        expect(result).toEqual({ shift: 0, scrollWidth: expect.any(Number) as number, unsizedImages: 0 });
        expect(result.scrollWidth).toBeLessThanOrEqual(shot.width);
      },
      30_000,
    );
  });

  describe("while the home page is still arriving", () => {
    /** A box on the page, or null for an element that is not laid out. */
    type Box = { x: number; y: number; width: number; height: number } | null;

    /**
     * The boxes of `selector`'s elements on the home page at `width`, whole or, with `cut`, as a page painted before
     * the rest of it was parsed (a slow phone, a busy machine) shows them: the page as served, cut where `cut` says.
     */
    async function boxes(width: number, selector: string, cut?: (html: string) => number): Promise<Box[]> {
      const view = await newTestPage(browser, { viewport: { width, height: 800 } });
      try {
        if (cut) {
          await view.route(`${baseUrl}/`, async (route) => {
            const html = await (await route.fetch()).text();
            await route.fulfill({ body: html.slice(0, cut(html)), contentType: "text/html; charset=utf-8" });
          });
        }
        await view.goto(`${baseUrl}/`);
        return await view.locator(selector).evaluateAll((elements) =>
          elements.map((element) => {
            const { x, y, width, height } = element.getBoundingClientRect();
            return width === 0 && height === 0 ? null : { x, y, width, height };
          }),
        );
      } finally {
        await view.close();
      }
    }

    /** Where the page's first `count` section blocks end. */
    const afterBlocks = (count: number) => (html: string) => {
      let end = html.indexOf('class="section-block"');
      for (let i = 0; i < count; i++) end = html.indexOf("</section>", end) + "</section>".length;
      return end;
    };

    it.each([1280, 900])(
      "keeps the section blocks' columns at %i px from the first block on, so none moves as the rest arrives",
      async (width) => {
        const whole = await boxes(width, ".section-block");
        expect(whole.length).toBeGreaterThan(2);
        expect(await boxes(width, ".section-block", afterBlocks(2))).toEqual(whole.slice(0, 2));
      },
    );

    it.each([
      [1280, "waits for the text it goes under"],
      [390, "is shown at once, above its text"],
    ])("keeps the lead picture still at %i px while the page arrives: it %s", async (width, how) => {
      // Cut right after the lead's picture, which comes before its text in the page.
      const afterPicture = (html: string) =>
        html.indexOf("</a>", html.indexOf('class="story__picture"', html.indexOf('class="front__lead"'))) + "</a>".length;
      const [whole] = await boxes(width, ".card-image--lead");
      expect(whole).not.toBeNull();
      const [early] = await boxes(width, ".card-image--lead", afterPicture);
      if (how.startsWith("waits")) expect(early).toBeNull();
      else expect(early).toEqual(whole);
    });
  });

  describe("on a 390 px phone", () => {
    let phone: Page;
    beforeAll(async () => {
      phone = await newTestPage(browser, { viewport: { width: 390, height: 844 } });
    });
    afterAll(async () => {
      await phone?.close();
    });

    it("keeps the header compact: under a seventh of the screen", async () => {
      await phone.goto(`${baseUrl}/`);
      const header = await phone.locator(".masthead").boundingBox();
      expect(header?.height).toBeLessThan(844 / 7);
    });

    it("stacks previous and next, each across the column", async () => {
      await phone.goto(`${baseUrl}/2021/10/20/pipeline-talks-resume-between-neighbours/`);
      const older = await phone.locator(".article-nav__older").boundingBox();
      const newer = await phone.locator(".article-nav__newer").boundingBox();
      if (!older || !newer) throw new Error("the article needs both neighbours");
      expect(newer.y).toBeGreaterThanOrEqual(older.y + older.height);
      expect(older.width).toBeGreaterThan(300);
      expect(newer.width).toBeGreaterThan(300);
    });

    it("lists related articles without bullets or underlines", async () => {
      await phone.goto(`${baseUrl}/2021/10/20/pipeline-talks-resume-between-neighbours/`);
      const styles = await phone
        .locator(".related__item")
        .first()
        .evaluate((item) => ({
          list: getComputedStyle(item).listStyleType,
          underline: getComputedStyle(item.querySelector("a") as Element).textDecorationLine,
        }));
      expect(styles).toEqual({ list: "none", underline: "none" });
    });

    it("never starts a wrapped line of the byline with a separator", async () => {
      await phone.goto(`${baseUrl}/2022/12/01/refinery-output-rises-for-third-year/`);
      // The lines each item's text is drawn on (empty boxes left out): date and reading time never break inside.
      const lines = await phone.locator(".article__meta-item").evaluateAll((items) =>
        items.map((item) => {
          const range = document.createRange();
          range.selectNodeContents(item);
          return new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top))).size;
        }),
      );
      expect(lines).toEqual([1, 1]);
      // The separator is drawn after an item, never before the next.
      const separators = await phone
        .locator(".article__authors, .article__meta-item")
        .evaluateAll((items) => items.map((item) => getComputedStyle(item, "::before").content));
      expect(separators.every((content) => content === "none" || content === "normal")).toBe(true);
    });

    it("draws the archive chart's year labels at a readable size", async () => {
      await phone.goto(`${baseUrl}/archive/`);
      const heights = await phone
        .locator(".archive-chart__label")
        .evaluateAll((labels) => labels.map((label) => label.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(0);
      for (const height of heights) expect(height).toBeGreaterThanOrEqual(10);
    });
  });
});
