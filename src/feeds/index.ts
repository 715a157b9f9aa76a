// Atom feeds (the main one and one per topic, author and section), with full content, absolute URLs and ids that never change.
import type { UserConfig } from "@11ty/eleventy";
import rssPlugin from "@11ty/eleventy-plugin-rss";
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

/** Adds the RSS plugin's URL filters, the `entryId` filter and one Atom file per feed of `collections.archiveFeeds`. */
export function registerFeeds(eleventyConfig: UserConfig): void {
  eleventyConfig.addPlugin(rssPlugin);
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
