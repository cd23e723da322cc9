// The facilitator's console: agenda, moving on, opening and closing, results, moderation
// (notes waiting for review, pausing the wall, hiding many at once, the rules, warnings).

import { h, patch } from "./keyed.js";
import { localize, t } from "./i18n.js";
import { kindOf, ready } from "./kinds.js";
import { everyPart, tableName, target as about } from "./tables.js";
import { connect, showStatus } from "./live.js";

const body = document.body;
const code = body.dataset.code;
const lang = body.dataset.lang;
const fallback = body.dataset.meetingLang;
const stage = document.getElementById("stage");
const agendaNode = document.getElementById("agenda");
const keyProblem = document.getElementById("key-refused");
const text = (value) => localize(value, lang, fallback);

// The key lives in the URL fragment, which browsers never send to the server.
const fragment = new URLSearchParams(location.hash.slice(1));
const key = fragment.get("key");
const screenKey = fragment.get("screen");
let view = null;
const selected = new Set(); // notes ticked for merging or for hiding together
let lastView = "";
let loaded = false; // the kinds' modules, preloaded with the page
let requested; // the activity asked for and not yet shown: quick key presses step from it

if (!key) {
  keyProblem.textContent = t("console.no_key");
  keyProblem.hidden = false;
}
const screenLink = document.getElementById("screen-link");
if (screenKey) screenLink.href = `/${code}/screen#key=${encodeURIComponent(screenKey)}`;
else screenLink.closest("li").hidden = true;

// -- copying this console's link for a co-facilitator -----------------------------------------
const copyButton = document.getElementById("copy-console");
const copySaid = document.getElementById("copy-said");
const linkField = document.getElementById("console-link");

// The Clipboard API needs a secure context, and plain http on a hall's LAN address is not one:
// there the link is selected in a field and copied the old way, or left selected for Ctrl+C.
async function copyLink() {
  const url = location.href;
  let copied = false;
  if (window.isSecureContext && navigator.clipboard) {
    try { await navigator.clipboard.writeText(url); copied = true; } catch { copied = false; }
  }
  if (!copied) {
    linkField.value = url;
    linkField.hidden = false;
    linkField.select();
    try { copied = document.execCommand("copy"); } catch { copied = false; }
    if (copied) { linkField.hidden = true; copyButton.focus(); }
  }
  // Cleared first, so a second copy is announced again.
  copySaid.textContent = "";
  setTimeout(() => { copySaid.textContent = t(copied ? "console.copied" : "console.copy_by_hand"); }, 50);
}
copyButton.addEventListener("click", copyLink);

// -- the language switcher: the key lives in the fragment, which a plain ?lang= link drops -----
for (const link of document.querySelectorAll(".languages a[lang]")) {
  link.href = `?lang=${encodeURIComponent(link.lang)}${location.hash}`;
}

// -- the skip link: to the current activity's first control (or Next, in the lobby) ------------
document.querySelector(".skip-link").addEventListener("click", (event) => {
  const target = stage.querySelector("#activity-controls button:not(:disabled)") || stage.querySelector("[data-testid=next]");
  if (!target) return;
  event.preventDefault();
  target.focus();
  target.scrollIntoView({ block: "nearest" });
});

const live = connect({
  code, role: "facilitator", key, lang,
  handlers: {
    view(next) {
      const json = JSON.stringify(next);
      if (json === lastView) return; // nothing new: don't rebuild under the facilitator's mouse
      lastView = json;
      view = next;
      if (requested !== undefined && next.current === requested) requested = undefined;
      if (loaded) render();
    },
    error(error) {
      if (error.code === "bad_key") { keyProblem.textContent = t("console.bad_key"); keyProblem.hidden = false; return; }
      keyProblem.textContent = error.message;
      keyProblem.hidden = false;
      setTimeout(() => { keyProblem.hidden = true; }, 6000);
    },
    ack(id, command) {
      if (command?.type === "dismiss_scribes") loadScribeCodes(); // the table has a new code
    },
    status: showStatus(document.querySelector("[data-testid=status]"), t, { saves: false }),
  },
});

const send = (type, data) => live.send(type, data);
// What a kind's module is given to draw its controls and results here (docs/kinds.md).
// refresh(): a kind's console part changed something of its own (a form's mode): draw again.
const context = { h, text, send, refresh: () => { if (view) render(); } };
const loadedNow = () => { loaded = true; if (view) render(); };
ready.then(loadedNow);

// -- the account: details, decisions, follow-ups, ending and publishing ----------------------
const account = document.getElementById("account");
const detailsForm = document.getElementById("details-form");
let lastReport = "";

function renderAccount() {
  const report = view.report;
  const json = JSON.stringify([report, view.ended, view.published]);
  if (json === lastReport) return; // keep what the facilitator is typing
  lastReport = json;
  const state = document.getElementById("account-state");
  const resultsUrl = document.getElementById("results-link").href;
  state.textContent = [view.ended ? t("console.ended") : "", view.published ? t("console.published", { url: resultsUrl }) : t("console.not_published")].filter(Boolean).join(" ");
  document.getElementById("end-meeting").disabled = view.ended;
  document.getElementById("publish").textContent = view.published ? t("console.unpublish") : t("console.publish");
  for (const field of detailsForm.elements) {
    if (field.name && document.activeElement !== field) field.value = report.details[field.name] || "";
  }
  for (const list of account.querySelectorAll("ul[data-section]")) {
    const items = report.items.filter((item) => item.section === list.dataset.section);
    patch(list, items.length ? items.map((item) => h("li", { key: item.id, dataset: { testid: "item" } }, h("span", { dir: "auto" }, item.text),
      h("button", { type: "button", class: "small", onclick: () => send("remove_item", { item: item.id }) }, t("console.remove"))))
      : h("li", { class: "muted" }, t("console.nothing_yet")));
  }
  patch(document.getElementById("followups"), report.followups.length
    ? report.followups.map((item) => h("li", { key: item.id, dataset: { testid: "followup" } },
      h("span", {}, h("strong", { dir: "auto" }, item.title), "\n", h("span", { dir: "auto" }, item.text)),
      h("button", { type: "button", class: "small", onclick: () => send("remove_follow_up", { followup: item.id }) }, t("console.remove"))))
    : h("li", { class: "muted" }, t("console.nothing_yet")));
}

document.getElementById("end-meeting").addEventListener("click", () => send("end", {}));
document.getElementById("publish").addEventListener("click", () => send(view.published ? "unpublish" : "publish", {}));
detailsForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const fields = {};
  for (const field of detailsForm.elements) if (field.name) fields[field.name] = field.value;
  send("details", { fields });
});
for (const form of account.querySelectorAll(".item-form")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const written = form.elements.text.value.trim();
    if (!written) return;
    send("add_item", { section: form.dataset.section, text: written });
    form.elements.text.value = "";
  });
}
document.getElementById("followup-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const title = form.elements.title.value.trim();
  const written = form.elements.text.value.trim();
  if (!title || !written) return;
  send("follow_up", { title, text: written });
  form.reset();
});

// -- warnings: one device or network making many phones or notes in the last minute ---------
const alertsNode = document.getElementById("alerts");
const ALERTS = {
  joins: ["console.alert_joins", "console.alert_joins_help"],
  notes: ["console.alert_notes", "console.alert_notes_help"],
};
let lastAlerts = "";

function renderAlerts() {
  const alerts = (view.alerts || []).filter((alert) => ALERTS[alert.what]);
  const activity = view.activity;
  // Every wall still taking notes unseen: the room's, or each table's.
  const walls = activity && kindOf(activity).board ? (activity.scope === "table" ? everyPart(activity) : [activity]) : [];
  const pausable = walls.filter((wall) => !wall.paused);
  const json = JSON.stringify([alerts, pausable.map(about)]);
  if (json === lastAlerts) return; // a live region: it speaks only when something changed
  lastAlerts = json;
  patch(alertsNode, alerts.length ? h("div", { class: "alert-banner", dataset: { testid: "alert-banner" } },
    alerts.map((alert) => h("p", { dataset: { testid: `alert-${alert.what}` } },
      h("strong", {}, t(ALERTS[alert.what][0], { n: alert.count })), " ", t(ALERTS[alert.what][1]))),
    pausable.length ? h("button", { type: "button", class: "small", onclick: () => pausable.forEach((wall) => send("pause", about(wall))), dataset: { testid: "alert-pause" } }, t("console.alert_pause")) : null) : null);
}

// -- the helper page: paper notes and hands for people without a phone (docs/protocol.md) -----
const helperDetails = document.getElementById("helper-details");
helperDetails.addEventListener("toggle", async () => {
  if (!helperDetails.open) return;
  try {
    const response = await fetch(`/api/meetings/${code}/helper`, { headers: { Authorization: `Bearer ${key}` } });
    if (!response.ok) throw new Error((await response.json()).error || response.statusText);
    const { url } = await response.json();
    patch(document.getElementById("helper-link"), h("a", { href: url, target: "_blank", rel: "noopener", dataset: { testid: "helper-link" } }, url));
  } catch (error) {
    keyProblem.textContent = t("console.download_failed", { reason: error.message });
    keyProblem.hidden = false;
  }
});

// -- scribe phones: a table's scribe writes down what it agreed on (docs/protocol.md, "Scribes")
const scribeDetails = document.getElementById("scribe-details");
let scribeCodes = null; // the tables' codes, fetched when the facilitator first opens them

async function loadScribeCodes() {
  if (!scribeDetails?.open) return;
  try {
    const response = await fetch(`/api/meetings/${code}/scribes`, { headers: { Authorization: `Bearer ${key}` } });
    if (!response.ok) throw new Error((await response.json()).error || response.statusText);
    scribeCodes = (await response.json()).tables;
  } catch (error) {
    keyProblem.textContent = t("console.download_failed", { reason: error.message });
    keyProblem.hidden = false;
  }
  renderScribes();
}
scribeDetails?.addEventListener("toggle", loadScribeCodes);

function renderScribes() {
  if (!scribeDetails || !scribeCodes || !view) return;
  patch(document.getElementById("scribe-codes"), scribeCodes.map((entry) => {
    const name = tableName(view.tables, entry.table, text);
    const count = view.scribes?.[entry.table] || 0;
    return h("section", { key: entry.table, class: "scribe-code", dataset: { testid: "scribe-code", table: entry.table } },
      h("h3", {}, h("bdi", {}, name)),
      h("img", { key: entry.code, src: entry.qr, alt: `${t("tables.scribe_qr")}: ${name}`, width: "150", height: "150" }),
      h("p", { class: "small" }, h("a", { href: entry.url, target: "_blank", rel: "noopener", dataset: { testid: "scribe-link" } }, entry.url)),
      h("p", { class: "small" }, h("span", { dataset: { testid: "scribe-count" } }, t("tables.scribe_count", { n: count })), " ",
        count ? h("button", { type: "button", class: "small", onclick: () => send("dismiss_scribes", { table: entry.table }), dataset: { testid: "scribe-dismiss" } }, t("tables.scribe_dismiss")) : null));
  }));
}

// -- the moderation rules the phones can open ------------------------------------------------
const rulesForm = document.getElementById("rules-form");
const rulesArea = rulesForm.elements.text;
let lastRules;

function renderRules() {
  if (view.rules === lastRules) return;
  lastRules = view.rules;
  if (document.activeElement !== rulesArea) rulesArea.value = view.rules;
  document.getElementById("rules-state").textContent = t(view.rules ? "console.rules_own" : "console.rules_standard");
}

rulesForm.addEventListener("submit", (event) => {
  event.preventDefault();
  send("rules", { text: rulesArea.value });
});
document.getElementById("rules-start").addEventListener("click", () => {
  rulesArea.value = t("phone.rules_default");
  rulesArea.focus();
});

function openRules() {
  const details = document.getElementById("rules-details");
  details.open = true;
  details.scrollIntoView({ block: "nearest" });
  rulesArea.focus();
}

// -- a survey: when it takes input, and how many new people answered each day -----------------
const surveyNode = document.getElementById("survey-days");
const dayFormat = new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short" });
const timeFormat = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });

function renderSurvey() {
  surveyNode.hidden = !view.survey;
  if (!view.survey) return;
  const days = new Map(); // the facilitator's own days, from the server's hours
  for (const [hour, n] of view.new_per_hour) {
    const day = dayFormat.format(new Date(hour * 1000));
    days.set(day, (days.get(day) || 0) + n);
  }
  const when = (iso) => (iso ? timeFormat.format(new Date(iso)) : "–");
  patch(surveyNode,
    h("h2", { key: "title" }, t("console.survey")),
    h("p", { key: "when", class: "small" }, t("console.survey_when", { opens: when(view.survey.opens), closes: when(view.survey.closes) })),
    days.size
      ? h("table", { key: "days", class: "survey-table" },
        h("caption", {}, t("console.survey_days")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("console.survey_day")), h("th", { scope: "col" }, t("console.survey_new")))),
        h("tbody", {}, [...days].map(([day, n]) => h("tr", { key: day, dataset: { testid: "survey-day" } }, h("td", {}, day), h("td", {}, String(n))))))
      : h("p", { key: "none", class: "muted" }, t("console.survey_none")));
}

function render() {
  renderAccount();
  renderSurvey();
  renderScribes();
  renderAlerts();
  renderRules();
  document.querySelector("[data-testid=phones]").textContent = t("console.phones", { n: view.participants });
  const screens = document.querySelector("[data-testid=screens]");
  screens.textContent = view.screens ? t("console.screens", { n: view.screens }) : t("console.no_screen");
  screens.dataset.state = view.screens ? "ok" : "warn";
  patch(agendaNode,
    h("li", { key: "lobby", class: view.current === null ? "current" : "" },
      h("button", { type: "button", class: "agenda-item", onclick: () => send("goto", { activity: null }), dataset: { testid: "goto-lobby" } }, t("console.lobby"))),
    view.agenda.map((item) => h("li", { key: item.id, class: item.id === view.current ? "current" : "" },
      h("button", { type: "button", class: "agenda-item", onclick: () => send("goto", { activity: item.id }), dataset: { testid: `goto-${item.id}` } },
        h("span", {}, text(item.title)),
        kindOf(item).input ? h("small", { class: "muted" }, `${t("console.responders", { n: item.responders })}${item.open ? ` · ${t("console.is_open")}` : ""}`) : null))));
  const activity = view.activity;
  if (!activity) {
    patch(stage, h("section", { class: "card" }, h("h2", {}, t("console.lobby")),
      h("p", { key: "joined" }, t("console.joined", { n: view.joined })),
      navigation()));
    return;
  }
  const kind = kindOf(activity);
  const controls = [];
  if (kind.input) {
    controls.push(
      h("button", { type: "button", class: activity.open ? "danger" : "primary", onclick: () => send(activity.open ? "close" : "open", { ...about(activity) }), dataset: { testid: "toggle-open" } },
        activity.open ? t("console.close") : t("console.open")),
      h("button", { type: "button", onclick: () => send(activity.show_results ? "conceal" : "reveal", { ...about(activity) }), dataset: { testid: "toggle-results", shown: String(activity.show_results) } },
        activity.show_results ? t("console.conceal") : t("console.reveal")));
  }
  // A kind's own controls (the pain points' phase) act on one table's part at a time: each
  // table has them in its part below, since a command about a part names its table.
  if (activity.scope !== "table") controls.push(kind.controls?.(activity, context));
  const board = kind.board && activity.scope !== "table"; // at tables, each is paused on its own
  const state = kind.input ? h("p", { key: "states", class: "states" },
    h("span", { class: `pill ${activity.open ? "ok" : "warn"}`, dataset: { testid: "open-state" } }, activity.open ? t("console.is_open") : t("console.is_closed")),
    h("span", { class: "pill" }, activity.show_results ? t("console.results_shown") : t("console.results_hidden")),
    h("span", { class: "pill" }, t("console.responders", { n: activity.responders })),
    board ? wallState(activity) : null) : null;
  const parts = [h("h2", { dataset: { testid: "activity-title" } }, `${activity.position}. `, h("bdi", {}, text(activity.title))),
    activity.text && Object.keys(activity.text).length ? h("p", { key: "text", dir: "auto" }, text(activity.text)) : null,
    state, h("div", { key: "controls", id: "activity-controls", class: "controls", tabindex: "-1" }, controls), board ? wallSwitch(activity) : null, navigation()];
  if (activity.scope === "table") {
    // Answered per table: every table side by side, each moderated (and paused) on its own.
    parts.push(screenTable(), h("div", { key: "tables", class: "tables-grid", dataset: { testid: "tables" } },
      everyPart(activity).map((part) => h("section", { key: part.table, class: "table-part", dataset: { table: part.table, testid: "table-part" } },
        h("h3", {}, h("bdi", {}, tableName(view.tables, part.table, text)), " ",
          h("small", { class: "muted" }, t("console.responders", { n: part.responders })), " ",
          view.scribes?.[part.table] ? h("small", { class: "pill", dataset: { testid: "table-scribes" } }, t("tables.scribe_count", { n: view.scribes[part.table] })) : null),
        kind.controls ? h("p", { key: "controls", class: "controls" }, kind.controls(part, at(part))) : null,
        kind.board ? [h("p", { key: "wall-state", class: "states" }, wallState(part)), wallSwitch(part)] : null,
        results(part)))));
  } else {
    parts.push(...results(activity));
  }
  patch(stage, h("section", { class: "card", dataset: { ...about(activity) } }, parts));
}

// The kind's results and moderation, drawn as on the screen and the results page: for a whole
// room's activity, or one table's part (its commands then name the table).
function results(activity) {
  const here = at(activity);
  const parts = [kindOf(activity).console?.(activity, here)];
  if (activity.notes) parts.push(heldNotes(activity), bulkTools(activity), noteTable(activity));
  if (activity.total_notes > activity.notes?.length) parts.push(h("p", { key: "showing", class: "small muted" }, t("console.showing", { shown: activity.notes.length, n: activity.total_notes })));
  return parts;
}

// The context a kind draws with: for one table's part, its commands name the table.
function at(activity) {
  return activity.table ? { ...context, send: (type, data) => send(type, { ...data, table: activity.table }) } : context;
}

// Which table's part the projector shows, or every table's.
function screenTable() {
  const choice = (table, label) => h("button", { type: "button", class: "small", "aria-pressed": String((view.screen_table ?? null) === table), onclick: () => send("show_table", { table }), dataset: { testid: `screen-${table || "all"}` } }, label);
  return h("p", { key: "screen-table", class: "controls", role: "group", "aria-labelledby": "screen-table-label" },
    h("span", { id: "screen-table-label" }, t("tables.on_screen")),
    choice(null, t("tables.all")),
    (view.tables || []).map((table) => choice(table.id, tableName(view.tables, table.id, text))));
}

function navigation() {
  return h("p", { key: "nav", class: "nav-buttons" },
    h("button", { type: "button", onclick: () => step(-1), dataset: { testid: "previous" } }, `← ${t("console.previous")}`),
    h("button", { type: "button", class: "primary", onclick: () => step(+1), dataset: { testid: "next" } }, `${t("console.next")} →`));
}

// Whether a wall (the room's, or a table's) is paused, and how many notes wait for review.
function wallState(activity) {
  return [activity.paused ? h("span", { key: "paused", class: "pill warn", dataset: { testid: "paused-state" } }, t("console.paused")) : null,
    activity.held ? h("span", { key: "held", class: "pill warn", dataset: { testid: "held-count" } }, t("console.held_count", { n: activity.held })) : null];
}

// The switch that holds every new note for review until the facilitator resumes.
function wallSwitch(activity) {
  return h("p", { key: "wall", class: `wall-switch${activity.paused ? " paused" : ""}`, dataset: { testid: "wall-switch" } },
    h("button", { type: "button", class: activity.paused ? "primary" : "", onclick: () => send(activity.paused ? "resume" : "pause", { ...about(activity) }), dataset: { testid: "toggle-pause", paused: String(activity.paused) } },
      activity.paused ? t("console.resume") : t("console.pause")),
    h("span", {}, t(activity.paused ? "console.paused_help" : "console.pause_help")),
    h("button", { type: "button", class: "link small", onclick: openRules, dataset: { testid: "edit-rules" } }, t("console.edit_rules")));
}

// Hiding asks for a reason (kept in the record, shown on the author's phone); a merged note
// leaves its group when hidden.
function hide(activity, note) {
  const reason = prompt(t("console.hide_reason"), "");
  if (reason !== null) send("hide", { ...about(activity), note: note.id, reason });
}

// Hiding many at once asks once, says how many where the console knows, and gives them all
// the same reason: `selection` is `notes`, `since` or `held` (docs/protocol.md, hide_many).
function hideMany(activity, question, selection) {
  const reason = prompt(question, "");
  if (reason === null) return false;
  send("hide_many", { ...about(activity), reason, ...selection });
  return true;
}

// Buttons named with their note: a list of twenty "Hide" says nothing to a screen reader.
function hideButton(activity, note) {
  return h("button", { type: "button", class: "small", onclick: () => hide(activity, note), "aria-label": t("console.hide_note", { note: note.text }), dataset: { testid: "hide" } }, t("console.hide"));
}

const minutes = (n) => (n === 1 ? t("console.one_minute") : t("console.minutes", { n }));

// Why a note waits for review, in words.
const HELD = {
  national_id: "console.held_national_id", phone: "console.held_phone", email: "console.held_email",
  address: "console.held_address", name: "console.held_name", paused: "console.held_paused",
};

// What the activity's kind says about a note besides its text (its column, its side, its dots).
function noteMeta(activity, note) {
  return kindOf(activity).noteMeta?.(note, activity, context) || [];
}

// Notes that wait for review come first: only the console sees them until they are let through.
function heldNotes(activity) {
  const held = activity.notes.filter((n) => n.status === "held");
  if (!activity.held && !held.length) return null;
  return h("section", { key: "held", class: "held-notes", dataset: { testid: "held-notes" } },
    h("h3", {}, t("console.held_count", { n: activity.held })),
    h("p", { class: "small" }, t("console.held_intro")),
    h("ul", { class: "moderation" }, held.map((note) => h("li", { key: note.id, class: `mod-note held ${note.kind || ""}`, dataset: { note: note.id, testid: "mod-note", status: "held" } },
      h("span", { class: "waiting", dataset: { testid: "held-why" } }, h("strong", {}, t("console.waiting")), " · ", t(HELD[note.held] || "console.held_paused")),
      h("span", { class: "sticky-text", dir: "auto" }, note.text),
      h("small", { class: "muted" }, noteMeta(activity, note)),
      h("span", { class: "mod-actions" },
        h("button", { type: "button", class: "small primary", onclick: () => send("release", { ...about(activity), note: note.id }), "aria-label": t("console.release_note", { note: note.text }), dataset: { testid: "release" } }, t("console.release")),
        hideButton(activity, note))))),
    h("p", { class: "controls" },
      h("button", { type: "button", class: "small danger", onclick: () => hideMany(activity, t("console.hide_held_reason", { n: activity.held }), { held: true }), dataset: { testid: "hide-held" } }, t("console.hide_held"))));
}

// Hiding many at once: the ticked notes, or everything from the last few minutes (a flood).
// The ticked notes of this activity (or of this table's part).
const ticks = (activity) => [...selected].filter((id) => activity.notes.some((n) => n.id === id && n.status === "visible"));

function bulkTools(activity) {
  if (!activity.total_notes) return null;
  const ticked = ticks(activity);
  return h("div", { key: "bulk", class: "bulk", dataset: { testid: "bulk" } },
    ticked.length
      ? h("p", { key: "ticked", class: "controls" },
        h("strong", { dataset: { testid: "ticked" } }, t("console.ticked", { n: ticked.length })),
        h("button", { type: "button", class: "small", onclick: () => { if (hideMany(activity, t("console.hide_ticked_reason", { n: ticked.length }), { notes: ticked })) { selected.clear(); render(); } }, dataset: { testid: "hide-ticked" } }, t("console.hide_ticked")),
        h("button", { type: "button", class: "small", onclick: () => { selected.clear(); render(); }, dataset: { testid: "untick" } }, t("console.untick")),
        h("span", { class: "small muted" }, t("console.merge_hint")))
      : h("p", { key: "tick-hint", id: `tick-hint${activity.table || ""}`, class: "small muted", dataset: { testid: "tick-hint" } }, t("console.tick_hint")),
    h("p", { key: "since", class: "controls", role: "group", "aria-labelledby": `hide-since-label${activity.table || ""}` },
      h("span", { id: `hide-since-label${activity.table || ""}` }, t("console.hide_since")),
      [1, 2, 5, 10].map((n) => h("button", { type: "button", class: "small", onclick: () => hideMany(activity, t("console.hide_since_reason", { span: minutes(n) }), { since: n * 60 }), dataset: { testid: `hide-since-${n}` } }, minutes(n)))));
}

function noteTable(activity) {
  // Ticks of notes no longer visible go; at a table, ticks of other tables' notes stay theirs.
  if (!activity.table) for (const id of [...selected]) if (!activity.notes.some((n) => n.id === id && n.status === "visible")) selected.delete(id);
  const ticked = ticks(activity);
  return h("ul", { key: "moderation", class: "moderation", dataset: { testid: "moderation" } }, activity.notes.filter((n) => n.status !== "merged" && n.status !== "held").map((note) => {
    const children = activity.notes.filter((n) => n.merged_into === note.id);
    const visible = note.status === "visible";
    return h("li", { key: note.id, class: `mod-note ${note.status} ${note.kind || ""}`, dataset: { note: note.id, testid: "mod-note", status: note.status } },
      visible ? h("label", { key: "select", class: "select" }, h("input", { type: "checkbox", checked: selected.has(note.id), onchange: (e) => { if (e.target.checked) selected.add(note.id); else selected.delete(note.id); render(); },
        "aria-label": t("console.select_note", { note: note.text }), "aria-describedby": selected.size ? null : `tick-hint${activity.table || ""}` })) : null,
      h("span", { key: "text", class: "sticky-text", dir: "auto" }, note.text),
      note.channel === "paper" ? h("small", { key: "paper", class: "pill", dataset: { testid: "paper-mark" } }, t("console.paper")) : null,
      h("small", { key: "meta", class: "muted" },
        noteMeta(activity, note),
        note.status === "hidden" ? ` · ${t("console.hidden")}${note.reason ? ": " : ""}` : "",
        note.status === "hidden" && note.reason ? h("bdi", {}, note.reason) : null),
      children.length ? h("ul", { key: "merged", class: "merged" }, children.map((c) => h("li", { key: c.id, dataset: { note: c.id, testid: "merged-note" } },
        h("span", { dir: "auto" }, c.text), " ", hideButton(activity, c)))) : null,
      h("span", { key: "tools", class: "mod-actions" },
        visible
          ? hideButton(activity, note)
          : h("button", { type: "button", class: "small", onclick: () => send("restore", { ...about(activity), note: note.id }), "aria-label": t("console.restore_note", { note: note.text }), dataset: { testid: "restore" } }, t("console.restore")),
        visible && ticked.length && !selected.has(note.id)
          ? h("button", { type: "button", class: "small", onclick: () => { send("merge", { ...about(activity), into: note.id, notes: ticked }); selected.clear(); }, "aria-label": t("console.merge_note", { note: note.text }), dataset: { testid: "merge-here" } }, t("console.merge"))
          : null));
  }));
}

function step(delta) {
  if (!view) return;
  const ids = view.agenda.map((a) => a.id);
  const from = requested !== undefined ? requested : view.current;
  const index = from === null ? -1 : ids.indexOf(from);
  const next = index + delta;
  if (next < -1 || next >= ids.length) return;
  requested = next === -1 ? null : ids[next];
  send("goto", { activity: requested });
  clearTimeout(step.timer);
  step.timer = setTimeout(() => { requested = undefined; }, 3000); // refused or lost: start over
}

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select") || event.metaKey || event.ctrlKey || event.altKey) return;
  const activity = view?.activity;
  if (event.key === "ArrowRight" || event.key === "PageDown") { step(+1); event.preventDefault(); }
  else if (event.key === "ArrowLeft" || event.key === "PageUp") { step(-1); event.preventDefault(); }
  else if ((event.key === "r" || event.key === "R") && kindOf(activity).input) send(activity.show_results ? "conceal" : "reveal", { ...about(activity) });
  else if ((event.key === "o" || event.key === "O") && kindOf(activity).input) send(activity.open ? "close" : "open", { ...about(activity) });
});

for (const button of document.querySelectorAll("[data-download]")) {
  button.addEventListener("click", async () => {
    const what = button.dataset.download;
    try {
      const response = await fetch(`/api/meetings/${code}/${what}`, { headers: { Authorization: `Bearer ${key}` } });
      if (!response.ok) throw new Error((await response.json()).error || response.statusText);
      const blob = await response.blob();
      // The server names the file (minutes-482913.docx); else the path gives the extension.
      const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
      const format = what.includes(".") ? what.split(".").pop() : "json";
      const extension = { csv: "zip", "csv-long": "csv" }[format] || format;
      const url = URL.createObjectURL(blob);
      const link = h("a", { href: url, download: named ? named[1] : `minutes-${code}.${extension}` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      keyProblem.textContent = t("console.download_failed", { reason: error.message });
      keyProblem.hidden = false;
    }
  });
}

document.getElementById("delete-meeting").addEventListener("click", async () => {
  const typed = prompt(t("console.delete_confirm", { code }), "");
  if (typed === null) return;
  if (typed.replace(/\s/g, "") !== code) { keyProblem.textContent = t("console.delete_confirm", { code }); keyProblem.hidden = false; return; }
  try {
    const response = await fetch(`/api/meetings/${code}`, { method: "DELETE", headers: { Authorization: `Bearer ${key}` } });
    if (response.status !== 204) throw new Error((await response.json()).error || response.statusText);
    patch(stage, h("section", { class: "card", dataset: { testid: "deleted" } }, h("h2", {}, t("console.deleted"))));
  } catch (error) {
    keyProblem.textContent = t("console.download_failed", { reason: error.message });
    keyProblem.hidden = false;
  }
});
