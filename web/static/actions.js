// What a reader can do with an answer: say whether it was right (POST /feedback), link to it, copy its citation.
// Loaded before app.js, which calls window.answerActions(answer, entry, lang) for each answer card.
"use strict";

(function () {
  const WORDS = {
    en: {
      up: "Helpful", down: "Not helpful", wrong: "Wrong speaker", thanks: "Thanks — your feedback was recorded.",
      unavailable: "Feedback isn't available on this server.", failed: "Feedback could not be sent: ",
      permalink: "Link to this answer", copyText: "Copy citation", copyMarkdown: "Copy as Markdown",
      copied: "Copied to the clipboard.", copyFailed: "Could not copy: select the text and copy it by hand.",
      actions: "Answer actions", question: "question", opening: "opening statement", lines: "lines", highlight: "highlight",
    },
    zh: {
      up: "有帮助", down: "没帮助", wrong: "发言人有误", thanks: "谢谢，反馈已记录。",
      unavailable: "此服务器未开放反馈。", failed: "反馈未能发送：",
      permalink: "此回答的链接", copyText: "复制引用", copyMarkdown: "复制为 Markdown",
      copied: "已复制到剪贴板。", copyFailed: "无法复制，请手动选择文本复制。",
      actions: "回答操作", question: "第%问", opening: "开场介绍", lines: "行", highlight: "重点",
    },
  };
  let feedbackAvailable = true;

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function absolute(path) {
    return new URL(path, window.location.origin).href;
  }

  function citationUrl(answer) {
    const c = answer.citation;
    let url = c.url;
    if (Array.isArray(c.highlight_lines) && c.highlight_lines.length === 2) url += "&H" + c.highlight_lines[0] + "-L" + c.highlight_lines[1];
    return absolute(url);
  }

  function where(answer, w, lang) {
    const c = answer.citation;
    const question = c.exchange === 0 ? w.opening : lang === "zh" ? w.question.replace("%", c.exchange) : w.question + " " + c.exchange;
    const lines = lang === "zh" ? "第" + c.line_start + "–" + c.line_end + w.lines : w.lines + " " + c.line_start + "–" + c.line_end;
    return [c.transcript_title, c.date, question, lines].filter(Boolean).join(", ");
  }

  function who(answer, lang) {
    const s = answer.speaker;
    const native = [s.organization + (/[\u3400-\u9fff]/.test(s.title) ? "" : " ") + s.title, s.name].filter((p) => p.trim()).join(" ");
    if (lang === "en" && s.display_en) return s.display_en + " (" + native.trim() + ")";
    return native.trim() || s.name;
  }

  // The citation as plain text and as Markdown: speaker, title, body, briefing title and date, the lines, the highlight.
  function citationText(answer, lang) {
    const w = WORDS[lang];
    const c = answer.citation;
    const high = c.highlight_lines || [];
    return "“" + answer.highlight + "” — " + who(answer, lang) + ". " + where(answer, w, lang) +
      (high.length === 2 ? " (" + w.highlight + ": " + w.lines + " " + high[0] + "–" + high[1] + ")" : "") + ". " + citationUrl(answer);
  }

  function citationMarkdown(answer, lang) {
    const w = WORDS[lang];
    const quote = answer.highlight.split("\n").map((line) => "> " + line).join("\n");
    return quote + "\n>\n> — **" + who(answer, lang).replace(/([*_`[\]])/g, "\\$1") + "**, [" +
      where(answer, w, lang).replace(/([[\]])/g, "\\$1") + "](" + citationUrl(answer) + ")";
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (err) {
      const area = make("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      let done = false;
      try {
        done = document.execCommand("copy");
      } catch (e) {
        done = false;
      }
      area.remove();
      return done;
    }
  }

  async function sendFeedback(entry, answer, vote, status, buttons) {
    const w = WORDS[entry.lang === "en" ? "en" : "zh"];
    if (!feedbackAvailable) {
      status.textContent = w.unavailable;
      return;
    }
    const payload = { question: entry.question, vote: vote,
                      answer: { transcript_id: answer.citation.transcript_id, exchange: answer.citation.exchange } };
    try {
      const response = await fetch("/feedback", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
      });
      if (response.status === 201 || response.ok) {
        entry.votes = Object.assign({}, entry.votes, { [answer.citation.transcript_id + "#" + answer.citation.exchange]: vote });
        buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.vote === vote)));
        status.textContent = w.thanks;
        if (window.saveConversationSoon) window.saveConversationSoon();
      } else if (response.status === 404 || response.status === 405) {
        let body = null;
        try { body = await response.json(); } catch (err) { body = null; }
        // No /feedback on this server (the route is missing), as opposed to feedback on an answer it doesn't know.
        const unknownRoute = response.status === 405 || !body || !body.error || /^no such page/i.test(body.error.message || "");
        if (unknownRoute) {
          feedbackAvailable = false;
          document.querySelectorAll(".feedback button").forEach((b) => { b.disabled = true; });
          status.textContent = w.unavailable;
        } else status.textContent = w.failed + body.error.message;
      } else {
        status.textContent = w.failed + response.status;
      }
    } catch (err) {
      status.textContent = w.failed + err.message;
    }
  }

  window.answerActions = function (answer, entry, lang) {
    const w = WORDS[lang === "en" ? "en" : "zh"];
    const bar = make("div", "answer-actions");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", w.actions);
    const status = make("span", "action-status");
    status.setAttribute("role", "status");
    const feedback = make("span", "feedback");
    const key = answer.citation.transcript_id + "#" + answer.citation.exchange;
    const chosen = entry.votes && entry.votes[key];
    const buttons = [["up", "👍", w.up], ["down", "👎", w.down], ["wrong_speaker", "", w.wrong]].map(([vote, icon, label]) => {
      const button = make("button", "secondary small");
      if (icon) {
        const glyph = make("span", "", icon + " ");
        glyph.setAttribute("aria-hidden", "true");
        button.appendChild(glyph);
      }
      button.appendChild(document.createTextNode(label));
      button.type = "button";
      button.dataset.vote = vote;
      button.setAttribute("aria-pressed", String(chosen === vote));
      button.disabled = !feedbackAvailable;
      feedback.appendChild(button);
      return button;
    });
    buttons.forEach((button) => button.addEventListener("click", () => sendFeedback(entry, answer, button.dataset.vote, status, buttons)));
    bar.appendChild(feedback);
    const params = new URLSearchParams({ q: entry.response && entry.response.interpreted_as ? entry.response.interpreted_as : entry.question });
    if (entry.filters && entry.filters.speaker) params.set("speaker", entry.filters.speaker);
    if (entry.filters && entry.filters.transcript) params.set("transcript", entry.filters.transcript);
    const link = make("a", "permalink", w.permalink);
    link.href = "/?" + params.toString();
    bar.appendChild(link);
    [["copyText", citationText], ["copyMarkdown", citationMarkdown]].forEach(([label, format]) => {
      const button = make("button", "secondary small", w[label]);
      button.type = "button";
      button.addEventListener("click", async () => {
        status.textContent = (await copy(format(answer, lang === "en" ? "en" : "zh"))) ? w.copied : w.copyFailed;
      });
      bar.appendChild(button);
    });
    bar.appendChild(status);
    return bar;
  };

  window.citationFormats = { text: citationText, markdown: citationMarkdown };
})();
