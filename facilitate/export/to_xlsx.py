"""Results as an Excel workbook (XLSX), for counting, sorting and charts. Pure over the record.

Sheets: a summary (details, participation, agenda, the organisers' sections), one sheet per
activity with input (polls, notes, pain and heart points), and one long sheet of every input,
anonymous. Text that a spreadsheet would run as a formula (starting with =, +, -, @) is stored
as text, marked with Excel's quote prefix, so it stays text even when someone edits the cell.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from facilitate.export import tables
from facilitate.export.model import TIMEZONE, Gettext, Minutes, Section, minutes, reasons_text

MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATETIME = "yyyy-mm-dd hh:mm"


def minutes_xlsx(record: dict[str, Any], _: Gettext, timezone: str = TIMEZONE) -> bytes:
    """The results of a meeting as the bytes of an .xlsx workbook."""
    return render(minutes(record, _, timezone))


def render(m: Minutes) -> bytes:
    w = m.words
    book = Workbook()
    book.properties.title = m.title[:255]
    book.properties.subject = w["minutes"]
    book.properties.creator = "facilitate"
    book.properties.language = m.language
    if m.started is not None:
        book.properties.created = m.started.replace(tzinfo=None)
    names: set[str] = set()

    summary = book.active
    assert summary is not None
    summary.title = sheet_name(w["summary"], names)
    for number, (role, row) in enumerate(tables.summary(m), start=1):
        _row(summary, number, row, bold=role in ("heading", "header"))
        if role == "title":
            summary.cell(number, 1).font = _TITLE
    _widths(summary, [28, 48, 18, 24, 14, 14, 14, 40])

    for section in m.sections:
        if section.has_results:
            name = sheet_name(f"{section.number}. {section.title}", names)
            _activity(book.create_sheet(name), m, section)

    raw = book.create_sheet(sheet_name(w["inputs"], names))
    header, rows = tables.inputs(m)
    _row(raw, 1, header, bold=True)
    for number, row in enumerate(rows, start=2):
        _row(raw, number, row)
    raw.freeze_panes = "A2"
    raw.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    _widths(raw, [17, 5, 28, 14, 16, 60, 8, 8, 10, 8, 12, 30])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _activity(sheet: Worksheet, m: Minutes, s: Section) -> None:
    w = m.words
    _row(sheet, 1, [f"{s.number}. {s.title}"])
    sheet.cell(1, 1).font = _TITLE
    number = 2
    if s.text:
        _row(sheet, number, [s.text])
        number += 1
    _row(sheet, number, [w["answered_label"], s.responders or 0])
    _row(sheet, number + 1, [w["when"], s.ran or w["not_shown"]])
    number += 2
    if s.dots:
        _row(sheet, number, [w["dots"], s.dots])
        number += 1
    if s.hidden.count:
        _row(sheet, number, [w["hidden_label"], s.hidden.count, reasons_text(s.hidden) or None])
        number += 1
    if s.hidden.held:
        _row(
            sheet, number, [w["held_label"], s.hidden.held, w["released_label"], s.hidden.released]
        )
        number += 1
    number += 1
    header, rows = tables.results(m, s)
    _row(sheet, number, header, bold=True)
    sheet.freeze_panes = f"A{number + 1}"
    for offset, row in enumerate(rows, start=1):
        _row(sheet, number + offset, row)
    if s.multiple:
        _row(sheet, number + len(rows) + 2, [w["multiple"]])
    if s.kind == "poll":
        _widths(sheet, [40, 10, 8])
    elif s.kind == "notes":
        _widths(sheet, [20, 60, 40, 17])
    else:
        _widths(sheet, [18, 8, 50, 40, 8, 12])


def _row(sheet: Worksheet, number: int, values: list[Any], bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(number, column)
        put(cell, value)
        if bold:
            cell.font = _BOLD
        if isinstance(value, str) and ("\n" in value or len(value) > 60):
            cell.alignment = _WRAP


def put(cell: Any, value: Any) -> None:
    """Write one value; text that looks like a formula stays text."""
    cell.value = value
    if isinstance(value, datetime):
        cell.number_format = _DATETIME
    elif tables.needs_guard(value):
        cell.data_type = "s"  # openpyxl took "=…" for a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\, not History."""
    name = " ".join(_FORBIDDEN.sub(" ", wanted).split()).strip("'") or "Sheet"
    name = name[:MAX_SHEET_NAME].rstrip().strip("'") or "Sheet"
    if name.lower() == "history":
        name = f"{name} (1)"
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = name[: MAX_SHEET_NAME - len(suffix)].rstrip().strip("'") + suffix
    taken.add(candidate.lower())
    return candidate


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
