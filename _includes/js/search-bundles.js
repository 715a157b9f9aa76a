// @ts-check
// Searching every Pagefind bundle of the archive through one Pagefind runtime. A large archive is indexed in date
// ranges (one bundle each, oldest first, see src/search/shards.ts). Pagefind's script is published once, in the newest
// bundle (src/search/output.ts removes the other copies). Each bundle is opened as an instance of that one script
// (`createInstance`) when a search first needs it, starting with the bundle the page's first search reads, and a search
// reads only the instances of the bundles it needs. Pagefind's `mergeIndex` is not used: a merged runtime runs every
// search in every merged index, so the per-bundle searches a ranked or date-sorted search needs cost (bundles)² index
// searches (6.7 s to a first result at 100,000 articles in 12 bundles, measured). A bundle has a second instance for
// the filter counts, opened with the filters panel: Pagefind counts every loaded filter value on every search, which
// made each search of a 10,000-article bundle about ten times slower once every filter was loaded. The instances share
// the script's one WebAssembly instance (its glue keeps the first it loads) and their downloads (shareDownloads).
//
// Relevance: each bundle scores its pages with its own word statistics (BM25), so the scores are brought to the whole
// archive's statistics before the bundles' results are merged (rankAcrossBundles; what remains different from a single
// index is in the README, "How search scales"). Pagefind's own merged search is not used for this either: it sorts by
// the uncorrected scores, and by score even when a date sort was asked for. Date sorts are exact: the bundles are date
// ranges that do not overlap, so each bundle is searched in the asked order and the answers are joined bundle after
// bundle.

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
 * The parts of a Pagefind instance used here: one bundle's index.
 * @typedef {{
 *   options(options: object): Promise<void>,
 *   search(term: string | null, options: object): Promise<Search>,
 *   filters(): Promise<FilterCounts>,
 * }} PagefindInstance
 */
/**
 * The part of Pagefind's module API used here.
 * @typedef {{ createInstance(options: object): PagefindInstance }} PagefindModule
 */
/**
 * One bundle of the index, as the search page lists it.
 * @typedef {{ url: string, years: string[] | null, articles: number }} Bundle
 * `years`: the years its articles are from (null for the one bundle of a small archive: every year).
 */
/**
 * Which of a bundle's two Pagefind instances (see the module comment): the one that finds results, or the one with every
 * filter loaded that counts them.
 * @typedef {"results" | "counts"} Purpose
 */

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
 * What a search found: every hit in display order (for several words, those holding all of them first), and how many
 * hold every word (the filter counts are {@link Archive.counts}).
 * @typedef {{ hits: Hit[], withAll: number }} Found
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
 * Several bundles' answers as one, as Pagefind's merged search joins its indexes': the results by score, highest first
 * (ties in the order given), the counts added up.
 * @param {readonly Search[]} searches
 * @returns {Search}
 */
export function joinSearches(searches) {
  return {
    results: searches.flatMap((search) => search.results).sort((a, b) => b.score - a.score),
    unfilteredResultCount: searches.reduce((sum, search) => sum + search.unfilteredResultCount, 0),
    filters: mergeCounts(searches.map((search) => search.filters)),
    totalFilters: mergeCounts(searches.map((search) => search.totalFilters)),
  };
}

/**
 * Makes the Pagefind instances' downloads of the same file one download. Each bundle's two instances read the same index
 * files, and each instance asks for the WebAssembly in its own bundle folder, where every bundle has a copy of one file
 * (one Pagefind version, the site's language). Pagefind names its other files by their content, so a file once
 * downloaded is the file: the first request for it goes out, and every later one gets a copy of its response. Requests
 * with a query (Pagefind's entry file, which it asks for afresh) and outside the bundle folders are left alone.
 * @param {readonly string[]} folders the bundle folders, absolute URLs ending in `/`
 */
function shareDownloads(folders) {
  /** @type {Map<string, Promise<Response>>} by URL; the WebAssembly by file name */
  const downloads = new Map();
  const fetchAsPage = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.search !== "" || !folders.some((folder) => url.href.startsWith(folder))) return fetchAsPage(input, init);
    const name = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
    const key = /^wasm\.[^/]+\.pagefind$/.test(name) ? name : url.href;
    let download = downloads.get(key);
    if (!download) {
      const started = fetchAsPage(input, init);
      downloads.set(key, started);
      // A failed download is tried again by the next request for it.
      started.catch(() => downloads.get(key) === started && downloads.delete(key));
      download = started;
    }
    return download.then((response) => response.clone());
  };
}

/**
 * Loads Pagefind's script (published in the newest bundle) and opens `start` first, which downloads the WebAssembly
 * from that bundle (every bundle has a copy; only one is downloaded), and returns the archive's search. Every other
 * instance (see the module comment: a bundle's results instance, and its counts instance) is opened when first needed,
 * once the first has loaded the WebAssembly (two instances loading it at once would each make one, and the script
 * keeps only the last).
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
  const pagefind = await load(`${newest.url}pagefind.js`);
  shareDownloads(bundles.map((bundle) => new URL(bundle.url, location.href).href));
  /** @param {Bundle} bundle @returns {Promise<PagefindInstance>} */
  const open = async (bundle) => {
    // `noWorker`: an archive search takes milliseconds, and a worker would cost a second copy of the script.
    const instance = pagefind.createInstance({ ...options, basePath: bundle.url, noWorker: true });
    // Waits for the index (and the WebAssembly) to load: Pagefind applies the ranking once it has.
    await instance.options({ ranking: options.ranking });
    return instance;
  };
  const first = open(primary);
  /** @type {Map<string, Promise<PagefindInstance>>} by purpose and bundle URL */
  const opened = new Map([[`results ${primary.url}`, first]]);
  /** @param {Bundle} bundle @param {Purpose} purpose */
  const instanceOf = (bundle, purpose) => {
    const key = `${purpose} ${bundle.url}`;
    let instance = opened.get(key);
    if (!instance) {
      instance = first.then(() => open(bundle));
      opened.set(key, instance);
    }
    return instance;
  };
  await first;
  /**
   * Recent answers, by bundle and query, most recently asked last. A search asks each bundle for the same answer more
   * than once (where its words are, then the results), and a reader's next search often repeats one (a filter ticked
   * and unticked). Only the last few queries' are kept: an answer to a common word holds thousands of results. An
   * answer's filter counts cover the filters its instance had loaded when it searched, so counts given before
   * {@link Archive.filters} loaded every filter are not given again after it (`filtersLoaded` is part of the key).
   * @type {Map<string, Promise<Search>>}
   */
  const answers = new Map();
  const answersKept = 6 * bundles.length;
  let filtersLoaded = false;
  /**
   * One bundle's answer, from its results instance unless `purpose` says otherwise.
   * @param {string | null} term @param {Filters} filters @param {DateSort | undefined} sort @param {Bundle} bundle
   * @param {Purpose} [purpose]
   * @returns {Promise<Search>}
   */
  const inBundle = (term, filters, sort, bundle, purpose = "results") => {
    const key = JSON.stringify([purpose, bundle.url, term, filters, sort ?? null, filtersLoaded]);
    let answer = answers.get(key);
    if (answer) answers.delete(key);
    else {
      const asked = instanceOf(bundle, purpose).then((instance) => instance.search(term, { filters, sort }));
      // A failed search is asked again next time.
      asked.catch(() => answers.get(key) === asked && answers.delete(key));
      answer = asked;
    }
    answers.set(key, answer);
    for (const oldest of answers.keys()) {
      if (answers.size <= answersKept) break;
      answers.delete(oldest);
    }
    return answer;
  };
  /**
   * Each bundle's answer, in the order given.
   * @param {string | null} term @param {Filters} filters @param {DateSort | undefined} sort @param {readonly Bundle[]} wanted
   * @param {Purpose} [purpose]
   */
  const inEach = (term, filters, sort, wanted, purpose = "results") =>
    Promise.all(wanted.map((bundle) => inBundle(term, filters, sort, bundle, purpose)));
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
        const exact = await inEach(`"${word}"`, {}, undefined, bundles);
        const exactly = bundles.filter((_, i) => (exact[i]?.results.length ?? 0) > 0);
        const holding = exactly.length > 0 ? exactly : bundles;
        const all = await inEach(word, {}, undefined, holding);
        return Object.fromEntries(holding.map((bundle, i) => [bundle.url, all[i]?.results.length ?? 0]));
      })();
      located.set(word, found);
    }
    return found;
  };
  /**
   * One word searched alone with the filters, in the bundles that hold it: its part of each page's score (or, from the
   * counts instances, its filter counts).
   * @param {string} word @param {Record<string, number>} containing from {@link locate} @param {Filters} filters
   * @param {Purpose} [purpose]
   * @returns {Promise<Search>}
   */
  const wordAlone = async (word, containing, filters, purpose = "results") =>
    joinSearches(
      await inEach(
        word,
        filters,
        undefined,
        bundles.filter((bundle) => bundle.url in containing),
        purpose,
      ),
    );
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
      const ordered = sort?.date === "desc" ? [...wanted].reverse() : wanted;
      // A bundle where one of the words is missing cannot answer for all of them.
      const { containing, complete } = await holdingAll(words, ordered);
      // Once the filters panel has loaded every filter, a filtered search asks the counts instances, whose answers
      // the panel's counts then reuse (a filtered search loads filters into whichever instance it asks anyway); an
      // unfiltered one asks the results instances, several times faster than one counting every filter.
      const purpose = filtersLoaded && Object.keys(filters).length > 0 ? "counts" : "results";
      const searches = await inEach(term, filters, sort, complete, purpose);
      const found = searches.reduce((sum, search) => sum + search.results.length, 0);
      if (found > 0 || words.length < 2) {
        // Relevance over several bundles: each word's part of the scores, to rescale them (rankAcrossBundles). A single
        // word's part is the whole score, so only several words are searched again one by one.
        const parts =
          sort || bundles.length === 1
            ? []
            : words.length === 1
              ? [searches.flatMap((search) => search.results)]
              : (await Promise.all(words.map((word, i) => wordAlone(word, containing[i] ?? {}, filters, purpose)))).map(
                  (search) => search.results,
                );
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
        return { hits: results.map((result) => ({ result, words: [...words] })), withAll: results.length };
      }
      // No page holds every word: the pages holding some, most words first, then by score (relevance) or in date order.
      const perWord = await Promise.all(words.map((word, i) => wordAlone(word, containing[i] ?? {}, filters, purpose)));
      const holders = perWord.map((search) => new Set(search.results.map((result) => result.id)));
      /** @type {Map<string, PagefindResult>} */
      const union = new Map(perWord.flatMap((search) => search.results.map((result) => [result.id, result])));
      /** @type {Map<string, number>} */
      const rank = new Map();
      if (sort) {
        const listed = await inEach(null, filters, sort, ordered, purpose);
        for (const result of listed.flatMap((search) => search.results)) if (union.has(result.id)) rank.set(result.id, rank.size);
      } else {
        for (const result of perWord.flatMap((search) => search.results)) rank.set(result.id, (rank.get(result.id) ?? 0) - result.score);
      }
      const heldBy = (/** @type {string} */ id) => holders.filter((held) => held.has(id)).length;
      const results = [...union.values()].sort((a, b) => heldBy(b.id) - heldBy(a.id) || (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
      return allWordsFirst(results, words, holders);
    },
    // The counts of what `search` finds, from the bundles holding every word; when no page holds every word, each
    // word's added up: exact for two words (no page holds both), and for three or more an overcount by the pages that
    // hold two of them.
    async counts(term, words, filters) {
      const wanted = bundlesFor(bundles, term !== null, filters);
      const { containing, complete } = await holdingAll(words, wanted);
      const all = complete.length > 0 ? joinSearches(await inEach(term, filters, undefined, complete, "counts")) : null;
      if (all && (all.results.length > 0 || words.length < 2)) return all.filters;
      if (words.length < 2) return {};
      return mergeCounts(
        (await Promise.all(words.map((word, i) => wordAlone(word, containing[i] ?? {}, filters, "counts")))).map(
          (search) => search.filters,
        ),
      );
    },
    async filters() {
      const counts = mergeCounts(await Promise.all(bundles.map(async (bundle) => (await instanceOf(bundle, "counts")).filters())));
      filtersLoaded = true;
      return counts;
    },
    // Every article in date order, one bundle at a time from `from` (a position in that order), so the first page
    // of "newest first" touches only the newest bundle.
    async browse(sort, from) {
      const ordered = sort.date === "desc" ? [...bundles].reverse() : [...bundles];
      const bundle = ordered[from];
      if (!bundle) return { results: [], next: null };
      const search = await inBundle(null, {}, sort, bundle);
      return { results: search.results, next: from + 1 < ordered.length ? from + 1 : null };
    },
  };
  return archive;
}
