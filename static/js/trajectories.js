// The goal-progress chart on the trajectory page. Data comes from a json_script block; the same
// figures are in the table next to it, so the chart is a convenience, not the only way to read them.
//
// Time runs on a time axis (Chart.js time scale with the vendored date-fns adapter, ADR 0027): reviews
// 4 days apart sit close together and reviews 4 months apart far apart, as they happened. The legend is a
// list in the page, not text on the canvas, so a goal's whole description wraps instead of being cut.
(function () {
  "use strict";
  var canvas = document.getElementById("progress-chart");
  var source = document.getElementById("progress-data");
  var legend = document.getElementById("progress-legend");
  // Without a date adapter Chart.js cannot draw a time axis (its stub adapter throws): then only the table shows.
  function hasDateAdapter() {
    try {
      return Boolean(new Chart._adapters._date().formats().day);
    } catch (error) {
      return false;
    }
  }
  if (!canvas || !source || typeof Chart === "undefined" || !hasDateAdapter()) {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Colour-blind-safe palette (Okabe–Ito), with a marker shape per line so colour is not the only cue.
  var palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C7A00", "#000000"];
  var shapes = ["circle", "rect", "triangle", "rectRot", "crossRot", "star", "rectRounded", "cross"];
  // Dates read day first in all three languages (config/formats/), numbers only: no month names to translate.
  var DAY = "dd/MM/yyyy";

  function datasets(view) {
    return data[view].map(function (line, index) {
      var colour = palette[index % palette.length];
      return {
        label: view === "goals" ? line.domain + ": " + line.label : line.label,
        data: line.points,
        borderColor: colour,
        backgroundColor: colour,
        pointStyle: shapes[index % shapes.length],
        tension: 0,
        pointRadius: 4,
        pointHoverRadius: 6,
      };
    });
  }

  // A long label over several lines of at most `width` characters, broken between words.
  function wrap(text, width) {
    var lines = [];
    var line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) { lines.push(line); }
    return lines;
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
        x: {
          type: "time",
          time: {
            tooltipFormat: DAY,
            minUnit: "day",
            displayFormats: { day: DAY, week: DAY, month: "MM/yyyy", quarter: "MM/yyyy", year: "yyyy" },
          },
          ticks: { maxRotation: 0, autoSkip: true },
          offset: true,
        },
        y: { min: 0, max: 4, ticks: { stepSize: 1 }, title: { display: true, text: canvas.dataset.yLabel } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: function (item) { return wrap(item.dataset.label + ": " + item.formattedValue, 50); },
          },
        },
      },
    },
  });

  // The legend as a list of buttons: each shows or hides its line, and wraps however long the name.
  function drawLegend() {
    if (!legend) { return; }
    legend.textContent = "";
    chart.data.datasets.forEach(function (dataset, index) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      var swatch = document.createElement("span");
      var name = document.createElement("span");
      button.type = "button";
      button.className = "chart-legend-item";
      button.setAttribute("aria-pressed", chart.isDatasetVisible(index) ? "true" : "false");
      swatch.className = "chart-legend-swatch chart-legend-" + dataset.pointStyle;
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.backgroundColor = dataset.borderColor;
      name.textContent = dataset.label;
      button.appendChild(swatch);
      button.appendChild(name);
      button.addEventListener("click", function () {
        chart.setDatasetVisibility(index, !chart.isDatasetVisible(index));
        chart.update();
        button.setAttribute("aria-pressed", chart.isDatasetVisible(index) ? "true" : "false");
      });
      item.appendChild(button);
      legend.appendChild(item);
    });
  }
  drawLegend();

  document.querySelectorAll("[data-chart-view]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.querySelectorAll("[data-chart-view]").forEach(function (other) {
        other.classList.toggle("active", other === button);
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      chart.data.datasets = datasets(button.dataset.chartView);
      chart.update();
      drawLegend();
    });
  });
})();
