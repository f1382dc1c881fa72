// The insights page: asks for the admin token (kept in this tab's sessionStorage only), fetches
// /admin/insights.json with it, and draws the tables and the votes-per-day chart (SVG built with DOM calls:
// no innerHTML, so a question someone typed can never become markup).
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const VOTES = ["up", "down", "wrong_speaker"];
  const form = document.getElementById("token-form");
  const tokenBox = document.getElementById("token");
  const daysBox = document.getElementById("days");
  const status = document.getElementById("status");
  const figures = document.getElementById("figures");

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  function fillRows(tableId, rows, makeCells, empty) {
    const body = document.querySelector("#" + tableId + " tbody");
    body.replaceChildren();
    if (!rows.length) {
      const tr = el("tr");
      const td = el("td", empty);
      td.colSpan = 5;
      tr.append(td);
      body.append(tr);
      return;
    }
    for (const row of rows) {
      const tr = el("tr");
      tr.append(...makeCells(row));
      body.append(tr);
    }
  }

  function number(n) {
    return el("td", n, "n");
  }

  function drawChart(days) {
    const box = document.getElementById("chart");
    box.replaceChildren();
    const width = 720, height = 180, left = 28, bottom = 22, top = 8;
    const max = Math.max(1, ...days.map((d) => VOTES.reduce((s, v) => s + d[v], 0)));
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("role", "img");
    const title = document.createElementNS(SVG, "title");
    title.textContent = "Votes per day, stacked: up, down, wrong speaker";
    svg.append(title);
    const slot = (width - left) / days.length;
    const scale = (height - bottom - top) / max;
    days.forEach((day, i) => {
      let y = height - bottom;
      for (const vote of VOTES) {
        if (!day[vote]) continue;
        const h = day[vote] * scale;
        y -= h;
        const rect = document.createElementNS(SVG, "rect");
        rect.setAttribute("x", String(left + i * slot + 1));
        rect.setAttribute("y", String(y));
        rect.setAttribute("width", String(Math.max(1, slot - 2)));
        rect.setAttribute("height", String(h));
        rect.setAttribute("class", vote);
        const tip = document.createElementNS(SVG, "title");
        tip.textContent = `${day.day}: ${day[vote]} ${vote.replace("_", " ")}`;
        rect.append(tip);
        svg.append(rect);
      }
      if (i % Math.ceil(days.length / 6) === 0) {
        const label = document.createElementNS(SVG, "text");
        label.setAttribute("x", String(left + i * slot));
        label.setAttribute("y", String(height - 6));
        label.setAttribute("font-size", "11");
        label.setAttribute("fill", "#5b6776");
        label.textContent = day.day.slice(5);
        svg.append(label);
      }
    });
    const axis = document.createElementNS(SVG, "text");
    axis.setAttribute("x", "2");
    axis.setAttribute("y", String(top + 10));
    axis.setAttribute("font-size", "11");
    axis.setAttribute("fill", "#5b6776");
    axis.textContent = String(max);
    svg.append(axis);
    box.append(svg);
  }

  function show(data) {
    const totals = document.getElementById("totals");
    totals.replaceChildren();
    for (const [label, value] of [["questions", data.totals.questions], ["unanswered", data.totals.unanswered],
                                  ["feedback", data.totals.feedback]]) {
      const li = el("li");
      li.append(el("strong", value), document.createTextNode(label));
      totals.append(li);
    }
    drawChart(data.feedback_per_day);
    fillRows("unanswered", data.unanswered_groups, (g) => {
      const cell = el("td", g.example);
      const others = g.questions.filter((q) => q !== g.example);
      if (others.length) {
        const list = el("ul", null, "similar");
        for (const q of others) list.append(el("li", q));
        cell.append(list);
      }
      return [number(g.count), cell];
    }, "Nothing unanswered in this period.");
    fillRows("most-asked", data.most_asked, (q) => [number(q.count), el("td", q.question)], "No questions yet.");
    fillRows("flagged", data.most_flagged, (a) => {
      const where = el("td");
      const link = el("a", `${a.speaker || "?"} · exchange ${a.exchange}`);
      link.href = `/transcripts/${encodeURIComponent(a.transcript_id)}`;
      where.append(link);
      return [number(a.down), number(a.wrong_speaker), number(a.up), where, el("td", a.comments.join(" · "))];
    }, "No answer has been flagged.");
    figures.hidden = false;
    say(`Last ${data.days} days` + (data.status.available ? "." : ` — feedback database unavailable: ${data.status.error}`),
        !data.status.available);
  }

  async function load() {
    const token = tokenBox.value.trim();
    sessionStorage.setItem("qa-admin-token", token);
    say("Loading…");
    try {
      const response = await fetch(`/admin/insights.json?days=${encodeURIComponent(daysBox.value)}`,
                                   { headers: { Authorization: `Bearer ${token}` } });
      const data = await response.json();
      if (!response.ok) {
        say(data.error ? data.error.message : `Failed (${response.status})`, true);
        figures.hidden = true;
        return;
      }
      show(data);
    } catch (err) {
      say(`Could not load the figures: ${err}`, true);
    }
  }

  document.getElementById("csv").addEventListener("click", async (event) => {
    event.preventDefault();
    const response = await fetch("/admin/feedback?format=csv",
                                 { headers: { Authorization: `Bearer ${tokenBox.value.trim()}` } });
    if (!response.ok) { say(`CSV export failed (${response.status})`, true); return; }
    const url = URL.createObjectURL(await response.blob());
    const a = el("a");
    a.href = url;
    a.download = "feedback.csv";
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  const saved = sessionStorage.getItem("qa-admin-token");
  if (saved) {
    tokenBox.value = saved;
    load();
  } else {
    tokenBox.focus();
  }
})();
