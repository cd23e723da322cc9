// The phone: follows the facilitator, votes, posts notes, places dots. Anonymous.
//
// The page is patched, never rebuilt (patch.js): the button under a thumb, the note being typed
// and the order of the dot list survive other people's votes. What this phone shows as its own
// input is the server's word (`mine`) plus what it has sent and not yet had answered
// (`pending`): an answer waits, is saved, or is refused and rolls back to the server's.

import { h } from "./dom.js";
import { localize, t } from "./i18n.js";
import { connect, showStatus } from "./live.js";
import { el, keep, patch } from "./patch.js";
import { pollBars } from "./results.js";

const body = document.body;
const code = body.dataset.code;
const lang = body.dataset.lang;
const fallback = body.dataset.meetingLang;
const stage = document.getElementById("stage");
const toast = document.getElementById("toast");
const announcer = document.getElementById("announce");
const rulesText = document.getElementById("rules-text");
const text = (value) => localize(value, lang, fallback);

const sideName = (side) => t(side === "pain" ? "results.pain" : "results.joy");
// Pain and heart differ in words and a sign, not only in colour (forced colours drop it).
const sideTag = (side) => el("span", { class: `side-tag ${side}` },
  el("span", { "aria-hidden": "true" }, side === "pain" ? "▲ " : "♥ "), t(side === "pain" ? "phone.pain" : "phone.joy"));
const CALM = 6000; // ms without a touch or focus in the stage before the dot list may re-sort

let view = null;
let mine = {};
let connected = false;
let refusal = null; // why the server keeps this phone waiting before it lets it in (its words)
const composers = new Map(); // activity id -> its note form, kept so typing survives updates
const pending = new Map(); // client id -> command sent and not yet answered (saved or refused)
const refused = new Map(); // activity id -> why the server refused this phone's last input there
const orders = new Map(); // "activity:side" -> note ids in the order this phone shows them
let touched = 0; // when the person last touched, typed or focused something in the stage

// A note's length as people see it, counted as the server counts (core/writing.py): grapheme
// clusters (a family emoji is one), or code points where the browser cannot segment; clusters
// of invisible characters (Unicode's default ignorables: joiners, direction marks) are none.
// eslint-disable-next-line no-misleading-character-class -- single invisible code points, listed one by one on purpose
const invisible = /^[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}]+$/u;
const graphemes = globalThis.Intl?.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
function characters(value) {
  const parts = graphemes ? Array.from(graphemes.segment(value), (part) => part.segment) : Array.from(value);
  return parts.filter((part) => !invisible.test(part)).length;
}

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

function saidWhenSaved(command) {
  if (command.type === "vote") return t("phone.voted");
  if (command.type === "note") return t("phone.note_posted");
  if (command.type === "dot") {
    const activity = view?.activity;
    if (activity?.id !== command.activity || activity.phase !== "dots") return t("status.saved");
    const side = ["pain", "joy"].find((s) => activity.ranking[s].some((item) => item.id === command.note));
    if (side) return t("phone.dots_left_say", { side: sideName(side), n: dotsLeft(activity)[side] });
  }
  return t("status.saved");
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

// The answer this phone shows: its newest unanswered vote, else the server's.
function choicesOf(activity) {
  const votes = waiting(activity, "vote");
  return votes.length ? votes[votes.length - 1].choices : own(activity).choices || [];
}

// Dots as shown: the server's count plus the taps not answered yet.
function dotsOf(activity) {
  const dots = { ...(own(activity).dots || {}) };
  for (const command of waiting(activity, "dot")) dots[command.note] = (dots[command.note] || 0) + command.delta;
  return dots;
}

function dotsLeft(activity) {
  const placed = dotsOf(activity);
  const budget = { pain: activity.pain_dots, joy: activity.joy_dots };
  const left = {};
  for (const side of ["pain", "joy"]) {
    const used = activity.ranking[side].reduce((sum, item) => sum + (placed[item.id] || 0), 0);
    left[side] = Math.max(0, budget[side] - used);
  }
  return left;
}

function render() {
  if (!view) {
    if (refusal) patch(stage, el("section", { key: "refused", class: "card", dataset: { testid: "refused" } }, el("p", { class: "big-text" }, refusal)));
    return;
  }
  const activity = view.activity;
  if (view.ended) {
    const url = body.dataset.resultsUrl;
    patch(stage, el("section", { key: "ended", class: "card phone-end", dataset: { testid: "ended" } },
      el("h1", {}, t("phone.ended")),
      view.published
        ? el("a", { class: "button primary big", href: url, dataset: { testid: "see-results" } }, t("phone.see_results"))
        : [el("p", {}, t("phone.results_later")), el("p", {}, el("a", { href: url, dataset: { testid: "results-url" } }, url))]));
    return;
  }
  if (!activity) {
    patch(stage, el("section", { key: "waiting", class: "card", dataset: { testid: "waiting" } }, el("p", { class: "big-text" }, t("phone.waiting"))));
    return;
  }
  const parts = [
    el("h1", { class: "activity-title", dir: "auto", dataset: { testid: "activity-title" } }, text(activity.title)),
    activity.text && Object.keys(activity.text).length ? el("p", { class: "activity-text", dir: "auto" }, text(activity.text)) : null,
  ];
  if (activity.kind !== "info" && !activity.open) parts.push(el("p", { class: "notice", dataset: { testid: "closed" } }, t("phone.closed")));
  if (refused.has(activity.id)) parts.push(el("p", { class: "notice refused", dataset: { testid: "refused-input" } }, t("phone.refused", { why: refused.get(activity.id) })));
  const renderers = { info: infoPart, poll: pollPart, notes: notesPart, painjoy: painjoyPart };
  parts.push(renderers[activity.kind](activity));
  // Keyed by activity (and phase): a new activity is a new card; the same one is patched.
  const card = `${activity.id}:${activity.kind === "painjoy" ? activity.phase : ""}`;
  patch(stage, el("section", { key: card, class: `card kind-${activity.kind}`, dataset: { activity: activity.id, kind: activity.kind } }, parts));
}

function infoPart() {
  return el("p", { class: "muted" }, t("phone.info"));
}

function pollPart(activity) {
  const chosen = new Set(choicesOf(activity));
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
    queueMicrotask(() => queueMicrotask(() => stage.querySelector(".choice")?.focus()));
  };
  const options = activity.options.map((o) => ({ id: o.id, label: text(o.text) }));
  if (activity.none_option) options.push({ id: "none", label: t("phone.none") });
  const buttons = options.map((o) => el("button", {
    key: o.id, type: "button", class: `choice${o.id === "none" ? " none" : ""}`, "aria-pressed": chosen.has(o.id) ? "true" : "false",
    disabled: !activity.open, onclick: () => choose(o.id), dataset: { option: o.id, testid: `option-${o.id}` },
  }, el("span", { class: "tick", "aria-hidden": "true" }), o.label));
  const votes = waiting(activity, "vote");
  let confirm = null;
  if (votes.length) {
    // Sent, not yet saved: say so honestly, never "saved" in green.
    confirm = el("p", { class: "confirm pending", dataset: { testid: "voted", state: "waiting" } },
      t(connected ? "phone.vote_sending" : "phone.vote_waiting"));
  } else if (chosen.size) {
    confirm = el("p", { class: "confirm", dataset: { testid: "voted", state: "saved" } }, t("phone.voted"), " ", activity.open ? t("phone.change_vote") : "");
  }
  return el("div", { key: "poll" },
    el("p", { class: "hint" }, t(activity.multiple ? "phone.vote_multiple" : "phone.vote_single")),
    el("div", { class: "choices", role: "group" }, buttons),
    confirm,
    chosen.size && activity.open ? el("button", { key: "withdraw", type: "button", class: "link", onclick: withdraw }, t("phone.withdraw")) : null,
    activity.tally ? el("section", { key: "tally" }, el("h2", {}, t("phone.results")), pollBars(activity, lang, fallback)) : null);
}

function composer(activity, sided) {
  let form = composers.get(activity.id);
  if (!form) {
    // No maxlength: it counts UTF-16 units, eleven for a family emoji.
    const area = h("textarea", { name: "text", rows: 3, dir: "auto", placeholder: t("phone.note_placeholder"), "aria-label": t("phone.note_placeholder"), "aria-describedby": `counter-${activity.id}`, dataset: { testid: "note-text" } });
    const counter = h("p", { id: `counter-${activity.id}`, class: "small muted counter", dataset: { testid: "note-counter" } });
    const update = () => {
      const left = activity.max_length - characters(area.value.trim());
      counter.textContent = left < 0 ? t("phone.chars_over", { n: -left }) : t("phone.chars_left", { n: left });
      counter.dataset.left = String(left);
      counter.classList.toggle("error", left < 0);
      counter.classList.toggle("muted", left >= 0);
      area.setAttribute("aria-invalid", String(left < 0));
    };
    area.addEventListener("input", update);
    update();
    let picker = null;
    if (sided) {
      picker = h("fieldset", { class: "sides" }, h("legend", {}, t("phone.choose_side")),
        ["pain", "joy"].map((side) => h("label", { class: `side-choice ${side}` },
          h("input", { type: "radio", name: `side-${activity.id}`, value: side, dataset: { testid: `side-${side}` } }),
          h("span", {}, h("span", { "aria-hidden": "true" }, side === "pain" ? "▲ " : "♥ "), t(side === "pain" ? "phone.pain" : "phone.joy")),
          h("small", {}, t(side === "pain" ? "phone.pain_hint" : "phone.joy_hint")))));
    } else if (activity.columns?.length) {
      picker = h("fieldset", { class: "sides" }, h("legend", {}, t("phone.column")),
        activity.columns.map((column, index) => h("label", { class: "side-choice" },
          h("input", { type: "radio", name: `column-${activity.id}`, value: String(index), checked: index === 0, dataset: { testid: `column-${index}` } }),
          h("span", {}, text(column)))));
    }
    form = h("form", { class: "composer", dataset: { testid: "composer" } }, picker, area, counter,
      h("button", { type: "submit", class: "primary big", dataset: { testid: "post-note" } }, t("phone.post")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = area.value.trim();
      if (!value) { say(t("phone.note_placeholder")); return; }
      if (characters(value) > activity.max_length) { say(t("phone.too_long", { limit: activity.max_length })); area.focus(); return; }
      const data = { activity: activity.id, text: value };
      if (sided) {
        const picked = form.querySelector("input[type=radio]:checked");
        if (!picked) { say(t("phone.choose_side")); return; }
        data.side = picked.value;
      } else if (activity.columns?.length) {
        data.column = Number(form.querySelector("input[type=radio]:checked")?.value ?? 0);
      }
      send("note", data);
      area.value = "";
      update();
      area.focus(); // the keyboard stays open for the next note
    });
    composers.set(activity.id, form);
  }
  form.querySelectorAll("button, textarea, input").forEach((node) => { node.disabled = !activity.open; });
  return keep(form, "composer");
}

// Why a note of this phone waits: the privacy screen's finding, or the paused wall.
const HELD = {
  national_id: "phone.held_national_id", phone: "phone.held_phone", email: "phone.held_email",
  address: "phone.held_address", name: "phone.held_name", paused: "phone.held_paused",
};

// Moderation is never silent to the person it touches: a held or hidden note says so, and why.
function noteState(note) {
  if (note.status === "waiting") {
    return el("small", { class: "note-state", dataset: { testid: "note-state" } }, el("strong", {}, t("phone.note_waiting")));
  }
  if (note.status === "held") {
    return el("small", { class: "note-state", dataset: { testid: "note-state" } },
      el("strong", {}, t("phone.held")), HELD[note.held] ? ` ${t(HELD[note.held])}` : "");
  }
  if (note.status === "hidden") {
    return el("small", { class: "note-state", dataset: { testid: "note-state" } },
      el("strong", {}, t("phone.hidden")),
      note.reason ? [" ", t("phone.reason"), " ", el("bdi", { dataset: { testid: "note-reason" } }, note.reason)] : null);
  }
  if (note.status === "merged") return el("small", { class: "note-state muted" }, t("phone.merged"));
  return null;
}

function myNotes(activity) {
  // The server's notes, then those this phone has posted and not yet had saved.
  const sent = waiting(activity, "note").filter((c) => sameNotes(c) <= c.before).map((c) => ({ key: `sent-${c.id}`, text: c.text, kind: c.side, status: "waiting" }));
  const notes = [...(own(activity).notes || []).map((n) => ({ ...n, key: n.id ?? n.text })), ...sent];
  return el("section", { key: "my-notes", class: "my-notes" }, el("h2", {}, t("phone.your_notes")),
    notes.length
      ? el("ul", { dataset: { testid: "my-notes" } }, notes.map((n) => el("li", { key: n.key, class: `sticky ${n.kind || ""} ${n.status}`, dataset: { testid: "my-note", status: n.status } },
        n.kind === "pain" || n.kind === "joy" ? sideTag(n.kind) : null,
        el("span", { class: "sticky-text", dir: "auto" }, n.text), noteState(n))))
      : el("p", { class: "muted" }, t("phone.no_notes")));
}

function notesPart(activity) {
  return el("div", { key: "notes" }, composer(activity, false), myNotes(activity));
}

// The order this phone shows a side's notes in: the room's ranking in a calm moment, else the
// order already under the person's thumb (new notes at the end, gone ones dropped).
function ordered(activity, side) {
  const ranking = activity.ranking[side];
  const key = `${activity.id}:${side}`;
  const shown = orders.get(key);
  if (!shown || calm()) {
    orders.set(key, ranking.map((item) => item.id));
    return ranking;
  }
  const byId = new Map(ranking.map((item) => [item.id, item]));
  const kept = shown.filter((id) => byId.has(id));
  const fresh = ranking.map((item) => item.id).filter((id) => !kept.includes(id));
  const order = [...kept, ...fresh];
  orders.set(key, order);
  return order.map((id) => byId.get(id));
}

function painjoyPart(activity) {
  if (activity.phase !== "dots") return el("div", { key: "notes" }, composer(activity, true), myNotes(activity));
  const placed = dotsOf(activity);
  const left = dotsLeft(activity);
  const budget = { pain: activity.pain_dots, joy: activity.joy_dots };
  // aria-disabled, not disabled: a disabled button drops the focus to the page.
  const change = (item, delta, allowed) => {
    if (!allowed) return;
    send("dot", { activity: activity.id, note: item.id, delta });
  };
  return el("div", { key: "dots", class: "dotting" },
    el("p", { class: "hint" }, t("phone.dots_intro")),
    ["pain", "joy"].filter((side) => budget[side] > 0).map((side) => {
      const items = ordered(activity, side);
      return el("section", { key: side, class: `dot-list ${side}`, dataset: { testid: `dots-${side}` } },
        el("h2", {}, el("span", { "aria-hidden": "true" }, side === "pain" ? "▲ " : "♥ "), sideName(side), " ",
          el("span", { class: "pill", dataset: { testid: `left-${side}` } }, t("phone.dots_left", { n: left[side] }))),
        items.length ? el("ul", {}, items.map((item) => {
          const count = placed[item.id] || 0;
          const canRemove = activity.open && count > 0;
          const canAdd = activity.open && left[side] > 0 && count < activity.dot_cap;
          return el("li", { key: item.id, class: `dot-item ${side}`, dataset: { note: item.id, testid: "dot-item" } },
            el("span", { class: "sticky-text", dir: "auto" }, item.text),
            el("span", { class: "dot-side" },
              el("span", { class: "dot-controls" },
                el("button", { type: "button", class: "round", "aria-label": t("phone.remove_dot_from", { note: item.text }), "aria-disabled": canRemove ? "false" : "true", onclick: () => change(item, -1, canRemove), dataset: { testid: "remove-dot" } }, "−"),
                el("span", { class: "dot-mine" },
                  el("span", { class: "dots-label", "aria-hidden": "true" }, t("phone.dots_yours")),
                  el("span", { class: "my-dots", "aria-hidden": "true", dataset: { testid: "my-dots" } }, "●".repeat(count) || "○"),
                  el("span", { class: "sr-only" }, t("phone.my_dots", { n: count }))),
                el("button", { type: "button", class: "round", "aria-label": t("phone.add_dot_to", { note: item.text }), "aria-disabled": canAdd ? "false" : "true", onclick: () => change(item, +1, canAdd), dataset: { testid: "add-dot" } }, "+")),
              item.dots !== undefined ? el("small", { class: "muted dots-all", dataset: { testid: "dots-all" } }, t("phone.dots_all", { n: item.dots })) : null));
        })) : el("p", { class: "muted" }, t("results.no_notes")));
    }));
}
