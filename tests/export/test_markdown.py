"""Markdown minutes: a golden file, every visible note once, nothing hidden or removed."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
from babel.support import Translations
from budget import examples
from hypothesis import given, settings, strategies as st

from facilitate.core import record as records
from facilitate.core.events import FACILITATOR, Event
from facilitate.core.text import UI_LANGUAGES
from facilitate.export import FORMATS, export
from facilitate.export.markdown import block, escape, minutes_markdown
from tests.core.helpers import T0, Run, notes

from . import sample
from .sample import activity, sample_record

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "minutes-nb.md"
REGENERATE = "FACILITATE_REGENERATE_GOLDEN"


def plain(markdown: str) -> str:
    """The text a reader sees: backslash escapes and the backticks of code spans removed."""
    return re.sub(r"\\(.)|`", lambda m: m[1] or "", markdown)


def rendered(markdown: str) -> str:
    """HTML as GitHub makes it: cmark-gfm with its extensions, autolinks included."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


def shown(markup: str) -> str:
    """The text of rendered HTML, as a reader sees it."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def test_the_minutes_of_the_sample_meeting_match_the_golden_file(nb: Any) -> None:
    """After a deliberate change: FACILITATE_REGENERATE_GOLDEN=1, then review the diff."""
    text = minutes_markdown(sample_record(), nb)
    if os.environ.get(REGENERATE):
        GOLDEN.write_text(text, "utf-8")
    assert text == GOLDEN.read_text("utf-8"), f"differs from {GOLDEN}; see {REGENERATE}"


def test_every_visible_note_is_in_the_minutes_once(record: dict[str, Any], nb: Any) -> None:
    text = plain(minutes_markdown(record, nb))
    for note in sample.VISIBLE:
        assert text.count(" ".join(note.split())) == 1, note


def test_hidden_notes_and_removed_entries_are_left_out(record: dict[str, Any], nb: Any) -> None:
    text = minutes_markdown(record, nb)
    for gone in (*sample.HIDDEN, *sample.REMOVED):
        assert gone.split()[0] not in text
    assert "Lapper skjult av møtelederen: 1 (begrunnelser: personopplysninger)" in text
    assert "(begrunnelser: ingen begrunnelse gitt)" in text


def test_the_tallies_are_the_records(record: dict[str, Any], nb: Any) -> None:
    text = plain(minutes_markdown(record, nb))
    trygg = activity(record, "trygg")
    labels = {"ja": "Ja", "nei": "Nei", "usikker": "Vet ikke / både og", "none": "Ingen av disse"}
    voters = trygg["tally"]["voters"]
    for option, count in trygg["tally"]["counts"].items():
        assert f"| {labels[option]} | {count} | {round(100 * count / voters)} |" in text
    for kind in ("pain", "joy"):
        for rank, item in enumerate(activity(record, "pj")["ranking"][kind], start=1):
            assert re.search(
                rf"\| {rank} \| {re.escape(item['text'])}.* \| {item['dots']} \|", text
            )


def test_the_details_attendance_and_sections_are_there(record: dict[str, Any], nb: Any) -> None:
    text = plain(minutes_markdown(record, nb))
    for value in sample.DETAILS.values():
        assert value in text
    for expected in (
        "Mobiler som deltok: 5",
        "| 23:20 | 2 | 5 |",  # joins over time, in Oslo time
        "| 4 | Hva er bra, hva er dårlig? | 23:31–23:35 | 4 |",
        "## Beslutninger",
        sample.DECISION,
        sample.QUESTION,
        sample.NEXT_STEP,
        "### Lyset er på plass (2023-12-05)",  # three weeks after the meeting ended
        "Kommunen har satt opp lys.\n\nTakk for innspillene!",
    ):
        assert expected in text


def test_participant_text_cannot_become_markup(nb: Any) -> None:
    text = minutes_markdown(sample_record(), nb)
    assert "<script>" not in text and "\\<script\\>" in text
    assert escape("[lenke](http://x) *fet* # ikke") == (
        "\\[lenke\\](`http://x`) \\*fet\\* \\# ikke"
    )
    assert block("1. ikke en liste") == "1\\. ikke en liste"
    assert block("- ikke en liste") == "\\- ikke en liste"
    assert block("=====") == "\\====="


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_the_minutes_speak_each_language(
    lang: str, catalogs: dict[str, Translations], record: dict[str, Any]
) -> None:
    text = minutes_markdown(record, catalogs[lang].gettext)
    participation = {
        "nb": "Deltakelse",
        "nn": "Deltaking",
        "sv": "Deltagande",
        "en": "Participation",
    }
    assert f"## {participation[lang]}\n" in text
    assert text.startswith("# Folkemøte på Ås – trygghet\n")


def test_when_a_log_merged_a_hidden_note_then_its_text_stays_out_of_every_format(nb: Any) -> None:
    """The defect seen: a note hidden for naming a person, then merged into another, came out
    `merged`, without its reason, and with its text in the Markdown minutes. Merging it is
    refused now; a log written before that still keeps it hidden everywhere."""
    run = Run(notes("ideas"))
    run.show("ideas")
    kept = run.post("p1", "ideas", "Mer lys ved stasjonen")
    named = run.post("p2", "ideas", "Kari Nordmann i nr. 12 deler ut piller")
    run.fac("hide", activity="ideas", note=named, reason="names a person")
    merged = Event(
        "notes_merged", {"activity": "ideas", "into": kept, "notes": [named]}, FACILITATOR, T0
    )
    built = records.build([*run.log, merged])
    (ideas,) = built["activities"]
    assert [(n["id"], n["status"], n["reason"]) for n in ideas["moderation"]] == [
        (named, "hidden", "names a person")
    ]
    assert "Kari" not in plain(minutes_markdown(built, nb))
    for fmt in FORMATS:
        if fmt not in ("json", "docx", "xlsx", "csv"):  # archives: test_moderation_machine
            assert b"Kari" not in export(built, fmt, nb), fmt


def test_the_minutes_count_notes_held_for_review_and_phones_that_only_looked(nb: Any) -> None:
    run = Run(notes("ideas"))
    run.join("p1", "p2", "p3")
    run.show("ideas")
    run.fac("pause", activity="ideas")
    let_through = run.post("p1", "ideas", "Mer lys")
    spam = run.post("p2", "ideas", "Kjøp billig")
    run.fac("release", activity="ideas", note=let_through)
    run.fac("hide", activity="ideas", note=spam, reason="reklame")
    text = plain(minutes_markdown(records.build(run.log), nb))
    assert "Mobiler som deltok: 2" in text and "Mobiler som åpnet møtet: 3" in text
    assert "Lapper som ventet på gjennomsyn: 2; sluppet gjennom: 1" in text
    assert "Kjøp billig" not in text and "Mer lys" in text


ADDRESSES = [
    "https://evil.example/phish",
    "http://evil.example",
    "HTTPS://EVIL.EXAMPLE/a_b*c*",
    "ftp://files.example/x",
    "www.evil.example/phish",
    "WWW.evil.example",
    "name@example.org",
    "first.last+tag@sub.example.org",
    "mailto:name@example.org",
    "xmpp:name@example.org/phone",
    "<https://evil.example>",
    "\\<https://evil.example\\>",
    "name&#64;example.org",
    "name&commat;example.org",
    "[klikk](https://evil.example)",
    '=HYPERLINK("http://evil.example","klikk")',
    "(se www.evil.example, eller https://evil.example.)",
    "1https://evil.example",
    "foo_www.evil.example",
    "a|https://evil.example|b",
    "`https://evil.example`",
    "example@.mailto:",  # a domain starting with a dot: found by the property below
    "a@.b",
]


@pytest.mark.parametrize("text", ADDRESSES)
def test_an_address_in_participant_text_is_never_a_link(text: str) -> None:
    """GitHub, GitLab and most renderers link bare addresses (the GFM autolink extension)."""
    for markdown in (block(text), f"- {block(text)}", f"| a |\n| --- |\n| {escape(text)} |"):
        page = rendered(markdown)
        assert "<a" not in page, (markdown, page)
        assert shown(page).strip().endswith(text.strip()), (markdown, page)


def test_an_address_reads_as_itself_in_the_raw_file() -> None:
    assert (
        escape("Se https://kommune.example/plan_2024.") == "Se `https://kommune.example/plan_2024`."
    )
    assert escape("Skriv til post@kommune.example!") == "Skriv til `post@kommune.example`!"
    assert escape("@alle: mer lys") == "@alle: mer lys"  # no address, nothing changes
    assert escape("kl. 18.00 på www.torget.example") == "kl. 18.00 på `www.torget.example`"


# Pieces that make links, code, escapes, entities and tables, in any order.
PIECES = st.sampled_from(
    [
        *("https://", "http://", "HTTP://", "ftp://", "x-y+z.1://", "://", "//"),
        *("www.", "WWW.", "mailto:", "xmpp:", "@", ".", ",", ":", "/", "example", "org", "no"),
        *("a", "Æ", "ø", "1", "_", "-", "+", "*", "~", "(", ")", "[", "]", "<", ">", "`", "\\"),
        *(
            "|",
            '"',
            "'",
            "&",
            "#",
            "&amp;",
            "&#64;",
            "&commat;",
            "!",
            "?",
            ";",
            "=",
            "%",
            " ",
            "\n",
            "\t",
        ),
    ]
)
WRITING = st.lists(PIECES, min_size=1, max_size=30).map("".join)


@settings(max_examples=examples(300), deadline=None)
@given(text=WRITING)
def test_no_participant_text_becomes_a_link_or_markup(text: str) -> None:
    """Rendered as GitHub renders it, in a paragraph, a list item and a table cell, the text
    shows exactly as written (spaces joined) and holds no link and no other markup."""
    written = " ".join(text.split())
    paragraph = rendered(block(text))
    item = rendered(f"- {block(text)}")
    cell = rendered(f"| a |\n| --- |\n| {escape(text)} |").split("<tbody>")[-1]
    for page in (paragraph, item, cell):
        assert "<a" not in page
        assert set(re.findall(r"<(\w+)", page)) <= {"p", "ul", "li", "tr", "td", "code"}, page
        assert " ".join(shown(page).split()) == written, page


def test_the_sample_minutes_hold_no_link(nb: Any) -> None:
    page = rendered(minutes_markdown(sample_record(), nb))
    assert "<a" not in page
    assert "<code>http://evil.example</code>" in page
