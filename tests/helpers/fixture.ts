// Reads the fixture archive's sources, so build tests can derive what the site must contain instead of hard-coding counts.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
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
