// Broadsheet's Eleventy configuration: thin on purpose, each concern is a plugin under src/.
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import site from "./_data/site.ts";
import { parseYaml } from "./src/articles/frontMatter.ts";
import { registerArchive } from "./src/archive/index.ts";
import { registerArticles } from "./src/articles/index.ts";
import { buildTime, isPreviewMode } from "./src/articles/publication.ts";
import { registerCollections } from "./src/collections/index.ts";
import { registerDates } from "./src/dates/index.ts";
import { registerFeeds } from "./src/feeds/index.ts";
import { registerMarkdown } from "./src/markdown/index.ts";
import { registerPages } from "./src/pages/index.ts";
import { registerProgress } from "./src/progress/index.ts";
import { registerImages } from "./src/images/index.ts";
import { registerRedirects } from "./src/redirects/index.ts";
import { registerSearch, searchShardSize } from "./src/search/index.ts";
import { registerSeo } from "./src/seo/index.ts";
import { registerSitemaps, sitemapUrlLimit } from "./src/sitemaps/index.ts";
import { registerValidation } from "./src/validation/index.ts";

export default function (eleventyConfig: UserConfig) {
  // ARTICLES_DIR and DATA_DIR build another archive (a fixture, a generated benchmark) with the same layouts.
  const input = process.env.ARTICLES_DIR ?? "articles";
  const dataDir = process.env.DATA_DIR ?? "_data";
  const now = buildTime();

  // TypeScript data files (_data/*.ts) are loaded through tsx.
  eleventyConfig.addDataExtension("ts", {
    read: false,
    parser: async (filePath: string) => (await import(filePath)).default,
  });
  // One YAML reader for validation and for Eleventy, so both see the same front matter.
  eleventyConfig.setFrontMatterParsingOptions({ engines: { yaml: parseYaml } });
  eleventyConfig.setNunjucksEnvironmentOptions({ autoescape: true });

  // First, so its listeners run before the others' and its phase lines come in build order.
  eleventyConfig.addPlugin(registerProgress);
  eleventyConfig.addPlugin(registerValidation, { timezone: site.timezone, dataDir });
  eleventyConfig.addPlugin(registerArticles, { now, preview: isPreviewMode() });
  eleventyConfig.addPlugin(registerMarkdown);
  eleventyConfig.addPlugin(registerDates);
  eleventyConfig.addPlugin(registerCollections, { now, timezone: site.timezone });
  eleventyConfig.addPlugin(registerArchive, { now, timezone: site.timezone, locale: site.language, dataDir });
  eleventyConfig.addPlugin(registerPages);
  eleventyConfig.addPlugin(registerImages, {});
  eleventyConfig.addPlugin(registerSeo, {});
  eleventyConfig.addPlugin(registerSitemaps, { now, timezone: site.timezone, urlLimit: sitemapUrlLimit(process.env.SITEMAP_URL_LIMIT) });
  eleventyConfig.addPlugin(registerRedirects, { dataDir, now, timezone: site.timezone, manifest: process.env.PERMALINKS_MANIFEST });
  eleventyConfig.addPlugin(registerFeeds);
  eleventyConfig.addPlugin(registerSearch, {
    language: site.language,
    now,
    timezone: site.timezone,
    shardSize: searchShardSize(process.env.SEARCH_SHARD_SIZE),
  });

  return {
    dir: {
      input,
      includes: path.relative(input, "_includes"),
      data: path.relative(input, dataDir),
      output: "_site",
    },
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
    templateFormats: ["md", "njk"],
  };
}
