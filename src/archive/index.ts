// Archive pages: date, topic, author and section listings with their indexes and feeds, plus per-article links.
import type { UserConfig } from "@11ty/eleventy";
import type { DateTime } from "luxon";
import { publishedArticles, type CollectionApi } from "../collections/index.ts";
import { barChart } from "./chart.ts";
import { loadDirectory } from "./directory.ts";
import {
  type ArchiveItem,
  type ArchiveModel,
  type ListingPage,
  type YearCount,
  authorUrl,
  buildArchiveModel,
  sectionUrl,
  topicUrl,
} from "./model.ts";

/** Articles per listing page. */
export const PAGE_SIZE = 20;
/** Articles per feed. */
export const FEED_SIZE = 50;
/** Related articles shown under an article. */
export const RELATED_COUNT = 5;
/** Articles per topic considered for an article's related links, half on each side of it in date (bounds the work per article). */
export const RELATED_CANDIDATES_PER_TOPIC = 50;

/** Settings for the archive plugin. */
export interface ArchivePluginOptions {
  now: DateTime;
  timezone: string;
  locale: string;
  /** Folder holding `authors.yaml` and `sections.yaml`. */
  dataDir: string;
  /** Where the model of each build is shared with other plugins. */
  ref: ArchiveModelRef;
}

/**
 * The archive model of the build under way, for the plugins that show what only the whole archive knows (a topic's
 * display spelling in the metadata and feeds). Passed to them as an option, so none reaches into another's filters.
 */
export class ArchiveModelRef {
  #model: ArchiveModel<ArchiveItem> | undefined;

  /** Called by the archive plugin once per build, when the collections are built. */
  set(model: ArchiveModel<ArchiveItem>): void {
    this.#model = model;
  }

  /** The model; pages render after the collections are built, so using it earlier is a bug. */
  get current(): ArchiveModel<ArchiveItem> {
    if (!this.#model) throw new Error("the archive model is used before the collections were built");
    return this.#model;
  }

  /** The display spelling of a topic (its most common spelling among published articles). */
  readonly topicName = (topic: string): string => this.current.topicName(topic);
}

/** A virtual page that is not an article: no article layout defaults, no collections. */
const pageDefaults = { eleventyExcludeFromCollections: true, tags: [] };

/**
 * Registers the `archive` collection (the model), `archiveListings` and `archiveFeeds` (arrays for
 * pagination), the listing and index pages, and filters for per-article links.
 */
export function registerArchive(eleventyConfig: UserConfig, options: ArchivePluginOptions): void {
  // One model per build: every collection and filter reads the same one.
  const models = new WeakMap<object, Promise<ArchiveModel<ArchiveItem>>>();
  const { ref } = options;
  const modelFor = (collectionApi: CollectionApi): Promise<ArchiveModel<ArchiveItem>> => {
    let model = models.get(collectionApi);
    if (!model) {
      model = (async () => {
        const directory = await loadDirectory(options.dataDir);
        const articles: ArchiveItem[] = publishedArticles(collectionApi, options);
        const built = buildArchiveModel(articles, {
          timezone: options.timezone,
          locale: options.locale,
          pageSize: PAGE_SIZE,
          feedSize: FEED_SIZE,
          relatedCount: RELATED_COUNT,
          relatedCandidatesPerTopic: RELATED_CANDIDATES_PER_TOPIC,
          authors: directory.authors,
          sections: directory.sections,
        });
        ref.set(built);
        return built;
      })();
      models.set(collectionApi, model);
    }
    return model;
  };
  const model = (): ArchiveModel<ArchiveItem> => ref.current;

  eleventyConfig.addCollection("archive", (api: CollectionApi) => modelFor(api));
  eleventyConfig.addCollection("archiveListings", async (api: CollectionApi) => (await modelFor(api)).listings);
  eleventyConfig.addCollection("archiveFeeds", async (api: CollectionApi) => (await modelFor(api)).feeds);

  eleventyConfig.addFilter("topicUrl", topicUrl);
  eleventyConfig.addFilter("authorUrl", authorUrl);
  eleventyConfig.addFilter("sectionUrl", sectionUrl);
  eleventyConfig.addFilter("topicName", (topic: string) => model().topicName(topic));
  eleventyConfig.addFilter("relatedArticles", (url: string) => model().related(url));
  eleventyConfig.addFilter("neighbours", (url: string) => model().neighbours(url));
  eleventyConfig.addFilter("yearChart", (years: readonly YearCount[]) =>
    barChart([...years].reverse().map((year) => ({ label: String(year.year), count: year.count }))),
  );

  eleventyConfig.addTemplate("listing.njk", "", {
    ...pageDefaults,
    layout: "layouts/listing.njk",
    pagination: { data: "collections.archiveListings", size: 1, alias: "listing", addAllPagesToCollections: false },
    permalink: (data: { listing: { url: string } }) => data.listing.url,
    eleventyComputed: {
      // Older pages are numbered from the oldest articles ("Iran, page 1" is Iran's oldest page); the first page has no number.
      title: (data: { listing: ListingPage<ArchiveItem> }) =>
        data.listing.isFirst ? data.listing.name : `${data.listing.name}, page ${data.listing.pageNumber}`,
    },
  });
  for (const [kind, url, title] of [
    ["topics", "/topics/", "Topics"],
    ["authors", "/authors/", "Authors"],
    ["sections", "/sections/", "Sections"],
  ] as const) {
    eleventyConfig.addTemplate(`${kind}-index.njk`, "", {
      ...pageDefaults,
      layout: "layouts/index.njk",
      permalink: url,
      title,
      indexKind: kind,
    });
  }
  eleventyConfig.addTemplate("archive-index.njk", "", {
    ...pageDefaults,
    layout: "layouts/archive.njk",
    permalink: "/archive/",
    title: "Archive",
  });
}
