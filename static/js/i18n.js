// Translated UI strings (handed over by the page as a JSON data block), localised plan texts, and
// a text's length as people read it.

const strings = JSON.parse(document.getElementById("strings")?.textContent || "{}");

/** More UI strings: a kind's own, which come with its module where the page loads it later. */
export function learn(more) {
  Object.assign(strings, more);
}

const plurals = new Intl.PluralRules(document.documentElement.lang || "en");

/** The UI string for `key`, with %(name)s placeholders filled from `params`. A counted text
 *  comes as its plural forms by category, and `params.n` picks one ("1 dot", "2 dots"). */
export function t(key, params = {}) {
  let template = strings[key];
  if (template === undefined) throw new Error(`missing UI string ${key}`);
  if (typeof template === "object") template = template[plurals.select(Number(params.n))] ?? template.other;
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(params[name] ?? ""));
}

const NEIGHBOURS = { nb: ["nn", "sv", "en"], nn: ["nb", "sv", "en"], sv: ["nb", "nn", "en"], en: ["nb", "sv", "nn"] };

/** A plan text ({nb: "…", en: "…"}) in `lang`, else a neighbour, else the meeting's language. */
export function localize(text, lang, fallback) {
  if (!text) return "";
  for (const code of [lang, ...(NEIGHBOURS[lang] || []), fallback]) {
    if (text[code]) return text[code];
  }
  return Object.values(text)[0] || "";
}

// A text's length as people see it, counted as the server counts (core/writing.py): grapheme
// clusters (a family emoji is one), or code points where the browser cannot segment; clusters
// of invisible characters (Unicode's default ignorables: joiners, direction marks) are none.
// eslint-disable-next-line no-misleading-character-class -- single invisible code points, listed one by one on purpose
const invisible = /^[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}]+$/u;
const graphemes = globalThis.Intl?.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
export function characters(value) {
  const parts = graphemes ? Array.from(graphemes.segment(value), (part) => part.segment) : Array.from(value);
  return parts.filter((part) => !invisible.test(part)).length;
}
