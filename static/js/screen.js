// The projector: how to join, then the current activity with the results let through.

import { fill, h } from "./dom.js";
import { localize, t } from "./i18n.js";
import { connect, showStatus } from "./live.js";
import { pollBars, rankingLists, wall } from "./results.js";

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

connect({
  code, role: "screen", key, lang,
  handlers: {
    view: render,
    error(error) { problem.textContent = error.message; problem.hidden = false; },
    status: showStatus(document.querySelector("[data-testid=status]"), t, { saves: false }),
  },
});

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
  if (activity.kind !== "info" && !activity.tally) {
    parts.push(h("p", { class: "screen-meta" },
      h("span", { dataset: { testid: "responders" } }, t("results.responders", { n: activity.responders })),
      activity.open ? null : h("span", { class: "pill closed" }, t("screen.closed"))));
  }
  if (activity.kind === "poll") parts.push(activity.tally ? pollBars(activity, lang, fallback) : hiddenResults());
  if (activity.kind === "notes") parts.push(activity.notes ? wall(activity, activity.notes, lang, fallback) : hiddenResults());
  if (activity.more_notes) parts.push(h("p", { class: "screen-meta", dataset: { testid: "more-notes" } }, t("results.more_notes", { n: activity.more_notes })));
  if (activity.kind === "painjoy") {
    if (activity.ranking) parts.push(rankingLists(activity.ranking));
    else if (activity.notes) {
      parts.push(h("div", { class: "ranking" }, ["pain", "joy"].map((side) => h("section", { class: `rank ${side}`, dataset: { testid: `wall-${side}` } },
        h("h3", {}, t(side === "pain" ? "results.pain" : "results.joy")),
        wall({}, activity.notes.filter((n) => n.kind === side), lang, fallback))))); // `kind`: the wire's name for a note's side
    } else parts.push(hiddenResults());
  }
  fill(stage, h("section", { class: `screen-activity kind-${activity.kind}`, dataset: { activity: activity.id } }, parts));
}

function hiddenResults() {
  return h("p", { class: "screen-wait", dataset: { testid: "results-hidden" } }, t("results.hidden"));
}
