// Article pages: every markdown file in the archive becomes a page with the article layout and its
// permanent URL, from the one read of the archive that validation checked.
import type { UserConfig } from "@11ty/eleventy";
import type { DateTime } from "luxon";
import type { ArchiveSource } from "../archive/source.ts";
import type { Markdown } from "../markdown/index.ts";
import { articlePath } from "./permalink.ts";
import { type ReadingStats, readingStats } from "./reading.ts";
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

/** How articles are read and published in this run. */
export interface ArticleOptions {
  /** The one read of the archive, which validation checked. */
  source: ArchiveSource;
  /** The renderer of article bodies. */
  markdown: Markdown;
  /** The moment this build publishes up to. */
  now: DateTime;
  /** Give held-back articles a page anyway (for `npm start`). */
  preview: boolean;
}

/**
 * Makes Eleventy take each article's data and body from {@link ArchiveSource} instead of parsing the file a
 * second time: Eleventy's own front matter split kept a `\r` on CRLF files, so a checked `draft: true` was
 * published as the string "true\r". Eleventy never reads an article file; what it renders is exactly the
 * front matter and body that validation accepted. Each article also gets `publication` (published, draft or
 * scheduled) for its layout's banner and `reading` (word count and reading time).
 */
export function registerArticles(eleventyConfig: UserConfig, options: ArticleOptions): void {
  const { source, markdown } = options;
  eleventyConfig.addExtension("md", {
    key: "md",
    read: false,
    getData: (inputPath: string) => source.article(inputPath).article,
    compile: (_content: string, inputPath: string) => () => markdown.render(source.article(inputPath).body),
  });
  eleventyConfig.addGlobalData("layout", "layouts/article.njk");
  // Listings, feeds and the search index take the published articles from the archive (src/archive/published.ts),
  // not from Eleventy's collections; an article page the build takes from its page cache is not in them either.
  eleventyConfig.addGlobalData("eleventyExcludeFromCollections", true);
  eleventyConfig.addGlobalData("eleventyComputed", {
    // Computed, not part of the article's data: computed data is made only for pages a run renders, and counting the
    // words of every article whose page comes from the page cache was a second of every build at 10,000 articles.
    reading: (data: CascadeData): ReadingStats | undefined =>
      isArticleSource(data.page.inputPath) ? readingStats(source.article(data.page.inputPath).body) : undefined,
    publication: (data: CascadeData): PublicationStatus | undefined =>
      isArticleSource(data.page.inputPath) ? publicationStatus(data, options.now, data.site.timezone) : undefined,
    permalink: (data: CascadeData) => {
      if (!isArticleSource(data.page.inputPath)) return data.permalink;
      const out = publicationStatus(data, options.now, data.site.timezone) === "published" || options.preview;
      return out ? articlePath(data, data.site.timezone) : false;
    },
  });
}
