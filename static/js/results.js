// The public results page: each activity's results drawn from the public record in the page,
// by its kind's module, as the screen and the console draw them. Without scripts the page
// still lists every activity with its title, the account and the follow-ups.

import { localize } from "./i18n.js";
import { kindOf, ready } from "./kinds.js";
import { el as h } from "./patch.js";
import { everyPart, tableName } from "./tables.js";

const lang = document.body.dataset.lang;
const fallback = document.body.dataset.meetingLang;
const text = (value) => localize(value, lang, fallback);
const activities = JSON.parse(document.getElementById("record").textContent);

function draw() {
  for (const section of document.querySelectorAll("[data-result]")) {
    const activity = activities.find((a) => a.id === section.dataset.result);
    const drawn = activity ? (activity.parts ? byTable(activity) : kindOf(activity).results?.(activity, { h, text })) : null;
    // An activity with nothing to count (a text slide) has no results to show.
    if (drawn) section.querySelector(".result-body").replaceChildren(drawn);
    else section.hidden = true;
  }
}

// An activity answered per table: each table's results under its name.
function byTable(activity) {
  const tables = activity.parts.map((part) => ({ id: part.table, name: part.name }));
  const drawn = everyPart(activity).map((part) => {
    const result = kindOf(part).results?.(part, { h, text });
    return result ? h("section", { class: "table-part", dataset: { table: part.table } }, h("h3", { dir: "auto" }, tableName(tables, part.table, text)), result) : null;
  }).filter(Boolean);
  return drawn.length ? h("div", { class: "tables-grid" }, drawn) : null;
}

ready.then(draw);
