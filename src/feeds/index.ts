// Atom feeds (the main one and one per topic, author and section), with full content, absolute URLs and ids that never change.
import type { UserConfig } from "@11ty/eleventy";
import rssPlugin, { convertHtmlToAbsoluteUrls } from "@11ty/eleventy-plugin-rss";
import { toDateTime } from "../dates/index.ts";

/**
 * A `tag:` URI (RFC 4151) for an article. It depends on the fixed tag authority, the publication
 * date and the path, never on the site's current domain, so readers never see an entry twice.
 */
export function entryId(tagAuthority: string, date: string, path: string): string {
  return `tag:${tagAuthority}:${toDateTime(date, "UTC").toUTC().toISODate()}:${path}`;
}

/** The first `count` items of a list, for "latest N" feeds. */
export function head<T>(items: readonly T[], count: number): T[] {
  return items.slice(0, Math.max(0, count));
}

/** An article as feeds carry it: its path and rendered body. */
export interface FeedArticle {
  url: string;
  content: string;
}

/** Each article's body with absolute URLs, per collection item, so a build converts each body once. */
const absoluteBodies = new WeakMap<FeedArticle, Promise<string>>();

/**
 * An article's body with every URL made absolute against its own address, as feed readers need it.
 * An article is in up to a dozen feeds (main, JSON, each topic, author and section), so the conversion
 * (a full HTML parse) is remembered per collection item; items are new objects in every build.
 * Uses the RSS plugin's own conversion with the options of its `htmlToAbsoluteUrls` filter.
 */
export function absoluteContent(article: FeedArticle, siteUrl: string): Promise<string> {
  let body = absoluteBodies.get(article);
  if (!body) {
    body = convertHtmlToAbsoluteUrls(article.content, new URL(article.url, siteUrl).href, { closingSingleTag: "slash" });
    absoluteBodies.set(article, body);
  }
  return body;
}

/**
 * Adds the RSS plugin's URL filters, the `entryId` and `absoluteContent` filters and one Atom file per
 * feed of `collections.archiveFeeds`.
 */
export function registerFeeds(eleventyConfig: UserConfig): void {
  eleventyConfig.addPlugin(rssPlugin);
  eleventyConfig.addAsyncFilter("absoluteContent", absoluteContent);
  eleventyConfig.addFilter("entryId", (date: string, tagAuthority: string, path: string) => entryId(tagAuthority, date, path));
  eleventyConfig.addFilter("head", head);
  eleventyConfig.addTemplate("feed.njk", "", {
    layout: "feeds/atom.njk",
    pagination: { data: "collections.archiveFeeds", size: 1, alias: "feed" },
    permalink: (data: { feed: { url: string } }) => data.feed.url,
    eleventyExcludeFromCollections: true,
    tags: [],
  });
}
