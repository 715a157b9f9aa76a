// Search shards: which article pages go into which Pagefind bundle. Pagefind holds a whole index in memory
// while it writes it (about 350 KB per 800-word article), so a large archive is indexed in date ranges of at most
// SEARCH_SHARD_SIZE articles, several at once on worker threads (index.ts), and the search page searches the bundles
// as one index, loading those a search needs (`_includes/js/search-bundles.js`). Because the ranges do not overlap,
// bundles in order list articles in date order, which the search page relies on for exact date sorts.

/** Articles per Pagefind bundle: about 3.5 GB of Pagefind memory while it is written, and one bundle up to this size. */
export const SEARCH_SHARD_SIZE = 10_000;

/** Every article page: `/YYYY/MM/DD/slug/index.html`, relative to the output folder. */
export const ARTICLE_PAGES_GLOB = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html";

/** One Pagefind bundle: the articles of a contiguous date range. */
export interface SearchShard {
  /** URL path of the bundle folder, ending in `/` (the one bundle of a small archive is `/pagefind/`). */
  bundle: string;
  /**
   * Globs of its article pages, relative to the output folder, one per `addDirectory` call: one per month (or day)
   * rather than one `{a,b,…}` alternation, because Pagefind walks only the folder a plain glob starts with, but the
   * whole output for an alternation (measured at 100,000 articles: 0.4 s for a month, 11 s for two months as `{a,b}`).
   */
  globs: string[];
  /** Articles in it. */
  articles: number;
}

/** A run of articles that always shares a bundle: one month, or one day of a month too big for a bundle. */
interface DateUnit {
  /** `YYYY/MM` or `YYYY/MM/DD`. */
  key: string;
  articles: number;
}

const ARTICLE_URL = /^\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\/$/;

/** Counts per key, in ascending key order. */
function countBy(keys: Iterable<string>): DateUnit[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, articles]) => ({ key, articles }));
}

/** The glob of a unit's article pages: a month's days, or one day. */
function unitGlob(unit: DateUnit): string {
  return unit.key.length === "YYYY/MM".length ? `${unit.key}/[0-9][0-9]/*/index.html` : `${unit.key}/*/index.html`;
}

/**
 * Splits the searchable article URLs (`/YYYY/MM/DD/slug/`) into bundles of at most `maxArticles`, oldest first.
 * Whole months go together; a month with more than `maxArticles` articles is split by day (a single day over
 * the limit still makes one bundle). An archive that fits in one bundle, or has no articles, gets the single
 * bundle `/pagefind/`; otherwise each bundle is `/pagefind/YYYY-MM/` (or `YYYY-MM-DD/`) after its first unit.
 * The date ranges do not overlap, so bundles in order list articles in date order.
 */
export function planSearchShards(urls: readonly string[], maxArticles: number = SEARCH_SHARD_SIZE): SearchShard[] {
  if (!Number.isInteger(maxArticles) || maxArticles < 1)
    throw new RangeError(`the search shard size must be a whole number of at least 1, not ${maxArticles}`);
  if (urls.length <= maxArticles) return [{ bundle: "/pagefind/", globs: [ARTICLE_PAGES_GLOB], articles: urls.length }];
  const days = urls.map((url) => {
    const match = ARTICLE_URL.exec(url);
    if (!match) throw new Error(`search index: ${url} is not an article URL of the form /YYYY/MM/DD/slug/`);
    return `${match[1]}/${match[2]}/${match[3]}`;
  });
  const units = countBy(days.map((day) => day.slice(0, "YYYY/MM".length))).flatMap((month) =>
    month.articles <= maxArticles ? [month] : countBy(days.filter((day) => day.startsWith(`${month.key}/`))),
  );

  const groups: DateUnit[][] = [];
  let size = 0;
  for (const unit of units) {
    const group = groups.at(-1);
    if (group && size + unit.articles <= maxArticles) {
      group.push(unit);
      size += unit.articles;
    } else {
      groups.push([unit]);
      size = unit.articles;
    }
  }
  return groups.map((group) => ({
    bundle: `/pagefind/${group[0]!.key.replaceAll("/", "-")}/`,
    globs: group.map(unitGlob),
    articles: group.reduce((sum, unit) => sum + unit.articles, 0),
  }));
}

/** Reads SEARCH_SHARD_SIZE (articles per search bundle), or the default when it is unset. */
export function searchShardSize(value: string | undefined): number {
  if (value === undefined || value === "") return SEARCH_SHARD_SIZE;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1) throw new Error(`SEARCH_SHARD_SIZE must be a whole number of at least 1, not "${value}"`);
  return size;
}
