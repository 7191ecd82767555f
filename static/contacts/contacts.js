// Contacts pages: "select every row" boxes, and the live duplicate warning of
// the person form. Both are conveniences: the server does the real work.
(function () {
  "use strict";

  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      var name = box.getAttribute("data-select-all");
      box.form.querySelectorAll('input[type=checkbox][name="' + name + '"]')
        .forEach(function (row) { row.checked = box.checked; });
    });
  });

  var form = document.querySelector("form[data-duplicate-check]");
  if (!form || !window.fetch) {
    return;
  }
  var hint = document.getElementById("duplicate-hint");
  var timer = null;

  function check() {
    var params = new URLSearchParams();
    ["first_name", "last_name"].forEach(function (name) {
      var field = form.elements[name];
      if (field) { params.append(name, field.value); }
    });
    form.querySelectorAll('input[name^="emails-"][name$="-email"]').forEach(function (field) {
      if (field.value) { params.append("email", field.value); }
    });
    form.querySelectorAll('input[name^="phones-"][name$="-number"]').forEach(function (field) {
      if (field.value) { params.append("phone", field.value); }
    });
    fetch(form.getAttribute("data-duplicate-check") + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      hint.innerHTML = html;
    }).catch(function () { /* the server-side check still runs on save */ });
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name || "";
    if (/^(first_name|last_name)$|-(email|number)$/.test(name)) {
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    }
  });
}());

// Organisation name boxes: suggestions from the server as the user types, in
// any script. Without scripts the typed name is resolved on save.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-organisation-lookup]");
  if (!boxes.length || !window.fetch) {
    return;
  }
  boxes.forEach(function (box, index) {
    var url = box.getAttribute("data-organisation-lookup");
    var list = document.createElement("datalist");
    list.id = "organisation-suggestions-" + index;
    box.setAttribute("list", list.id);
    box.parentNode.appendChild(list);
    var timer = null;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(box.value), {
          credentials: "same-origin"
        }).then(function (response) {
          return response.ok ? response.json() : { results: [] };
        }).then(function (data) {
          list.replaceChildren.apply(list, data.results.map(function (item) {
            var option = document.createElement("option");
            option.value = item.name;
            return option;
          }));
        }).catch(function () { /* the name is still resolved on save */ });
      }, 200);
    });
  });
}());
