// Dashboard charts (Chart.js from static/vendor). Readable in black and white: the second series
// is hatched, bars carry their value as a direct label, and every chart has a table beside it.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // Words come translated from the page (data.text → words); numbers follow the page's language.
  var words = data.text || {};
  var locale = document.documentElement.lang || undefined;
  var INK = "#1d3557";
  var GREY = "#6c757d";

  // A diagonal hatch fill: tells series apart without colour.
  function hatch(colour) {
    var size = 8;
    var canvas = document.createElement("canvas");
    canvas.width = size; canvas.height = size;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = colour; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(0, size); ctx.lineTo(size, 0);
    ctx.moveTo(-2, 2); ctx.lineTo(2, -2); ctx.moveTo(size - 2, size + 2); ctx.lineTo(size + 2, size - 2);
    ctx.stroke();
    return ctx.createPattern(canvas, "repeat");
  }

  // Writes each bar's value next to it (a small plugin, so no extra library is needed).
  var directLabels = {
    id: "directLabels",
    afterDatasetsDraw: function (chart, args, options) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = "600 11px system-ui, sans-serif";
      ctx.fillStyle = "#212529";
      chart.data.datasets.forEach(function (dataset, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) { return; }
        meta.data.forEach(function (bar, j) {
          var value = dataset.data[j];
          if (options.stackTotals && chart.options.indexAxis !== "y") {
            // One label per stack, above its top (the last series may be 0 and then has no bar of its own).
            if (i !== chart.data.datasets.length - 1) { return; }
            var sum = chart.data.datasets.reduce(function (acc, d) { return acc + (d.data[j] || 0); }, 0);
            if (!sum) { return; }
            ctx.textAlign = "center"; ctx.textBaseline = "bottom";
            ctx.fillText(sum.toLocaleString(locale), bar.x, bar.y - 2);
            return;
          }
          if (!value) { return; }
          var text = value.toLocaleString(locale) + (options.suffix || "");
          if (chart.options.indexAxis === "y") {
            ctx.textAlign = "left"; ctx.textBaseline = "middle";
            ctx.fillText(text, bar.x + 4, bar.y);
          } else {
            ctx.textAlign = "center"; ctx.textBaseline = "bottom";
            ctx.fillText(text, bar.x, bar.y - 2);
          }
        });
      });
      ctx.restore();
    }
  };

  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  Chart.defaults.color = "#343a40";
  Chart.defaults.animation = false;
  if (locale) { Chart.defaults.locale = locale; }

  function make(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }

  make("chart-sessions", {
    type: "bar",
    data: {
      labels: data.months,
      datasets: [
        { label: words.attended, data: data.attended, backgroundColor: INK, borderColor: INK, borderWidth: 1, stack: "s" },
        { label: words.not_attended, data: data.not_attended, backgroundColor: hatch(INK), borderColor: INK, borderWidth: 1, stack: "s" }
      ]
    },
    options: {
      maintainAspectRatio: false,
      layout: { padding: { top: 18 } },
      scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" }, directLabels: { stackTotals: true } }
    },
    plugins: [directLabels]
  });

  make("chart-attendance", {
    type: "bar",
    data: {
      labels: data.mix_labels,
      datasets: [{ label: words.sessions, data: data.mix, borderColor: INK, borderWidth: 1,
                   backgroundColor: data.mix.map(function (_, i) { return i === 0 ? INK : hatch(i % 2 ? INK : GREY); }) }]
    },
    options: {
      indexAxis: "y", maintainAspectRatio: false,
      layout: { padding: { right: 48 } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { grid: { display: false } } },
      plugins: { legend: { display: false }, directLabels: {} }
    },
    plugins: [directLabels]
  });

  make("chart-domains", {
    type: "bar",
    data: {
      labels: data.domain_labels,
      datasets: [{ label: words.domain_percent, data: data.domain_percent,
                   backgroundColor: hatch(INK), borderColor: INK, borderWidth: 1 }]
    },
    options: {
      indexAxis: "y", maintainAspectRatio: false,
      layout: { padding: { right: 48 } },
      scales: { x: { beginAtZero: true, max: 100, ticks: { callback: function (v) { return v + " %"; } } }, y: { grid: { display: false } } },
      plugins: { legend: { display: false }, directLabels: { suffix: " %" } }
    },
    plugins: [directLabels]
  });
})();
