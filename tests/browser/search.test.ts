// The search page in a real browser on the built fixture archive: ranking, facets, sorting, URL state, history,
// result details, hostile input, keyboard use and accessibility.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDateline, yearOf } from "../../src/dates/index.ts";
import { launchChromium, serveSite, type SiteServer } from "../../scripts/bench/search-payload.ts";
import { MAX_SCREENSHOT_BYTES, screenshotSearch } from "../../scripts/screenshot-search.ts";
import { buildArchive, fixtureArchive, projectRoot, type BuildResult } from "../helpers/build.ts";
import { type FixtureArticle, TIMEZONE, publishedFixtureArticles } from "../helpers/fixture.ts";
import { testTmpdir } from "../helpers/tmp.ts";

/** The axe-core result parts reported here. */
interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

const normal = (url: string) => decodeURI(url);
const hasTopic = (article: FixtureArticle, topic: string) =>
  (article.data.topics ?? []).some((each) => each.trim().toLocaleLowerCase("en") === topic.toLocaleLowerCase("en"));

describe("searching the archive in a browser", () => {
  let build: BuildResult;
  let server: SiteServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let published: FixtureArticle[];
  const problems: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    build = await buildArchive(fixtureArchive);
    if (build.exitCode !== 0) throw new Error(`build failed (${build.exitCode}):\n${build.stderr}`);
    server = await serveSite(build.outputDir);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    // The hostile fixture's picture lives on a host that does not exist; the test machine is offline anyway.
    await context.route("https://images.test/**", (route) =>
      route.fulfill({ status: 200, contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>' }),
    );
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${page.url()}: console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`${page.url()}: pageerror: ${error.message}`));
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    published = await publishedFixtureArticles();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Waits until the page has finished the search it is on (status written, results and facets no longer busy). */
  async function settled(): Promise<void> {
    await page.waitForFunction(() => {
      const status = document.getElementById("search-status");
      return status !== null && status.textContent !== "" && document.querySelector("#search-results[aria-busy], #search-facets[aria-busy]") === null;
    });
  }

  /** Opens the search page with a query string ("?q=…") and waits for its results. */
  async function open(query: string): Promise<void> {
    await page.goto(`${server.url}/search/${query}`);
    await settled();
  }

  /** Paths of all results, in order, after pressing "Show more results" until every result is shown. */
  async function resultPaths(): Promise<string[]> {
    const more = page.locator("#search-more");
    while (await more.isVisible()) {
      const before = await page.locator(".search-result").count();
      await more.click();
      await page.waitForFunction((count) => document.querySelectorAll(".search-result").length > count, before);
    }
    const hrefs = await page.locator(".search-result__link").evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
    return hrefs.map((href) => normal(new URL(href).pathname));
  }

  const paths = (articles: FixtureArticle[]) => articles.map((article) => normal(article.url));
  const newestFirst = (articles: FixtureArticle[]) => paths([...articles].sort((a, b) => b.millis - a.millis));
  const byFile = (file: string) => {
    const found = published.find((article) => article.file.endsWith(file));
    if (!found) throw new Error(`no published fixture ${file}`);
    return found;
  };

  it("ranks an article with the word in its headline above one with it only in the body", async () => {
    await open("?q=quokka");
    expect(await resultPaths()).toEqual(paths([byFile("2020/search-headline.md"), byFile("2020/search-body.md")]));
  });

  it("marks the searched word in a headline", async () => {
    await open("?q=quokka");
    expect(await page.locator(".search-result__title").first().locator("mark").allTextContents()).toEqual(["Quokka"]);
  });

  it("finds the seed article first for words of its headline", async () => {
    await open(`?q=${encodeURIComponent("Hamas patches up ties")}`);
    expect((await resultPaths())[0]).toBe(normal(byFile("2024/seed.md").url));
  });

  it.each([
    ["topic", "Hezbollah", (article: FixtureArticle) => hasTopic(article, "Hezbollah")],
    ["author", "Ben Correspondent", (article: FixtureArticle) => (article.data.authors ?? []).includes("Ben Correspondent")],
    ["section", "Culture", (article: FixtureArticle) => article.data.section === "Culture"],
    ["year", "2021", (article: FixtureArticle) => yearOf(article.data.date, TIMEZONE) === 2021],
  ])("lists exactly the articles of one %s (%s), newest first, when it is ticked with no words", async (facet, value, matches) => {
    await open("");
    const box = page.locator(`.facet[data-facet="${facet}"] input[value="${value}"]`);
    if ((await box.count()) === 0) await page.locator(`.facet[data-facet="${facet}"] .facet__more`).click();
    await box.check();
    await page.waitForURL((url) => url.searchParams.getAll(facet).includes(value));
    await settled();
    const expected = newestFirst(published.filter(matches));
    expect(expected.length).toBeGreaterThan(0);
    expect(await resultPaths()).toEqual(expected);
    expect(await page.locator("#search-status").textContent()).toContain(`${expected.length} article`);
  });

  it("shows each facet value with the number of articles it would list", async () => {
    await open("");
    const iran = page.locator('.facet[data-facet="topic"] .facet__item', { has: page.locator('input[value="Iran"]') });
    expect(await iran.locator(".facet__count").textContent()).toBe(String(published.filter((article) => hasTopic(article, "Iran")).length));
  });

  it("adds up values within a facet and narrows across facets", async () => {
    await open("?topic=Iran&topic=Syria&year=2023");
    const expected = published.filter((article) => (hasTopic(article, "Iran") || hasTopic(article, "Syria")) && yearOf(article.data.date, TIMEZONE) === 2023);
    expect(expected.length).toBeGreaterThan(1);
    expect(await resultPaths()).toEqual(newestFirst(expected));
  });

  it("combines words with filters", async () => {
    await open("?q=hezbollah&topic=Iran&section=World");
    expect(await resultPaths()).toEqual([normal(byFile("2024/seed.md").url)]);
  });

  it("sorts the results newest first and oldest first", async () => {
    await open("?q=archive&sort=newest");
    const newest = await resultPaths();
    const millis = (list: string[]) => list.map((url) => published.find((article) => normal(article.url) === url)?.millis ?? Number.NaN);
    expect(newest.length).toBeGreaterThan(10);
    expect(millis(newest)).toEqual([...millis(newest)].sort((a, b) => b - a));
    await page.locator("#search-sort").selectOption("oldest");
    await page.waitForURL((url) => url.searchParams.get("sort") === "oldest");
    await settled();
    const oldest = await resultPaths();
    expect(millis(oldest)).toEqual([...millis(oldest)].sort((a, b) => a - b));
    expect([...oldest].sort()).toEqual([...newest].sort());
  });

  it("restores words, filters and sort from the URL", async () => {
    await open("?q=treaty&topic=Iran&sort=oldest");
    expect(await page.locator("#search-q").inputValue()).toBe("treaty");
    expect(await page.locator("#site-search").inputValue()).toBe("treaty");
    expect(await page.locator('.facet input[value="Iran"]').isChecked()).toBe(true);
    expect(await page.locator("#search-sort").inputValue()).toBe("oldest");
    expect(await page.locator("#search-status").textContent()).toMatch(/articles? for “treaty”, oldest first/);
  });

  it("keeps every change in the URL and steps back through them with the back button", async () => {
    await open("?q=treaty");
    const all = await resultPaths();
    await page.locator('.facet input[value="Iran"]').check();
    await page.waitForURL((url) => url.search === "?q=treaty&topic=Iran");
    await settled();
    const iran = await resultPaths();
    expect(iran.length).toBeLessThan(all.length);
    await page.locator("#search-sort").selectOption("newest");
    await page.waitForURL((url) => url.search === "?q=treaty&topic=Iran&sort=newest");
    await page.goBack();
    await page.waitForURL((url) => url.search === "?q=treaty&topic=Iran");
    await settled();
    expect(await page.locator("#search-sort").inputValue()).toBe("relevance");
    expect(await resultPaths()).toEqual(iran);
    await page.goBack();
    await page.waitForURL((url) => url.search === "?q=treaty");
    await settled();
    expect(await page.locator('.facet input[value="Iran"]').isChecked()).toBe(false);
    expect(await resultPaths()).toEqual(all);
  });

  it("puts typed words in the URL as one history entry", async () => {
    await open("");
    await page.locator("#search-q").pressSequentially("trea", { delay: 20 });
    await page.waitForURL((url) => url.search === "?q=trea");
    await settled();
    await page.locator("#search-q").pressSequentially("ty", { delay: 20 });
    await page.waitForURL((url) => url.search === "?q=treaty");
    await settled();
    await page.goBack();
    await page.waitForURL((url) => url.search === "");
    expect(await page.locator("#search-q").inputValue()).toBe("");
  });

  it("is reached from the search box in every page's header", async () => {
    const seed = byFile("2024/seed.md");
    await page.goto(`${server.url}${seed.url}`);
    await page.locator("#site-search").fill("Hezbollah");
    await page.locator("#site-search").press("Enter");
    await page.waitForURL((url) => url.pathname === "/search/" && url.search === "?q=Hezbollah");
    await settled();
    expect(await resultPaths()).toContain(normal(seed.url));
  });

  it("shows a result's section, headline, dek, date and picture with its alt text", async () => {
    const pictured = published.find((article) => article.data.image?.src && article.data.image.alt && article.data.dek && article.data.section);
    if (!pictured) throw new Error("the fixture needs a published article with a picture, alt text, dek and section");
    await open(`?section=${encodeURIComponent(pictured.data.section ?? "")}&year=${yearOf(pictured.data.date, TIMEZONE)}`);
    await resultPaths();
    const result = page.locator(".search-result", { has: page.locator(`a[href="${pictured.url}"]`) });
    expect(await result.locator(".search-result__section").textContent()).toBe(pictured.data.section);
    expect(await result.locator(".search-result__title").textContent()).toBe(pictured.data.title);
    expect(await result.locator(".search-result__excerpt").textContent()).toBe(pictured.data.dek);
    expect(await result.locator(".search-result__date").textContent()).toBe(formatDateline(pictured.data.date, TIMEZONE, "en"));
    expect(await result.locator("img").getAttribute("alt")).toBe(pictured.data.image?.alt);
  });

  it("highlights the matched words in the excerpt", async () => {
    await open("?q=refinery");
    const marks = await page.locator(".search-result__excerpt mark").allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const mark of marks) expect(mark.toLowerCase()).toContain("refinery");
  });

  it("links a result to its article, where the words are highlighted", async () => {
    await open("?q=hezbollah");
    const seed = byFile("2024/seed.md");
    await page.locator(".search-result__link", { hasText: seed.data.title }).click();
    await page.waitForURL((url) => normal(url.pathname) === normal(seed.url) && url.searchParams.get("pagefind-highlight") === "hezbollah");
    const marked = page.locator(".article__body mark.pagefind-highlight");
    await marked.first().waitFor({ timeout: 10_000 });
    for (const text of await marked.allTextContents()) expect(text.toLowerCase()).toBe("hezbollah");
  });

  it("shows the hostile article's headline as text, not markup", async () => {
    const hostile = byFile("2024/hostile.md");
    await open(`?year=2024&q=quotes`);
    const link = page.locator(".search-result__link", { hasText: "alert" });
    expect(await link.textContent()).toBe(hostile.data.title);
    expect(await page.locator("#search-results script, #search-results b").count()).toBe(0);
  });

  it.each([
    ["markup", "<img src=x onerror=alert(1)>"],
    ["quotes", `"quoted" 'single' \`back\` \\"`],
    ["very long input", "treaty ".repeat(720)],
    ["emoji", "📰 🔥 treaty"],
    ["right-to-left text", "חמאס ואיראן"],
  ])("takes a hostile query (%s) as plain words", async (_name, query) => {
    await open("");
    await page.locator("#search-q").fill(query);
    await page.locator("#search-q").press("Enter");
    await page.waitForURL((url) => url.searchParams.has("q"));
    await settled();
    expect(await page.locator('img[src="x"], #search-results script, #search-status *').count()).toBe(0);
    expect(await page.locator("#search-status").textContent()).toMatch(/article/);
    expect(dialogs).toEqual([]);
  });

  it("finds the Hebrew article for Hebrew words", async () => {
    await open(`?q=${encodeURIComponent("חמאס ואיראן")}`);
    expect(await resultPaths()).toContain(normal(byFile("2023/hebrew.md").url));
  });

  it("takes a hostile query from the URL without running it", async () => {
    await page.goto(`${server.url}/search/?q=${encodeURIComponent("<img src=x onerror=alert(1)>")}&topic=${encodeURIComponent("<script>alert(2)</script>")}`);
    await settled();
    expect(await page.locator('img[src="x"], #search script').count()).toBe(0);
    expect(await page.locator('.facet input[type="checkbox"]:checked').evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value))).toEqual([
      "<script>alert(2)</script>",
    ]);
    expect(dialogs).toEqual([]);
  });

  it("works from the keyboard: words, a facet and the sort", async () => {
    await open("");
    await page.keyboard.type("treaty");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.search === "?q=treaty");
    await settled();
    await page.locator('.facet input[value="Iran"]').focus();
    await page.keyboard.press("Space");
    await page.waitForURL((url) => url.searchParams.get("topic") === "Iran");
    await settled();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe("Iran");
    await page.locator("#search-sort").focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForURL((url) => url.searchParams.get("sort") === "newest");
  });

  it("says without JavaScript that search needs it, and links to the archive, topics and authors", async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await noScript.newPage();
      await plain.goto(`${server.url}/search/?q=treaty`);
      const message = plain.locator(".search-nojs");
      expect(await message.isVisible()).toBe(true);
      expect(await message.textContent()).toContain("needs JavaScript");
      expect(await message.locator("a").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).toEqual(["/archive/", "/topics/", "/authors/"]);
      expect(await plain.locator("#search").isVisible()).toBe(false);
    } finally {
      await noScript.close();
    }
  });

  it.each(["light", "dark"] as const)("has no axe-core violations with facets and results shown (%s mode)", async (scheme) => {
    await page.emulateMedia({ colorScheme: scheme });
    await open("?q=harbour&topic=Economy");
    expect(await page.locator(".search-result").count()).toBeGreaterThan(0);
    await page.addScriptTag({ path: path.join(projectRoot, "node_modules/axe-core/axe.min.js") });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: AxeViolation[] }> } }).axe;
      return (await axe.run(document)).violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`);
    });
    await page.emulateMedia({ colorScheme: "light" });
    expect(violations).toEqual([]);
  });

  it("makes the README screenshot from the fixture archive, under the size limit", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-shot-"));
    try {
      const file = path.join(dir, "search.png");
      const size = await screenshotSearch(build.outputDir, file);
      expect(size).toBeLessThanOrEqual(MAX_SCREENSHOT_BYTES);
      expect((await readFile(file)).subarray(1, 4).toString("latin1")).toBe("PNG");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("logged no console errors or warnings and opened no dialogs along the way", () => {
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
