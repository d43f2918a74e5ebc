// Application behaviour. No inline scripts anywhere: everything lives in static files.
(function () {
  "use strict";
  // Forms marked data-confirm ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Ctrl+Enter (Cmd+Enter on a Mac) submits forms marked data-ctrl-enter-submit, from any of their
  // fields: the session log and the minutes editor are written and saved without leaving the keyboard.
  // requestSubmit() goes through the submit event, so htmx forms post the htmx way.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) { return; }
    var form = event.target.closest && event.target.closest("form[data-ctrl-enter-submit]");
    if (form) {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });

  // When htmx replaces a form (a save, a refused save) while the keyboard was on a control without an
  // id (the save button), the focus would fall back to the top of the page: put it on the form's
  // message instead. A field with an id keeps the focus (htmx restores it).
  document.addEventListener("htmx:afterSwap", function (event) {
    var swapped = event.target;
    if (!swapped.matches || !swapped.matches("form[data-ctrl-enter-submit]")) { return; }
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) { return; }
    var message = swapped.querySelector("[data-focus-after-swap]");
    if (message) { message.focus(); }
  });
})();
