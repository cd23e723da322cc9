"""What a participant writes reaches every export exactly as written, in any script.

A note goes through the meeting (cleaning, counting), the record and each format; what comes
out is the text byte for byte (after NFC, the one change cleaning makes to such text).
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from babel.support import Translations
from budget import examples
from core.helpers import Run, make_plan, notes
from hypothesis import HealthCheck, given, settings, strategies as st

from facilitate.core import record as records
from facilitate.export import FORMATS, export

from .helpers import Page, docx_texts, read_csv, unzip, workbook

ZWJ, ZWNJ, ZWSP, LRM, RLM = "\u200d", "\u200c", "\u200b", "\u200e", "\u200f"


def _letters(*ranges: tuple[int, int]) -> st.SearchStrategy[str]:
    """Letters (category L) from the given code point ranges."""
    return st.one_of(
        st.characters(min_codepoint=lo, max_codepoint=hi, categories=("L",)) for lo, hi in ranges
    )


LETTERS = _letters(
    (0x41, 0x7A),  # Latin
    (0xC0, 0x24F),  # Nordic and other Latin letters (æ, ø, å, ä, ö, ş, …)
    (0x5D0, 0x5EA),  # Hebrew
    (0x620, 0x64A),  # Arabic
    (0x67E, 0x6CC),  # Persian and Urdu letters (پ چ ژ گ ی)
    (0x905, 0x939),  # Devanagari
    (0x1200, 0x135A),  # Ethiopic (Tigrinya, Amharic)
    (0x410, 0x44F),  # Cyrillic
)
MARKS = st.sampled_from(
    [
        "\u0301",  # acute
        "\u0308",  # diaeresis
        "\u0323",  # dot below
        "\u064e",  # Arabic fatha
        "\u0651",  # Arabic shadda
        "\u05b7",  # Hebrew patah
        "\u093f",  # Devanagari vowel sign i
        "\u094d",  # Devanagari virama
        "\ufe0f",  # variation selector 16: emoji presentation
        "\ufe0e",  # variation selector 15: text presentation
    ]
)
EMOJI = st.sampled_from(
    [
        "👨\u200d👩\u200d👧\u200d👦",  # family
        "🏳\ufe0f\u200d🌈",  # rainbow flag
        "👩🏻\u200d❤\ufe0f\u200d💋\u200d👨🏼",  # kiss, with skin tones
        "🧑🏾\u200d🦽",  # person in a wheelchair
        "🇳🇴",
        "🇸🇪",
        "👋🏿",
        "❤\ufe0f",
        "☺\ufe0e",
        "😀",
    ]
)
JOINERS = st.sampled_from([ZWJ, ZWNJ, ZWSP, LRM, RLM])
# A word starts with a letter or an emoji; marks and joiners follow.
WORD = st.builds(
    lambda head, tail: head + "".join(tail),
    LETTERS | EMOJI,
    st.lists(LETTERS | EMOJI | MARKS | JOINERS, max_size=8),
)
TEXT = st.lists(WORD, min_size=1, max_size=6).map(" ".join)

GETTEXT = Translations().gettext  # the untranslated (English) labels; only the texts matter


def _record(text: str) -> dict[str, Any]:
    run = Run(plan=make_plan(notes("ideas", max_length=1000)))
    run.join("p1")
    run.show("ideas", present=1)
    run.post("p1", "ideas", text)
    run.fac("add_item", section="decision", text=text)
    return records.build(run.log)


def _found_in(fmt: str, data: bytes, text: str) -> int:
    """How many times `text` is a whole note or item (a cell, a paragraph, a list item) in the
    export, read back the way its users' tools read it."""
    if fmt == "json":
        record = json.loads(data)
        found = [n["text"] for a in record["activities"] for n in a.get("notes", [])]
        return [*found, *(i["text"] for i in record["decisions"])].count(text)
    if fmt == "md":
        return [line.removeprefix("- ") for line in data.decode().splitlines()].count(text)
    if fmt == "html":
        return data.decode().count(f">{text}<")
    if fmt == "docx":
        _, texts = docx_texts(data)
        return texts.count(text)
    if fmt == "xlsx":
        book = workbook(data)
        cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
        return cells.count(text)
    if fmt == "csv":
        files = unzip(data)
        return sum(cell == text for f in files.values() for row in read_csv(f) for cell in row)
    assert fmt == "csv-long"
    return sum(cell == text for row in read_csv(data) for cell in row)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_any_writing_survives_the_note_the_record_and_every_export(text: str) -> None:
    written = unicodedata.normalize("NFC", text)
    record = _record(text)
    (activity,) = record["activities"]
    assert [note["text"] for note in activity["notes"]] == [written]
    for fmt in FORMATS:
        assert _found_in(fmt, export(record, fmt, GETTEXT), written) >= 1, fmt


def test_the_property_finds_a_note_in_every_format() -> None:
    # The reader above is what makes the property mean something: it must find a plain note.
    record = _record("Mer lys")
    for fmt in FORMATS:
        assert _found_in(fmt, export(record, fmt, GETTEXT), "Mer lys") >= 1, fmt
    assert Page(export(record, "html", GETTEXT).decode()).problems == []
