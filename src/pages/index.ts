// Site furniture that is not a listing or an article: the site icon.
import type { UserConfig } from "@11ty/eleventy";

/** Copies the site icon. */
export function registerPages(eleventyConfig: UserConfig): void {
  eleventyConfig.addPassthroughCopy({ "_includes/favicon.svg": "favicon.svg" });
}
