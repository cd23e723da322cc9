// Translated UI strings (handed over by the page as a JSON data block) and localised plan texts.

const strings = JSON.parse(document.getElementById("strings")?.textContent || "{}");

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
