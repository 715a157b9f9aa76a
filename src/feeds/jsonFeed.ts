// The JSON Feed (version 1.1) twin of the main Atom feed and its archive documents: the same articles, the same
// `tag:` ids and the same entry content (picture, body, corrections), built as data.
import type { ArticleView } from "../articles/item.ts";
import type { SiteSettings } from "../../_data/site.ts";
import { authorUrl } from "../archive/model.ts";
import { formatIsoDate } from "../dates/index.ts";
import { absoluteSiteUrl } from "../sitemaps/sitemap.ts";

/** A feed article (an Eleventy collection item) with its entry id and its rendered body already given absolute URLs. */
export interface JsonFeedArticle extends ArticleView<"title" | "date" | "updated" | "dek" | "authors" | "topics"> {
  /** The entry's `tag:` id, the same as the Atom entry's (see `entryId`). */
  id: string;
  contentHtml: string;
  /** Absolute URL of the lead picture, when it is a local file. */
  image?: string | undefined;
}

/** The site settings a JSON Feed needs. */
export type JsonFeedSite = Pick<SiteSettings, "url" | "title" | "description" | "language" | "timezone" | "tagAuthority">;

/** A JSON Feed author. */
export interface JsonFeedAuthor {
  name: string;
  url?: string;
}

/** A JSON Feed item, as far as Broadsheet fills it. */
export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  summary?: string;
  content_html: string;
  image?: string;
  date_published: string;
  date_modified: string;
  authors?: JsonFeedAuthor[];
  tags?: string[];
}

/** A JSON Feed 1.1 document. */
export interface JsonFeed {
  version: "https://jsonfeed.org/version/1.1";
  title: string;
  description: string;
  home_page_url: string;
  feed_url: string;
  next_url?: string;
  language: string;
  favicon: string;
  authors: JsonFeedAuthor[];
  items: JsonFeedItem[];
}

/** Where the feed lives and which page it belongs to. */
export interface JsonFeedSpec {
  /** Site path of the JSON file, e.g. `/feed.json`. */
  url: string;
  /** What the feed follows, e.g. a topic's name; empty for the site's main feed. */
  title: string;
  /** The HTML page the feed belongs to, e.g. `/`. */
  pageUrl: string;
  items: readonly JsonFeedArticle[];
  /** Site path of the document with the next (older) items: the archive chain, as JSON Feed pagination. */
  nextUrl?: string | undefined;
}

/**
 * The JSON Feed of `feed`. Item ids are the Atom entries' `tag:` URIs, so a reader that switches
 * format sees no article twice; unsigned articles inherit the feed's author, the newsroom.
 */
export function jsonFeed(feed: JsonFeedSpec, site: JsonFeedSite, topicName: (topic: string) => string = (topic) => topic): JsonFeed {
  return {
    version: "https://jsonfeed.org/version/1.1",
    title: feed.title === "" ? site.title : `${site.title}: ${feed.title}`,
    description: site.description,
    home_page_url: absoluteSiteUrl(feed.pageUrl, site.url),
    feed_url: absoluteSiteUrl(feed.url, site.url),
    ...(feed.nextUrl !== undefined && { next_url: absoluteSiteUrl(feed.nextUrl, site.url) }),
    language: site.language,
    favicon: absoluteSiteUrl("/favicon.svg", site.url),
    authors: [{ name: site.title, url: absoluteSiteUrl("/", site.url) }],
    items: feed.items.map((article) => {
      const url = absoluteSiteUrl(article.url, site.url);
      const authors = article.data.authors ?? [];
      const topics = article.data.topics ?? [];
      return {
        id: article.id,
        url,
        title: article.data.title,
        ...(article.data.dek !== undefined && { summary: article.data.dek }),
        content_html: article.contentHtml,
        ...(article.image !== undefined && { image: article.image }),
        date_published: formatIsoDate(article.data.date, site.timezone),
        date_modified: formatIsoDate(article.data.updated ?? article.data.date, site.timezone),
        ...(authors.length > 0 && { authors: authors.map((name) => ({ name, url: absoluteSiteUrl(authorUrl(name), site.url) })) }),
        ...(topics.length > 0 && { tags: [...new Set(topics.map((topic) => topicName(topic)))] }),
      };
    }),
  };
}
