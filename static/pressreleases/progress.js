// The release page: live sending progress. Polls the progress endpoint every
// two seconds while messages are waiting, and updates the counters (the
// summary is an aria-live region). Without scripts, reloading shows the same.
(function () {
  "use strict";
  var section = document.querySelector("[data-progress-url]");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-progress-url");
  var region = section.querySelector("[data-progress-region]");
  var bar = section.querySelector("[data-progress-bar]");
  var INTERVAL = 2000;
  var failures = 0;

  function setCounts(container, counts) {
    if (!container || !counts) {
      return;
    }
    Object.keys(counts).forEach(function (key) {
      container.querySelectorAll('[data-progress-count="' + key + '"]').forEach(function (cell) {
        var text = String(counts[key]);
        if (cell.textContent !== text) {
          cell.textContent = text;
        }
      });
    });
  }

  function update(data) {
    setCounts(region, data);
    if (bar) {
      bar.max = Math.max(data.total || 0, 1);
      bar.value = (data.sent || 0) + (data.failed || 0);
    }
    var rows = data.distributions || {};
    Object.keys(rows).forEach(function (pk) {
      var row = section.querySelector('[data-progress-distribution="' + pk + '"]');
      setCounts(row, rows[pk]);
    });
    section.setAttribute("data-progress-active", data.waiting ? "1" : "0");
  }

  function poll() {
    if (section.getAttribute("data-progress-active") !== "1") {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        update(data);
        if (data.waiting) {
          window.setTimeout(poll, INTERVAL);
        }
      })
      .catch(function () {
        // A dropped connection or a restart: try a few more times, slower.
        failures += 1;
        if (failures < 5) {
          window.setTimeout(poll, INTERVAL * (failures + 1));
        }
      });
  }

  window.setTimeout(poll, INTERVAL);
}());
