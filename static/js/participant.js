// The phone: follows the facilitator, votes, posts notes, places dots. Anonymous.
//
// The page is patched, never rebuilt (patch.js): the button under a thumb, the note being typed
// and the order of the dot list survive other people's votes. What this phone shows as its own
// input is the server's word (`mine`) plus what it has sent and not yet had answered
// (`pending`): an answer waits, is saved, or is refused and rolls back to the server's.

import { localize, t } from "./i18n.js";
import { kindOf, known, load, ready } from "./kinds.js";
import { connect, showStatus } from "./live.js";
import { el, keep, patch } from "./patch.js";

const body = document.body;
const code = body.dataset.code;
const lang = body.dataset.lang;
const fallback = body.dataset.meetingLang;
const stage = document.getElementById("stage");
const toast = document.getElementById("toast");
const announcer = document.getElementById("announce");
const rulesText = document.getElementById("rules-text");
const text = (value) => localize(value, lang, fallback);

const CALM = 6000; // ms without a touch or focus in the stage before the dot list may re-sort

let view = null;
let mine = {};
let connected = false;
let refusal = null; // why the server keeps this phone waiting before it lets it in (its words)
const pending = new Map(); // client id -> command sent and not yet answered (saved or refused)
const refused = new Map(); // activity id -> why the server refused this phone's last input there
let touched = 0; // when the person last touched, typed or focused something in the stage
let choosing = false; // the person asked to change tables

const pill = showStatus(document.querySelector("[data-testid=status]"), t);
const live = connect({
  code, role: "participant", lang,
  handlers: {
    view(next) { refusal = null; if (changed("view", next)) { view = next; showRules(); schedule(); } },
    mine(next) { if (changed("mine", next)) { mine = next; tellReturned(); schedule(); } },
    ack(id) {
      const command = pending.get(id);
      if (!command) return;
      pending.delete(id);
      announce(saidWhenSaved(command));
      schedule();
    },
    error(error) {
      if (!error.id && !view) return; // the server turned the connection away: status() says why
      const command = error.id ? pending.get(error.id) : null;
      if (command) {
        // Roll back: drop what was refused, show what the server has, and say why.
        pending.delete(error.id);
        refused.set(command.activity, error.message);
      }
      say(error.message);
      schedule();
    },
    status(state, count, why) {
      pill(state, count, why);
      const now = state === "online" || state === "saving";
      if (now !== connected) { connected = now; schedule(); }
      // Not let in yet (many phones joining from this network at once, say): the server's
      // own message in place of "Connecting…", while the page keeps trying by itself.
      if (!view && why && why !== refusal) { refusal = why; schedule(); }
    },
  },
});
// A kind's module comes when an activity of that kind is first shown (the current one's is
// preloaded with the page): its title and text are drawn at once, its input as soon as it is in.
let loaded = false;
const loadedNow = () => { loaded = true; schedule(); };
ready.then(loadedNow);

// Commands still in the outbox from before a reload are this phone's pending input too.
for (const command of live.queued()) pending.set(command.id, { ...command, before: 0 });

// How many of the server's notes of this phone have this text: a note the server has saved but
// whose ack was lost with the Wi-Fi is listed once, not twice, until the resend is answered.
function sameNotes(command) {
  return (mine[command.activity]?.notes || []).filter((n) => n.text === command.text).length;
}

/** Send a command and hold it as pending until the server saves or refuses it. */
function send(type, data) {
  refused.delete(data.activity);
  const id = live.send(type, data);
  pending.set(id, { type, ...data, before: type === "note" ? sameNotes(data) : 0 });
  if (!connected) announce(t("phone.will_send"));
  schedule();
}

// The meeting's moderation rules, or the standard ones in this phone's language.
function showRules() {
  const wanted = view.rules || t("phone.rules_default");
  if (rulesText && rulesText.textContent !== wanted) rulesText.textContent = wanted;
}

// Patching is cheap, but nothing at all is cheaper: skip updates that change nothing.
const seen = {};
function changed(kind, value) {
  const json = JSON.stringify(value);
  if (seen[kind] === json) return false;
  seen[kind] = json;
  return true;
}

// An ack and the `mine` riding with it arrive together: patch once, after both.
let scheduled = false;
function schedule() {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => { scheduled = false; render(); });
}

function say(message) {
  toast.textContent = message;
  toast.hidden = false;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { toast.hidden = true; }, 5000);
}

// A short, specific message for screen readers ("Saved", "2 left"), never the whole stage.
function announce(message) {
  if (!announcer) return;
  announcer.textContent = "";
  // A new text node even when the words repeat, so the second "Saved" is read too.
  setTimeout(() => { announcer.textContent = message; }, 50);
}

// The list under a thumb keeps its order while the person is using it; it re-sorts by the
// room's totals in a calm moment (nothing focused or touched here for a while).
for (const type of ["pointerdown", "keydown", "focusin"]) stage.addEventListener(type, () => { touched = Date.now(); }, true);
stage.addEventListener("focusout", () => {
  clearTimeout(stage.calmTimer);
  stage.calmTimer = setTimeout(() => { if (calm()) schedule(); }, CALM + 100);
});
function calm() {
  return !stage.contains(document.activeElement) && Date.now() - touched >= CALM;
}

// When the facilitator's moderation moves this phone's dots back into its hand (a note hidden,
// restored without room, or merged over the cap), say so once on this device.
function tellReturned() {
  for (const [activityId, entry] of Object.entries(mine)) {
    const notice = entry.returned;
    if (!notice) continue;
    const key = `facilitate:${code}:returned:${activityId}`;
    const stamp = `${notice.at}:${notice.note}:${notice.why}`;
    let last = null;
    try { last = localStorage.getItem(key); } catch { /* private mode: tell every time */ }
    if (last === stamp) continue;
    try { localStorage.setItem(key, stamp); } catch { /* see above */ }
    const cap = view?.activity?.id === activityId ? view.activity.dot_cap : "";
    const message = { hidden: "phone.returned_hidden", restored: "phone.returned_restored", merged: "phone.returned_merged" }[notice.why];
    if (message) say(t(message, { n: notice.dots, cap }));
  }
}

function own(activity) {
  return mine[activity.id] || {};
}

function waiting(activity, type) {
  return Array.from(pending.values()).filter((c) => c.type === type && c.activity === activity.id);
}

// Notes this phone has posted that the server has not listed as saved yet.
function unsaved(activity) {
  return waiting(activity, "note").filter((c) => sameNotes(c) <= c.before);
}

// What a kind's module is given to draw this phone's input (docs/kinds.md).
const context = {
  h: el, keep, text, send, own, waiting, unsaved, say, stage, calm, refresh: schedule,
  connected: () => connected,
};

// What the live region says once the server has saved a command, in its activity's words
// ("Your answer is saved.", "Pain points: 2 left").
function saidWhenSaved(command) {
  const activity = view?.activity?.id === command.activity ? view.activity : null;
  return kindOf(activity).saved?.(command, activity, context) || t("status.saved");
}

// Where this phone sits: the table it has just asked for, else the server's word.
function seat() {
  const asked = Array.from(pending.values()).filter((c) => c.type === "sit").pop();
  return asked ? asked.table : mine._table || null;
}

// Modules only some meetings need (./tables.js with tables, ./survey.js in a survey): each is
// fetched when a view first asks for it; null until it is in (offline: asked again later).
const extras = new Map();
function extra(path) {
  const found = extras.get(path);
  if (found && !(found instanceof Promise)) return found;
  if (!found) extras.set(path, import(path).then((m) => { extras.set(path, m); schedule(); }, () => extras.delete(path)));
  return null;
}

function render() {
  if (!view) {
    if (refusal) patch(stage, el("section", { key: "refused", class: "card", dataset: { testid: "refused" } }, el("p", { class: "big-text" }, refusal)));
    return;
  }
  let activity = view.activity;
  if (view.ended) {
    const url = body.dataset.resultsUrl;
    patch(stage, el("section", { key: "ended", class: "card phone-end", dataset: { testid: "ended" } },
      el("h1", {}, t("phone.ended")),
      view.published
        ? el("a", { class: "button primary big", href: url, dataset: { testid: "see-results" } }, t("phone.see_results"))
        : [el("p", {}, t("phone.results_later")), el("p", {}, el("a", { href: url, dataset: { testid: "results-url" } }, url))]));
    return;
  }
  const tables = view.tables && extra("./tables.js");
  const survey = view.survey && extra("./survey.js");
  if ((view.tables && !tables) || (view.survey && !survey)) return; // "Connecting…" a moment longer
  if (survey) activity = survey.current(view);
  if (view.tables && connected) tables.sitWhereTheCodeSays(view.tables, seat(), send);
  const choose = (table) => { choosing = false; if (table !== seat()) send("sit", { table }); else schedule(); };
  const picker = view.tables && (choosing || !seat()) ? tables.picker(view.tables, seat(), { el, text, choose }) : null;
  if (!activity) {
    patch(stage, survey ? survey.done(el, schedule) : el("section", { key: "waiting", class: "card", dataset: { testid: "waiting" } }, el("p", { class: "big-text" }, t("phone.waiting")), picker));
    return;
  }
  if (!loaded) return; // "Connecting…" a moment longer
  const parts = [
    el("h1", { class: "activity-title", dir: "auto", tabindex: "-1", dataset: { testid: "activity-title" } }, text(activity.title)),
    activity.text && Object.keys(activity.text).length ? el("p", { class: "activity-text", dir: "auto" }, text(activity.text)) : null,
  ];
  if (activity.scope === "table") {
    // Answered per table: this phone's table's part, drawn as a whole room's activity.
    if (picker) {
      parts.push(picker);
      patch(stage, el("section", { key: `${activity.id}:tables`, class: `card kind-${activity.kind}`, dataset: { activity: activity.id, kind: activity.kind } }, parts));
      return;
    }
    parts.push(tables.seatLine(view.tables, seat(), { el, text, change: () => { choosing = true; schedule(); }, scribe: mine._scribe }));
    activity = tables.partOf(activity, seat(), mine._scribe) || activity;
  }
  if (!known(activity.kind)) load(activity.kind).then(schedule);
  const kind = kindOf(activity);
  if (kind.input && !activity.open) parts.push(el("p", { class: "notice", dataset: { testid: "closed" } }, t("phone.closed")));
  if (refused.has(activity.id)) parts.push(el("p", { class: "notice refused", dataset: { testid: "refused-input" } }, t("phone.refused", { why: refused.get(activity.id) })));
  parts.push(kind.phone?.(activity, context), survey && survey.nav(view, el, schedule));
  // Keyed by activity (and phase): a new activity is a new card; the same one is patched.
  const card = `${activity.id}:${activity.phase ?? ""}`;
  patch(stage, el("section", { key: card, class: `card kind-${activity.kind}`, dataset: { activity: activity.id, kind: activity.kind } }, parts));
}
