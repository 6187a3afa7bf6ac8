/* Dashboard charts: one Chart.js bar chart per canvas[data-chart-source].
   The numbers come from a json_script element; the table beside each chart gives the same
   values, with a link to the list behind each one. */
(function () {
  "use strict";
  var COLOUR = "#0b4f6c";

  function draw(canvas) {
    if (typeof Chart === "undefined") { return; }
    var source = document.getElementById(canvas.dataset.chartSource);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var horizontal = canvas.dataset.chartHorizontal === "1";
    canvas.parentElement.style.height = Math.max(160, (horizontal ? 28 * data.labels.length + 40 : 220)) + "px";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ data: data.values, backgroundColor: COLOUR, borderColor: COLOUR }]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart-source]").forEach(draw);
})();
