// The phone's note form: what people write, counted as the server counts it, and posted as a
// `note` (sticky notes, pain and heart points, questions from the floor). A module of its own, so
// a kind that only needs the form does not load a whole kind's module with it.

import { characters, t } from "./i18n.js";

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
