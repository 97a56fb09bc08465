// "Reason for this date" next to a revisit date: shown only when the date chosen falls outside
// the revisit window (10 to 20 school days after the last touch). The window comes from the
// page's JSON (`revisit-suggestions` on the debrief page, `revisit-window` on "Move the
// revisit"); the server decides in the end and names a non-school day itself.
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

  const box = document.getElementById("revisit-off-rule");
  if (!box) return;
  const input = document.getElementById(box.dataset.dateInput);
  const data = readJson("revisit-window") || (readJson("revisit-suggestions") || {}).window;
  if (!input || !data) return;
  const hasError = box.querySelector(".is-invalid, .invalid-feedback") !== null;

  function update() {
    const value = input.value; // yyyy-mm-dd compares as text
    const outside = value !== "" && (value < data.first || value > data.last);
    box.classList.toggle("d-none", !outside && !hasError);
  }
  input.addEventListener("input", update);
  input.addEventListener("change", update);
  update();
})();
