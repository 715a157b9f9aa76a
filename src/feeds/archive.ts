// RFC 5005 archived feeds: the site's main feed split into one archive document per closed month, so a feed reader
// can walk back from /feed.xml through `prev-archive` links and hold every published article exactly once.
import type { DateTime } from "luxon";
import type { ArticleView } from "../articles/item.ts";
import { dayPath } from "../articles/permalink.ts";

/** The part of an article the split needs. */
export type ArchivableItem = ArticleView<"date">;

/**
 * One document of the main feed, as the Atom and JSON templates draw it. Archive documents carry
 * `fh:archive` and link `current`, `prev-archive` and `next-archive` (RFC 5005 section 4); the current
 * (subscription) document links only `prev-archive`.
 */
export interface FeedDocument<T> {
  /** Path of the Atom document, e.g. `/feed.xml` or `/feeds/2013-08.xml`. */
  url: string;
  /** Path of its JSON Feed twin, e.g. `/feed.json` or `/feeds/2013-08.json`. */
  jsonUrl: string;
  /** What the feed follows; empty for the site's main feed (every document of it). */
  title: string;
  /** The HTML page the feed belongs to. */
  pageUrl: string;
  items: T[];
  /** True for an archive document. */
  archive: boolean;
  /** `YYYY-MM` of an archive document's month. */
  month?: string | undefined;
  /** Atom paths of the neighbouring archive documents and of the subscription document. */
  prevArchive?: string | undefined;
  nextArchive?: string | undefined;
  current?: string | undefined;
  /** JSON paths of the same neighbours (JSON Feed's `next_url` walks back in time, as `prev-archive` does). */
  prevArchiveJson?: string | undefined;
  nextArchiveJson?: string | undefined;
}

/** Where archive documents live: `/feeds/YYYY-MM.xml` and `/feeds/YYYY-MM.json`. */
export const ARCHIVE_FOLDER = "/feeds/";

/** Atom path of a month's archive document. */
export function archiveUrl(month: string, extension: "xml" | "json" = "xml"): string {
  return `${ARCHIVE_FOLDER}${month}.${extension}`;
}

/** `YYYY-MM` of an article's date in the site's time zone (the month its date listing is under). */
export function monthOf(date: string, timezone: string): string {
  return dayPath(date, timezone).slice(0, "YYYY/MM".length).replace("/", "-");
}

/**
 * Splits the published articles (newest first) into the current document and one archive per month
 * that is over at `now` (in `timezone`), newest month first.
 *
 * - Every published article dated in a closed month is in exactly one archive, its month's; the
 *   archives hold every article of every closed month.
 * - The current document holds the newest `feedSize` articles and, whatever their number, every article
 *   of the month still under way, which is in no archive yet. Its entries may also be in archives:
 *   readers merge entries by id, as RFC 5005 expects.
 * - A closed month's document changes only when an article dated in it is published late (backdated),
 *   corrected or withdrawn, or when a neighbour month gains its first article (the links change): its
 *   address stays, and the CDN rule revalidates rather than caching it as immutable.
 */
export function splitFeed<T extends ArchivableItem>(
  articles: readonly T[],
  options: { now: DateTime; timezone: string; feedSize: number },
): FeedDocument<T>[] {
  const openMonth = options.now.setZone(options.timezone).toFormat("yyyy-LL");
  const months = new Map<string, T[]>();
  const open: T[] = [];
  for (const article of articles) {
    const month = monthOf(article.data.date, options.timezone);
    if (month >= openMonth) {
      open.push(article);
      continue;
    }
    let items = months.get(month);
    if (!items) {
      items = [];
      months.set(month, items);
    }
    items.push(article);
  }
  const keys = [...months.keys()].sort().reverse();
  const currentItems = open.length > options.feedSize ? open : articles.slice(0, options.feedSize);
  const current: FeedDocument<T> = {
    url: "/feed.xml",
    jsonUrl: "/feed.json",
    title: "",
    pageUrl: "/",
    items: [...currentItems],
    archive: false,
    prevArchive: keys[0] === undefined ? undefined : archiveUrl(keys[0]),
    prevArchiveJson: keys[0] === undefined ? undefined : archiveUrl(keys[0], "json"),
  };
  const archives = keys.map((month, index): FeedDocument<T> => {
    const older = keys[index + 1];
    const newer = keys[index - 1];
    return {
      url: archiveUrl(month),
      jsonUrl: archiveUrl(month, "json"),
      title: "",
      pageUrl: `/${month.replace("-", "/")}/`,
      items: months.get(month) ?? [],
      archive: true,
      month,
      current: "/feed.xml",
      prevArchive: older === undefined ? undefined : archiveUrl(older),
      nextArchive: newer === undefined ? undefined : archiveUrl(newer),
      prevArchiveJson: older === undefined ? undefined : archiveUrl(older, "json"),
      nextArchiveJson: newer === undefined ? undefined : archiveUrl(newer, "json"),
    };
  });
  return [current, ...archives];
}
