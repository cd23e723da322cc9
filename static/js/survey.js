// A self-paced meeting (survey mode, docs/protocol.md "Surveys"): the view holds every
// activity, and this phone goes through them on its own, one at a time, with Previous and
// Next; where it is stays in this tab's session, so a reload comes back to the same one.
// The phone loads this module only in a survey (participant.js).

import { t } from "./i18n.js";

const code = document.body.dataset.code;
const KEY = `facilitate.survey.${code}`;
let index = null;

function remember() {
  try { sessionStorage.setItem(KEY, String(index)); } catch { /* private mode: not kept */ }
}

/** The activity this phone is at; null once it has gone past the last one. */
export function current(view) {
  if (index === null) {
    let kept = 0;
    try { kept = Number(sessionStorage.getItem(KEY)) || 0; } catch { kept = 0; }
    index = kept;
  }
  index = Math.min(Math.max(index, 0), view.activities.length);
  return view.activities[index] || null;
}

function go(step, redraw) {
  index += step;
  remember();
  window.scrollTo(0, 0);
  redraw();
  // The button pressed has gone with its page: a screen reader starts at the new page's title
  // (both the phone's title and the thanks page's heading are drawn focusable).
  requestAnimationFrame(() => {
    const title = document.querySelector("#stage h1");
    title?.focus();
  });
}

/** Under an activity: where the phone is, and the way back and on. */
export function nav(view, el, redraw) {
  const last = index === view.activities.length - 1;
  return el("nav", { key: "survey", class: "survey-nav", "aria-label": t("survey.where", { n: index + 1, total: view.activities.length }), dataset: { testid: "survey-nav" } },
    el("p", { class: "muted", dataset: { testid: "survey-step" } }, t("survey.where", { n: index + 1, total: view.activities.length })),
    el("p", { class: "nav-buttons" },
      el("button", { type: "button", disabled: index === 0, onclick: () => go(-1, redraw), dataset: { testid: "survey-previous" } }, `‹ ${t("survey.previous")}`),
      el("button", { type: "button", class: "primary", onclick: () => go(+1, redraw), dataset: { testid: "survey-next" } }, last ? t("survey.finish") : `${t("survey.next")} ›`)));
}

/** Past the last activity: thanks, and a way back to change an answer. */
export function done(el, redraw) {
  return el("section", { key: "survey-done", class: "card", dataset: { testid: "survey-done" } },
    el("h1", { tabindex: "-1" }, t("survey.thanks")),
    el("p", {}, t("survey.thanks_text")),
    el("button", { type: "button", onclick: () => go(-1, redraw), dataset: { testid: "survey-back" } }, `‹ ${t("survey.back")}`));
}
