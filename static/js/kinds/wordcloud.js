// A word cloud: each phone sends up to `max_words` words at once (sending again replaces them);
// the screen and the results page draw them sized by how many phones sent each (../cloud.js),
// the phone and the console list them. The server counts spellings of one word together and
// keeps hidden words off every view but the console (docs/protocol.md, "Word clouds").

import { characters, t } from "../i18n.js";

const PHONE_LIST = 30; // words a phone lists under its form once results are shown
const PAGE_LIST = 30; // words the results page lists under the cloud, with their counts

// Nearly the server's normal form (core/cloud.py), to catch the same word twice before sending;
// the server decides, and says so if this misses one.
const same = (word) => word.normalize("NFC").toLocaleLowerCase().replace(/\s+/g, " ").replace(/^[\p{P}\s]+|[\p{P}\s]+$/gu, "");

// Why a word of this phone waits, or what the console says about it (as for notes).
const HELD_PHONE = {
  national_id: "phone.held_national_id", phone: "phone.held_phone", email: "phone.held_email",
  address: "phone.held_address", name: "phone.held_name",
};
const HELD_CONSOLE = {
  national_id: "console.held_national_id", phone: "console.held_phone", email: "console.held_email",
  address: "console.held_address", name: "console.held_name",
};

// -- the phone ---------------------------------------------------------------------------------

const forms = new Map(); // activity id -> its form, kept so typing survives updates

/** The words as a list, most phones first: the phone's results, and the results page's. */
function wordList(h, words, limit, more = 0) {
  const left = Math.max(0, words.length - limit) + more;
  return [
    h("ol", { key: "words", class: "word-list", dataset: { testid: "word-list" } }, words.slice(0, limit).map((word) =>
      h("li", { key: word.word ?? word.text, dataset: { count: String(word.count) } },
        h("bdi", {}, word.text), " ",
        h("span", { class: "word-count", "aria-hidden": "true" }, `${word.count}`),
        h("span", { class: "sr-only" }, `: ${t("results.phones", { n: word.count })}`)))),
    left ? h("p", { key: "more", class: "small muted" }, t("results.more_words", { n: left })) : null,
  ];
}

/**
 * The phone's form: one field per word, built once per activity and kept as it is while the
 * person types. It shows the words the server has for this phone, unless they are being edited.
 */
function form(activity, ctx) {
  const { h } = ctx;
  let entry = forms.get(activity.id);
  if (!entry) {
    const hint = `words-hint-${activity.id}`;
    const inputs = Array.from({ length: activity.max_words }, (_, index) => h("input", {
      type: "text", id: `word-${activity.id}-${index}`, name: `word-${index}`, dir: "auto", autocomplete: "off", spellcheck: "true",
      enterkeyhint: index < activity.max_words - 1 ? "next" : "send", "aria-describedby": hint, dataset: { testid: `word-${index}` },
    }));
    const node = h("form", { class: "word-form", dataset: { testid: "word-form" } },
      h("p", { id: hint, class: "hint" }, t("phone.words_hint", { n: activity.max_words, limit: activity.max_length })),
      inputs.map((input, index) => h("p", { class: "word-field" },
        h("label", { for: input.id }, t("phone.word_label", { n: index + 1 })), input)),
      h("button", { type: "submit", class: "primary big", dataset: { testid: "send-words" } }, t("phone.send_words")));
    entry = { node, inputs, filled: null, dirty: false };
    for (const [index, input] of inputs.entries()) {
      input.addEventListener("input", () => { entry.dirty = true; });
      // Enter moves on to the next word; on the last one it sends.
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" || index === inputs.length - 1) return;
        event.preventDefault();
        inputs[index + 1].focus();
      });
    }
    node.addEventListener("submit", (event) => {
      event.preventDefault();
      const words = inputs.map((input) => input.value.trim()).filter(Boolean);
      const long = inputs.find((input) => characters(input.value.trim()) > activity.max_length);
      if (long) { ctx.say(t("phone.word_too_long", { limit: activity.max_length })); long.focus(); return; }
      if (new Set(words.map(same)).size < words.length) { ctx.say(t("phone.words_same")); return; }
      const own = (ctx.own(activity).words || []).map((word) => word.text);
      if (!words.length && !own.length) { ctx.say(t("phone.words_empty")); inputs[0].focus(); return; }
      entry.dirty = false;
      ctx.send("words", { activity: activity.id, words }); // none: the phone takes its words back
    });
    forms.set(activity.id, entry);
  }
  // The server's words for this phone (after a reload, or once saved and cleaned), unless the
  // person is changing them.
  const own = (ctx.own(activity).words || []).map((word) => word.text);
  const known = JSON.stringify(own);
  if (entry.filled !== known && !entry.dirty && !ctx.waiting(activity, "words").length) {
    entry.inputs.forEach((input, index) => { input.value = own[index] ?? ""; });
    entry.filled = known;
  }
  entry.node.querySelectorAll("input, button").forEach((control) => { control.disabled = !activity.open; });
  return ctx.keep(entry.node, "word-form");
}

/** What became of this phone's words: waiting to be saved, saved, and any held or hidden. */
function state(activity, ctx) {
  const { h } = ctx;
  const own = ctx.own(activity).words || [];
  if (ctx.waiting(activity, "words").length) {
    return h("p", { key: "state", class: "confirm pending", dataset: { testid: "words-state", state: "waiting" } },
      t(ctx.connected() ? "phone.vote_sending" : "phone.vote_waiting"));
  }
  if (!own.length) return null;
  const moderated = own.filter((word) => word.status !== "visible");
  return h("div", { key: "state" },
    h("p", { class: "confirm", dataset: { testid: "words-state", state: "saved" } }, t("phone.words_saved"), " ", activity.open ? t("phone.words_change") : ""),
    moderated.length ? h("ul", { class: "my-words" }, moderated.map((word) => h("li", { key: word.text, class: `sticky ${word.status}`, dataset: { testid: "my-word", status: word.status } },
      h("span", { class: "sticky-text", dir: "auto" }, word.text),
      // The page's `h` flattens one level of arrays: each part is one child, or an array of them.
      h("small", { class: "note-state" }, word.status === "held"
        ? [h("strong", {}, t("phone.held")), HELD_PHONE[word.held] ? ` ${t(HELD_PHONE[word.held])}` : ""]
        : [h("strong", {}, t("phone.hidden")), ...(word.reason ? [" ", t("phone.reason"), " ", h("bdi", {}, word.reason)] : [])])))) : null,
    activity.open ? h("button", { key: "withdraw", type: "button", class: "link", onclick: () => ctx.send("words", { activity: activity.id, words: [] }), dataset: { testid: "withdraw-words" } }, t("phone.withdraw_words")) : null);
}

function phone(activity, ctx) {
  const { h } = ctx;
  return h("div", { key: "words" },
    form(activity, ctx),
    state(activity, ctx),
    activity.words ? h("section", { key: "results" }, h("h2", {}, t("phone.results")),
      activity.words.length ? wordList(h, activity.words, PHONE_LIST, activity.more_words || 0) : h("p", { class: "muted" }, t("results.no_words"))) : null);
}

// -- the cloud: screen and results page -----------------------------------------------------------

const clouds = new Map(); // activity id -> {node, box, more, previous, words, more_words}
let drawing = null; // ../cloud.js, loaded when the first cloud is drawn (the phone never needs it)

/**
 * The cloud, in a node kept for the activity so that a new view moves its words rather than
 * drawing them afresh; laid out once the page has put it in place (its size is the room left).
 */
function cloud(activity, ctx) {
  const { h } = ctx;
  let entry = clouds.get(activity.id);
  if (!entry) {
    // The words are drawn for the eye; a list says the same to a screen reader (and on the
    // results page, read up close, to everyone: with the counts, and the words left out).
    const box = h("div", { class: "word-cloud", "aria-hidden": "true", dataset: { testid: "word-cloud" } });
    const list = h("div", { class: "sr-only" });
    const more = h("p", { class: "screen-meta more-words", dataset: { testid: "more-words" } });
    more.hidden = true;
    const node = h("div", { class: "word-cloud-wrap", dataset: { testid: "cloud-results" } }, box, more, list);
    entry = { node, box, more, list, previous: null };
    clouds.set(activity.id, entry);
  }
  entry.words = activity.words;
  entry.extra = activity.more_words || 0;
  entry.list.replaceChildren(...wordList(h, activity.words, PAGE_LIST, entry.extra).filter(Boolean));
  requestAnimationFrame(() => draw(entry));
  return entry.node;
}

async function draw(entry) {
  if (!entry.node.isConnected) return;
  drawing ??= import("../cloud.js");
  const { layout, canvasMeasure, renderCloud } = await drawing;
  const { box, more } = entry;
  const top = box.getBoundingClientRect().top;
  const stage = box.closest(".screen-stage");
  const width = box.clientWidth;
  // On the projector: the room left on the screen, under the title, with a line for "…and N
  // more". Elsewhere (the results page): a box of the page's width.
  const line = parseFloat(getComputedStyle(more).fontSize) * 1.6;
  const height = stage
    ? Math.max(120, stage.getBoundingClientRect().bottom - top - line - parseFloat(getComputedStyle(stage).paddingBottom))
    : Math.round(Math.min(width * 0.75, innerHeight * 0.6));
  entry.list.className = stage ? "sr-only" : "";
  if (box.style.height !== `${height}px`) box.style.height = `${height}px`; // the CSSOM: the CSP refuses style attributes
  entry.measure ??= canvasMeasure(box);
  const words = entry.words.map((word) => ({ text: word.text, count: word.count }));
  const result = layout(words, { width, height }, {
    measure: entry.measure,
    minSize: stage ? Math.max(18, Math.round(height / 20)) : 13, // read from the back of a hall, or up close
    maxSize: Math.round(height / 4),
    previous: entry.previous,
  });
  entry.previous = result;
  renderCloud(box, result.placements);
  const left = stage ? result.dropped.length + entry.extra : 0; // elsewhere the list names them
  more.hidden = !left;
  more.textContent = left ? t("results.more_words", { n: left }) : "";
  box.dataset.shown = String(result.placements.length);
}

// A projector's window may change size (a second screen plugged in): lay the clouds out again.
let resized = null;
addEventListener("resize", () => {
  clearTimeout(resized);
  resized = setTimeout(() => { for (const entry of clouds.values()) if (entry.node.isConnected) draw(entry); }, 150);
});

function results(activity, ctx) {
  if (!activity.words) return null;
  if (!activity.words.length) return ctx.h("p", { class: "screen-wait", dataset: { testid: "no-words" } }, t("results.no_words"));
  return cloud(activity, ctx);
}

// -- the console ---------------------------------------------------------------------------------

// Hiding asks for a reason: kept in the record and shown on the phones that sent the word.
function hide(activity, word, send) {
  const reason = prompt(t("console.hide_word_reason", { word: word.text }), "");
  if (reason !== null) send("hide_word", { activity: activity.id, word: word.word, reason });
}

/** Every word with how many phones sent it, held ones first, each to hide, show or let through. */
function moderation(activity, { h, send }) {
  const words = activity.words || [];
  const button = (label, aria, onclick, testid, extra = "") => h("button", { type: "button", class: `small ${extra}`, onclick, "aria-label": aria, dataset: { testid } }, label);
  return h("section", { key: "word-moderation", class: "word-moderation", dataset: { testid: "word-moderation" } },
    activity.held ? h("h3", { key: "held" }, t("console.words_held", { n: activity.held })) : null,
    words.length
      ? h("ul", { key: "words", class: "moderation" }, words.map((word) => h("li", { key: word.word, class: `mod-word ${word.status}`, dataset: { word: word.word, testid: "mod-word", status: word.status, count: String(word.count) } },
        h("span", { class: "word-text", dir: "auto" }, word.text),
        h("span", { class: "word-count" }, t("results.phones", { n: word.count })),
        word.status === "held" ? h("small", { class: "waiting" }, h("strong", {}, t("console.waiting")), HELD_CONSOLE[word.held] ? ` · ${t(HELD_CONSOLE[word.held])}` : "") : null,
        word.status === "hidden" ? h("small", { class: "muted" }, t("console.hidden"), word.reason ? [": ", h("bdi", {}, word.reason)] : "") : null,
        h("span", { class: "mod-actions" },
          word.status === "held" ? button(t("console.release"), t("console.release_note", { note: word.text }), () => send("release_word", { activity: activity.id, word: word.word }), "release-word", "primary") : null,
          word.status === "hidden"
            ? button(t("console.restore"), t("console.restore_note", { note: word.text }), () => send("restore_word", { activity: activity.id, word: word.word }), "restore-word")
            : button(t("console.hide"), t("console.hide_note", { note: word.text }), () => hide(activity, word, send), "hide-word")))))
      : h("p", { key: "none", class: "muted" }, t("results.no_words")),
    activity.total_words > words.length ? h("p", { key: "showing", class: "small muted" }, t("console.showing_words", { shown: words.length, n: activity.total_words })) : null);
}

export default {
  input: true,
  phone,
  saved: () => t("phone.words_saved"),
  results,
  fills: (activity) => Boolean(activity.words?.length), // the cloud takes the screen's room
  console: moderation,
};
