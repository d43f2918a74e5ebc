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
  // The session form's domains and modules: one searchable control each (tom-select) instead of a Tab
  // stop per checkbox. Progressive enhancement: without scripts the multiple select itself posts the same
  // values. The words (remove, nothing found) come from the page, in the user's language.
  function searchableSelects() {
    if (typeof window.TomSelect !== "function") { return; }
    document.querySelectorAll("select[data-searchable]").forEach(function (select) {
      if (select.tomselect) { return; }
      var words = document.getElementById("searchable-words");
      var removeLabel = words ? words.dataset.remove : "";
      var noResults = words ? words.dataset.noResults : "";
      var control = new window.TomSelect(select, {
        plugins: { remove_button: { title: removeLabel, label: "×" } },
        maxOptions: null,
        // Filter at once: tom-select waits 300 ms by default, and Enter pressed sooner took the first
        // option of the unfiltered list.
        refreshThrottle: 0,
        hidePlaceholder: true,
        closeAfterSelect: false,
        // The most used choices stay first; a search keeps the best match on top.
        sortField: [{ field: "$score" }, { field: "$order" }],
        render: {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = noResults;
            return div;
          }
        },
        onItemAdd: function () { this.setTextboxValue(""); this.refreshOptions(false); }
      });
      // tom-select points the label at its own control; the hidden original keeps its name for the
      // accessibility tree through the label's id.
      var label = document.getElementById(select.id + "-ts-label");
      if (label) { select.setAttribute("aria-labelledby", label.id); }
      // The hint under the field keeps describing the control the keyboard lands on.
      var described = select.getAttribute("aria-describedby");
      if (described) { control.control_input.setAttribute("aria-describedby", described); }
      if (select.getAttribute("aria-invalid")) { control.control_input.setAttribute("aria-invalid", "true"); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    searchableSelects();
    syncEngagement();
    // After a refused submit, put the keyboard where the problem is.
    var errors = document.getElementById("form-errors");
    var invalid = document.querySelector("form .is-invalid");
    if (errors) { errors.focus(); } else if (invalid) {
      (invalid.tomselect ? invalid.tomselect.control_input : invalid).focus();
    }
  });

  // On a file, Alt+Shift+N opens the session form (the link says so, and carries aria-keyshortcuts).
  // A modifier combination: single-key shortcuts would fire while typing (WCAG 2.1.4).
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey || event.code !== "KeyN") { return; }
    var link = document.querySelector("a[data-shortcut-new-session]");
    if (link) { event.preventDefault(); window.location.assign(link.href); }
  });

  // File tabs load with htmx; keep the active tab marked for sighted and screen-reader users.
  // They follow the ARIA tabs pattern for the keyboard: only the active tab is a Tab stop, the arrow
  // keys (and Home/End) move between tabs, Enter or Space opens the focused one.
  function fileTabs() { return Array.prototype.slice.call(document.querySelectorAll(".file-tabs .nav-link")); }
  function syncTabStops() {
    fileTabs().forEach(function (link) { link.tabIndex = link.getAttribute("aria-selected") === "true" ? 0 : -1; });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".file-tabs .nav-link");
    if (!link) { return; }
    fileTabs().forEach(function (other) {
      var active = other === link;
      other.classList.toggle("active", active);
      other.setAttribute("aria-selected", active ? "true" : "false");
    });
    syncTabStops();
    var panel = document.getElementById("tab-content");
    if (panel) { panel.setAttribute("aria-labelledby", link.id); }
  });
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest(".file-tabs .nav-link");
    if (!tab || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var links = fileTabs(), index = links.indexOf(tab), next = null;
    if (event.key === "ArrowRight") { next = links[(index + 1) % links.length]; }
    else if (event.key === "ArrowLeft") { next = links[(index - 1 + links.length) % links.length]; }
    else if (event.key === "Home") { next = links[0]; }
    else if (event.key === "End") { next = links[links.length - 1]; }
    else if (event.key === " ") { event.preventDefault(); tab.click(); return; }
    if (next) { event.preventDefault(); next.focus(); }
  });
  document.addEventListener("DOMContentLoaded", syncTabStops);
  // After the browser's back button restores an htmx URL, mark the tab that matches it.
  window.addEventListener("htmx:historyRestore", function () {
    fileTabs().forEach(function (link) {
      var active = link.getAttribute("href") === window.location.pathname;
      link.classList.toggle("active", active);
      link.setAttribute("aria-selected", active ? "true" : "false");
    });
    syncTabStops();
  });
})();
