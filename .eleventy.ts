// Broadsheet's Eleventy configuration: thin on purpose, each concern is a plugin under src/ given typed options.
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import { ArchiveModelRef, FEED_SIZE, registerArchive } from "./src/archive/index.ts";
import { type ArchiveSource, registerArchiveSource } from "./src/archive/source.ts";
import { registerArticles } from "./src/articles/index.ts";
import { registerCollections } from "./src/collections/index.ts";
import type { BroadsheetConfig } from "./src/config/index.ts";
import { registerDates } from "./src/dates/index.ts";
import { registerFeeds } from "./src/feeds/index.ts";
import { ImageStore, registerImages } from "./src/images/index.ts";
import { createMarkdown, registerMarkdown } from "./src/markdown/index.ts";
import { registerAssets } from "./src/assets/index.ts";
import { registerProgress } from "./src/progress/index.ts";
import { registerRedirects } from "./src/redirects/index.ts";
import { registerSearch } from "./src/search/index.ts";
import { registerSeo } from "./src/seo/index.ts";
import { registerSitemaps } from "./src/sitemaps/index.ts";

/**
 * Settings that never change. Articles are markdown only and are never run as template code
 * (`markdownTemplateEngine: false`); layouts are Nunjucks.
 */
export const config = {
  templateFormats: ["md", "njk"],
  markdownTemplateEngine: false,
  htmlTemplateEngine: "njk",
};

/** What the build pipeline (`scripts/build.ts`) hands the configuration. */
export interface BroadsheetOptions {
  config: BroadsheetConfig;
  /** The one read of the archive, shared by validation, rendering and redirects. */
  source: ArchiveSource;
}

/**
 * The Eleventy configuration of one build or preview: every plugin, given its options from `config`.
 * `scripts/build.ts` passes it to Eleventy with this file as the config file (for {@link config}).
 */
export function broadsheet({ config, source }: BroadsheetOptions): (eleventyConfig: UserConfig) => void {
  const { now, site, dataDir, input } = config;
  const images = new ImageStore(path.join(config.cacheDir, "images"));
  const archive = new ArchiveModelRef();
  return (eleventyConfig) => {
    eleventyConfig.setIncludesDirectory(path.relative(input, "_includes"));
    eleventyConfig.setDataDirectory(path.relative(input, dataDir));
    // The site settings as the configuration read them (SITE_URL applied), not the data file again: one reading.
    eleventyConfig.addGlobalData("site", site);
    eleventyConfig.setNunjucksEnvironmentOptions({ autoescape: true });
    // A build never renders a draft or an embargoed article, not even unwritten: nothing of it (a picture, a
    // crop) can reach the output. The archive was read before Eleventy started; `npm start` previews them.
    if (!config.preview) {
      for (const file of source.unpublishedFiles()) eleventyConfig.ignores.add(file);
    }

    // First, so its listeners run before the others' and its phase lines come in build order.
    eleventyConfig.addPlugin(registerProgress, { timingsFile: config.timingsFile });
    eleventyConfig.addPlugin(registerArchiveSource, { source, readEachBuild: config.preview });
    eleventyConfig.addPlugin(registerArticles, { source, markdown: createMarkdown(), now, preview: config.preview });
    eleventyConfig.addPlugin(registerMarkdown);
    eleventyConfig.addPlugin(registerDates, { timezone: site.timezone, locale: site.language });
    eleventyConfig.addPlugin(registerCollections, { now, timezone: site.timezone });
    eleventyConfig.addPlugin(registerArchive, { now, timezone: site.timezone, locale: site.language, dataDir, ref: archive });
    eleventyConfig.addPlugin(registerAssets);
    eleventyConfig.addPlugin(registerImages, { store: images });
    eleventyConfig.addPlugin(registerSeo, { topicName: archive.topicName });
    eleventyConfig.addPlugin(registerSitemaps, { now, timezone: site.timezone, urlLimit: config.sitemapUrlLimit });
    eleventyConfig.addPlugin(registerRedirects, { source, dataDir });
    eleventyConfig.addPlugin(registerFeeds, {
      now,
      timezone: site.timezone,
      feedSize: FEED_SIZE,
      images,
      topicName: archive.topicName,
      identityOf: (url: string) => {
        const identity = source.current.plan.identities.get(url);
        if (identity === undefined) throw new Error(`feeds: ${url} is in a feed but is not a published article of this build`);
        return identity;
      },
    });
    eleventyConfig.addPlugin(registerSearch, {
      language: site.language,
      now,
      timezone: site.timezone,
      shardSize: config.searchShardSize,
      timingsFile: config.timingsFile,
      cacheDir: path.join(config.cacheDir, "search"),
    });
  };
}
