// Admin page: the token lives in sessionStorage only; every request carries it as a bearer token.
// All text from the server is put in with textContent, never as HTML.
"use strict";

(function () {
  const KEY = "qa-admin-token";
  const body = document.body;
  const maxUpload = Number(body.dataset.maxUpload || 0);
  const $ = (id) => document.getElementById(id);
  let pending = null;        // {file, data, preview}
  let corrections = { answer: [], label: [] };

  function token() { return sessionStorage.getItem(KEY) || ""; }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = !message;
  }

  function status(message) { $("status").textContent = message || ""; }

  async function api(method, path, payload, contentType) {
    const headers = { Authorization: "Bearer " + token() };
    if (contentType) headers["Content-Type"] = contentType;
    const response = await fetch(path, { method, headers, body: payload });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const message = data && data.error ? data.error.message : response.status + " " + response.statusText;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  async function unlock(value) {
    sessionStorage.setItem(KEY, value);
    try {
      await refreshListing();
      $("workspace").hidden = false;
      $("lock").hidden = false;
      $("token").value = "";
      showError("");
    } catch (e) {
      sessionStorage.removeItem(KEY);
      $("token").value = "";
      $("workspace").hidden = true;
      showError(e.message);
    }
  }

  // -- listing --------------------------------------------------------------------------------------------
  async function refreshListing() {
    const data = await api("GET", "/admin/transcripts");
    const rows = $("listing").querySelector("tbody");
    rows.replaceChildren();
    for (const t of data.transcripts) {
      const tr = el("tr");
      tr.dataset.name = t.name;
      tr.append(el("td", t.name + (t.corrected ? " ✎" : "")), el("td", t.title || ""),
                el("td", t.indexed ? "yes · " + t.exchanges + " exchanges" : "not yet (rebuild)"));
      const cell = el("td");
      const del = el("button", "Delete", "secondary delete");
      del.type = "button";
      del.addEventListener("click", () => removeTranscript(t.name));
      cell.append(del);
      tr.append(cell);
      rows.append(tr);
    }
  }

  async function removeTranscript(name) {
    showError("");
    try {
      await api("DELETE", "/admin/transcripts/" + encodeURIComponent(name));
      status("Deleted " + name + ": rebuild to drop it from the index.");
      await refreshListing();
    } catch (e) { showError(e.message); }
  }

  // -- upload and preview ---------------------------------------------------------------------------------
  async function chooseFile(file) {
    showError("");
    corrections = { answer: [], label: [] };
    if (maxUpload && file.size > maxUpload) {
      showError("File '" + file.name + "' is " + (file.size / 1048576).toFixed(1) + " MB: the upload cap is " +
                (maxUpload / 1048576).toFixed(0) + " MB (QA_MAX_UPLOAD_BYTES); split the transcript or raise the cap");
      return;
    }
    const data = await file.arrayBuffer();
    pending = { file, data, preview: null };
    await runPreview();
  }

  async function runPreview() {
    const query = "?filename=" + encodeURIComponent(pending.file.name) +
      (corrections.answer.length || corrections.label.length ? "&corrections=" + encodeURIComponent(JSON.stringify(corrections)) : "");
    status("Parsing " + pending.file.name + "…");
    try {
      pending.preview = await api("POST", "/admin/preview" + query, pending.data, "application/octet-stream");
      renderPreview(pending.preview);
      status("");
    } catch (e) {
      $("preview").hidden = true;
      status("");
      showError(e.message);
    }
  }

  function renderPreview(p) {
    const t = p.transcript;
    $("preview").hidden = false;
    $("preview-meta").textContent = t.title + " · " + (t.date || "no date") + " · " + t.format +
      (t.layout !== t.format ? " (" + t.layout + ")" : "") + " · will be stored as " + t.stored_as;
    $("low-count").textContent = p.warning ? "Warning: " + p.warning :
      p.low_confidence ? p.low_confidence + " low-confidence answer(s) marked" : "";
    const names = p.speakers.map((s) => s.name);
    const speakerRows = $("speakers").querySelector("tbody");
    speakerRows.replaceChildren();
    for (const s of p.speakers) {
      const tr = el("tr");
      const role = el("select", null, "role");
      role.setAttribute("aria-label", "Role of " + s.name);
      for (const r of ["official", "host", "reporter", "member", "unknown"]) {
        const option = el("option", r);
        option.value = r;
        option.selected = r === s.role;
        role.append(option);
      }
      role.addEventListener("change", () => {
        corrections.label = corrections.label.filter((l) => l.label !== s.name);
        if (role.value !== "unknown") corrections.label.push({ label: s.name, role: role.value });
        runPreview();
      });
      const roleCell = el("td");
      roleCell.append(role);
      tr.append(el("td", s.name), el("td", [s.organization, s.title].filter(Boolean).join(" ")), roleCell);
      speakerRows.append(tr);
    }
    const list = $("exchanges");
    list.replaceChildren();
    const datalist = el("datalist");
    datalist.id = "speaker-names";
    for (const n of names) { const o = el("option"); o.value = n; datalist.append(o); }
    list.append(datalist);
    for (const ex of p.exchanges) {
      const li = el("li");
      li.dataset.exchange = ex.index;
      li.value = ex.index;  // numbered as the exchanges are (0 is the opening statement, if any)
      li.append(el("p", ex.question ? "Q: " + ex.question.slice(0, 200) : "(opening statement)", "q"));
      for (const a of ex.answers) {
        const row = el("div", null, "preview-answer" + (a.low ? " low" : ""));
        const who = el("div", null, "who");
        if (a.answer_index !== null) {
          const input = el("input");
          input.value = a.speaker.name;
          input.setAttribute("list", "speaker-names");
          input.setAttribute("aria-label", "Speaker of exchange " + ex.index + " answer " + a.answer_index);
          input.className = "speaker-input";
          input.addEventListener("change", () => correctAnswer(ex.index, a.answer_index, input.value.trim()));
          who.append(input);
        } else {
          who.append(el("span", a.speaker.name + " (" + a.kind + ")"));
        }
        const badge = el("span", a.confidence.toFixed(2), "badge" + (a.low ? " low" : "") +
                         (a.evidence === "corrected by an editor" ? " editor" : ""));
        const info = el("div");
        info.append(badge, el("span", " " + a.evidence, "evidence"), el("div", a.text, "text"));
        row.append(who, info);
        li.append(row);
      }
      list.append(li);
    }
  }

  function correctAnswer(exchange, answer, speaker) {
    corrections.answer = corrections.answer.filter((c) => !(c.exchange === exchange && c.answer === answer));
    if (speaker) corrections.answer.push({ exchange, answer, speaker });
    runPreview();
  }

  async function store() {
    if (!pending) return;
    showError("");
    $("store").disabled = true;
    try {
      const stored = await api("POST", "/admin/transcripts?filename=" + encodeURIComponent(pending.file.name),
                               pending.data, "application/octet-stream");
      if (corrections.answer.length || corrections.label.length) {
        await api("PUT", "/admin/transcripts/" + encodeURIComponent(stored.stored) + "/speakers",
                  JSON.stringify(corrections), "application/json");
      }
      status("Stored as " + stored.stored + ". Rebuild to make it answerable.");
      pending = null;
      $("preview").hidden = true;
      $("file").value = "";
      await refreshListing();
    } catch (e) { showError(e.message); }
    finally { $("store").disabled = false; }
  }

  // -- rebuild with progress --------------------------------------------------------------------------------
  async function rebuild() {
    showError("");
    const button = $("rebuild");
    const bar = $("progress");
    button.disabled = true;
    bar.hidden = false;
    try {
      let job = await api("POST", "/admin/rebuild-jobs");
      while (job.state !== "done" && job.state !== "failed") {
        bar.max = Math.max(job.total, 1);
        bar.value = job.done;
        $("progress-text").textContent = job.state + (job.total ? " " + job.done + "/" + job.total + " passages" : "") +
          " · " + job.seconds + " s";
        await new Promise((resolve) => setTimeout(resolve, 400));
        job = await api("GET", "/admin/rebuild-jobs/" + job.id);
      }
      if (job.state === "failed") throw new Error(job.error);
      bar.value = bar.max;
      const r = job.result;
      $("progress-text").textContent = r.up_to_date ? "index already up to date" :
        "rebuilt in " + job.seconds + " s: " + r.transcripts + " transcripts, " + r.embedded.length + " embedded" +
        (r.skipped.length ? "; skipped " + r.skipped.join(", ") : "") +
        (r.warnings.length ? ". Warning: " + r.warnings.join(" ") : "");
      $("progress-text").dataset.state = "done";
      await refreshListing();
    } catch (e) { showError(e.message); }
    finally { button.disabled = false; }
  }

  // -- wiring ---------------------------------------------------------------------------------------------
  $("token-form").addEventListener("submit", (event) => { event.preventDefault(); unlock($("token").value.trim()); });
  $("lock").addEventListener("click", () => { sessionStorage.removeItem(KEY); location.reload(); });
  $("file").addEventListener("change", () => { if ($("file").files.length) chooseFile($("file").files[0]); });
  const drop = $("drop");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    if (event.dataTransfer.files.length) chooseFile(event.dataTransfer.files[0]);
  });
  $("store").addEventListener("click", store);
  $("discard").addEventListener("click", () => { pending = null; $("preview").hidden = true; $("file").value = ""; });
  $("rebuild").addEventListener("click", rebuild);
  if (token()) unlock(token());
})();
