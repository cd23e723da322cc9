// The console's part of a problem description (kinds/problem.js imports it when the console first
// draws one): each field's answers to agree on, hide, restore or let through, and a line to write
// the table's answer for people without phones.

import { t } from "../i18n.js";
import { label, why } from "./problem.js";

export default function consoleView(activity, ctx) {
  const { h, send } = ctx;
  const at = { activity: activity.id };
  const hide = (c) => {
    const reason = prompt(t("console.problem_hide_reason"), "");
    if (reason !== null) send("hide_contribution", { ...at, contribution: c.id, reason });
  };
  const button = (words, aria, onclick, testid, cls = "small") => h("button", { type: "button", class: cls, "aria-label": aria, onclick, dataset: { testid } }, words);
  const row = (field, entry, c) => h("li", { key: c.id, class: `mod-note ${c.status}${c.id === entry.agreed ? " agreed" : ""}`, dataset: { testid: "problem-contribution", contribution: c.id, status: c.status } },
    h("span", { class: "sticky-text", dir: "auto" }, c.text),
    h("small", { class: "muted" },
      c.id === entry.agreed ? h("strong", { class: "agreed-mark" }, `✓ ${t("problem.agreed")} `) : null,
      c.status === "held" ? `${t("console.waiting")} ${why("console", c.held)}` : null,
      c.status === "hidden" ? [t("console.hidden"), c.reason ? [": ", h("bdi", {}, c.reason)] : null] : null,
      c.by === "scribe" ? ` (${t("problem.scribe")})` : null),
    h("span", { class: "mod-actions" },
      c.status === "visible" && c.id !== entry.agreed ? button(t("console.problem_agree"), t("console.problem_agree_named", { text: c.text }), () => send("agree", { ...at, contribution: c.id }), "problem-agree", "small primary") : null,
      c.id === entry.agreed ? button(t("console.problem_clear"), t("console.problem_clear_named", { field: label(field) }), () => send("clear_agreed", { ...at, field }), "problem-clear") : null,
      c.status === "held" ? button(t("console.release"), t("console.release_note", { note: c.text }), () => send("release_contribution", { ...at, contribution: c.id }), "problem-release") : null,
      c.status === "hidden" ? button(t("console.restore"), t("console.restore_note", { note: c.text }), () => send("restore_contribution", { ...at, contribution: c.id }), "problem-restore")
        : button(t("console.hide"), t("console.hide_note", { note: c.text }), () => hide(c), "problem-hide")));
  const scribe = (field) => {
    const submit = (event) => {
      event.preventDefault();
      const input = event.target.elements.text;
      const value = input.value.trim();
      if (!value) return;
      send("scribe", { ...at, field, text: value });
      input.value = "";
    };
    return h("form", { key: "scribe", class: "problem-scribe", onsubmit: submit, dataset: { testid: "problem-scribe" } },
      h("input", { name: "text", dir: "auto", maxlength: "400", placeholder: t("console.problem_scribe"), "aria-label": t("console.problem_scribe_named", { field: label(field) }) }),
      h("button", { type: "submit", class: "small" }, t("console.problem_scribe_add")));
  };
  return h("div", { key: "problem", class: "problem-console" },
    activity.held ? h("p", { key: "held" }, h("span", { class: "pill warn", dataset: { testid: "held-count" } }, t("console.held_count", { n: activity.held }))) : null,
    activity.fields.map((field) => {
      const entry = activity.answers[field];
      return h("section", { key: field, class: "problem-field", dataset: { field, testid: "problem-field" } },
        h("h3", {}, label(field)),
        entry.open ? null : h("p", { class: "small muted" }, t("console.problem_closed")),
        entry.contributions.length ? h("ul", { class: "moderation" }, entry.contributions.map((c) => row(field, entry, c))) : null,
        entry.open ? scribe(field) : null);
    }),
    activity.withdrawn ? h("p", { key: "withdrawn", class: "small muted" }, t("console.problem_withdrawn", { n: activity.withdrawn })) : null);
}
