// Date formatting for datelines and machine-readable timestamps, always in the site's time zone.
import type { UserConfig } from "@11ty/eleventy";
import { DateTime } from "luxon";
import { parseArticleDate } from "../articles/schema.ts";

/** Human dateline such as "August 4, 2013" in `timezone`, in the site's language. */
export function formatDateline(value: string, timezone: string, locale = "en"): string {
  return toDateTime(value, timezone).setZone(timezone).setLocale(locale).toLocaleString(DateTime.DATE_FULL);
}

/** ISO 8601 timestamp with offset for `<time datetime>`, e.g. 2013-08-04T00:00:00.000+03:00. */
export function formatIsoDate(value: string, timezone: string): string {
  const iso = toDateTime(value, timezone).setZone(timezone).toISO();
  if (iso === null) throw new Error(`cannot format date "${value}"`);
  return iso;
}

/** The year of a date in `timezone`, e.g. 2013, for year archives and search filters. */
export function yearOf(value: string, timezone: string): number {
  return toDateTime(value, timezone).setZone(timezone).year;
}

/** Parses a validated front matter date; throws (rather than guessing) on anything invalid. */
export function toDateTime(value: string, timezone: string): DateTime {
  const date = parseArticleDate(value, timezone);
  if (date === null) throw new Error(`invalid article date "${value}"`);
  return date;
}

/** Adds the `dateline`, `isoDate` and `yearOf` filters; each takes the site's time zone as argument. */
export function registerDates(eleventyConfig: UserConfig): void {
  eleventyConfig.addFilter("dateline", (value: string, timezone: string, locale?: string) => formatDateline(value, timezone, locale));
  eleventyConfig.addFilter("yearOf", (value: string, timezone: string) => yearOf(value, timezone));
  eleventyConfig.addFilter("isoDate", (value: string, timezone: string) => formatIsoDate(value, timezone));
}
