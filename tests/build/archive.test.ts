import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseFeed } from "@rowanmanning/feed-parser";
import { parseHTML } from "linkedom";
import { DateTime } from "luxon";
import { beforeAll, describe, expect, it } from "vitest";
import { slugOf } from "../../src/articles/permalink.ts";
import { type BuildResult, buildArchive, fixtureArchive, projectRoot, readOutput, fixtureBuild } from "../helpers/build.ts";
import { type FixtureArticle, expectedOlderPages, publishedFixtureArticles, TIMEZONE } from "../helpers/fixture.ts";

let build: BuildResult;
let published: FixtureArticle[];
const documentOf = async (url: string) => parseHTML(await readOutput(build, path.join(decodeURI(url), "index.html"))).document;
const listedUrls = (doc: Document) => [...doc.querySelectorAll(".article-list__title a")].map((a) => a.getAttribute("href"));

beforeAll(async () => {
  build = fixtureBuild();
  published = await publishedFixtureArticles();
  if (build.exitCode !== 0) throw new Error(`fixture build failed:\n${build.stderr}`);
});

/**
 * The pages of a listing of `articles` (newest first) under the scheme of src/archive/model.ts (see
 * {@link expectedOlderPages}): the first page, then the older ones from newest to oldest, each with its slice and links.
 */
function expectedPages(
  firstUrl: string,
  articles: readonly FixtureArticle[],
): { url: string; start: number; end: number; newer: string | null; older: string | null }[] {
  const older = expectedOlderPages(firstUrl, articles).reverse();
  const urls = [firstUrl, ...older.map((page) => page.url)];
  return [{ url: firstUrl, start: 0, end: older[0]?.start ?? articles.length }, ...older].map((page, index) => ({
    url: page.url,
    start: page.start,
    end: page.end,
    newer: index === 0 ? null : urls[index - 1]!,
    older: urls[index + 1] ?? null,
  }));
}

/** Checks every page of a listing: its articles in order and the links between its pages. */
async function expectListing(firstUrl: string, expected: FixtureArticle[]): Promise<void> {
  const pages = expectedPages(firstUrl, expected);
  for (const page of pages) {
    const doc = await documentOf(page.url);
    expect(listedUrls(doc), page.url).toEqual(expected.slice(page.start, page.end).map((article) => article.url));
    expect(doc.querySelector('.pager a[rel="prev"]')?.getAttribute("href") ?? null, page.url).toBe(page.newer);
    expect(doc.querySelector('.pager a[rel="next"]')?.getAttribute("href") ?? null, page.url).toBe(page.older);
  }
  const files = (await readdir(path.join(build.outputDir, decodeURI(firstUrl)), { recursive: true })).map(String);
  expect(
    files.filter((file) => /^page\/\d{4}-\d{2}-\d{2}(-[0-9a-f]{8})?\/index\.html$/.test(file)),
    `${firstUrl}: no extra pages`,
  ).toHaveLength(pages.length - 1);
}

const zoned = (article: FixtureArticle) => DateTime.fromMillis(article.millis, { zone: TIMEZONE });

describe("date archives", () => {
  it("list every year's articles newest first, paginated", async () => {
    const years = new Set(published.map((article) => zoned(article).year));
    expect([...years].sort()).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
    for (const year of years)
      await expectListing(
        `/${year}/`,
        published.filter((article) => zoned(article).year === year),
      );
  });

  it("list every month's articles", async () => {
    const months = new Set(published.map((article) => zoned(article).toFormat("yyyy/LL")));
    for (const month of months)
      await expectListing(
        `/${month}/`,
        published.filter((article) => zoned(article).toFormat("yyyy/LL") === month),
      );
  });

  it("/archive/ counts every year and month and draws an accessible chart", async () => {
    const doc = await documentOf("/archive/");
    const yearLinks = [...doc.querySelectorAll(".archive-years__year > h2")].map((h2) => h2.textContent?.replace(/\s+/g, " ").trim());
    const counts = new Map<number, number>();
    for (const article of published) counts.set(zoned(article).year, (counts.get(zoned(article).year) ?? 0) + 1);
    expect(yearLinks).toEqual([...counts.entries()].sort(([a], [b]) => b - a).map(([year, count]) => `${year} (${count} articles)`));
    const august2023 = published.filter((article) => zoned(article).toFormat("yyyy/LL") === "2023/08").length;
    const monthItem = [...doc.querySelectorAll(".archive-months li")].find(
      (li) => li.querySelector("a")?.getAttribute("href") === "/2023/08/",
    );
    expect(monthItem?.textContent?.replace(/\s+/g, " ").trim()).toBe(`August 2023 (${august2023})`);
    const svg = doc.querySelector("svg.archive-chart__svg");
    expect(svg?.getAttribute("role")).toBe("img");
    expect(svg?.querySelectorAll("rect")).toHaveLength(counts.size);
    expect(doc.getElementById("archive-chart-desc")?.textContent).toContain(`2024: ${counts.get(2024)}`);
  });
});

describe("topics", () => {
  const topicSlugs = () => new Set(published.flatMap((article) => (article.data.topics ?? []).map(slugOf)));

  it("each topic lists its articles newest first, paginated", async () => {
    for (const slug of topicSlugs()) {
      await expectListing(
        `/topics/${slug}/`,
        published.filter((article) => (article.data.topics ?? []).some((topic) => slugOf(topic) === slug)),
      );
    }
  });

  it("groups every spelling of a topic under its most common spelling", async () => {
    const doc = await documentOf("/topics/hezbollah/");
    expect(doc.querySelector("h1")?.textContent).toBe("Hezbollah");
    const spellings = new Set(published.flatMap((article) => (article.data.topics ?? []).filter((topic) => slugOf(topic) === "hezbollah")));
    expect(spellings).toEqual(new Set(["Hezbollah", "hezbollah", "HEZBOLLAH"]));
  });

  it("/topics/ lists each topic once with its count", async () => {
    const doc = await documentOf("/topics/");
    const entries = [...doc.querySelectorAll(".index-list__item")].map((li) => [
      li.querySelector("a")?.getAttribute("href"),
      li.querySelector(".index-list__count")?.textContent,
    ]);
    expect(entries).toHaveLength(topicSlugs().size);
    const hezbollah = published.filter((article) => (article.data.topics ?? []).some((topic) => slugOf(topic) === "hezbollah")).length;
    expect(entries).toContainEqual(["/topics/hezbollah/", `(${hezbollah} articles)`]);
    expect(entries).toContainEqual(["/topics/ירושלים/", "(1 article)"]);
  });

  it("has a feed per topic, linked from its page for autodiscovery", async () => {
    const doc = await documentOf("/topics/iran/");
    expect(doc.querySelector('link[rel="alternate"][title="Broadsheet: Iran"]')?.getAttribute("href")).toBe(
      "https://news.test/topics/iran/feed.xml",
    );
    const feed = parseFeed(await readOutput(build, "topics/iran/feed.xml"));
    const iran = published.filter((article) => (article.data.topics ?? []).includes("Iran"));
    expect(feed.items.map((item) => item.url)).toEqual(iran.map((article) => new URL(article.url, "https://news.test").href));
  });
});

describe("authors and sections", () => {
  it("each author lists their articles, with bio, link and feed", async () => {
    for (const name of ["Ada Reporter", "Ben Correspondent", "Chana Writer", "Fixture Reporter"]) {
      await expectListing(
        `/authors/${slugOf(name)}/`,
        published.filter((article) => article.data.authors?.includes(name)),
      );
    }
    const ada = await documentOf("/authors/ada-reporter/");
    expect(ada.querySelector(".listing-header__description")?.textContent).toBe("Covers diplomacy and energy.");
    expect(ada.querySelector(".listing-header__link a")?.getAttribute("href")).toBe("https://ada.example.org/");
    expect(parseFeed(await readOutput(build, "authors/ada-reporter/feed.xml")).items.length).toBeGreaterThan(0);
  });

  it("/authors/ lists the authors who have published", async () => {
    const names = [...(await documentOf("/authors/")).querySelectorAll(".index-list__item a")].map((a) => a.textContent);
    expect(names).toEqual(["Ada Reporter", "Ben Correspondent", "Chana Writer", "Fixture Reporter"]);
  });

  it("each section lists its articles, with its description and feed", async () => {
    for (const name of ["World", "Politics", "Business", "Culture"]) {
      await expectListing(
        `/sections/${slugOf(name)}/`,
        published.filter((article) => article.data.section === name),
      );
    }
    expect((await documentOf("/sections/business/")).querySelector(".listing-header__description")?.textContent).toBe(
      "Companies and markets.",
    );
    expect(parseFeed(await readOutput(build, "sections/business/feed.xml")).items.length).toBeGreaterThan(0);
  });
});

describe("article extras", () => {
  const anchor = "/2021/10/20/pipeline-talks-resume-between-neighbours/";

  it("lists related articles: most shared topics first, then nearest in date", async () => {
    const doc = await documentOf(anchor);
    expect([...doc.querySelectorAll(".related a")].map((a) => a.textContent)).toEqual([
      "Gas field treaty signed after pipeline row",
      "Second gas field found near pipeline route",
      "Treaty anniversary marked quietly",
      "Old pipeline decommissioned",
    ]);
  });

  it("links to the previous and next article in the archive", async () => {
    const index = published.findIndex((article) => article.url === anchor);
    const doc = await documentOf(anchor);
    expect(doc.querySelector('.article-nav a[rel="prev"]')?.getAttribute("href")).toBe(published[index + 1]?.url);
    expect(doc.querySelector('.article-nav a[rel="next"]')?.getAttribute("href")).toBe(published[index - 1]?.url);
  });

  it("shows reading time, the updated notice and the corrections", async () => {
    const doc = await documentOf("/2022/12/01/refinery-output-rises-for-third-year/");
    expect(doc.querySelector(".article__reading-time")?.textContent).toBe("1 min read (11 words)");
    expect(doc.querySelector(".article__updated time")?.getAttribute("datetime")).toBe("2022-12-03T18:00:00.000+02:00");
    expect([...doc.querySelectorAll(".article__corrections li")].map((li) => li.textContent)).toEqual([
      "December 2, 2022: An earlier version gave the output in barrels a day; it is tonnes a year.",
      "December 3, 2022: The refinery is in Haifa, not Ashdod.",
    ]);
  });

  it("gives Hebrew and Arabic headlines usable URLs and honours the slug field", async () => {
    expect((await documentOf("/2023/05/10/חמאס-ואיראן-מחדשים-קשרים/")).querySelector("h1")?.textContent).toBe("חמאס ואיראן מחדשים קשרים");
    expect((await documentOf("/2023/05/11/hmas-tslh-elaqatha/")).querySelector("h1")?.textContent).toBe("حماس تصلح علاقاتها");
    expect((await documentOf("/2022/11/15/short-slug/")).querySelector("h1")?.textContent).toContain("editors later shortened");
  });
});

describe("bad names", () => {
  it("fail the build with every problem: unknown author and section with the known choices, empty topic slug, shared URL", async () => {
    const failed = await buildArchive(path.join(projectRoot, "tests/fixtures/invalid-names"));
    expect(failed.exitCode).not.toBe(0);
    const lines = failed.stderr.split("\n").map((line) => line.replace(/^\[11ty\] /, "").trim());
    const file = "tests/fixtures/invalid-names/2024/";
    expect(lines).toContain(
      `${file}unknown-author.md:4: authors.1: "Zed Unknown" is not a known author; use one of "Ada Reporter", "Ben Correspondent", "Chana Writer", "Dormant Writer" or "Fixture Reporter", or add them to tests/fixtures/data/authors.yaml`,
    );
    expect(lines).toContain(
      `${file}unknown-author.md:5: section: "Sport" is not a known section; use one of "Business", "Culture", "Politics" or "World", or add it to tests/fixtures/data/sections.yaml`,
    );
    expect(lines).toContain(`${file}unknown-author.md:6: topics.0: "!!!" gives an empty URL slug; a topic needs letters or digits`);
    expect(lines).toContain(
      `${file}same-url-b.md:2: title: has the same URL /2024/01/03/same-headline/ as ${file}same-url-a.md; change the slug, headline or date of one of them`,
    );
  });
});

describe("determinism", () => {
  it("two builds of the same input give byte-identical trees", async () => {
    const second = await buildArchive(fixtureArchive);
    const digest = async (dir: string) => {
      const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
      const hashes = await Promise.all(
        files.map(async (entry) => {
          const full = path.join(entry.parentPath, entry.name);
          return `${path.relative(dir, full)} ${createHash("sha256")
            .update(await readFile(full))
            .digest("hex")}`;
        }),
      );
      return hashes.sort();
    };
    expect(await digest(second.outputDir)).toEqual(await digest(build.outputDir));
  });
});
