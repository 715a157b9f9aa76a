// @ts-check
// Search state for /search/: reads and writes the URL (?q=…&topic=…&sort=…) and turns it into Pagefind options.
// Plain ES module with no DOM access, so the browser page and the unit tests share one implementation.

/** The facets, in the order the page shows them; each is a Pagefind filter and a URL parameter of the same name. */
export const FACETS = /** @type {const} */ (["topic", "author", "section", "year"]);

/** The sort orders a reader can choose; `relevance` is the default and is left out of the URL. */
export const SORTS = /** @type {const} */ (["relevance", "newest", "oldest"]);

/** Results shown per "page" of results; more load on demand. */
export const PAGE_SIZE = 10;

/** Longest query kept from the URL or the box: longer text adds nothing to a search and only slows it. */
export const MAX_QUERY_LENGTH = 200;

/**
 * @typedef {"topic" | "author" | "section" | "year"} Facet
 * @typedef {"relevance" | "newest" | "oldest"} Sort
 * @typedef {{ q: string, sort: Sort, filters: Record<Facet, string[]> }} SearchState
 * @typedef {{ value: string, count: number, selected: boolean }} FacetEntry
 */

/**
 * An empty selection for every facet.
 * @returns {Record<Facet, string[]>}
 */
export function emptyFilters() {
  return { topic: [], author: [], section: [], year: [] };
}

/**
 * Reads the search state from a URL query string (`location.search`); unknown parameters are ignored,
 * repeated facet values are kept once, and an unknown sort falls back to relevance.
 * @param {string} search
 * @returns {SearchState}
 */
export function readState(search) {
  const params = new URLSearchParams(search);
  const filters = emptyFilters();
  for (const facet of FACETS) {
    filters[facet] = [
      ...new Set(
        params
          .getAll(facet)
          .map((value) => value.trim())
          .filter((value) => value !== ""),
      ),
    ];
  }
  const sort = params.get("sort");
  return {
    q: (params.get("q") ?? "").slice(0, MAX_QUERY_LENGTH),
    sort: sort === "newest" || sort === "oldest" ? sort : "relevance",
    filters,
  };
}

/**
 * Writes the state as a query string in a fixed order (q, facets, sort), leaving out empty parts,
 * so equal states always give equal URLs. Returns "" for the empty state, otherwise "?…".
 * @param {SearchState} state
 * @returns {string}
 */
export function writeState(state) {
  const params = new URLSearchParams();
  const q = state.q.trim();
  if (q !== "") params.append("q", q);
  for (const facet of FACETS) for (const value of state.filters[facet]) params.append(facet, value);
  if (state.sort !== "relevance") params.append("sort", state.sort);
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}

/**
 * True when the state asks for something: words to search for, at least one filter, or a date order (browse mode:
 * every article newest or oldest first).
 * @param {SearchState} state
 */
export function isActive(state) {
  return state.q.trim() !== "" || activeFilterCount(state.filters) > 0 || state.sort !== "relevance";
}

/**
 * How many filter values are chosen, over every facet.
 * @param {Record<Facet, string[]>} filters
 */
export function activeFilterCount(filters) {
  return FACETS.reduce((sum, facet) => sum + filters[facet].length, 0);
}

/**
 * The distinct words of a query, lower-cased without punctuation, as the index matches them (Pagefind drops
 * punctuation and matches a word by its beginning); words with no letter or digit (emoji, stray quotes) are left out.
 * @param {string} query
 * @param {string} locale
 * @returns {string[]}
 */
export function queryWords(query, locale) {
  const words = query
    .toLocaleLowerCase(locale)
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}]/gu, ""));
  return [...new Set(words.filter(Boolean))];
}

/**
 * The status line: how many articles, for which words, in which order, and whether any holds all of several words.
 * @param {{ total: number, withAll: number, words: string[], query: string, order: Sort, hasWords: boolean }} found
 * `withAll`: results holding every word (all of them, or none when no article holds every word); `query`: the words
 * as typed; `order`: the sort asked for.
 * @param {(count: number) => string} format
 * @returns {string}
 */
export function statusText(found, format) {
  const { total, withAll, words, query, order, hasWords } = found;
  const articles = (/** @type {number} */ count) => (count === 1 ? "1 article" : `${format(count)} articles`);
  const quoted = `“${query.trim()}”`;
  if (total === 0)
    return hasWords
      ? `No articles match ${quoted} with these filters. Try fewer words or remove a filter.`
      : "No articles match these filters.";
  const sorted = order === "oldest" ? ", oldest first" : order === "newest" || !hasWords ? ", newest first" : "";
  if (!hasWords) return `${articles(total)}${sorted}.`;
  if (words.length > 1 && withAll === 0)
    return `No article contains all of ${quoted}. ${articles(total)} contain some of the words${sorted}.`;
  return `${articles(total)} for ${quoted}${sorted}.`;
}

/**
 * Pagefind's `filters` option: any of the chosen values within a facet, all of the facets together.
 * `except` leaves one facet out, to count that facet's values against the other choices.
 * @param {Record<Facet, string[]>} filters
 * @param {Facet} [except]
 * @returns {Record<string, { any: string[] }>}
 */
export function pagefindFilters(filters, except) {
  /** @type {Record<string, { any: string[] }>} */
  const result = {};
  for (const facet of FACETS) {
    if (facet !== except && filters[facet].length > 0) result[facet] = { any: [...filters[facet]] };
  }
  return result;
}

/**
 * Pagefind's `sort` option. Without words relevance means nothing, so browsing lists the newest first.
 * @param {Sort} sort
 * @param {boolean} hasWords
 * @returns {{ date: "asc" | "desc" } | undefined}
 */
export function pagefindSort(sort, hasWords) {
  if (sort === "oldest") return { date: "asc" };
  if (sort === "newest" || !hasWords) return { date: "desc" };
  return undefined;
}

/**
 * The values to show for one facet: chosen values always (with a count of 0 if nothing matches),
 * then the others that still match something. Years run newest first; other facets by count, then name.
 * @param {Facet} facet
 * @param {Record<string, number> | undefined} counts
 * @param {readonly string[]} selected
 * @param {string} locale
 * @returns {FacetEntry[]}
 */
export function facetEntries(facet, counts, selected, locale) {
  const all = { ...counts };
  for (const value of selected) all[value] ??= 0;
  const collator = new Intl.Collator(locale, { numeric: true });
  return Object.entries(all)
    .map(([value, count]) => ({ value, count, selected: selected.includes(value) }))
    .filter((entry) => entry.selected || entry.count > 0)
    .sort((a, b) => (facet === "year" ? collator.compare(b.value, a.value) : b.count - a.count || collator.compare(a.value, b.value)));
}
