// Article pages: every markdown file in the archive becomes a page with the article layout and its
// permanent URL, from the one read of the archive that validation checked.
import type { UserConfig } from "@11ty/eleventy";
import type { DateTime } from "luxon";
import type { ArchiveSource } from "../archive/source.ts";
import type { Markdown } from "../markdown/index.ts";
import { articlePath } from "./permalink.ts";
import { readingStats } from "./reading.ts";
import { type PublicationStatus, publicationStatus } from "./publication.ts";

/** How articles are read and published in this run. */
export interface ArticleOptions {
  /** The one read of the archive, which validation checked. */
  source: ArchiveSource;
  /** The renderer of article bodies. */
  markdown: Markdown;
  /** The moment this build publishes up to. */
  now: DateTime;
  /** The site's time zone, which article dates and paths are read in. */
  timezone: string;
  /** Give held-back articles a page anyway (for `npm start`). */
  preview: boolean;
  /**
   * Whether this run renders the article page at a URL: a preview rebuild leaves out the pages that did not change (a
   * build hands Eleventy only the article files it renders).
   */
  renders: (url: string) => boolean;
}

/** The data key that carries an article's markdown body from `getData` to the compiled page. */
const BODY_KEY = "articleMarkdown";

/**
 * Makes Eleventy take each article's data and body from {@link ArchiveSource} instead of parsing the file a
 * second time: Eleventy's own front matter split kept a `\r` on CRLF files, so a checked `draft: true` was
 * published as the string "true\r". Eleventy never reads an article file; what it renders is exactly the
 * front matter and body that validation accepted, and no data file beside it adds to them. Each article also gets
 * `publication` (published, draft or scheduled) for its layout's banner, its permalink and, on the pages this run
 * renders, `reading` (word count and reading time).
 */
export function registerArticles(eleventyConfig: UserConfig, options: ArticleOptions): void {
  const { source, markdown, now, timezone } = options;
  eleventyConfig.addExtension("md", {
    key: "md",
    read: false,
    // Plain data rather than Eleventy's computed data, whose dependency tracking ran every field twice per page (a build
    // hands Eleventy only the articles it renders, so the words are counted only for those).
    getData: (inputPath: string) => {
      const checked = source.article(inputPath);
      const { article } = checked;
      const publication: PublicationStatus = publicationStatus(article, now, timezone);
      const permalink = publication === "published" || options.preview ? articlePath(article, timezone) : false;
      // The path is the page's address as it is, never a template to render.
      const page = { ...article, publication, permalink, dynamicPermalinks: false };
      // A page this run leaves out (see the preprocessor below) needs no body: not read, not counted.
      if (permalink !== false && !options.renders(permalink)) return page;
      // Read here, once per page, for the words counted now and for compile below (a build's read keeps no bodies).
      const body = source.bodyOf(checked);
      return { ...page, reading: readingStats(body), [BODY_KEY]: body };
    },
    compile: (_content: string, inputPath: string) => (data: Record<string, unknown>) => {
      const body = data[BODY_KEY];
      if (typeof body !== "string") throw new Error(`articles: ${inputPath} is rendered without the body its data was given`);
      return markdown.render(body);
    },
  });
  // An article page this run does not render is left out whole, as a preprocessor's `false` does (its layout is not
  // run either), rather than given `permalink: false`, which Eleventy still renders.
  eleventyConfig.addPreprocessor("broadsheet-unchanged-articles", "md", (data: { permalink?: unknown }) =>
    typeof data.permalink === "string" && !options.renders(data.permalink) ? false : undefined,
  );
  // No template or directory data files: Eleventy would otherwise merge a `2019/2019.json` in the articles folder
  // into every article page under it, past validation, and run a `*.11tydata.js` there as code. An article's data is
  // its checked front matter and the site's global data, nothing else (and Eleventy no longer looks for some twenty
  // such files for each page it renders).
  eleventyConfig.setDataFileSuffixes([]);
  eleventyConfig.addGlobalData("layout", "layouts/article.njk");
  // Listings, feeds and the search index take the published articles from the archive (src/archive/published.ts),
  // not from Eleventy's collections; an article page the build takes from its page cache is not in them either.
  eleventyConfig.addGlobalData("eleventyExcludeFromCollections", true);
}
