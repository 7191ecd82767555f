// Event form: suggestions for the "add a key participant" box, from the
// server, in any script. Without scripts the typed name is resolved on save.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-person-lookup]");
  if (!boxes.length || !window.fetch) {
    return;
  }
  boxes.forEach(function (box, index) {
    var url = box.getAttribute("data-person-lookup");
    var list = document.createElement("datalist");
    list.id = "person-suggestions-" + index;
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
