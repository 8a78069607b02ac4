// Behaviours every page shares, bound by data attributes so that templates need no
// inline script or event handler attribute (the Content-Security-Policy forbids both,
// docs/adr/0012-csp-and-web-hardening.md).
// - [data-print]: prints the page.
// - form[data-confirm]: asks before submitting.
// - [data-autosubmit]: a field that submits its form when changed.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : null;
    if (target && target.closest("[data-print]")) { window.print(); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.requestSubmit();
    }
  });
})();
