// Behaviours every page shares, bound by data attributes so that templates need no
// inline script or event handler attribute (the Content-Security-Policy forbids both,
// docs/adr/0012-csp-and-web-hardening.md).
// - [data-print]: prints the page.
// - form[data-confirm]: asks before submitting.
// - [data-autosubmit]: a field that submits its form when changed.
// - form[data-busy]: a slow action (filing an archive): once sent, its buttons are disabled
//   (no second click) and its [data-busy-note] shows that the work is under way.
// - table.stack: each cell without a data-label takes its column's heading, which the
//   stylesheet shows beside the value when a narrow screen turns the rows into cards.
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

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute || !form.hasAttribute("data-busy")) { return; }
    form.setAttribute("aria-busy", "true");
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) {
      // After this event: disabling the button now would drop its name/value from the post.
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-busy-note]"), function (note) {
      note.hidden = false;
    });
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.requestSubmit();
    }
  });

  function labelCells(root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("table.stack") : [];
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.tHead ? table.tHead.rows[0] : null;
      if (!heads) { return; }
      var labels = Array.prototype.map.call(heads.cells, function (th) { return th.textContent.trim(); });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          if (row.cells.length !== labels.length) { return; }  // a note spanning the row
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (labels[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", labels[i]); }
          });
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { labelCells(document); });
  document.addEventListener("htmx:afterSwap", function (event) { labelCells(document); });
})();
