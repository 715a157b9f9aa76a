// Reading front matter dates: the two forms an article may use, and why anything else cannot be read.
import { DateTime } from "luxon";

/** Date-only (`2013-08-04`) or date-time with an explicit offset (`2013-08-04T09:30:00+03:00`). */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** A date-time written without its offset, which would be read in whatever zone the build runs in. */
const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** The common date-time form, strictly: seconds optional, no fraction, a four-digit year. */
const PLAIN_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * The moment (milliseconds since 1970 UTC) of a date-time such as `2013-08-04T09:30:00+03:00` or `…09:30Z`, read
 * without luxon: parsing with luxon costs about 15 µs a date, which a 100,000-article build paid for every date in
 * every process. Undefined for every other form, and for any field out of its range (a 30 February, hour 24, an
 * offset past 23:59), so that {@link parseArticleDate} decides those exactly as before. Years before 1000 are left to
 * it too, as `Date.UTC` reads years below 100 as 19xx.
 */
export function plainDateTimeMillis(value: string): number | undefined {
  const match = PLAIN_DATE_TIME.exec(value);
  if (!match) return undefined;
  // Fields read one by one, and no Date made to find the month's length: a build reads each date several times.
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6] ?? 0);
  const offsetHours = Number(match[8] ?? 0);
  const offsetMinutes = Number(match[9] ?? 0);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (match[7] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000;
}

/** Days in `month` (1–12) of `year` in the Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses a front matter date in the site's time zone. Date-only values mean midnight there;
 * date-times keep their own offset. Returns null for anything else or an impossible date.
 */
export function parseArticleDate(value: string, timezone: string): DateTime | null {
  if (DATE_ONLY.test(value)) {
    const date = DateTime.fromISO(value, { zone: timezone });
    return date.isValid ? date : null;
  }
  if (DATE_TIME_WITH_OFFSET.test(value)) {
    const date = DateTime.fromISO(value, { setZone: true });
    return date.isValid ? date : null;
  }
  return null;
}

/** Why a front matter date cannot be read, or undefined when it can. */
export function dateError(value: string): string | undefined {
  if (parseArticleDate(value, "UTC") !== null) return undefined;
  if (DATE_TIME_WITHOUT_OFFSET.test(value)) {
    const withT = value.replace(" ", "T");
    return `"${value}" has a time but no UTC offset, so its moment is unknown; add the offset, e.g. ${withT}+03:00 (or ${withT}Z for UTC)`;
  }
  return `"${value}" is not a real date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM with an offset`;
}
