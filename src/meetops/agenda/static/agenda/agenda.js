/* Agenda editor: drag rows to reorder (HTML5 drag and drop), then let the server recompute the
   times (htmx swaps the editor). The ↑/↓ buttons do the same without a mouse. No inline script. */
(function () {
  "use strict";

  function idsOf(body) {
    return Array.prototype.map.call(body.querySelectorAll("tr[data-item-id]"), function (row) {
      return row.getAttribute("data-item-id");
    }).join(",");
  }

  function bind(root) {
    var bodies = root.querySelectorAll ? root.querySelectorAll("[data-agenda-sortable]") : [];
    Array.prototype.forEach.call(bodies, function (body) {
      if (body.getAttribute("data-bound")) { return; }
      body.setAttribute("data-bound", "1");
      var dragged = null;
      var before = "";

      body.addEventListener("dragstart", function (event) {
        var row = event.target.closest && event.target.closest("tr[data-item-id]");
        if (!row) { return; }
        dragged = row;
        before = idsOf(body);
        row.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.getAttribute("data-item-id"));
      });
      body.addEventListener("dragover", function (event) {
        if (!dragged) { return; }
        event.preventDefault();
        var row = event.target.closest && event.target.closest("tr[data-item-id]");
        if (!row || row === dragged) { return; }
        var box = row.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
      });
      body.addEventListener("drop", function (event) { event.preventDefault(); });
      body.addEventListener("dragend", function () {
        if (!dragged) { return; }
        dragged.classList.remove("dragging");
        dragged = null;
        var order = idsOf(body);
        if (order === before) { return; }
        window.htmx.ajax("POST", body.getAttribute("data-reorder-url"), {
          source: body, target: "#agenda-editor", swap: "outerHTML", values: { order: order }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:load", function (event) { bind(event.detail.elt); });
})();
