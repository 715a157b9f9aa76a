// Archive pages: date, topic, author and section listings with their indexes and feeds, plus per-article links.
import type { UserConfig } from "@11ty/eleventy";
import { barChart } from "./chart.ts";
import { type ArchiveItem, type ListingPage, type YearCount, authorUrl, sectionUrl, topicUrl } from "./model.ts";
import type { Archive } from "./published.ts";

export { FEED_SIZE, PAGE_SIZE, RELATED_CANDIDATES_PER_TOPIC, RELATED_COUNT } from "./published.ts";

/** Settings for the archive plugin. */
export interface ArchivePluginOptions {
  /** The published archive of the build under way. */
  archive: Archive;
  /**
   * Whether the page at a URL is rendered in this run; the build leaves out pages whose inputs have not changed
   * since a cached build (`src/build/pages.ts`) and takes them from its cache.
   */
  renders: (url: string) => boolean;
  /** Adds the topic, author, section and archive index pages (not in a render part, see `.eleventy.ts`). */
  indexPages: boolean;
}

/** A virtual page that is not an article: no article layout defaults, no collections. */
const pageDefaults = { eleventyExcludeFromCollections: true, tags: [] };

/**
 * Registers `collections.articles` (the published articles, newest first), the `archive` collection (the model), `archiveListings` (the listing pages this run renders, for
 * pagination), the listing and index pages, and filters for per-article links.
 */
export function registerArchive(eleventyConfig: UserConfig, options: ArchivePluginOptions): void {
  const { archive } = options;
  const model = () => archive.current.model;

  eleventyConfig.addCollection("articles", async () => (await archive.load()).articles);
  eleventyConfig.addCollection("archive", async () => (await archive.load()).model);
  eleventyConfig.addCollection("archiveListings", async () =>
    (await archive.load()).model.listings.filter((page) => options.renders(page.url)),
  );

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
      // An older page is titled by the days its articles span ("Iran, 28 June 2013 – 1 July 2013"); the first by the listing.
      title: (data: { listing: ListingPage<ArchiveItem> }) =>
        data.listing.isFirst ? data.listing.name : `${data.listing.name}, ${data.listing.span}`,
    },
  });
  if (!options.indexPages) return;
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
