"""What people write is kept as they wrote it; lengths count what a person sees."""

from __future__ import annotations

import pathlib
import re
import unicodedata

import pytest
import regex
from budget import examples
from hypothesis import given, settings, strategies as st

from facilitate.core import board, report, writing
from facilitate.core.writing import blank, clean_text, fits, length, truncate

from .helpers import Run, notes

ZWNJ, ZWJ, ZWSP, LRM, RLM, ALM = "\u200c", "\u200d", "\u200b", "\u200e", "\u200f", "\u061c"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
PERSIAN = "می\u200cخواهم"  # "I want": without the non-joiner it is spelled wrong
FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # seven code points, 25 bytes, one character
RAINBOW = "🏳\ufe0f\u200d🌈"
KISS = "👩🏻\u200d❤\ufe0f\u200d💋\u200d👨🏼"  # the longest emoji: ten code points
HEART = "❤\ufe0f"  # emoji presentation
SMILE_AS_TEXT = "☺\ufe0e"  # text presentation
IDEOGRAPH_VARIANT = "葛\U000e0100"  # an ideographic variation selector
NORWAY = "🇳🇴"
WAVE = "👋🏾"


# -- what is kept ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        PERSIAN,
        FAMILY,
        RAINBOW,
        KISS,
        HEART,
        SMILE_AS_TEXT,
        IDEOGRAPH_VARIANT,
        NORWAY,
        WAVE,
        f"{RLM}مرحبا{RLM} Oslo",  # right-to-left marks
        f"Oslo {LRM}(2024){LRM}",  # left-to-right marks
        f"١٢{ALM}-٣",  # the Arabic letter mark
        f"lang{ZWSP}ord",  # a zero-width space: a place a long word may break
        f"{ZWJ}{ZWNJ}x",  # joiners even at the start: they are not white space
        "क्षत्रिय नमस्ते",  # Devanagari conjuncts: virama and joiner marks
        "ἄλφα",  # Greek with breathing and accent
        "Smertepunkt – æøå ÆØÅ ä ö 😀 مرحبا שלום",
        f"Ta med {FSI}محمد{PDI} og {RLI}שלום{PDI}!",  # isolates that pair up
        f"{LRI}a{RLI}b{PDI}c{PDI}",  # nested isolates
    ],
)
def test_when_text_is_cleaned_then_joiners_marks_selectors_and_emoji_are_kept(text):
    assert clean_text(text) == text


def test_regression_zero_width_joiners_and_non_joiners_are_not_stripped():
    # The cleaning once removed U+200B–U+200F: Persian lost its spelling, families fell apart.
    assert ZWNJ in clean_text(PERSIAN)
    assert clean_text(f"Vi er {FAMILY} under {RAINBOW}") == f"Vi er {FAMILY} under {RAINBOW}"
    run = Run(notes())
    run.show("ideas")
    note = run.post("p1", "ideas", f"{PERSIAN} {FAMILY}")
    assert run.state("ideas").notes[note].text == f"{PERSIAN} {FAMILY}"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("e\u0301", "é"),  # combining marks are composed (NFC)
        ("Ha\u0308nsel", "Hänsel"),
        ("\u1100\u1161\u11a8", "각"),  # Hangul jamo
        ("e\u0301\u0323", "ẹ\u0301"),  # marks in canonical order, composed where they can be
        ("e\u202a\u0301", "é"),  # NFC after a removed character stood in between
        ("e\u200b\u0301", "e\u200b\u0301"),  # a kept zero-width space keeps them apart
    ],
)
def test_when_text_is_cleaned_then_it_is_normalised_to_nfc(raw, clean):
    assert clean_text(raw) == clean


# -- what is removed ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Mer lys  ", "Mer lys"),
        ("a\x00b\x07c\x1bd\x7fe", "abcde"),  # C0 controls and DEL
        ("a\x80b\x85c\x9fd", "abcd"),  # C1 controls
        ("abc\u202edef\u202c", "abcdef"),  # right-to-left override and pop
        ("\u202a\u202b\u202dx", "x"),  # embeddings and left-to-right override
        (f"{RLI}open", "open"),  # an isolate never closed
        (f"closed{PDI} nothing", "closed nothing"),  # a PDI closing nothing
        (f"{LRI}a{RLI}b{PDI}", f"a{RLI}b{PDI}"),  # the outer one is left open
        (f"{FSI}one\ntwo{PDI}", "one\ntwo"),  # a line break ends every isolate
        ("\n\n \u202e\t", ""),
    ],
)
def test_when_text_is_cleaned_then_controls_and_bidi_overrides_are_gone(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("a\u2028b\u2029c", "a\nb\nc"),  # line and paragraph separators
        ("a\tb", "a b"),
        ("a\n\n\n\n\nb", "a\n\nb"),  # at most one blank line in a row
        ("\n\nMer lys\n\n", "Mer lys"),
    ],
)
def test_when_text_is_cleaned_then_line_breaks_are_newlines(raw, clean):
    assert clean_text(raw) == clean


def test_when_a_field_is_one_line_then_line_breaks_become_spaces():
    assert (
        clean_text("Kultur-\r\nhuset\u2028Ås\ttorget", multiline=False) == "Kultur- huset Ås torget"
    )
    run = Run(notes())
    run.fac("details", fields={"place": "Kulturhuset\nÅs", "purpose": "Trygghet\n\ni sentrum"})
    run.fac("follow_up", title="Lyset\ner på plass", text="Takk!\nHilsen kommunen")
    assert run.meeting.report.details == {
        "place": "Kulturhuset Ås",
        "purpose": "Trygghet\n\ni sentrum",
    }
    (followup,) = run.meeting.report.live_followups()
    assert (followup.title, followup.text) == ("Lyset er på plass", "Takk!\nHilsen kommunen")


_BIDI_EMBEDDINGS = {"LRE", "RLE", "LRO", "RLO", "PDF"}
_ISOLATE_OPENERS = {"LRI", "RLI", "FSI"}


def _isolates_pair_up(line: str) -> bool:
    depth = 0
    for char in line:
        kind = unicodedata.bidirectional(char)
        depth += kind in _ISOLATE_OPENERS
        depth -= kind == "PDI"
        if depth < 0:
            return False
    return depth == 0


@settings(max_examples=examples(300), deadline=None)
@given(
    raw=st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",))
        | st.sampled_from(
            f"\r\n\t\u202e\u202a\u202c{LRI}{RLI}{FSI}{PDI}{ZWJ}{ZWNJ}{ZWSP}\u0301\x85\x00\u2028e"
        ),
        max_size=60,
    )
)
def test_when_any_text_is_cleaned_then_it_is_safe_normalised_trimmed_and_stable(raw):
    clean = clean_text(raw)
    assert all(unicodedata.category(c) != "Cc" or c == "\n" for c in clean)
    assert not {unicodedata.bidirectional(c) for c in clean} & _BIDI_EMBEDDINGS
    assert all(_isolates_pair_up(line) for line in clean.split("\n"))
    assert unicodedata.is_normalized("NFC", clean)
    assert "\n\n\n" not in clean
    assert clean == clean.strip()
    assert clean_text(clean) == clean
    assert "\n" not in clean_text(raw, multiline=False)


# -- how long a text is ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("", 0),
        ("Mer lys", 7),
        ("a\nb", 3),
        (FAMILY, 1),
        (RAINBOW, 1),
        (KISS, 1),
        (NORWAY, 1),
        (WAVE, 1),
        (HEART, 1),
        (IDEOGRAPH_VARIANT, 1),
        ("e\u0301", 1),
        (PERSIAN, 7),  # the non-joiner belongs to the letter before it
        ("مرحبا", 5),
        ("שָׁלוֹם", 4),  # Hebrew with points: four letters
        (f"{FAMILY} og {RAINBOW}", 6),
        ("a\r\nb", 3),  # CR LF is one character
        (f"{RLM}مرحبا{RLM}", 5),  # invisible marks are no characters
        (f"{ZWSP}{LRM}{RLI}{PDI}", 0),
        (f"{ZWJ}x", 1),
    ],
)
def test_a_length_counts_the_characters_a_person_sees(text, n):
    assert length(text) == n


@settings(max_examples=examples(300), deadline=None)
@given(
    text=st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",))
        | st.sampled_from(
            "\r\n\xad\u0301\u093f\u094d\u0915\u1100\u1161\u11a8\uac00\U0001f1f3\U0001f1f4"
            f"\U0001f468\U0001f3fb\u0600{ZWJ}{ZWNJ}{ZWSP}{LRM}{RLI}{PDI}\ufe0fxø"
        ),
        max_size=30,
    )
)
def test_the_quick_count_agrees_with_counting_every_cluster(text):
    clusters = regex.findall(r"\X", text)
    invisible = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
    assert length(text) == sum(1 for c in clusters if not invisible.fullmatch(c))


def test_a_text_fits_by_characters_and_by_a_generous_bound_on_code_points():
    assert fits(FAMILY * 280, 280) and not fits(FAMILY * 281, 280)
    assert fits(KISS * 1000, 1000)  # the longest emoji, a thousand times
    assert fits("x" * 280, 280) and not fits("x" * 281, 280)
    zalgo = "e" + "\u0301\u0316" * 20  # one character of 41 code points
    assert length(zalgo * 10) == 10
    assert fits(zalgo * 2 + "x" * 8, 10)  # ten code points a character on average
    assert not fits(zalgo * 10, 10)


def test_a_note_of_280_families_is_accepted_and_281_is_too_long():
    run = Run(notes())
    run.show("ideas")
    note = run.post("p1", "ideas", FAMILY * 280)
    assert run.state("ideas").notes[note].text == FAMILY * 280
    error = run.refused("p1", "note", activity="ideas", text=FAMILY * 281)
    assert (error.code, error.params) == ("too_long", {"limit": 280})


def test_a_facilitator_text_is_counted_the_way_people_see_it_too():
    run = Run(notes())
    run.fac("add_item", section="decision", text=FAMILY * report.MAX_ITEM)
    error = run.refused("facilitator", "add_item", section="decision", text="x" * 2001)
    assert (error.code, error.params) == ("too_long_text", {"limit": report.MAX_ITEM})
    error = run.refused("facilitator", "follow_up", title=RAINBOW * 201, text="Takk")
    assert (error.code, error.params) == ("too_long_text", {"limit": 200})


def test_board_still_offers_the_cleaning():
    assert board.clean_text is writing.clean_text


# -- cutting a text short ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n", "cut"),
    [
        ("Navn på en person", 4, "Navn"),
        ("Navn på", 5, "Navn"),  # no trailing space
        (FAMILY * 3, 2, FAMILY * 2),  # never half a family
        (f"ab{RAINBOW}", 3, f"ab{RAINBOW}"),
        ("e\u0301e\u0301e\u0301", 2, "éé"),
        (f"{RLI}عربي{PDI} tekst", 3, "عرب"),  # an isolate the cut left open goes
        (f"{RLI}ع{PDI}x", 1, f"{RLI}ع{PDI}"),  # invisible marks are not counted
        (f"{RLM}abc", 2, f"{RLM}ab"),
        ("kort", 200, "kort"),
        ("noe", 0, ""),
    ],
)
def test_a_truncated_text_keeps_whole_characters(text, n, cut):
    text = clean_text(text)
    assert truncate(text, n) == clean_text(cut)
    assert fits(truncate(text, n), n)


@given(
    text=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))),
    n=st.integers(0, 30),
)
def test_a_truncated_text_is_whole_characters_from_the_start_that_fit(text, n):
    text = clean_text(text)
    cut = truncate(text, n)
    assert fits(cut, n)
    assert clean_text(cut) == cut
    if fits(text, n):
        assert cut == text
    if not any(unicodedata.bidirectional(c) in ("LRI", "RLI", "FSI", "PDI") for c in text):
        characters = regex.findall(r"\X", cut)
        assert characters == regex.findall(r"\X", text)[: len(characters)]


def test_a_note_of_only_invisible_marks_is_empty():
    run = Run(notes())
    run.show("ideas")
    assert (
        run.refused("p1", "note", activity="ideas", text=f"{ZWSP}{LRM} {ZWJ}").code == "empty_note"
    )


@pytest.mark.parametrize(
    ("text", "empty"),
    [("", True), (" \n ", True), (f"{ZWSP}{LRM} {ZWJ}", True), ("x", False), ("\u0301", False)],
)
def test_a_text_of_white_space_and_invisible_marks_is_blank(text, empty):
    assert blank(text) is empty


def test_a_blank_detail_clears_the_field():
    run = Run(notes())
    run.fac("details", fields={"place": "Kulturhuset"})
    run.fac("details", fields={"place": f"{ZWSP} "})
    assert run.meeting.report.details.get("place", "") == ""


def test_the_phone_counts_the_same_invisible_characters_as_the_server() -> None:
    """static/js/i18n.js (how phones count a text) spells out Unicode's default ignorables
    (old phones' regex engines lack \\p{…}); it must list exactly the set writing.py leaves
    uncounted."""
    script = pathlib.Path(__file__).resolve().parents[2] / "static" / "js" / "i18n.js"
    found = re.search(r"const invisible = /\^\[(.*?)\]\+\$/u;", script.read_text("utf-8"))
    assert found, "i18n.js no longer defines `invisible` as a character class"
    spelled: set[int] = set()
    pattern = r"\\u\{(\w+)\}(?:-\\u\{(\w+)\})?|\\u(\w{4})(?:-\\u(\w{4}))?"
    for a, b, c, d in re.findall(pattern, found.group(1)):
        low = int(a or c, 16)
        spelled.update(range(low, int(b or d or a or c, 16) + 1))
    ignorable = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    assert spelled == {cp for cp in range(0x110000) if ignorable.match(chr(cp))}
