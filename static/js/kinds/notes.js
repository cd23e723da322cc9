// Sticky notes: an open question, optionally in columns, as many notes as people like; the
// wall on the projector. Its note form, note list and wall serve pain/joy points too.

import { t } from "../i18n.js";
import { composer } from "../composer.js";

export { composer }; // the note form, for the kinds that post notes (pain/joy points)

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
