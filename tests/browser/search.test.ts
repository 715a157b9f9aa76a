// The search page in a real browser on the fixture archive indexed in several bundles (SHARDED_FIXTURE_ENV):
// ranking, facets, sorting, URL state, history, result details, highlighting, hostile input, keyboard use, the phone
// layout and accessibility; the same searches on a single index, which the bundles must answer alike; and what the
// tests' wait for a search says when a search never settles.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test as baseTest } from "vitest";
import { formatDateline, yearOf } from "../../src/dates/index.ts";
import {
  LOCAL_ONLY_ARG,
  POLL_ON_TIMER,
  firstResultAt,
  serveSite,
  watchFirstResult,
  type SiteServer,
} from "../../scripts/bench/search-payload.ts";
import { MAX_SCREENSHOT_BYTES, screenshotSearch, searchSettled } from "../../scripts/screenshot-search.ts";
import { launchBrowser, newTestContext } from "../helpers/browser.ts";
import { fixtureBuild, projectRoot, shardedFixtureBuild, type BuildResult } from "../helpers/build.ts";
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

/**
 * Tests that each get a fresh page (`page`) of their own at `viewport` on the bundled build, which must log no console
 * error or warning and open no dialog; `open` opens its search page with a query string ("?q=…") and waits for its
 * results and facets. The page is the test's own, so a file's tests can run at once in one browser.
 *
 * The pages of one group share a browser context, as a reader's tabs do: the site keeps no state outside the URL, and
 * Pagefind's files come from the browser's cache after the first page, which halves the browser's work per test.
 * A test that counts the requests a page makes gets a context of its own (`ownContext`), as a first visit.
 *
 * A finished test's tab of the shared context is handed to a later test, emptied (`about:blank`, no listeners, no
 * emulated media), which then loads its own page in it: a new tab starts a renderer process of its own, which cost
 * this machine about 0.7 s of CPU a tab, against a navigation in an open one.
 */
function searchTest(viewport = { width: 1200, height: 900 }, options: { ownContext?: boolean } = {}) {
  let shared: Promise<BrowserContext> | undefined;
  const idle: Page[] = [];
  afterAll(async () => {
    await (await shared)?.close();
  });
  return baseTest.extend<{ page: Page; open: (query: string) => Promise<void> }>({
    // eslint-disable-next-line no-empty-pattern -- vitest reads the fixtures a fixture needs from this pattern: none.
    page: async ({}, use) => {
      const problems: string[] = [];
      const dialogs: string[] = [];
      const context = options.ownContext
        ? await newTestContext(browser, { viewport })
        : await (shared ??= newTestContext(browser, { viewport }));
      const page = (options.ownContext ? undefined : idle.pop()) ?? (await context.newPage());
      try {
        page.on("console", (message) => {
          // Pictures on other hosts (the hostile fixture's) cannot load: the browser knows no other host
          // (LOCAL_ONLY_ARG). Requests are not intercepted instead, which would send every request through this process.
          if (!message.location().url.startsWith("http://127.0.0.1:") && message.text().startsWith("Failed to load resource")) return;
          if (message.type() === "error" || message.type() === "warning")
            problems.push(`${page.url()}: console ${message.type()}: ${message.text()}`);
        });
        page.on("pageerror", (error) => problems.push(`${page.url()}: pageerror: ${error.message}`));
        page.on("dialog", (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
        await use(page);
      } finally {
        if (options.ownContext) await context.close();
        else {
          await page.removeAllListeners();
          await page.goto("about:blank");
          await page.emulateMedia({ media: null, colorScheme: null, reducedMotion: null, forcedColors: null });
          idle.push(page);
        }
      }
      expect(problems, "console errors and warnings").toEqual([]);
      expect(dialogs, "dialogs").toEqual([]);
    },
    open: async ({ page }, use) => {
      await use(async (query) => {
        await page.goto(`${server.url}/search/${query}`);
        await searchSettled(page);
      });
    },
  });
}

/**
 * Paths of all results, in order, after pressing "Show more results" until every result is shown. Pressed from inside
 * the page (the button's own click), each time once the list has grown: one round trip to the browser for the lot.
 */
function resultPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const more = document.getElementById("search-more") as HTMLButtonElement;
    const list = document.getElementById("search-results") as HTMLOListElement;
    while (!more.hidden) {
      const before = list.children.length;
      const grown = new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          if (list.children.length > before) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(list, { childList: true });
      });
      more.click();
      await grown;
    }
    return [...list.querySelectorAll<HTMLAnchorElement>(".search-result__link")].map((link) => decodeURI(new URL(link.href).pathname));
  });
}

/**
 * Every facet value shown with its count, facet by facet, after opening the filters panel (and waiting for its counts)
 * and every facet's full list with their own buttons (from inside the page: one round trip).
 */
async function facetCounts(page: Page): Promise<Record<string, string[]>> {
  await openFilters(page);
  return page.evaluate(() => {
    for (const more of document.querySelectorAll<HTMLButtonElement>('.facet__more[aria-expanded="false"]')) if (!more.hidden) more.click();
    return Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>(".facet")].map((facet) => [
        facet.dataset.facet ?? "",
        [...facet.querySelectorAll(".facet__item")].map(
          (item) => `${item.querySelector("input")?.value}: ${item.querySelector(".facet__count")?.textContent}`,
        ),
      ]),
    );
  });
}

/** axe-core's violations on the page as it is, one line each. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: path.join(projectRoot, "node_modules/axe-core/axe.min.js") });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: { resultTypes: string[] }): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    // Only violations are read: axe then spends no time detailing the rules that pass (violations are reported in full).
    return (await axe.run(document, { resultTypes: ["violations"] })).violations.map(
      (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
    );
  });
}

/** The URLs (paths) a page watched by `watchFirstResult` had finished loading when its first result appeared. */
async function loadedBeforeFirstResult(page: Page): Promise<string[]> {
  const at = await firstResultAt(page);
  return page.evaluate((at) => {
    return performance
      .getEntriesByType("resource")
      .filter((entry) => (entry as PerformanceResourceTiming).responseEnd <= at)
      .map((entry) => new URL(entry.name).pathname);
  }, at);
}

/** The bundles of a built search page, oldest first. */
async function pageBundles(outputDir: string): Promise<{ url: string; years: string[] | null; articles: number }[]> {
  const { document } = parseHTML(await readFile(path.join(outputDir, "search", "index.html"), "utf8"));
  return JSON.parse(document.getElementById("search")?.dataset.bundles ?? "[]") as {
    url: string;
    years: string[] | null;
    articles: number;
  }[];
}

/** Opens the filters panel if it is closed, and waits for its counts (drawn once it is open). */
async function openFilters(page: Page): Promise<void> {
  const toggle = page.locator("#search-filters-toggle");
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  await searchSettled(page);
}

/** Ticks a facet value in the filters panel (opening the panel and the facet's full list as needed) and waits for the search. */
async function tick(page: Page, facet: string, value: string): Promise<void> {
  await openFilters(page);
  const box = page.locator(`.facet[data-facet="${facet}"] input[value="${value}"]`);
  if ((await box.count()) === 0) await page.locator(`.facet[data-facet="${facet}"] .facet__more`).click();
  await box.check();
  await page.waitForURL((url) => url.searchParams.getAll(facet).includes(value));
  await searchSettled(page);
}

// Built once for the whole run (the global setup): the fixture in several bundles (what most tests search) and in one
// index (what the bundles must answer alike).
let build: BuildResult;
let single: BuildResult;
let server: SiteServer;
let singleServer: SiteServer;
let browser: Browser;
let published: FixtureArticle[];

beforeAll(async () => {
  build = shardedFixtureBuild();
  single = fixtureBuild();
  for (const built of [build, single]) if (built.exitCode !== 0) throw new Error(`build failed (${built.exitCode}):\n${built.stderr}`);
  [server, singleServer] = await Promise.all([serveSite(build.outputDir), serveSite(single.outputDir)]);
  browser = await launchBrowser([LOCAL_ONLY_ARG]);
  published = await publishedFixtureArticles();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.close(), singleServer?.close()]);
});

const byFile = (file: string) => {
  const found = published.find((article) => article.file.endsWith(file));
  if (!found) throw new Error(`no published fixture ${file}`);
  return found;
};

// Each test has a page of its own, so the tests of each group run at once in the file's browser.
describe.concurrent("searching the archive in a browser", () => {
  const it = searchTest();
  const firstVisit = searchTest(undefined, { ownContext: true });

  const paths = (articles: FixtureArticle[]) => articles.map((article) => normal(article.url));
  const newestFirst = (articles: FixtureArticle[]) => paths([...articles].sort((a, b) => b.millis - a.millis));

  it("is searched over several bundles", async () => {
    const { document } = parseHTML(await readFile(path.join(build.outputDir, "search", "index.html"), "utf8"));
    expect((JSON.parse(document.getElementById("search")?.dataset.bundles ?? "[]") as unknown[]).length).toBeGreaterThan(2);
  });

  it("ranks an article with the word in its headline above one with it only in the body, and marks the word", async ({ page, open }) => {
    await open("?q=quokka");
    expect(await resultPaths(page)).toEqual(paths([byFile("2020/search-headline.md"), byFile("2020/search-body.md")]));
    expect(await page.locator(".search-result__title").first().locator("mark").allTextContents()).toEqual(["Quokka"]);
  });

  it("finds the seed article first for words of its headline", async ({ page, open }) => {
    await open(`?q=${encodeURIComponent("Hamas patches up ties")}`);
    expect((await resultPaths(page))[0]).toBe(normal(byFile("2024/seed.md").url));
  });

  it.for<[string, string, (article: FixtureArticle) => boolean]>([
    ["topic", "Hezbollah", (article: FixtureArticle) => hasTopic(article, "Hezbollah")],
    ["author", "Ben Correspondent", (article: FixtureArticle) => (article.data.authors ?? []).includes("Ben Correspondent")],
    ["section", "Culture", (article: FixtureArticle) => article.data.section === "Culture"],
    ["year", "2021", (article: FixtureArticle) => yearOf(article.data.date, TIMEZONE) === 2021],
  ])(
    "lists exactly the articles of one %s (%s), newest first, when it is ticked with no words",
    async ([facet, value, matches], { page, open }) => {
      await open("");
      await tick(page, facet, value);
      const expected = newestFirst(published.filter(matches));
      expect(expected.length).toBeGreaterThan(0);
      expect(await resultPaths(page)).toEqual(expected);
      expect(await page.locator("#search-status").textContent()).toContain(`${expected.length} article`);
    },
  );

  it("shows each facet value with the number of articles it would list", async ({ page, open }) => {
    await open("");
    await openFilters(page);
    const iran = page.locator('.facet[data-facet="topic"] .facet__item', { has: page.locator('input[value="Iran"]') });
    expect(await iran.locator(".facet__count").textContent()).toBe(String(published.filter((article) => hasTopic(article, "Iran")).length));
  });

  it("adds up values within a facet and narrows across facets", async ({ page, open }) => {
    await open("?topic=Iran&topic=Syria&year=2023");
    const expected = published.filter(
      (article) => (hasTopic(article, "Iran") || hasTopic(article, "Syria")) && yearOf(article.data.date, TIMEZONE) === 2023,
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(await resultPaths(page)).toEqual(newestFirst(expected));
  });

  it("combines words with filters", async ({ page, open }) => {
    await open("?q=hezbollah&topic=Iran&section=World");
    expect(await resultPaths(page)).toEqual([normal(byFile("2024/seed.md").url)]);
  });

  it("sorts the results newest first and oldest first", async ({ page, open }) => {
    await open("?q=archive&sort=newest");
    const newest = await resultPaths(page);
    const millis = (list: string[]) => list.map((url) => published.find((article) => normal(article.url) === url)?.millis ?? Number.NaN);
    expect(newest.length).toBeGreaterThan(10);
    expect(millis(newest)).toEqual([...millis(newest)].sort((a, b) => b - a));
    await page.locator("#search-sort").selectOption("oldest");
    await page.waitForURL((url) => url.searchParams.get("sort") === "oldest");
    await searchSettled(page);
    const oldest = await resultPaths(page);
    expect(millis(oldest)).toEqual([...millis(oldest)].sort((a, b) => a - b));
    expect([...oldest].sort()).toEqual([...newest].sort());
  });

  it("restores words, filters and sort from the URL", async ({ page, open }) => {
    await open("?q=treaty&topic=Iran&sort=oldest");
    expect(await page.locator("#search-q").inputValue()).toBe("treaty");
    expect(await page.locator("#site-search").inputValue()).toBe("treaty");
    await openFilters(page);
    expect(await page.locator('.facet input[value="Iran"]').isChecked()).toBe(true);
    expect(await page.locator("#search-sort").inputValue()).toBe("oldest");
    expect(await page.locator("#search-status").textContent()).toMatch(/articles? for “treaty”, oldest first/);
  });

  it("keeps every change in the URL and steps back through them with the back button", async ({ page, open }) => {
    await open("?q=treaty");
    const all = await resultPaths(page);
    await tick(page, "topic", "Iran");
    expect(page.url()).toMatch(/\?q=treaty&topic=Iran$/);
    await searchSettled(page);
    const iran = await resultPaths(page);
    expect(iran.length).toBeLessThan(all.length);
    await page.locator("#search-sort").selectOption("newest");
    await page.waitForURL((url) => url.search === "?q=treaty&topic=Iran&sort=newest");
    await page.goBack();
    await page.waitForURL((url) => url.search === "?q=treaty&topic=Iran");
    await searchSettled(page);
    expect(await page.locator("#search-sort").inputValue()).toBe("relevance");
    expect(await resultPaths(page)).toEqual(iran);
    await page.goBack();
    await page.waitForURL((url) => url.search === "?q=treaty");
    await searchSettled(page);
    expect(await page.locator('.facet input[value="Iran"]').isChecked()).toBe(false);
    expect(await resultPaths(page)).toEqual(all);
  });

  // Alone: a key pressed later than the page's typing delay would make a history entry of its own.
  it.sequential("puts typed words in the URL as one history entry", async ({ page, open }) => {
    await open("");
    await page.locator("#search-q").pressSequentially("trea", { delay: 20 });
    await page.waitForURL((url) => url.search === "?q=trea");
    await searchSettled(page);
    await page.locator("#search-q").pressSequentially("ty", { delay: 20 });
    await page.waitForURL((url) => url.search === "?q=treaty");
    await searchSettled(page);
    await page.goBack();
    await page.waitForURL((url) => url.search === "");
    expect(await page.locator("#search-q").inputValue()).toBe("");
  });

  it("is reached from the search box in every page's header", async ({ page }) => {
    const seed = byFile("2024/seed.md");
    await page.goto(`${server.url}${seed.url}`);
    await page.locator("#site-search").fill("Hezbollah");
    await page.locator("#site-search").press("Enter");
    await page.waitForURL((url) => url.pathname === "/search/" && url.search === "?q=Hezbollah");
    await searchSettled(page);
    expect(await resultPaths(page)).toContain(normal(seed.url));
  });

  it("shows a result's section, headline, dek, date and picture with its alt text", async ({ page, open }) => {
    const pictured = published.find(
      (article) => article.data.image?.src && article.data.image.alt && article.data.dek && article.data.section,
    );
    if (!pictured) throw new Error("the fixture needs a published article with a picture, alt text, dek and section");
    await open(`?section=${encodeURIComponent(pictured.data.section ?? "")}&year=${yearOf(pictured.data.date, TIMEZONE)}`);
    await resultPaths(page);
    const result = page.locator(".search-result", { has: page.locator(`a[href="${pictured.url}"]`) });
    expect(await result.locator(".search-result__section").textContent()).toBe(pictured.data.section);
    expect(await result.locator(".search-result__title").textContent()).toBe(pictured.data.title);
    expect(await result.locator(".search-result__excerpt").textContent()).toBe(pictured.data.dek);
    expect(await result.locator(".search-result__date").textContent()).toBe(formatDateline(pictured.data.date, TIMEZONE, "en"));
    expect(await result.locator("img").getAttribute("alt")).toBe(pictured.data.image?.alt);
  });

  it("highlights the matched words in the excerpt", async ({ page, open }) => {
    await open("?q=refinery");
    const marks = await page.locator(".search-result__excerpt mark").allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const mark of marks) expect(mark.toLowerCase()).toContain("refinery");
  });

  it("links a result to its article, where the words are highlighted (the index is in bundles)", async ({ page, open }) => {
    await open("?q=hezbollah");
    const seed = byFile("2024/seed.md");
    await page.locator(".search-result__link", { hasText: seed.data.title }).click();
    await page.waitForURL((url) => normal(url.pathname) === normal(seed.url) && url.searchParams.get("pagefind-highlight") === "hezbollah");
    const marked = page.locator(".article__body mark.pagefind-highlight");
    await marked.first().waitFor();
    for (const text of await marked.allTextContents()) expect(text.toLowerCase()).toBe("hezbollah");
  });

  it("shows the hostile article's headline as text, not markup", async ({ page, open }) => {
    const hostile = byFile("2024/hostile.md");
    await open(`?year=2024&q=quotes`);
    const link = page.locator(".search-result__link", { hasText: "alert" });
    expect(await link.textContent()).toBe(hostile.data.title);
    expect(await page.locator("#search-results script, #search-results b").count()).toBe(0);
  });

  it("takes hostile queries (markup, quotes, very long input, emoji, right-to-left text) as plain words", async ({ page, open }) => {
    await open("");
    for (const query of [
      "<img src=x onerror=alert(1)>",
      `"quoted" 'single' \`back\` \\"`,
      "treaty ".repeat(720),
      "📰 🔥 treaty",
      "חמאס ואיראן",
    ]) {
      await page.locator("#search-q").fill(query);
      const typed = (await page.locator("#search-q").inputValue()).trim();
      await page.locator("#search-q").press("Enter");
      await page.waitForURL((url) => url.searchParams.get("q") === typed);
      await searchSettled(page);
      expect(await page.locator('img[src="x"], #search-results script, #search-status *').count(), query).toBe(0);
      expect(await page.locator("#search-status").textContent(), query).toMatch(/article/);
    }
  });

  it("finds the Hebrew article for Hebrew words", async ({ page, open }) => {
    await open(`?q=${encodeURIComponent("חמאס ואיראן")}`);
    expect(await resultPaths(page)).toContain(normal(byFile("2023/hebrew.md").url));
  });

  it("takes a hostile query from the URL without running it", async ({ page }) => {
    await page.goto(
      `${server.url}/search/?q=${encodeURIComponent("<img src=x onerror=alert(1)>")}&topic=${encodeURIComponent("<script>alert(2)</script>")}`,
    );
    await searchSettled(page);
    expect(await page.locator('img[src="x"], #search script').count()).toBe(0);
    await openFilters(page);
    expect(await page.locator('img[src="x"], #search script').count()).toBe(0);
    expect(
      await page
        .locator('.facet input[type="checkbox"]:checked')
        .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value)),
    ).toEqual(["<script>alert(2)</script>"]);
  });

  it("works from the keyboard: words, a facet and the sort", async ({ page, open }) => {
    await open("");
    await page.keyboard.type("treaty");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.search === "?q=treaty");
    await searchSettled(page);
    await openFilters(page);
    await page.locator('.facet input[value="Iran"]').focus();
    await page.keyboard.press("Space");
    await page.waitForURL((url) => url.searchParams.get("topic") === "Iran");
    await searchSettled(page);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe("Iran");
    await page.locator("#search-sort").focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForURL((url) => url.searchParams.get("sort") === "newest");
  });

  it("says without JavaScript that search needs it, and links to the archive, topics and authors", async () => {
    const noScript = await newTestContext(browser, { javaScriptEnabled: false });
    try {
      const plain = await noScript.newPage();
      await plain.goto(`${server.url}/search/?q=treaty`);
      const message = plain.locator(".search-nojs");
      expect(await message.isVisible()).toBe(true);
      expect(await message.textContent()).toContain("needs JavaScript");
      expect(await message.locator("a").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).toEqual([
        "/archive/",
        "/topics/",
        "/authors/",
      ]);
      expect(await plain.locator("#search").isVisible()).toBe(false);
    } finally {
      await noScript.close();
    }
  });

  it.for(["light", "dark"] as const)(
    "has no axe-core violations with filters, chips and results shown (%s mode)",
    async (scheme, { page, open }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await open("?q=harbour&topic=Economy");
      await openFilters(page);
      expect(await page.locator(".search-result").count()).toBeGreaterThan(0);
      expect(await page.locator(".search__chip").count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
    },
  );

  firstVisit.for(["?q=harbour", "?year=2022", "?sort=oldest"])(
    "loads Pagefind's script and WebAssembly once for all the bundles (%s)",
    async (query, { page, open }) => {
      const requests: string[] = [];
      page.on("request", (request) => requests.push(new URL(request.url()).pathname));
      await open(query);
      await resultPaths(page);
      expect(requests.filter((url) => url.includes("/wasm."))).toHaveLength(1);
      expect(requests.filter((url) => url.endsWith("/pagefind.js"))).toHaveLength(1);
      // Several bundles were read, each through the one runtime (a year filter reads only the bundles holding it).
      expect(new Set(requests.filter((url) => url.endsWith("pagefind-entry.json")).map((url) => url.split("/")[2])).size).toBeGreaterThan(
        1,
      );
    },
  );

  firstVisit("loads no filter list until the filters panel is opened, and then shows every facet's counts", async ({ page, open }) => {
    const filterFiles: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.includes("/filter/")) filterFiles.push(request.url());
    });
    await open("?q=treaty");
    expect(await page.locator(".search-result").count()).toBeGreaterThan(0);
    expect(filterFiles).toEqual([]);
    const counts = await facetCounts(page);
    expect(filterFiles.length).toBeGreaterThan(0);
    for (const facet of ["topic", "author", "section", "year"]) expect(counts[facet]?.length, facet).toBeGreaterThan(0);
  });

  firstVisit(
    "downloads each index file once, with the filters panel open too (two Pagefind instances a bundle)",
    async ({ page, open }) => {
      const downloads: string[] = [];
      page.on("request", (request) => {
        const url = new URL(request.url());
        // Pagefind asks for its entry file afresh each time (a query defeats caches): it is not one of the shared files.
        if (url.pathname.startsWith("/pagefind/") && url.search === "") downloads.push(url.pathname);
      });
      await open("?q=treaty");
      const counts = await facetCounts(page);
      expect(counts.topic?.length).toBeGreaterThan(0);
      await page.fill("#search-q", "harbour");
      await page.press("#search-q", "Enter");
      // Playwright's wait, not `expect.poll`: the poll's one-second limit ran out in CI's loaded full suite.
      await page.waitForFunction(
        () => document.querySelector("#search-status")?.textContent?.includes("harbour"),
        undefined,
        POLL_ON_TIMER,
      );
      await searchSettled(page);
      expect(downloads.some((file) => file.endsWith(".pf_meta"))).toBe(true);
      expect(downloads.filter((file, i) => downloads.indexOf(file) !== i)).toEqual([]);
    },
  );

  firstVisit("reads only the newest bundles before showing the first page of every article, newest first", async ({ page, open }) => {
    const bundles = await pageBundles(build.outputDir);
    await watchFirstResult(page);
    await open("?sort=newest");
    const metas = (await loadedBeforeFirstResult(page)).filter((url) => url.endsWith(".pf_meta"));
    // The newest bundles that hold the first page (10 results), and no other.
    const needed: string[] = [];
    for (let i = bundles.length - 1, listed = 0; listed < 10 && i >= 0; i--) {
      needed.push(bundles[i]?.url ?? "");
      listed += bundles[i]?.articles ?? 0;
    }
    expect(needed.length).toBeLessThan(bundles.length);
    expect(new Set(metas.map((url) => `/${url.split("/").slice(1, 3).join("/")}/`))).toEqual(new Set(needed));
    expect(await resultPaths(page)).toEqual(newestFirst(published));
    expect(await page.locator("#search-status").textContent()).toBe(`${published.length} articles, newest first.`);
  });

  firstVisit("reads only the bundles holding a year before showing the articles of that year", async ({ page, open }) => {
    const bundles = await pageBundles(build.outputDir);
    const holding = bundles.filter((bundle) => bundle.years?.includes("2022")).map((bundle) => bundle.url);
    expect(holding.length).toBeGreaterThan(1);
    expect(holding.length).toBeLessThan(bundles.length);
    expect(holding).not.toContain(bundles.at(-1)?.url);
    await watchFirstResult(page);
    await open("?year=2022");
    const metas = (await loadedBeforeFirstResult(page)).filter((url) => url.endsWith(".pf_meta"));
    expect(new Set(metas.map((url) => `/${url.split("/").slice(1, 3).join("/")}/`))).toEqual(new Set(holding));
  });

  it("says plainly when no article holds every word, and lists those holding some", async ({ page, open }) => {
    await open(`?q=${encodeURIComponent("harbour strike")}`);
    const texts = await Promise.all(published.map((article) => readFile(path.join(projectRoot, article.file), "utf8")));
    const holding = (word: string) => published.filter((_, i) => new RegExp(`\\b${word}`, "i").test(texts[i] ?? ""));
    expect(holding("harbour").filter((article) => holding("strike").includes(article))).toEqual([]);
    expect(await page.locator("#search-status").textContent()).toMatch(
      /^No article contains all of “harbour strike”\. \d+ articles contain some of the words\.$/,
    );
    expect(new Set(await resultPaths(page))).toEqual(new Set(paths([...holding("harbour"), ...holding("strike")])));
  });

  it("lists the articles holding every word first", async ({ page, open }) => {
    await open(`?q=${encodeURIComponent("harbour cranes")}`);
    expect(await page.locator("#search-status").textContent()).toMatch(/^\d+ articles? for “harbour cranes”\.$/);
    expect((await resultPaths(page))[0]).toBe(normal(byFile("2022/harbour-photo.md").url));
  });

  it("highlights on the opened article only the words it holds", async ({ page, open }) => {
    await open(`?q=${encodeURIComponent("harbour strike")}`);
    const link = page.locator(".search-result__link").first();
    const held = new URL((await link.getAttribute("href")) ?? "", server.url).searchParams.getAll("pagefind-highlight");
    expect(held).toHaveLength(1);
    const [word = ""] = held;
    expect(["harbour", "strike"]).toContain(word);
    await link.click();
    await page.waitForURL((url) => url.searchParams.getAll("pagefind-highlight").join(" ") === word);
    const marked = page.locator(".article__body mark.pagefind-highlight");
    await marked.first().waitFor();
    for (const text of await marked.allTextContents()) expect(text.toLowerCase().startsWith(word)).toBe(true);
  });

  it("has the reading width and the header of the rest of the site", async ({ page, open }) => {
    await open("?q=harbour");
    const searchMain = await page.locator("main").boundingBox();
    expect(await page.locator("header.masthead").count()).toBe(1);
    await page.goto(`${server.url}${byFile("2024/seed.md").url}`);
    expect((await page.locator("main").boundingBox())?.width).toBe(searchMain?.width);
  });

  it("makes the README screenshot from the fixture archive, under the size limit", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-shot-"));
    try {
      const file = path.join(dir, "search.png");
      const size = await screenshotSearch(build.outputDir, file, { browser });
      expect(size).toBeLessThanOrEqual(MAX_SCREENSHOT_BYTES);
      expect((await readFile(file)).subarray(1, 4).toString("latin1")).toBe("PNG");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.concurrent("the search page on a phone (390 × 844)", () => {
  const it = searchTest({ width: 390, height: 844 });
  const fold = 844;

  it("keeps the first result above the fold when a shared link has a filter, and shows the filter as a chip", async ({ page, open }) => {
    await open("?topic=Economy");
    const first = await page.locator(".search-result").first().boundingBox();
    expect(first && first.y + first.height / 2).toBeLessThan(fold);
    expect(await page.locator("#search-filters-toggle").textContent()).toBe("Filters (1)");
    expect(await page.locator("#search-facets").isHidden()).toBe(true);
    expect(await page.locator(".search__chip").allTextContents()).toEqual(["Topic: Economy×"]);
  });

  it("shows the effect of ticking a filter at once: the count, the Filters button and a chip", async ({ page, open }) => {
    await open("?q=harbour");
    await tick(page, "year", "2022");
    const total = Number(/^(\d+) article/.exec((await page.locator("#search-status").textContent()) ?? "")?.[1]);
    expect(total).toBeGreaterThan(0);
    expect(await page.locator("#search-show").textContent()).toBe(total === 1 ? "Show 1 result" : `Show ${total} results`);
    expect(await page.locator("#search-filters-toggle").textContent()).toBe("Filters (1)");
    expect(await page.locator(".search__chip").allTextContents()).toEqual(["Year: 2022×"]);
    await page.locator("#search-show").click();
    expect(await page.locator("#search-facets").isHidden()).toBe(true);
    const first = await page.locator(".search-result").first().boundingBox();
    expect(first && first.y + first.height / 2).toBeLessThan(fold);
  });

  it("removes a filter with its chip", async ({ page, open }) => {
    await open("?topic=Economy&year=2019");
    await page.getByRole("button", { name: "Remove filter Topic: Economy" }).click();
    await page.waitForURL((url) => url.search === "?year=2019");
    await searchSettled(page);
    expect(await page.locator(".search__chip").allTextContents()).toEqual(["Year: 2019×"]);
    expect(await resultPaths(page)).toEqual(
      published
        .filter((article) => yearOf(article.data.date, TIMEZONE) === 2019)
        .sort((a, b) => b.millis - a.millis)
        .map((article) => normal(article.url)),
    );
  });

  it("has no axe-core violations, with the filters closed and open", async ({ page, open }) => {
    await open("?q=harbour&topic=Economy");
    expect(await axeViolations(page)).toEqual([]);
    await openFilters(page);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe.concurrent("an archive in bundles, searched as one index", () => {
  const it = searchTest();

  /** Every result path and every facet count of a search on a served build, on the test's `page`. */
  async function reading(
    page: Page,
    site: SiteServer,
    query: string,
  ): Promise<{ paths: string[]; counts: Record<string, string[]>; status: string | null }> {
    await page.goto(`${site.url}/search/${query}`);
    await searchSettled(page);
    const status = await page.locator("#search-status").textContent();
    return { paths: await resultPaths(page), counts: await facetCounts(page), status };
  }

  it.for<[string, string]>([
    ["one word", "?q=quokka"],
    ["one word over several bundles", "?q=iran"],
    ["a word in one bundle only", "?q=hezbollah"],
    ["several words", `?q=${encodeURIComponent("Hamas patches up ties")}`],
    ["two words in one article", `?q=${encodeURIComponent("pipeline talks")}`],
    ["newest first", "?q=archive&sort=newest"],
    ["oldest first", "?q=treaty&sort=oldest"],
    ["several words, newest first", `?q=${encodeURIComponent("harbour cranes")}&sort=newest`],
    ["combined filters", "?topic=Iran&topic=Syria&year=2023"],
    ["words and filters, oldest first", "?q=treaty&topic=Iran&sort=oldest"],
    ["every article, oldest first", "?sort=oldest"],
    ["a year", "?year=2021"],
  ])("gives the same results in the same order and the same filter counts: %s (%s)", async ([, query], { page }) => {
    const alone = await reading(page, singleServer, query);
    expect(alone.paths.length).toBeGreaterThan(0);
    expect(await reading(page, server, query)).toEqual(alone);
  });

  it.for(["harbour", "treaty", "refinery"])(
    "finds the same articles for a word on most pages, with the same first result (%s; near-equal scores may swap: README)",
    async (word, { page }) => {
      const alone = await reading(page, singleServer, `?q=${word}`);
      const split = await reading(page, server, `?q=${word}`);
      expect(alone.paths.length).toBeGreaterThan(20);
      expect(new Set(split.paths)).toEqual(new Set(alone.paths));
      expect(split.paths[0]).toBe(alone.paths[0]);
      expect(split.counts).toEqual(alone.counts);
    },
  );
});

describe("waiting for a search to settle", () => {
  baseTest("fails with what the page showed when the search stays busy", async () => {
    const page = await browser.newPage();
    try {
      // A search page whose results never stop being busy, as a hung search would leave it.
      await page.setContent(
        '<p id="search-status">Searching…</p><ol id="search-results" aria-busy="true"><li class="search-result">One</li></ol>',
      );
      page.setDefaultTimeout(500);
      const failure = await searchSettled(page).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toContain("the search did not settle");
      expect((failure as Error).message).toContain('{"status":"Searching…","busy":["#search-results"],"results":1}');
    } finally {
      await page.close();
    }
  });
});
