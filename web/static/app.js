// The chat: asks POST /ask, renders answers as text (never as HTML), keeps the conversation and the filters in
// localStorage. Only the exchange that changed is re-rendered; only the new reply is announced to screen readers.
"use strict";

const STORAGE_KEY = "briefing-qa-conversation-v1";
const FILTER_KEY = "briefing-qa-filters-v1";
const LANG_KEY = "briefing-qa-lang-v1";
const CLEAR_SCORE = 0.75; // at or above: a clear answer; from 0.5 (found) to here: the closest we found
const ALSO_RELEVANT_SCORE = 0.5; // other answers are listed only when they would be found on their own
const UNSURE_SPEAKER = 0.6; // attribution confidence below this is said out loud

const conversation = loadJson(STORAGE_KEY, []).filter((e) => e && typeof e.question === "string" && !e.pending);
const filters = Object.assign({ speaker: "", transcript: "" }, loadJson(FILTER_KEY, {}));
const nodes = new Map();
let uiLang = loadJson(LANG_KEY, null) || (/^zh/i.test(navigator.language || "") ? "zh" : "en");
let undoBuffer = null;
let undoTimer = null;
let historySupported = true;
let speakerNames = {};
let transcriptTitles = {};

function loadJson(key, fallback) {
  try {
    const value = JSON.parse(window.localStorage.getItem(key) || "null");
    return value === null ? fallback : value;
  } catch (err) {
    return fallback;
  }
}

function saveJson(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch (err) {
    /* storage full or disabled: the chat still works, it just won't survive a reload */
  }
}

function saveConversation() {
  saveJson(STORAGE_KEY, conversation.filter((e) => !e.pending).slice(-50));
}

const hasCjk = (text) => /[\u3400-\u9fff]/.test(text || "");
const langOf = (text) => (hasCjk(text) ? "zh-CN" : "en");
const t = (key) => STRINGS[uiLang][key];

function el(tag, className, text, lang) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (lang) node.lang = lang;
  return node;
}

// -- one answer ------------------------------------------------------------------------------------------------
function speakerLine(speaker, english) {
  const line = el("div", "speaker");
  if (english && speaker.name_en && speaker.name_en !== speaker.name) {
    const name = el("strong", "speaker-name", speaker.name_en, "en");
    name.appendChild(document.createTextNode(" "));
    name.appendChild(el("span", "speaker-native", "(" + speaker.name + ")", langOf(speaker.name)));
    line.appendChild(name);
    const role = (speaker.display_en || "").split(", ").slice(1).join(", ");
    if (role) line.appendChild(el("span", "speaker-role", role, "en"));
  } else {
    line.appendChild(el("strong", "speaker-name", speaker.name, langOf(speaker.name)));
    const role = [speaker.organization, speaker.title].filter(Boolean).join(hasCjk(speaker.title) ? "" : " ");
    // "Chair Powell", "Treasurer Daniel Okafor": the label already says the post.
    if (role && !speaker.name.startsWith(role + " ")) line.appendChild(el("span", "speaker-role", role, langOf(role)));
  }
  return line;
}

function attributionLine(attribution) {
  if (!attribution) return null;
  const confidence = Number(attribution.confidence || 0);
  const unsure = confidence < UNSURE_SPEAKER;
  const line = el("p", unsure ? "attribution unsure" : "attribution");
  line.appendChild(el("span", "label", (unsure ? "⚠ " + t("unsure") : t("by")) + ": "));
  const why = unsure ? t("unsureWhy") + " (" + attribution.evidence + ")" : attribution.evidence;
  line.appendChild(el("span", "", why, langOf(attribution.evidence)));
  line.appendChild(el("span", "confidence", " · " + t("confidence") + " " + confidence.toFixed(2)));
  return line;
}

function citationHref(answer) {
  const c = answer.citation;
  let href = c.url;
  if (Array.isArray(c.highlight_lines) && c.highlight_lines.length === 2) {
    href += "&H" + c.highlight_lines[0] + "-L" + c.highlight_lines[1];
    const highlight = (answer.highlight || "").replace(/\s+/g, " ").trim();
    if (highlight) href += "&T=" + encodeURIComponent(highlight.slice(0, 16)) + "&N=" + highlight.length;
  }
  return href;
}

function citationLink(answer) {
  const c = answer.citation;
  const link = el("a", "citation");
  link.href = citationHref(answer);
  const where = c.exchange === 0 ? t("openingWhere")
    : uiLang === "zh" ? t("questionN").replace("%", c.exchange) : t("questionN") + " " + c.exchange;
  const lines = uiLang === "zh" ? "第" + c.line_start + "–" + c.line_end + t("lines") : t("lines") + " " + c.line_start + "–" + c.line_end;
  link.appendChild(el("span", "", c.transcript_title, langOf(c.transcript_title)));
  link.appendChild(document.createTextNode(" · " + (c.date ? c.date + " · " : "") + where + " · " + lines));
  return link;
}

function scoreBadge(score) {
  const tier = score >= CLEAR_SCORE ? "clear" : score >= 0.5 ? "closest" : "weak";
  return el("span", "score " + tier, t("match") + " " + Math.round(score * 100) + "%");
}

function answerCard(answer, primary, english, entry) {
  const card = el("article", primary ? "answer primary" : "answer");
  const head = el("div", "answer-head");
  head.appendChild(speakerLine(answer.speaker, english));
  // A listing of what someone said has no match to grade: how sure the speaker is shows in the attribution line.
  if (!(entry && entry.response && entry.response.about)) head.appendChild(scoreBadge(Number(answer.score || 0)));
  card.appendChild(head);
  if (answer.question_asked) {
    const asked = el("p", "asked");
    asked.appendChild(el("span", "label", t("asked")));
    asked.appendChild(el("span", "", answer.question_asked, langOf(answer.question_asked)));
    card.appendChild(asked);
  } else {
    card.appendChild(el("p", "asked", t("opening")));
  }
  const quote = el("blockquote", "highlight");
  quote.appendChild(el("mark", "", answer.highlight, langOf(answer.highlight)));
  card.appendChild(quote);
  const attribution = attributionLine(answer.attribution);
  if (attribution) card.appendChild(attribution);
  const full = el("details", "full");
  full.appendChild(el("summary", "", t("fullAnswer")));
  answer.text.split("\n").forEach((paragraph) => full.appendChild(el("p", "", paragraph, langOf(paragraph))));
  card.appendChild(full);
  card.appendChild(citationLink(answer));
  if (window.answerActions && entry) card.appendChild(window.answerActions(answer, entry, english ? "en" : "zh"));
  return card;
}

// -- one reply -------------------------------------------------------------------------------------------------
function renderResponse(container, body, english, entry) {
  const answers = Array.isArray(body.answers) ? body.answers : [];
  if (body.about && answers.length) {
    const name = english && answers[0].speaker.name_en ? answers[0].speaker.name_en : body.about.name;
    container.appendChild(el("p", "verdict clear", STRINGS[english ? "en" : "zh"].about(name, body.about.answers)));
    answers.forEach((a) => container.appendChild(answerCard(a, true, english, entry)));
    return;
  }
  if (!body.found || !answers.length) {
    container.appendChild(el("p", "verdict not-found", t("notFound")));
    if (answers.length) {
      const closest = el("details", "closest");
      closest.appendChild(el("summary", "", t("closestList") + " (" + answers.length + ")"));
      answers.forEach((a) => closest.appendChild(answerCard(a, false, english, entry)));
      container.appendChild(closest);
    }
    return;
  }
  const top = Number(answers[0].score || 0);
  container.appendChild(el("p", top >= CLEAR_SCORE ? "verdict clear" : "verdict closest",
    top >= CLEAR_SCORE ? t("clearAnswer") : t("closest")));
  container.appendChild(answerCard(answers[0], true, english, entry));
  const others = answers.slice(1).filter((a) => Number(a.score || 0) >= ALSO_RELEVANT_SCORE);
  if (others.length) {
    const more = el("details", "more");
    more.appendChild(el("summary", "", t("alsoRelevant") + " (" + others.length + ")"));
    others.forEach((a) => more.appendChild(answerCard(a, false, english, entry)));
    container.appendChild(more);
  }
}

function filterNote(entry) {
  const parts = [];
  if (entry.filters && entry.filters.speaker) parts.push(speakerNames[entry.filters.speaker] || entry.filters.speaker);
  if (entry.filters && entry.filters.transcript) parts.push(transcriptTitles[entry.filters.transcript] || entry.filters.transcript);
  return parts.length ? el("p", "filter-note", t("filteredBy") + ": " + parts.join(" · ")) : null;
}

function renderEntry(entry) {
  const english = entry.lang === "en";
  const wrap = el("div", "exchange");
  wrap.lang = english ? "en" : "zh-CN";
  wrap.appendChild(el("div", "bubble user", entry.question, langOf(entry.question)));
  const reply = el("div", "bubble reply");
  const note = filterNote(entry);
  if (note) reply.appendChild(note);
  if (entry.pending) {
    reply.classList.add("pending");
    reply.appendChild(el("p", "", t("searching")));
  } else if (entry.error) {
    reply.classList.add("error");
    reply.appendChild(el("p", "", t("error") + entry.error));
    const retry = el("button", "secondary", t("retry"));
    retry.type = "button";
    retry.addEventListener("click", () => ask(entry.question, entry));
    reply.appendChild(retry);
  } else if (entry.response) {
    if (entry.response.interpreted_as) {
      const read = el("p", "interpreted");
      read.appendChild(el("span", "label", t("readAs") + " "));
      read.appendChild(el("span", "", entry.response.interpreted_as, langOf(entry.response.interpreted_as)));
      reply.appendChild(read);
    }
    if (Array.isArray(entry.response.notes)) entry.response.notes.forEach((n) => reply.appendChild(el("p", "filter-note", n)));
    renderResponse(reply, entry.response, english, entry);
  }
  wrap.appendChild(reply);
  return wrap;
}

// -- the conversation ------------------------------------------------------------------------------------------
function renderAll() {
  const list = document.getElementById("conversation");
  nodes.clear();
  list.replaceChildren(...conversation.map((entry) => {
    const node = renderEntry(entry);
    nodes.set(entry, node);
    return node;
  }));
  document.getElementById("examples").hidden = conversation.length > 0;
}

function renderOne(entry) {
  const list = document.getElementById("conversation");
  const node = renderEntry(entry);
  const old = nodes.get(entry);
  if (old && old.parentNode === list) list.replaceChild(node, old);
  else list.appendChild(node);
  nodes.set(entry, node);
  document.getElementById("examples").hidden = conversation.length > 0;
  return node;
}

function askBarTop() {
  return document.getElementById("ask-form").getBoundingClientRect().top;
}

function revealLatest(node) {
  // The whole reply above the fixed ask bar when it fits; otherwise its beginning, at the top.
  const reply = node.querySelector(".bubble.reply") || node;
  const room = askBarTop() - 8;
  const box = node.getBoundingClientRect();
  const replyBox = reply.getBoundingClientRect();
  if (box.height <= room - 8) window.scrollBy(0, box.bottom - room);
  else if (replyBox.height <= room - 8) window.scrollBy(0, replyBox.bottom - room);
  else window.scrollBy(0, replyBox.top - 8);
}

function announce(entry) {
  const announcer = document.getElementById("announcer");
  let text = "";
  if (entry.error) text = t("error") + entry.error;
  else if (entry.response) {
    const body = entry.response;
    const first = (body.answers || [])[0];
    if (body.about && first) text = STRINGS[uiLang].about(first.speaker.name_en && uiLang === "en" ? first.speaker.name_en : body.about.name, body.about.answers) + ". " + first.highlight;
    else if (!body.found || !first) text = t("notFound");
    else text = (Number(first.score) >= CLEAR_SCORE ? t("clearAnswer") : t("closest")) + " " +
      (uiLang === "en" && first.speaker.name_en ? first.speaker.name_en : first.speaker.name) + ": " + first.highlight;
  }
  announcer.textContent = "";
  window.setTimeout(() => { announcer.textContent = text; }, 50);
}

function setLanguage(lang) {
  uiLang = lang === "zh" ? "zh" : "en";
  saveJson(LANG_KEY, uiLang);
  document.documentElement.lang = uiLang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  document.querySelectorAll("[data-text]").forEach((node) => { node.textContent = t(node.dataset.text); });
  document.getElementById("question").placeholder = t("placeholder");
  const everyone = document.querySelector("#speaker option[value='']");
  if (everyone) everyone.textContent = t("everyone");
  const all = document.querySelector("#transcript option[value='']");
  if (all) all.textContent = t("allTranscripts");
  renderChips();
}

const MAX_HISTORY = 10;

function historyBefore(entry) {
  // The earlier turns of this conversation, most recent last: each question with the answer the reader was shown.
  const before = conversation.slice(0, Math.max(0, conversation.indexOf(entry)));
  return before.filter((e) => e.response).slice(-MAX_HISTORY).map((e) => {
    const turn = { question: e.question };
    const first = (e.response.answers || [])[0];
    if (e.response.found && first) turn.answer = { transcript_id: first.citation.transcript_id, exchange: first.citation.exchange };
    return turn;
  });
}

async function postAsk(payload) {
  const response = await fetch("/ask", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
  });
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    body = null;
  }
  return { response: response, body: body };
}

async function ask(question, existing) {
  const entry = existing || { question: question };
  entry.pending = true;
  entry.error = null;
  entry.response = null;
  entry.lang = hasCjk(question) ? "zh" : "en";
  entry.filters = { speaker: filters.speaker, transcript: filters.transcript };
  if (!existing) conversation.push(entry);
  setLanguage(entry.lang);
  renderOne(entry);
  revealLatest(nodes.get(entry));
  try {
    const payload = { question: question, top_k: 3 };
    if (entry.filters.speaker) payload.speaker = entry.filters.speaker;
    if (entry.filters.transcript) payload.transcript = entry.filters.transcript;
    const history = historySupported ? historyBefore(entry) : [];
    if (history.length) payload.history = history;
    let { response, body } = await postAsk(payload);
    if (response.status === 422 && payload.history && body && body.error && /history/i.test(body.error.message)) {
      historySupported = false; // a server without follow-ups: ask the question on its own
      delete payload.history;
      ({ response, body } = await postAsk(payload));
    }
    if (!response.ok) entry.error = body && body.error ? body.error.message : t("status")(response.status);
    else entry.response = body;
  } catch (err) {
    entry.error = t("unreachable") + " (" + err.message + ")";
  }
  entry.pending = false;
  // Cleared while it was pending: the answer lands in the undo buffer's entry, never back on the page.
  if (!conversation.includes(entry)) return;
  saveConversation();
  const node = renderOne(entry);
  revealLatest(node);
  announce(entry);
}

function clearConversation() {
  if (!conversation.length) return;
  undoBuffer = conversation.splice(0, conversation.length);
  saveConversation();
  renderAll();
  const bar = document.getElementById("undo");
  bar.hidden = false;
  document.getElementById("announcer").textContent = t("cleared");
  window.clearTimeout(undoTimer);
  undoTimer = window.setTimeout(() => { bar.hidden = true; undoBuffer = null; }, 15000);
}

function undoClear() {
  if (!undoBuffer) return;
  conversation.unshift(...undoBuffer);
  undoBuffer = null;
  document.getElementById("undo").hidden = true;
  saveConversation();
  renderAll();
  const last = conversation[conversation.length - 1];
  if (last) revealLatest(nodes.get(last));
  document.getElementById("question").focus();
}

function trackAskBar() {
  // The page keeps room under the conversation for the fixed ask bar, and scrolling (focus included) never hides
  // anything under it: scroll-padding-bottom follows the bar's height.
  const form = document.getElementById("ask-form");
  const update = () => document.documentElement.style.setProperty("--ask-height", form.offsetHeight + "px");
  update();
  if (window.ResizeObserver) new ResizeObserver(update).observe(form);
  window.addEventListener("resize", update);
}

window.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("ask-form");
  const input = document.getElementById("question");
  trackAskBar();
  setLanguage(uiLang);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    input.value = "";
    ask(question);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.querySelectorAll(".example").forEach((button) => {
    button.addEventListener("click", () => ask(button.textContent));
  });
  document.getElementById("clear").addEventListener("click", () => { clearConversation(); input.focus(); });
  document.getElementById("undo-button").addEventListener("click", undoClear);
  document.getElementById("language").addEventListener("click", () => setLanguage(uiLang === "en" ? "zh" : "en"));
  ["speaker", "transcript"].forEach((key) => {
    document.getElementById(key).addEventListener("change", (event) => setFilter(key, event.target.value));
  });
  window.saveConversationSoon = saveConversation;
  renderAll();
  const linked = askedByLink();
  loadOptions().then(() => { if (linked) ask(linked); });
  const last = conversation[conversation.length - 1];
  if (last) revealLatest(nodes.get(last));
  input.focus();
});

function askedByLink() {
  // A permalink (/?q=…&speaker=…&transcript=…) asks its question once, with its filters; the address is then
  // cleaned so a reload doesn't ask again.
  const params = new URLSearchParams(window.location.search);
  const question = (params.get("q") || "").trim().slice(0, 2000);
  if (!question) return null;
  ["speaker", "transcript"].forEach((key) => { filters[key] = params.get(key) || ""; });
  saveJson(FILTER_KEY, filters);
  window.history.replaceState(null, "", window.location.pathname);
  return question;
}
