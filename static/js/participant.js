// The phone: follows the facilitator, votes, posts notes, places dots. Anonymous.

import { fill, h } from "./dom.js";
import { localize, t } from "./i18n.js";
import { connect, showStatus } from "./live.js";
import { pollBars } from "./results.js";

const body = document.body;
const code = body.dataset.code;
const lang = body.dataset.lang;
const fallback = body.dataset.meetingLang;
const stage = document.getElementById("stage");
const toast = document.getElementById("toast");
const rulesText = document.getElementById("rules-text");
const text = (value) => localize(value, lang, fallback);

let view = null;
let mine = {};
let refusal = null; // why the server keeps this phone waiting before it lets it in (its words)
const composers = new Map(); // activity id -> its note form, kept so typing survives updates

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
    view(next) { refusal = null; if (changed("view", next)) { view = next; showRules(); render(); } },
    mine(next) { if (changed("mine", next)) { mine = next; tellReturned(); render(); } },
    error(error) {
      if (!error.id && !view) return; // the server turned the connection away: status() says why
      say(error.message);
      render();
    },
    status(state, pending, why) {
      pill(state, pending, why);
      // Not let in yet (many phones joining from this network at once, say): the server's
      // own message in place of "Connecting…", while the page keeps trying by itself.
      if (!view && why && why !== refusal) { refusal = why; render(); }
    },
  },
});

// The meeting's moderation rules, or the standard ones in this phone's language.
function showRules() {
  const wanted = view.rules || t("phone.rules_default");
  if (rulesText && rulesText.textContent !== wanted) rulesText.textContent = wanted;
}

// Rebuilding the page under a thumb loses taps and closes the keyboard: only when it changed.
const seen = {};
function changed(kind, value) {
  const json = JSON.stringify(value);
  if (seen[kind] === json) return false;
  seen[kind] = json;
  return true;
}

function say(message) {
  toast.textContent = message;
  toast.hidden = false;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { toast.hidden = true; }, 5000);
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

function render() {
  if (!view) {
    if (refusal) fill(stage, h("section", { class: "card", dataset: { testid: "refused" } }, h("p", { class: "big-text" }, refusal)));
    return;
  }
  const activity = view.activity;
  if (view.ended) {
    const url = body.dataset.resultsUrl;
    fill(stage, h("section", { class: "card phone-end", dataset: { testid: "ended" } },
      h("h1", {}, t("phone.ended")),
      view.published
        ? h("a", { class: "button primary big", href: url, dataset: { testid: "see-results" } }, t("phone.see_results"))
        : [h("p", {}, t("phone.results_later")), h("p", {}, h("a", { href: url, dataset: { testid: "results-url" } }, url))]));
    return;
  }
  if (!activity) {
    fill(stage, h("section", { class: "card", dataset: { testid: "waiting" } }, h("p", { class: "big-text" }, t("phone.waiting"))));
    return;
  }
  const parts = [
    h("h1", { class: "activity-title", dir: "auto", dataset: { testid: "activity-title" } }, text(activity.title)),
    activity.text && Object.keys(activity.text).length ? h("p", { class: "activity-text", dir: "auto" }, text(activity.text)) : null,
  ];
  if (activity.kind !== "info" && !activity.open) parts.push(h("p", { class: "notice", dataset: { testid: "closed" } }, t("phone.closed")));
  const renderers = { info: infoPart, poll: pollPart, notes: notesPart, painjoy: painjoyPart };
  parts.push(renderers[activity.kind](activity));
  // The note form is the same element across renders: keep its focus and cursor too.
  const active = stage.contains(document.activeElement) ? document.activeElement : null;
  const selection = active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
  fill(stage, h("section", { class: `card kind-${activity.kind}`, dataset: { activity: activity.id, kind: activity.kind } }, parts));
  if (active?.isConnected && document.activeElement !== active) {
    active.focus({ preventScroll: true });
    if (selection) active.setSelectionRange(...selection);
  }
}

function infoPart() {
  return h("p", { class: "muted" }, t("phone.info"));
}

function pollPart(activity) {
  const chosen = new Set(own(activity).choices || []);
  const choose = (id) => {
    let next;
    if (!activity.multiple || id === "none") next = chosen.has(id) && activity.multiple ? [] : [id];
    else {
      const set = new Set(chosen);
      set.delete("none");
      if (set.has(id)) set.delete(id); else set.add(id);
      next = activity.options.map((o) => o.id).filter((o) => set.has(o));
    }
    mine = { ...mine, [activity.id]: { ...own(activity), choices: next } }; // show it at once
    live.send("vote", { activity: activity.id, choices: next });
    render();
  };
  const options = activity.options.map((o) => ({ id: o.id, label: text(o.text) }));
  if (activity.none_option) options.push({ id: "none", label: t("phone.none") });
  const buttons = options.map((o) => h("button", {
    type: "button", class: `choice${o.id === "none" ? " none" : ""}`, "aria-pressed": chosen.has(o.id) ? "true" : "false",
    disabled: !activity.open, onclick: () => choose(o.id), dataset: { option: o.id, testid: `option-${o.id}` },
  }, h("span", { class: "tick", "aria-hidden": "true" }), o.label));
  return h("div", {},
    h("p", { class: "hint" }, t(activity.multiple ? "phone.vote_multiple" : "phone.vote_single")),
    h("div", { class: "choices", role: "group" }, buttons),
    chosen.size ? h("p", { class: "confirm", dataset: { testid: "voted" } }, t("phone.voted"), " ", activity.open ? t("phone.change_vote") : "") : null,
    chosen.size && activity.open ? h("button", { type: "button", class: "link", onclick: () => { mine = { ...mine, [activity.id]: { choices: [] } }; live.send("vote", { activity: activity.id, choices: [] }); render(); } }, t("phone.withdraw")) : null,
    activity.tally ? h("section", {}, h("h2", {}, t("phone.results")), pollBars(activity, lang, fallback)) : null);
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
          h("span", {}, t(side === "pain" ? "phone.pain" : "phone.joy")),
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
      live.send("note", data);
      area.value = "";
      update();
      area.focus();
    });
    composers.set(activity.id, form);
  }
  form.querySelectorAll("button, textarea, input").forEach((node) => { node.disabled = !activity.open; });
  return form;
}

// Why a note of this phone waits: the privacy screen's finding, or the paused wall.
const HELD = {
  national_id: "phone.held_national_id", phone: "phone.held_phone", email: "phone.held_email",
  address: "phone.held_address", name: "phone.held_name", paused: "phone.held_paused",
};

// Moderation is never silent to the person it touches: a held or hidden note says so, and why.
function noteState(note) {
  if (note.status === "held") {
    return h("small", { class: "note-state", dataset: { testid: "note-state" } },
      h("strong", {}, t("phone.held")), HELD[note.held] ? ` ${t(HELD[note.held])}` : "");
  }
  if (note.status === "hidden") {
    return h("small", { class: "note-state", dataset: { testid: "note-state" } },
      h("strong", {}, t("phone.hidden")),
      note.reason ? [" ", t("phone.reason"), " ", h("bdi", { dataset: { testid: "note-reason" } }, note.reason)] : null);
  }
  if (note.status === "merged") return h("small", { class: "note-state muted" }, t("phone.merged"));
  return null;
}

function myNotes(activity) {
  const notes = own(activity).notes || [];
  return h("section", { class: "my-notes" }, h("h2", {}, t("phone.your_notes")),
    notes.length
      ? h("ul", { dataset: { testid: "my-notes" } }, notes.map((n) => h("li", { class: `sticky ${n.kind || ""} ${n.status}`, dataset: { testid: "my-note", status: n.status } },
        h("span", { class: "sticky-text", dir: "auto" }, n.text), noteState(n))))
      : h("p", { class: "muted" }, t("phone.no_notes")));
}

function notesPart(activity) {
  return h("div", {}, composer(activity, false), myNotes(activity));
}

function painjoyPart(activity) {
  if (activity.phase !== "dots") return h("div", {}, composer(activity, true), myNotes(activity));
  const placed = own(activity).dots || {};
  const budget = { pain: activity.pain_dots, joy: activity.joy_dots };
  const used = { pain: 0, joy: 0 };
  for (const side of ["pain", "joy"]) for (const item of activity.ranking[side]) used[side] += placed[item.id] || 0;
  const change = (item, side, delta) => {
    const count = (placed[item.id] || 0) + delta;
    const dots = { ...placed, [item.id]: count };
    if (!count) delete dots[item.id];
    mine = { ...mine, [activity.id]: { ...own(activity), dots } };
    live.send("dot", { activity: activity.id, note: item.id, delta });
    render();
  };
  return h("div", { class: "dotting" },
    h("p", { class: "hint" }, t("phone.dots_intro")),
    ["pain", "joy"].filter((side) => budget[side] > 0).map((side) => {
      const left = Math.max(0, budget[side] - used[side]);
      return h("section", { class: `dot-list ${side}`, dataset: { testid: `dots-${side}` } },
        h("h2", {}, t(side === "pain" ? "results.pain" : "results.joy"), " ",
          h("span", { class: "pill", dataset: { testid: `left-${side}` } }, t("phone.dots_left", { n: left }))),
        activity.ranking[side].length ? h("ul", {}, activity.ranking[side].map((item) => {
          const count = placed[item.id] || 0;
          return h("li", { class: `dot-item ${side}`, dataset: { note: item.id, testid: "dot-item" } },
            h("span", { class: "sticky-text", dir: "auto" }, item.text),
            item.dots !== undefined ? h("small", { class: "muted" }, ` ${t("results.dots", { n: item.dots })}`) : null,
            h("span", { class: "dot-controls" },
              h("button", { type: "button", class: "round", "aria-label": t("phone.remove_dot"), disabled: !activity.open || !count, onclick: () => change(item, side, -1), dataset: { testid: "remove-dot" } }, "−"),
              h("span", { class: "my-dots", role: "img", "aria-label": t("phone.my_dots", { n: count }), dataset: { testid: "my-dots" } }, "●".repeat(count) || "○"),
              h("button", { type: "button", class: "round", "aria-label": t("phone.add_dot"), disabled: !activity.open || !left || count >= activity.dot_cap, onclick: () => change(item, side, +1), dataset: { testid: "add-dot" } }, "+")));
        })) : h("p", { class: "muted" }, t("results.no_notes")));
    }));
}
