// The debrief page: a small bar chart of engagement before and after the move (the table next
// to it gives the same numbers), and the revisit date that follows the revisit rule when the
// coach answers "was the success indicator met?" (unless the coach picked a date already).
(function () {
  "use strict";

  function readJson(id) {
    const node = document.getElementById(id);
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  // --- Chart ---------------------------------------------------------------------------------
  const canvas = document.getElementById("engagement-chart");
  const data = readJson("engagement-chart-data");
  if (canvas && data && typeof window.Chart === "function") {
    const values = [data.before_pct, data.after_pct];
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: ["Before the move", "After the move"],
        datasets: [
          {
            label: "Students engaged (%)",
            data: values,
            backgroundColor: ["#adb5bd", "#0d6efd"],
            borderRadius: 4,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (ctx) => (ctx.raw === null ? "no sweeps" : ctx.raw + "%") } },
        },
        scales: {
          y: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } },
        },
      },
    });
  }

  // --- Revisit date follows the rule until the coach picks one -------------------------------
  const suggestions = readJson("revisit-suggestions");
  const dateInput = document.getElementById("id_revisit_due_on");
  const label = document.getElementById("revisit-suggestion");
  const reason = document.getElementById("revisit-reason");
  if (!suggestions || !dateInput) return;
  let chosenByHand = false;
  dateInput.addEventListener("input", () => (chosenByHand = true));
  document.querySelectorAll("input[name=indicator_met]").forEach((radio) => {
    radio.addEventListener("change", () => {
      const rule = suggestions[radio.value];
      if (!rule) return;
      if (label) label.textContent = rule.label;
      if (reason) reason.textContent = rule.reason;
      if (!chosenByHand) dateInput.value = rule.date;
    });
  });
})();
