// Inlined in article pages: marks the words of ?pagefind-highlight=… with Pagefind's highlighter, loaded only then.
if (new URLSearchParams(location.search).has("pagefind-highlight")) {
  import("/pagefind/pagefind-highlight.js").then(({ default: PagefindHighlight }) => new PagefindHighlight());
}
