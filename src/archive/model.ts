// The archive model: every listing page, index, feed and per-article link computed in one pass over the articles.
import { hash } from "node:crypto";
import { DateTime } from "luxon";
import type { ArticleView } from "../articles/item.ts";
import type { Author, Section } from "./directory.ts";
import { dayPath, slugOf } from "../articles/permalink.ts";
import { dateMillis } from "../dates/index.ts";

/** The part of a published article that the archive needs. */
export type ArchiveItem = ArticleView<"title" | "date" | "topics" | "authors" | "section", "url" | "inputPath">;

/** A known author, from `_data/authors.yaml` (the directory's schema). */
export type AuthorRecord = Author;

/** A known section, from `_data/sections.yaml` (the directory's schema). */
export type SectionRecord = Section;

/** What kind of listing a page is. */
export type ListingKind = "latest" | "year" | "month" | "topic" | "author" | "section";

/** What a listing is, the same on each of its pages. */
export interface ListingInfo {
  kind: ListingKind;
  /** Heading of the listing, e.g. "Hezbollah" or "August 2013". */
  name: string;
  /** Extra line under the heading: an author's bio or a section's description. */
  description?: string | undefined;
  /** Link to an author's own page elsewhere. */
  externalUrl?: string | undefined;
  /** URL of the listing's first page. */
  firstUrl: string;
  /** Atom feed of this listing, when it has one. */
  feedUrl?: string | undefined;
}

/** What every page of a listing has: its articles, newest first, and the links to its neighbour pages. */
interface ListingPageBase<T extends ArchiveItem> extends ListingInfo {
  url: string;
  items: T[];
  /** The page of newer articles (`rel="prev"`). */
  previousUrl?: string | undefined;
  /** The page of older articles (`rel="next"`). */
  nextUrl?: string | undefined;
}

/** A listing's first page, at its `firstUrl`: the newest articles. It changes with every new article, so it alone may show the count. */
export interface FirstListingPage<T extends ArchiveItem> extends ListingPageBase<T> {
  isFirst: true;
  /** Articles in the whole listing. */
  total: number;
}

/**
 * An older page of a listing, at `page/<day>/`, named after the day of its newest article. Nothing on it may depend on
 * how many articles the listing has or on pages far from it, so that it stays unchanged as articles are added or
 * taken out: no total, no page count, no page number.
 */
export interface OlderListingPage<T extends ArchiveItem> extends ListingPageBase<T> {
  isFirst: false;
  /**
   * Its name in the URL: the day of its newest article (`2013-07-01`), followed by a short hash of that article's URL
   * where the older page next to it ends on the same day (`2013-07-01-3fa29c0b`).
   */
  pageName: string;
  /** The days its articles span, for readers: "28 June 2013 – 1 July 2013", or one day. */
  span: string;
}

/** An article's day as page names and spans show it (see {@link paginate}). */
export interface PageDay {
  /** `2013-07-01`. */
  slug: string;
  /** "1 July 2013", in the site's locale. */
  label: string;
}

/** One page of a paginated listing, ready for a template (see {@link paginate}). */
export type ListingPage<T extends ArchiveItem> = FirstListingPage<T> | OlderListingPage<T>;

/** An entry of the topic, author or section index. */
export interface IndexEntry {
  slug: string;
  name: string;
  url: string;
  feedUrl: string;
  count: number;
  description?: string | undefined;
}

/** Article count of one month. */
export interface MonthCount {
  year: number;
  month: number;
  /** "August 2013" in the site's language. */
  label: string;
  url: string;
  count: number;
}

/** Article count of one year, with its months (only those that have articles). */
export interface YearCount {
  year: number;
  url: string;
  count: number;
  months: MonthCount[];
}

/** A feed of the latest articles of one listing. */
export interface FeedSpec<T extends ArchiveItem> {
  /** Path of the feed, e.g. `/topics/iran/feed.xml`. */
  url: string;
  title: string;
  /** The HTML page the feed belongs to. */
  pageUrl: string;
  items: T[];
}

/** A related-article candidate with what orders it: topics shared, distance in time, place in the archive. */
interface RankedCandidate {
  count: number;
  at: number;
  distance: number;
}

/** The older and newer neighbours of an article in the archive's date order. */
export interface Neighbours<T> {
  older?: T | undefined;
  newer?: T | undefined;
}

/** A section's block on the front page: its newest articles not already shown above it. */
export interface FrontSection<T> {
  name: string;
  url: string;
  items: T[];
}

/**
 * The front page, above the paginated "Latest" list: the newest article as the lead, the next few as
 * top stories, then one block per section (in the order of `sections.yaml`, the newsroom's order) with
 * its newest articles that the lead and top stories do not already show.
 */
export interface FrontPage<T> {
  lead?: T | undefined;
  top: T[];
  sections: FrontSection<T>[];
}

/** Default number of top stories under the lead. */
export const FRONT_TOP_COUNT = 4;
/** Default number of articles in each section's block on the front page. */
export const FRONT_SECTION_COUNT = 4;

/**
 * The front page of `articles` (newest first). `sectionOrder` lists section names in the newsroom's
 * order; sections not listed follow in name order, and sections with nothing left to show are left out.
 */
export function frontPage<T extends ArchiveItem>(
  articles: readonly T[],
  sectionOrder: readonly string[],
  counts: { top: number; perSection: number } = { top: FRONT_TOP_COUNT, perSection: FRONT_SECTION_COUNT },
): FrontPage<T> {
  const [lead, ...rest] = articles;
  const top = rest.slice(0, counts.top);
  const shown = new Set<T>([...(lead ? [lead] : []), ...top]);
  const bySlug = new Map<string, FrontSection<T>>();
  // Each section needs only its first few unseen articles, so the scan stops once every section is full.
  for (const article of articles) {
    const section = article.data.section;
    if (section === undefined || shown.has(article)) continue;
    const slug = slugOf(section);
    let block = bySlug.get(slug);
    if (!block) {
      block = { name: section, url: sectionUrl(section), items: [] };
      bySlug.set(slug, block);
    }
    if (block.items.length < counts.perSection) block.items.push(article);
  }
  const rank = new Map(sectionOrder.map((name, index) => [slugOf(name), index]));
  // A listed section is named as sections.yaml spells it, whatever an article wrote.
  const listedName = new Map(sectionOrder.map((name) => [slugOf(name), name]));
  const sections = [...bySlug.entries()]
    .sort(([a, blockA], [b, blockB]) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || byName(blockA, blockB))
    .map(([slug, block]) => ({ ...block, name: listedName.get(slug) ?? block.name }));
  return { lead, top, sections };
}

/** The whole archive's derived structure. */
export interface ArchiveModel<T extends ArchiveItem> {
  listings: ListingPage<T>[];
  topics: IndexEntry[];
  authors: IndexEntry[];
  sections: IndexEntry[];
  years: YearCount[];
  feeds: FeedSpec<T>[];
  /** The front page's lead, top stories and section blocks. */
  front: FrontPage<T>;
  /** Sections that have published articles, in the newsroom's order (for the site navigation). */
  navSections: IndexEntry[];
  /**
   * Related articles of the article at `url`: most shared topics first, then nearest in date (the newer of two equally
   * far first), from the articles near it in each of its topics.
   */
  related(url: string): T[];
  neighbours(url: string): Neighbours<T>;
  /** The display spelling of a topic (its most common spelling in the archive). */
  topicName(topic: string): string;
}

/** Settings that shape the model. */
export interface ArchiveOptions {
  timezone: string;
  locale: string;
  /** Articles per listing page. */
  pageSize: number;
  /** Articles per feed. */
  feedSize: number;
  /** Related articles per article. */
  relatedCount: number;
  /**
   * How many articles of each of an article's topics are considered as its related candidates: half of them on each
   * side of it in the topic's date order. Bounding this keeps related-article work linear in the archive (no
   * all-pairs comparison on a topic with 10,000 articles), and centring it on the article means a new article only
   * enters the related lists of the articles nearest it in date.
   */
  relatedCandidatesPerTopic: number;
  /** Top stories under the front page's lead (default {@link FRONT_TOP_COUNT}). */
  frontTopCount?: number | undefined;
  /** Articles per section block on the front page (default {@link FRONT_SECTION_COUNT}). */
  frontSectionCount?: number | undefined;
  authors: readonly AuthorRecord[];
  sections: readonly SectionRecord[];
}

/** URL of a topic's page. */
export function topicUrl(topic: string): string {
  return `/topics/${slugOf(topic)}/`;
}

/** URL of an author's page. */
export function authorUrl(name: string): string {
  return `/authors/${slugOf(name)}/`;
}

/** URL of a section's page. */
export function sectionUrl(name: string): string {
  return `/sections/${slugOf(name)}/`;
}

/** URL of the older page named `pageName` (see {@link OlderListingPage.pageName}) of a listing whose first page is `firstUrl`. */
export function pageUrl(firstUrl: string, pageName: string): string {
  return `${firstUrl}page/${pageName}/`;
}

/**
 * The fewest and most articles of a page block, as fractions of the page size, and the chance that an article may end
 * a block once it holds the fewest: with these, blocks of 20 hold 15 to 26 articles, 20 on average.
 */
const BLOCK_LEAST = 0.75;
const BLOCK_MOST = 1.3;
const BREAK_CHANCE = 0.15;

/** Of each article seen, whether it may end a page block (see {@link pageBlocks}): drawn once, from its URL. */
const breaks = new WeakMap<object, boolean>();

/** Whether an article may end a page block: a fixed draw from a hash of its URL, the same in every listing and build. */
function mayEndBlock(item: { url: string }): boolean {
  let ends = breaks.get(item);
  if (ends === undefined) {
    ends = Number.parseInt(hash("sha256", item.url, "hex").slice(0, 8), 16) < BREAK_CHANCE * 2 ** 32;
    breaks.set(item, ends);
  }
  return ends;
}

/**
 * The sizes of a listing's page blocks (`items` newest first), oldest block first; the newest articles after the last
 * block are left over. Counted from the oldest article, a block ends at the first article that may end one (a draw
 * from its URL, see {@link mayEndBlock}) once it holds three quarters of `pageSize`, or at 1.3 times `pageSize`. So
 * where blocks end depends on the articles around each end, not on a count from the oldest: a new article changes
 * only the newest articles left over, and an article taken out of a listing (retracted, deleted, redated, moved to
 * another topic) changes its own block and seldom the next, where blocks of a fixed size would all move by one from
 * it to the newest. Only when it removes a block's end at the fewest articles, or the end of a block of the most, can
 * the blocks after it merge or split, and the newer pages be numbered again: for 5-8 % of the articles taken out of
 * listings of 20,000 (one at a time), where the rest changed one or two blocks.
 */
export function pageBlocks(items: readonly { url: string }[], pageSize: number): number[] {
  const least = Math.ceil(pageSize * BLOCK_LEAST);
  const most = Math.max(least + 1, Math.ceil(pageSize * BLOCK_MOST));
  const sizes: number[] = [];
  let size = 0;
  for (let index = items.length - 1; index >= 0; index -= 1) {
    size += 1;
    if (size >= most || (size >= least && mayEndBlock(items[index]!))) {
      sizes.push(size);
      size = 0;
    }
  }
  return sizes;
}

/**
 * Splits a listing (newest first) into pages that stay put as articles are added and taken out. Blocks of about
 * `pageSize` are counted from the oldest article ({@link pageBlocks}), so an older page holds the same articles
 * whatever is published later; the first page shows the newest block plus the newer articles left over (or all of a
 * listing of one block or less). An older page is named after the day of its newest article (`dayOf`), not numbered:
 * where taking an article out merges two blocks, or splits one, only the pages around it change, never the names of
 * all the newer ones. Pages come first page first, then older pages from newest to oldest, in the order a reader goes
 * through them. A new article changes the first page, plus at most the page a new block forms and the one before it.
 * An empty listing gives no pages.
 */
export function paginate<T extends ArchiveItem>(
  listing: ListingInfo,
  items: readonly T[],
  pageSize: number,
  dayOf: (item: T) => PageDay,
): ListingPage<T>[] {
  if (items.length === 0) return [];
  const sizes = pageBlocks(items, pageSize);
  const blocks = sizes.length;
  // Block N (1 = the oldest) is items[ends[N]] to items[ends[N - 1]] (newest first): block 1 ends at the end of the listing.
  const ends = [items.length];
  for (const size of sizes) ends.push(ends.at(-1)! - size);
  const firstCount = blocks <= 1 ? items.length : ends[blocks - 1]!;
  // Every older page's name: the day of its newest article, with a hash of that article's URL where the page before it
  // (older) ends on the same day too, so that a block completed later the same day never renames the older page.
  const days: string[] = [];
  for (let block = 1; block < blocks; block += 1) days[block] = dayOf(items[ends[block]!]!).slug;
  const names = days.map((day, block) =>
    day === days[block - 1] ? `${day}-${hash("sha256", items[ends[block]!]!.url, "hex").slice(0, 8)}` : day,
  );
  const urlOf = (block: number) => pageUrl(listing.firstUrl, names[block]!);
  const pages: ListingPage<T>[] = [
    {
      ...listing,
      isFirst: true,
      items: items.slice(0, firstCount),
      total: items.length,
      url: listing.firstUrl,
      nextUrl: blocks > 1 ? urlOf(blocks - 1) : undefined,
    },
  ];
  for (let block = blocks - 1; block >= 1; block -= 1) {
    const pageItems = items.slice(ends[block]!, ends[block - 1]!);
    const newest = dayOf(pageItems[0]!).label;
    const oldest = dayOf(pageItems.at(-1)!).label;
    pages.push({
      ...listing,
      isFirst: false,
      items: pageItems,
      pageName: names[block]!,
      span: newest === oldest ? newest : `${oldest} – ${newest}`,
      url: urlOf(block),
      previousUrl: block === blocks - 1 ? listing.firstUrl : urlOf(block + 1),
      nextUrl: block > 1 ? urlOf(block - 1) : undefined,
    });
  }
  return pages;
}

/** The spelling used most often; ties go to the one that sorts first, so every build agrees. */
export function mostCommonSpelling(counts: ReadonlyMap<string, number>): string {
  let best = "";
  let bestCount = 0;
  for (const [spelling, count] of counts) {
    if (count > bestCount || (count === bestCount && spelling < best)) {
      best = spelling;
      bestCount = count;
    }
  }
  return best;
}

/** A group of articles under one key (a topic, author, section, year or month), newest first. */
interface Group<T> {
  slug: string;
  items: T[];
  spellings: Map<string, number>;
}

function addTo<T>(groups: Map<string, Group<T>>, slug: string, spelling: string, item: T): void {
  let group = groups.get(slug);
  if (!group) {
    group = { slug, items: [], spellings: new Map() };
    groups.set(slug, group);
  }
  // An article naming the same topic twice (in two spellings) is listed once.
  if (group.items.at(-1) !== item) group.items.push(item);
  group.spellings.set(spelling, (group.spellings.get(spelling) ?? 0) + 1);
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Builds the archive model from the published articles, newest first. Every step is a single pass
 * or a sort, plus a bounded candidate scan for related articles, so the cost grows near-linearly.
 */
export function buildArchiveModel<T extends ArchiveItem>(articles: readonly T[], options: ArchiveOptions): ArchiveModel<T> {
  const topics = new Map<string, Group<T>>();
  const authors = new Map<string, Group<T>>();
  const sections = new Map<string, Group<T>>();
  const months = new Map<string, Group<T>>();
  const topicSlugsByUrl = new Map<string, Set<string>>();
  const indexByUrl = new Map<string, number>();
  /** Each article's instant, by its index in `articles`. */
  const millisByIndex: number[] = [];

  articles.forEach((article, index) => {
    indexByUrl.set(article.url, index);
    const slugs = new Set<string>();
    for (const topic of article.data.topics ?? []) {
      const slug = slugOf(topic);
      addTo(topics, slug, topic.trim(), article);
      slugs.add(slug);
    }
    topicSlugsByUrl.set(article.url, slugs);
    for (const author of article.data.authors ?? []) addTo(authors, slugOf(author), author, article);
    if (article.data.section !== undefined) addTo(sections, slugOf(article.data.section), article.data.section, article);
    // The moment and the month without a DateTime: for 100,000 articles, luxon's offset lookups took 1.5 s a build.
    millisByIndex.push(dateMillis(article.data.date, options.timezone));
    const month = dayPath(article.data.date, options.timezone).slice(0, "YYYY/MM".length);
    addTo(months, month, month, article);
  });

  // Each article's day as older listing pages are named and labelled by it (see paginate), worked out once a day.
  const pageDays = new Map<string, PageDay>();
  const dayOf = (item: T): PageDay => {
    const day = dayPath(item.data.date, options.timezone);
    let found = pageDays.get(day);
    if (!found) {
      const [year = 0, month = 0, date = 0] = day.split("/").map(Number);
      const label = DateTime.fromObject({ year, month, day: date }, { zone: options.timezone })
        .setLocale(options.locale)
        .toFormat("d LLLL yyyy");
      found = { slug: day.replaceAll("/", "-"), label };
      pageDays.set(day, found);
    }
    return found;
  };
  const latest = { kind: "latest", name: "Latest news", firstUrl: "/", feedUrl: "/feed.xml" } as const;
  // The home page exists even before the first article is published.
  const emptyHome: ListingPage<T> = { ...latest, isFirst: true, url: "/", items: [], total: 0 };
  const listings: ListingPage<T>[] = articles.length > 0 ? paginate(latest, articles, options.pageSize, dayOf) : [emptyHome];
  const feeds: FeedSpec<T>[] = [{ url: "/feed.xml", title: "", pageUrl: "/", items: articles.slice(0, options.feedSize) }];

  /** One index entry per group, under `/folder/slug/`, named and described by `describe`. */
  const indexOf = (
    folder: string,
    groups: Map<string, Group<T>>,
    describe: (group: Group<T>) => { name: string; description?: string | undefined },
  ) =>
    [...groups.values()]
      .map((group): IndexEntry => ({
        slug: group.slug,
        ...describe(group),
        url: `/${folder}/${group.slug}/`,
        feedUrl: `/${folder}/${group.slug}/feed.xml`,
        count: group.items.length,
      }))
      .sort(byName);

  const topicIndex = indexOf("topics", topics, (group) => ({ name: mostCommonSpelling(group.spellings) }));
  const topicNameBySlug = new Map(topicIndex.map((entry) => [entry.slug, entry.name]));

  const authorRecords = new Map(options.authors.map((author) => [slugOf(author.name), author]));
  const authorIndex = indexOf("authors", authors, (group) => {
    const record = authorRecords.get(group.slug);
    return { name: record?.name ?? mostCommonSpelling(group.spellings), description: record?.bio };
  });

  const sectionRecords = new Map(options.sections.map((section) => [slugOf(section.name), section]));
  const sectionIndex = indexOf("sections", sections, (group) => {
    const record = sectionRecords.get(group.slug);
    return { name: record?.name ?? mostCommonSpelling(group.spellings), description: record?.description };
  });

  const addIndexed = (kind: ListingKind, entries: IndexEntry[], groups: Map<string, Group<T>>) => {
    for (const entry of entries) {
      const items = groups.get(entry.slug)?.items ?? [];
      const externalUrl = kind === "author" ? authorRecords.get(entry.slug)?.url : undefined;
      listings.push(
        ...paginate(
          { kind, name: entry.name, description: entry.description, externalUrl, firstUrl: entry.url, feedUrl: entry.feedUrl },
          items,
          options.pageSize,
          dayOf,
        ),
      );
      feeds.push({ url: entry.feedUrl, title: entry.name, pageUrl: entry.url, items: items.slice(0, options.feedSize) });
    }
  };
  addIndexed("topic", topicIndex, topics);
  addIndexed("author", authorIndex, authors);
  addIndexed("section", sectionIndex, sections);

  // Years and months, newest first as the articles are.
  const years: YearCount[] = [];
  for (const group of months.values()) {
    const [year = 0, month = 0] = group.slug.split("/").map(Number);
    let yearCount = years.at(-1);
    if (yearCount?.year !== year) {
      yearCount = { year, url: `/${year}/`, count: 0, months: [] };
      years.push(yearCount);
    }
    const label = DateTime.fromObject({ year, month }, { zone: options.timezone }).setLocale(options.locale).toFormat("LLLL yyyy");
    yearCount.count += group.items.length;
    yearCount.months.push({ year, month, label, url: `/${group.slug}/`, count: group.items.length });
  }
  for (const year of years) {
    const items = year.months.flatMap((month) => months.get(`${year.year}/${String(month.month).padStart(2, "0")}`)?.items ?? []);
    listings.push(...paginate({ kind: "year", name: String(year.year), firstUrl: year.url }, items, options.pageSize, dayOf));
    for (const month of year.months) {
      const monthItems = months.get(`${year.year}/${String(month.month).padStart(2, "0")}`)?.items ?? [];
      listings.push(...paginate({ kind: "month", name: month.label, firstUrl: month.url }, monthItems, options.pageSize, dayOf));
    }
  }

  // Each topic's articles as places in the archive, and each article's position in each of its topics' lists, so
  // related candidates are found and counted without a search or a Map per article (at 100,000 articles, counting
  // candidates in a Map per article cost 2.2 s of a warm build).
  const topicPlaces = new Map<string, Int32Array>();
  const topicPositions = new Map<string, Map<string, number>>();
  for (const [slug, group] of topics) {
    topicPlaces.set(
      slug,
      Int32Array.from(group.items, (item) => {
        const at = indexByUrl.get(item.url);
        if (at === undefined) throw new Error(`archive model: ${item.url} is in topic "${slug}" but not in the archive`);
        return at;
      }),
    );
    topicPositions.set(slug, new Map(group.items.map((item, position) => [item.url, position])));
  }
  const reach = Math.max(1, Math.floor(options.relatedCandidatesPerTopic / 2));
  // Topics each candidate shares with the article being ranked, by place; back to zero after each article.
  const sharedTopics = new Int32Array(articles.length);

  const related = (url: string): T[] => {
    const own = topicSlugsByUrl.get(url);
    const index = indexByUrl.get(url);
    if (!own || own.size === 0 || index === undefined) return [];
    const candidates: number[] = [];
    for (const slug of own) {
      const places = topicPlaces.get(slug);
      if (!places) continue;
      const position = topicPositions.get(slug)?.get(url) ?? 0;
      // A window around the article rather than the topic's newest: a new article then only enters the lists of the
      // few articles nearest it in date, instead of re-rendering every article of its topics.
      const end = Math.min(places.length, position + reach + 1);
      for (let at = Math.max(0, position - reach); at < end; at++) {
        const place = places[at] as number;
        if (place === index) continue;
        const seen = sharedTopics[place] ?? 0;
        sharedTopics[place] = seen + 1;
        if (seen === 0) candidates.push(place);
      }
    }
    const millis = millisByIndex[index] ?? 0;
    // The first `relatedCount` candidates in this order, kept in order as they come: a sort of every candidate (up to
    // 50 a topic) for every article cost a build of 10,000 articles about 0.3 s. Equally far: the newer first, then
    // archive order, so the order is total and every build agrees.
    const before = (count: number, distance: number, at: number, b: RankedCandidate): boolean =>
      (b.count - count || distance - b.distance || (millisByIndex[b.at] ?? 0) - (millisByIndex[at] ?? 0) || at - b.at) < 0;
    const best: RankedCandidate[] = [];
    for (const at of candidates) {
      const count = sharedTopics[at] as number;
      const distance = Math.abs((millisByIndex[at] ?? 0) - millis);
      sharedTopics[at] = 0;
      // Most candidates rank below a full list's last: turned away before a candidate object is made for them.
      let place = best.length;
      while (place > 0 && before(count, distance, at, best[place - 1] as RankedCandidate)) place--;
      if (place >= options.relatedCount) continue;
      best.splice(place, 0, { count, at, distance });
      if (best.length > options.relatedCount) best.pop();
    }
    return best.map(({ at }) => articles[at] as T);
  };

  const neighbours = (url: string): Neighbours<T> => {
    const index = indexByUrl.get(url);
    if (index === undefined) return {};
    return { newer: articles[index - 1], older: articles[index + 1] };
  };

  const sectionOrder = options.sections.map((section) => section.name);
  const front = frontPage(articles, sectionOrder, {
    top: options.frontTopCount ?? FRONT_TOP_COUNT,
    perSection: options.frontSectionCount ?? FRONT_SECTION_COUNT,
  });
  const rank = new Map(sectionOrder.map((name, index) => [slugOf(name), index]));
  const navSections = [...sectionIndex].sort((a, b) => (rank.get(a.slug) ?? Infinity) - (rank.get(b.slug) ?? Infinity) || byName(a, b));

  return {
    listings,
    front,
    navSections,
    topics: topicIndex,
    authors: authorIndex,
    sections: sectionIndex,
    years,
    feeds,
    related,
    neighbours,
    topicName: (topic) => topicNameBySlug.get(slugOf(topic)) ?? topic.trim(),
  };
}
