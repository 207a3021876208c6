/* AliAdvisor catalog list: keep URLs pushed by htmx clean. The page works without this file. */
(function () {
  "use strict";

  // The search box refreshes while typing (its own trigger); its "change" on leaving must not
  // refresh again, or the late answer replaces results just ticked for comparison. Stopped
  // here rather than with an hx-trigger filter, which htmx evaluates as script (eval), and
  // the Content-Security-Policy allows no eval.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.name === "q" && field.closest && field.closest("#catalog-filter")) {
      event.stopPropagation();
    }
  }, true);

  // A plain form sends every field, so an htmx refresh would push /catalog/?q=&sort=&...
  // Empty values mean "any" on the server: drop them before the GET goes out, so the URL in
  // the address bar (the one people share) holds only the filters actually chosen.
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (!detail || detail.verb !== "get" || !detail.formData) return;
    var data = detail.formData;
    var all = [];
    data.forEach(function (value, key) { all.push([key, value]); });
    var kept = all.filter(function (pair) {
      return typeof pair[1] !== "string" || pair[1].trim() !== "";
    });
    if (kept.length === all.length) return;
    all.forEach(function (pair) { data.delete(pair[0]); });
    kept.forEach(function (pair) { data.append(pair[0], pair[1]); });
  });
})();

/* "Compare selected" stays disabled until enough entries are ticked (the server also says so). */
(function () {
  "use strict";

  function update() {
    document.querySelectorAll("[data-compare-submit]").forEach(function (button) {
      var form = button.form;
      if (!form) return;
      var ticked = document.querySelectorAll('input[name=p][form="' + form.id + '"]:checked').length;
      var enough = ticked >= Number(button.dataset.compareMin || 2);
      button.disabled = !enough;
      button.setAttribute("aria-disabled", enough ? "false" : "true");
    });
  }
  document.addEventListener("DOMContentLoaded", update);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "p") update();
  });
  document.addEventListener("htmx:afterSettle", update);
})();
