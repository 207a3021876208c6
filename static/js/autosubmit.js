/* Forms marked data-autosubmit apply a ticked filter at once; the submit button remains. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || !form.matches("[data-autosubmit]") || event.target.name === "q") return;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  });
})();
