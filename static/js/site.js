/* AliAdvisor: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";

  // The language switch returns to the page as it is now (htmx may have pushed a new URL).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-lang-switch]")) return;
    var next = form.querySelector("input[name=next]");
    if (next) next.value = window.location.pathname + window.location.search;
  });

  // aria-busy on the region being refreshed, for assistive technology.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.target;
    if (target) target.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (target) target.setAttribute("aria-busy", "false");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var target = event.detail && event.detail.target;
    if (target && !event.detail.successful) target.setAttribute("aria-busy", "false");
  });

  // Filters start folded on narrow screens (they stay open without JavaScript).
  function foldFacets() {
    if (!window.matchMedia("(max-width: 800px)").matches) return;
    document.querySelectorAll("[data-facet-panel]").forEach(function (panel) {
      if (!panel.dataset.folded) {
        panel.open = false;
        panel.dataset.folded = "1";
      }
    });
  }
  document.addEventListener("DOMContentLoaded", foldFacets);

  // Keep the filter panel open on small screens after htmx replaced it while in use.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var old = document.querySelector("[data-facet-panel]");
    var incoming = event.detail && event.detail.fragment &&
      event.detail.fragment.querySelector && event.detail.fragment.querySelector("[data-facet-panel]");
    if (old && incoming) {
      incoming.open = old.open;
      incoming.dataset.folded = "1";
      if (!old.open) incoming.removeAttribute("open");
    }
  });
})();
