// The order and selection of published articles: drafts and embargoed articles left out, newest first, in a stable order.
import type { ArticleView } from "../articles/item.ts";
import type { DateTime } from "luxon";
import { publicationStatus } from "../articles/publication.ts";
import { dateMillis } from "../dates/index.ts";

/** The part of an article that ordering and publishing need. */
export type DatedItem = ArticleView<"date" | "draft", "inputPath">;

/** Sorts newest first; equal dates fall back to the file path so every build lists them identically. */
export function newestFirst<T extends DatedItem>(items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, millis: dateMillis(item.data.date, "UTC") }))
    .sort((a, b) => b.millis - a.millis || (a.item.inputPath < b.item.inputPath ? -1 : a.item.inputPath > b.item.inputPath ? 1 : 0))
    .map(({ item }) => item);
}

/** Keeps what is published at `now`: no drafts, nothing dated after `now` (date-only dates read in `timezone`). */
export function published<T extends DatedItem>(items: readonly T[], now: DateTime, timezone: string): T[] {
  return items.filter((item) => publicationStatus(item.data, now, timezone) === "published");
}
