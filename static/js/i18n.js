// Translated UI strings (handed over by the page as a JSON data block) and localised plan texts.

const strings = JSON.parse(document.getElementById("strings")?.textContent || "{}");

/** The UI string for `key`, with %(name)s placeholders filled from `params`. */
export function t(key, params = {}) {
  const template = strings[key];
  if (template === undefined) throw new Error(`missing UI string ${key}`);
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
