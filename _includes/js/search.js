// @ts-check
// The /search/ page: Pagefind's JS API behind the page's own form, filters and sort, with the whole state in the URL.
// Everything from the index (titles, excerpts, filter values) is added as text nodes, never parsed as live HTML.
// The page's mutable state lives in one object, `session`; everything else is fixed once the page has loaded.
import {
  FACETS,
  PAGE_SIZE,
  activeFilterCount,
  emptyFilters,
  facetEntries,
  isActive,
  pagefindFilters,
  pagefindSort,
  queryWords,
  readState,
  statusText,
  writeState,
} from "./search-state.js";
import { firstBundle, openArchive } from "./search-bundles.js";

/** @typedef {import("./search-state.js").Facet} Facet */
/** @typedef {import("./search-state.js").SearchState} SearchState */
/** @typedef {import("./search-bundles.js").PagefindResult} PagefindResult */
/** @typedef {import("./search-bundles.js").PagefindData} PagefindData */
/** @typedef {import("./search-bundles.js").Archive} Archive */
/** @typedef {import("./search-bundles.js").Bundle} Bundle */
/** @typedef {import("./search-bundles.js").PagefindModule} PagefindModule */
/** @typedef {import("./search-bundles.js").Hit} Hit */

/** Facet values listed before the "Show all" button. */
const FACET_PREVIEW = 8;
/** Pause after the last keystroke before searching, so typing stays smooth. */
const TYPING_DELAY_MS = 250;
/** Result links carry the words in this parameter; article pages highlight them (`search-highlight.js`). */
const HIGHLIGHT_PARAM = "pagefind-highlight";
/** Shown when the index cannot be loaded or searched. */
const UNAVAILABLE = "Search is not available right now. The archive, topic and author pages list every article.";
/** Facet names as the chips show them. */
const FACET_LABELS = /** @type {Record<Facet, string>} */ ({ topic: "Topic", author: "Author", section: "Section", year: "Year" });

/**
 * The element with `id`, which the search page's template always has.
 * @template {HTMLElement} E
 * @param {string} id
 * @param {new () => E} type
 * @returns {E}
 */
function byId(id, type) {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`the search page has no #${id}`);
  return found;
}

const root = byId("search", HTMLElement);
const form = byId("search-form", HTMLFormElement);
const input = byId("search-q", HTMLInputElement);
const sortSelect = byId("search-sort", HTMLSelectElement);
const statusLine = byId("search-status", HTMLElement);
const list = byId("search-results", HTMLOListElement);
const moreButton = byId("search-more", HTMLButtonElement);
const clearButton = byId("search-clear", HTMLButtonElement);
const toggle = byId("search-filters-toggle", HTMLButtonElement);
const facetsPanel = byId("search-facets", HTMLElement);
const showButton = byId("search-show", HTMLButtonElement);
const chips = byId("search-chips", HTMLUListElement);
const headerBox = /** @type {HTMLInputElement | null} */ (document.getElementById("site-search"));
const locale = document.documentElement.lang || "en";
const count = new Intl.NumberFormat(locale);
const format = (/** @type {number} */ value) => count.format(value);

// The archive's Pagefind bundles, oldest first (one unless the archive is large): see search-bundles.js. Opened at
// once so the index loads while the page settles. Metadata fields are searched too (Pagefind ≥ 1.5): the headline and
// dek lift a page, the thumbnail's file name and the dateline must not.
const bundles = /** @type {Bundle[]} */ (JSON.parse(root.dataset.bundles ?? "[]"));
const initial = readState(location.search);
const archiveReady = openArchive(
  bundles,
  {
    highlightParam: HIGHLIGHT_PARAM,
    excerptLength: 28,
    ranking: { metaWeights: { title: 5, dek: 2.5, authors: 1, section: 0.5, image_alt: 0.5, image: 0, date: 0, date_iso: 0 } },
  },
  (url) => import(url),
  firstBundle(
    bundles,
    queryWords(initial.q, locale).length > 0,
    pagefindFilters(initial.filters),
    pagefindSort(initial.sort, queryWords(initial.q, locale).length > 0),
  ),
);

/**
 * Everything on the page that changes.
 * @type {{
 *   state: SearchState,
 *   generation: number,
 *   typingEntry: boolean,
 *   typingTimer: number,
 *   hits: Hit[],
 *   shown: number,
 *   total: number,
 *   browseNext: number | null,
 *   expanded: Set<Facet>,
 *   facetCounts: Partial<Record<Facet, Record<string, number>>>,
 *   facetsDrawn: number,
 * }}
 * `generation` is bumped by every search, so a slower earlier search never overwrites a newer one; `typingEntry` is
 * true while the current history entry belongs to the words being typed (typing replaces it rather than adding
 * entries); `hits` are the results found so far in display order, `total` how many there are in all and `browseNext`
 * the next bundle to read when browsing every article (null when none is left); `expanded` the facets whose full list
 * of values is open; `facetCounts` the counts last drawn per facet, to redraw one on "Show all"; `facetsDrawn` the
 * generation whose counts the facets show (0: none yet).
 */
const session = {
  state: initial,
  generation: 0,
  typingEntry: false,
  typingTimer: 0,
  hits: [],
  shown: 0,
  total: 0,
  browseNext: null,
  expanded: new Set(),
  facetCounts: {},
  facetsDrawn: 0,
};

/**
 * Creates an element with a class and optional text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} className
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Turns Pagefind's excerpt (text with `<mark>` around matched words) into text and `<mark>` nodes only.
 * It is parsed in an inert document, where nothing loads or runs; only its text and marks are kept.
 * @param {string} html
 * @returns {Node[]}
 */
function markedText(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  return [...parsed.body.childNodes].map((node) =>
    node.nodeName === "MARK" ? el("mark", "search-result__mark", node.textContent ?? "") : document.createTextNode(node.textContent ?? ""),
  );
}

/**
 * The headline as text, with a `<mark>` on each of its words that begins with a searched word (Pagefind matches
 * words by their beginning, so "harbour" finds "Harbours").
 * @param {string} text
 * @param {string[]} terms searched words, as {@link queryWords} gives them
 * @returns {Node[]}
 */
function markedWords(text, terms) {
  /** @type {Node[]} */
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0].toLocaleLowerCase(locale);
    if (!terms.some((term) => word.startsWith(term))) continue;
    nodes.push(document.createTextNode(text.slice(last, match.index)), el("mark", "search-result__mark", match[0]));
    last = match.index + match[0].length;
  }
  nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/**
 * An http(s) URL for a thumbnail, resolved against the article's address; anything else is dropped.
 * @param {string} src
 * @param {string} articleUrl
 * @returns {string | null}
 */
function imageUrl(src, articleUrl) {
  const base = new URL(articleUrl, location.href);
  if (!URL.canParse(src, base)) return null;
  const url = new URL(src, base);
  return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
}

/**
 * One result: section, linked headline, excerpt (or dek), byline, date and thumbnail.
 * @param {PagefindData} data
 * @param {string[]} words the searched words this article holds
 */
function resultItem(data, words) {
  const { meta } = data;
  const item = el("li", "search-result");
  const body = el("div", "search-result__body");
  if (meta.section) body.append(el("p", "search-result__section", meta.section));
  const heading = el("h3", "search-result__title");
  // Headlines and excerpts may be Hebrew or Arabic: let each paragraph take its own direction.
  heading.dir = "auto";
  const link = el("a", "search-result__link");
  link.append(...markedWords(meta.title || data.url, words));
  // The article highlights the words this result holds (not the others: it has none of them to mark).
  const url = new URL(data.raw_url ?? data.url, location.href);
  for (const word of words) url.searchParams.append(HIGHLIGHT_PARAM, word);
  link.href = `${url.pathname}${url.search}`;
  heading.append(link);
  body.append(heading);
  const marked = words.length > 0 && data.excerpt.includes("<mark>");
  const excerptText = marked ? "" : meta.dek || "";
  if (marked || excerptText) {
    const excerpt = el("p", "search-result__excerpt");
    excerpt.dir = "auto";
    if (marked) excerpt.append(...markedText(data.excerpt));
    else excerpt.textContent = excerptText;
    body.append(excerpt);
  }
  if (meta.authors || meta.date) {
    const line = el("p", "search-result__meta");
    if (meta.authors) line.append(el("span", "search-result__authors", meta.authors));
    if (meta.authors && meta.date) line.append(" · ");
    if (meta.date) {
      const time = el("time", "search-result__date", meta.date);
      if (meta.date_iso) time.dateTime = meta.date_iso;
      line.append(time);
    }
    body.append(line);
  }
  item.append(body);
  const src = meta.image ? imageUrl(meta.image, data.url) : null;
  if (src) {
    const image = el("img", "search-result__image");
    image.src = src;
    image.alt = meta.image_alt ?? "";
    image.loading = "lazy";
    image.decoding = "async";
    item.append(image);
  }
  return item;
}

/** Puts the state into the controls: words, sort, the Filters button's count and the chips of the active filters. */
function controlsFromState() {
  const { state } = session;
  input.value = state.q;
  sortSelect.value = state.sort;
  if (headerBox) headerBox.value = state.q;
  const active = activeFilterCount(state.filters);
  toggle.textContent = active === 0 ? "Filters" : `Filters (${format(active)})`;
  clearButton.hidden = active === 0;
  chips.hidden = active === 0;
  chips.replaceChildren(
    ...FACETS.flatMap((facet) =>
      state.filters[facet].map((value) => {
        const chip = el("button", "search__chip", `${FACET_LABELS[facet]}: ${value}`);
        chip.type = "button";
        chip.dataset.facet = facet;
        chip.dataset.value = value;
        chip.setAttribute("aria-label", `Remove filter ${FACET_LABELS[facet]}: ${value}`);
        chip.append(el("span", "search__chip-x", "×"));
        /** @type {HTMLElement} */ (chip.lastChild).setAttribute("aria-hidden", "true");
        const item = el("li", "search__chips-item");
        item.append(chip);
        return item;
      }),
    ),
  );
}

/**
 * Opens or closes the filters panel. Its counts are drawn only while it is open (see {@link drawFacets}), so opening
 * it draws those of the current search unless they are drawn already.
 * @param {boolean} open
 */
function showFilters(open) {
  facetsPanel.hidden = !open;
  toggle.setAttribute("aria-expanded", String(open));
  if (open && session.facetsDrawn !== session.generation) void refreshFacets();
}

/** Draws the facets of the current search (the filters panel was opened); says so on the page if that fails. */
async function refreshFacets() {
  const current = session.generation;
  facetsPanel.setAttribute("aria-busy", "true");
  try {
    await drawFacets(await archiveReady, searchTerm(session.state.q), current);
  } catch (error) {
    statusLine.textContent = UNAVAILABLE;
    facetsPanel.removeAttribute("aria-busy");
    console.error(error);
  }
}

/** The words typed as Pagefind searches them, or null when there are none (browsing by filters or date). @param {string} q */
function searchTerm(q) {
  const query = q.trim();
  return queryWords(query, locale).length === 0 ? null : query;
}

/**
 * Draws one facet's values with their counts, keeping focus on the box the reader was using.
 * @param {Facet} facet
 * @param {Record<string, number> | undefined} counts
 */
function renderFacet(facet, counts) {
  const fieldset = /** @type {HTMLFieldSetElement} */ (root.querySelector(`.facet[data-facet="${facet}"]`));
  const ul = /** @type {HTMLUListElement} */ (fieldset.querySelector(".facet__list"));
  const more = /** @type {HTMLButtonElement} */ (fieldset.querySelector(".facet__more"));
  const focused =
    document.activeElement instanceof HTMLInputElement && ul.contains(document.activeElement) ? document.activeElement.value : null;
  session.facetCounts[facet] = counts;
  const entries = facetEntries(facet, counts, session.state.filters[facet], locale);
  const open = session.expanded.has(facet);
  const visible = open ? entries : entries.filter((entry, index) => index < FACET_PREVIEW || entry.selected);
  ul.replaceChildren(
    ...visible.map((entry, index) => {
      const li = el("li", "facet__item");
      const box = el("input", "facet__box");
      box.type = "checkbox";
      box.id = `facet-${facet}-${index}`;
      box.name = facet;
      box.value = entry.value;
      box.checked = entry.selected;
      box.setAttribute("form", form.id);
      const label = el("label", "facet__label", entry.value);
      label.htmlFor = box.id;
      label.append(" ", el("span", "facet__count", count.format(entry.count)));
      li.append(box, label);
      return li;
    }),
  );
  fieldset.hidden = entries.length === 0;
  more.hidden = entries.length <= FACET_PREVIEW;
  more.setAttribute("aria-expanded", String(open));
  more.textContent = open ? "Show fewer" : `Show all ${count.format(entries.length)}`;
  if (focused !== null) {
    const again = [...ul.querySelectorAll("input")].find((box) => box.value === focused);
    again?.focus();
  }
}

/**
 * Adds the next page of results to the list, reading the next bundle first when browsing needs it; returns false if
 * a newer search took over meanwhile.
 * @param {number} current the generation of the search being drawn
 */
async function showMore(current) {
  const archive = await archiveReady;
  while (session.hits.length < session.shown + PAGE_SIZE && session.browseNext !== null) {
    const browsed = await archive.browse(
      /** @type {import("./search-bundles.js").DateSort} */ (pagefindSort(session.state.sort, false)),
      session.browseNext,
    );
    if (current !== session.generation) return false;
    session.hits.push(...browsed.results.map((result) => ({ result, words: [] })));
    session.browseNext = browsed.next;
  }
  const page = session.hits.slice(session.shown, session.shown + PAGE_SIZE);
  const data = await Promise.all(page.map((hit) => hit.result.data()));
  if (current !== session.generation) return false;
  list.append(...data.map((entry, i) => resultItem(entry, page[i]?.words ?? [])));
  session.shown += page.length;
  moreButton.hidden = session.shown >= session.total;
  return true;
}

/** Runs the search the state describes; if the index cannot be loaded or searched, says so on the page and in the console. */
async function run() {
  try {
    await draw();
  } catch (error) {
    statusLine.textContent = UNAVAILABLE;
    list.removeAttribute("aria-busy");
    facetsPanel.removeAttribute("aria-busy");
    console.error(error);
  }
}

/** Searches as the state describes and draws the status and first page of results, then the facets. */
async function draw() {
  const current = ++session.generation;
  const { state } = session;
  list.setAttribute("aria-busy", "true");
  if (!facetsPanel.hidden) facetsPanel.setAttribute("aria-busy", "true");
  const archive = await archiveReady;
  if (current !== session.generation) return;
  const query = state.q.trim();
  const words = queryWords(query, locale);
  const term = searchTerm(query);
  const filters = pagefindFilters(state.filters);
  const sort = pagefindSort(state.sort, term !== null);
  session.hits = [];
  session.shown = 0;
  session.browseNext = null;
  let withAll = 0;
  if (!isActive(state)) {
    session.total = 0;
    list.replaceChildren();
    moreButton.hidden = true;
    statusLine.textContent = "Type words to search for, choose a topic, author, section or year, or sort by date to list every article.";
  } else {
    if (term === null && Object.keys(filters).length === 0) {
      // Every article by date: the total is known from the bundle plan, and bundles are read as the pages need them.
      session.total = bundles.reduce((sum, bundle) => sum + bundle.articles, 0);
      session.browseNext = 0;
    } else {
      const found = await archive.search(term, words, { filters, sort });
      if (current !== session.generation) return;
      session.hits = found.hits;
      session.total = found.hits.length;
      withAll = found.withAll;
    }
    list.replaceChildren();
    if (!(await showMore(current))) return;
    statusLine.textContent = statusText(
      { total: session.total, withAll, words, query, order: state.sort, hasWords: term !== null },
      format,
    );
  }
  showButton.textContent = session.total === 1 ? "Show 1 result" : `Show ${format(session.total)} results`;
  list.removeAttribute("aria-busy");
  if (!facetsPanel.hidden) await drawFacets(archive, term, current);
}

/**
 * Draws every facet's values with their counts. A facet's counts leave out its own choices (values within a facet add
 * up, facets narrow), so each facet with choices gets its own search; the others share one. Only while the filters
 * panel is open: the filter lists are most of what a search downloads (on a large archive more than a page of
 * results), and a closed panel shows no count, so a search with the panel closed loads none of them.
 * @param {Archive} archive @param {string | null} term @param {number} current
 */
async function drawFacets(archive, term, current) {
  const { state } = session;
  const words = queryWords(state.q, locale);
  await archive.filters();
  const shared = archive.counts(term, words, pagefindFilters(state.filters));
  const counts = await Promise.all(
    FACETS.map(
      async (facet) =>
        (await (state.filters[facet].length === 0 ? shared : archive.counts(term, words, pagefindFilters(state.filters, facet))))[facet],
    ),
  );
  if (current !== session.generation) return;
  FACETS.forEach((facet, index) => renderFacet(facet, counts[index]));
  session.facetsDrawn = current;
  facetsPanel.removeAttribute("aria-busy");
}

/**
 * Makes `next` the state: records it in the URL and searches. `push` adds a history entry; `replace` updates the
 * current one.
 * @param {"push" | "replace"} mode
 * @param {SearchState} next
 */
function commit(mode, next) {
  session.state = next;
  const url = `${location.pathname}${writeState(next)}`;
  if (url !== `${location.pathname}${location.search}`) {
    if (mode === "push") history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }
  controlsFromState();
  return run();
}

/**
 * The current state with other filters (the words as typed in the box).
 * @param {Record<Facet, string[]>} filters
 * @returns {SearchState}
 */
const withFilters = (filters) => ({ ...session.state, q: input.value, filters });

input.addEventListener("input", () => {
  clearTimeout(session.typingTimer);
  session.typingTimer = window.setTimeout(() => {
    // The first pause in a burst of typing makes a new entry; later pauses refine it, so Back skips the half-typed words.
    void commit(session.typingEntry ? "replace" : "push", { ...session.state, q: input.value });
    session.typingEntry = true;
  }, TYPING_DELAY_MS);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(session.typingTimer);
  session.typingEntry = false;
  void commit("push", { ...session.state, q: input.value });
});
root.addEventListener("change", (event) => {
  const target = event.target;
  if (target === sortSelect) {
    session.typingEntry = false;
    const sort = ["newest", "oldest"].includes(sortSelect.value) ? /** @type {"newest" | "oldest"} */ (sortSelect.value) : "relevance";
    void commit("push", { ...session.state, q: input.value, sort });
  } else if (target instanceof HTMLInputElement && target.classList.contains("facet__box")) {
    session.typingEntry = false;
    const facet = /** @type {Facet} */ (target.name);
    const filters = { ...session.state.filters, [facet]: session.state.filters[facet].filter((value) => value !== target.value) };
    if (target.checked) filters[facet].push(target.value);
    void commit("push", withFilters(filters));
  }
});
root.addEventListener("click", (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  const more = target.closest(".facet__more");
  const chip = /** @type {HTMLElement | null} */ (target.closest(".search__chip"));
  if (more) {
    const facet = /** @type {Facet} */ (/** @type {HTMLElement} */ (more.closest(".facet")).dataset.facet);
    if (session.expanded.has(facet)) session.expanded.delete(facet);
    else session.expanded.add(facet);
    renderFacet(facet, session.facetCounts[facet]);
  } else if (chip) {
    const facet = /** @type {Facet} */ (chip.dataset.facet);
    const filters = { ...session.state.filters, [facet]: session.state.filters[facet].filter((value) => value !== chip.dataset.value) };
    session.typingEntry = false;
    void commit("push", withFilters(filters));
    (chips.querySelector("button") ?? toggle).focus();
  }
});
toggle.addEventListener("click", () => showFilters(facetsPanel.hidden));
showButton.addEventListener("click", () => {
  showFilters(false);
  list.focus();
});
clearButton.addEventListener("click", () => {
  session.typingEntry = false;
  void commit("push", withFilters(emptyFilters()));
  input.focus();
});
moreButton.addEventListener("click", () => {
  const first = session.shown;
  showMore(session.generation)
    .then((drawn) => {
      if (drawn) /** @type {HTMLElement | null} */ (list.children[first]?.querySelector("a"))?.focus();
    })
    .catch((error) => {
      statusLine.textContent = UNAVAILABLE;
      console.error(error);
    });
});
window.addEventListener("popstate", () => {
  clearTimeout(session.typingTimer);
  session.typingEntry = false;
  session.state = readState(location.search);
  controlsFromState();
  void run();
});

root.hidden = false;
controlsFromState();
if (!input.value && !isActive(session.state)) input.focus();
void run();
