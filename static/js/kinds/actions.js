// Activities for a citizen promise, built SMART: phones propose what, for or by whom, where,
// when, an indicator and who is responsible, fill in the rest later, and support or question
// each other's proposals; every view shows which SMART criteria are met, live, with a hint for
// each one missing (docs/protocol.md, "Activities (SMART)"). The console's part, which phones
// never run, is a module of its own (actions_console.js), fetched when the console first needs it.

import { characters, t } from "../i18n.js";

export const FIELDS = ["what", "who", "where", "when", "indicator", "responsible"];
// Each criterion: its letter, its name, and the hint for it when it is missing.
const CRITERIA = [
  ["specific", "S", () => t("actions.specific"), () => t("actions.hint_specific")],
  ["measurable", "M", () => t("actions.measurable"), () => t("actions.hint_measurable")],
  ["accepted", "A", () => t("actions.accepted"), () => t("actions.hint_accepted")],
  ["realistic", "R", () => t("actions.realistic"), () => t("actions.hint_realistic")],
  ["time_bound", "T", () => t("actions.time_bound"), () => t("actions.hint_time_bound")],
];
export const LABELS = {
  what: () => t("actions.label_what"), who: () => t("actions.label_who"), where: () => t("actions.label_where"),
  when: () => t("actions.label_when"), indicator: () => t("actions.label_indicator"), responsible: () => t("actions.label_responsible"),
};
const STANCES = { support: () => t("actions.support"), question: () => t("actions.question") };
const HELD = {
  national_id: "phone.held_national_id", phone: "phone.held_phone", email: "phone.held_email",
  address: "phone.held_address", name: "phone.held_name",
};
const forms = new Map(); // activity id -> the phone's form, kept so typing survives updates
const orders = new Map(); // activity id -> proposal ids in the order this phone shows them
const filled = (value) => characters((value || "").trim()) > 0;

/** What a draft meets before the room has said anything (core/smart.py, less "accepted"). */
function draftCriteria(values) {
  return {
    specific: ["what", "who", "where"].every((name) => filled(values[name])),
    measurable: filled(values.indicator),
    accepted: null,
    realistic: filled(values.responsible),
    time_bound: filled(values.when),
  };
}

/** The five letters, lit when met, dim when missing, dotted while the room cannot see the
 * stances; a screen reader hears the names of those met (the hints say what is missing). */
export function letters(h, smart) {
  return h("span", { class: "smart", dataset: { testid: "smart" } }, CRITERIA.map(([name, letter, named]) => {
    const met = smart[name];
    const state = met === null || met === undefined ? "unknown" : met ? "met" : "missing";
    return h("span", { key: name, class: `smart-letter ${state}`, title: named(), dataset: { criterion: name, state } },
      h("span", { "aria-hidden": "true" }, letter), met ? h("span", { class: "sr-only" }, ` ${named()}. `) : null);
  }));
}

/** A hint for each criterion still missing (none for "accepted" while the room cannot see it). */
function hints(h, smart) {
  const missing = CRITERIA.filter(([name]) => smart[name] === false);
  return missing.length ? h("ul", { key: "hints", class: "smart-hints", dataset: { testid: "smart-hints" } },
    missing.map(([name, letter, named, hint]) => h("li", { key: name, title: named() }, h("strong", {}, `${letter}: `), hint()))) : null;
}

/** The filled fields after `what`, each with its label. */
export function details(h, action) {
  const shown = FIELDS.slice(1).filter((name) => filled(action[name]));
  return shown.length ? h("dl", { key: "details", class: "action-fields" }, shown.flatMap((name) => [
    h("dt", { key: `dt-${name}` }, LABELS[name]()), h("dd", { key: `dd-${name}`, dir: "auto" }, action[name])])) : null;
}

export const counts = (h, action) => (action.supports === undefined ? null
  : h("span", { key: "counts", class: "action-counts", dataset: { testid: "action-counts" } },
    t("actions.supports", { n: action.supports }), " · ", t("actions.questions", { n: action.questions })));

// -- the phone ---------------------------------------------------------------------------------

/** The form to propose an activity, or to change one of this phone's own: built once and kept
 * while the person types; it shows, as they type, which criteria their draft meets, and
 * counts each field's characters as the server does. */
function form(activity, ctx) {
  const { h } = ctx;
  let entry = forms.get(activity.id);
  if (!entry) {
    const id = (name) => `action-${activity.id}-${name}`;
    const inputs = {};
    const errors = {};
    const rows = FIELDS.map((name) => {
      inputs[name] = h("input", { type: "text", id: id(name), name, dir: "auto", autocomplete: "off", required: name === "what",
        "aria-describedby": `${id(name)}-error`, dataset: { testid: `action-${name}` } });
      errors[name] = h("span", { id: `${id(name)}-error`, class: "field-error", dataset: { testid: `action-${name}-error` } });
      return h("p", { class: "action-field" }, h("label", { for: id(name) }, LABELS[name]()), inputs[name], errors[name]);
    });
    const heading = h("h2", { id: id("heading") });
    const draft = h("div", { class: "smart-draft", dataset: { testid: "action-draft" } });
    const submit = h("button", { type: "submit", class: "primary big", dataset: { testid: "action-submit" } });
    const cancel = h("button", { type: "button", class: "link", hidden: true, dataset: { testid: "action-cancel" } }, t("actions.cancel"));
    const node = h("form", { class: "action-form", "aria-labelledby": id("heading"), dataset: { testid: "action-form" } },
      heading, rows, draft, submit, " ", cancel);
    entry = { node, inputs, editing: null, sent: null };
    const values = () => Object.fromEntries(FIELDS.map((name) => [name, inputs[name].value.trim()]));
    const show = () => {
      heading.textContent = entry.editing ? `${t("actions.edit")}: ${inputs.what.value}` : t("actions.form_title");
      submit.textContent = entry.editing ? t("actions.edit") : t("actions.propose");
      cancel.hidden = !entry.editing;
      const smart = draftCriteria(values());
      draft.replaceChildren(letters(h, smart), hints(h, smart) || "");
    };
    const error = (name, message) => {
      errors[name].textContent = message;
      if (message) inputs[name].setAttribute("aria-invalid", "true"); else inputs[name].removeAttribute("aria-invalid");
    };
    entry.fill = (action) => {
      entry.editing = action ? action.id : null;
      for (const name of FIELDS) { inputs[name].value = action ? action[name] : ""; error(name, ""); }
      show();
    };
    for (const name of FIELDS) inputs[name].addEventListener("input", () => { error(name, ""); show(); });
    cancel.addEventListener("click", () => { entry.fill(null); inputs.what.focus(); });
    node.addEventListener("submit", (event) => {
      event.preventDefault();
      const typed = values();
      const long = FIELDS.filter((name) => characters(typed[name]) > activity.max_length);
      for (const name of long) error(name, t("phone.chars_over", { n: characters(typed[name]) - activity.max_length }));
      if (long.length) { inputs[long[0]].focus(); return; }
      const own = ctx.own(activity).actions || [];
      if (entry.editing) {
        const action = own.find((a) => a.id === entry.editing) || {};
        const changed = Object.fromEntries(FIELDS.filter((name) => typed[name] !== action[name]).map((name) => [name, typed[name]]));
        if (!Object.keys(changed).length) { entry.fill(null); return; }
        entry.sent = { type: "edit_action", action: entry.editing, typed };
        ctx.send("edit_action", { activity: activity.id, action: entry.editing, ...changed });
      } else {
        entry.sent = { type: "propose_action", before: own.length, typed };
        ctx.send("propose_action", { activity: activity.id, ...Object.fromEntries(FIELDS.filter((name) => typed[name]).map((name) => [name, typed[name]])) });
      }
    });
    entry.fill(null);
    forms.set(activity.id, entry);
  }
  // Once the server has answered: saved, the form is emptied; refused, the text stays to fix.
  if (entry.sent && !ctx.waiting(activity, entry.sent.type).length) {
    const own = ctx.own(activity).actions || [];
    const { type, before, typed, action } = entry.sent;
    const kept = type === "propose_action" ? own.length > before
      : FIELDS.every((name) => (own.find((a) => a.id === action) || {})[name] === typed[name]);
    entry.sent = null;
    if (kept) entry.fill(null);
  }
  entry.node.querySelectorAll("input, button").forEach((control) => { control.disabled = !activity.open; });
  return [ctx.keep(entry.node, "action-form"), entry.sent ? h("p", { key: "sending", class: "confirm pending", dataset: { testid: "action-sending" } },
    t(ctx.connected() ? "phone.vote_sending" : "phone.vote_waiting")) : null];
}

// The stances as shown: the server's, with this phone's not yet saved on top.
function stancesOf(activity, ctx) {
  const stances = { ...(ctx.own(activity).stances || {}) };
  for (const command of ctx.waiting(activity, "back_action")) stances[command.action] = command.stance;
  return stances;
}

// The order under the person's thumb: the room's order in a calm moment, else the one shown
// (new proposals at the end), so a tap never moves the next button away.
function ordered(activity, calm) {
  const byId = new Map(activity.actions.map((a) => [a.id, a]));
  const shown = orders.get(activity.id);
  const ids = !shown || calm ? activity.actions.map((a) => a.id)
    : [...shown.filter((id) => byId.has(id)), ...activity.actions.map((a) => a.id).filter((id) => !shown.includes(id))];
  orders.set(activity.id, ids);
  return ids.map((id) => byId.get(id));
}

/** One proposal on the phone: its fields, its letters and hints, and what this phone can do. */
function phoneCard(activity, action, ctx, own, stance, pending) {
  const { h } = ctx;
  const what = `action-${activity.id}-${action.id}`;
  const stanceButton = (kind) => h("button", {
    key: kind, type: "button", class: `action-stance${pending ? " pending" : ""}`, "aria-pressed": stance === kind ? "true" : "false",
    "aria-disabled": activity.open ? "false" : "true", "aria-describedby": what, dataset: { testid: `action-${kind}` },
    onclick: () => { if (activity.open) ctx.send("back_action", { activity: activity.id, action: action.id, stance: stance === kind ? null : kind }); },
  }, STANCES[kind]());
  const tools = own
    ? [h("span", { key: "own", class: "pill" }, t("actions.yours")),
      !action.chosen && activity.open ? h("button", { key: "edit", type: "button", class: "small", "aria-describedby": what, dataset: { testid: "action-edit" },
        onclick: () => { const entry = forms.get(activity.id); entry.fill(action); entry.inputs.what.focus(); } }, t("actions.edit")) : null]
    : [stanceButton("support"), stanceButton("question")];
  return h("li", { key: action.id, class: `action-card${action.chosen ? " chosen" : ""}`, dataset: { action: action.id, testid: "action" } },
    h("p", { id: what, class: "action-what", dir: "auto" }, action.what),
    action.chosen ? h("span", { class: "pill ok", dataset: { testid: "action-chosen" } }, t("actions.chosen")) : null,
    details(h, action),
    h("p", { class: "action-smart" }, letters(h, action.smart), " ", counts(h, action)),
    hints(h, action.smart),
    h("p", { class: "action-tools" }, tools));
}

/** This phone's proposals that are not on the list: waiting for review, or taken off. */
function withheld(activity, ctx) {
  const { h } = ctx;
  const own = (ctx.own(activity).actions || []).filter((a) => a.status !== "visible");
  return own.length ? h("ul", { key: "withheld", class: "my-notes" }, own.map((a) => h("li", { key: a.id, class: `sticky ${a.status}`, dataset: { testid: "my-action", status: a.status } },
    h("span", { class: "sticky-text", dir: "auto" }, a.what),
    h("small", { class: "note-state" }, a.status === "held"
      ? [h("strong", {}, t("phone.held")), HELD[a.held] ? ` ${t(HELD[a.held])}` : ""]
      : [h("strong", {}, t("phone.hidden")), ...(a.reason ? [" ", t("phone.reason"), " ", h("bdi", {}, a.reason)] : [])])))) : null;
}

function phone(activity, ctx) {
  const { h } = ctx;
  const own = new Set((ctx.own(activity).actions || []).map((a) => a.id));
  const stances = stancesOf(activity, ctx);
  const pending = new Set(ctx.waiting(activity, "back_action").map((c) => c.action));
  const listed = ordered(activity, ctx.calm());
  return h("div", { key: "actions" },
    form(activity, ctx),
    withheld(activity, ctx),
    h("section", { key: "list" }, h("h2", {}, t("actions.list")),
      activity.waiting ? h("p", { class: "small muted", dataset: { testid: "actions-waiting" } }, t("actions.waiting", { n: activity.waiting })) : null,
      listed.length ? h("ol", { class: "actions-list", dataset: { testid: "actions-list" } },
        listed.map((a) => phoneCard(activity, a, ctx, own.has(a.id), stances[a.id] ?? null, pending.has(a.id))))
        : h("p", { class: "muted" }, t("actions.none")),
      activity.more_actions ? h("p", { class: "small muted" }, t("actions.more", { n: activity.more_actions })) : null));
}

// -- the screen and the results page ------------------------------------------------------------

/** A proposal as a card on the projector: large, its letters lit or dim, chosen marked. */
function screenCard(h, action) {
  const when = [action.when, action.responsible].filter(filled).join(" · ");
  return h("li", { key: action.id, class: `action-card${action.chosen ? " chosen" : ""}`, dataset: { action: action.id, testid: "action" } },
    action.chosen ? h("span", { class: "action-badge", dataset: { testid: "action-chosen" } }, `✓ ${t("actions.chosen")}`) : null,
    h("p", { class: "action-what", dir: "auto" }, action.what),
    when ? h("p", { class: "action-when", dir: "auto" }, when) : null,
    h("p", { class: "action-smart" }, letters(h, action.smart), " ", counts(h, action)));
}

/** The chosen proposals first as a table, then the others: the public results page. */
function table(h, key, caption, rows) {
  // Focusable, so a keyboard can scroll a wide table sideways on a phone.
  return rows.length ? h("div", { key, class: "table-wrap", tabindex: "0" }, h("table", { class: "actions-table", dataset: { testid: `actions-${key}` } },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, FIELDS.map((name) => h("th", { scope: "col" }, LABELS[name]())), h("th", { scope: "col" }, "SMART"))),
    h("tbody", {}, rows.map((a) => h("tr", { key: a.id }, FIELDS.map((name) => h("td", { dir: "auto" }, a[name])),
      h("td", {}, letters(h, a.smart), " ", counts(h, a))))))) : null;
}

function results(activity, { h }) {
  if (!activity.actions) return null;
  const live = activity.waiting !== undefined; // the projector's view, not the public record
  if (!live) {
    return h("div", { class: "actions-results", dataset: { testid: "actions-results" } }, activity.actions.length
      ? [table(h, "chosen", t("actions.chosen_heading"), activity.actions.filter((a) => a.chosen)),
        table(h, "other", t("actions.list"), activity.actions.filter((a) => !a.chosen))]
      : h("p", { class: "muted" }, t("actions.none")));
  }
  const more = h("p", { class: "muted", hidden: !activity.more_actions, dataset: { testid: "actions-more" } }, activity.more_actions ? t("actions.more", { n: activity.more_actions }) : "");
  const list = h("ol", { class: "action-cards", dataset: { testid: "actions-list" } }, activity.actions.map((a) => screenCard(h, a)));
  requestAnimationFrame(() => fit(list, more, activity.more_actions || 0));
  return h("div", { class: "actions-results", dataset: { testid: "actions-results" } },
    activity.waiting ? h("p", { class: "muted", dataset: { testid: "actions-waiting" } }, t("actions.waiting", { n: activity.waiting })) : null,
    activity.actions.length ? list : h("p", { class: "screen-wait" }, t("actions.none")), more);
}

// On the projector: take out the last cards until the rest and the count fit the screen, so
// nothing is cut off and what is left out is counted.
function fit(list, more, counted) {
  if (!list.isConnected) return;
  const bottom = (list.closest(".screen-stage") || document.body).getBoundingClientRect().bottom;
  const over = (node) => node.getBoundingClientRect().bottom > bottom + 0.5;
  const cards = [...list.children];
  let cut = 0;
  while (cards.length > 1 && (over(cards[cards.length - 1]) || (!more.hidden && over(more)))) {
    cards.pop().hidden = true;
    cut += 1;
    more.hidden = false;
    more.textContent = t("actions.more", { n: counted + cut });
  }
  list.dataset.fitted = "true";
}

// -- the console: its own module, fetched when the console first draws this kind ---------------

let consolePart = null;
function moderate(activity, ctx) {
  if (consolePart) return consolePart(activity, ctx);
  import("./actions_console.js").then((module) => { consolePart = module.default; ctx.refresh(); });
  return null;
}

export default { input: true, phone, results, console: moderate };
