// The chat: asks POST /ask, renders answers as text (never as HTML), keeps the conversation in localStorage.
"use strict";

const STORAGE_KEY = "briefing-qa-conversation-v1";
const conversation = loadConversation();

function loadConversation() {
  try {
    const saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "[]");
    return Array.isArray(saved) ? saved.filter((e) => e && typeof e.question === "string") : [];
  } catch (err) {
    return [];
  }
}

function saveConversation() {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(conversation.slice(-50)));
  } catch (err) {
    /* storage full or disabled: the conversation still works, it just won't survive a reload */
  }
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function speakerLine(speaker) {
  const line = el("div", "speaker");
  line.appendChild(el("strong", "speaker-name", speaker.name));
  const role = [speaker.organization, speaker.title].filter(Boolean).join("");
  if (role) line.appendChild(el("span", "speaker-role", role));
  return line;
}

function citationLink(citation) {
  const link = el("a", "citation");
  link.href = citation.url;
  const where = citation.exchange === 0 ? "opening statement 开场介绍" : "question " + citation.exchange + " 第" + citation.exchange + "问";
  link.textContent = citation.transcript_title + " · " + where + " · lines " + citation.line_start + "–" + citation.line_end;
  return link;
}

function answerCard(answer, primary) {
  const card = el("article", primary ? "answer primary" : "answer");
  card.appendChild(speakerLine(answer.speaker));
  if (answer.question_asked) {
    const asked = el("p", "asked");
    asked.appendChild(el("span", "label", "Reporter asked 记者问："));
    asked.appendChild(el("span", "", answer.question_asked));
    card.appendChild(asked);
  } else {
    card.appendChild(el("p", "asked", "From the opening statement 开场介绍"));
  }
  const quote = el("blockquote", "highlight");
  quote.appendChild(el("mark", "", answer.highlight));
  card.appendChild(quote);
  const full = el("details", "full");
  full.appendChild(el("summary", "", "Full answer 完整回答"));
  answer.text.split("\n").forEach((paragraph) => full.appendChild(el("p", "", paragraph)));
  card.appendChild(full);
  card.appendChild(citationLink(answer.citation));
  return card;
}

function renderResponse(container, body) {
  const answers = Array.isArray(body.answers) ? body.answers : [];
  if (!body.found) {
    container.appendChild(el("p", "not-found", "Not found in the briefing. 发布会实录中没有找到这个问题的答案。"));
    if (answers.length) {
      const closest = el("details", "closest");
      closest.appendChild(el("summary", "", "Closest exchanges 最接近的问答 (" + answers.length + ")"));
      answers.forEach((a) => closest.appendChild(answerCard(a, false)));
      container.appendChild(closest);
    }
    return;
  }
  container.appendChild(answerCard(answers[0], true));
  if (answers.length > 1) {
    const more = el("details", "more");
    more.appendChild(el("summary", "", "Also relevant 其他相关回答 (" + (answers.length - 1) + ")"));
    answers.slice(1).forEach((a) => more.appendChild(answerCard(a, false)));
    container.appendChild(more);
  }
}

function renderEntry(entry, index) {
  const wrap = el("div", "exchange");
  wrap.dataset.index = String(index);
  wrap.appendChild(el("div", "bubble user", entry.question));
  const reply = el("div", "bubble reply");
  if (entry.pending) {
    reply.classList.add("pending");
    reply.setAttribute("role", "status");
    reply.textContent = "Searching the transcripts… 正在查找…";
  } else if (entry.error) {
    reply.classList.add("error");
    reply.setAttribute("role", "alert");
    reply.appendChild(el("p", "", "Could not answer: " + entry.error));
    const retry = el("button", "secondary", "Try again 重试");
    retry.type = "button";
    retry.addEventListener("click", () => ask(entry.question, index));
    reply.appendChild(retry);
  } else if (entry.response) {
    renderResponse(reply, entry.response);
  }
  wrap.appendChild(reply);
  return wrap;
}

function render() {
  const list = document.getElementById("conversation");
  list.replaceChildren(...conversation.map(renderEntry));
  document.getElementById("examples").hidden = conversation.length > 0;
  const last = list.lastElementChild;
  if (last) last.scrollIntoView({ block: "end" });
}

async function ask(question, replaceIndex) {
  const speaker = document.getElementById("speaker").value;
  const entry = { question: question, pending: true };
  let index = replaceIndex;
  if (index === undefined) {
    conversation.push(entry);
    index = conversation.length - 1;
  } else {
    conversation[index] = entry;
  }
  render();
  const send = document.getElementById("send");
  send.disabled = true;
  try {
    const payload = { question: question, top_k: 3 };
    if (speaker) payload.speaker = speaker;
    const response = await fetch("/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      body = null;
    }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : "the server answered " + response.status;
      conversation[index] = { question: question, error: message };
    } else {
      conversation[index] = { question: question, response: body };
    }
  } catch (err) {
    conversation[index] = { question: question, error: "the server could not be reached (" + err.message + ")" };
  } finally {
    send.disabled = false;
  }
  saveConversation();
  render();
}

async function loadSpeakers() {
  try {
    const response = await fetch("/api/speakers");
    if (!response.ok) return;
    const body = await response.json();
    const select = document.getElementById("speaker");
    body.speakers.forEach((s) => {
      const option = el("option", "", s.display);
      option.value = s.name;
      select.appendChild(option);
    });
  } catch (err) {
    /* the filter stays at "everyone" */
  }
}

window.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("ask-form");
  const input = document.getElementById("question");
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
  document.getElementById("clear").addEventListener("click", () => {
    conversation.length = 0;
    saveConversation();
    render();
    input.focus();
  });
  loadSpeakers();
  render();
  input.focus();
});
