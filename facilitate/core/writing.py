"""What people write: cleaning and counting. Pure: text in, text or numbers out.

Participants write in many scripts (Norwegian, Persian, Arabic, Somali, Tigrinya, …) and with
emoji, so a text is kept as it was written. Cleaning removes only what is not writing: control
characters, and the bidirectional embeddings and overrides that could turn the page around the
text. Everything else stays: zero-width joiners and non-joiners (a Persian word's spelling, a
family emoji), left-to-right and right-to-left marks, zero-width spaces, variation selectors,
combining marks. Lengths count what a person sees: grapheme clusters (Unicode UAX #29), so a
family emoji is one character and "é" is one however it was typed, and an invisible mark is none.
"""

from __future__ import annotations

import re
import unicodedata

from facilitate.core import patterns  # `regex`: the standard `re` has no `\X` (grapheme cluster)

# The longest emoji Unicode recommends, a kiss with two skin tones (👩🏻‍❤️‍💋‍👨🏼), is ten code
# points. A text averaging more per character is marks stacked on marks, which no language needs;
# without this bound a 280-character note could be made to hold megabytes.
MAX_CODE_POINTS_PER_CHARACTER = 10

_GRAPHEME = patterns.compile(r"\X")
# What can join code points into one cluster (UAX #29 rules GB3 to GB13): without any of these
# (most Nordic, Arabic or Hebrew text), every code point is a character, and counting is quick.
_JOINING = patterns.compile(
    r"[\r\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}"
    r"\p{Grapheme_Cluster_Break=SpacingMark}\p{Grapheme_Cluster_Break=Prepend}"
    r"\p{Grapheme_Cluster_Break=Regional_Indicator}\p{Hangul_Syllable_Type=L}"
    r"\p{Hangul_Syllable_Type=V}\p{Hangul_Syllable_Type=T}\p{Hangul_Syllable_Type=LV}"
    r"\p{Hangul_Syllable_Type=LVT}\p{Default_Ignorable_Code_Point}]"
)
# Characters with no look of their own (joiners, marks of direction, variation selectors, …);
# static/js/i18n.js counts the same way, with this set spelled out.
_IGNORABLE = patterns.compile(r"\p{Default_Ignorable_Code_Point}")
_INVISIBLE = patterns.compile(r"\p{Default_Ignorable_Code_Point}+")
_BLANK = patterns.compile(r"[\s\p{Default_Ignorable_Code_Point}]*")
# C0 and C1 controls (newline kept; tab and CR are turned into space and newline first) and
# the bidi embeddings and overrides (LRE, RLE, PDF, LRO, RLO): an override left open in a note
# would reverse whatever follows it on the line.
_REMOVED = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]")
# Bidi isolates (LRI, RLI, FSI … PDI) are kept when they pair up within a line: a closed isolate
# cannot reach outside itself. One left open, or a PDI closing nothing, is removed.
_ISOLATE = re.compile(r"[\u2066-\u2069]")
_PDI = "\u2069"
# CR LF, CR, and the line and paragraph separators: line breaks as people type them.
_LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str, *, multiline: bool = True) -> str:
    """A text made safe to store and show, and otherwise kept as written.

    Line breaks of every kind become "\\n" (or a space where the field is one line), a tab a
    space; control characters and bidi embeddings and overrides are removed, unpaired bidi
    isolates too; the text is normalised to NFC, at most one blank line is kept in a row, and
    the ends are trimmed.
    """
    if text.isprintable():  # no line break, tab, control or bidi mark: most notes
        return unicodedata.normalize("NFC", text).strip()
    for line_break in _LINE_BREAKS:
        if line_break in text:  # checking is quicker than replacing: most texts have none
            text = text.replace(line_break, "\n")
    text = text.replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    text = _REMOVED.sub("", text)
    if _ISOLATE.search(text):
        text = "\n".join(_paired_isolates(line) for line in text.split("\n"))
    # after removing: "e\u202a\u0301" must become "é"
    text = unicodedata.normalize("NFC", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def _paired_isolates(line: str) -> str:
    """The line without the isolate initiators and PDIs that have no partner."""
    unpaired: list[int] = []
    openers: list[int] = []
    for match in _ISOLATE.finditer(line):
        if match.group() != _PDI:
            openers.append(match.start())
        elif openers:
            openers.pop()
        else:
            unpaired.append(match.start())
    drop = set(unpaired + openers)
    if not drop:
        return line
    return "".join(char for index, char in enumerate(line) if index not in drop)


def length(text: str) -> int:
    """How many characters a person sees: extended grapheme clusters, not code points, and
    not the clusters made only of invisible characters (a lone zero-width space or mark)."""
    if _one_code_point_each(text):
        return len(text)
    if not _IGNORABLE.search(text):
        return sum(1 for _ in _GRAPHEME.finditer(text))
    return sum(1 for match in _GRAPHEME.finditer(text) if not _INVISIBLE.fullmatch(match.group()))


def _one_code_point_each(text: str) -> bool:
    """True when every code point of the text is a character (a cluster) of its own."""
    try:
        text.encode("latin-1")  # quick: ASCII and the Nordic letters join nothing ...
    except UnicodeEncodeError:
        return not _JOINING.search(text)
    return "\r" not in text and "\xad" not in text  # ... but CR LF and the soft hyphen


def blank(text: str) -> bool:
    """True when there is nothing to see: only white space and invisible characters."""
    first = text[:1]
    if first.isascii() and first.isalnum():  # a letter or a digit one sees: most texts
        return False
    return _BLANK.fullmatch(text) is not None


def fits(text: str, limit: int) -> bool:
    """True when the text holds at most `limit` characters (grapheme clusters), and not more
    than MAX_CODE_POINTS_PER_CHARACTER code points for each of them on average."""
    if len(text) <= limit:  # a character is at least one code point: it fits
        return True
    return len(text) <= limit * MAX_CODE_POINTS_PER_CHARACTER and length(text) <= limit


def truncate(text: str, limit: int) -> str:
    """The longest start of the text that `fits` in `limit` characters, never cutting a
    character (a grapheme cluster) in half; trailing spaces and a bidi isolate the cut left
    open are removed."""
    if fits(text, limit):
        return text
    budget = max(0, limit) * MAX_CODE_POINTS_PER_CHARACTER
    end = seen = 0
    for match in _GRAPHEME.finditer(text):
        if match.end() > budget:
            break
        if not _INVISIBLE.fullmatch(match.group()):
            if seen == limit:
                break
            seen += 1
        end = match.end()
    cut = text[:end]
    if _ISOLATE.search(cut):
        cut = "\n".join(_paired_isolates(line) for line in cut.split("\n"))
    return cut.rstrip()
