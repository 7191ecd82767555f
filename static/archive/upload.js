// Upload page: files chosen or dropped on the box are sent one per request
// (XMLHttpRequest, so that each shows its own progress), two at a time; each
// line then says what became of its file: a link to the new asset, a warning
// when the archive already holds the same file, or why it was refused.
// Without this script the form posts all the files at once and the page lists
// the same results.
(function () {
  "use strict";
  var form = document.querySelector("[data-upload-form]");
  if (!form || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector("[data-drop-zone]");
  var summary = form.querySelector("[data-drop-summary]");
  var list = document.querySelector("[data-upload-list]");
  var heading = document.querySelector("[data-upload-heading]");
  var dropped = [];
  var PARALLEL = 2;

  function text(name) {
    return form.getAttribute("data-text-" + name) || "";
  }

  function chosen() {
    var files = dropped.slice();
    if (input && input.files) {
      for (var i = 0; i < input.files.length; i += 1) {
        files.push(input.files[i]);
      }
    }
    return files;
  }

  function showChosen() {
    if (!summary) {
      return;
    }
    var names = chosen().map(function (file) {
      return file.name;
    });
    summary.textContent = names.length ? text("chosen") + " " + names.join(", ") : "";
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content) {
      node.textContent = content;
    }
    return node;
  }

  function link(url, title) {
    var anchor = element("a", "", title);
    anchor.href = url;
    return anchor;
  }

  function row(file) {
    var item = element("li", "archive-upload-item");
    var name = element("span", "fw-semibold", file.name);
    var state = element("span", "archive-upload-state", text("waiting"));
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    item.appendChild(name);
    item.appendChild(document.createTextNode(" — "));
    item.appendChild(state);
    item.appendChild(bar);
    list.appendChild(item);
    return { item: item, name: name, state: state, bar: bar };
  }

  function finish(line, result) {
    line.bar.remove();
    if (result.ok) {
      line.item.classList.add("archive-upload-ok");
      line.name.replaceWith(link(result.url, result.title || line.name.textContent));
      line.state.textContent = text("done");
      if (result.duplicates && result.duplicates.length) {
        var warning = element("div", "small archive-upload-duplicate", text("duplicate") + " ");
        result.duplicates.forEach(function (other, index) {
          if (index) {
            warning.appendChild(document.createTextNode(", "));
          }
          warning.appendChild(link(other.url, other.title));
        });
        line.item.appendChild(warning);
      }
    } else {
      line.item.classList.add("archive-upload-failed");
      line.state.textContent = text("failed") + ": " + (result.error || text("network"));
    }
  }

  function send(file, line, done) {
    var data = new FormData(form);
    data.delete(input ? input.name : "files");
    data.append(input ? input.name : "files", file, file.name);
    var request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("action") || window.location.href);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    if (token) {
      request.setRequestHeader("X-CSRFToken", token.value);
    }
    line.state.textContent = text("uploading");
    request.upload.onprogress = function (event) {
      if (event.lengthComputable) {
        line.bar.value = Math.round((event.loaded / event.total) * 100);
      }
    };
    request.upload.onload = function () {
      line.bar.value = 100;
      line.state.textContent = text("processing");
    };
    request.onload = function () {
      var result;
      try {
        result = JSON.parse(request.responseText);
      } catch (error) {
        result = { ok: false, error: text("network") + " (" + request.status + ")" };
      }
      finish(line, result);
      done();
    };
    request.onerror = function () {
      finish(line, { ok: false, error: text("network") });
      done();
    };
    request.send(data);
  }

  function start(files) {
    var queue = files.map(function (file) {
      return { file: file, line: row(file) };
    });
    var running = 0;
    function next() {
      while (running < PARALLEL && queue.length) {
        var job = queue.shift();
        running += 1;
        send(job.file, job.line, function () {
          running -= 1;
          next();
        });
      }
    }
    next();
  }

  if (zone) {
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("archive-drop-over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("archive-drop-over");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      for (var i = 0; files && i < files.length; i += 1) {
        dropped.push(files[i]);
      }
      showChosen();
    });
  }
  if (input) {
    input.addEventListener("change", showChosen);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var files = chosen();
    if (!files.length) {
      if (summary) {
        summary.textContent = text("none");
      }
      return;
    }
    if (heading) {
      heading.hidden = false;
    }
    start(files);
    dropped = [];
    if (input) {
      input.value = "";
    }
    showChosen();
  });
})();
