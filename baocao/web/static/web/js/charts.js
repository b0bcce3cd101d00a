/* Dashboards: draws every <canvas data-chart="id-of-json"> with Chart.js (vendored, no CDN),
   writes numbers the Vietnamese way, and exports a chart as PNG from the canvas itself. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var NAVY = "#1f3a68", RED = "#c8102e", GOLD = "#d4a017", GREY = "#8a94a6";
  var PALETTE = [NAVY, RED, GOLD, "#2f855a", "#6b46c1", "#dd6b20"];
  var fmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });

  function money(n) {
    var a = Math.abs(n);
    if (a >= 1e9) { return new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 }).format(n / 1e9) + " tỷ"; }
    if (a >= 1e6) { return new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 }).format(n / 1e6) + " triệu"; }
    return fmt.format(n);
  }
  function shown(n, unit) {
    if (n === null || n === undefined) { return "—"; }
    if (unit === "%") { return fmt.format(n) + "%"; }
    if (unit === "đồng") { return money(n) + " đồng"; }
    return fmt.format(n) + (unit ? " " + unit : "");
  }

  /* PNGs get a white background instead of a transparent one. */
  var whiteBackground = {
    id: "whiteBackground",
    beforeDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.globalCompositeOperation = "destination-over";
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    }
  };

  Chart.defaults.font.family = '"Segoe UI", Roboto, "Noto Sans", Arial, "Liberation Sans", "DejaVu Sans", sans-serif';
  Chart.defaults.color = "#37415a";

  function build(canvas) {
    var spec = JSON.parse(document.getElementById(canvas.getAttribute("data-chart")).textContent);
    var horizontal = !!spec.horizontal;
    var datasets = spec.datasets.map(function (d, i) {
      var color = d.plan ? GREY : PALETTE[i % PALETTE.length];
      return {
        label: d.label,
        data: d.data,
        borderColor: color,
        backgroundColor: spec.type === "bar" ? color : color + "22",
        borderDash: d.plan ? [6, 4] : [],
        borderWidth: 2,
        pointRadius: spec.type === "line" ? 4 : 0,
        spanGaps: false,
        fill: false,
        tension: 0.15,
        maxBarThickness: 34
      };
    });
    var valueAxis = {
      beginAtZero: true,
      suggestedMax: spec.unit === "%" ? 100 : undefined,
      ticks: { callback: function (v) { return spec.unit === "đồng" ? money(v) : fmt.format(v) + (spec.unit === "%" ? "%" : ""); } },
      grid: { color: "#e6ebf2" }
    };
    var categoryAxis = { grid: { display: false }, ticks: { autoSkip: false, maxRotation: 60 } };
    var chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      plugins: [whiteBackground],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        animation: { duration: 300 },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          title: { display: true, text: spec.title, color: NAVY, font: { size: 15, weight: "bold" } },
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + shown(c.raw, spec.unit); } } }
        }
      }
    });
    canvas._chart = chart;
    return chart;
  }

  function spark(canvas) {
    var values = (canvas.getAttribute("data-spark") || "").split(",").map(function (s) { return s === "" ? null : parseFloat(s); });
    if (values.filter(function (v) { return v !== null; }).length < 2) { canvas.style.display = "none"; return; }
    new Chart(canvas, {
      type: "line",
      data: { labels: values.map(function (_, i) { return i; }), datasets: [{ data: values, borderColor: NAVY, borderWidth: 2, pointRadius: 0, spanGaps: true, fill: false }] },
      options: { responsive: false, animation: false, events: [], plugins: { legend: { display: false }, tooltip: { enabled: false } },
                 scales: { x: { display: false }, y: { display: false } } }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(build);
  document.querySelectorAll("canvas[data-spark]").forEach(spark);
  document.querySelectorAll("[data-png-for]").forEach(function (button) {
    button.addEventListener("click", function () {
      var canvas = document.getElementById(button.getAttribute("data-png-for"));
      if (!canvas || !canvas._chart) { return; }
      var link = document.createElement("a");
      link.href = canvas._chart.toBase64Image("image/png", 1);
      link.download = (button.getAttribute("data-png-name") || "bieu-do") + ".png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  });
})();
