// A ranking: each phone puts the items in its own order, by dragging an item's handle or with
// its up and down buttons (keyboard and screen readers); every move sends the whole order
// ({"type": "rank", "order": ["i3", "i1", …]}). Results: the items by Borda score, as bars.

import { t } from "../i18n.js";
import { standingBars } from "./standings.js";

const dragging = new Map(); // activity id -> {id, order, pointer}: an item under a finger
const spoken = new Map(); // activity id -> what the live region last said about a move

const ids = (activity) => activity.items.map((item) => item.id);

// The order this phone shows: the one being dragged, else its newest order not yet saved,
// else the server's, else the items' own order.
function shownOrder(activity, ctx) {
  const held = dragging.get(activity.id);
  if (held) return held.order;
  const sent = ctx.waiting(activity, "rank");
  const order = sent.length ? sent[sent.length - 1].order : ctx.own(activity).order;
  const known = ids(activity);
  // An order that does not name these items (none yet, or withdrawn) is the items' order.
  if (!order || order.length !== known.length || !order.every((id) => known.includes(id))) return known;
  return order;
}

const average = (value) => (value === null || value === undefined
  ? "–"
  : value.toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: 2 }));

/** The items by Borda score, with their average position: bars for the screen, the console,
 *  the results page and the phone (once shown). Null while there are no results to show. */
function results(activity, { h, text }) {
  const standings = activity.standings;
  if (!standings) return null;
  const most = standings.rankers * Math.max(standings.items.length - 1, 0); // all put it first
  const rows = standings.items.map((item) => ({
    id: item.id,
    rank: item.rank,
    label: text(item.text),
    share: most ? Math.round((100 * item.score) / most) : 0,
    count: t("results.points", { n: item.score }),
    detail: t("results.average", { n: average(item.average) }),
    data: { item: item.id, testid: `standing-${item.id}`, rank: String(item.rank), score: String(item.score) },
  }));
  return standingBars(h, rows, {
    testid: "standings",
    empty: t("results.no_items"),
    total: h("p", { class: "muted total", dataset: { testid: "rankers" } }, t("results.votes", { n: standings.rankers })),
  });
}

/** Send the order, and say where the moved item went (the live region, at once). */
function sendOrder(activity, ctx, order, moved) {
  if (moved) {
    const item = activity.items.find((i) => i.id === moved);
    spoken.set(activity.id, t("phone.rank_moved", { item: ctx.text(item.text), n: order.indexOf(moved) + 1, total: order.length }));
  }
  ctx.send("rank", { activity: activity.id, order });
}

function move(activity, ctx, id, by, button) {
  const order = [...shownOrder(activity, ctx)];
  const from = order.indexOf(id);
  const to = from + by;
  if (!activity.open || to < 0 || to >= order.length) return;
  [order[from], order[to]] = [order[to], order[from]];
  sendOrder(activity, ctx, order, id);
  // The row moves in the list, which takes the focus from its button: give it back.
  queueMicrotask(() => queueMicrotask(() => ctx.stage.querySelector(`[data-item="${id}"] [data-testid=${button}]`)?.focus()));
}

// Dragging: the list follows the finger (the row moves between the others as it passes their
// middles); letting go sends the order. The list holds the pointer, so a row may move freely.
function startDrag(activity, ctx, id, event) {
  if (!activity.open || dragging.has(activity.id)) return;
  event.preventDefault();
  const list = event.currentTarget.closest("ol");
  list.setPointerCapture(event.pointerId);
  const order = [...shownOrder(activity, ctx)];
  dragging.set(activity.id, { id, order, pointer: event.pointerId, start: order.join() });
  list.querySelector(`[data-item="${id}"]`)?.classList.add("dragging");
}

function drag(activity, event) {
  const state = dragging.get(activity.id);
  if (!state || event.pointerId !== state.pointer) return;
  const list = event.currentTarget;
  const row = list.querySelector(`[data-item="${state.id}"]`);
  const others = [...list.children].filter((li) => li !== row);
  const before = others.find((li) => event.clientY < li.getBoundingClientRect().top + li.offsetHeight / 2) || null;
  if (row.nextElementSibling !== before) list.insertBefore(row, before);
  state.order = [...list.children].map((li) => li.dataset.item);
}

function drop(activity, ctx, event) {
  const state = dragging.get(activity.id);
  if (!state || event.pointerId !== state.pointer) return;
  dragging.delete(activity.id);
  event.currentTarget.querySelector(".dragging")?.classList.remove("dragging");
  if (state.order.join() !== state.start) sendOrder(activity, ctx, state.order, state.id);
}

/** The phone: the items in this phone's order, to drag or move with buttons. */
function phone(activity, ctx) {
  const { h } = ctx;
  if (!activity.items.length) return h("p", { key: "none", class: "muted", dataset: { testid: "rank-none" } }, t("phone.no_items"));
  const order = shownOrder(activity, ctx);
  const byId = new Map(activity.items.map((item) => [item.id, item]));
  const open = activity.open;
  const sent = ctx.waiting(activity, "rank");
  const stored = Boolean(ctx.own(activity).order);
  const held = dragging.get(activity.id)?.id;
  const rows = order.map((id, index) => {
    const label = ctx.text(byId.get(id).text);
    const canUp = open && index > 0;
    const canDown = open && index < order.length - 1;
    // aria-disabled, not disabled: a disabled button drops the focus to the page.
    return h("li", { key: id, class: id === held ? "rank-row dragging" : "rank-row", dataset: { item: id, testid: "rank-item" } },
      h("span", { class: "rank-label", dir: "auto" }, label),
      h("span", { class: "grip", "aria-hidden": "true", onpointerdown: (event) => startDrag(activity, ctx, id, event), dataset: { testid: "grip" } }, "⠿"),
      h("span", { class: "rank-moves" },
        h("button", { type: "button", class: "round", "aria-label": t("phone.move_up", { item: label }), "aria-disabled": canUp ? "false" : "true", onclick: () => move(activity, ctx, id, -1, "move-up"), dataset: { testid: "move-up" } }, "↑"),
        h("button", { type: "button", class: "round", "aria-label": t("phone.move_down", { item: label }), "aria-disabled": canDown ? "false" : "true", onclick: () => move(activity, ctx, id, +1, "move-down"), dataset: { testid: "move-down" } }, "↓")));
  });
  let state = null;
  if (sent.length) {
    state = h("p", { class: "confirm pending", dataset: { testid: "ranked", state: "waiting" } },
      t(ctx.connected() ? "phone.vote_sending" : "phone.vote_waiting"));
  } else if (stored) {
    state = h("p", { class: "confirm", dataset: { testid: "ranked", state: "saved" } }, t("phone.rank_saved"), " ", open ? t("phone.rank_change") : "");
  }
  return h("div", { key: "rank", class: "ranking-input" },
    h("p", { class: "hint", id: `rank-hint-${activity.id}` }, t("phone.rank_hint")),
    h("ol", {
      class: "rank-list", "aria-describedby": `rank-hint-${activity.id}`, dataset: { testid: "rank-list" },
      onpointermove: (event) => drag(activity, event),
      onpointerup: (event) => drop(activity, ctx, event),
      onpointercancel: (event) => drop(activity, ctx, event),
    }, rows),
    h("p", { class: "visually-hidden", role: "status", dataset: { testid: "rank-said" } }, spoken.get(activity.id) || ""),
    state,
    // Agreeing with the order as shown is a ranking too: one tap sends it.
    open && !stored && !sent.length ? h("button", { key: "send", type: "button", class: "primary big", onclick: () => sendOrder(activity, ctx, order, null), dataset: { testid: "send-order" } }, t("phone.rank_send")) : null,
    open && stored && !sent.length ? h("button", { key: "withdraw", type: "button", class: "link", onclick: () => { spoken.delete(activity.id); ctx.send("rank", { activity: activity.id, order: [] }); } }, t("phone.withdraw")) : null,
    activity.standings ? h("section", { key: "results" }, h("h2", {}, t("phone.results")), results(activity, ctx)) : null);
}

/** What the live region says once the server has saved this phone's order. */
function saved(command) {
  return command.order.length ? t("phone.rank_saved") : t("status.saved");
}

export default {
  input: true,
  phone,
  saved,
  results,
  console: results,
};
