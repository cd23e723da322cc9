// The projector: how to join, then the current activity with the results let through.

import { localize, t } from "./i18n.js";
import { kindOf, ready } from "./kinds.js";
import { connect, showStatus } from "./live.js";
import { el as h } from "./patch.js";
import { everyPart, partOf, tableName } from "./tables.js";

const body = document.body;
const code = body.dataset.code;
const lang = body.dataset.lang;
const fallback = body.dataset.meetingLang;
const stage = document.getElementById("stage");
const lobby = stage.querySelector(".lobby");
const count = document.querySelector("[data-testid=participants]");
const problem = document.getElementById("screen-error");
const text = (value) => localize(value, lang, fallback);
const key = new URLSearchParams(location.hash.slice(1)).get("key");
let lastView = null; // for fitting the notes again when the window changes size
let loaded = false; // the kinds' modules, preloaded with the page
const fill = (parent, ...children) => parent.replaceChildren(...children.filter(Boolean));
const context = { h, text };

connect({
  code, role: "screen", key, lang,
  handlers: {
    view(view) { lastView = view; if (loaded) render(view); },
    error(error) { problem.textContent = error.message; problem.hidden = false; },
    status: showStatus(document.querySelector("[data-testid=status]"), t, { saves: false }),
  },
});

const loadedNow = () => { loaded = true; if (lastView) render(lastView); };
ready.then(loadedNow);

function render(view) {
  count.textContent = t("screen.participants", { n: view.participants });
  count.dataset.count = String(view.participants);
  problem.hidden = true;
  const activity = view.activity;
  if (view.ended) {
    fill(stage, h("section", { class: "lobby", dataset: { testid: "screen-ended" } },
      h("h1", { class: "screen-title" }, t("screen.ended")),
      h("p", { class: "join-step" }, t("screen.results_at")),
      h("p", { class: "join-step" }, h("strong", { class: "url" }, `${body.dataset.shortUrl}/${code}`))));
    return;
  }
  if (!activity) {
    fill(stage, lobby);
    return;
  }
  const parts = [h("h1", { class: "screen-title", dir: "auto", dataset: { testid: "activity-title" } }, text(activity.title))];
  if (activity.text && Object.keys(activity.text).length) parts.push(h("p", { class: "screen-text", dir: "auto" }, text(activity.text)));
  const kind = kindOf(activity);
  if (kind.input && !activity.tally) {
    parts.push(h("p", { class: "screen-meta" },
      h("span", { dataset: { testid: "responders" } }, t("results.responders", { n: activity.responders })),
      activity.open ? null : h("span", { class: "pill closed" }, t("screen.closed"))));
  }
  // The results the facilitator has let through, drawn as on the console and the results page.
  if (kind.input && activity.scope === "table") parts.push(tableResults(view, activity, kind));
  else if (kind.input) parts.push(kind.results?.(activity, context) || hiddenResults());
  // Room for "…and 4 more" after the notes, filled in (or hidden) once they are laid out.
  if (activity.notes || activity.ranking) parts.push(h("p", { class: "screen-meta", dataset: { testid: "more-notes" } }));
  // Notes shown, or results the kind says fill the screen: the instructions step back.
  const board = activity.notes || activity.ranking || kind.fills?.(activity) ? " board" : "";
  fill(stage, h("section", { class: `screen-activity kind-${activity.kind}${board}`, dataset: { activity: activity.id } }, parts));
  fitNotes(activity.more_notes || 0);
}

// The projector shows what fits and never hides a note silently: notes cut off at the bottom
// of the screen are taken out and counted with those the server left out ("…and 4 more").
function fitNotes(leftOut) {
  const more = stage.querySelector("[data-testid=more-notes]");
  if (!more) return;
  const notes = [...stage.querySelectorAll(".sticky, .rank ol > li")];
  for (const note of notes) note.hidden = false;
  const bottom = stage.getBoundingClientRect().bottom;
  const cut = (node) => node.getBoundingClientRect().bottom > bottom + 0.5;
  let hidden = 0;
  const say = () => {
    more.hidden = !(leftOut + hidden);
    more.textContent = leftOut + hidden ? t("results.more_notes", { n: leftOut + hidden }) : "";
  };
  say();
  // Take out the lowest note on the screen (the last of those at the same height) until every
  // shown note and the count itself fit. Lowest, not last in the page: side by side columns
  // (pain and heart points) lose their bottom rows in turn, never a whole column first.
  const lowest = (shown) => shown.reduce((low, node) => (node.getBoundingClientRect().bottom >= low.getBoundingClientRect().bottom ? node : low));
  for (;;) {
    const shown = notes.filter((n) => !n.hidden);
    if (!shown.length) break;
    const last = lowest(shown);
    const victim = cut(last) || (!more.hidden && cut(more)) ? last : undefined;
    if (!victim) break;
    victim.hidden = true;
    hidden += 1;
    say();
  }
  stage.dataset.hiddenNotes = String(hidden);
}

addEventListener("resize", () => { if (lastView?.activity) fitNotes(lastView.activity.more_notes || 0); });

// An activity answered per table: the table the facilitator chose, or every table side by side.
function tableResults(view, activity, kind) {
  if (!activity.show_results) return hiddenResults();
  const shown = activity.shown_table ? [partOf(activity, activity.shown_table)].filter(Boolean) : everyPart(activity);
  return h("div", { class: `tables-grid${shown.length > 1 ? " every" : ""}`, dataset: { testid: "screen-tables" } },
    shown.map((part) => h("section", { class: "table-part", dataset: { table: part.table, testid: "screen-table" } },
      h("h2", { class: "table-name", dir: "auto" }, tableName(view.tables, part.table, text)),
      kind.results?.(part, context) || hiddenResults())));
}

function hiddenResults() {
  return h("p", { class: "screen-wait", dataset: { testid: "results-hidden" } }, t("results.hidden"));
}
