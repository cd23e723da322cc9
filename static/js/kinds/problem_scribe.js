// A table's scribe at one question of a problem description (kinds/problem.js imports it when a
// scribe's phone first draws one): write down what the table agreed on, for the people at it
// without a phone, or mark an answer already written as the table's (docs/protocol.md, "Scribes").

import { characters, t } from "../i18n.js";
import { label } from "./problem.js";

const forms = new Map(); // "activity/field" -> its form, kept so typing survives updates

function agreedForm(activity, field, ctx) {
  const id = `${activity.id}/${field}`;
  let form = forms.get(id);
  if (!form) {
    const input = ctx.h("input", { name: "text", dir: "auto", "aria-label": t("tables.scribe_write_named", { field: label(field) }), dataset: { testid: "scribe-text" } });
    form = ctx.h("form", { class: "scribe-form", dataset: { testid: "scribe-form" } },
      ctx.h("label", {}, t("tables.scribe_write")), input,
      ctx.h("button", { type: "submit", class: "primary", dataset: { testid: "scribe-save" } }, t("tables.scribe_save")));
    forms.set(id, form);
  }
  // The handler is set again at every draw: it sends with the context of now.
  form.onsubmit = (event) => {
    event.preventDefault();
    const value = form.elements.text.value.trim();
    if (!value || characters(value) > activity.max_length) return;
    ctx.send("scribe", { activity: activity.id, field, text: value, agreed: true });
    form.elements.text.value = "";
  };
  return form;
}

/** What the scribe can do at one question: the table's answer, written or chosen. */
export default function scribeTools(activity, ctx, field) {
  const { h } = ctx;
  const found = activity.answers?.[field];
  const agree = (c) => h("button", { type: "button", class: "small", "aria-label": t("tables.scribe_agree_named", { text: c.text }), onclick: () => ctx.send("agree", { activity: activity.id, contribution: c.id }), dataset: { testid: "scribe-agree" } }, t("tables.scribe_agree"));
  return h("section", { key: "scribe", class: "scribe-tools", dataset: { testid: "scribe-tools" } },
    h("h3", {}, t("tables.scribe_heading")),
    agreedForm(activity, field, ctx),
    found && found.contributions.length ? h("ul", { class: "problem-list" }, found.contributions.map((c) => h("li", { key: c.id },
      h("bdi", {}, c.text), " ",
      c.id === found.agreed
        ? h("button", { type: "button", class: "small link", onclick: () => ctx.send("clear_agreed", { activity: activity.id, field }), dataset: { testid: "scribe-clear" } }, t("tables.scribe_clear"))
        : agree(c)))) : null);
}
