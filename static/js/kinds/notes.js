// Sticky notes: an open question, optionally in columns, as many notes as people like; the
// wall on the projector. Its note form, note list and wall serve pain/joy points too.

import { t } from "../i18n.js";

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

const forms = new Map(); // activity id -> its note form, kept so typing survives updates
const NOTE_WORDS = { placeholder: "phone.note_placeholder", post: "phone.post", tooLong: "phone.too_long" };

/**
 * The phone's note form, built once per activity and kept as it is (the text being typed, the
 * open keyboard). `picker()` makes the fieldset choosing where a note goes (or null); `pick(form)`
 * reads it into the command, or says what is missing; `words` names its texts (a question's).
 */
export function composer(activity, ctx, { picker, pick, words = NOTE_WORDS }) {
  const { h } = ctx;
  let form = forms.get(activity.id);
  if (!form) {
    // No maxlength: it counts UTF-16 units, eleven for a family emoji.
    const area = h("textarea", { name: "text", rows: 3, dir: "auto", placeholder: t(words.placeholder), "aria-label": t(words.placeholder), "aria-describedby": `counter-${activity.id}`, dataset: { testid: "note-text" } });
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
    form = h("form", { class: "composer", dataset: { testid: "composer" } }, picker(), area, counter,
      h("button", { type: "submit", class: "primary big", dataset: { testid: "post-note" } }, t(words.post)));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = area.value.trim();
      if (!value) { ctx.say(t(words.placeholder)); return; }
      if (characters(value) > activity.max_length) { ctx.say(t(words.tooLong, { limit: activity.max_length })); area.focus(); return; }
      const where = pick(form);
      if (typeof where === "string") { ctx.say(where); return; }
      ctx.send("note", { activity: activity.id, text: value, ...where });
      area.value = "";
      update();
      area.focus(); // the keyboard stays open for the next note
    });
    forms.set(activity.id, form);
  }
  form.querySelectorAll("button, textarea, input").forEach((node) => { node.disabled = !activity.open; });
  return ctx.keep(form, "composer");
}

// Why a note of this phone waits: the privacy screen's finding, or the paused wall.
const HELD = {
  national_id: "phone.held_national_id", phone: "phone.held_phone", email: "phone.held_email",
  address: "phone.held_address", name: "phone.held_name", paused: "phone.held_paused",
};

// Moderation is never silent to the person it touches: a held or hidden note says so, and why.
function noteState(h, note) {
  if (note.status === "waiting") {
    return h("small", { class: "note-state", dataset: { testid: "note-state" } }, h("strong", {}, t("phone.note_waiting")));
  }
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

/** This phone's own notes: the server's, then those sent and not yet saved; `tag(note)` marks one. */
export function myNotes(activity, ctx, tag = () => null) {
  const { h } = ctx;
  const sent = ctx.unsaved(activity).map((c) => ({ key: `sent-${c.id}`, text: c.text, kind: c.side, status: "waiting" }));
  const notes = [...(ctx.own(activity).notes || []).map((n) => ({ ...n, key: n.id ?? n.text })), ...sent];
  return h("section", { key: "my-notes", class: "my-notes" }, h("h2", {}, t("phone.your_notes")),
    notes.length
      ? h("ul", { dataset: { testid: "my-notes" } }, notes.map((n) => h("li", { key: n.key, class: `sticky ${n.kind || ""} ${n.status}`, dataset: { testid: "my-note", status: n.status } },
        tag(n), h("span", { class: "sticky-text", dir: "auto" }, n.text), noteState(h, n))))
      : h("p", { class: "muted" }, t("phone.no_notes")));
}

/** A sticky note as text (never markup), with a badge for merged look-alikes. */
function sticky(h, note) {
  return h("li", { class: `sticky ${note.kind || ""}`, dataset: { note: note.id, testid: "note" } },
    h("span", { class: "sticky-text", dir: "auto" }, note.text), // an isolate: right-to-left stays inside
    note.merged ? h("span", { class: "badge" }, t("results.merged", { n: note.merged })) : null);
}

/** The notes wall: columns when the question has them. */
export function wall(activity, notes, { h, text }) {
  if (!notes.length) return h("p", { class: "muted" }, t("results.no_notes"));
  const columns = activity.columns || [];
  if (!columns.length) return h("ul", { class: "wall", dataset: { testid: "wall" } }, notes.map((n) => sticky(h, n)));
  return h("div", { class: "columns", dataset: { testid: "wall" } }, columns.map((column, index) =>
    h("section", { class: "column" },
      h("h3", { dir: "auto" }, text(column)),
      h("ul", { class: "wall" }, notes.filter((n) => n.column === index).map((n) => sticky(h, n))))));
}

function columnPicker(activity, { h, text }) {
  if (!activity.columns?.length) return null;
  return h("fieldset", { class: "sides" }, h("legend", {}, t("phone.column")),
    activity.columns.map((column, index) => h("label", { class: "side-choice" },
      h("input", { type: "radio", name: `column-${activity.id}`, value: String(index), checked: index === 0, dataset: { testid: `column-${index}` } }),
      h("span", {}, text(column)))));
}

export default {
  input: true,
  board: true, // notes to moderate, a wall to pause
  phone: (activity, ctx) => ctx.h("div", { key: "notes" },
    composer(activity, ctx, {
      picker: () => columnPicker(activity, ctx),
      pick: (form) => (activity.columns?.length ? { column: Number(form.querySelector("input[type=radio]:checked")?.value ?? 0) } : {}),
    }),
    myNotes(activity, ctx)),
  saved: () => t("phone.note_posted"),
  results: (activity, ctx) => (activity.notes ? wall(activity, activity.notes, ctx) : null),
  // What the console says about a note besides its text: its column.
  noteMeta: (note, activity, { text }) => [note.column !== undefined && activity.columns?.[note.column] ? ` · ${text(activity.columns[note.column])}` : ""],
};
