// Broadsheet's Eleventy configuration: thin on purpose, each concern is a plugin under src/ given typed options.
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import { registerArchive } from "./src/archive/index.ts";
import { Archive } from "./src/archive/published.ts";
import { type ArchiveSource, registerArchiveSource } from "./src/archive/source.ts";
import { registerArticles } from "./src/articles/index.ts";
import type { BroadsheetConfig } from "./src/config/index.ts";
import { registerDates } from "./src/dates/index.ts";
import { registerFeeds } from "./src/feeds/index.ts";
import { ImageStore, registerImages } from "./src/images/index.ts";
import { createFeedMarkdown, createMarkdown, registerMarkdown } from "./src/markdown/index.ts";
import { registerAssets } from "./src/assets/index.ts";
import { registerProgress } from "./src/progress/index.ts";
import { registerRedirects } from "./src/redirects/index.ts";
import { registerSearch } from "./src/search/index.ts";
import type { SearchShard } from "./src/search/shards.ts";
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
export interface BroadsheetOptions extends BuildParts {
  config: BroadsheetConfig;
  /** The one read of the archive, shared by validation, rendering and redirects. */
  source: ArchiveSource;
  /**
   * What this run renders, when not every page: the build pipeline takes the pages whose inputs have not changed
   * from its cache (`src/build/pages.ts`) and leaves their articles out of Eleventy's input.
   */
  plan?: RenderPlan | undefined;
  /**
   * Without a plan (`npm start`), whether a rebuild renders the article page, listing page or feed file at `url`: the
   * preview renders again only what changed since its last rebuild (see `PreviewPages` in src/build/preview.ts).
   * Every page when absent.
   */
  renders?: ((url: string) => boolean) | undefined;
  /** Without a plan, the search key of each article page once a rebuild has written its pages (see `renders`). */
  searchKeys?: (() => ReadonlyMap<string, string>) | undefined;
}

/** What one Eleventy run of a build renders (see `src/build/pages.ts` and `src/build/parts.ts`). */
export interface RenderPlan {
  /** Whether this run renders the article page, listing page or feed file at `url`. */
  renders: (url: string) => boolean;
  /** The article files this run renders (paths relative to the working folder). */
  articleFiles: readonly string[];
  /**
   * Whether this run writes the files that span the site (indexes, sitemaps, redirects, the search page and its
   * scripts, the stylesheet): false for a render part (a process rendering some pages beside the main one) and for
   * every shard of a sharded build but the first.
   */
  siteFiles: boolean;
  /** The search bundles the build indexes, which the search page lists (see `planSearchShards`). */
  searchShards?: readonly SearchShard[] | undefined;
}

/** The parts of a build that the pipeline also uses: the published archive and the encoded pictures. */
export interface BuildParts {
  archive: Archive;
  images: ImageStore;
}

/** The published archive and picture store of a build of `source` with `config`. */
export function buildParts(config: BroadsheetConfig, source: ArchiveSource): BuildParts {
  const { site } = config;
  return {
    archive: new Archive(source, {
      cwd: config.cwd,
      dataDir: config.dataDir,
      now: config.now,
      timezone: site.timezone,
      locale: site.language,
      siteUrl: site.url,
      markdown: createFeedMarkdown(),
    }),
    images: new ImageStore(path.join(config.cacheDir, "images")),
  };
}

/**
 * The Eleventy configuration of one build or preview: every plugin, given its options from `config`.
 * `scripts/build.ts` passes it to Eleventy with this file as the config file (for {@link config}).
 */
export function broadsheet(options: BroadsheetOptions): (eleventyConfig: UserConfig) => void {
  const { config, source, archive, images, plan } = options;
  const { now, site, dataDir, input } = config;
  const renders = plan?.renders ?? options.renders ?? (() => true);
  const siteFiles = plan?.siteFiles ?? true;
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
    // A build hands Eleventy only the articles it renders, each as a virtual template at its own path, instead of
    // letting Eleventy find every article file: Eleventy makes the data of every template it finds, and 10,000
    // articles whose pages come from the page cache cost 2.4 s that way. Not `ignores` per file either: Eleventy
    // matches every file against every ignore pattern, which is quadratic in an archive. The whole folder is ignored,
    // not its markdown files: Eleventy's file search then skips its folders instead of listing every file in them to
    // match it (at 100,000 articles about 0.25 s an Eleventy run, and a cold build makes dozens of runs). `npm start`
    // finds the files itself, so that it sees articles added while it runs.
    if (plan) {
      const articlesDir = path.resolve(config.cwd, input);
      eleventyConfig.ignores.add(path.join(path.relative(config.cwd, articlesDir), "**"));
      for (const file of plan.articleFiles) {
        eleventyConfig.addTemplate(path.relative(articlesDir, path.resolve(config.cwd, file)).split(path.sep).join("/"), "", {});
      }
    }

    // First, so its listeners run before the others' and its phase lines come in build order.
    eleventyConfig.addPlugin(registerProgress, { timingsFile: config.timingsFile });
    eleventyConfig.addPlugin(registerArchiveSource, { source, readEachBuild: config.preview });
    eleventyConfig.addPlugin(registerArticles, {
      source,
      markdown: createMarkdown(),
      now,
      timezone: site.timezone,
      preview: config.preview,
      renders,
    });
    eleventyConfig.addPlugin(registerMarkdown);
    eleventyConfig.addPlugin(registerDates, { timezone: site.timezone, locale: site.language });
    eleventyConfig.addPlugin(registerArchive, { archive, renders, indexPages: siteFiles });
    eleventyConfig.addPlugin(registerAssets, { publish: siteFiles });
    eleventyConfig.addPlugin(registerImages, { store: images, freshEachRun: config.preview });
    eleventyConfig.addPlugin(registerSeo, { topicName: archive.topicName });
    eleventyConfig.addPlugin(registerFeeds, {
      timezone: site.timezone,
      archive,
      renders,
      images,
      topicName: archive.topicName,
      identityOf: archive.identityOf,
    });
    if (siteFiles) {
      eleventyConfig.addPlugin(registerSitemaps, { now, timezone: site.timezone, urlLimit: config.sitemapUrlLimit, renders });
      eleventyConfig.addPlugin(registerRedirects, { source, dataDir });
    }
    if (!siteFiles) return;
    eleventyConfig.addPlugin(registerSearch, {
      // A build writes the index itself, beside rendering (src/build); `npm start` after each rebuild.
      index: !plan,
      language: site.language,
      articles: async () => (await archive.load()).articles,
      shardSize: config.searchShardSize,
      timingsFile: config.timingsFile,
      cacheDir: path.join(config.cacheDir, "search"),
      memoryBytes: config.memoryBudget,
      shards: plan?.searchShards,
      searchKeys: options.searchKeys,
    });
  };
}
