// Broadsheet's Eleventy configuration: thin on purpose, each concern is a plugin under src/.
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import site from "./_data/site.ts";
import { parseYaml } from "./src/articles/frontMatter.ts";
import { registerArticles } from "./src/articles/index.ts";
import { registerCollections } from "./src/collections/index.ts";
import { registerDates } from "./src/dates/index.ts";
import { registerFeeds } from "./src/feeds/index.ts";
import { registerMarkdown } from "./src/markdown/index.ts";
import { registerPages } from "./src/pages/index.ts";
import { registerSearch } from "./src/search/index.ts";
import { registerValidation } from "./src/validation/index.ts";

export default function (eleventyConfig: UserConfig) {
  // TypeScript data files (_data/*.ts) are loaded through tsx.
  eleventyConfig.addDataExtension("ts", {
    read: false,
    parser: async (filePath: string) => (await import(filePath)).default,
  });
  // One YAML reader for validation and for Eleventy, so both see the same front matter.
  eleventyConfig.setFrontMatterParsingOptions({ engines: { yaml: parseYaml } });
  eleventyConfig.setNunjucksEnvironmentOptions({ autoescape: true });

  eleventyConfig.addPlugin(registerValidation, { timezone: site.timezone });
  eleventyConfig.addPlugin(registerArticles);
  eleventyConfig.addPlugin(registerMarkdown);
  eleventyConfig.addPlugin(registerDates);
  eleventyConfig.addPlugin(registerCollections);
  eleventyConfig.addPlugin(registerPages);
  eleventyConfig.addPlugin(registerFeeds);
  eleventyConfig.addPlugin(registerSearch, { language: site.language });

  // ARTICLES_DIR builds another archive (a fixture, a generated benchmark) with the same layouts and data.
  const input = process.env.ARTICLES_DIR ?? "articles";
  return {
    dir: {
      input,
      includes: path.relative(input, "_includes"),
      data: path.relative(input, "_data"),
      output: "_site",
    },
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
    templateFormats: ["md", "njk"],
  };
}
