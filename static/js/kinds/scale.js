// A scale: statements rated on a row of numbers (1–5, 0–10 …), "don't know" kept apart;
// results per statement: how many gave each value, the mean and the median.

import { t } from "../i18n.js";

const DONT_KNOW = "?";
const decimals = new Intl.NumberFormat(document.documentElement.lang || "en", { maximumFractionDigits: 1 });
const figure = (x) => (x === null || x === undefined ? "–" : decimals.format(x));
const values = (activity) => Array.from({ length: activity.max - activity.min + 1 }, (_, i) => activity.min + i);
// A value's name: the number, and at the two ends what it means ("1 – Helt uenig").
const named = (activity, value, text) => {
  const [low, high] = activity.labels || []; // the record leaves them out when the agenda did
  const end = value === activity.min ? low : value === activity.max ? high : null;
  return end ? `${value} – ${text(end)}` : String(value);
};

/** This phone's answer per statement as shown: its newest command not yet answered, else the
 *  server's (a value, DONT_KNOW, or null for none). */
function answers(activity, ctx) {
  const shown = new Map((ctx.own(activity).ratings || []).map((r) => [r.item, r.dont_know ? DONT_KNOW : r.value]));
  for (const c of ctx.waiting(activity, "rate")) shown.set(c.item, c.dont_know ? DONT_KNOW : c.value);
  return shown;
}

const answered = (shown) => [...shown.values()].filter((v) => v !== null && v !== undefined).length;

/** The results: per statement a column chart of the values, the mean and the median, and
 *  the "don't know"s apart; null until they are shown. */
function results(activity, { h, text }) {
  if (!activity.scores) return null;
  return h("ol", { class: "results scale-list", dataset: { testid: "scale-results" } }, activity.scores.map((row) => {
    const most = Math.max(1, ...row.counts);
    return h("li", { key: row.item, class: "scale-score", dataset: { testid: "score", item: String(row.item), n: String(row.n), mean: String(row.mean ?? "") } },
      h("h3", { dir: "auto" }, text(row.text ?? activity.items[row.item])),
      h("div", { class: "histogram" }, values(activity).map((value, i) => {
        const bar = h("span", { class: "hist-bar" });
        bar.style.height = `${Math.round((100 * row.counts[i]) / most)}%`; // the CSSOM: the CSP refuses style attributes
        return h("span", { key: value, class: "hist-col", dataset: { value: String(value), count: String(row.counts[i]) } },
          h("span", { class: "hist-count", "aria-hidden": "true" }, String(row.counts[i])),
          h("span", { class: "hist-track", "aria-hidden": "true" }, bar),
          h("span", { class: "hist-value", "aria-hidden": "true" }, String(value)),
          h("span", { class: "sr-only" }, `${named(activity, value, text)}: ${t("results.votes", { n: row.counts[i] })}`));
      })),
      h("p", { class: "scale-figures", dataset: { testid: "figures" } },
        row.n ? `${t("results.mean_median", { mean: figure(row.mean), median: figure(row.median) })} · ${t("results.votes", { n: row.n })}` : t("results.no_answers"),
        row.dont_know ? ` · ${t("results.dont_know", { n: row.dont_know })}` : ""));
  }));
}

/** The phone: per statement a row of numbers and "don't know"; a tap on the chosen one takes
 *  it back. Each statement says whether its answer is still on its way. */
function phone(activity, ctx) {
  const { h, text } = ctx;
  const shown = answers(activity, ctx);
  const waiting = new Set(ctx.waiting(activity, "rate").map((c) => c.item));
  const rate = (item, value) => {
    const again = shown.get(item) === value;
    const data = { activity: activity.id, item, value: value === DONT_KNOW || again ? null : value };
    if (value === DONT_KNOW && !again) data.dont_know = true;
    ctx.send("rate", data);
  };
  // What the two ends mean, under each row (the buttons say it to screen readers).
  const ends = () => (activity.labels?.length
    ? h("p", { class: "rate-ends", "aria-hidden": "true" },
      h("span", { dir: "auto" }, named(activity, activity.min, text)), h("span", { dir: "auto" }, named(activity, activity.max, text)))
    : null);
  const choice = (item, value, label, extra = "") => h("button", {
    key: value, type: "button", class: `rate${extra}`, "aria-pressed": String(shown.get(item) === value), disabled: !activity.open,
    "aria-label": label, onclick: () => rate(item, value), dataset: { testid: `rate-${value === DONT_KNOW ? "dont-know" : value}` },
  }, value === DONT_KNOW ? t("phone.dont_know") : String(value));
  const statements = activity.items.map((statement, item) => h("fieldset", { key: item, class: "rate-item", dataset: { testid: "rate-item", item: String(item) } },
    h("legend", { dir: "auto" }, text(statement)),
    h("div", { class: "rate-row" }, values(activity).map((value) => choice(item, value, named(activity, value, text)))),
    ends(),
    activity.dont_know ? choice(item, DONT_KNOW, t("phone.dont_know"), " dont-know") : null,
    waiting.has(item) ? h("p", { class: "confirm pending", dataset: { testid: "rate-state", state: "waiting" } },
      t(ctx.connected() ? "phone.vote_sending" : "phone.vote_waiting")) : null));
  return h("div", { key: "rating" },
    h("p", { class: "hint" }, t("phone.scale_hint")),
    statements,
    h("p", { class: answered(shown) === activity.items.length ? "confirm" : "hint", dataset: { testid: "rated" } },
      t("phone.rated", { n: answered(shown), total: activity.items.length })),
    activity.scores ? h("section", { key: "results" }, h("h2", {}, t("phone.results")), results(activity, ctx)) : null);
}

export default {
  input: true,
  phone,
  saved: (command, activity, ctx) => (activity ? t("phone.rated", { n: answered(answers(activity, ctx)), total: activity.items.length }) : null),
  results,
  console: results,
};
