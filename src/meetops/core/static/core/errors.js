// The error boundary (core/boundary.py) answers a failed htmx request with the
// failure's real status (403, 404, 409, 422) and a flash fragment aimed at #main.
// htmx swaps no 4xx/5xx answer by default; this lets it swap ours, and keeps one
// such flash on the page rather than a pile of them.
document.addEventListener("htmx:beforeSwap", function (event) {
  var xhr = event.detail.xhr;
  if (xhr.status < 400 || !xhr.getResponseHeader("MeetOps-Error")) {
    return;
  }
  event.detail.shouldSwap = true;
  event.detail.isError = false;
  document.querySelectorAll("#main > [data-boundary]").forEach(function (old) {
    old.remove();
  });
});
