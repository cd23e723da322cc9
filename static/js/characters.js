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
