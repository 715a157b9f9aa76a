// Whether an article is out: drafts and embargoed (future-dated) articles are held back until a build after their date.
import { DateTime } from "luxon";
import { dateMillis } from "../dates/index.ts";

/** Where an article stands at build time. */
export type PublicationStatus = "published" | "draft" | "scheduled";

/**
 * The moment a build publishes up to. `SOURCE_DATE_EPOCH` (seconds, the reproducible-builds convention)
 * pins it, so a rebuild of the same commit gives the same site; otherwise it is now.
 */
export function buildTime(env: NodeJS.ProcessEnv): DateTime {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== "") {
    const seconds = Number(epoch);
    if (!Number.isInteger(seconds)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${epoch}"`);
    return DateTime.fromSeconds(seconds, { zone: "utc" });
  }
  return DateTime.utc();
}

/** The status of an article with front matter `data` at `now`; date-only dates mean midnight in `timezone`. */
export function publicationStatus(data: { date: string; draft?: boolean | undefined }, now: DateTime, timezone: string): PublicationStatus {
  if (data.draft === true) return "draft";
  return dateMillis(data.date, timezone) > now.toMillis() ? "scheduled" : "published";
}
