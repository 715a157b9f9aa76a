// Searching every Pagefind bundle of the archive as one index. A large archive is indexed in date ranges (one bundle
// each, oldest first, see src/search/shards.ts); each bundle is its own Pagefind instance, searched in parallel.
// Pagefind's own mergeIndex is not used: it re-sorts merged results by relevance score, even when a sort by date was
// asked for, which would shuffle "newest first". Here date-sorted results keep each bundle's order, bundle by bundle.

/** @typedef {Record<string, Record<string, number>>} FilterCounts */
/**
 * A search's answer, as Pagefind gives it.
 * @template {{ score: number }} [R={ score: number }]
 * @typedef {{ results: R[], unfilteredResultCount: number, filters: FilterCounts, totalFilters: FilterCounts }} Search
 */
/** @typedef {{ search(term: string | null, options: object): Promise<Search>, filters(): Promise<FilterCounts>, options(options: object): Promise<void> }} Pagefind */

/**
 * Adds up filter counts of several bundles, value by value.
 * @param {readonly FilterCounts[]} counts
 * @returns {FilterCounts}
 */
export function mergeCounts(counts) {
  /** @type {FilterCounts} */
  const merged = {};
  for (const bundle of counts) {
    for (const [filter, values] of Object.entries(bundle)) {
      const into = (merged[filter] ??= {});
      for (const [value, count] of Object.entries(values)) into[value] = (into[value] ?? 0) + count;
    }
  }
  return merged;
}

/**
 * One search over several bundles, given oldest bundle first. Sorted by date, the results come bundle after bundle
 * (newest bundle first for a descending sort), each in its bundle's own order; by relevance, by score (stable, so
 * equal scores keep the bundles' order).
 * @template {{ score: number }} R
 * @param {readonly Search<R>[]} searches
 * @param {Record<string, "asc" | "desc"> | undefined} sort
 * @returns {Search<R>}
 */
export function mergeSearches(searches, sort) {
  const direction = sort ? Object.values(sort)[0] : undefined;
  const ordered = direction === "desc" ? [...searches].reverse() : searches;
  const results = ordered.flatMap((search) => search.results);
  if (direction === undefined) results.sort((a, b) => b.score - a.score);
  return {
    results,
    unfilteredResultCount: searches.reduce((sum, search) => sum + search.unfilteredResultCount, 0),
    filters: mergeCounts(searches.map((search) => search.filters)),
    totalFilters: mergeCounts(searches.map((search) => search.totalFilters)),
  };
}

/**
 * Loads every bundle (its own `pagefind.js`, so each is a separate instance) with the same options, and searches them
 * as one. With a single bundle this is Pagefind itself.
 * @param {readonly string[]} bundles bundle folder URLs, oldest first, each ending in "/"
 * @param {object} options Pagefind options for every bundle
 * @returns {Promise<Pagefind>}
 */
export async function loadBundles(bundles, options) {
  const instances = await Promise.all(
    bundles.map(async (bundle) => {
      /** @type {Pagefind} */
      const pagefind = await import(`${bundle}pagefind.js`);
      await pagefind.options(options);
      return pagefind;
    }),
  );
  if (instances.length === 1) return /** @type {Pagefind} */ (instances[0]);
  return {
    async search(term, searchOptions) {
      const searches = await Promise.all(instances.map((pagefind) => pagefind.search(term, searchOptions)));
      return mergeSearches(searches, /** @type {{ sort?: Record<string, "asc" | "desc"> }} */ (searchOptions).sort);
    },
    async filters() {
      return mergeCounts(await Promise.all(instances.map((pagefind) => pagefind.filters())));
    },
    async options(more) {
      await Promise.all(instances.map((pagefind) => pagefind.options(more)));
    },
  };
}
