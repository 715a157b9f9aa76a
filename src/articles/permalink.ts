// Article URLs: /YYYY/MM/DD/slug/ from the date in the site's time zone and a slug of the title.
import slugify from "@sindresorhus/slugify";
import { toDateTime } from "../dates/index.ts";

/** Slug of a headline: transliterated to ASCII where possible, lower case, words joined by hyphens. */
export function slugOf(title: string): string {
  return slugify(title, { decamelize: false });
}

/** The permanent path of an article, e.g. `/2013/08/04/hamas-patches-up-ties-with-hezbollah-iran/`. */
export function articlePath(date: string, title: string, timezone: string): string {
  const slug = slugOf(title);
  if (slug === "") throw new Error(`the title "${title}" gives an empty slug`);
  return `/${toDateTime(date, timezone).setZone(timezone).toFormat("yyyy/LL/dd")}/${slug}/`;
}
