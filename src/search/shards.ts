// Search shards: which article pages go into which Pagefind bundle. Pagefind holds a whole index in memory
// while it writes it (about 350 KB per 800-word article), so a large archive is indexed in date ranges of at most
// SEARCH_SHARD_SIZE articles, several at once on worker threads (index.ts), and the search page searches the bundles
// as one index, loading those a search needs (`_includes/js/search-bundles.js`). Because the ranges do not overlap,
// bundles in order list articles in date order, which the search page relies on for exact date sorts.
//
// Tiers, so that a day of publishing re-indexes little (each bundle is cached by its pages, cache.ts): from the oldest
// article, whole months are packed into sealed bundles of up to SEARCH_SHARD_SIZE; the last, still filling range is
// split again into sub-bundles of up to a tenth of that (NEWEST_SPLIT). New articles are the newest, so publishing one
// changes only the newest sub-bundle (at most 1,000 articles by default, a few seconds of Pagefind instead of 30 s),
// and once the range is full and the next one holds a sub-bundle's worth, its sub-bundles merge into one sealed bundle:
// one full re-index per SEARCH_SHARD_SIZE new articles. Waiting for that sub-bundle's worth keeps the newest articles,
// those a newsroom corrects and retracts, out of sealed bundles even the day after one seals. Every bundle costs the
// search page requests (a word search reads each bundle's entry file, metadata and word chunk), so the split stops at
// a tenth: about 10 sub-bundles, 11 while a full range waits to seal (greedy packing keeps two neighbours in the same
// run above a tenth, so about twice that at worst, for months just over a tenth). A tenth rather than a fifth: at
// 10,000 articles a retracted mid-archive story re-indexes 1,000 articles instead of 2,000 (a build of 4.7-5.4 s
// instead of 6.7-7.3 s), for a one-word search of 53 requests and 370 kB instead of 37 and 328 kB. An archive of at
// most a tenth (1,000 articles) keeps the single bundle `/pagefind/`, as small archives always had: its whole re-index
// takes seconds. The plan depends on the archive alone, never on earlier builds, so a build with a cold cache writes
// the same bundles as a warm one.
import { readdir } from "node:fs/promises";
import path from "node:path";

/** Articles per sealed Pagefind bundle: about 3.5 GB of Pagefind memory while it is written, and one bundle up to this size. */
export const SEARCH_SHARD_SIZE = 10_000;

/** The newest, still filling range is split into sub-bundles of at most SEARCH_SHARD_SIZE / NEWEST_SPLIT articles. */
export const NEWEST_SPLIT = 10;

/** The output's folder of the search bundles: `/pagefind/`, or one folder in it per bundle. */
export const SEARCH_FOLDER = "pagefind";

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
  /**
   * The first day of a month split by day starts a bundle: otherwise the month growing past the limit (new articles)
   * would move its first days into the bundle before, changing a bundle that held none of the new articles.
   */
  opens?: true;
}

const ARTICLE_URL = /^\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\/$/;

/** Counts per key, in ascending key order. */
function countBy(keys: Iterable<string>): DateUnit[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, articles]) => ({ key, articles }));
}

/**
 * The units of `days` (`YYYY/MM/DD`, one per article) for bundles of at most `limit`: months, or days of a month over
 * it or of `splitMonth` (a month whose first days are in an earlier bundle: its glob would match them too).
 */
function dateUnits(days: readonly string[], limit: number, splitMonth?: string): DateUnit[] {
  return countBy(days.map((day) => day.slice(0, "YYYY/MM".length))).flatMap((month) =>
    month.articles <= limit && month.key !== splitMonth
      ? [month]
      : countBy(days.filter((day) => day.startsWith(`${month.key}/`))).map((day, i) => (i === 0 ? { ...day, opens: true as const } : day)),
  );
}

/** Packs `units` greedily, oldest first, into groups of at most `limit` articles (a unit over it is a group alone). */
function pack(units: readonly DateUnit[], limit: number): DateUnit[][] {
  const groups: DateUnit[][] = [];
  let size = 0;
  for (const unit of units) {
    const group = groups.at(-1);
    if (group && !unit.opens && size + unit.articles <= limit) {
      group.push(unit);
      size += unit.articles;
    } else {
      groups.push([unit]);
      size = unit.articles;
    }
  }
  return groups;
}

/** Articles in a group of units. */
function articlesIn(group: readonly DateUnit[]): number {
  return group.reduce((sum, unit) => sum + unit.articles, 0);
}

/** The glob of a unit's article pages: a month's days, or one day. */
function unitGlob(unit: DateUnit): string {
  return unit.key.length === "YYYY/MM".length ? `${unit.key}/${TWO_DIGITS}/${PAGE_IN_FOLDER}` : `${unit.key}/${PAGE_IN_FOLDER}`;
}

const TWO_DIGITS = "[0-9][0-9]";
const PAGE_IN_FOLDER = "*/index.html";

/** The folders in `dir` whose names `name` matches (none if `dir` does not exist). */
async function foldersIn(dir: string, name: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && name.test(entry.name))
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** The day folders (`YYYY/MM/DD`) one of a bundle's globs covers in `outputDir`. */
async function dayFolders(outputDir: string, glob: string): Promise<string[]> {
  const under = async (parents: string[], name: RegExp): Promise<string[]> =>
    (
      await Promise.all(
        parents.map(async (parent) => (await foldersIn(path.join(outputDir, parent), name)).map((child) => `${parent}/${child}`)),
      )
    ).flat();
  if (glob === ARTICLE_PAGES_GLOB) {
    const years = await foldersIn(outputDir, /^\d{4}$/);
    return under(await under(years, /^\d{2}$/), /^\d{2}$/);
  }
  const folder = glob.endsWith(`/${PAGE_IN_FOLDER}`) ? glob.slice(0, -PAGE_IN_FOLDER.length - 1) : "";
  if (/^\d{4}\/\d{2}\/\d{2}$/.test(folder)) return [folder];
  if (folder.endsWith(`/${TWO_DIGITS}`) && /^\d{4}\/\d{2}$/.test(folder.slice(0, "YYYY/MM".length)))
    return under([folder.slice(0, "YYYY/MM".length)], /^\d{2}$/);
  throw new Error(`search index: "${glob}" is not a glob of article pages that planSearchShards makes`);
}

/**
 * The pages in `outputDir` that `globs` (a bundle's, see {@link SearchShard.globs}) name, as `YYYY/MM/DD/slug/index.html`
 * relative to it, sorted: one for each folder in each day folder they cover, as each page is its folder's `index.html`.
 * Listed from the day folders rather than matched with a glob library, which also reads every page's folder: 1.7 s of
 * a 25 s build that changed nothing at 100,000 articles, against about 0.1 s.
 */
export async function articlePagesOf(outputDir: string, globs: readonly string[]): Promise<string[]> {
  const days = (await Promise.all(globs.map((glob) => dayFolders(outputDir, glob)))).flat();
  const pages = await Promise.all(
    days.map(async (day) => (await foldersIn(path.join(outputDir, day), /^[^.]/)).map((slug) => `${day}/${slug}/index.html`)),
  );
  return pages.flat().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Splits the searchable article URLs (`/YYYY/MM/DD/slug/`) into bundles, oldest first: whole months packed into
 * sealed bundles of at most `maxArticles`, and the last, still filling group (with the one before it while the last
 * holds fewer than a sub-bundle's articles) split again into sub-bundles of at most `maxArticles / split` (see
 * the module comment). A month too big for its bundle is split by day (a single day over the limit still makes one
 * bundle). An archive of at most `maxArticles / split` articles, or none, gets
 * the single bundle `/pagefind/`; otherwise each bundle is `/pagefind/YYYY-MM/` (or `YYYY-MM-DD/`) after its first
 * unit. The date ranges do not overlap, so bundles in order list articles in date order.
 */
export function planSearchShards(
  urls: readonly string[],
  maxArticles: number = SEARCH_SHARD_SIZE,
  split: number = NEWEST_SPLIT,
): SearchShard[] {
  if (!Number.isInteger(maxArticles) || maxArticles < 1)
    throw new RangeError(`the search shard size must be a whole number of at least 1, not ${maxArticles}`);
  const subSize = Math.max(1, Math.floor(maxArticles / split));
  if (urls.length <= subSize) return [{ bundle: `/${SEARCH_FOLDER}/`, globs: [ARTICLE_PAGES_GLOB], articles: urls.length }];
  const days = urls.map((url) => {
    const match = ARTICLE_URL.exec(url);
    if (!match) throw new Error(`search index: ${url} is not an article URL of the form /YYYY/MM/DD/slug/`);
    return `${match[1]}/${match[2]}/${match[3]}`;
  });

  const groups = pack(dateUnits(days, maxArticles), maxArticles);
  // The last group is still filling, and so is the one before it until the last holds a sub-bundle's worth: the newest
  // articles, those a newsroom corrects, are never in a sealed bundle, even the day after one seals. The days of the
  // filling range (every day from its first unit on, which is a month or a day) are packed again into sub-bundles.
  const filled = groups.length > 1 && articlesIn(groups.at(-1)!) < subSize ? 2 : 1;
  const sealed = groups.slice(0, -filled);
  const first = groups.at(-filled)![0]!.key;
  const filling = pack(
    dateUnits(
      days.filter((day) => day >= first),
      subSize,
      first.length === "YYYY/MM".length ? undefined : first.slice(0, "YYYY/MM".length),
    ),
    subSize,
  );
  return [...sealed, ...filling].map((group) => ({
    bundle: `/${SEARCH_FOLDER}/${group[0]!.key.replaceAll("/", "-")}/`,
    globs: group.map(unitGlob),
    articles: articlesIn(group),
  }));
}

/** Reads SEARCH_SHARD_SIZE (articles per search bundle), or the default when it is unset. */
export function searchShardSize(value: string | undefined): number {
  if (value === undefined || value === "") return SEARCH_SHARD_SIZE;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1) throw new Error(`SEARCH_SHARD_SIZE must be a whole number of at least 1, not "${value}"`);
  return size;
}

/** The unit key (`YYYY/MM` or `YYYY/MM/DD`) at the start of a glob {@link unitGlob} made. */
const UNIT_OF_GLOB = /^(\d{4}\/\d{2}(?:\/\d{2})?)\//;

/**
 * A lookup from an article URL (`/YYYY/MM/DD/slug/`) to the index in `shards` of the bundle whose globs cover it, or
 * undefined for a URL no bundle covers: which bundle a written page belongs to, so a bundle is indexed as soon as its
 * last page is written (see `SearchIndexer`).
 */
export function bundleIndexOf(shards: readonly SearchShard[]): (url: string) => number | undefined {
  const byUnit = new Map<string, number>();
  let everything: number | undefined;
  for (const [index, shard] of shards.entries()) {
    for (const glob of shard.globs) {
      if (glob === ARTICLE_PAGES_GLOB) everything = index;
      else byUnit.set(UNIT_OF_GLOB.exec(glob)?.[1] ?? glob, index);
    }
  }
  return (url) => {
    const match = ARTICLE_URL.exec(url);
    if (!match) return undefined;
    const month = `${match[1]}/${match[2]}`;
    return byUnit.get(`${month}/${match[3]}`) ?? byUnit.get(month) ?? everything;
  };
}
