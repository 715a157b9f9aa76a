// Sitemaps (an index over files of at most N URLs, and a Google News sitemap) and robots.txt.
import type { UserConfig } from "@11ty/eleventy";
import type { DateTime } from "luxon";
import {
  type NewsEntry,
  type SitemapArticle,
  type SitemapChunk,
  type SitemapListing,
  type SitemapSite,
  SITEMAP_INDEX_URL,
  SITEMAP_URL_LIMIT,
  newsEntries,
  robotsTxt,
  sitemapChunks,
  sitemapEntries,
} from "./sitemap.ts";

export { sitemapUrlLimit } from "./sitemap.ts";

/** Settings for the sitemaps plugin. */
export interface SitemapsPluginOptions {
  /** The build time: the Google News window ends here. */
  now: DateTime;
  timezone: string;
  /** URLs per sitemap file; 50,000 (the protocol's maximum) unless a test or host wants fewer. */
  urlLimit?: number | undefined;
  /**
   * Whether this run renders the sitemap file at a URL: a build takes the sitemap files from its page cache when no
   * article or listing page they list changed (see `pageEntries`), and then leaves out their templates, whose split
   * of every URL of the site is most of what the site-wide run costs at 100,000 articles.
   */
  renders: (url: string) => boolean;
}

/** A virtual file that is not a page: no layout of its own, no collections. */
const fileDefaults = { layout: false, eleventyExcludeFromCollections: true, tags: [] };

/**
 * Registers `/sitemap.xml` (the index), `/sitemaps/sitemap-N.xml`, `/news-sitemap.xml` and `/robots.txt`.
 * Sitemaps read `collections.articles` and every listing page of `collections.archive`.
 */
export function registerSitemaps(eleventyConfig: UserConfig, options: SitemapsPluginOptions): void {
  const { renders } = options;
  const urlLimit = options.urlLimit ?? SITEMAP_URL_LIMIT;
  // The index and the files it lists must agree; both read one split per build (keyed by the collection array).
  const plans = new WeakMap<object, SitemapChunk[]>();
  const chunksFor = (listings: readonly SitemapListing[], articles: readonly SitemapArticle[], site: SitemapSite): SitemapChunk[] => {
    let chunks = plans.get(listings);
    if (!chunks) {
      chunks = sitemapChunks(sitemapEntries(articles, listings, { url: site.url, timezone: options.timezone }), urlLimit);
      plans.set(listings, chunks);
    }
    return chunks;
  };

  eleventyConfig.addFilter("sitemapChunks", chunksFor);
  eleventyConfig.addFilter("newsSitemapEntries", (articles: readonly SitemapArticle[], site: SitemapSite): NewsEntry[] =>
    newsEntries(articles, options.now, { url: site.url, timezone: options.timezone }),
  );
  // Plain-text and JSON files are written by shortcodes: their output is not HTML-escaped.
  eleventyConfig.addShortcode("robotsTxt", (siteUrl: string) => robotsTxt(siteUrl));

  // The index and its files are one set in the page cache (one key, see `pageEntries`): all rendered, or none.
  if (renders(SITEMAP_INDEX_URL)) {
    eleventyConfig.addTemplate("sitemap-index.njk", "", { ...fileDefaults, layout: "sitemaps/index.njk", permalink: SITEMAP_INDEX_URL });
    eleventyConfig.addTemplate("sitemap.njk", "", {
      ...fileDefaults,
      layout: "sitemaps/urlset.njk",
      // Declared so Eleventy fills the collections before splitting.
      eleventyImport: { collections: ["articles", "archive"] },
      pagination: {
        data: "collections.archive.listings",
        size: 1,
        alias: "sitemap",
        // Pagination hands `before` a copy of the listings; the collection itself is the key the index shares.
        before: (
          _copy: unknown,
          data: { collections: { archive: { listings: SitemapListing[] }; articles: SitemapArticle[] }; site: SitemapSite },
        ) => chunksFor(data.collections.archive.listings, data.collections.articles, data.site).filter((chunk) => renders(chunk.url)),
      },
      permalink: (data: { sitemap: SitemapChunk }) => data.sitemap.url,
    });
  }
  eleventyConfig.addTemplate("news-sitemap.njk", "", { ...fileDefaults, layout: "sitemaps/news.njk", permalink: "/news-sitemap.xml" });
  eleventyConfig.addTemplate("robots.njk", "{% robotsTxt site.url %}", { ...fileDefaults, permalink: "/robots.txt" });
}
