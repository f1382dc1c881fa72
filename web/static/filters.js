// The speaker and briefing filters: menus filled from /api/speakers and /api/transcripts, the active ones shown
// as removable chips and kept in localStorage. Shares the chat's state (app.js), loaded before it.
"use strict";

function renderChips() {
  const box = document.getElementById("filters");
  const chips = [];
  [["speaker", speakerNames], ["transcript", transcriptTitles]].forEach(([key, names]) => {
    if (!filters[key]) return;
    const chip = el("span", "chip");
    chip.appendChild(el("span", "", t(key) + ": "));
    chip.appendChild(el("span", "", names[filters[key]] || filters[key], langOf(names[filters[key]] || filters[key])));
    const remove = el("button", "chip-remove", "×");
    remove.type = "button";
    remove.setAttribute("aria-label", t("removeFilter") + " " + (names[filters[key]] || filters[key]));
    remove.addEventListener("click", () => setFilter(key, ""));
    chip.appendChild(remove);
    chips.push(chip);
  });
  box.replaceChildren(...chips);
  box.hidden = chips.length === 0;
}

function setFilter(key, value) {
  filters[key] = value;
  saveJson(FILTER_KEY, filters);
  const select = document.getElementById(key);
  if (select && select.value !== value) select.value = value;
  renderChips();
}

async function loadOptions() {
  try {
    const [speakers, transcripts] = await Promise.all([fetch("/api/speakers"), fetch("/api/transcripts")]);
    if (speakers.ok) {
      const select = document.getElementById("speaker");
      (await speakers.json()).speakers.forEach((s) => {
        const label = s.name_en && s.name_en !== s.name ? s.display + " · " + s.name_en : s.display;
        speakerNames[s.name] = s.name_en && s.name_en !== s.name ? s.name + " (" + s.name_en + ")" : s.name;
        const option = el("option", "", label);
        option.value = s.name;
        select.appendChild(option);
      });
    }
    if (transcripts.ok) {
      const list = (await transcripts.json()).transcripts;
      const select = document.getElementById("transcript");
      list.forEach((item) => {
        transcriptTitles[item.id] = (item.date ? item.date + " " : "") + item.title;
        const option = el("option", "", transcriptTitles[item.id], langOf(item.title));
        option.value = item.id;
        select.appendChild(option);
      });
      document.getElementById("transcript-filter").hidden = list.length < 2 && !filters.transcript;
    }
  } catch (err) {
    /* the filters stay at "everyone" */
  }
  ["speaker", "transcript"].forEach((key) => {
    const select = document.getElementById(key);
    if (filters[key] && ![...select.options].some((o) => o.value === filters[key])) filters[key] = "";
    select.value = filters[key];
  });
  saveJson(FILTER_KEY, filters);
  renderChips();
  renderAll();
}
