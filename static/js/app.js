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
})();
