// Search: the /search/ page (facets, sorting, state in the URL) and a Pagefind index of the published articles, built in the same Eleventy run.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import type { DateTime } from "luxon";
import * as pagefind from "pagefind";
import { type CollectionApi, publishedArticles } from "../collections/index.ts";
import { startPhase } from "../progress/index.ts";
import { glob } from "tinyglobby";
import { ARTICLE_PAGES_GLOB, type SearchShard, planSearchShards } from "./shards.ts";

export { SEARCH_SHARD_SIZE, searchShardSize } from "./shards.ts";

/** A page Eleventy wrote, as `eleventy.after` lists it. */
export interface WrittenPage {
  outputPath: string | false;
}

/**
 * Article pages in `outputDir` that this build did not write: left by an earlier build (an article since renamed
 * or removed without a redirect page taking its place). The index is built from the pages on disk, so they would
 * be searchable; relative paths, sorted.
 */
export async function stalePages(outputDir: string, written: readonly WrittenPage[]): Promise<string[]> {
  const fresh = new Set(written.flatMap((page) => (page.outputPath ? [path.relative(outputDir, page.outputPath)] : [])));
  const unwritten = (await glob(ARTICLE_PAGES_GLOB, { cwd: outputDir, expandDirectories: false })).filter((file) => !fresh.has(file));
  // An old redirect page is harmless here: only pages that mark a body for Pagefind would be indexed.
  const searchable = await Promise.all(unwritten.map(async (file) => (await readFile(path.join(outputDir, file), "utf8")).includes("data-pagefind-body")));
  return unwritten.filter((_, i) => searchable[i]).sort();
}

/** The error for stale pages: how many, the first few, and the fix. */
export function stalePagesMessage(outputDir: string, stale: readonly string[]): string {
  const shown = stale.slice(0, 5).map((file) => `  ${path.join(outputDir, file)}`);
  const more = stale.length > shown.length ? [`  … and ${stale.length - shown.length} more`] : [];
  return [
    `search index: ${outputDir} holds ${stale.length} article page(s) this build did not write, left by an earlier build; they would be searchable:`,
    ...shown,
    ...more,
    "Delete them (or the whole output folder) and build again.",
  ].join("\n");
}

/**
 * Builds the Pagefind bundles of `shards` into `outputDir` from the article pages Eleventy wrote there,
 * one bundle after another, so Pagefind holds one bundle's index at a time. Returns the number of pages indexed.
 *
 * Pagefind reads the pages from disk (`addDirectory`) rather than from memory (`addHTMLFile`): measured on
 * 10,000 articles, 23.6 s against 42.5 s, because its own reader parses files on its side of the pipe while
 * `addHTMLFile` sends one JSON message per page and waits for each (one at a time, since Pagefind numbers pages
 * in arrival order). Its file list is sorted, so the bundles are the same on every build.
 */
export async function buildSearchIndex(
  shards: readonly SearchShard[],
  outputDir: string,
  language: string,
  /** Called after each bundle is written, with its article count (the build's progress bar). */
  onBundle: (articles: number) => void = () => {},
): Promise<number> {
  let count = 0;
  try {
    for (const shard of shards) {
      const { index, errors } = await pagefind.createIndex({ forceLanguage: language });
      if (!index) throw new Error(`Pagefind could not start: ${errors.join("; ")}`);
      for (const glob of shard.globs) {
        const added = await index.addDirectory({ path: outputDir, glob });
        if (added.errors.length > 0) throw new Error(`Pagefind could not index ${glob} for ${shard.bundle}: ${added.errors.join("; ")}`);
      }
      const written = await index.writeFiles({ outputPath: path.join(outputDir, shard.bundle) });
      if (written.errors.length > 0) throw new Error(`Pagefind could not write ${shard.bundle}: ${written.errors.join("; ")}`);
      // Frees the bundle's index in the Pagefind process before the next one is built.
      await index.deleteIndex();
      count += shard.articles;
      onBundle(shard.articles);
    }
    return count;
  } finally {
    await pagefind.close();
  }
}

/** Settings for the search plugin. */
export interface SearchPluginOptions {
  language: string;
  /** The build time and time zone: what is published, as every listing sees it. */
  now: DateTime;
  timezone: string;
  /** Articles per Pagefind bundle (default {@link SEARCH_SHARD_SIZE}). */
  shardSize?: number | undefined;
}

/**
 * Adds the `/search/` page and indexes the published articles after every build, `npm start` included.
 * `collections.searchShards` is the bundle plan: the search page loads every bundle in it, `_headers`
 * caches their chunks, and the index is built to it.
 */
export function registerSearch(eleventyConfig: UserConfig, options: SearchPluginOptions): void {
  // The plan of the build in progress, made with its collections and used once its pages are written.
  let shards: SearchShard[] | undefined;
  eleventyConfig.addCollection("searchShards", (collectionApi: CollectionApi) => {
    shards = planSearchShards(
      publishedArticles(collectionApi, options).map((article) => {
        if (typeof article.url !== "string") throw new Error(`search index: ${article.inputPath} is published but has no URL`);
        return article.url;
      }),
      options.shardSize,
    );
    return shards;
  });
  eleventyConfig.addFilter("bundleUrls", (plan: readonly SearchShard[]) => plan.map((shard) => shard.bundle));
  // The search page's scripts: plain ES modules, copied as written (no bundler). The article pages' highlighter
  // (`_includes/js/search-highlight.js`) is inlined by the article layout instead, so it costs no request.
  eleventyConfig.addPassthroughCopy({
    "_includes/js/search.js": "search.js",
    "_includes/js/search-state.js": "search-state.js",
    "_includes/js/search-bundles.js": "search-bundles.js",
  });
  eleventyConfig.addTemplate("search.njk", "", {
    layout: "layouts/search.njk",
    permalink: "/search/",
    title: "Search",
    eleventyExcludeFromCollections: true,
    tags: [],
  });
  eleventyConfig.on(
    "eleventy.after",
    async ({ directories, results, runMode }: { directories: { output: string }; results: WrittenPage[]; runMode: string }) => {
      if (!shards) throw new Error("search index: the bundle plan was not made (collections.searchShards was never built)");
      const phase = startPhase(
        "search index",
        shards.reduce((sum, shard) => sum + shard.articles, 0),
        { unit: "articles" },
      );
      const stale = await stalePages(directories.output, results);
      if (stale.length > 0) {
        // `npm start` keeps serving (the reader of a preview can delete them); a build for upload must not include them.
        if (runMode === "build") throw new Error(stalePagesMessage(directories.output, stale));
        console.warn(`[broadsheet] ${stalePagesMessage(directories.output, stale)}`);
      }
      const count = await buildSearchIndex(shards, directories.output, options.language, (articles) => phase.tick(articles));
      phase.end(count);
    },
  );
}
