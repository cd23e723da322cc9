// The console's part of proposed activities (kinds/actions.js imports it when the console first
// draws one): a form to write a proposal down for someone without a phone, or to change any
// proposal, and every proposal, waiting ones first, to choose, unchoose, change, hide, restore
// or let through.

import { characters, t } from "../i18n.js";
import { FIELDS, LABELS, counts, details, letters } from "./actions.js";

const WAITS = {
  national_id: "console.held_national_id", phone: "console.held_phone", email: "console.held_email",
  address: "console.held_address", name: "console.held_name",
};
const editing = new Map(); // activity id -> the proposal the form changes (none: a new one)

export default function moderate(activity, { h, send, refresh }) {
  const at = { activity: activity.id };
  const target = activity.actions.find((a) => a.id === editing.get(activity.id)) || null;
  // The inputs keep what is typed across updates: a change of mode fills them, then redraws.
  const load = (node, a) => {
    const fields = node.closest(".actions-console").querySelector("form").elements;
    for (const name of FIELDS) fields[name].value = a ? a[name] : "";
    if (a) editing.set(activity.id, a.id); else editing.delete(activity.id);
    refresh();
    fields.what.focus();
  };
  const submit = (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    const typed = Object.fromEntries(FIELDS.map((name) => [name, fields[name].value.trim()]));
    const long = FIELDS.find((name) => characters(typed[name]) > activity.max_length);
    if (long) { alert(t("console.actions_too_long", { limit: activity.max_length })); fields[long].focus(); return; }
    if (target) {
      const changed = Object.fromEntries(FIELDS.filter((name) => typed[name] !== target[name]).map((name) => [name, typed[name]]));
      if (Object.keys(changed).length) send("revise_action", { ...at, action: target.id, ...changed });
    } else send("write_action", { ...at, ...typed });
    load(event.target, null);
  };
  const button = (label, aria, onclick, testid, cls = "small") => h("button", { type: "button", class: cls, "aria-label": aria, onclick, dataset: { testid } }, label);
  const row = (a) => h("li", { key: a.id, class: `mod-note action-row ${a.status}${a.chosen ? " chosen" : ""}`, dataset: { action: a.id, testid: "mod-action", status: a.status } },
    h("span", { class: "sticky-text", dir: "auto" }, a.what),
    details(h, a),
    h("small", { class: "muted" }, letters(h, a.smart), " ", counts(h, a),
      a.by_facilitator ? ` · ${t("console.actions_by_facilitator")}` : "",
      a.status === "held" && WAITS[a.held] ? ` · ${t(WAITS[a.held])}` : "",
      a.status === "hidden" ? [` · ${t("console.hidden")}`, a.reason ? [": ", h("bdi", {}, a.reason)] : null] : ""),
    h("span", { class: "mod-actions" },
      a.status === "held" ? button(t("console.release"), t("console.actions_release_for", { action: a.what }), () => send("release_action", { ...at, action: a.id }), "release", "small primary") : null,
      a.status === "visible" && a.chosen ? [h("span", { class: "pill ok" }, t("actions.chosen")),
        button(t("console.actions_unchoose"), t("console.actions_unchoose_for", { action: a.what }), () => send("unchoose_action", { ...at, action: a.id }), "unchoose")] : null,
      a.status === "visible" && !a.chosen ? button(t("console.actions_choose"), t("console.actions_choose_for", { action: a.what }), () => send("choose_action", { ...at, action: a.id }), "choose", "small primary") : null,
      button(t("actions.edit"), t("console.actions_edit_for", { action: a.what }), (event) => load(event.currentTarget, a), "edit"),
      a.status === "hidden"
        ? button(t("console.restore"), t("console.actions_restore_for", { action: a.what }), () => send("restore_action", { ...at, action: a.id }), "restore")
        : button(t("console.hide"), t("console.actions_hide_for", { action: a.what }), () => {
          const reason = prompt(t("console.hide_reason"), "");
          if (reason !== null) send("hide_action", { ...at, action: a.id, reason });
        }, "hide")));
  return h("div", { key: "actions", class: "actions-console" },
    h("form", { key: "form", class: "action-form", onsubmit: submit, dataset: { testid: "console-action-form", editing: target ? target.id : "" } },
      h("h3", {}, target ? [t("console.actions_edit"), " ", h("bdi", {}, target.what)] : t("console.actions_write")),
      FIELDS.map((name) => h("p", { key: `f-${name}`, class: "action-field" },
        h("label", { for: `console-action-${name}` }, LABELS[name]()),
        h("input", { key: `i-${name}`, type: "text", id: `console-action-${name}`, name, dir: "auto", autocomplete: "off", required: name === "what", dataset: { testid: `console-action-${name}` } }))),
      h("p", { key: "buttons" },
        h("button", { type: "submit", class: "primary", dataset: { testid: "console-action-submit" } }, target ? t("actions.edit") : t("console.actions_add")),
        target ? [" ", button(t("actions.cancel"), null, (event) => load(event.currentTarget, null), "console-action-cancel")] : null)),
    activity.held ? h("p", { key: "held", class: "pill warn", dataset: { testid: "actions-held" } }, t("console.actions_held", { n: activity.held })) : null,
    activity.actions.length ? h("ul", { key: "list", class: "moderation", dataset: { testid: "actions-console-list" } }, activity.actions.map(row))
      : h("p", { key: "none", class: "muted" }, t("console.nothing_yet")),
    activity.total_actions > activity.actions.length
      ? h("p", { key: "showing", class: "small muted" }, t("console.actions_showing", { shown: activity.actions.length, n: activity.total_actions })) : null);
}
