"""Minutes as a Word document (DOCX), for organisers who edit them further. Pure over the record.

Built with python-docx from its default template, using only the built-in styles (Title,
Heading 1–3, List Bullet, Table Grid), so it opens the same in Word and LibreOffice. The
document's language is set, so spelling checks in the meeting's language.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table as DocxTable

from facilitate.core.blocks import (
    Bars,
    Block,
    BulletList,
    Cell,
    Facts,
    Heading,
    Item,
    Links,
    Moderation,
    Paragraph,
    Table,
    decimal_mark,
    for_documents,
    number,
)
from facilitate.export.model import (
    TIMEZONE,
    Gettext,
    Minutes,
    Voice,
    arrival_time,
    kept_in_record,
    minutes,
    moderation_lines,
    paragraphs,
    participation_lines,
    ymd,
    ymd_hm,
)

# Word wants a region with the language.
LOCALES = {"nb": "nb-NO", "nn": "nn-NO", "sv": "sv-SE", "en": "en-GB"}
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
    set_language(doc, LOCALES.get(m.language, m.language))
    props = doc.core_properties
    props.title = m.title[:255]
    props.subject = w["minutes"]
    props.language = LOCALES.get(m.language, m.language)
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
    if m.follow:
        render_block(doc, Links((m.follow,)), m)

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
        for block in for_documents(s.blocks):
            render_block(doc, block, m)

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


def render_block(doc: DocumentType, b: Block, m: Voice) -> None:
    """Add any block to the document (nothing for a sheet's block)."""
    w, mark = m.words, decimal_mark(m.language)
    if isinstance(b, Heading):
        doc.add_heading(b.text, min(9, b.level + 1))
    elif isinstance(b, Paragraph):
        if b.muted:
            _muted(doc, b.text)
        else:
            doc.add_paragraph(b.text)
    elif isinstance(b, Facts):
        _table(doc, None, [(label, _cell(v, None, mark)) for label, v in b.pairs], widths=(6, 11))
    elif isinstance(b, BulletList):
        if not b.items and b.empty:
            _muted(doc, b.empty)
        for item in b.items:
            doc.add_paragraph(item.text, style="List Bullet")
            for similar in item.merged:
                doc.add_paragraph(similar, style="List Bullet 2")
    elif isinstance(b, Moderation):
        for number, line in enumerate(moderation_lines(b, w)):
            kept = kept_in_record(b, w)
            _muted(doc, f"{line}. {kept}" if number == 0 and b.hidden else f"{line}.")
    elif isinstance(b, Links):
        for label, address in b.items:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{label}: ")
            _hyperlink(paragraph, address)
    elif isinstance(b, Table | Bars):
        header, rows, numeric = _grid(b, mark)
        if not rows and b.empty:
            _muted(doc, b.empty)
            return
        if isinstance(b, Table) and b.caption:
            doc.add_paragraph().add_run(b.caption).bold = True
        _table(doc, header, rows, numeric=numeric, widths=_widths(header, rows, numeric))


def _grid(b: Table | Bars, mark: str) -> tuple[list[str], list[tuple[Any, ...]], tuple[int, ...]]:
    """A table's or a chart's header, rows of texts, and which columns hold numbers."""
    if isinstance(b, Table):
        header = [c.label for c in b.columns]
        numeric = tuple(n for n, c in enumerate(b.columns) if c.numeric)
        cells = [
            tuple(_cell(v, c.places, mark) for c, v in zip(b.columns, row, strict=True))
            for row in b.rows
        ]
        return header, cells, numeric
    lead = (["#"] if b.ranked else []) + ([""] if b.grouped else [])
    header = [*lead, b.label, b.value, "%"]
    rows: list[tuple[Any, ...]] = [
        (
            *([bar.rank] if b.ranked else []),
            *([bar.group] if b.grouped else []),
            _cell(Item(bar.label, bar.merged), 0, mark),
            number(bar.value, b.places, mark),
            bar.share,
        )
        for bar in b.bars
    ]
    numeric = (*((0,) if b.ranked else ()), len(header) - 2, len(header) - 1)
    return header, rows, numeric


def _cell(value: Cell, places: int | None, mark: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Item):
        return "\n".join((value.text, *(f"+ {t}" for t in value.merged)))
    if isinstance(value, datetime):
        return ymd_hm(value)
    if isinstance(value, int | float):
        return number(value, places, mark)
    return value


def _widths(
    header: list[str], rows: list[tuple[Any, ...]], numeric: tuple[int, ...]
) -> tuple[float, ...]:
    """Column widths in centimetres on A4's 17 cm: numbers as narrow as they can be, the
    texts sharing the rest by their length."""
    longest = [
        max(len(str(x)) for x in (header[n], *(r[n] for r in rows))) for n in range(len(header))
    ]
    narrow = {n: min(3.5, max(1.2, 0.28 * longest[n] + 0.7)) for n in numeric}
    texts = [n for n in range(len(header)) if n not in narrow]
    # Many numbers (a matrix's means and spreads) leave texts 3 cm each; many texts (a table of
    # proposed activities) share 12 cm, so the numbers keep some room too.
    keep = min(3 * len(texts), 12)
    if sum(narrow.values()) > 17 - keep:
        shrink = (17 - keep) / sum(narrow.values())
        narrow = {n: round(cm * shrink, 2) for n, cm in narrow.items()}
    room = 17 - sum(narrow.values())
    total = sum(max(4, longest[n]) for n in texts) or 1
    return tuple(
        narrow[n] if n in narrow else round(room * max(4, longest[n]) / total, 2)
        for n in range(len(header))
    )


def _table(
    doc: DocumentType,
    header: list[str] | None,
    rows: list[tuple[Any, ...]],
    numeric: tuple[int, ...] = (),
    widths: tuple[float, ...] = (),
) -> DocxTable:
    """A grid table; `widths` in centimetres (Word reads them per cell, LibreOffice per column)."""
    width = len(header) if header else max(len(r) for r in rows)
    table: DocxTable = doc.add_table(rows=0, cols=width)  # python-docx leaves this one unannotated
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


def _hyperlink(paragraph: Any, address: str) -> None:
    """A clickable address (python-docx has no call for one): a relationship to the address
    and a w:hyperlink around a run that shows it."""
    rel = paragraph.part.relate_to(address, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:u")
    style.set(qn("w:val"), "single")
    properties.append(style)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1F4E9A")
    properties.append(colour)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = address
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def _muted(doc: DocumentType, text: str) -> None:
    run = doc.add_paragraph().add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = _GREY


def _repeat_header(table: DocxTable) -> None:
    """The header row repeats on every page the table runs over."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def set_language(doc: DocumentType, tag: str) -> None:
    """The language of the text, for spelling and hyphenation, on the default style."""
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
