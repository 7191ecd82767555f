// Keyboard triage of the monitoring inbox: j/k move between rows, x ticks the
// row, o or Enter opens it, r/i/n set its status (relevant, irrelevant, needs
// response) through the bulk form's address. The page works fully without this
// script: the bulk form and the links do the same by mouse or Tab.
(function () {
  "use strict";
  var table = document.querySelector("[data-inbox]");
  if (!table) {
    return;
  }
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-item]"));
  var bulkForm = document.querySelector("[data-inbox-bulk]");
  var live = document.getElementById("inbox-live");
  var statusKeys = { r: "relevant", i: "irrelevant", n: "needs_response" };
  var current = -1;

  function say(text) {
    if (live) {
      live.textContent = text;
    }
  }

  function focusRow(index) {
    if (!rows.length) {
      return;
    }
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (current >= 0 && rows[current]) {
      rows[current].classList.remove("inbox-current");
    }
    current = index;
    rows[current].classList.add("inbox-current");
    rows[current].focus();
  }

  function typingIn(target) {
    var name = (target && target.tagName) || "";
    if (name === "INPUT" && target.type === "checkbox") {
      return false;
    }
    return /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(name) || (target && target.isContentEditable);
  }

  function setStatus(row, status) {
    if (!bulkForm) {
      return;
    }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", bulkForm.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("items", row.getAttribute("data-item"));
    data.append("status", status);
    fetch(bulkForm.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (!result.ok) {
          say((result.body.errors || []).join(" "));
          return;
        }
        var badge = row.querySelector("[data-status]");
        if (badge && result.body.status) {
          badge.className = badge.className.replace(/monitoring-status-\S+/, "monitoring-status-" + result.body.status);
          badge.setAttribute("data-status", result.body.status);
          badge.textContent = result.body.status_label;
        }
        say(result.body.message || "");
        focusRow(rows.indexOf(row) + 1);
      })
      .catch(function () {
        say(table.getAttribute("data-error") || "");
      });
  }

  rows.forEach(function (row, index) {
    row.addEventListener("focus", function () {
      if (current !== index) {
        if (current >= 0 && rows[current]) {
          rows[current].classList.remove("inbox-current");
        }
        current = index;
        row.classList.add("inbox-current");
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typingIn(event.target)) {
      return;
    }
    var key = event.key;
    var row = current >= 0 ? rows[current] : null;
    if (key === "j") {
      focusRow(current + 1);
    } else if (key === "k") {
      focusRow(current < 0 ? 0 : current - 1);
    } else if (key === "x" && row) {
      var box = row.querySelector("input[type=checkbox]");
      if (box) {
        box.checked = !box.checked;
      }
    } else if ((key === "o" || (key === "Enter" && event.target === row)) && row) {
      window.location.href = row.getAttribute("data-url");
    } else if (statusKeys[key] && row && bulkForm) {
      setStatus(row, statusKeys[key]);
    } else {
      return;
    }
    event.preventDefault();
  });

  // Back from an item (…#item-12): the keyboard continues where it was.
  var match = /^#item-(\d+)$/.exec(window.location.hash);
  if (match) {
    var target = document.getElementById("item-" + match[1]);
    if (target) {
      focusRow(rows.indexOf(target));
    }
  }
})();
