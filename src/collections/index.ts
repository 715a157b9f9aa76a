// The published-articles collection: drafts and embargoed articles left out, newest first, in a stable order.
import type { ArticleItem, ArticleView } from "../articles/item.ts";
import type { UserConfig } from "@11ty/eleventy";
import type { DateTime } from "luxon";
import { publicationStatus } from "../articles/publication.ts";
import { toDateTime } from "../dates/index.ts";

/** The part of an article that ordering and publishing need. */
export type DatedItem = ArticleView<"date" | "draft", "inputPath">;

/** The collection API calls Broadsheet uses. */
export interface CollectionApi {
  /**
   * Every article page: their data is the front matter validation accepted (Eleventy takes it from the archive's
   * one read), so they are {@link ArticleItem}s.
   */
  getFilteredByTag(tag: "article"): ArticleItem[];
}

/** Sorts newest first; equal dates fall back to the file path so every build lists them identically. */
export function newestFirst<T extends DatedItem>(items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, millis: toDateTime(item.data.date, "UTC").toMillis() }))
    .sort((a, b) => b.millis - a.millis || (a.item.inputPath < b.item.inputPath ? -1 : a.item.inputPath > b.item.inputPath ? 1 : 0))
    .map(({ item }) => item);
}

/** Keeps what is published at `now`: no drafts, nothing dated after `now` (date-only dates read in `timezone`). */
export function published<T extends DatedItem>(items: readonly T[], now: DateTime, timezone: string): T[] {
  return items.filter((item) => publicationStatus(item.data, now, timezone) === "published");
}

/** Published articles per build: the collection API object is new in every build. */
const publishedByBuild = new WeakMap<CollectionApi, ArticleItem[]>();

/**
 * The published articles, newest first: what every listing, feed and index shows. Computed once per
 * build and shared by `collections.articles` and the archive model.
 */
export function publishedArticles(collectionApi: CollectionApi, options: { now: DateTime; timezone: string }): ArticleItem[] {
  let articles = publishedByBuild.get(collectionApi);
  if (!articles) {
    articles = newestFirst(published(collectionApi.getFilteredByTag("article"), options.now, options.timezone));
    publishedByBuild.set(collectionApi, articles);
  }
  return articles;
}

/** Registers `collections.articles`: every article published at `now`, newest first. */
export function registerCollections(eleventyConfig: UserConfig, options: { now: DateTime; timezone: string }): void {
  eleventyConfig.addCollection("articles", (collectionApi: CollectionApi) => publishedArticles(collectionApi, options));
}
