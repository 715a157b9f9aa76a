// Article defaults: every markdown file in the archive gets the article layout, the `article` tag and its permanent URL.
import type { UserConfig } from "@11ty/eleventy";
import type { DateTime } from "luxon";
import { articlePath } from "./permalink.ts";
import { readingStats } from "./reading.ts";
import { type PublicationStatus, publicationStatus } from "./publication.ts";

/** The data Eleventy hands to computed fields, as far as articles need it. */
interface CascadeData {
  page: { inputPath: string };
  permalink?: unknown;
  title: string;
  slug?: string;
  date: string;
  draft?: boolean;
  site: { timezone: string };
}

/** True for article sources; listing pages and feeds are virtual `.njk` templates. */
export function isArticleSource(inputPath: string): boolean {
  return inputPath.endsWith(".md");
}

/** How articles are published in this run. */
export interface ArticleOptions {
  /** The moment this build publishes up to. */
  now: DateTime;
  /** Give held-back articles a page anyway (for `npm start`). */
  preview: boolean;
}

/**
 * Registers article defaults as global data, so any folder of markdown can be built as an archive
 * without a data file inside it. Listing pages override `layout` and opt out of collections.
 * Each article also gets `publication` (published, draft or scheduled) for its layout's banner,
 * and the `readingStats` filter gives its word count and reading time.
 */
export function registerArticles(eleventyConfig: UserConfig, options: ArticleOptions): void {
  eleventyConfig.addFilter("readingStats", (markdown: string | undefined) => readingStats(markdown ?? ""));
  eleventyConfig.addGlobalData("layout", "layouts/article.njk");
  eleventyConfig.addGlobalData("tags", ["article"]);
  eleventyConfig.addGlobalData("eleventyComputed", {
    publication: (data: CascadeData): PublicationStatus | undefined =>
      isArticleSource(data.page.inputPath) ? publicationStatus(data, options.now, data.site.timezone) : undefined,
    permalink: (data: CascadeData) => {
      if (!isArticleSource(data.page.inputPath)) return data.permalink;
      const out = publicationStatus(data, options.now, data.site.timezone) === "published" || options.preview;
      return out ? articlePath(data, data.site.timezone) : false;
    },
  });
}
