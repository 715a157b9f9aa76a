// Article defaults: every markdown file in the archive gets the article layout, the `article` tag and its permanent URL.
import type { UserConfig } from "@11ty/eleventy";
import { articlePath } from "./permalink.ts";

/** The data Eleventy hands to computed fields, as far as articles need it. */
interface CascadeData {
  page: { inputPath: string };
  permalink?: unknown;
  title: string;
  date: string;
  draft?: boolean;
  site: { timezone: string };
}

/** True for article sources; listing pages and feeds are virtual `.njk` templates. */
export function isArticleSource(inputPath: string): boolean {
  return inputPath.endsWith(".md");
}

/**
 * Registers article defaults as global data, so any folder of markdown can be built as an archive
 * without a data file inside it. Listing pages override `layout` and opt out of collections.
 */
export function registerArticles(eleventyConfig: UserConfig): void {
  eleventyConfig.addGlobalData("layout", "layouts/article.njk");
  eleventyConfig.addGlobalData("tags", ["article"]);
  eleventyConfig.addGlobalData("eleventyComputed", {
    permalink: (data: CascadeData) => {
      if (!isArticleSource(data.page.inputPath)) return data.permalink;
      // Drafts get no page at all.
      return data.draft === true ? false : articlePath(data.date, data.title, data.site.timezone);
    },
  });
}
