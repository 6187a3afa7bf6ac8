/* Scores over time, one Chart.js line chart per questionnaire.
   Data comes from a json_script element named by the canvas's data-chart-source. */
(function () {
  "use strict";
  var LINE = "#0b4f6c";
  var MARK = "#b02a37";
  var BAND = "#6c757d";

  function draw(canvas) {
    if (typeof Chart === "undefined") { return; }
    var source = document.getElementById(canvas.dataset.chartSource);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var labels = data.points.map(function (p) { return p.label; });
    var datasets = [{
      label: data.name,
      data: data.points.map(function (p) { return p.total; }),
      borderColor: LINE,
      backgroundColor: LINE,
      tension: 0,
      pointRadius: data.points.map(function (p) { return p.marked ? 8 : 4; }),
      pointStyle: data.points.map(function (p) { return p.marked ? "triangle" : "circle"; }),
      pointBackgroundColor: data.points.map(function (p) { return p.marked ? MARK : LINE; }),
      pointBorderColor: data.points.map(function (p) { return p.marked ? MARK : LINE; })
    }];
    data.thresholds.forEach(function (value, i) {
      datasets.push({
        label: data.bands[i + 1].label + " (≥ " + value + ")",
        data: labels.map(function () { return value; }),
        borderColor: BAND,
        borderDash: [6, 4],
        borderWidth: 1,
        pointRadius: 0,
        pointHoverRadius: 0,
        fill: false
      });
    });
    var changeLabel = canvas.dataset.labelChange || "";
    new Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: data.min, max: data.max } },
        plugins: {
          legend: { display: true, position: "bottom", labels: { boxWidth: 12, font: { size: 10 } } },
          tooltip: {
            filter: function (item) { return item.datasetIndex === 0; },
            callbacks: {
              afterLabel: function (ctx) {
                var p = data.points[ctx.dataIndex];
                var lines = [p.band, p.language + " · " + p.mode];
                if (p.helper) { lines.push(p.helper); }
                if (p.marked) { lines.push(changeLabel + " " + (p.delta > 0 ? "+" : "") + p.delta); }
                return lines;
              }
            }
          }
        }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart-source]").forEach(draw);
})();
