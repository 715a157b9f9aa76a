// Reading front matter dates: the two forms an article may use, and why anything else cannot be read.
import { DateTime } from "luxon";

/** Date-only (`2013-08-04`) or date-time with an explicit offset (`2013-08-04T09:30:00+03:00`). */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** A date-time written without its offset, which would be read in whatever zone the build runs in. */
const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

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
