// The published-articles collection: drafts left out, newest first, in a stable order.
import type { UserConfig } from "@11ty/eleventy";
import { toDateTime } from "../dates/index.ts";

/** The part of an Eleventy collection item that ordering needs. */
export interface DatedItem {
  inputPath: string;
  data: { date: string; draft?: boolean };
}

/** Sorts newest first; equal dates fall back to the file path so every build lists them identically. */
export function newestFirst<T extends DatedItem>(items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, millis: toDateTime(item.data.date, "UTC").toMillis() }))
    .sort((a, b) => b.millis - a.millis || a.item.inputPath.localeCompare(b.item.inputPath))
    .map(({ item }) => item);
}

/** Keeps what may be published: not drafts. */
export function published<T extends DatedItem>(items: readonly T[]): T[] {
  return items.filter((item) => item.data.draft !== true);
}

/** Registers `collections.articles`: every published article, newest first. */
export function registerCollections(eleventyConfig: UserConfig): void {
  eleventyConfig.addCollection("articles", (collectionApi: { getFilteredByTag(tag: string): DatedItem[] }) =>
    newestFirst(published(collectionApi.getFilteredByTag("article"))),
  );
}
