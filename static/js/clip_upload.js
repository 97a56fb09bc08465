// Clip upload (templates/clips/list.html): checks type and size before the first byte, makes
// the clip's row, then sends the file in chunks with the offset each starts at. The server
// appends a chunk only at the offset it has (409 gives its offset: carry on from there); a
// network error or a 5xx is retried a few times with a pause; any other refusal (400, 404,
// 413) stops and shows the server's message. Choosing the same file again after a drop or a
// reload resumes where the server stands.
(function () {
  "use strict";
  var form = document.getElementById("clip-upload-form");
  if (!form) return;
  var RETRIES = 5;
  var TYPES = { mp4: ["video/mp4", "application/mp4"], m4v: ["video/mp4", "video/x-m4v"],
    mov: ["video/quicktime", "video/mp4"], webm: ["video/webm", "audio/webm"] };
  var maxBytes = parseInt(form.dataset.maxBytes, 10);
  var CHUNK = parseInt(form.dataset.chunkBytes, 10) || 5 * 1024 * 1024;
  var limits = form.dataset.limits;
  var fileInput = document.getElementById("id_file");
  var titleInput = document.getElementById("id_title");
  var button = document.getElementById("clip-upload-button");
  var box = document.getElementById("clip-progress-box");
  var bar = document.getElementById("clip-progress");
  var text = document.getElementById("clip-progress-text");
  var errorBox = document.getElementById("clip-upload-error");
  var done = document.getElementById("clip-upload-done");
  var link = document.getElementById("clip-finish-link");

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function fieldError(name, message) {
    var input = name === "title" ? titleInput : fileInput;
    var holder = document.getElementById(name + "-error");
    if (!holder) return;
    holder.textContent = message || "";
    input.classList.toggle("is-invalid", !!message);
    if (message) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", name + "-error"); }
    else { input.removeAttribute("aria-invalid"); }
  }
  function fail(message) {
    errorBox.textContent = message;
    errorBox.classList.add("alert-danger");
    errorBox.classList.remove("d-none");
    button.disabled = false;
    text.textContent = "Stopped.";
  }
  function progress(offset, size) {
    var pct = size ? Math.floor((offset * 100) / size) : 0;
    bar.value = pct;
    bar.textContent = pct + "%";
    text.textContent = pct + "% (" + (offset / 1048576).toFixed(1) + " of " + (size / 1048576).toFixed(1) + " MB)";
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  var SESSION_ENDED = "Your session ended: sign in again and choose the file to resume.";
  // The server's JSON answer, or null when the answer is not the server's JSON (a redirect to
  // the sign-in page answers 200 with HTML: never take that for success).
  function readJson(response) {
    var type = response.headers.get("Content-Type") || "";
    if (response.redirected || type.indexOf("application/json") < 0) return Promise.resolve(null);
    return response.json().catch(function () { return null; });
  }
  // Why an answer that is not JSON stopped the upload.
  function notJson(response) {
    if (response.redirected || response.ok || response.status === 401 || response.status === 403) return SESSION_ENDED;
    return "The upload stopped (" + response.status + "). Choose the same file again to carry on.";
  }

  function check(file) {
    var ext = (file.name.split(".").pop() || "").toLowerCase();
    if (!TYPES[ext] || (file.type && TYPES[ext].indexOf(file.type) < 0)) {
      return "This file is not a video we accept. Choose an " + limits + " file.";
    }
    if (file.size <= 0) return "This file is empty.";
    if (file.size > maxBytes) {
      return "This file is " + Math.round(file.size / 1048576) + " MB; clips can be up to " + Math.round(maxBytes / 1048576) + " MB.";
    }
    return "";
  }

  // One request, retried on network errors and 5xx; returns the response otherwise.
  async function send(url, options) {
    for (var attempt = 0; ; attempt++) {
      try {
        var response = await fetch(url, options);
        if (response.status < 500 || attempt >= RETRIES) return response;
      } catch (e) {
        if (attempt >= RETRIES) throw e;
      }
      text.textContent = "Connection trouble, trying again…";
      await sleep(Math.min(1000 * Math.pow(2, attempt), 15000));
    }
  }

  async function upload(file, state) {
    var offset = state.offset;
    progress(offset, file.size);
    while (offset < file.size) {
      var chunk = file.slice(offset, Math.min(offset + CHUNK, file.size));
      var response = await send(state.upload_url, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "X-Upload-Offset": String(offset), "Content-Type": "application/octet-stream" },
        body: chunk,
      });
      var body = await readJson(response);
      if (!body) { throw new Error(notJson(response)); }
      if (response.ok && typeof body.offset === "number") { offset = body.offset; }
      else if (response.status === 409 && typeof body.offset === "number") {
        if (body.offset === offset) { throw new Error(body.message || "The upload cannot continue."); }
        offset = body.offset;  // the server has more (or less): carry on from its offset
      } else { throw new Error(body.message || "The upload was refused (" + response.status + ")."); }
      progress(offset, file.size);
    }
    text.textContent = "Checking the file…";
    var finish = await send(state.finish_url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json", "X-Requested-With": "fetch" },
    });
    var result = await readJson(finish);
    if (!result) { throw new Error(notJson(finish)); }
    // A 409 "already processing/ready": a retried finish whose first attempt landed.
    var landed = finish.status === 409 && (result.status === "processing" || result.status === "ready");
    if ((!finish.ok && !landed) || !result.clip_url) {
      throw new Error(result.message || "The upload was refused.");
    }
    progress(file.size, file.size);
    text.textContent = "Uploaded. The clip is being prepared.";
    link.href = result.clip_url;
    done.classList.remove("d-none");
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    errorBox.classList.add("d-none");
    done.classList.add("d-none");
    fieldError("title", ""); fieldError("file", "");
    var file = fileInput.files && fileInput.files[0];
    var bad = false;
    if (!titleInput.value.trim()) { fieldError("title", "Give the clip a title."); bad = true; }
    if (!file) { fieldError("file", "Choose a video file."); bad = true; }
    else { var why = check(file); if (why) { fieldError("file", why); bad = true; } }
    if (bad) return;
    document.getElementById("id_name").value = file.name;
    document.getElementById("id_size").value = String(file.size);
    document.getElementById("id_type").value = file.type || "";
    document.getElementById("id_modified").value = typeof file.lastModified === "number" ? String(file.lastModified) : "";
    var data = new FormData(form);
    data.delete("file");
    data.append("resume", "1");
    button.disabled = true;
    box.classList.remove("d-none");
    progress(0, file.size);
    try {
      var response = await send(form.action, {
        method: "POST", credentials: "same-origin", body: data,
        headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      });
      var state = await readJson(response);
      if (!state) { fail(notJson(response)); return; }
      if (!response.ok) {
        var errors = state.errors || {};
        if (errors.title) fieldError("title", errors.title.join(" "));
        if (errors.file) fieldError("file", errors.file.join(" "));
        var other = Object.keys(errors).filter(function (k) { return k !== "title" && k !== "file"; });
        if (!errors.title && !errors.file || other.length) fail(state.message || "The upload was refused.");
        else { button.disabled = false; box.classList.add("d-none"); }
        return;
      }
      if (typeof state.offset !== "number" || !state.upload_url || !state.finish_url || !state.clip_url) {
        fail(SESSION_ENDED); return;
      }
      await upload(file, state);
      button.disabled = false;
    } catch (e) {
      fail((e && e.message) || "The upload stopped. Choose the same file again to carry on.");
    }
  });
})();
