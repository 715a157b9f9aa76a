// The published archive of one read: the articles a build publishes as page items, newest first, with the model and
// the main feed's documents made from them, all before Eleventy renders a page. Every plugin reads this one object,
// and the build pipeline reads it too to tell which pages changed since the last build (`src/build/pages.ts`).
import path from "node:path";
import type { DateTime } from "luxon";
import type { ArticleItem } from "../articles/item.ts";
import { articlePath } from "../articles/permalink.ts";
import { newestFirst, published } from "../collections/index.ts";
import { type FeedDocument, splitFeed } from "../feeds/archive.ts";
import type { FeedMarkdown } from "../markdown/index.ts";
import { loadDirectory } from "./directory.ts";
import { type ArchiveModel, buildArchiveModel } from "./model.ts";
import type { CheckedArticle } from "../validation/index.ts";
import type { ArchiveRead, ArchiveSource } from "./source.ts";

/** Articles per listing page. */
export const PAGE_SIZE = 20;
/** Articles per feed. */
export const FEED_SIZE = 50;
/** Related articles shown under an article. */
export const RELATED_COUNT = 5;
/** Articles per topic considered for an article's related links, half on each side of it in date (bounds the work per article). */
export const RELATED_CANDIDATES_PER_TOPIC = 50;

/** Everything a build shows that depends on which articles are published. */
export interface PublishedArchive {
  /** The read it was made from. */
  read: ArchiveRead;
  /** The published articles, newest first. */
  articles: ArticleItem[];
  model: ArchiveModel<ArticleItem>;
  /** The main feed: its current document and one archive document per closed month (RFC 5005). */
  mainFeed: FeedDocument<ArticleItem>[];
}

/** What shapes the published archive. */
export interface PublishedOptions {
  /** Folder article file names are relative to. */
  cwd: string;
  /** Folder of `authors.yaml` and `sections.yaml`. */
  dataDir: string;
  now: DateTime;
  timezone: string;
  locale: string;
  /** The site's address, which the feeds' article bodies make their links absolute against. */
  siteUrl: string;
  /** Renders an article's body for the feeds, which carry it in full. */
  markdown: FeedMarkdown;
}

/**
 * A published article as listings, feeds and the search index read it. A class, not a plain object: Eleventy fills in
 * `templateContent` for plain objects with an `inputPath` found in any collection, and fails for an article whose page
 * this build takes from its page cache.
 */
class PublishedArticle implements ArticleItem {
  #content: string | undefined;

  constructor(
    readonly url: string,
    readonly inputPath: string,
    readonly data: ArticleItem["data"],
    private readonly render: () => string,
  ) {}

  /** The rendered body, made on first use: only feeds read it, and only for the articles they carry. */
  get content(): string {
    this.#content ??= this.render();
    return this.#content;
  }
}

/**
 * The page item of each published article in `read`, newest first. Its `content` (the rendered body, which only the
 * feeds read) is rendered on first use, so a build that takes an article's pages from the cache never renders it.
 */
export function publishedItems(
  read: ArchiveRead,
  options: Pick<PublishedOptions, "cwd" | "now" | "timezone" | "siteUrl" | "markdown"> & {
    /** The body of a checked article (`ArchiveSource.bodyOf`). */
    bodyOf: (checked: CheckedArticle) => string;
  },
): ArticleItem[] {
  const items = read.checked.flatMap((checked): ArticleItem[] => {
    const { file, article } = checked;
    if (!article) return [];
    const url = articlePath(article, options.timezone);
    return [
      new PublishedArticle(
        url,
        // The form Eleventy gives `page.inputPath`, so pictures resolve beside the file either way.
        `./${path.relative(options.cwd, path.resolve(options.cwd, file)).split(path.sep).join("/")}`,
        article,
        () => options.markdown.render(options.bodyOf(checked), new URL(url, options.siteUrl).href),
      ),
    ];
  });
  return newestFirst(published(items, options.now, options.timezone));
}

/**
 * The published archive of the source's current read, made once per read: `npm run build` makes it once, before
 * Eleventy starts; `npm start` again after each new read.
 */
export class Archive {
  readonly #made = new WeakMap<ArchiveRead, Promise<PublishedArchive>>();
  #current: PublishedArchive | undefined;

  constructor(
    readonly source: ArchiveSource,
    readonly options: PublishedOptions,
  ) {}

  /** The published archive of the source's current read. */
  load(): Promise<PublishedArchive> {
    const read = this.source.current;
    let made = this.#made.get(read);
    if (!made) {
      made = this.#make(read).then((archive) => {
        this.#current = archive;
        return archive;
      });
      this.#made.set(read, made);
    }
    return made;
  }

  /** The archive made by the last {@link load}; pages render after it, so using it earlier is a bug. */
  get current(): PublishedArchive {
    if (!this.#current || this.#current.read !== this.source.current) throw new Error("the published archive is used before it was made");
    return this.#current;
  }

  /** The display spelling of a topic (its most common spelling among published articles). */
  readonly topicName = (topic: string): string => this.current.model.topicName(topic);

  /** The lifetime identity of the published article at `url` (from the permalink plan), for feed entry ids. */
  readonly identityOf = (url: string): string => {
    const identity = this.current.read.plan.identities.get(url);
    if (identity === undefined) throw new Error(`feeds: ${url} is in a feed but is not a published article of this build`);
    return identity;
  };

  async #make(read: ArchiveRead): Promise<PublishedArchive> {
    const { options } = this;
    const articles = publishedItems(read, { ...options, bodyOf: (checked) => this.source.bodyOf(checked) });
    const directory = await loadDirectory(options.dataDir);
    const model = buildArchiveModel(articles, {
      timezone: options.timezone,
      locale: options.locale,
      pageSize: PAGE_SIZE,
      feedSize: FEED_SIZE,
      relatedCount: RELATED_COUNT,
      relatedCandidatesPerTopic: RELATED_CANDIDATES_PER_TOPIC,
      authors: directory.authors,
      sections: directory.sections,
    });
    const mainFeed = splitFeed(articles, { now: options.now, timezone: options.timezone, feedSize: FEED_SIZE });
    return { read, articles, model, mainFeed };
  }
}
