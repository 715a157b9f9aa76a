// Site pages: the paginated home page of the latest articles, and the site icon.
import type { UserConfig } from "@11ty/eleventy";

/** Articles per listing page. */
export const PAGE_SIZE = 20;

/** Adds the home page: `/`, then `/page/2/`, `/page/3/`… newest first. */
export function registerPages(eleventyConfig: UserConfig): void {
  eleventyConfig.addPassthroughCopy({ "_includes/favicon.svg": "favicon.svg" });
  eleventyConfig.addTemplate("index.njk", "", {
    layout: "layouts/home.njk",
    pagination: { data: "collections.articles", size: PAGE_SIZE, alias: "articles" },
    permalink: (data: { pagination: { pageNumber: number } }) =>
      data.pagination.pageNumber === 0 ? "/" : `/page/${data.pagination.pageNumber + 1}/`,
    eleventyExcludeFromCollections: true,
    tags: [],
  });
}
