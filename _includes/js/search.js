// The /search/ page: Pagefind's JS API behind the page's own form, facets and sort, with the whole state in the URL.
// Everything from the index (titles, excerpts, filter values) is added as text nodes, never parsed as live HTML.
import {
  FACETS,
  PAGE_SIZE,
  SORTS,
  facetEntries,
  isActive,
  pagefindFilters,
  pagefindSort,
  readState,
  writeState,
} from "/search-state.js";
import { loadBundles } from "/search-bundles.js";

/** Facet values listed before the "Show all" button. */
const FACET_PREVIEW = 8;
/** Pause after the last keystroke before searching, so typing stays smooth. */
const TYPING_DELAY_MS = 250;
/** Result links carry the words in this parameter; article pages highlight them with Pagefind's highlighter. */
const HIGHLIGHT_PARAM = "pagefind-highlight";

const root = /** @type {HTMLElement} */ (document.getElementById("search"));
const form = /** @type {HTMLFormElement} */ (document.getElementById("search-form"));
const input = /** @type {HTMLInputElement} */ (document.getElementById("search-q"));
const sortSelect = /** @type {HTMLSelectElement} */ (document.getElementById("search-sort"));
const statusLine = /** @type {HTMLElement} */ (document.getElementById("search-status"));
const list = /** @type {HTMLOListElement} */ (document.getElementById("search-results"));
const moreButton = /** @type {HTMLButtonElement} */ (document.getElementById("search-more"));
const clearButton = /** @type {HTMLButtonElement} */ (document.getElementById("search-clear"));
const filtersPanel = /** @type {HTMLDetailsElement} */ (document.getElementById("search-filters"));
const facetsPanel = /** @type {HTMLElement} */ (document.getElementById("search-facets"));
const headerBox = /** @type {HTMLInputElement | null} */ (document.getElementById("site-search"));
const locale = document.documentElement.lang || "en";
const count = new Intl.NumberFormat(locale);

// The archive's Pagefind bundles, oldest first (one unless the archive is large): see search-bundles.js.
// Started at once so the index loads while the page settles. Metadata fields are searched too (Pagefind ≥ 1.5):
// the headline and dek lift a page, the thumbnail's file name and the dateline must not. Pagefind would run in a web
// worker, which costs a second copy of its script (~12 kB gzipped) and a round trip before the first result; an archive
// search takes milliseconds, so the page thread does it.
const bundles = /** @type {string[]} */ (JSON.parse(root.dataset.bundles ?? '["/pagefind/"]'));
const pagefindReady = loadBundles(bundles, {
  noWorker: true,
  highlightParam: HIGHLIGHT_PARAM,
  excerptLength: 28,
  ranking: { metaWeights: { title: 5, dek: 2.5, authors: 1, section: 0.5, image_alt: 0.5, image: 0, date: 0, date_iso: 0 } },
});

/** @type {Promise<Record<string, Record<string, number>>> | null} Every filter's page lists, loaded once. */
let filtersLoading = null;

/**
 * Loads the page lists of every filter (searches count only filters already loaded) and gives the counts over
 * all articles. On a large archive these weigh more than a page of results, so they load after the first results.
 * @param {{ filters(): Promise<Record<string, Record<string, number>>> }} pagefind
 */
function allFilters(pagefind) {
  filtersLoading ??= pagefind.filters();
  return filtersLoading;
}

/** Facets whose full list of values the reader has opened. */
const expanded = new Set();
let state = readState(location.search);
/** Bumped by every search, so a slower earlier search never overwrites a newer one. */
let generation = 0;
/** True while the current history entry belongs to the words being typed (typing replaces it rather than adding entries). */
let typingEntry = false;
/** @type {any[]} Pagefind results of the current search, in display order (Pagefind's own result type). */
let results = [];
let shown = 0;
let typingTimer = 0;
/** @type {Record<string, Record<string, number> | undefined>} Counts last drawn per facet, to redraw one facet on "Show all". */
let facetCounts = {};

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
 * @param {string} words
 * @returns {Node[]}
 */
function markedWords(text, words) {
  const terms = words.toLocaleLowerCase(locale).split(/\s+/).map((word) => word.replace(/[^\p{L}\p{N}]/gu, "")).filter(Boolean);
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
 * @param {{ url: string, raw_url?: string, excerpt: string, meta: Record<string, string | undefined> }} data
 * @param {boolean} hasWords
 */
function resultItem(data, hasWords) {
  const { meta } = data;
  const item = el("li", "search-result");
  const body = el("div", "search-result__body");
  if (meta.section) body.append(el("p", "search-result__section", meta.section));
  const heading = el("h3", "search-result__title");
  // Headlines and excerpts may be Hebrew or Arabic: let each paragraph take its own direction.
  heading.dir = "auto";
  const link = el("a", "search-result__link");
  link.append(...markedWords(meta.title || data.url, hasWords ? state.q : ""));
  // With words, Pagefind's URL carries them for highlighting on the article; without, it would carry an empty parameter.
  link.href = hasWords ? data.url : data.raw_url ?? data.url;
  heading.append(link);
  body.append(heading);
  const marked = hasWords && data.excerpt.includes("<mark>");
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

/** Reads the state from the controls: words, sort and ticked facet values. */
function stateFromControls() {
  const next = readState("");
  next.q = input.value;
  next.sort = SORTS.find((sort) => sort === sortSelect.value) ?? "relevance";
  for (const box of root.querySelectorAll(".facet input:checked")) {
    const checkbox = /** @type {HTMLInputElement} */ (box);
    const facet = /** @type {import("./search-state.js").Facet} */ (checkbox.name);
    next.filters[facet].push(checkbox.value);
  }
  return next;
}

/** Puts the state into the controls (facet boxes follow when the facets are drawn). */
function controlsFromState() {
  input.value = state.q;
  sortSelect.value = state.sort;
  if (headerBox) headerBox.value = state.q;
}

/**
 * Draws one facet's values with their counts, keeping focus on the box the reader was using.
 * @param {import("./search-state.js").Facet} facet
 * @param {Record<string, number> | undefined} counts
 */
function renderFacet(facet, counts) {
  const fieldset = /** @type {HTMLFieldSetElement} */ (root.querySelector(`.facet[data-facet="${facet}"]`));
  const ul = /** @type {HTMLUListElement} */ (fieldset.querySelector(".facet__list"));
  const more = /** @type {HTMLButtonElement} */ (fieldset.querySelector(".facet__more"));
  const focused = document.activeElement instanceof HTMLInputElement && ul.contains(document.activeElement) ? document.activeElement.value : null;
  facetCounts[facet] = counts;
  const entries = facetEntries(facet, counts, state.filters[facet], locale);
  const open = expanded.has(facet);
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

/** Adds the next page of results to the list; returns false if a newer search took over meanwhile. */
async function showMore(current) {
  const page = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(page.map((result) => result.data()));
  if (current !== generation) return false;
  const hasWords = state.q.trim() !== "";
  list.append(...data.map((entry) => resultItem(entry, hasWords)));
  shown += page.length;
  moreButton.hidden = shown >= results.length;
  return true;
}

/** The status line: how many articles, for which words, in which order. */
function describe(total) {
  const words = state.q.trim();
  const articles = total === 1 ? "1 article" : `${count.format(total)} articles`;
  if (total === 0) return words ? `No articles match “${words}” with these filters. Try fewer words or remove a filter.` : "No articles match these filters.";
  const order = state.sort === "oldest" ? ", oldest first" : state.sort === "newest" || !words ? ", newest first" : "";
  return words ? `${articles} for “${words}”${order}.` : `${articles}${order}.`;
}

/** Runs the search the state describes; says so on the page if the index cannot be loaded, and still reports the error. */
async function run() {
  try {
    await draw();
  } catch (error) {
    statusLine.textContent = "Search is not available right now. The archive, topic and author pages list every article.";
    list.removeAttribute("aria-busy");
    facetsPanel.removeAttribute("aria-busy");
    throw error;
  }
}

/** Searches as the state describes and draws the status and first page of results, then the facets. */
async function draw() {
  const current = ++generation;
  list.setAttribute("aria-busy", "true");
  facetsPanel.setAttribute("aria-busy", "true");
  const pagefind = await pagefindReady;
  if (current !== generation) return;
  const words = state.q.trim();
  const term = words === "" ? null : words;
  clearButton.hidden = !FACETS.some((facet) => state.filters[facet].length > 0);
  if (isActive(state)) {
    const search = await pagefind.search(term, { filters: pagefindFilters(state.filters), sort: pagefindSort(state.sort, term !== null) });
    if (current !== generation) return;
    results = search.results;
    shown = 0;
    list.replaceChildren();
    if (!(await showMore(current))) return;
    statusLine.textContent = describe(results.length);
  } else {
    results = [];
    shown = 0;
    list.replaceChildren();
    moreButton.hidden = true;
    statusLine.textContent = "Type words to search for, or choose a topic, author, section or year to list its articles.";
  }
  list.removeAttribute("aria-busy");
  await allFilters(pagefind);
  // A facet's counts leave out its own choices (values within a facet add up, facets narrow), so each facet with
  // choices gets its own search; the others share one. All of it runs on data already loaded.
  const shared = pagefind.search(term, { filters: pagefindFilters(state.filters) });
  const counts = await Promise.all(
    FACETS.map(async (facet) =>
      (await (state.filters[facet].length === 0 ? shared : pagefind.search(term, { filters: pagefindFilters(state.filters, facet) }))).filters[facet],
    ),
  );
  if (current !== generation) return;
  FACETS.forEach((facet, index) => renderFacet(facet, counts[index]));
  facetsPanel.removeAttribute("aria-busy");
}

/**
 * Records the controls' state in the URL and searches. `push` adds a history entry; `replace` updates the current one.
 * @param {"push" | "replace"} mode
 */
function commit(mode) {
  state = stateFromControls();
  const url = `${location.pathname}${writeState(state)}`;
  if (url !== `${location.pathname}${location.search}`) {
    if (mode === "push") history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }
  if (headerBox) headerBox.value = state.q;
  return run();
}

input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = window.setTimeout(() => {
    // The first pause in a burst of typing makes a new entry; later pauses refine it, so Back skips the half-typed words.
    commit(typingEntry ? "replace" : "push");
    typingEntry = true;
  }, TYPING_DELAY_MS);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  typingEntry = false;
  commit("push");
});
root.addEventListener("change", (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  if (target === sortSelect || target.classList.contains("facet__box")) {
    typingEntry = false;
    commit("push");
  }
});
root.addEventListener("click", (event) => {
  const more = /** @type {HTMLElement} */ (event.target).closest(".facet__more");
  if (!more) return;
  const facet = /** @type {HTMLElement} */ (more.closest(".facet")).dataset.facet;
  if (expanded.has(facet)) expanded.delete(facet);
  else expanded.add(facet);
  renderFacet(facet, facetCounts[facet]);
});
clearButton.addEventListener("click", () => {
  for (const box of root.querySelectorAll(".facet input:checked")) /** @type {HTMLInputElement} */ (box).checked = false;
  typingEntry = false;
  commit("push");
  input.focus();
});
moreButton.addEventListener("click", async () => {
  const first = shown;
  if (await showMore(generation)) /** @type {HTMLElement | null} */ (list.children[first]?.querySelector("a"))?.focus();
});
window.addEventListener("popstate", () => {
  clearTimeout(typingTimer);
  typingEntry = false;
  state = readState(location.search);
  controlsFromState();
  run();
});

// On narrow screens the filters start folded so the results come first.
if (window.matchMedia("(max-width: 55.99rem)").matches && !FACETS.some((facet) => state.filters[facet].length > 0)) filtersPanel.open = false;
root.hidden = false;
controlsFromState();
if (!input.value && !isActive(state)) input.focus();
run();
