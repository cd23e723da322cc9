"""HTML minutes: well-formed, self-contained, printable on A4, participant text only text."""

from __future__ import annotations

import re
from typing import Any

from facilitate.export.to_html import minutes_html

from . import sample
from .helpers import Page
from .sample import activity


def test_the_page_is_well_formed_and_has_no_script_or_outside_asset(
    record: dict[str, Any], nb: Any
) -> None:
    html = minutes_html(record, nb)
    page = Page(html)
    assert not page.problems
    assert html.startswith('<!DOCTYPE html>\n<html lang="nb">')
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "link" not in names and "img" not in names
    assert names.count("style") == 1
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not any(name in ("src", "href") for name in attrs), (tag, attrs)
        assert "style" not in attrs, (tag, attrs)  # no inline styles: all CSS is in <style>
    assert (
        "url(" not in html
        and "@import" not in html
        and "http" not in html.replace("http://evil.example", "").replace("http://www.w3.org", "")
    )


def test_it_prints_on_a4_with_a_page_per_activity_and_svg_bars(
    record: dict[str, Any], nb: Any
) -> None:
    html = minutes_html(record, nb)
    assert re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:", html)
    assert "section.activity.results { break-before: page;" in html
    page = Page(html)
    sections = [a.get("class") for t, a in page.tags if t == "section"]
    results = [c for c in sections if c and "results" in c]
    assert len(results) == sum(1 for a in record["activities"] if a["kind"] != "info")
    assert sum(1 for t, _ in page.tags if t == "svg") >= 5


def test_participant_text_is_escaped(record: dict[str, Any], nb: Any) -> None:
    html = minutes_html(record, nb)
    assert "<script>" not in html and "<b>fet" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;" in html


def test_every_visible_note_is_there_once(record: dict[str, Any], nb: Any) -> None:
    text = Page(minutes_html(record, nb)).all_text
    for note in sample.VISIBLE:
        assert text.count(note) == 1, note


def test_hidden_notes_and_removed_entries_are_left_out(record: dict[str, Any], nb: Any) -> None:
    html = minutes_html(record, nb)
    for gone in (*sample.HIDDEN, *sample.REMOVED):
        assert gone.split()[0] not in html
    text = " ".join(Page(html).all_text.split())
    assert "Lapper skjult av møtelederen: 1 (begrunnelser: personopplysninger)." in text


def test_the_tables_hold_the_records_tallies(record: dict[str, Any], nb: Any) -> None:
    tables = Page(minutes_html(record, nb)).tables
    trygg = activity(record, "trygg")
    poll = next(t for t in tables if t[0][:3] == ["Svar", "Stemmer", "%"])
    counts = list(trygg["tally"]["counts"].values())
    assert [int(row[1]) for row in poll[1:]] == counts
    assert [int(row[2]) for row in poll[1:]] == [
        round(100 * c / trygg["tally"]["voters"]) for c in counts
    ]
    ranked = [t for t in tables if t[0][:3] == ["#", "Punkt", "Prikker"]]
    pj = activity(record, "pj")["ranking"]
    assert [[int(r[2]) for r in t[1:]] for t in ranked] == [
        [i["dots"] for i in pj["pain"]],
        [i["dots"] for i in pj["joy"]],
    ]
    agenda = next(t for t in tables if t[0][:2] == ["#", "Aktivitet"])
    assert [row[1] for row in agenda[1:]] == [a["title"]["nb"] for a in record["activities"]]


def test_the_facilitators_sections_and_details_are_there(record: dict[str, Any], nb: Any) -> None:
    text = Page(minutes_html(record, nb)).all_text
    for expected in (
        *sample.DETAILS.values(),
        sample.DECISION,
        sample.QUESTION,
        sample.NEXT_STEP,
        *sample.FOLLOWUP[1].split("\n\n"),
        "Beslutninger",
        "Spørsmål vi tok med oss",
    ):
        assert expected in text
