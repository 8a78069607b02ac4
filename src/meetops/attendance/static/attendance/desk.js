// The sign-in desk: after each scan the field is emptied and focused again, so a
// hand-held scanner (a keyboard that types the code and Enter) can go on scanning.
(function () {
  "use strict";
  function refocus() {
    var input = document.getElementById("scan-input");
    if (!input) return;
    input.value = "";
    var active = document.activeElement;
    // Leave the focus alone while staff type in another field (search, walk-in, undo reason).
    if (!active || active === document.body || active === input || active.tagName === "BUTTON") {
      input.focus();
    }
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.target && event.target.id === "scan-form") refocus();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) window.print();
  });
})();
