// The asset viewer's keyboard: ← the newer asset, → the older one (within the
// grid's filter, which the links carry), Esc back to the grid. The links do
// the same by mouse or Tab; nothing here is needed to use the page.
(function () {
  "use strict";
  var viewer = document.querySelector("[data-archive-viewer]");
  if (!viewer) {
    return;
  }

  function typingIn(target) {
    var name = (target && target.tagName) || "";
    // Players use the arrow keys to seek; forms use them to move the caret.
    return /^(INPUT|SELECT|TEXTAREA|BUTTON|VIDEO|AUDIO)$/.test(name) || (target && target.isContentEditable);
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link && link.getAttribute("href")) {
      window.location.href = link.getAttribute("href");
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || typingIn(event.target)) {
      return;
    }
    var handled = false;
    if (event.key === "ArrowLeft") {
      handled = follow("[data-viewer-newer]");
    } else if (event.key === "ArrowRight") {
      handled = follow("[data-viewer-older]");
    } else if (event.key === "Escape") {
      handled = follow("[data-viewer-grid]");
    }
    if (handled) {
      event.preventDefault();
    }
  });
})();
