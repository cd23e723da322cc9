// A matrix: each item placed on two scales, across (x, effort) and up (y, effect); results as
// a plot of the mean places with the spread as a cross, and the quadrants named.

import { t } from "../i18n.js";

// The quadrants (top is effect, right is effort) and their effort/effect names.
const QUADRANTS = { top_left: "results.top_left", top_right: "results.top_right", bottom_left: "results.bottom_left", bottom_right: "results.bottom_right" };
const AXES = ["x", "y"];
const decimals = new Intl.NumberFormat(document.documentElement.lang || "en", { maximumFractionDigits: 1 });
const figure = (v) => decimals.format(v);
const values = (axis) => Array.from({ length: axis.max - axis.min + 1 }, (_, i) => axis.min + i);
const along = (axis, v) => Math.min(100, Math.max(0, (100 * (v - axis.min)) / (axis.max - axis.min)));
// One scale of an item chosen on this phone and the other not yet: "activity:item" -> {x} or {y}.
const drafts = new Map();

/** A quadrant's name: the agenda's, or the effort/effect name in the page's language. */
const quadrantName = (activity, key, text) => (activity.quadrants?.[key] ? text(activity.quadrants[key]) : t(QUADRANTS[key]));

/** This phone's place per item as shown: its newest command not yet answered, else the
 *  server's ({x, y}, or null when taken back). */
function places(activity, ctx) {
  const shown = new Map((ctx.own(activity).places || []).map((p) => [p.item, { x: p.x, y: p.y }]));
  for (const c of ctx.waiting(activity, "place")) shown.set(c.item, c.x === null ? null : { x: c.x, y: c.y });
  return shown;
}

/** The mean places on a plot with the quadrants named, a cross of one standard deviation each
 *  way, and the same in words beside it (for reading aloud and for the numbers); null until
 *  they are shown. */
function results(activity, { h, text }) {
  if (!activity.positions) return null;
  const { x, y } = activity;
  const label = (row) => text(row.text ?? activity.items[row.item]);
  const placed = activity.positions.filter((row) => row.n);
  const spot = (node, left, bottom, width, height) => {
    Object.assign(node.style, { left: `${left}%`, bottom: `${bottom}%` }); // the CSSOM: the CSP refuses style attributes
    if (width !== undefined) node.style.width = `${width}%`;
    if (height !== undefined) node.style.height = `${height}%`;
    return node;
  };
  const plot = h("div", { class: "plot", "aria-hidden": "true" },
    Object.keys(QUADRANTS).map((key) => h("span", { key, class: `quadrant ${key}` }, quadrantName(activity, key, text))),
    h("span", { key: "mid-x", class: "mid-x" }), h("span", { key: "mid-y", class: "mid-y" }),
    placed.map((row) => {
      const [left, bottom] = [along(x, row.x), along(y, row.y)];
      const [west, east] = [along(x, row.x - row.sd_x), along(x, row.x + row.sd_x)];
      const [south, north] = [along(y, row.y - row.sd_y), along(y, row.y + row.sd_y)];
      return h("span", { key: row.item, class: "placed" },
        spot(h("span", { class: "spread-x" }), west, bottom, east - west),
        spot(h("span", { class: "spread-y" }), left, south, undefined, north - south),
        spot(h("span", { class: "point", dataset: { testid: "point", item: String(row.item) } }, String(row.item + 1)), left, bottom));
    }));
  const legend = h("ol", { class: "plot-legend" }, activity.positions.map((row) => h("li", {
    key: row.item, dataset: { testid: "position", item: String(row.item), n: String(row.n), quadrant: row.quadrant ?? "" },
  },
  h("span", { class: "point-no", "aria-hidden": "true" }, String(row.item + 1)),
  h("span", { class: "legend-text" },
    h("bdi", {}, label(row)),
    h("small", { class: "legend-figures" }, row.n
      ? [`${row.quadrant ? quadrantName(activity, row.quadrant, text) : t("results.on_a_line")} · `,
        `${text(x.label)} ${figure(row.x)} ± ${figure(row.sd_x)} · ${text(y.label)} ${figure(row.y)} ± ${figure(row.sd_y)} · `,
        t("results.votes", { n: row.n })]
      : t("results.no_answers"))))));
  return h("div", { class: "results matrix", dataset: { testid: "matrix-results" } },
    h("figure", { class: "plot-box" },
      h("span", { class: "axis-y", dir: "auto" }, `${text(y.label)} ↑`),
      plot,
      h("span", { class: "axis-x", dir: "auto" }, `${text(x.label)} →`)),
    legend);
}

/** The phone: per item a row of numbers for each scale; a place is sent once both are
 *  chosen, and a tap on a chosen number takes the place back. */
function phone(activity, ctx) {
  const { h, text } = ctx;
  const shown = places(activity, ctx);
  const waiting = new Set(ctx.waiting(activity, "place").map((c) => c.item));
  const choose = (item, axis, value, button) => {
    const key = `${activity.id}:${item}`;
    const now = { ...(shown.get(item) || {}), ...drafts.get(key) };
    if (now[axis] === value) {
      delete now[axis];
      if (shown.get(item)) ctx.send("place", { activity: activity.id, item, x: null, y: null });
    } else now[axis] = value;
    if (now.x !== undefined && now.y !== undefined) {
      drafts.delete(key);
      ctx.send("place", { activity: activity.id, item, x: now.x, y: now.y });
      return;
    }
    drafts.set(key, now);
    // Nothing is sent yet, so the page does not draw again: mark the row here, as a draw would.
    for (const other of button.parentNode.children) other.setAttribute("aria-pressed", String(other === button && now[axis] === value));
    const hint = button.closest("fieldset").querySelector("[data-testid=place-state]");
    const half = (now.x === undefined) !== (now.y === undefined);
    hint.textContent = half ? t("phone.place_other", { axis: text(activity[now.x === undefined ? "x" : "y"].label) }) : "";
    hint.dataset.state = "half";
    hint.hidden = !half;
  };
  const items = activity.items.map((name, item) => {
    const chosen = { ...(shown.get(item) || {}), ...drafts.get(`${activity.id}:${item}`) };
    const half = (chosen.x === undefined) !== (chosen.y === undefined);
    return h("fieldset", { key: item, class: "rate-item", dataset: { testid: "place-item", item: String(item) } },
      h("legend", { dir: "auto" }, text(name)),
      AXES.map((axis) => {
        const scale = activity[axis];
        const end = (v) => (v === scale.min && scale.low ? ` – ${text(scale.low)}` : v === scale.max && scale.high ? ` – ${text(scale.high)}` : "");
        return h("div", { key: axis, class: "rate-axis", role: "group", "aria-label": text(scale.label) },
          h("span", { class: "rate-label", "aria-hidden": "true" }, text(scale.label)),
          h("span", { class: "rate-row" }, values(scale).map((v) => h("button", {
            key: v, type: "button", class: "rate", "aria-pressed": String(chosen[axis] === v), disabled: !activity.open,
            "aria-label": `${text(scale.label)} ${v}${end(v)}`, onclick: (event) => choose(item, axis, v, event.currentTarget), dataset: { testid: `${axis}-${v}` },
          }, String(v)))),
          scale.low || scale.high ? h("span", { class: "rate-ends", "aria-hidden": "true" },
            h("span", { dir: "auto" }, `${scale.min}${end(scale.min)}`), h("span", { dir: "auto" }, `${scale.max}${end(scale.max)}`)) : null);
      }),
      h("p", { class: "confirm pending", hidden: !(half || waiting.has(item)), dataset: { testid: "place-state", state: waiting.has(item) ? "waiting" : "half" } },
        waiting.has(item) ? t(ctx.connected() ? "phone.vote_sending" : "phone.vote_waiting")
          : half ? t("phone.place_other", { axis: text(activity[chosen.x === undefined ? "x" : "y"].label) }) : ""));
  });
  const done = [...shown.values()].filter(Boolean).length;
  return h("div", { key: "placing" },
    h("p", { class: "hint" }, t("phone.matrix_hint")),
    items,
    h("p", { class: done === activity.items.length ? "confirm" : "hint", dataset: { testid: "rated" } }, t("phone.rated", { n: done, total: activity.items.length })),
    activity.positions ? h("section", { key: "results" }, h("h2", {}, t("phone.results")), results(activity, ctx)) : null);
}

export default {
  input: true,
  phone,
  saved: (command, activity, ctx) => (activity ? t("phone.rated", { n: [...places(activity, ctx).values()].filter(Boolean).length, total: activity.items.length }) : null),
  results,
  console: results,
};
