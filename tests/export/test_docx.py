"""DOCX minutes, read back with python-docx: headings, agenda, tables, notes, nothing hidden."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx.oxml.ns import qn

from facilitate.export.to_docx import minutes_docx

from . import sample
from .helpers import docx_tables, docx_texts
from .sample import activity


def test_the_document_opens_with_its_title_language_and_headings(
    record: dict[str, Any], nb: Any
) -> None:
    data = minutes_docx(record, nb)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert "word/document.xml" in archive.namelist()
    document, _ = docx_texts(data)
    assert document.core_properties.title == "Folkemøte på Ås – trygghet"
    assert document.core_properties.language == "nb-NO"
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "nb-NO"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Deltakelse", "Program"]
    titles = [f"{n}. {a['title']['nb']}" for n, a in enumerate(record["activities"], start=1)]
    assert headings[2 : 2 + len(titles)] == titles
    assert headings[2 + len(titles) :] == [
        "Beslutninger",
        "Spørsmål vi tok med oss",
        "Neste steg",
        "Tilbakemeldinger til deltakerne",
    ]
    breaks = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert breaks == [
        t for t, a in zip(titles, record["activities"], strict=True) if a["kind"] != "info"
    ]


def test_every_visible_note_is_there_once_and_nothing_hidden(
    record: dict[str, Any], nb: Any
) -> None:
    _, texts = docx_texts(minutes_docx(record, nb))
    everything = "\n\n".join(texts)
    for note in sample.VISIBLE:
        assert everything.count(note) == 1, note
    for gone in (*sample.HIDDEN, *sample.REMOVED):
        assert gone.split()[0] not in everything
    assert sample.DECISION in texts and sample.QUESTION in texts


def test_notes_are_grouped_by_column_with_merged_notes_below(
    record: dict[str, Any], nb: Any
) -> None:
    document, _ = docx_texts(minutes_docx(record, nb))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    start = paragraphs.index(("Heading 2", "Bra"))
    assert paragraphs[start + 1 : start + 4] == [
        ("List Bullet", sample.SCRIPT),
        ("List Bullet", sample.QUOTES),
        ("List Bullet 2", sample.BENCHES),
    ]
    assert paragraphs[start + 4 : start + 6] == [
        ("Heading 2", "Dårlig"),
        ("List Bullet", sample.FORMULA),
    ]


def test_the_tables_hold_the_records_counts_and_percentages(
    record: dict[str, Any], nb: Any
) -> None:
    document, _ = docx_texts(minutes_docx(record, nb))
    tables = docx_tables(document)
    polls = [t for t in tables if t[0] == ["Svar", "Stemmer", "%"]]
    for table, activity_id in zip(polls, ("trygg", "tiltak"), strict=True):
        tally = activity(record, activity_id)["tally"]
        counts = list(tally["counts"].values())
        assert [int(r[1]) for r in table[1:]] == counts
        assert [int(r[2]) for r in table[1:]] == [round(100 * c / tally["voters"]) for c in counts]
    ranked = [t for t in tables if t[0] == ["#", "Punkt", "Prikker", "%"]]
    ranking = activity(record, "pj")["ranking"]
    assert [[(r[0], r[1].split("\n")[0], int(r[2])) for r in t[1:]] for t in ranked] == [
        [(str(n), i["text"], i["dots"]) for n, i in enumerate(ranking[kind], start=1)]
        for kind in ("pain", "joy")
    ]
    assert ranked[0][1][1] == f"{sample.DARK}\n+ {sample.SPEED}"
    agenda = next(t for t in tables if t[0][:2] == ["#", "Aktivitet"])
    assert len(agenda) == 1 + len(record["activities"])
