// The inquiry desk: name boxes that suggest people and organisations from
// contacts, in any script. Without scripts the typed name is resolved on save.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-contact-lookup]");
  if (!boxes.length || !window.fetch) {
    return;
  }
  boxes.forEach(function (box, index) {
    var url = box.getAttribute("data-contact-lookup");
    var kind = box.getAttribute("data-contact-kind") || "person";
    var list = document.createElement("datalist");
    list.id = "contact-suggestions-" + index;
    box.setAttribute("list", list.id);
    box.parentNode.appendChild(list);
    var timer = null;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      if (box.value.trim().length < 2) {
        return;
      }
      timer = setTimeout(function () {
        var query = "?kind=" + encodeURIComponent(kind) + "&q=" + encodeURIComponent(box.value);
        fetch(url + query, { credentials: "same-origin" }).then(function (response) {
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
