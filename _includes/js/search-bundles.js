// @ts-check
// Searching every Pagefind bundle of the archive through one Pagefind runtime. A large archive is indexed in date
// ranges (one bundle each, oldest first, see src/search/shards.ts). Pagefind's script is published once, in the newest
// bundle (src/search/output.ts removes the other copies); it starts with the bundle the page's first search needs
// and downloads the WebAssembly from there; every other bundle is added to that runtime with Pagefind's `mergeIndex`,
// which shares the WebAssembly, when a search first needs it. Each bundle is tagged with a synthetic `bundle` filter
// (`mergeFilter`) so one bundle can be searched on its own.
//
// Relevance: each bundle scores its pages with its own word statistics (BM25), so the scores are brought to the whole
// archive's statistics before the bundles' results are merged (rankAcrossBundles; what remains different from a single
// index is in the README, "How search scales"). Pagefind's own merged search is not used for this: it sorts by the
// uncorrected scores, and by score even when a date sort was asked for. Date sorts are exact: the bundles are date
// ranges that do not overlap, so each bundle is searched in the asked order and the answers are joined bundle after
// bundle.

/** The synthetic filter that names a page's bundle (never shown to readers). */
export const BUNDLE_FILTER = "bundle";

/** @typedef {Record<string, Record<string, number>>} FilterCounts */
/**
 * One result as Pagefind gives it.
 * @typedef {{ id: string, score: number, words: number[], data(): Promise<PagefindData> }} PagefindResult
 * @typedef {{ url: string, raw_url?: string, excerpt: string, content: string, meta: Record<string, string | undefined>, filters: Record<string, string[]> }} PagefindData
 */
/**
 * A search's answer, as Pagefind gives it.
 * @template {{ score: number }} [R=PagefindResult]
 * @typedef {{ results: R[], unfilteredResultCount: number, filters: FilterCounts, totalFilters: FilterCounts }} Search
 */
/** @typedef {Record<string, { any: string[] }>} Filters */
/** @typedef {{ date: "asc" | "desc" }} DateSort */
/** @typedef {{ filters?: Filters, sort?: DateSort }} SearchOptions */
/**
 * The parts of Pagefind's module API used here.
 * @typedef {{
 *   options(options: object): Promise<void>,
 *   mergeIndex(url: string, options: object): Promise<void>,
 *   search(term: string | null, options: object): Promise<Search>,
 *   filters(): Promise<FilterCounts>,
 * }} PagefindModule
 */
/**
 * One bundle of the index, as the search page lists it.
 * @typedef {{ url: string, years: string[] | null, articles: number }} Bundle
 * `years`: the years its articles are from (null for the one bundle of a small archive: every year).
 */

/**
 * Adds up filter counts of several bundles, value by value, leaving out the synthetic bundle filter.
 * @param {readonly FilterCounts[]} counts
 * @returns {FilterCounts}
 */
export function mergeCounts(counts) {
  /** @type {FilterCounts} */
  const merged = {};
  for (const bundle of counts) {
    for (const [filter, values] of Object.entries(bundle)) {
      if (filter === BUNDLE_FILTER) continue;
      const into = (merged[filter] ??= {});
      for (const [value, count] of Object.entries(values)) into[value] = (into[value] ?? 0) + count;
    }
  }
  return merged;
}

/**
 * The bundles a search must read: with a year filter and no words, those holding a chosen year (filters narrow each
 * other, so no other bundle can hold a result); otherwise every bundle. Words need every bundle even with a year
 * filter: a single index weighs a word by the whole archive, and falls back to shorter words only where the whole
 * archive lacks it (see `locate` in {@link openArchive}).
 * @param {readonly Bundle[]} bundles oldest first
 * @param {boolean} hasWords
 * @param {Filters} filters
 * @returns {Bundle[]}
 */
export function bundlesFor(bundles, hasWords, filters) {
  const years = filters.year?.any;
  if (hasWords || !years) return [...bundles];
  return bundles.filter((bundle) => bundle.years === null || bundle.years.some((year) => years.includes(year)));
}

/**
 * The bundle a page's first search reads first, which then carries the Pagefind runtime: for every article or a
 * year's, the first bundle in the asked date order; otherwise the newest.
 * @param {readonly Bundle[]} bundles oldest first
 * @param {boolean} hasWords
 * @param {Filters} filters
 * @param {DateSort | undefined} sort
 * @returns {Bundle | undefined}
 */
export function firstBundle(bundles, hasWords, filters, sort) {
  const wanted = bundlesFor(bundles, hasWords, filters);
  return sort?.date === "asc" && !hasWords ? wanted[0] : wanted.at(-1);
}

/**
 * Pagefind's inverse document frequency (BM25's, kept positive), of a word found on `containing` of `pages` pages.
 * @param {number} pages
 * @param {number} containing
 */
export function idf(pages, containing) {
  return Math.log((pages - containing + 0.5) / (containing + 0.5) + 1);
}

/**
 * Ranks the results of several bundles as one index would, as far as Pagefind's answers allow. A page's score is a
 * sum over the query's words of (inverse document frequency × term frequency); each bundle computed the frequencies
 * against its own pages, so each word's part of a page's score is scaled by (the word's frequency over the whole
 * archive ÷ over its bundle). A word's part comes from a search for that word alone, so the scale is applied to the
 * whole query's score in proportion (which keeps any boost Pagefind adds for the query as a whole). What cannot be
 * corrected from outside Pagefind: the average page length (BM25's length normalisation) is still the bundle's, and a
 * word matching several indexed words ("harbour": "harbour", "harbours") is counted as one.
 * @template {{ id: string, score: number }} R
 * @param {readonly { bundle: string, results: readonly R[] }[]} perBundle the whole query, bundle by bundle
 * @param {readonly { scores: ReadonlyMap<string, number>, containing: Readonly<Record<string, number>> }[]} perWord
 * each word's scores by page id (within its own bundle) and the number of pages holding it in each bundle
 * @param {Readonly<Record<string, number>>} pages pages in each bundle
 * @returns {{ result: R, bundle: string, score: number }[]} highest score first (ties keep bundle order)
 */
export function rankAcrossBundles(perBundle, perWord, pages) {
  const total = Object.values(pages).reduce((sum, count) => sum + count, 0);
  const ratios = perWord.map((word) => {
    const containing = Object.values(word.containing).reduce((sum, count) => sum + count, 0);
    const overall = idf(total, containing);
    /** @type {Record<string, number>} */
    const byBundle = {};
    for (const bundle of Object.keys(pages)) {
      const local = idf(pages[bundle] ?? 0, word.containing[bundle] ?? 0);
      byBundle[bundle] = local > 0 ? overall / local : 1;
    }
    return byBundle;
  });
  const ranked = perBundle.flatMap(({ bundle, results }) =>
    results.map((result) => {
      let local = 0;
      let scaled = 0;
      perWord.forEach((word, i) => {
        const part = word.scores.get(result.id) ?? 0;
        local += part;
        scaled += part * (ratios[i]?.[bundle] ?? 1);
      });
      return { result, bundle, score: local > 0 ? (result.score * scaled) / local : result.score };
    }),
  );
  return ranked.sort((a, b) => b.score - a.score);
}

/**
 * A result to show, with the searched words its page holds (its article highlights those).
 * @template [R=PagefindResult]
 * @typedef {{ result: R, words: string[] }} Hit
 */
/**
 * What a search found: every hit in display order (for several words, those holding all of them first), how many hold
 * every word, and the filter counts over all of them.
 * @typedef {{ hits: Hit[], withAll: number, filters: FilterCounts }} Found
 */

/**
 * Puts the hits holding every word first, each group in the order given.
 * @template {{ id: string }} R
 * @param {readonly R[]} results
 * @param {readonly string[]} words
 * @param {readonly ReadonlySet<string>[]} holders for each word, the ids of the results holding it
 * @returns {{ hits: Hit<R>[], withAll: number }}
 */
export function allWordsFirst(results, words, holders) {
  const hits = results.map((result) => ({ result, words: words.filter((_, i) => holders[i]?.has(result.id) ?? false) }));
  const all = hits.filter((hit) => hit.words.length === words.length);
  return { hits: [...all, ...hits.filter((hit) => hit.words.length < words.length)], withAll: all.length };
}

/**
 * The archive's index, searched as one. `search` finds what a query's words and filters ask for (its `words`: the
 * query's words as `queryWords` in search-state.js gives them); `counts` gives the same search's filter counts;
 * `filters` loads every filter's page lists; `browse` lists every article, a bundle at a time.
 * @typedef {{
 *   search(term: string | null, words: readonly string[], options?: SearchOptions): Promise<Found>,
 *   counts(term: string | null, words: readonly string[], filters: Filters): Promise<FilterCounts>,
 *   filters(): Promise<FilterCounts>,
 *   browse(sort: DateSort, from: number): Promise<{ results: PagefindResult[], next: number | null }>,
 * }} Archive
 */

/**
 * Loads Pagefind's script (published in the newest bundle) with `start` as its first index, which fetches the
 * WebAssembly from that bundle (every bundle has a copy; only one is downloaded), and returns the archive's search.
 * Other bundles are merged into that runtime when a search first needs them.
 * @param {readonly Bundle[]} bundles oldest first
 * @param {{ highlightParam: string, excerptLength: number, ranking: object }} options Pagefind options for every bundle
 * @param {(url: string) => Promise<PagefindModule>} load imports Pagefind's `pagefind.js`
 * @param {Bundle | undefined} [start] the bundle the first search reads (see {@link firstBundle}); the newest by default
 * @returns {Promise<Archive>}
 */
export async function openArchive(bundles, options, load, start = bundles.at(-1)) {
  const newest = bundles.at(-1);
  const primary = start;
  if (!newest || !primary) throw new Error("the search page lists no index bundle");
  // Every bundle, even the one of a small archive, is tagged, so one code path serves both.
  /** @param {Bundle} bundle */
  const tag = (bundle) => ({ mergeFilter: { [BUNDLE_FILTER]: bundle.url } });
  const pagefind = await load(`${newest.url}pagefind.js`);
  // `noWorker`: an archive search takes milliseconds, and a worker would cost a second copy of the script.
  await pagefind.options({ ...options, ...tag(primary), basePath: primary.url, noWorker: true });
  /** @type {Map<string, Promise<void>>} */
  const merged = new Map([[primary.url, Promise.resolve()]]);
  /** @param {readonly Bundle[]} wanted */
  const ready = (wanted) =>
    Promise.all(
      wanted.map((bundle) => {
        let merging = merged.get(bundle.url);
        if (!merging) {
          merging = pagefind.mergeIndex(bundle.url, { ...options, ...tag(bundle) });
          merged.set(bundle.url, merging);
        }
        return merging;
      }),
    );
  /**
   * One bundle's answer.
   * @param {string | null} term @param {Filters} filters @param {DateSort | undefined} sort @param {Bundle} bundle
   */
  const inBundle = (term, filters, sort, bundle) =>
    pagefind.search(term, { filters: { ...filters, [BUNDLE_FILTER]: { any: [bundle.url] } }, sort });
  /** @type {Record<string, number>} */
  const pages = Object.fromEntries(bundles.map((bundle) => [bundle.url, bundle.articles]));
  /**
   * Where a word is: the pages holding it in each bundle that truly holds it. Pagefind matches a word by its beginning,
   * and where its index has no word beginning so, it falls back to the longest indexed word the searched one begins
   * with ("i" for "iran"): across bundles that would answer "iran" with every "I" of a bundle that never mentions Iran.
   * A single index falls back only when the whole archive lacks the word, so here: when some bundle holds the word
   * exactly (a quoted search, which never falls back), only those bundles hold it (a bundle holding only longer words
   * that begin with it is missed: the residual), and otherwise every bundle's answer stands. Filters do not change
   * it, so it is worked out once per word.
   * @type {Map<string, Promise<Record<string, number>>>}
   */
  const located = new Map();
  /** @param {string} word @returns {Promise<Record<string, number>>} pages holding it, by bundle URL */
  const locate = (word) => {
    let found = located.get(word);
    if (!found) {
      found = (async () => {
        await ready(bundles);
        const exact = (await pagefind.search(`"${word}"`, {})).totalFilters[BUNDLE_FILTER] ?? {};
        const exactly = bundles.filter((bundle) => (exact[bundle.url] ?? 0) > 0);
        const urls = (exactly.length > 0 ? exactly : bundles).map((bundle) => bundle.url);
        const all = (await pagefind.search(word, { filters: { [BUNDLE_FILTER]: { any: urls } } })).totalFilters[BUNDLE_FILTER] ?? {};
        return Object.fromEntries(urls.map((url) => [url, all[url] ?? 0]));
      })();
      located.set(word, found);
    }
    return found;
  };
  /**
   * One word searched alone with the filters, in the bundles that hold it: its part of each page's score.
   * @param {string} word @param {Record<string, number>} containing from {@link locate} @param {Filters} filters
   */
  const wordAlone = (word, containing, filters) =>
    pagefind.search(word, { filters: { ...filters, [BUNDLE_FILTER]: { any: Object.keys(containing) } } });
  /**
   * The bundles (of `wanted`, in that order) holding every word, with where each word is.
   * @param {readonly string[]} words @param {readonly Bundle[]} wanted
   */
  const holdingAll = async (words, wanted) => {
    const containing = await Promise.all(words.map(locate));
    return { containing, complete: wanted.filter((bundle) => containing.every((counts) => (counts[bundle.url] ?? 0) > 0)) };
  };

  /** @type {Archive} */
  const archive = {
    async search(term, words, { filters = {}, sort } = {}) {
      const wanted = bundlesFor(bundles, term !== null, filters);
      await ready(wanted);
      const ordered = sort?.date === "desc" ? [...wanted].reverse() : wanted;
      // A bundle where one of the words is missing cannot answer for all of them.
      const { containing, complete } = await holdingAll(words, ordered);
      const searches = await Promise.all(complete.map((bundle) => inBundle(term, filters, sort, bundle)));
      const found = searches.reduce((sum, search) => sum + search.results.length, 0);
      if (found > 0 || words.length < 2) {
        // Relevance over several bundles: each word's part of the scores, to rescale them (rankAcrossBundles). A single
        // word's part is the whole score, so only several words are searched again one by one.
        const parts =
          sort || bundles.length === 1
            ? []
            : words.length === 1
              ? [searches.flatMap((search) => search.results)]
              : (await Promise.all(words.map((word, i) => wordAlone(word, containing[i] ?? {}, filters)))).map((search) => search.results);
        const results =
          parts.length === 0
            ? searches.flatMap((search) => search.results)
            : rankAcrossBundles(
                searches.map((search, i) => ({ bundle: complete[i]?.url ?? "", results: search.results })),
                parts.map((part, i) => ({
                  scores: new Map(part.map((result) => [result.id, result.score])),
                  containing: containing[i] ?? {},
                })),
                pages,
              ).map((ranked) => ranked.result);
        return {
          hits: results.map((result) => ({ result, words: [...words] })),
          withAll: results.length,
          filters: mergeCounts(searches.map((search) => search.filters)),
        };
      }
      // No page holds every word: the pages holding some, most words first, then by score (relevance) or in date order.
      // The filter counts add up each word's: exact for two words (no page holds both), and for three or more an
      // overcount by the pages that hold two of them.
      const perWord = await Promise.all(words.map((word, i) => wordAlone(word, containing[i] ?? {}, filters)));
      const holders = perWord.map((search) => new Set(search.results.map((result) => result.id)));
      /** @type {Map<string, PagefindResult>} */
      const union = new Map(perWord.flatMap((search) => search.results.map((result) => [result.id, result])));
      /** @type {Map<string, number>} */
      const rank = new Map();
      if (sort) {
        const listed = await Promise.all(ordered.map((bundle) => inBundle(null, filters, sort, bundle)));
        for (const result of listed.flatMap((search) => search.results)) if (union.has(result.id)) rank.set(result.id, rank.size);
      } else {
        for (const result of perWord.flatMap((search) => search.results)) rank.set(result.id, (rank.get(result.id) ?? 0) - result.score);
      }
      const heldBy = (/** @type {string} */ id) => holders.filter((held) => held.has(id)).length;
      const results = [...union.values()].sort((a, b) => heldBy(b.id) - heldBy(a.id) || (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
      return { ...allWordsFirst(results, words, holders), filters: mergeCounts(perWord.map((search) => search.filters)) };
    },
    // The same counts as `search`, from one search over the bundles holding every word (or, when no page holds every
    // word, one per word).
    async counts(term, words, filters) {
      const wanted = bundlesFor(bundles, term !== null, filters);
      await ready(wanted);
      const { containing, complete } = await holdingAll(words, wanted);
      const all =
        complete.length > 0
          ? await pagefind.search(term, { filters: { ...filters, [BUNDLE_FILTER]: { any: complete.map((bundle) => bundle.url) } } })
          : null;
      if (all && (all.results.length > 0 || words.length < 2)) return mergeCounts([all.filters]);
      if (words.length < 2) return {};
      return mergeCounts(
        (await Promise.all(words.map((word, i) => wordAlone(word, containing[i] ?? {}, filters)))).map((search) => search.filters),
      );
    },
    async filters() {
      await ready(bundles);
      return mergeCounts([await pagefind.filters()]);
    },
    // Every article in date order, one bundle at a time from `from` (a position in that order), so the first page
    // of "newest first" touches only the newest bundle.
    async browse(sort, from) {
      const ordered = sort.date === "desc" ? [...bundles].reverse() : [...bundles];
      const bundle = ordered[from];
      if (!bundle) return { results: [], next: null };
      await ready([bundle]);
      const search = await inBundle(null, {}, sort, bundle);
      return { results: search.results, next: from + 1 < ordered.length ? from + 1 : null };
    },
  };
  return archive;
}
