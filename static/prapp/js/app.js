// Submit the language switcher as soon as a language is picked; the button
// stays for keyboards and for browsers without scripts.
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () {
    select.form.submit();
  });
});
