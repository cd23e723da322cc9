// Pain points and heart points (smertepunkter og hjertepunkter): phase 1 notes marked pain or
// heart, phase 2 dots within a budget per side and a cap per note; results ranked by dots.

import { t } from "../i18n.js";
import { composer, myNotes, wall } from "./notes.js";

const SIDES = ["pain", "joy"];
const orders = new Map(); // "activity:side" -> note ids in the order this phone shows them

const sideName = (side) => t(side === "pain" ? "results.pain" : "results.joy");
// Pain and heart differ in words and a sign, not only in colour (forced colours drop it).
const sign = (h, side) => h("span", { "aria-hidden": "true" }, side === "pain" ? "▲ " : "♥ ");
const pointName = (side) => t(side === "pain" ? "phone.pain" : "phone.joy");
// `kind`: the wire's name for a note's side in the live views; the record calls it `side`.
const sideOf = (note) => note.side ?? note.kind;

/** Ranked pain and heart points, most dots first. */
function ranking(h, ranked) {
  return h("div", { class: "ranking" }, SIDES.map((side) =>
    h("section", { key: side, class: `rank ${side}`, dataset: { testid: `ranking-${side}` } },
      h("h3", {}, sideName(side)),
      ranked[side].length
        ? h("ol", {}, ranked[side].map((item) => h("li", { key: item.id, dataset: { note: item.id } },
          // The text and its "+1 similar" share the row's first cell: the count keeps the second.
          h("span", { class: "rank-what" },
            h("span", { class: "rank-text", dir: "auto" }, item.text),
            item.merged ? h("span", { class: "badge" }, t("results.merged", { n: item.merged })) : null),
          h("strong", { class: "dots-count", dataset: { testid: "dots" } }, t("results.dots", { n: item.dots })))))
        : h("p", { class: "muted" }, t("results.no_notes")))));
}

/** The ranking once there is one; before the dots, the notes on two walls, pain and heart. */
function results(activity, ctx) {
  const { h } = ctx;
  if (activity.ranking) return ranking(h, activity.ranking);
  if (!activity.notes) return null;
  return h("div", { class: "ranking" }, SIDES.map((side) => h("section", { class: `rank ${side}`, dataset: { testid: `wall-${side}` } },
    h("h3", {}, sideName(side)),
    wall({}, activity.notes.filter((n) => sideOf(n) === side), ctx))));
}

// Dots as shown: the server's count plus the taps not answered yet.
function dotsOf(activity, ctx) {
  const dots = { ...(ctx.own(activity).dots || {}) };
  for (const command of ctx.waiting(activity, "dot")) dots[command.note] = (dots[command.note] || 0) + command.delta;
  return dots;
}

function dotsLeft(activity, ctx) {
  const placed = dotsOf(activity, ctx);
  const budget = { pain: activity.pain_dots, joy: activity.joy_dots };
  const left = {};
  for (const side of SIDES) {
    const used = activity.ranking[side].reduce((sum, item) => sum + (placed[item.id] || 0), 0);
    left[side] = Math.max(0, budget[side] - used);
  }
  return left;
}

// The order this phone shows a side's notes in: the room's ranking in a calm moment, else the
// order already under the person's thumb (new notes at the end, gone ones dropped).
function ordered(activity, side, calm) {
  const ranked = activity.ranking[side];
  const key = `${activity.id}:${side}`;
  const shown = orders.get(key);
  if (!shown || calm) {
    orders.set(key, ranked.map((item) => item.id));
    return ranked;
  }
  const byId = new Map(ranked.map((item) => [item.id, item]));
  const kept = shown.filter((id) => byId.has(id));
  const fresh = ranked.map((item) => item.id).filter((id) => !kept.includes(id));
  const order = [...kept, ...fresh];
  orders.set(key, order);
  return order.map((id) => byId.get(id));
}

function sidePicker(activity, { h }) {
  return h("fieldset", { class: "sides" }, h("legend", {}, t("phone.choose_side")),
    SIDES.map((side) => h("label", { class: `side-choice ${side}` },
      h("input", { type: "radio", name: `side-${activity.id}`, value: side, dataset: { testid: `side-${side}` } }),
      h("span", {}, sign(h, side), pointName(side)),
      h("small", {}, t(side === "pain" ? "phone.pain_hint" : "phone.joy_hint")))));
}

function dotting(activity, ctx) {
  const { h } = ctx;
  const placed = dotsOf(activity, ctx);
  const left = dotsLeft(activity, ctx);
  const budget = { pain: activity.pain_dots, joy: activity.joy_dots };
  const calm = ctx.calm();
  // aria-disabled, not disabled: a disabled button drops the focus to the page.
  const change = (item, delta, allowed) => {
    if (allowed) ctx.send("dot", { activity: activity.id, note: item.id, delta });
  };
  return h("div", { key: "dots", class: "dotting" },
    h("p", { class: "hint" }, t("phone.dots_intro")),
    SIDES.filter((side) => budget[side] > 0).map((side) => {
      const items = ordered(activity, side, calm);
      return h("section", { key: side, class: `dot-list ${side}`, dataset: { testid: `dots-${side}` } },
        h("h2", {}, sign(h, side), sideName(side), " ",
          h("span", { class: "pill", dataset: { testid: `left-${side}` } }, t("phone.dots_left", { n: left[side] }))),
        items.length ? h("ul", {}, items.map((item) => {
          const count = placed[item.id] || 0;
          const canRemove = activity.open && count > 0;
          const canAdd = activity.open && left[side] > 0 && count < activity.dot_cap;
          return h("li", { key: item.id, class: `dot-item ${side}`, dataset: { note: item.id, testid: "dot-item" } },
            h("span", { class: "sticky-text", dir: "auto" }, item.text),
            h("span", { class: "dot-side" },
              h("span", { class: "dot-controls" },
                h("button", { type: "button", class: "round", "aria-label": t("phone.remove_dot_from", { note: item.text }), "aria-disabled": canRemove ? "false" : "true", onclick: () => change(item, -1, canRemove), dataset: { testid: "remove-dot" } }, "−"),
                h("span", { class: "dot-mine" },
                  h("span", { class: "dots-label", "aria-hidden": "true" }, t("phone.dots_yours")),
                  h("span", { class: "my-dots", "aria-hidden": "true", dataset: { testid: "my-dots" } }, "●".repeat(count) || "○"),
                  h("span", { class: "sr-only" }, t("phone.my_dots", { n: count }))),
                h("button", { type: "button", class: "round", "aria-label": t("phone.add_dot_to", { note: item.text }), "aria-disabled": canAdd ? "false" : "true", onclick: () => change(item, +1, canAdd), dataset: { testid: "add-dot" } }, "+")),
              item.dots !== undefined ? h("small", { class: "muted dots-all", dataset: { testid: "dots-all" } }, t("phone.dots_all", { n: item.dots })) : null));
        })) : h("p", { class: "muted" }, t("results.no_notes")));
    }));
}

function phone(activity, ctx) {
  if (activity.phase === "dots") return dotting(activity, ctx);
  const tag = (note) => (SIDES.includes(note.kind)
    ? ctx.h("span", { class: `side-tag ${note.kind}` }, sign(ctx.h, note.kind), pointName(note.kind))
    : null);
  return ctx.h("div", { key: "notes" },
    composer(activity, ctx, {
      picker: () => sidePicker(activity, ctx),
      pick: (form) => {
        const picked = form.querySelector("input[type=radio]:checked");
        return picked ? { side: picked.value } : t("phone.choose_side");
      },
    }),
    myNotes(activity, ctx, tag));
}

/** What the phone's live region says once the server has saved a command of this phone. */
function saved(command, activity, ctx) {
  if (command.type === "note") return t("phone.note_posted");
  if (activity.phase !== "dots") return null;
  const side = SIDES.find((s) => activity.ranking[s].some((item) => item.id === command.note));
  return side ? t("phone.dots_left_say", { side: sideName(side), n: dotsLeft(activity, ctx)[side] }) : null;
}

/** The console's phase switch: notes first, then dots. */
function controls(activity, { h, send }) {
  return h("span", { class: "segmented" }, ["notes", "dots"].map((phase) =>
    h("button", { type: "button", "aria-pressed": activity.phase === phase ? "true" : "false", onclick: () => send("phase", { activity: activity.id, phase }), dataset: { testid: `phase-${phase}` } },
      t(phase === "notes" ? "console.phase_notes" : "console.phase_dots"))));
}

export default {
  input: true,
  board: true, // notes to moderate, a wall to pause
  phone,
  saved,
  results,
  controls,
  // The console shows the ranking once the dots are out; the notes are in its moderation list.
  console: (activity, { h }) => (activity.phase === "dots" ? ranking(h, activity.ranking) : null),
  // What the console says about a note besides its text: its side and, once visible, its dots.
  noteMeta: (note) => [
    SIDES.includes(note.kind) ? ` · ${pointName(note.kind)}` : "",
    note.status === "held" ? "" : ` · ${t("console.dots", { n: note.dots })}`,
  ],
};
