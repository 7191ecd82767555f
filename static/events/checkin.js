// Check-in at the door: mark a guest present without reloading the page. Without
// scripts the same forms post and the page comes back with the search kept.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) {
    return;
  }
  document.querySelectorAll("form[data-checkin-mark]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      }).then(function (result) {
        var badge = document.createElement("span");
        badge.setAttribute("role", "status");
        badge.className = result.ok ? "badge text-bg-success p-2" : "badge text-bg-danger p-2";
        badge.textContent = result.ok ? result.data.message : result.data.error;
        form.replaceWith(badge);
      }).catch(function () {
        form.submit();  // fall back to the plain form post
      });
    });
  });
}());
