// Search: the /search/ page and a Pagefind index of article bodies, built in the same Eleventy run.
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import * as pagefind from "pagefind";

/** A page Eleventy wrote, as passed to `eleventy.after`. */
export interface WrittenPage {
  url: string | false;
  outputPath: string | false;
  content: string;
}

/** Only article pages are searchable; they alone mark their body with `data-pagefind-body`. */
export function isSearchable(page: WrittenPage): page is WrittenPage & { url: string } {
  return typeof page.url === "string" && page.content.includes("data-pagefind-body");
}

/**
 * Builds the Pagefind index from the pages in memory (no re-reading of `_site/`) into `outputDir/pagefind`.
 * Returns the number of pages indexed.
 */
export async function buildSearchIndex(pages: readonly WrittenPage[], outputDir: string, language: string): Promise<number> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: language });
  if (!index) throw new Error(`Pagefind could not start: ${errors.join("; ")}`);
  try {
    let count = 0;
    for (const page of pages.filter(isSearchable)) {
      const added = await index.addHTMLFile({ url: page.url, content: page.content });
      if (added.errors.length > 0) throw new Error(`Pagefind could not index ${page.url}: ${added.errors.join("; ")}`);
      count += 1;
    }
    const written = await index.writeFiles({ outputPath: path.join(outputDir, "pagefind") });
    if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join("; ")}`);
    return count;
  } finally {
    await pagefind.close();
  }
}

/** Adds the `/search/` page and indexes the articles after every build, `npm start` included. */
export function registerSearch(eleventyConfig: UserConfig, options: { language: string }): void {
  // The only script the site ships: it starts Pagefind's UI with the query from the URL.
  eleventyConfig.addPassthroughCopy({ "_includes/js/search.js": "search.js" });
  eleventyConfig.addTemplate("search.njk", "", {
    layout: "layouts/search.njk",
    permalink: "/search/",
    title: "Search",
    eleventyExcludeFromCollections: true,
    tags: [],
  });
  eleventyConfig.on(
    "eleventy.after",
    async ({ directories, results }: { directories: { output: string }; results: WrittenPage[] }) => {
      const count = await buildSearchIndex(results, directories.output, options.language);
      console.log(`[broadsheet] search: indexed ${count} article(s)`);
    },
  );
}
