// A poll: one or more answers from a list, optionally "none of these"; results as bars.

import { t } from "../i18n.js";

/** One bar of the chart: label, bar, count and share. */
function bar(h, label, count, total, extra) {
  const share = total ? Math.round((100 * count) / total) : 0;
  const fill = h("span", { class: "bar-fill" });
  fill.style.width = `${share}%`; // the CSSOM: the page's CSP refuses style attributes
  return h("li", { class: "bar-row", ...extra },
    h("span", { class: "bar-label", dir: "auto" }, label),
    h("span", { class: "bar-track" }, fill),
    h("span", { class: "bar-count" }, `${count}`, h("small", {}, ` ${share}%`)));
}

/** The results as bars, one per option (and "none of these" when offered); null until shown. */
function results(activity, { h, text }) {
  const tally = activity.tally;
  if (!tally) return null;
  const labels = Object.fromEntries(activity.options.map((o) => [o.id, text(o.text)]));
  labels.none = t("phone.none");
  return h("div", { class: "results", dataset: { testid: "poll-results" } },
    h("ol", { class: "bars" },
      Object.entries(tally.counts).map(([id, count]) =>
        bar(h, labels[id] ?? id, count, tally.voters, { key: id, dataset: { option: id, testid: `tally-${id}`, count: String(count) } }))),
    h("p", { class: "muted total", dataset: { testid: "voters" } }, t("results.votes", { n: tally.voters })));
}

/** The phone's answers: buttons that say whether they are chosen, and what became of the vote. */
function phone(activity, ctx) {
  const { h, send } = ctx;
  const votes = ctx.waiting(activity, "vote");
  // The answer shown: this phone's newest unanswered vote, else the server's.
  const chosen = new Set(votes.length ? votes[votes.length - 1].choices : ctx.own(activity).choices || []);
  const choose = (id) => {
    let next;
    if (!activity.multiple || id === "none") next = chosen.has(id) && activity.multiple ? [] : [id];
    else {
      const set = new Set(chosen);
      set.delete("none");
      if (set.has(id)) set.delete(id); else set.add(id);
      next = activity.options.map((o) => o.id).filter((o) => set.has(o));
    }
    send("vote", { activity: activity.id, choices: next });
  };
  const withdraw = () => {
    send("vote", { activity: activity.id, choices: [] });
    // The button goes away with the answer: leave the focus on the answers, not on the page.
    queueMicrotask(() => queueMicrotask(() => ctx.stage.querySelector(".choice")?.focus()));
  };
  const options = activity.options.map((o) => ({ id: o.id, label: ctx.text(o.text) }));
  if (activity.none_option) options.push({ id: "none", label: t("phone.none") });
  const buttons = options.map((o) => h("button", {
    key: o.id, type: "button", class: `choice${o.id === "none" ? " none" : ""}`, "aria-pressed": chosen.has(o.id) ? "true" : "false",
    disabled: !activity.open, onclick: () => choose(o.id), dataset: { option: o.id, testid: `option-${o.id}` },
  }, h("span", { class: "tick", "aria-hidden": "true" }), o.label));
  let confirm = null;
  if (votes.length) {
    // Sent, not yet saved: say so honestly, never "saved" in green.
    confirm = h("p", { class: "confirm pending", dataset: { testid: "voted", state: "waiting" } },
      t(ctx.connected() ? "phone.vote_sending" : "phone.vote_waiting"));
  } else if (chosen.size) {
    confirm = h("p", { class: "confirm", dataset: { testid: "voted", state: "saved" } }, t("phone.voted"), " ", activity.open ? t("phone.change_vote") : "");
  }
  return h("div", { key: "answers" },
    h("p", { class: "hint" }, t(activity.multiple ? "phone.vote_multiple" : "phone.vote_single")),
    h("div", { class: "choices", role: "group" }, buttons),
    confirm,
    chosen.size && activity.open ? h("button", { key: "withdraw", type: "button", class: "link", onclick: withdraw }, t("phone.withdraw")) : null,
    activity.tally ? h("section", { key: "tally" }, h("h2", {}, t("phone.results")), results(activity, ctx)) : null);
}

export default {
  input: true,
  phone,
  saved: () => t("phone.voted"),
  results,
  console: results,
};
