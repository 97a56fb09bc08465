// Autosaved drafts for long forms.
//
// Every <form data-draft-key="..."> keeps what the user types in localStorage under that key
// (text inputs, textareas, selects, radios and checkboxes; never passwords, hidden fields or
// the CSRF token), saved about 400 ms after the last keystroke and when the page is left.
// On page load, when a draft exists and the form's fields are still empty or as the server
// sent them, the draft is put back and a small alert above the form says so, with a button to
// discard it. Submitting the form forgets the draft. Forms swapped in by HTMX are handled too.
// Signing out forgets every draft kept in this browser.
(function () {
  "use strict";

  var DELAY_MS = 400;
  var MAX_AGE_MS = 30 * 24 * 3600 * 1000;
  var INDEX_KEY = "drafts:index";
  var SKIPPED_TYPES = ["password", "hidden", "submit", "button", "reset", "image", "file"];
  var timers = new WeakMap();

  var store = (function () {
    try {
      var probe = "drafts:probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode or storage disabled: forms work as usual, without drafts
    }
  })();

  function readIndex() {
    try {
      var keys = JSON.parse(store.getItem(INDEX_KEY) || "[]");
      return Array.isArray(keys) ? keys : [];
    } catch (e) {
      return [];
    }
  }

  function writeIndex(keys) {
    if (keys.length) store.setItem(INDEX_KEY, JSON.stringify(keys));
    else store.removeItem(INDEX_KEY);
  }

  function read(key) {
    try {
      var draft = JSON.parse(store.getItem(key));
      if (!draft || typeof draft.values !== "object" || !draft.savedAt) return null;
      if (Date.now() - new Date(draft.savedAt).getTime() > MAX_AGE_MS) {
        forget(key);
        return null;
      }
      return draft;
    } catch (e) {
      return null;
    }
  }

  function write(key, values) {
    try {
      store.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), values: values }));
      var keys = readIndex();
      if (keys.indexOf(key) === -1) writeIndex(keys.concat([key]));
    } catch (e) {
      // storage full: keep the form working without a draft
    }
  }

  function forget(key) {
    store.removeItem(key);
    writeIndex(readIndex().filter(function (k) { return k !== key; }));
  }

  function typeOf(el) {
    return el.tagName === "INPUT" ? (el.getAttribute("type") || "text").toLowerCase() : el.tagName.toLowerCase();
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") return false;
      if (el.hasAttribute("data-draft-ignore")) return false;
      if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
      return el.tagName === "INPUT" && SKIPPED_TYPES.indexOf(typeOf(el)) === -1;
    });
  }

  function collect(form) {
    var values = {};
    fields(form).forEach(function (el) {
      var type = typeOf(el);
      if (type === "radio") {
        if (!(el.name in values)) values[el.name] = null;
        if (el.checked) values[el.name] = el.value;
      } else if (type === "checkbox") {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else if (type === "select" && el.multiple) {
        values[el.name] = Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  // As the server sent it (the HTML default), ignoring what the user did since.
  function unchanged(el) {
    var type = typeOf(el);
    if (type === "radio" || type === "checkbox") return el.checked === el.defaultChecked;
    if (type === "select") {
      var anyDefault = Array.prototype.some.call(el.options, function (o) { return o.defaultSelected; });
      if (!anyDefault) return el.multiple ? el.selectedOptions.length === 0 : el.selectedIndex <= 0;
      return Array.prototype.every.call(el.options, function (o) { return o.selected === o.defaultSelected; });
    }
    return el.value === el.defaultValue;
  }

  function isEmpty(el) {
    var type = typeOf(el);
    if (type === "radio" || type === "checkbox") return !el.checked;
    return el.value === "";
  }

  function apply(form, values) {
    fields(form).forEach(function (el) {
      if (!(el.name in values)) return;
      var value = values[el.name];
      var type = typeOf(el);
      var before = type === "radio" || type === "checkbox" ? el.checked : el.value;
      if (type === "radio") el.checked = value !== null && el.value === value;
      else if (type === "checkbox") el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      else if (type === "select" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = Array.isArray(value) && value.indexOf(o.value) !== -1;
        });
      } else if (typeof value === "string") el.value = value;
      var after = type === "radio" || type === "checkbox" ? el.checked : el.value;
      if (after !== before) el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function sameValues(a, b) {
    return Object.keys(a).every(function (name) {
      return JSON.stringify(a[name]) === JSON.stringify(b[name]);
    });
  }

  function formatTime(iso) {
    var when = new Date(iso);
    var sameDay = when.toDateString() === new Date().toDateString();
    var options = sameDay
      ? { hour: "2-digit", minute: "2-digit" }
      : { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
    return when.toLocaleString([], options);
  }

  function save(form) {
    clearTimeout(timers.get(form));
    timers.delete(form);
    if (!form.isConnected) return;
    var key = form.dataset.draftKey;
    if (fields(form).every(unchanged)) forget(key);
    else write(key, collect(form));
  }

  function schedule(form) {
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () { save(form); }, DELAY_MS));
  }

  function removeAlert(form) {
    var alert = form.previousElementSibling;
    if (alert && alert.hasAttribute("data-draft-alert")) alert.remove();
  }

  function showAlert(form, savedAt) {
    removeAlert(form);
    var alert = document.createElement("div");
    alert.className = "alert alert-info d-flex flex-wrap align-items-center justify-content-between gap-2 py-2";
    alert.setAttribute("role", "status");
    alert.setAttribute("data-draft-alert", "");
    var text = document.createElement("span");
    var time = document.createElement("time");
    time.dateTime = savedAt;
    time.textContent = formatTime(savedAt);
    text.append("Draft restored from ", time, ".");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-secondary";
    discard.textContent = "Discard draft";
    discard.addEventListener("click", function () {
      clearTimeout(timers.get(form));
      forget(form.dataset.draftKey);
      var before = collect(form);
      form.reset();
      fields(form).forEach(function (el) {
        if (JSON.stringify(collect(form)[el.name]) !== JSON.stringify(before[el.name])) {
          el.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      alert.remove();
      var first = fields(form)[0];
      if (first) first.focus();
    });
    alert.append(text, discard);
    form.parentNode.insertBefore(alert, form);
  }

  function restore(form) {
    var draft = read(form.dataset.draftKey);
    if (!draft) return;
    var all = fields(form);
    var pristine = all.every(function (el) { return isEmpty(el) || unchanged(el); });
    if (!pristine || sameValues(draft.values, collect(form))) return;
    apply(form, draft.values);
    var details = form.closest("details");
    if (details) details.open = true;
    showAlert(form, draft.savedAt);
  }

  function setUp(form) {
    if (form.dataset.draftReady) return;
    form.dataset.draftReady = "1";
    restore(form);
    form.addEventListener("input", function () { schedule(form); });
    form.addEventListener("change", function (event) {
      if (event.isTrusted) schedule(form);
    });
    form.addEventListener("submit", function () {
      clearTimeout(timers.get(form));
      forget(form.dataset.draftKey);
      removeAlert(form);
    });
  }

  function setUpWithin(root) {
    if (!store || !root) return;
    if (root.matches && root.matches("form[data-draft-key]")) setUp(root);
    if (root.querySelectorAll) root.querySelectorAll("form[data-draft-key]").forEach(setUp);
  }

  function flushAll() {
    if (!store) return;
    document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
      if (timers.has(form)) save(form);
    });
  }

  function forgetAll() {
    readIndex().forEach(function (key) { store.removeItem(key); });
    store.removeItem(INDEX_KEY);
  }

  if (store) {
    window.addEventListener("pagehide", flushAll);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flushAll();
    });
    document.addEventListener("submit", function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("action");
      if (action && /\/logout\/?$/.test(action)) forgetAll();
    }, true);
    document.addEventListener("htmx:load", function (event) { setUpWithin(event.target); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpWithin(document); });
  } else {
    setUpWithin(document);
  }
})();
