// The people picker (people/_picker.html): a search box whose htmx suggestions add people as
// chips; the form's own field keeps the chosen user names, comma-separated, as before.
// Without this script the field stays visible and is typed into.
(function () {
  "use strict";

  function names(field) {
    return field.value.split(/[,，]/).map(function (n) { return n.trim(); }).filter(Boolean);
  }

  function chip(picker, username, label) {
    var item = document.createElement("li");
    item.setAttribute("data-username", username);
    item.appendChild(document.createTextNode(label + " "));
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link";
    remove.setAttribute("data-unpick", "");
    var word = picker.querySelector("[data-remove-label]");
    remove.setAttribute("aria-label", (word ? word.textContent : "Remove") + " " + label);
    remove.textContent = "×";
    item.appendChild(remove);
    return item;
  }

  function start(picker) {
    if (picker.hasAttribute("data-ready")) { return; }
    picker.setAttribute("data-ready", "");
    picker.querySelector("[data-picker-field]").hidden = true;
    picker.querySelector("[data-picker-search]").hidden = false;
  }

  function startAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-people-picker]"), start);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var picker = target.closest ? target.closest("[data-people-picker]") : null;
    if (!picker) { return; }
    var field = picker.querySelector("[data-picker-field] input");
    var pick = target.closest("[data-pick]");
    if (pick) {
      var username = pick.getAttribute("data-pick");
      var chosen = names(field);
      if (chosen.indexOf(username) === -1) {
        chosen.push(username);
        field.value = chosen.join(",");
        picker.querySelector("[data-picker-chips]").appendChild(
          chip(picker, username, pick.getAttribute("data-label"))
        );
      }
      var search = picker.querySelector("[data-picker-search]");
      search.value = "";
      picker.querySelector("[data-picker-results]").innerHTML = "";
      search.focus();
      return;
    }
    var unpick = target.closest("[data-unpick]");
    if (unpick) {
      var item = unpick.closest("li");
      var gone = item.getAttribute("data-username");
      field.value = names(field).filter(function (n) { return n !== gone; }).join(",");
      item.remove();
    }
  });

  // Enter in the search box picks the first suggestion instead of submitting the form.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.hasAttribute || !event.target.hasAttribute("data-picker-search")) { return; }
    event.preventDefault();
    var picker = event.target.closest("[data-people-picker]");
    var first = picker.querySelector("[data-picker-results] [data-pick]");
    if (first) { first.click(); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
