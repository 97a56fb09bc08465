// The live observation page: every entry (note, engagement sweep, student evidence) is saved as
// it is made. Entries wait in a queue kept in localStorage (one per observation) until the
// server confirms them, so a dropped connection or a reload loses nothing; the page says how
// many are not saved yet and sends them again every few seconds and when the browser is back
// online. Each entry carries a client id, so a resend is stored once.
(function () {
  "use strict";

  const root = document.getElementById("live-observation");
  if (!root || root.dataset.started !== "true") return;

  const observationId = root.dataset.observationId;
  const entryUrl = root.dataset.entryUrl;
  const RETRY_MS = 4000;
  const PREFIX = "live-observation:" + observationId + ":";
  const PHASE_LABELS = { before_move: "before the move", after_move: "after the move" };
  const KIND_LABELS = { said: "Said", produced: "Produced", understood: "Understood" };

  // --- Storage (falls back to memory when localStorage is unavailable) ------------------------
  const memory = {};
  const store = {
    get(name, fallback) {
      try {
        const raw = window.localStorage.getItem(PREFIX + name);
        return raw === null ? fallback : JSON.parse(raw);
      } catch (e) {
        return name in memory ? memory[name] : fallback;
      }
    },
    set(name, value) {
      memory[name] = value;
      try {
        window.localStorage.setItem(PREFIX + name, JSON.stringify(value));
      } catch (e) {
        /* private mode or full: the in-memory copy still works for this page */
      }
    },
  };

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    const bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    try {
      const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) {
      /* fall through */
    }
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The app's one rounding rule, as coaching.selectors.percent_of / percent_points: part of
  // whole as the nearest whole percent, an exact half to the even one, computed on integers
  // (no floating point, so the server, its database and this page agree); and a change as the
  // difference of the two shown percentages (39.4% -> 78.6% reads 39% -> 79%, +40 pts, never
  // the +39 of the unrounded shares).
  function percentOf(part, whole) {
    if (!whole) return null;
    const twice = 200 * part + whole;
    const double = 2 * whole;
    const up = Math.floor(twice / double);
    return twice % double === 0 && up % 2 !== 0 ? up - 1 : up;
  }
  function pointsBetween(beforePct, afterPct) {
    return beforePct === null || afterPct === null ? null : afterPct - beforePct;
  }

  // Times in the school's time zone, as the server shows them.
  let clock;
  try {
    clock = new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.timeZone || undefined,
    });
  } catch (e) {
    clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  }
  function hhmm(date) {
    return clock.format(date);
  }

  // --- State ---------------------------------------------------------------------------------
  const initial = JSON.parse(document.getElementById("live-observation-data").textContent);
  let serverTotals = initial.totals;
  let queue = store.get("queue", []);
  if (!Array.isArray(queue)) queue = [];
  let inFlight = false;
  let problem = ""; // why the last attempt failed, for the banner

  const list = document.getElementById("entry-list");
  const banner = document.getElementById("unsaved-banner");
  const announce = document.getElementById("live-announce");

  function saveQueue() {
    store.set("queue", queue);
  }

  // --- The list of entries -------------------------------------------------------------------
  function describe(entry) {
    if (entry.type === "sweep") {
      return {
        label: "Sweep · " + PHASE_LABELS[entry.phase],
        text: entry.engaged_count + " of " + entry.present_count + " engaged",
      };
    }
    if (entry.type === "evidence") return { label: KIND_LABELS[entry.kind] || entry.kind, text: entry.description };
    return { label: "Note", text: entry.text };
  }

  function findItem(clientId) {
    return Array.from(list.querySelectorAll("li[data-client-id]")).find((li) => li.dataset.clientId === clientId);
  }

  function renderItem(entry) {
    const empty = document.getElementById("entry-list-empty");
    if (empty) empty.remove();
    const { label, text } = describe(entry);
    const li = document.createElement("li");
    li.className = "list-group-item";
    li.dataset.clientId = entry.client_id;
    li.dataset.kind = entry.type;
    const row = document.createElement("div");
    row.className = "d-flex gap-2 align-items-start";
    const time = document.createElement("time");
    time.className = "small text-body-secondary flex-shrink-0 pt-1";
    time.dateTime = entry.taken_at;
    time.textContent = hhmm(new Date(entry.taken_at));
    const body = document.createElement("div");
    body.className = "flex-grow-1 text-break";
    const strong = document.createElement("span");
    strong.className = "fw-semibold";
    strong.textContent = label;
    body.append(strong, " " + text);
    const status = document.createElement("span");
    status.className = "entry-status badge flex-shrink-0";
    row.append(time, body, status);
    li.append(row);
    list.prepend(li);
    return li;
  }

  function setStatus(li, state, message) {
    if (!li) return;
    const badge = li.querySelector(".entry-status");
    li.classList.toggle("list-group-item-warning", state === "pending");
    li.classList.toggle("list-group-item-danger", state === "error");
    if (badge) {
      badge.className = "entry-status badge flex-shrink-0 " +
        { pending: "text-bg-warning", saved: "text-bg-success", error: "text-bg-danger" }[state];
      badge.textContent = { pending: "Not saved yet", saved: "Saved", error: "Not saved" }[state];
    }
    let note = li.querySelector(".entry-error");
    if (state === "error") {
      if (!note) {
        note = document.createElement("div");
        note.className = "entry-error small text-danger mt-1";
        li.append(note);
      }
      note.textContent = message;
    } else if (note) {
      note.remove();
    }
  }

  // --- The banner and the running shares -----------------------------------------------------
  function updateBanner() {
    const n = queue.length;
    banner.hidden = n === 0;
    if (n) {
      banner.textContent = (n === 1 ? "1 entry is" : n + " entries are") +
        " not saved yet. " + (problem || "They are kept on this device and sent again automatically.");
    }
  }

  function updateShares() {
    const sums = {
      before: { engaged: serverTotals.before.engaged, present: serverTotals.before.present, sweeps: serverTotals.before.sweeps },
      after: { engaged: serverTotals.after.engaged, present: serverTotals.after.present, sweeps: serverTotals.after.sweeps },
    };
    let pending = 0;
    queue.forEach((entry) => {
      if (entry.type !== "sweep") return;
      const bucket = entry.phase === "after_move" ? sums.after : sums.before;
      bucket.engaged += Number(entry.engaged_count);
      bucket.present += Number(entry.present_count);
      bucket.sweeps += 1;
      pending += 1;
    });
    const before = percentOf(sums.before.engaged, sums.before.present);
    const after = percentOf(sums.after.engaged, sums.after.present);
    const pct = (x) => (x === null ? "—" : x + "%");
    const detail = (b) => b.engaged + " of " + b.present + " · " + b.sweeps + " sweep" + (b.sweeps === 1 ? "" : "s");
    document.getElementById("share-before").textContent = pct(before);
    document.getElementById("share-after").textContent = pct(after);
    document.getElementById("share-before-detail").textContent = detail(sums.before);
    document.getElementById("share-after-detail").textContent = detail(sums.after);
    let change = "—";
    const points = pointsBetween(before, after);
    if (points !== null) change = (points > 0 ? "+" : "") + points + " pts";
    document.getElementById("share-change").textContent = change;
    document.getElementById("share-pending").textContent = pending ? "incl. " + pending + " unsaved" : "";
  }

  function refresh() {
    updateBanner();
    updateShares();
  }

  // --- Sending -------------------------------------------------------------------------------
  async function send(entry) {
    const body = new URLSearchParams();
    Object.keys(entry).forEach((key) => body.append(key, entry[key]));
    let response;
    try {
      response = await fetch(entryUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "X-CSRFToken": csrfToken(),
          "X-Requested-With": "fetch",
          Accept: "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: body,
      });
    } catch (e) {
      return { outcome: "retry", problem: "No connection: they are kept on this device and sent again when it is back." };
    }
    const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
    const data = isJson ? await response.json().catch(() => null) : null;
    if (response.ok && data && !response.redirected) return { outcome: "saved", data: data };
    if (response.status === 400 && data && data.errors) return { outcome: "rejected", errors: data.errors };
    if (response.status === 503) {
      // The server's database is down for a moment (core/middleware.py): nothing was saved.
      return { outcome: "retry", problem: "The database is unavailable for a moment: they are kept on this device and sent again automatically." };
    }
    if (response.redirected || response.status === 401 || response.status === 403) {
      return { outcome: "retry", problem: "The server did not accept them: sign in again in another tab; they are kept on this device." };
    }
    return { outcome: "retry", problem: "The server could not save them (error " + response.status + "); trying again." };
  }

  function errorText(errors) {
    return Object.values(errors).flat().join(" ");
  }

  async function flush() {
    if (inFlight || !queue.length) return;
    inFlight = true;
    try {
      while (queue.length) {
        const entry = queue[0];
        const result = await send(entry);
        const li = findItem(entry.client_id);
        if (result.outcome === "retry") {
          problem = result.problem;
          setStatus(li, "pending");
          break;
        }
        problem = "";
        queue = queue.filter((e) => e.client_id !== entry.client_id);
        saveQueue();
        if (result.outcome === "saved") {
          setStatus(li, "saved");
          if (result.data.engagement) serverTotals = result.data.engagement;
          const time = li && li.querySelector("time");
          if (time && result.data.time) time.textContent = result.data.time;
        } else {
          setStatus(li, "error", errorText(result.errors));
          announce.textContent = "Not saved: " + errorText(result.errors);
        }
        refresh();
      }
    } finally {
      inFlight = false;
      refresh();
    }
  }

  function addEntry(fields) {
    const entry = Object.assign({ client_id: uuid(), taken_at: new Date().toISOString() }, fields);
    queue.push(entry);
    saveQueue();
    setStatus(renderItem(entry), "pending");
    refresh();
    flush();
    return entry;
  }

  // --- Engagement sweep: phase, students present, then one tap on the count ------------------
  const sweepForm = document.getElementById("sweep-form");
  const presentInput = document.getElementById("id_present_count");
  const grid = document.getElementById("count-grid");
  const gridEmpty = document.getElementById("count-grid-empty");
  const phaseInputs = Array.from(sweepForm.querySelectorAll("input[name=phase]"));

  root.querySelectorAll(".js-only").forEach((el) => (el.hidden = false));
  root.querySelectorAll(".nojs-only").forEach((el) => (el.hidden = true));

  function currentPhase() {
    const checked = phaseInputs.find((input) => input.checked);
    return checked ? checked.value : "before_move";
  }

  // Students present: a whole number from 1 to the most the app allows (the field's min and
  // max, from observations.models.STUDENTS_PRESENT_MAX). Anything else (999, 0, -3, 2.5, "12a")
  // gets the server's message next to the field, and the grid stays as it was (its buttons off)
  // so the coach sees what was there while correcting the number.
  const presentMin = Number(presentInput.min) || 1;
  const presentMax = Number(presentInput.max) || 500;
  const presentError = document.getElementById("present-count-error");
  const presentMessage = presentInput.dataset.invalidMessage ||
    "Students present must be a whole number from " + presentMin + " to " + presentMax + ".";
  let gridFor = null; // the count the grid shows

  function present() {
    const raw = presentInput.value.trim();
    if (!/^\d+$/.test(raw)) return null;
    const n = Number(raw);
    return n >= presentMin && n <= presentMax ? n : null;
  }

  function presentProblem() {
    // An empty field while typing is not a mistake yet; a value the browser cannot read is.
    if (presentInput.validity && presentInput.validity.badInput) return presentMessage;
    if (presentInput.value.trim() === "") return "";
    return present() === null ? presentMessage : "";
  }

  function showPresentProblem() {
    const message = presentProblem();
    presentError.textContent = message;
    presentError.hidden = !message;
    presentInput.classList.toggle("is-invalid", Boolean(message));
    if (message) presentInput.setAttribute("aria-invalid", "true");
    else presentInput.removeAttribute("aria-invalid");
  }

  function buildGrid() {
    const n = present();
    showPresentProblem();
    if (n === null) {
      // Keep the grid of the last good count, but it records nothing until the count is fixed.
      grid.querySelectorAll("button[data-count]").forEach((button) => (button.disabled = true));
      gridEmpty.hidden = gridFor !== null;
      return;
    }
    gridEmpty.hidden = true;
    if (n === gridFor) {
      grid.querySelectorAll("button[data-count]").forEach((button) => (button.disabled = false));
      return;
    }
    gridFor = n;
    grid.replaceChildren();
    for (let count = 0; count <= n; count++) {
      const cell = document.createElement("div");
      cell.className = "col";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-primary w-100 py-3 px-0 fs-4 text-nowrap";
      button.textContent = String(count);
      button.dataset.count = String(count);
      button.setAttribute("aria-label", count + " of " + n + " engaged");
      cell.append(button);
      grid.append(cell);
    }
  }

  const savedPhase = store.get("phase", null) || initial.last_phase;
  phaseInputs.forEach((input) => {
    if (savedPhase) input.checked = input.value === savedPhase;
    input.addEventListener("change", () => store.set("phase", currentPhase()));
  });
  const savedPresent = store.get("present", null) || initial.last_present;
  if (savedPresent) presentInput.value = savedPresent;
  buildGrid();

  presentInput.addEventListener("input", () => {
    if (present() !== null) store.set("present", present());
    buildGrid();
  });
  sweepForm.querySelectorAll("button[data-step]").forEach((button) => {
    button.addEventListener("click", () => {
      const start = present() || gridFor || 0;
      const next = Math.min(presentMax, Math.max(presentMin, start + Number(button.dataset.step)));
      presentInput.value = next;
      store.set("present", next);
      buildGrid();
    });
  });
  grid.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-count]");
    const n = present();
    if (!button || button.disabled || n === null || n !== gridFor) return;
    const phase = currentPhase();
    addEntry({ type: "sweep", phase: phase, engaged_count: Number(button.dataset.count), present_count: n });
    announce.textContent = "Sweep recorded: " + button.dataset.count + " of " + n + " engaged, " + PHASE_LABELS[phase] + ".";
    button.classList.replace("btn-outline-primary", "btn-success");
    window.setTimeout(() => button.classList.replace("btn-success", "btn-outline-primary"), 700);
  });
  sweepForm.addEventListener("submit", (event) => event.preventDefault());

  // --- Notes and student evidence ------------------------------------------------------------
  function fieldError(form, name, message) {
    const slot = form.querySelector('[data-errors-for="' + name + '"]');
    const field = form.elements[name];
    if (slot) slot.textContent = message || "";
    if (field) field.classList.toggle("is-invalid", Boolean(message));
  }

  const noteForm = document.getElementById("note-form");
  noteForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = noteForm.elements.text.value.trim();
    if (!text) return fieldError(noteForm, "text", "Write the note first.");
    fieldError(noteForm, "text", "");
    addEntry({ type: "note", text: text });
    noteForm.elements.text.value = "";
    announce.textContent = "Note recorded.";
  });

  const evidenceForm = document.getElementById("evidence-form");
  let lastKind = null; // for browsers without SubmitEvent.submitter
  evidenceForm.querySelectorAll("button[name=kind]").forEach((button) => {
    button.addEventListener("click", () => (lastKind = button.value));
  });
  evidenceForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const kind = (event.submitter && event.submitter.value) || lastKind;
    const description = evidenceForm.elements.description.value.trim();
    if (!kind) return;
    if (!description) return fieldError(evidenceForm, "description", "Write the quote or a short description first.");
    fieldError(evidenceForm, "description", "");
    const fields = { type: "evidence", kind: kind, description: description };
    const component = evidenceForm.elements.components;
    if (component && component.value) fields.components = component.value;
    addEntry(fields);
    evidenceForm.elements.description.value = "";
    if (component) component.value = "";
    announce.textContent = KIND_LABELS[kind] + " evidence recorded.";
  });

  // --- Finishing with entries still queued ---------------------------------------------------
  const finishForm = document.getElementById("finish-form");
  if (finishForm) {
    finishForm.addEventListener("submit", (event) => {
      if (!queue.length) return;
      const ok = window.confirm(
        queue.length + " entries are not saved yet. They stay on this device and are sent when " +
          "you open this observation again. Finish anyway?"
      );
      if (!ok) event.preventDefault();
    });
  }

  // --- On load: show what is still queued and send it ---------------------------------------
  queue.forEach((entry) => setStatus(findItem(entry.client_id) || renderItem(entry), "pending"));
  refresh();
  flush();
  // Another tab on the same observation changed the queue: take its copy (it saves every change
  // at once), and show any entry it added.
  window.addEventListener("storage", (event) => {
    if (event.key !== PREFIX + "queue") return;
    try {
      const theirs = JSON.parse(event.newValue || "[]");
      if (!Array.isArray(theirs)) return;
      queue = theirs;
    } catch (e) {
      return;
    }
    queue.forEach((entry) => {
      if (!findItem(entry.client_id)) setStatus(renderItem(entry), "pending");
    });
    refresh();
  });
  window.addEventListener("online", flush);
  window.setInterval(flush, RETRY_MS);
})();
