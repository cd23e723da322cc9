// The helper page (docs/protocol.md, "Helpers"): a helper at a meeting puts in the input of
// people without a phone — a note from a post-it, a count of hands — into the current activity.
// What it may send comes with the view (`helps`: the kind's helper commands), and the form for
// each is drawn from the activity's own fields, so no kind is named here.

import { h, patch } from "./keyed.js";
import { localize, t } from "./i18n.js";
import { connect, showStatus } from "./live.js";
import { partOf, tableName } from "./tables.js";

const body = document.body;
const code = body.dataset.code;
const lang = body.dataset.lang;
const fallback = body.dataset.meetingLang;
const root = document.getElementById("helper");
const announce = document.getElementById("announce");
const refused = document.getElementById("key-refused");
const key = new URLSearchParams(location.hash.slice(1)).get("key");
const text = (value) => localize(value, lang, fallback);
let view = null;
let table = null; // the table whose part the helper fills, in an activity answered per table

if (!key) {
  refused.textContent = t("helper.no_key");
  refused.hidden = false;
}

const live = connect({
  code, role: "helper", key, lang,
  handlers: {
    view(next) { view = next; render(); },
    ack() { announce.textContent = t("status.saved"); },
    error(error) { refused.textContent = error.message; refused.hidden = false; },
    status: showStatus(document.querySelector("[data-testid=status]"), t, { saves: true }),
  },
});

function send(type, data) {
  refused.hidden = true;
  live.send(type, table ? { ...data, table } : data);
}

// A show of hands: one count per answer; a new count replaces the one before.
function handsForm(activity) {
  const options = [...activity.options, ...(activity.none_option ? [{ id: "none", text: null }] : [])];
  return h("section", { key: "hands", class: "card", dataset: { testid: "hands" } },
    h("h2", {}, t("helper.hands")),
    options.map((option) => {
      const label = option.text ? text(option.text) : t("phone.none");
      const counted = activity.hands?.[option.id] || 0;
      const submit = (event) => {
        event.preventDefault();
        const value = Number(event.target.elements.count.value);
        if (!Number.isInteger(value) || value < 0) return;
        send("hands", { activity: activity.id, option: option.id, count: value });
        event.target.reset();
      };
      return h("form", { key: option.id, class: "hands-row", onsubmit: submit, dataset: { testid: "hands-row", option: option.id } },
        h("label", {}, h("bdi", {}, label), " ",
          h("input", { name: "count", type: "number", min: "0", max: "10000", step: "1", inputmode: "numeric", required: true, "aria-label": t("helper.hands_for", { option: label }) })),
        h("button", { type: "submit", class: "primary" }, t("helper.save")),
        h("span", { class: "small muted", dataset: { testid: "hands-counted" } }, t("helper.counted", { n: counted })));
    }));
}

// A note from paper: its text, and its column or side where the activity has them.
function paperForm(activity) {
  const choices = activity.sides
    ? activity.sides.map((side) => ({ value: side, label: t(`phone.${side}`) }))
    : (activity.columns || []).map((column, index) => ({ value: String(index), label: text(column) }));
  const submit = (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    const value = fields.text.value.trim();
    if (!value) return;
    const data = { activity: activity.id, text: value };
    if (activity.sides) data.kind = fields.choice.value;
    else if (choices.length) data.column = Number(fields.choice.value);
    send("paper_note", data);
    fields.text.value = "";
  };
  return h("section", { key: "paper", class: "card", dataset: { testid: "paper" } },
    h("h2", {}, t("helper.paper")),
    h("form", { key: `${activity.id}/${table}`, class: "composer", onsubmit: submit },
      choices.length ? h("label", {}, t("helper.where"), " ", h("select", { name: "choice", dataset: { testid: "paper-choice" } },
        choices.map((choice) => h("option", { key: choice.value, value: choice.value }, choice.label)))) : null,
      h("textarea", { name: "text", rows: 3, dir: "auto", "aria-label": t("helper.paper"), dataset: { testid: "paper-text" } }),
      h("button", { type: "submit", class: "primary big", dataset: { testid: "paper-add" } }, t("helper.add_paper"))),
    activity.paper?.length ? h("ul", { class: "paper-notes" }, activity.paper.map((note) => h("li", { key: note.id, class: "sticky", dir: "auto", dataset: { testid: "paper-note", status: note.status } },
      note.text, note.status === "held" ? h("small", { class: "muted" }, ` (${t("helper.held")})`) : null))) : null);
}

const FORMS = { hands: handsForm, paper_note: paperForm };

function render() {
  const activity = view?.activity;
  if (!activity) {
    patch(root, h("p", { key: "lobby", class: "muted", dataset: { testid: "helper-lobby" } }, t("helper.lobby")));
    return;
  }
  const parts = [h("h2", { key: "title", dir: "auto", dataset: { testid: "activity-title" } }, text(activity.title))];
  let shown = activity;
  if (activity.scope === "table") {
    table = table || view.tables[0].id;
    parts.push(h("label", { key: "table" }, t("helper.table"), " ",
      h("select", { onchange: (event) => { table = event.target.value; render(); }, dataset: { testid: "helper-table" } },
        view.tables.map((each) => h("option", { key: each.id, value: each.id, selected: each.id === table }, tableName(view.tables, each.id, text))))));
    shown = partOf(activity, table) || activity;
  } else {
    table = null;
  }
  const forms = (activity.helps || []).filter((command) => FORMS[command]).map((command) => FORMS[command](shown));
  parts.push(forms.length ? forms : h("p", { key: "nothing", class: "muted", dataset: { testid: "helper-nothing" } }, t("helper.nothing")));
  patch(root, h("div", { key: `${activity.id}` }, parts));
}
