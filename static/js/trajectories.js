// The goal-progress chart on the trajectory page. Data comes from a json_script block; the same
// figures are in the table next to it, so the chart is a convenience, not the only way to read them.
(function () {
  "use strict";
  var canvas = document.getElementById("progress-chart");
  var source = document.getElementById("progress-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Colour-blind-safe palette (Okabe–Ito).
  var palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

  function datasets(view) {
    return data[view].map(function (line, index) {
      var colour = palette[index % palette.length];
      return {
        label: view === "goals" ? line.domain + ": " + line.label : line.label,
        data: line.points,
        borderColor: colour,
        backgroundColor: colour,
        tension: 0,
        pointRadius: 4,
      };
    });
  }

  var chart = new Chart(canvas, {
    type: "line",
    data: { datasets: datasets("domains") },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      parsing: { xAxisKey: "x", yAxisKey: "y" },
      scales: {
        x: { type: "category", labels: allDates(), ticks: { callback: function (value) { return dutchDate(this.getLabelForValue(value)); } } },
        y: { min: 0, max: 4, ticks: { stepSize: 1 }, title: { display: true, text: canvas.dataset.yLabel } },
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: { callbacks: { title: function (items) { return items.length ? dutchDate(items[0].label) : ""; } } },
      },
    },
  });

  // "2026-11-08" → "08/11/2026", as dates read everywhere else in the application.
  function dutchDate(iso) {
    var parts = String(iso).split("-");
    return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : iso;
  }

  function allDates() {
    var seen = {};
    ["goals", "domains"].forEach(function (view) {
      data[view].forEach(function (line) {
        line.points.forEach(function (p) { seen[p.x] = true; });
      });
    });
    return Object.keys(seen).sort();
  }

  document.querySelectorAll("[data-chart-view]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.querySelectorAll("[data-chart-view]").forEach(function (other) {
        other.classList.toggle("active", other === button);
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      chart.data.datasets = datasets(button.dataset.chartView);
      chart.update();
    });
  });
})();
