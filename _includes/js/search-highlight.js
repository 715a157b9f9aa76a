// @ts-check
// Inlined in article pages: marks the words a search result matched (?pagefind-highlight=word, once per word) in the
// article text, as the results list marks them: every word that begins with a searched word ("harbour" marks
// "Harbours"). Plain DOM, no request: an archive indexed in bundles has no single Pagefind folder to load a highlighter from.
{
  const terms = new URLSearchParams(location.search)
    .getAll("pagefind-highlight")
    .map((term) => term.toLocaleLowerCase().replace(/[^\p{L}\p{N}]/gu, ""))
    .filter(Boolean);
  const body = document.querySelector("[data-pagefind-body]");
  if (terms.length > 0 && body) {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement?.closest("[data-pagefind-ignore], script, style") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    /** @type {Text[]} */
    const texts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(/** @type {Text} */ (node));
    for (const text of texts) {
      const value = text.data;
      /** @type {Node[]} */
      const parts = [];
      let last = 0;
      for (const match of value.matchAll(/[\p{L}\p{N}]+/gu)) {
        const word = match[0].toLocaleLowerCase();
        if (!terms.some((term) => word.startsWith(term))) continue;
        const mark = document.createElement("mark");
        mark.className = "pagefind-highlight";
        mark.textContent = match[0];
        parts.push(document.createTextNode(value.slice(last, match.index)), mark);
        last = match.index + match[0].length;
      }
      if (parts.length > 0) text.replaceWith(...parts, document.createTextNode(value.slice(last)));
    }
  }
}
