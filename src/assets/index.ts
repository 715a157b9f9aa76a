// Site furniture that is not a listing or an article: the stylesheet, the site icon, the 404 page and the CDN `_headers` file.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { UserConfig } from "@11ty/eleventy";
import { DEFAULT_URL_PATH } from "../images/index.ts";

/** One block of a `_headers` file (Netlify and Cloudflare Pages syntax): a path pattern and its headers. */
export interface HeaderRule {
  path: string;
  headers: Readonly<Record<string, string>>;
}

/** Files whose names change whenever their content does: a year in every cache, never revalidated. */
export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
/** Pages, feeds and sitemaps: five minutes, then checked again, so corrections reach readers quickly. */
export const SHORT_CACHE = "public, max-age=300, must-revalidate";

/**
 * Closed months of the main feed's RFC 5005 archive (`/feeds/YYYY-MM.xml`, `.json`): a day, then checked
 * again. Not `immutable`: a month's document keeps its address but changes when an article dated in it is
 * published late, corrected or withdrawn, and a day's delay is harmless for a reader backfilling history.
 */
export const FEED_ARCHIVE_CACHE = "public, max-age=86400, must-revalidate";

/** Folders whose file names are content hashes: the generated images, the stylesheet and the search page's scripts. */
export const FINGERPRINTED_PATHS: readonly string[] = [`${DEFAULT_URL_PATH}*`, "/css/*", "/js/*"];

/** The folders of a Pagefind bundle whose file names are content hashes: its index, filter and fragment chunks. */
export function searchChunkPaths(bundle: string): string[] {
  return ["fragment/*", "index/*", "filter/*"].map((folder) => `${bundle}${folder}`);
}

/** The stylesheet's source, and the folder its fingerprinted copy is published in. */
const STYLESHEET_SOURCE = "_includes/css/site.css";

/**
 * The URL of the stylesheet, named by a hash of its content (`/css/site.3f2a9c1b7d.css`), so it can be
 * cached forever and a changed stylesheet is a new file. Linked rather than inlined: inlined, its 6 kB
 * were 23 % of a 10,000-article site's output and of the pages held in memory during the build.
 */
export function stylesheetUrl(css: string): string {
  return `/css/site.${contentHash(css)}.css`;
}

/** The fingerprint in a fingerprinted file's name: the first 10 hex digits of the SHA-256 of its content. */
export function contentHash(content: string): string {
  return createHash("sha256").update(content).digest("hex").slice(0, 10);
}

/** Site-wide folders and files of pages, feeds and sitemaps (year folders are added per build). */
const SHORT_CACHE_PATHS: readonly string[] = [
  "/",
  "/page/*",
  "/archive/*",
  "/topics/*",
  "/authors/*",
  "/sections/*",
  "/search/*",
  "/404.html",
  "/feed.xml",
  "/feed.json",
  "/sitemap.xml",
  "/sitemaps/*",
  "/news-sitemap.xml",
  "/robots.txt",
];

/**
 * The `_headers` rules: security headers for every path, and a Cache-Control per group of paths.
 * No two Cache-Control rules can match one path, because hosts combine matching rules differently
 * (Cloudflare Pages joins the values with commas). Paths listed nowhere, such as Pagefind's entry
 * files (`pagefind.js`, `pagefind-entry.json`, whose names stay while the chunks they name change),
 * keep the host's default, which revalidates on every request. One rule per archive year and three per
 * search bundle keep the file within Cloudflare's 100 rules for archives of up to 50 years in 10 bundles.
 */
export function headerRules(years: readonly number[], searchBundles: readonly string[] = ["/pagefind/"]): HeaderRule[] {
  return [
    { path: "/*", headers: { "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin" } },
    ...[...searchBundles.flatMap(searchChunkPaths), ...FINGERPRINTED_PATHS].map((path) => ({
      path,
      headers: { "Cache-Control": IMMUTABLE_CACHE },
    })),
    ...[...SHORT_CACHE_PATHS, ...years.map((year) => `/${year}/*`)].map((path) => ({ path, headers: { "Cache-Control": SHORT_CACHE } })),
    { path: "/feeds/*", headers: { "Cache-Control": FEED_ARCHIVE_CACHE } },
  ];
}

/** The text of a `_headers` file: each path on its own line, its headers indented under it. */
export function headersFile(rules: readonly HeaderRule[]): string {
  const blocks = rules.map((rule) => [rule.path, ...Object.entries(rule.headers).map(([name, value]) => `  ${name}: ${value}`)].join("\n"));
  return `${blocks.join("\n\n")}\n`;
}

/** A virtual page that is not an article: no article layout defaults, no collections. */
const pageDefaults = { eleventyExcludeFromCollections: true, tags: [] };

/**
 * Publishes the fingerprinted stylesheet (its URL is the global `stylesheet`) and the site icon, and adds
 * `/404.html` and `/_headers` (one short-cache rule per archive year, long-cache rules per search bundle).
 */
export function registerAssets(eleventyConfig: UserConfig, options: { publish: boolean } = { publish: true }): void {
  const stylesheet = stylesheetUrl(readFileSync(STYLESHEET_SOURCE, "utf8"));
  eleventyConfig.addGlobalData("stylesheet", stylesheet);
  // A render part links the stylesheet; the main run publishes it and the site-wide files.
  if (!options.publish) return;
  eleventyConfig.addPassthroughCopy({ [STYLESHEET_SOURCE]: stylesheet.slice(1), "_includes/favicon.svg": "favicon.svg" });
  eleventyConfig.addTemplate("404.njk", "", {
    ...pageDefaults,
    layout: "layouts/404.njk",
    permalink: "/404.html",
    title: "Page not found",
    noCanonical: true,
  });
  // A shortcode, since its output is plain text that Nunjucks must not HTML-escape.
  eleventyConfig.addShortcode("cdnHeaders", (years: readonly { year: number }[], searchShards: readonly { bundle: string }[]) =>
    headersFile(
      headerRules(
        years.map(({ year }) => year),
        searchShards.map(({ bundle }) => bundle),
      ),
    ),
  );
  eleventyConfig.addTemplate("headers.njk", "{% cdnHeaders collections.archive.years, collections.searchShards %}", {
    ...pageDefaults,
    layout: false,
    permalink: "/_headers",
  });
}
