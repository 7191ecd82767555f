// Live progress of a contacts import: asks the server how far the import is
// and moves the bar; reloads the page (which then shows the result) at the end.
// A static file, because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var status = box.querySelector("[data-status]");
  var processed = box.querySelector("[data-processed]");
  var total = box.querySelector("[data-total]");

  function show(data) {
    bar.max = Math.max(data.total, 1);
    bar.value = data.processed;
    bar.textContent = data.processed + " / " + data.total;
    if (status) { status.textContent = data.status_label; }
    if (processed) { processed.textContent = data.processed; }
    if (total) { total.textContent = data.total; }
  }

  function poll() {
    fetch(box.dataset.progressUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
