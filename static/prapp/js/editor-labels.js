// Rich-text fields (release bodies, minutes): django-prose-editor's editable
// area (role="textbox") has no name of its own, as the field's <label for>
// points at the hidden textarea.
// Name it by that label, and give it the language of its version.
(function () {
  "use strict";
  function label() {
    document.querySelectorAll(".prose-editor").forEach(function (wrapper) {
      var textarea = wrapper.querySelector("textarea[id]");
      var editable = wrapper.querySelector("[contenteditable][role=textbox]");
      if (!textarea || !editable || editable.hasAttribute("aria-labelledby")) {
        return;
      }
      var text = document.querySelector('label[for="' + textarea.id + '"]');
      if (text) {
        if (!text.id) {
          text.id = textarea.id + "-label";
        }
        editable.setAttribute("aria-labelledby", text.id);
      }
      if (textarea.lang) {
        editable.setAttribute("lang", textarea.lang);
      }
    });
  }
  new MutationObserver(label).observe(document.body, { childList: true, subtree: true });
  label();
})();
