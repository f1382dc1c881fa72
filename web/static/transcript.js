// Mark the lines a citation points at (#L129-L149) and bring them into view.
"use strict";

function markCited() {
  document.querySelectorAll(".line.marked").forEach((el) => el.classList.remove("marked"));
  const match = /^#L(\d+)(?:-L(\d+))?$/.exec(window.location.hash);
  if (!match) return;
  const start = Number(match[1]);
  const end = Math.max(start, Number(match[2] || match[1]));
  let first = null;
  for (let n = start; n <= end && n - start < 5000; n++) {
    const line = document.getElementById("L" + n);
    if (!line) continue;
    line.classList.add("marked");
    first = first || line;
  }
  if (first) {
    first.scrollIntoView({ block: "center" });
    first.setAttribute("tabindex", "-1");
    first.focus({ preventScroll: true });
  }
}

window.addEventListener("hashchange", markCited);
window.addEventListener("DOMContentLoaded", markCited);
