// Dashboard plots. Each <canvas data-chart="ID"> is drawn from the JSON in <script id="ID">
// (Django's json_script) holding {type, labels, datasets: [{label, data}], unit, stacked,
// min, max}. The tables beside the charts hold the same numbers and stay the accessible
// fallback; a chart is decoration for sighted readers, so its canvas carries an aria-label.
(function () {
  "use strict";

  const PALETTE = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997", "#6c757d"];

  function readJson(id) {
    const node = document.getElementById(id);
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  function suffix(unit) {
    return unit ? (unit === "%" ? "%" : " " + unit) : "";
  }

  function draw(canvas) {
    const spec = readJson(canvas.dataset.chart);
    if (!spec || typeof window.Chart !== "function") return;
    const unit = suffix(spec.unit);
    const isRound = spec.type === "doughnut" || spec.type === "pie";
    const datasets = (spec.datasets || []).map((set, i) => {
      const colour = PALETTE[i % PALETTE.length];
      return Object.assign(
        {
          backgroundColor: isRound ? PALETTE : spec.type === "line" ? colour + "33" : colour,
          borderColor: isRound ? "#fff" : colour,
          borderWidth: spec.type === "line" ? 2 : 1,
          spanGaps: true,
          tension: 0.2,
        },
        set
      );
    });
    const scales = isRound
      ? {}
      : {
          x: { stacked: !!spec.stacked },
          y: {
            stacked: !!spec.stacked,
            min: spec.min,
            max: spec.max,
            ticks: { callback: (value) => value + unit },
          },
        };
    if (spec.type === "scatter") {
      scales.x = { title: { display: !!spec.x_label, text: spec.x_label || "" } };
      scales.y.title = { display: !!spec.y_label, text: spec.y_label || "" };
    }
    new window.Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels || [], datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: true,
        plugins: {
          legend: { display: datasets.length > 1 || isRound },
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const raw = ctx.raw && typeof ctx.raw === "object" ? ctx.raw : { y: ctx.raw };
                const name = raw.label || ctx.dataset.label || ctx.label || "";
                const value = raw.y === null || raw.y === undefined ? "—" : raw.y + unit;
                return name ? name + ": " + value : value;
              },
            },
          },
        },
        scales: scales,
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
