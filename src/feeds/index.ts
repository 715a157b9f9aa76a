// Atom and JSON feeds (the main one with its RFC 5005 monthly archives, and one per topic, author and section), with
// full content (picture, body, corrections), absolute URLs and ids that never change.
import type { ArticleView } from "../articles/item.ts";
import type { UserConfig } from "@11ty/eleventy";
import rssPlugin from "@11ty/eleventy-plugin-rss";
import type { Archive } from "../archive/published.ts";
import { dateMillis, formatDateline, formatIsoDate } from "../dates/index.ts";
import { type FeedImage, type ImageStore, feedImage } from "../images/index.ts";
import type { ArchivableItem, FeedDocument } from "./archive.ts";
import { type EntryPicture, entryHtml } from "./content.ts";
import { type JsonFeedArticle, type JsonFeedSite, jsonFeed } from "./jsonFeed.ts";

/**
 * A `tag:` URI (RFC 4151) for an article. It depends on the fixed tag authority and the article's lifetime
 * identity (its date and URL when first published, kept by the permalink manifest through retitles and
 * date changes: see `src/redirects`), never on the site's current domain or the article's URL now, so
 * readers never see an entry twice.
 */
export function entryId(tagAuthority: string, identity: string): string {
  return `tag:${tagAuthority}:${identity}`;
}

/** The first `count` items of a list, for "latest N" feeds. */
export function head<T>(items: readonly T[], count: number): T[] {
  return items.slice(0, Math.max(0, count));
}

/** An article as a feed entry reads it. */
export type EntryArticle = ArticleView<"title" | "date" | "updated" | "image" | "corrections", "url" | "content" | "inputPath">;

/** The site settings an entry needs. */
export interface EntrySite {
  url: string;
  language: string;
  timezone: string;
  tagAuthority: string;
}

/** Everything a feed entry carries, in Atom and JSON alike. */
export interface FeedEntry {
  /** The `tag:` URI from {@link entryId}, the one place entry ids are made. */
  id: string;
  /** Picture, body and corrections, with absolute URLs. */
  content: string;
  /** The lead picture's JPEG with an absolute URL (Atom `enclosure`, JSON Feed `image`), when it is a local file. */
  picture?: (FeedImage & { url: string }) | undefined;
  /** The encoded files its picture uses, published with every feed that carries the entry. */
  files: string[];
}

/** Each article's entry per collection item, so an article in a dozen feeds is assembled once per build. */
const entries = new WeakMap<EntryArticle, Promise<FeedEntry>>();

/**
 * The feed entry of an article: its id, its content (lead picture with caption and credit, body, corrections)
 * and its picture for enclosures. `picture` resolves the article's local image (see `src/images`).
 */
export function feedEntry(
  article: EntryArticle,
  entrySite: EntrySite,
  /** Finds the picture's feed rendition, adding the encoded files it uses to `used`. */
  picture: (src: string, inputPath: string, used: Set<string>) => Promise<FeedImage | undefined>,
  identityOf: (url: string) => string,
): Promise<FeedEntry> {
  let entry = entries.get(article);
  if (!entry) {
    entry = (async () => {
      const image = article.data.image;
      const files = new Set<string>();
      const found = image?.src === undefined ? undefined : await picture(image.src, article.inputPath, files);
      const absolute = found && { ...found, url: new URL(found.url, entrySite.url).href };
      const shown: EntryPicture | undefined = absolute && {
        url: absolute.url,
        width: absolute.width,
        height: absolute.height,
        alt: image?.alt ?? "",
        caption: image?.caption,
        credit: image?.credit,
      };
      const corrections = (article.data.corrections ?? []).map((correction) => ({
        iso: formatIsoDate(correction.date, entrySite.timezone),
        label: formatDateline(correction.date, entrySite.timezone, entrySite.language),
        text: correction.text,
      }));
      return {
        id: entryId(entrySite.tagAuthority, identityOf(article.url)),
        content: entryHtml(article.content, shown, corrections),
        picture: absolute,
        files: [...files].sort(),
      };
    })();
    entries.set(article, entry);
  }
  return entry;
}

/**
 * The newest change among a feed's items (`updated`, else the publication date), for the feed's own
 * `updated`: a correction to an older entry is a change to the feed. Date-only values are read in `timezone`.
 */
export function feedUpdated(
  items: readonly { data: { date: string; updated?: string | undefined } }[],
  timezone: string,
): string | undefined {
  let newest: { value: string; millis: number } | undefined;
  for (const item of items) {
    const value = item.data.updated ?? item.data.date;
    const millis = dateMillis(value, timezone);
    if (newest === undefined || millis > newest.millis) newest = { value, millis };
  }
  return newest?.value;
}

/** Settings for the feeds plugin. */
export interface FeedsPluginOptions {
  timezone: string;
  /** The published archive: the main feed's documents and the topic, author and section feeds of its model. */
  archive: Archive;
  /** Whether the feed file at a URL is written in this run (the build takes unchanged ones from its cache). */
  renders: (url: string) => boolean;
  /** The lifetime identity of the published article at a URL (from the permalink plan), for entry ids. */
  identityOf: (url: string) => string;
  /** The build's encoded pictures, shared with the pages so a feed's picture is the page's. */
  images: ImageStore;
  /** A topic's display spelling, as the Atom feed and the pages show it (from the archive model). */
  topicName: (topic: string) => string;
}

/** What Eleventy gives a filter or shortcode as `this`. */
interface TemplateContext {
  page: { url: string };
}

/** A virtual file that is not a page: no collections. */
const fileDefaults = { eleventyExcludeFromCollections: true, tags: [] };

/**
 * Adds the RSS plugin's URL filters; the `feedEntry` and `feedUpdated` filters;
 * `collections.mainFeed` (the current document of the main feed and its monthly archives); the Atom and JSON
 * files of every document of the main feed; and one Atom file per topic, author and section feed of
 * `collections.archiveFeeds`.
 */
export function registerFeeds(eleventyConfig: UserConfig, options: FeedsPluginOptions): void {
  const { timezone, archive, renders } = options;
  eleventyConfig.addPlugin(rssPlugin);
  eleventyConfig.addFilter("head", head);
  eleventyConfig.addFilter("feedUpdated", (items: Parameters<typeof feedUpdated>[0]) => feedUpdated(items, timezone));
  // The entry is made once per article, for the first feed that carries it; every feed records its picture's files.
  const entryOf = async (article: EntryArticle, entrySite: EntrySite, feedUrl: string) => {
    const entry = await feedEntry(
      article,
      entrySite,
      (src, inputPath, used) => feedImage(src, { ...options.images.context(inputPath), used }, eleventyConfig),
      options.identityOf,
    );
    options.images.record(feedUrl, entry.files);
    return entry;
  };
  eleventyConfig.addAsyncFilter("feedEntry", function (this: TemplateContext, article: EntryArticle, entrySite: EntrySite) {
    return entryOf(article, entrySite, this.page.url);
  });
  eleventyConfig.addCollection("mainFeed", async () => (await archive.load()).mainFeed.filter((document) => renders(document.url)));
  eleventyConfig.addCollection("mainFeedJson", async () => (await archive.load()).mainFeed.filter((document) => renders(document.jsonUrl)));
  // The topic, author and section feeds; the model's first feed is the main one, which has its own documents.
  eleventyConfig.addCollection("archiveFeeds", async () =>
    (await archive.load()).model.feeds.filter((feed) => feed.url !== "/feed.xml" && renders(feed.url)),
  );
  // JSON is written by a shortcode: its output is not HTML-escaped.
  eleventyConfig.addShortcode(
    "jsonFeed",
    async function (this: TemplateContext, document: FeedDocument<EntryArticle & JsonFeedArticle>, jsonSite: JsonFeedSite & EntrySite) {
      const items = await Promise.all(
        document.items.map(async (item) => {
          const entry = await entryOf(item, jsonSite, this.page.url);
          return { id: entry.id, url: item.url, data: item.data, contentHtml: entry.content, image: entry.picture?.url };
        }),
      );
      return JSON.stringify(
        jsonFeed(
          { url: document.jsonUrl, title: document.title, pageUrl: document.pageUrl, items, nextUrl: document.prevArchiveJson },
          jsonSite,
          options.topicName,
        ),
      );
    },
  );

  // The main feed's documents come from collections.mainFeed; the topic, author and section feeds from the archive model.
  eleventyConfig.addTemplate("feed.njk", "", {
    ...fileDefaults,
    layout: "feeds/atom.njk",
    pagination: { data: "collections.archiveFeeds", size: 1, alias: "feed" },
    permalink: (data: { feed: { url: string } }) => data.feed.url,
  });
  eleventyConfig.addTemplate("feed-main.njk", "", {
    ...fileDefaults,
    layout: "feeds/atom.njk",
    pagination: { data: "collections.mainFeed", size: 1, alias: "feed" },
    permalink: (data: { feed: FeedDocument<ArchivableItem> }) => data.feed.url,
  });
  eleventyConfig.addTemplate("feed-main-json.njk", "{% jsonFeed feed, site %}", {
    ...fileDefaults,
    layout: false,
    pagination: { data: "collections.mainFeedJson", size: 1, alias: "feed" },
    permalink: (data: { feed: FeedDocument<ArchivableItem> }) => data.feed.jsonUrl,
  });
}
