// The results dashboard: draws each contest's chart (uPlot) from its
// data-chart JSON, again whenever htmx swaps in fresh figures.
(function () {
  "use strict";
  // The same colours, in the same order, as dashboard.css's .swatch.cN,
  // which the table's rows carry: a candidate's line and row match.
  var colors = ["#0b5cad", "#b42318", "#1a7f37", "#9a6700", "#6639ba", "#bf3989", "#0a7b83", "#57606a",
    "#953800", "#1b1f24"];

  function draw(el) {
    var data;
    try { data = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
    if (!data || !data.x || data.x.length === 0) { return; }
    var series = [{ label: el.getAttribute("data-xlabel") || "" }];
    data.labels.forEach(function (name, i) {
      series.push({
        label: name, stroke: colors[(data.colors ? data.colors[i] : i) % colors.length], width: 2,
        points: { show: data.x.length < 60, size: 6 },
        value: function (u, v) { return v == null ? "" : v.toFixed(2) + " %"; }
      });
    });
    var width = Math.max(280, el.clientWidth || el.parentNode.clientWidth || 480);
    var opts = {
      width: width, height: 240, series: series,
      // The axis the server fitted to the lines, so that two close
      // candidates are two lines.
      scales: { x: { time: false }, y: { range: [data.min || 0, data.max || 100] } },
      axes: [
        { label: el.getAttribute("data-xlabel") || "" },
        { label: el.getAttribute("data-ylabel") || "", size: 56, values: function (u, vals) { return vals.map(function (v) { return (+v.toFixed(2)) + "%"; }); } }
      ],
      legend: { show: true, live: false }
    };
    el.textContent = "";
    new uPlot(opts, [data.x].concat(data.y), el);
    el.setAttribute("data-drawn", "true");
  }

  function drawAll(root) {
    if (typeof uPlot === "undefined") { return; }
    (root || document).querySelectorAll(".chart[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (e) { drawAll(e.target.parentNode || document); });
})();
