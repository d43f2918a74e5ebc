// Case conference pages: the planning calendar and small form behaviours. No inline scripts (CSP).
(function () {
  "use strict";

  function initCalendar() {
    var element = document.getElementById("conference-calendar");
    if (!element || !window.FullCalendar) { return; }
    // Every word comes from the page (data-text-*, data-hint-*), translated on the server; the locale
    // drives FullCalendar's own month and day names through the browser's Intl.
    var text = element.dataset;
    // No FullCalendar list view: its day headings span the table, so every conference below the first day
    // is announced under every later day too (HTML_CodeSniffer H43). The list is our own page
    // (casusoverleg:list, linked under the calendar and in the tabs); a small screen starts on one day.
    var calendar = new window.FullCalendar.Calendar(element, {
      initialView: window.matchMedia("(max-width: 768px)").matches ? "timeGridDay" : "timeGridWeek",
      locale: text.locale || document.documentElement.lang,
      timeZone: "Europe/Brussels",
      firstDay: 1,
      nowIndicator: true,
      slotMinTime: "07:00:00",
      slotMaxTime: "19:00:00",
      allDaySlot: true,
      height: "auto",
      headerToolbar: { left: "prev,next today", center: "title", right: "timeGridDay,timeGridWeek,dayGridMonth" },
      buttonText: { today: text.textToday, day: text.textDay, week: text.textWeek, month: text.textMonth },
      buttonHints: { prev: text.hintPrev, next: text.hintNext, today: text.hintToday },
      viewHint: text.hintView,
      moreLinkHint: text.hintMore,
      allDayText: text.textAllDay,
      noEventsText: text.textNoEvents,
      events: { url: element.dataset.eventsUrl },
      eventDidMount: function (info) {
        var props = info.event.extendedProps || {};
        var parts = [info.event.title, props.status, props.prison, props.location].filter(Boolean);
        info.el.setAttribute("title", parts.join(" · "));
      },
      // The toolbar's arrow icons come as role="img" without a name; the buttons around them carry the
      // name (buttonHints), so the icons are decoration. Redone after every re-render of the toolbar.
      datesSet: function () { hideDecorativeIcons(element); },
      // A month cell is named by its day number (aria-labelledby), which hides the conferences listed in
      // it from that name; without it the cell reads as what it shows: the date, then its conferences.
      dayCellDidMount: function (info) { info.el.removeAttribute("aria-labelledby"); }
    });
    calendar.render();
    // FullCalendar wraps its grids, headers and events in role="presentation" rows and tables, which
    // tells assistive technology to ignore elements that carry the dates and conferences (WCAG 1.3.1,
    // F92). The role is removed after every render, so the content keeps its meaning.
    keepContentMeaningful(element);
    new MutationObserver(function () { keepContentMeaningful(element); })
      .observe(element, { childList: true, subtree: true });
  }

  function keepContentMeaningful(root) {
    root.querySelectorAll("[role='presentation']").forEach(function (node) {
      if (node.querySelector("*")) { node.removeAttribute("role"); }
    });
  }

  function hideDecorativeIcons(root) {
    root.querySelectorAll(".fc-icon").forEach(function (icon) {
      icon.removeAttribute("role");
      icon.setAttribute("aria-hidden", "true");
    });
  }

  // Dissent fields only matter when there is no consensus.
  function syncDissent(root) {
    (root || document).querySelectorAll("[data-decision-row]").forEach(function (row) {
      var select = row.querySelector("select[name$='-consensus']");
      if (!select) { return; }
      var show = select.value === "no";
      row.querySelectorAll(".dissent-field").forEach(function (field) { field.hidden = !show; });
    });
  }

  // The prosecutor's authorisation reference only matters for an art. 458ter conference.
  function syncBasis() {
    var reference = document.getElementById("div_id_authorisation_reference");
    var chosen = document.querySelector("input[name='basis']:checked");
    if (reference && chosen) { reference.hidden = chosen.value !== "art458ter"; }
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name$='-consensus']")) { syncDissent(); }
    if (event.target.matches("input[name='basis']")) { syncBasis(); }
  });
  document.addEventListener("htmx:afterSwap", function (event) { syncDissent(event.target); });
  document.addEventListener("DOMContentLoaded", function () { initCalendar(); syncDissent(); syncBasis(); });
})();
