// Article URLs: /YYYY/MM/DD/slug/ from the date in the site's time zone and a slug of the title (or the `slug` field).
import slugify from "@sindresorhus/slugify";
import { slug as unicodeSlug } from "github-slugger";
import { memoize, memoize2, toDateTime } from "../dates/index.ts";

/**
 * Slug of a headline or topic. Scripts with a Latin transliteration (accents, Cyrillic, Greek, Arabic…)
 * become ASCII (`Café Übersee` → `cafe-uebersee`); scripts without one (Hebrew, Chinese, Japanese…)
 * keep their own letters (`חמאס ואיראן` → `חמאס-ואיראן`), which browsers show as written.
 * Returns "" when the text has no letters or digits at all. Memoized: topics, authors and sections
 * are slugged on every page that links to them, and transliteration is the costly part.
 */
export const slugOf: (text: string) => string = memoize((text: string): string => {
  const ascii = slugify(text, { decamelize: false });
  return ascii !== "" ? ascii : unicodeSlug(text.normalize("NFC")).replace(/-{2,}/g, "-").replace(/^-|-$/g, "");
});

/**
 * The most bytes (UTF-8) a URL segment may have. Each segment is a folder name in the output, and file
 * systems allow 255 bytes a name; the rest is room for suffixes. A 90-character Chinese headline is 270 bytes.
 */
export const MAX_SEGMENT_BYTES = 200;

/** Length of `text` in UTF-8 bytes, as file systems count a name. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** What decides an article's URL. */
export interface PermalinkFields {
  date: string;
  title: string;
  /** An explicit slug from the front matter, which wins over the title's. */
  slug?: string | undefined;
}

/** The slug an article's URL uses: its `slug` field, or else the slug of its title (the one in its known path, if any). */
export function articleSlug(article: PermalinkFields): string {
  if (article.slug !== undefined) return article.slug;
  const known = knownPaths.get(article);
  return known?.title === article.title && known.slug === undefined ? known.urlSlug : slugOf(article.title);
}

/** What {@link articlePath} made an article's path from, and the path. */
interface KnownPath {
  date: string;
  title: string;
  slug: string | undefined;
  timezone: string;
  path: string;
  /** The slug `path` ends with. */
  urlSlug: string;
}

// Validation, permalinks, redirects and the archive each ask for every article's path in every build, each with the
// same front matter object: its path is kept with it, and made again only if a field it is made from differs.
const knownPaths = new WeakMap<PermalinkFields, KnownPath>();

/** The permanent path of an article, e.g. `/2013/08/04/hamas-patches-up-ties-with-hezbollah-iran/`. */
export function articlePath(article: PermalinkFields, timezone: string): string {
  const { date, title, slug: field } = article;
  const known = knownPaths.get(article);
  if (known?.date === date && known.title === title && known.slug === field && known.timezone === timezone) return known.path;
  const slug = articleSlug(article);
  if (slug === "") throw new Error(`the title "${title}" gives an empty slug`);
  const path = `/${dayPath(date, timezone)}/${slug}/`;
  knownPaths.set(article, { date, title, slug: field, timezone, path, urlSlug: slug });
  return path;
}

/**
 * Remembers `path` as the path of `article` in `timezone`, made by {@link articlePath} in an earlier build (the check
 * memo keeps it), and its last segment as the article's slug: slugging every title and moving every date to the zone
 * cost about 2.5 s a build at 100,000 articles.
 */
export function rememberArticlePath(article: PermalinkFields, timezone: string, path: string): void {
  const urlSlug = path.split("/").at(-2) ?? "";
  knownPaths.set(article, { date: article.date, title: article.title, slug: article.slug, timezone, path, urlSlug });
  // The path starts with the date's day in the zone: the archive's months and the feed archives read it from there.
  const day = path.slice(1, "/YYYY/MM/DD".length);
  if (/^\d{4}\/\d{2}\/\d{2}$/.test(day)) dayPath.remember(article.date, timezone, day);
}

/** The day of a front matter date in `timezone`, as `YYYY/MM/DD`: the start of its article's URL path. */
export const dayPath = memoize2((date: string, timezone: string): string => toDateTime(date, timezone).toFormat("yyyy/LL/dd"));
