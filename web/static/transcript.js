// Mark the cited lines (#L129-L149) and, apart from them, the highlighted sentence(s) (&H141-L141, optionally
// &T=<the highlight's first words>&N=<its length> to mark the sentence(s) inside a long line); scroll to the highlight, else to
// the citation.
"use strict";

function parseHash(hash) {
  const cited = /^#L(\d+)(?:-L(\d+))?/.exec(hash);
  if (!cited) return null;
  const start = Number(cited[1]);
  const range = { start: start, end: Math.max(start, Number(cited[2] || cited[1])) };
  const high = /[&;]H(\d+)(?:-[LH]?(\d+))?/.exec(hash);
  if (high) {
    const hs = Number(high[1]);
    range.highStart = hs;
    range.highEnd = Math.max(hs, Number(high[2] || high[1]));
  }
  const words = /[&;]T=([^&]*)/.exec(hash);
  if (words) {
    try {
      range.words = decodeURIComponent(words[1]);
    } catch (err) {
      range.words = "";
    }
  }
  const length = /[&;]N=(\d+)/.exec(hash);
  if (length) range.length = Math.min(Number(length[1]), 2000);
  return range;
}

function lines(from, to) {
  const found = [];
  for (let n = from; n <= to && n - from < 5000; n++) {
    const line = document.getElementById("L" + n);
    if (line) found.push(line);
  }
  return found;
}

function markSentence(line, words, wanted) {
  // Wrap the highlight (`wanted` characters from `words`, else up to the sentence's end) in <mark>, in one text node.
  const text = line.querySelector(".text");
  if (!text || !words) return null;
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(words);
    if (at < 0) continue;
    const rest = node.data.slice(at);
    const stop = /[。！？!?；;]|\.\s/.exec(rest.slice(words.length));
    const length = wanted ? Math.min(wanted, rest.length) : stop ? words.length + stop.index + 1 : rest.length;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + length);
    const mark = document.createElement("mark");
    mark.className = "sentence";
    range.surroundContents(mark);
    return mark;
  }
  return null;
}

function markCited() {
  document.querySelectorAll(".line.marked, .line.highlighted").forEach((el) => el.classList.remove("marked", "highlighted"));
  document.querySelectorAll("mark.sentence").forEach((mark) => mark.replaceWith(...mark.childNodes));
  const range = parseHash(window.location.hash);
  const note = document.getElementById("cited-note");
  if (!range) {
    if (note) note.hidden = true;
    return;
  }
  const cited = lines(range.start, range.end);
  cited.forEach((line) => line.classList.add("marked"));
  let target = cited[0] || null;
  if (range.highStart) {
    const high = lines(range.highStart, range.highEnd);
    high.forEach((line) => line.classList.add("highlighted"));
    const sentence = high.length && range.words ? markSentence(high[0], range.words, range.length) : null;
    target = sentence || high[0] || target;
  }
  if (note) {
    note.hidden = !cited.length;
    note.textContent = "Cited: lines " + range.start + "–" + range.end +
      (range.highStart ? "; the answer's key sentence is marked in bold yellow (lines " + range.highStart + "–" + range.highEnd + ")." : ".");
  }
  if (target) {
    target.scrollIntoView({ block: "center" });
    const focusable = target.closest(".line") || target;
    focusable.setAttribute("tabindex", "-1");
    focusable.focus({ preventScroll: true });
  }
}

window.addEventListener("hashchange", markCited);
window.addEventListener("DOMContentLoaded", markCited);
