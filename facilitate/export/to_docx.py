"""Minutes as a Word document (DOCX), for organisers who edit them further. Pure over the record.

Built with python-docx from its default template, using only the built-in styles (Title,
Heading 1–3, List Bullet, Table Grid), so it opens the same in Word and LibreOffice. The
document's language is set, so spelling checks in the meeting's language.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table

from facilitate.export.model import (
    TIMEZONE,
    Gettext,
    Minutes,
    Section,
    arrival_time,
    minutes,
    moderation_lines,
    paragraphs,
    participation_lines,
    ymd,
)

# Word wants a region with the language.
_LOCALES = {"nb": "nb-NO", "nn": "nn-NO", "sv": "sv-SE", "en": "en-GB"}
_GREY = RGBColor(0x55, 0x55, 0x55)


def minutes_docx(record: dict[str, Any], _: Gettext, timezone: str = TIMEZONE) -> bytes:
    """The minutes of a meeting as the bytes of a .docx file."""
    return render(minutes(record, _, timezone))


def render(m: Minutes) -> bytes:
    w = m.words
    doc = Document()
    for section in doc.sections:  # the template is US Letter; minutes here are printed on A4
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
    _language(doc, _LOCALES.get(m.language, m.language))
    props = doc.core_properties
    props.title = m.title[:255]
    props.subject = w["minutes"]
    props.language = _LOCALES.get(m.language, m.language)
    props.author = "facilitate"
    props.comments = w["footer"] % {"n": m.events, "schema": m.schema}
    if m.started is not None:
        props.created = props.modified = m.started.replace(tzinfo=None)

    doc.add_heading(m.title, 0)
    facts = [(w["date"], m.date)]
    if m.time:
        facts.append((w["time"], m.time))
    facts += [(label, value) for key, label, value in m.details if key != "date"]
    facts.append((w["code"], m.code))
    table = _table(doc, None, facts, widths=(4, 13))
    for row in table.rows:
        row.cells[0].paragraphs[0].runs[0].bold = True
    for text in paragraphs(m.description):
        doc.add_paragraph(text)

    doc.add_heading(w["participation"], 1)
    for line in participation_lines(m):
        doc.add_paragraph(line, style="List Bullet")
    if m.arrivals:
        doc.add_heading(w["arrivals"], 2)
        _table(
            doc,
            [w["time"], w["arrived"], w["total"]],
            [(arrival_time(m, a), a.joined, a.total) for a in m.arrivals],
            numeric=(1, 2),
            widths=(4, 3, 3),
        )

    doc.add_heading(w["agenda"], 1)
    _table(
        doc,
        ["#", w["activity"], w["kind"], w["when"], w["present"]],
        [(s.number, s.title, s.kind_label, s.ran or w["not_shown"], s.present) for s in m.sections],
        numeric=(0, 4),
        widths=(1, 7, 3.5, 3, 2.5),
    )

    for s in m.sections:
        heading = doc.add_heading(f"{s.number}. {s.title}", 1)
        if s.has_results:
            heading.paragraph_format.page_break_before = True
        for text in paragraphs(s.text):
            doc.add_paragraph().add_run(text).italic = True
        if not s.has_results:
            continue
        line = w["answered"] % {"n": s.responders or 0}
        _muted(doc, f"{line} · {s.ran}" if s.ran else line)
        if s.kind == "poll":
            _poll(doc, s, w)
        elif s.kind == "notes":
            _notes(doc, s, w)
        else:
            _painjoy(doc, s, w)
        for text in moderation_lines(s.hidden, w):
            _muted(doc, f"{text}. {w['moderation']}")

    for part in m.parts:
        if not part.entries:
            continue
        doc.add_heading(part.heading, 1)
        for entry in part.entries:
            if part.key == "followups":
                doc.add_heading(f"{entry.title} ({ymd(entry.at)})", 2)
                for text in paragraphs(entry.text):
                    doc.add_paragraph(text)
            else:
                doc.add_paragraph(entry.text, style="List Bullet")
    _muted(doc, w["footer"] % {"n": m.events, "schema": m.schema})

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _poll(doc: DocumentType, s: Section, w: dict[str, str]) -> None:
    _table(
        doc,
        [w["answer"], w["votes"], "%"],
        [(a.label, a.votes, a.share) for a in s.answers],
        numeric=(1, 2),
        widths=(11, 3, 3),
    )
    if s.multiple:
        _muted(doc, w["multiple"])


def _notes(doc: DocumentType, s: Section, w: dict[str, str]) -> None:
    if not s.notes:
        doc.add_paragraph(w["no_notes"])
        return
    for group in s.groups:
        if group.heading is not None:
            doc.add_heading(group.heading, 2)
        if not group.notes:
            _muted(doc, f"({w['none']})")
        for note in group.notes:
            doc.add_paragraph(note.text, style="List Bullet")
            for similar in note.merged:
                doc.add_paragraph(similar, style="List Bullet 2")


def _painjoy(doc: DocumentType, s: Section, w: dict[str, str]) -> None:
    for ranking in s.rankings:
        doc.add_heading(ranking.heading, 2)
        if not ranking.points:
            _muted(doc, f"({w['none']})")
            continue
        rows = [
            (n.rank, "\n".join((n.text, *(f"+ {t}" for t in n.merged))), n.dots, n.share)
            for n in ranking.points
        ]
        _table(
            doc, ["#", w["point"], w["dots"], "%"], rows, numeric=(0, 2, 3), widths=(1, 10, 3, 3)
        )
    if s.dots:
        _muted(doc, w["dots_placed"] % {"n": s.dots})


def _table(
    doc: DocumentType,
    header: list[str] | None,
    rows: list[tuple[Any, ...]],
    numeric: tuple[int, ...] = (),
    widths: tuple[float, ...] = (),
) -> Table:
    """A grid table; `widths` in centimetres (Word reads them per cell, LibreOffice per column)."""
    width = len(header) if header else max(len(r) for r in rows)
    table: Table = doc.add_table(rows=0, cols=width)  # python-docx leaves this one unannotated
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if widths:
        table.autofit = False
        for column, cm in zip(table.columns, widths, strict=True):
            column.width = Cm(cm)
    if header:
        cells = table.add_row().cells
        for index, text in enumerate(header):
            run = cells[index].paragraphs[0].add_run(text)
            run.bold = True
            if index in numeric:
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _repeat_header(table)
    for row in rows:
        cells = table.add_row().cells
        for index, value in enumerate(row):
            paragraph = cells[index].paragraphs[0]
            paragraph.add_run("" if value is None else str(value))
            if index in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths:
        for row in table.rows:
            for cell, cm in zip(row.cells, widths, strict=True):
                cell.width = Cm(cm)
    doc.add_paragraph()
    return table


def _muted(doc: DocumentType, text: str) -> None:
    run = doc.add_paragraph().add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = _GREY


def _repeat_header(table: Table) -> None:
    """The header row repeats on every page the table runs over."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _language(doc: DocumentType, tag: str) -> None:
    """The language of the text, for spelling and hyphenation, on the default style."""
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
