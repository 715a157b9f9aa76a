// Starts Pagefind's UI on /search/ and runs the query given in the URL (?q=…), keeping the URL in step.
window.addEventListener("DOMContentLoaded", () => {
  const ui = new PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
    const box = document.getElementById("site-search");
    if (box) box.value = query;
  }
});
