// Result pieces shared by the phone, the screen and the console.

import { bar, h } from "./dom.js";
import { localize, t } from "./i18n.js";

/** Poll results as bars, one per option (and "none of these" when offered). */
export function pollBars(activity, lang, fallback) {
  const tally = activity.tally;
  const labels = Object.fromEntries(activity.options.map((o) => [o.id, localize(o.text, lang, fallback)]));
  labels.none = t("phone.none");
  return h("div", { class: "results", dataset: { testid: "poll-results" } },
    h("ol", { class: "bars" },
      Object.entries(tally.counts).map(([id, count]) =>
        bar(labels[id] ?? id, count, tally.voters, { dataset: { option: id, testid: `tally-${id}`, count: String(count) } }))),
    h("p", { class: "muted total", dataset: { testid: "voters" } }, t("results.votes", { n: tally.voters })));
}

/** A sticky note as text, with a badge for merged look-alikes. */
export function sticky(note, extra = {}) {
  return h("li", { class: `sticky ${note.kind || ""}`, dataset: { note: note.id, testid: "note" }, ...extra },
    h("span", { class: "sticky-text", dir: "auto" }, note.text), // an isolate: right-to-left stays inside
    note.merged ? h("span", { class: "badge" }, t("results.merged", { n: note.merged })) : null,
    note.dots !== undefined ? h("span", { class: "dots-count", dataset: { testid: "dots" } }, t("results.dots", { n: note.dots })) : null);
}

/** The notes wall: columns when the question has them. */
export function wall(activity, notes, lang, fallback) {
  if (!notes.length) return h("p", { class: "muted" }, t("results.no_notes"));
  const columns = activity.columns || [];
  if (!columns.length) return h("ul", { class: "wall", dataset: { testid: "wall" } }, notes.map((n) => sticky(n)));
  return h("div", { class: "columns", dataset: { testid: "wall" } }, columns.map((column, index) =>
    h("section", { class: "column" },
      h("h3", {}, localize(column, lang, fallback)),
      h("ul", { class: "wall" }, notes.filter((n) => n.column === index).map((n) => sticky(n))))));
}

/** Ranked pain and heart points, most dots first. */
export function rankingLists(ranking, { withDots = true } = {}) {
  return h("div", { class: "ranking" }, ["pain", "joy"].map((kind) =>
    h("section", { class: `rank ${kind}`, dataset: { testid: `ranking-${kind}` } },
      h("h3", {}, t(kind === "pain" ? "results.pain" : "results.joy")),
      ranking[kind].length
        ? h("ol", {}, ranking[kind].map((item) => h("li", { dataset: { note: item.id } },
          h("span", { class: "rank-text", dir: "auto" }, item.text),
          item.merged ? h("span", { class: "badge" }, t("results.merged", { n: item.merged })) : null,
          withDots ? h("strong", { class: "dots-count", dataset: { testid: "dots" } }, t("results.dots", { n: item.dots })) : null)))
        : h("p", { class: "muted" }, t("results.no_notes")))));
}
