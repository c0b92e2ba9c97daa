// The console's only script (no inline scripts: the CSP forbids them). Draws the charts whose data
// the server put in data-chart, asks before destructive forms, and copies new keys.
(function () {
  "use strict";
  var palette = ["#0b5cad", "#c2410c", "#146c2e", "#7c3aed", "#b42318", "#0e7490", "#a16207", "#be185d", "#4b5563", "#15803d", "#1d4ed8"];

  function format(unit, v) {
    if (v == null) return "";
    if (unit === "usd") return v === 0 ? "$0" : "$" + (Math.abs(v) >= 1 ? v.toFixed(2) : Number(v.toPrecision(2)));
    if (unit === "ms") return Math.round(v) + " ms";
    if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(1) + "M";
    if (Math.abs(v) >= 1e3) return (v / 1e3).toFixed(1) + "k";
    return String(Math.round(v * 100) / 100);
  }

  function draw(el) {
    if (el.dataset.drawn || typeof uPlot === "undefined") return;
    var spec = JSON.parse(el.dataset.chart);
    if (!spec.x || spec.x.length === 0) { el.textContent = "No data in this range."; el.dataset.drawn = "1"; return; }
    var data = [spec.x];
    var series = [{}];
    spec.series.forEach(function (s, i) {
      data.push(s.values.map(function (v) { return v == null ? null : Number(v); }));
      // latency has no value in an empty bucket: points, so that a lone bucket with data shows
      series.push({ label: s.label, stroke: palette[i % palette.length], width: 2, dash: s.dash ? [6, 4] : undefined,
                    points: { show: spec.unit === "ms", size: 5 },
                    value: function (u, v) { return format(spec.unit, v); } });
    });
    var width = Math.max(280, el.clientWidth || 440);
    new uPlot({ width: width, height: 220, series: series,
                axes: [{}, { values: function (u, vals) { return vals.map(function (v) { return format(spec.unit, v); }); }, size: 80 }] },
              data, el);
    el.dataset.drawn = "1";
  }

  function drawAll(root) { (root || document).querySelectorAll("[data-chart]").forEach(draw); }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (e) { drawAll(e.target); });

  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);

  document.addEventListener("click", function (e) {
    var target = e.target.closest("[data-copy]");
    if (!target) return;
    var input = document.querySelector(target.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    if (navigator.clipboard) navigator.clipboard.writeText(input.value);
    else document.execCommand("copy");
    target.textContent = "Copied";
  });
})();
