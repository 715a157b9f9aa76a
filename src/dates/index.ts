// Date formatting for datelines and machine-readable timestamps, always in the site's time zone.
import type { UserConfig } from "@11ty/eleventy";
import { DateTime } from "luxon";
import { parseArticleDate, plainDateTimeMillis } from "./parse.ts";

/** Human dateline such as "August 4, 2013" in `timezone`, in the site's language. */
export function formatDateline(value: string, timezone: string, locale = "en"): string {
  return toDateTime(value, timezone).setLocale(locale).toLocaleString(DateTime.DATE_FULL);
}

/**
 * ISO 8601 timestamp with offset for `<time datetime>`, e.g. 2013-08-04T00:00:00.000+03:00. Remembered, and told
 * by the check memo for the dates of every article it keeps (`memo.ts`): the sitemaps give every article's, and the
 * offset lookup in the zone is the costly part.
 */
export const formatIsoDate = memoize2((value: string, timezone: string): string => {
  const iso = toDateTime(value, timezone).toISO();
  if (iso === null) throw new Error(`cannot format date "${value}"`);
  return iso;
});

/**
 * ISO 8601 timestamp in UTC, e.g. 2013-08-03T21:00:00.000Z: strings that sort in time order even
 * across a clock change, for the search index's date sort key.
 */
export function formatUtcIso(value: string, timezone: string): string {
  const iso = toDateTime(value, timezone).toUTC().toISO();
  if (iso === null) throw new Error(`cannot format date "${value}"`);
  return iso;
}

/** The year of a date in `timezone`, e.g. 2013, for year archives and search filters. */
export function yearOf(value: string, timezone: string): number {
  return toDateTime(value, timezone).year;
}

/**
 * The moment of a validated front matter date in milliseconds since 1970 (a date-only date is midnight in
 * `timezone`), for ordering and comparing: a date-time in the common form gives it without making a DateTime.
 */
export function dateMillis(value: string, timezone: string): number {
  return plainDateTimeMillis(value) ?? toDateTime(value, timezone).toMillis();
}

/**
 * Parses a validated front matter date, as a moment in `timezone` (a date-time written with another offset is the
 * same moment, shown in `timezone`); throws (rather than guessing) on anything invalid.
 */
export function toDateTime(value: string, timezone: string): DateTime {
  return parseOnce(value, timezone);
}

// Every article date is read many times per build (ordering, embargo, archives, sitemaps, feeds), and luxon's
// time-zone arithmetic (an Intl call for each offset) is the costly part of parsing and of moving a date to another
// zone; DateTime values are immutable and keep their offset, so each date is parsed and moved to the zone once. A
// date-time in the common form is read without luxon's parser: the same moment, made in the zone directly.
const parseOnce = memoize2((value: string, timezone: string): DateTime => {
  const millis = plainDateTimeMillis(value);
  if (millis !== undefined) return DateTime.fromMillis(millis, { zone: timezone });
  const date = parseArticleDate(value, timezone);
  if (date === null) throw new Error(`invalid article date "${value}"`);
  return date.setZone(timezone);
});

/**
 * Remembers a formatter's results by its argument. Listing pages show the same article dates again and again (each
 * article appears on its home, year, month, topic, author and section pages), and luxon's time-zone arithmetic is
 * the costly part of formatting them.
 */
export function memoize<A, R>(format: (value: A) => R): (value: A) => R {
  const results = new Map<A, R>();
  return (value) => {
    const known = results.get(value);
    if (known !== undefined || results.has(value)) return known as R;
    const result = format(value);
    results.set(value, result);
    return result;
  };
}

/** A function of two arguments that remembers its results, and can be told one made elsewhere. */
export interface Memoized2<A, B, R> {
  (first: A, second: B): R;
  /** Takes `result` as the result for these arguments, as if it had made it. */
  remember(first: A, second: B, result: R): void;
}

/**
 * {@link memoize} for two arguments, the second taking few values (a time zone): one Map of results per second
 * argument, so a lookup builds no key. Every article's date is asked for many times in every build (validation,
 * permalinks, the archive, feeds); a key string joined per lookup, or an argument array, cost a build of 100,000
 * articles seconds in millions of lookups.
 */
export function memoize2<A, B, R>(format: (first: A, second: B) => R): Memoized2<A, B, R> {
  const bySecond = new Map<B, Map<A, R>>();
  const resultsOf = (second: B): Map<A, R> => {
    let results = bySecond.get(second);
    if (results === undefined) bySecond.set(second, (results = new Map()));
    return results;
  };
  const memoized = (first: A, second: B): R => {
    const results = resultsOf(second);
    const known = results.get(first);
    if (known !== undefined || results.has(first)) return known as R;
    const result = format(first, second);
    results.set(first, result);
    return result;
  };
  return Object.assign(memoized, { remember: (first: A, second: B, result: R) => void resultsOf(second).set(first, result) });
}

/** The site's time zone and language, which every date on the site is shown in. */
export interface DatesOptions {
  timezone: string;
  locale: string;
}

/**
 * Adds the `dateline`, `isoDate`, `utcIso` and `yearOf` filters, each reading a front matter date in the site's
 * time zone (and language), so templates never pass them.
 */
export function registerDates(eleventyConfig: UserConfig, options: DatesOptions): void {
  const { timezone, locale } = options;
  const dateline = memoize((value: string) => formatDateline(value, timezone, locale));
  const isoDate = memoize((value: string) => formatIsoDate(value, timezone));
  const year = memoize((value: string) => yearOf(value, timezone));
  const utcIso = memoize((value: string) => formatUtcIso(value, timezone));
  eleventyConfig.addFilter("dateline", dateline);
  eleventyConfig.addFilter("yearOf", year);
  eleventyConfig.addFilter("isoDate", isoDate);
  eleventyConfig.addFilter("utcIso", utcIso);
}
