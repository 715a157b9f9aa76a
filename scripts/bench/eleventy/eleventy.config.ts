// The Eleventy peer of `npm run bench -- --peers` (scripts/bench/peers.ts): the minimal Eleventy 3 site the issue
// measured Broadsheet against, with the same core as the Hugo peer (scripts/bench/hugo/) — an article page for each
// markdown file as Eleventy reads it (one template per file), a paginated home listing, paginated year and topic pages,
// a topics page, and RSS for the home page and each topic (their newest 20 articles, full text) — with the Pagefind CLI
// run on its output afterwards. It measures what Eleventy itself costs on the bench's archive, so Broadsheet's cost can
// be read against the engine's as well as against Hugo's.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { UserConfig } from "@11ty/eleventy";
import rssPlugin from "@11ty/eleventy-plugin-rss";

/** Articles per listing page, as the Hugo peer's `paginate`. */
const PAGE_SIZE = 20;

/** Entries per feed. */
const FEED_SIZE = 20;

/**
 * Dates as the Hugo peer prints them ("2 January 2006" on an article, "2 Jan 2006" in a listing), with formatters made
 * once: the RSS plugin's `dateToRfc822` in every listing row took 30 % of a 100,000-article build.
 */
const LONG_DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const SHORT_DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** The part of an Eleventy collection item the peer reads. */
interface Item {
  inputPath: string;
  url: string;
  date: Date;
  data: { topics?: unknown };
}

/** The part of Eleventy's collection API the peer uses. */
interface CollectionApi {
  getAll(): Item[];
}

/** One listing page: the articles it shows and its neighbours' URLs. */
export interface ListingPage<T = Item> {
  url: string;
  title: string;
  items: T[];
  newer?: string | undefined;
  older?: string | undefined;
}

/** A listing's articles (newest first) cut into pages of `size`: `/base/`, then `/base/page/2/`, …; one empty page if none. */
export function listingPages<T>(base: string, title: string, items: readonly T[], size: number): ListingPage<T>[] {
  const count = Math.max(1, Math.ceil(items.length / size));
  const urlOf = (index: number): string => (index === 0 ? base : `${base}page/${index + 1}/`);
  return Array.from({ length: count }, (_, index) => ({
    url: urlOf(index),
    title,
    items: items.slice(index * size, (index + 1) * size),
    newer: index === 0 ? undefined : urlOf(index - 1),
    older: index + 1 < count ? urlOf(index + 1) : undefined,
  }));
}

/** The articles (every markdown file), newest first. */
function articles(api: CollectionApi): Item[] {
  return api
    .getAll()
    .filter((item) => item.inputPath.endsWith(".md"))
    .sort((a, b) => b.date.getTime() - a.date.getTime());
}

/** The topics of an article's front matter. */
function topicsOf(item: Item): string[] {
  return Array.isArray(item.data.topics) ? item.data.topics.filter((topic): topic is string => typeof topic === "string") : [];
}

/** Articles per topic, each list newest first as `items` is. */
function byTopic(items: readonly Item[]): Map<string, Item[]> {
  const topics = new Map<string, Item[]>();
  for (const item of items) {
    for (const topic of topicsOf(item)) {
      const list = topics.get(topic) ?? [];
      list.push(item);
      topics.set(topic, list);
    }
  }
  return topics;
}

/** This folder: the layouts are in `_includes/`, and the project's stylesheet two levels up. */
const here = path.dirname(fileURLToPath(import.meta.url));

/** As Broadsheet renders articles: markdown only, never run as template code. */
export const config = { templateFormats: ["md", "njk"], markdownTemplateEngine: false };

/**
 * The peer site's Eleventy configuration, for an input folder that is the archive's articles folder. The pictures are
 * copied as they are and the project's stylesheet is published, as the Hugo peer does.
 */
export default function peerConfig(eleventyConfig: UserConfig): void {
  // Eleventy's JSDoc types its directories as a plain object; `input` is always set, from the constructor's input.
  const { input } = eleventyConfig.directories as { input: string };
  eleventyConfig.addPlugin(rssPlugin);
  eleventyConfig.setIncludesDirectory(path.relative(input, path.join(here, "_includes")));
  eleventyConfig.addPassthroughCopy({ [path.join(input, "pictures")]: "pictures" });
  eleventyConfig.addPassthroughCopy({ [path.join(here, "../../../_includes/css/site.css")]: "css/site.css" });
  eleventyConfig.addGlobalData("layout", "article.njk");
  eleventyConfig.addGlobalData("site", { title: "Broadsheet bench peer", url: "https://bench.example.org" });
  eleventyConfig.addFilter("longDate", (date: Date) => LONG_DATE.format(date));
  eleventyConfig.addFilter("shortDate", (date: Date) => SHORT_DATE.format(date));
  const slug = (text: string): string => String(eleventyConfig.getFilter("slugify")(text));

  eleventyConfig.addCollection("listings", (api: CollectionApi) => {
    const all = articles(api);
    const years = new Map<string, Item[]>();
    for (const item of all) {
      const year = String(item.date.getUTCFullYear());
      const list = years.get(year) ?? [];
      list.push(item);
      years.set(year, list);
    }
    return [
      ...listingPages("/", "Latest", all, PAGE_SIZE),
      ...[...years].flatMap(([year, items]) => listingPages(`/${year}/`, year, items, PAGE_SIZE)),
      ...[...byTopic(all)].flatMap(([topic, items]) => listingPages(`/topics/${slug(topic)}/`, topic, items, PAGE_SIZE)),
    ];
  });
  eleventyConfig.addCollection("feeds", (api: CollectionApi) => {
    const all = articles(api);
    return [
      { url: "/index.xml", title: "Latest", items: all.slice(0, FEED_SIZE) },
      ...[...byTopic(all)].map(([topic, items]) => ({
        url: `/topics/${slug(topic)}/index.xml`,
        title: topic,
        items: items.slice(0, FEED_SIZE),
      })),
    ];
  });
  eleventyConfig.addCollection("topicCounts", (api: CollectionApi) =>
    [...byTopic(articles(api))].map(([topic, items]) => ({ topic, count: items.length })).sort((a, b) => a.topic.localeCompare(b.topic)),
  );

  const generated = { eleventyExcludeFromCollections: true };
  eleventyConfig.addTemplate("listing.njk", "", {
    ...generated,
    layout: "listing.njk",
    pagination: { data: "collections.listings", size: 1, alias: "listing" },
    permalink: (data: { listing: ListingPage }) => `${data.listing.url}index.html`,
  });
  eleventyConfig.addTemplate("feed.njk", "", {
    ...generated,
    layout: "feed.njk",
    pagination: { data: "collections.feeds", size: 1, alias: "feed" },
    permalink: (data: { feed: { url: string } }) => data.feed.url,
  });
  eleventyConfig.addTemplate("topics.njk", "", { ...generated, layout: "topics.njk", permalink: "/topics/index.html" });
}
