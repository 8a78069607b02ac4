// The sign-in desk (printing is core/meetops.js's [data-print]).
// - After each scan the field is emptied and focused again, so a hand-held
//   scanner (a keyboard that types the code and Enter) can go on scanning.
// - "Scan with the camera" (where the browser may use one: HTTPS or localhost)
//   loads jsQR, vendored from the npm registry at setup, only when tapped; each
//   code it reads is put in the field and sent like a scanner's.
(function () {
  "use strict";

  function scanInput() { return document.getElementById("scan-input"); }

  function refocus() {
    var input = scanInput();
    if (!input) return;
    input.value = "";
    var active = document.activeElement;
    // Leave the focus alone while staff type in another field (search, walk-in, undo reason).
    if (!active || active === document.body || active === input || active.tagName === "BUTTON") {
      input.focus({ preventScroll: true });
    }
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.target && event.target.id === "scan-form") refocus();
  });

  // The counts refresh every 10 s, except while staff type an undo reason or another
  // field inside them: the swap would wipe what they typed. (An hx-trigger filter would
  // say the same, but htmx evaluates filters as code, which the CSP forbids.)
  document.addEventListener("htmx:beforeRequest", function (event) {
    var live = event.detail.elt;
    if (!live || !live.hasAttribute || !live.hasAttribute("data-desk-live")) return;
    var active = document.activeElement;
    if (live.querySelector("details[open]") || (active && active !== document.body && live.contains(active))) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var camera = event.target.closest && event.target.closest("[data-camera]");
    if (camera) toggleCamera(camera);
  });

  // --- the camera --------------------------------------------------------------

  var stream = null;
  var lastCode = "";
  var lastAt = 0;
  var SAME_CODE_PAUSE_MS = 3000;

  function loadJsQR(src, done) {
    if (window.jsQR) return done();
    var script = document.createElement("script");
    script.src = src;
    script.onload = done;
    document.head.appendChild(script);
  }

  function toggleCamera(button) {
    var box = document.getElementById("camera");
    if (stream) return stopCamera(box);
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      box.hidden = false;
      box.querySelector("[data-camera-error]").hidden = false;
      return;
    }
    loadJsQR(button.getAttribute("data-jsqr"), function () {
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          box.hidden = false;
          var video = box.querySelector("video");
          video.srcObject = media;
          video.setAttribute("playsinline", "");
          video.play();
          requestAnimationFrame(function () { readFrame(video); });
        })
        .catch(function () {
          box.hidden = false;
          box.querySelector("[data-camera-error]").hidden = false;
        });
    });
  }

  function stopCamera(box) {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    box.hidden = true;
  }

  function readFrame(video) {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
      var canvas = document.createElement("canvas");
      var scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      if (found && found.data && (found.data !== lastCode || now - lastAt > SAME_CODE_PAUSE_MS)) {
        lastCode = found.data;
        lastAt = now;
        var input = scanInput();
        input.value = found.data;
        input.form.requestSubmit();
      }
    }
    setTimeout(function () { requestAnimationFrame(function () { readFrame(video); }); }, 150);
  }
})();
