// Points: each phone spreads a budget over the items, with − and + or by typing a number. The
// phone shows what is left and never sends more than the budget (the server refuses it too);
// every change sends the whole spread ({"type": "allot", "points": {"i1": 60, "i3": 40}}).

import { t } from "../i18n.js";
import { standingBars } from "./standings.js";

const fields = new Map(); // "activity:item" -> its number field, kept so typing survives updates
const latest = new Map(); // activity id -> the newest activity and context, for the fields' handlers

const stepOf = (budget) => Math.max(1, Math.round(budget / 20)); // 5 of 100, 50 of 1000
const sum = (spread) => Object.values(spread).reduce((a, b) => a + b, 0);

// The spread this phone shows: its newest one not yet saved, else the server's.
function shownSpread(activity, ctx) {
  const sent = ctx.waiting(activity, "allot");
  return { ...(sent.length ? sent[sent.length - 1].points : ctx.own(activity).points || {}) };
}

/** Give an item `value` points, as far as the budget goes; sends the whole spread. */
function allot(activity, ctx, id, value) {
  if (!activity.open) return;
  const spread = shownSpread(activity, ctx);
  const room = activity.budget - (sum(spread) - (spread[id] || 0));
  const wanted = Number.isFinite(value) ? Math.max(0, Math.floor(value)) : 0;
  const points = Math.min(wanted, room);
  if (wanted > room) ctx.say(t("phone.points_only", { n: room }));
  if (points === (spread[id] || 0)) {
    const typed = fields.get(`${activity.id}:${id}`);
    if (typed) typed.value = String(points); // typed too much: show what it can be
    return;
  }
  if (points) spread[id] = points;
  else delete spread[id];
  ctx.send("allot", { activity: activity.id, points: spread });
}

// A number field per item, made once and kept: what is being typed is never replaced.
function field(activity, ctx, item, label) {
  const key = `${activity.id}:${item.id}`;
  let node = fields.get(key);
  if (!node) {
    node = ctx.h("input", { type: "number", inputmode: "numeric", min: "0", step: "1", class: "points-field", "aria-label": t("phone.points_for", { item: label }), dataset: { testid: "points-field" } });
    const commit = () => {
      const { activity: now, ctx: context } = latest.get(activity.id);
      allot(now, context, item.id, node.value.trim() === "" ? 0 : Number(node.value));
    };
    node.addEventListener("change", commit);
    node.addEventListener("keydown", (event) => { if (event.key === "Enter") commit(); });
    fields.set(key, node);
  }
  return node;
}

/** The phone: each item with − and +, its points as a number to type, and what is left. */
function phone(activity, ctx) {
  const { h } = ctx;
  latest.set(activity.id, { activity, ctx });
  if (!activity.items.length) return h("p", { key: "none", class: "muted", dataset: { testid: "points-none" } }, t("phone.no_items"));
  const spread = shownSpread(activity, ctx);
  const left = activity.budget - sum(spread);
  const step = stepOf(activity.budget);
  const open = activity.open;
  const sent = ctx.waiting(activity, "allot");
  const rows = activity.items.map((item) => {
    const label = ctx.text(item.text);
    const mine = spread[item.id] || 0;
    const input = field(activity, ctx, item, label);
    if (document.activeElement !== input) input.value = String(mine);
    input.max = String(mine + left);
    input.readOnly = !open;
    const canLess = open && mine > 0;
    const canMore = open && left > 0;
    // aria-disabled, not disabled: a disabled button drops the focus to the page.
    return h("li", { key: item.id, class: "points-row", dataset: { item: item.id, testid: "points-item", points: String(mine) } },
      h("span", { class: "points-label", dir: "auto" }, label),
      h("span", { class: "stepper" },
        h("button", { type: "button", class: "round", "aria-label": t("phone.points_less", { item: label }), "aria-disabled": canLess ? "false" : "true", onclick: () => canLess && allot(activity, ctx, item.id, mine - step), dataset: { testid: "less" } }, "−"),
        ctx.keep(input, `field-${item.id}`),
        h("button", { type: "button", class: "round", "aria-label": t("phone.points_more", { item: label }), "aria-disabled": canMore ? "false" : "true", onclick: () => canMore && allot(activity, ctx, item.id, mine + Math.min(step, left)), dataset: { testid: "more" } }, "+")));
  });
  let state = null;
  if (sent.length) {
    state = h("p", { class: "confirm pending", dataset: { testid: "allotted", state: "waiting" } },
      t(ctx.connected() ? "phone.vote_sending" : "phone.vote_waiting"));
  } else if (ctx.own(activity).points) {
    state = h("p", { class: "confirm", dataset: { testid: "allotted", state: "saved" } }, t("phone.points_saved"));
  }
  return h("div", { key: "points", class: "points-input" },
    h("p", { class: "hint" }, t("phone.points_hint", { budget: activity.budget })),
    h("ul", { class: "points-list", dataset: { testid: "points-list" } }, rows),
    h("p", { class: `points-left${left ? "" : " spent"}`, dataset: { testid: "points-left", left: String(left) } },
      t("phone.points_left", { n: left, budget: activity.budget })),
    state,
    activity.totals ? h("section", { key: "results" }, h("h2", {}, t("phone.results")), results(activity, ctx)) : null);
}

/** What the live region says once the server has saved this phone's spread: what is left. */
function saved(command, activity) {
  return t("phone.points_left", { n: activity.budget - sum(command.points), budget: activity.budget });
}

/** The items by points, with their share of all points given: bars for the screen, the console,
 *  the results page and the phone (once shown). Null while there are no results to show. */
function results(activity, { h, text }) {
  const totals = activity.totals;
  if (!totals) return null;
  const most = Math.max(0, ...totals.items.map((item) => item.points));
  const rows = totals.items.map((item) => ({
    id: item.id,
    rank: item.rank,
    label: text(item.text),
    share: most ? Math.round((100 * item.points) / most) : 0,
    count: t("results.points", { n: item.points }),
    detail: `${item.share}%`,
    data: { item: item.id, testid: `total-${item.id}`, points: String(item.points) },
  }));
  return standingBars(h, rows, {
    testid: "totals",
    empty: t("results.no_items"),
    total: h("p", { class: "muted total", dataset: { testid: "voters" } }, t("results.votes", { n: totals.voters })),
  });
}

export default {
  input: true,
  phone,
  saved,
  results,
  console: results,
};
