// Case-file pages: the session form's attendance rule and the file's tabs (Ctrl+Enter is in app.js).
// Loaded by the casework templates; no inline scripts (strict CSP).
(function () {
  "use strict";

  // Engagement is only scored for a session that took place: hide and clear it otherwise.
  // The server refuses engagement on other sessions anyway; this only keeps the form honest.
  function syncEngagement() {
    var attendance = document.getElementById("id_attendance");
    var group = document.getElementById("engagement-group");
    if (!attendance || !group) { return; }
    var attended = attendance.value === "attended";
    group.hidden = !attended;
    if (!attended) {
      group.querySelectorAll("input[type=radio]").forEach(function (radio) { radio.checked = radio.value === ""; });
    }
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "id_attendance") { syncEngagement(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    syncEngagement();
    // After a refused submit, put the keyboard where the problem is.
    var errors = document.getElementById("form-errors");
    var invalid = document.querySelector("form .is-invalid");
    if (errors) { errors.focus(); } else if (invalid) { invalid.focus(); }
  });

  // File tabs load with htmx; keep the active tab marked for sighted and screen-reader users.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".file-tabs .nav-link");
    if (!link) { return; }
    document.querySelectorAll(".file-tabs .nav-link").forEach(function (other) {
      var active = other === link;
      other.classList.toggle("active", active);
      other.setAttribute("aria-selected", active ? "true" : "false");
    });
    var panel = document.getElementById("tab-content");
    if (panel) { panel.setAttribute("aria-labelledby", link.id); }
  });
  // After the browser's back button restores an htmx URL, mark the tab that matches it.
  window.addEventListener("htmx:historyRestore", function () {
    document.querySelectorAll(".file-tabs .nav-link").forEach(function (link) {
      var active = link.getAttribute("href") === window.location.pathname;
      link.classList.toggle("active", active);
      link.setAttribute("aria-selected", active ? "true" : "false");
    });
  });
})();
