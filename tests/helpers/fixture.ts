// Reads the fixture archive's sources, so build tests can derive what the site must contain instead of hard-coding counts.
import { hash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
import { pageBlocks } from "../../src/archive/model.ts";
import { PAGE_SIZE } from "../../src/archive/published.ts";
import { articlePath } from "../../src/articles/permalink.ts";
import { type ArticleFrontMatter, articleSchema } from "../../src/articles/schema.ts";
import { splitArticle } from "../../src/articles/frontMatter.ts";
import { listArticleFiles } from "../../src/validation/index.ts";
import { FIXTURE_BUILD_TIME, fixtureArchive, projectRoot } from "./build.ts";

/** The site's time zone (the fixture uses the real site settings). */
export const TIMEZONE = "Asia/Jerusalem";

/** One fixture article as the tests see it. */
export interface FixtureArticle {
  file: string;
  data: ArticleFrontMatter;
  url: string;
  /** Instant of the article's date, for ordering. */
  millis: number;
  /** Not a draft and dated no later than the fixture build time. */
  published: boolean;
}

/** Every article of the fixture archive, newest first (ties by file path, as the site orders them). */
export async function fixtureArticles(dir = fixtureArchive): Promise<FixtureArticle[]> {
  const files = await listArticleFiles(dir, projectRoot);
  const buildTime = DateTime.fromISO(FIXTURE_BUILD_TIME).toMillis();
  const articles = await Promise.all(
    files.map(async (file) => {
      const data = articleSchema.parse(splitArticle(await readFile(path.join(projectRoot, file), "utf8")).data);
      const date =
        data.date.length === 10 ? DateTime.fromISO(data.date, { zone: TIMEZONE }) : DateTime.fromISO(data.date, { setZone: true });
      const millis = date.toMillis();
      return { file, data, url: articlePath(data, TIMEZONE), millis, published: data.draft !== true && millis <= buildTime };
    }),
  );
  return articles.sort((a, b) => b.millis - a.millis || (a.file < b.file ? -1 : 1));
}

/** The published fixture articles, newest first. */
export async function publishedFixtureArticles(): Promise<FixtureArticle[]> {
  return (await fixtureArticles()).filter((article) => article.published);
}

/** An article's day in the site's time zone, as older listing pages are named (`2013-07-01`) and labelled ("1 July 2013"). */
function dayOf(article: FixtureArticle): { slug: string; label: string } {
  const day = DateTime.fromMillis(article.millis, { zone: TIMEZONE }).setLocale("en");
  return { slug: day.toFormat("yyyy-LL-dd"), label: day.toFormat("d LLLL yyyy") };
}

/** An older page of a listing as src/archive/model.ts `paginate` makes it, worked out apart from it for the tests. */
export interface ExpectedOlderPage {
  url: string;
  /** Where its articles start and end in the listing. */
  start: number;
  end: number;
  /** "28 June 2013 – 1 July 2013", or one day. */
  span: string;
}

/**
 * The older pages of a listing of `articles` (newest first) whose first page is `firstUrl`, oldest block first: each
 * holds a block counted from the oldest (`pageBlocks`) and is named after the day of its newest article, with a hash
 * of that article's URL where the older page next to it ends on the same day. The first page holds the articles before
 * the last one's start.
 */
export function expectedOlderPages(firstUrl: string, articles: readonly FixtureArticle[]): ExpectedOlderPage[] {
  const sizes = pageBlocks(articles, PAGE_SIZE);
  const pages: ExpectedOlderPage[] = [];
  let end = articles.length;
  // The newest block is on the first page, not an older one of its own.
  for (const size of sizes.slice(0, -1)) {
    const start = end - size;
    const newest = articles[start]!;
    const slug = dayOf(newest).slug;
    const sameDay = pages.length > 0 && dayOf(articles[pages.at(-1)!.start]!).slug === slug;
    const name = sameDay ? `${slug}-${hash("sha256", newest.url, "hex").slice(0, 8)}` : slug;
    const [oldest, newestLabel] = [dayOf(articles[end - 1]!).label, dayOf(newest).label];
    pages.push({ url: `${firstUrl}page/${name}/`, start, end, span: oldest === newestLabel ? oldest : `${oldest} – ${newestLabel}` });
    end = start;
  }
  return pages;
}
