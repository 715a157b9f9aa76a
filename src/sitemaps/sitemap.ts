// Sitemap contents: every published article and listing page with its last change, split into files of at most N URLs, and the Google News window.
import type { ArticleView } from "../articles/item.ts";
import type { DateTime } from "luxon";
import { dateMillis, formatIsoDate, toDateTime } from "../dates/index.ts";

/** The sitemap protocol's limit of URLs per sitemap file. */
export const SITEMAP_URL_LIMIT = 50_000;
/** Google News reads articles published in the last two days, at most 1,000 per news sitemap. */
export const NEWS_WINDOW_DAYS = 2;
export const NEWS_URL_LIMIT = 1_000;

/** The part of a published article a sitemap needs. */
export type SitemapArticle = ArticleView<"title" | "date" | "updated">;

/** The part of a listing page (see `ListingPage` in src/archive/model.ts) a sitemap needs. */
export interface SitemapListing {
  kind: string;
  url: string;
  items: readonly SitemapArticle[];
}

/** One `<url>` of a sitemap. */
export interface SitemapEntry {
  /** Absolute, percent-encoded URL. */
  loc: string;
  /** ISO 8601 with the site time zone's offset; absent when the page has no dated content. */
  lastmod?: string | undefined;
  /** `lastmod` as epoch milliseconds, for comparing dates written with different offsets. */
  lastmodMillis?: number | undefined;
}

/** One child sitemap file and the entries it lists. */
export interface SitemapChunk {
  /** Site path of the file, e.g. `/sitemaps/sitemap-1.xml`. */
  url: string;
  entries: SitemapEntry[];
  /** The newest `lastmod` of its entries, for the sitemap index. */
  lastmod?: string | undefined;
}

/** One `<url>` of the Google News sitemap. */
export interface NewsEntry {
  loc: string;
  title: string;
  /** ISO 8601 with the site time zone's offset. */
  publicationDate: string;
}

/** Settings shared by the sitemap functions. */
export interface SitemapSite {
  /** Absolute base URL with no trailing slash. */
  url: string;
  timezone: string;
}

/** An index page and the listing kinds whose articles change it (its counts and links). */
const INDEX_PAGES: readonly { url: string; kinds: readonly string[] }[] = [
  { url: "/archive/", kinds: ["year", "month"] },
  { url: "/topics/", kinds: ["topic"] },
  { url: "/authors/", kinds: ["author"] },
  { url: "/sections/", kinds: ["section"] },
];

/** The site path of the sitemap index. */
export const SITEMAP_INDEX_URL = "/sitemap.xml";

/** The site path of the `number`th sitemap file, counted from 1. */
export function sitemapFileUrl(number: number): string {
  return `/sitemaps/sitemap-${number}.xml`;
}

/**
 * The site paths of every sitemap file of an archive of `articles` published articles and `listings` listing pages,
 * the index first: the files {@link sitemapChunks} makes of its {@link sitemapEntries}, known without making them.
 */
export function sitemapFileUrls(articles: number, listings: number, limit: number = SITEMAP_URL_LIMIT): string[] {
  const files = Math.ceil((articles + INDEX_PAGES.length + listings) / limit);
  return [SITEMAP_INDEX_URL, ...Array.from({ length: files }, (_, index) => sitemapFileUrl(index + 1))];
}

/** The absolute, percent-encoded form of a site path (Hebrew slugs become `%D7%…`). */
export function absoluteSiteUrl(path: string, siteUrl: string): string {
  return new URL(path, siteUrl).href;
}

/** An article's last change: `updated`, or else its publication date. */
export function articleEntry(article: SitemapArticle, site: SitemapSite): SitemapEntry {
  const modified = article.data.updated ?? article.data.date;
  return {
    loc: absoluteSiteUrl(article.url, site.url),
    lastmod: formatIsoDate(modified, site.timezone),
    lastmodMillis: dateMillis(modified, site.timezone),
  };
}

/** The entry with the newest `lastmod` of `entries`, or undefined when none has one. */
export function newest<T extends { lastmod?: string | undefined; lastmodMillis?: number | undefined }>(
  entries: Iterable<T>,
): T | undefined {
  let best: T | undefined;
  for (const entry of entries) {
    if (entry.lastmodMillis !== undefined && (best?.lastmodMillis === undefined || entry.lastmodMillis > best.lastmodMillis)) best = entry;
  }
  return best;
}

/**
 * Every URL the sitemaps list: articles oldest first, then the index pages, then every listing page.
 * Oldest first keeps the early sitemap files unchanged as news is added, so crawlers can skip them.
 * A listing page's `lastmod` is the newest change among the articles it shows; an index page's, the
 * newest among the listings it links to. Each article is looked at once per listing it is on.
 */
export function sitemapEntries(
  articles: readonly SitemapArticle[],
  listings: readonly SitemapListing[],
  site: SitemapSite,
): SitemapEntry[] {
  const articleEntries = new Map<string, SitemapEntry>();
  // Found again by the article object where a listing holds the same one: listings hold each article about six
  // times over, and at 100,000 articles looking each up by its URL cost about 0.4 s a build.
  const byArticle = new Map<SitemapArticle, SitemapEntry>();
  for (const article of articles) {
    const entry = articleEntry(article, site);
    articleEntries.set(article.url, entry);
    byArticle.set(article, entry);
  }
  const entryOf = (article: SitemapArticle) => byArticle.get(article) ?? articleEntries.get(article.url) ?? articleEntry(article, site);

  const listingEntries = listings.map((listing) => {
    const latest = newest(listing.items.map(entryOf));
    return {
      kind: listing.kind,
      entry: { loc: absoluteSiteUrl(listing.url, site.url), lastmod: latest?.lastmod, lastmodMillis: latest?.lastmodMillis },
    };
  });
  const indexEntries = INDEX_PAGES.map((index) => {
    const latest = newest(listingEntries.filter(({ kind }) => index.kinds.includes(kind)).map(({ entry }) => entry));
    return { loc: absoluteSiteUrl(index.url, site.url), lastmod: latest?.lastmod, lastmodMillis: latest?.lastmodMillis };
  });
  return [...[...articleEntries.values()].reverse(), ...indexEntries, ...listingEntries.map(({ entry }) => entry)];
}

/** Splits entries into sitemap files of at most `limit` URLs each, numbered from 1, in one pass. */
export function sitemapChunks(entries: readonly SitemapEntry[], limit: number = SITEMAP_URL_LIMIT): SitemapChunk[] {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`a sitemap must hold at least one URL, not ${limit}`);
  const chunks: SitemapChunk[] = [];
  for (let start = 0; start < entries.length; start += limit) {
    const chunkEntries = entries.slice(start, start + limit);
    chunks.push({ url: sitemapFileUrl(chunks.length + 1), entries: chunkEntries, lastmod: newest(chunkEntries)?.lastmod });
  }
  return chunks;
}

/**
 * The URL limit from `SITEMAP_URL_LIMIT` (for tests and unusual hosts), or the protocol's 50,000.
 * Throws on anything but a whole number from 1 to 50,000, so a typo never writes invalid sitemaps.
 */
export function sitemapUrlLimit(value: string | undefined): number {
  if (value === undefined || value === "") return SITEMAP_URL_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > SITEMAP_URL_LIMIT) {
    throw new Error(`SITEMAP_URL_LIMIT must be a whole number from 1 to ${SITEMAP_URL_LIMIT}, not "${value}"`);
  }
  return limit;
}

/**
 * The articles for Google News: published in the `windowDays` before `now` (and not after it),
 * newest first, at most `limit`. `articles` must be newest first, as `collections.articles` is.
 */
export function newsEntries(
  articles: readonly SitemapArticle[],
  now: DateTime,
  site: SitemapSite,
  windowDays: number = NEWS_WINDOW_DAYS,
  limit: number = NEWS_URL_LIMIT,
): NewsEntry[] {
  const start = now.minus({ days: windowDays });
  const entries: NewsEntry[] = [];
  for (const article of articles) {
    if (entries.length >= limit) break;
    const published = toDateTime(article.data.date, site.timezone);
    if (published > now) continue;
    // Newest first: everything after the first article older than the window is older still.
    if (published < start) break;
    entries.push({
      loc: absoluteSiteUrl(article.url, site.url),
      title: article.data.title,
      publicationDate: formatIsoDate(article.data.date, site.timezone),
    });
  }
  return entries;
}

/** robots.txt: every crawler may read everything; it names the sitemap index and the news sitemap. */
export function robotsTxt(siteUrl: string): string {
  return [
    "User-agent: *",
    "Allow: /",
    "",
    `Sitemap: ${absoluteSiteUrl("/sitemap.xml", siteUrl)}`,
    `Sitemap: ${absoluteSiteUrl("/news-sitemap.xml", siteUrl)}`,
    "",
  ].join("\n");
}
