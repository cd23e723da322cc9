"""Results as an Excel workbook (XLSX), for counting, sorting and charts. Pure over the record.

Sheets: a summary (details, participation, agenda, the organisers' sections), one sheet per
activity with results (its blocks, rendered as rows by `tables.block_rows`), and one long
sheet of every input, anonymous. Text that a spreadsheet would run as a formula (starting with
=, +, -, @) is stored as text, marked with Excel's quote prefix, so it stays text even when
someone edits the cell.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from facilitate.core.blocks import Facts, Moderation, for_sheets
from facilitate.export import tables
from facilitate.export.model import TIMEZONE, Gettext, Minutes, Section, minutes

MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATETIME = "yyyy-mm-dd hh:mm"
# Column widths in characters of the default font. An A4 page in portrait holds about 90 of
# them between its margins; wider sheets print in landscape, and every sheet is scaled to fit
# one page's width (never split across pages), so a column's text never becomes too small.
MIN_WIDTH = 6
MAX_WIDTH = 60
PORTRAIT_WIDTH = 90


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
    _print_setup(summary, header_row=None)

    for section in m.sections:
        if section.has_results:
            name = sheet_name(f"{section.number}. {section.title}", names)
            _activity(book.create_sheet(name), m, section)

    raw = book.create_sheet(sheet_name(w["inputs"], names))
    header, rows = tables.inputs(m)
    _row(raw, 1, header, bold=True)
    for number, row in enumerate(rows, start=2):
        _row(raw, number, row)
    raw.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    _print_setup(raw, header_row=1)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _activity(sheet: Worksheet, m: Minutes, s: Section) -> None:
    """The activity's title, question, who answered and when, then its blocks: key figures and
    moderation first, then its tables and texts, a blank row between blocks."""
    w = m.words
    rows: list[tuple[str, tables.Row]] = [("title", [f"{s.number}. {s.title}"])]
    if s.text:
        rows.append(("", [s.text]))
    rows += [
        ("", [w["answered_label"], s.responders or 0]),
        ("", [w["when"], s.ran or w["not_shown"]]),
    ]
    shown = for_sheets(s.blocks)
    for figure in (b for b in shown if isinstance(b, Facts | Moderation)):
        rows += tables.block_rows(figure, w)
    for block in (b for b in shown if not isinstance(b, Facts | Moderation)):
        rows += [("", []), *tables.block_rows(block, w)]
    header_row = None
    for number, (role, row) in enumerate(rows, start=1):
        _row(sheet, number, row, bold=role in ("heading", "header"))
        if role == "header" and header_row is None:
            header_row = number
    sheet.cell(1, 1).font = _TITLE
    _print_setup(sheet, header_row=header_row)


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


def _print_setup(sheet: Worksheet, header_row: int | None) -> None:
    """Columns as wide as what they hold, and a sheet that prints whole: A4, every column on
    one page's width (landscape when the columns are wide), the title across the page, the
    table's header row frozen on screen and repeated on every printed page."""
    widths = _widths(sheet)
    last = get_column_letter(max(1, len(widths)))
    title = [cell for cell in sheet[1] if cell.value is not None]
    if len(widths) > 1 and len(title) == 1 and title[0].column == 1:
        # The title spans the columns and wraps there, instead of running off the page.
        sheet.merge_cells(f"A1:{last}1")
        sheet.cell(1, 1).alignment = _WRAP
    if header_row is not None:
        sheet.freeze_panes = f"A{header_row + 1}"
        sheet.print_title_rows = f"{header_row}:{header_row}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if sum(widths) > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = True
    footer = sheet.oddFooter
    assert footer is not None  # openpyxl makes one with every sheet
    footer.center.text = "&A – &P / &N"  # the sheet's name, page n of m


def _widths(sheet: Worksheet) -> list[float]:
    """Set each column's width from its longest line (long texts wrap at MAX_WIDTH); rows with
    one cell only (titles, headings, texts) spill over and do not count."""
    widths: dict[int, float] = {}
    for row in sheet.iter_rows():
        filled = [cell for cell in row if cell.value is not None]
        if len(filled) < 2:
            continue
        for cell in filled:
            width = _width(cell.value)
            column = int(cell.column or 1)
            widths[column] = max(widths.get(column, MIN_WIDTH), width)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    return [widths[c] for c in sorted(widths)]


def _width(value: Any) -> float:
    if isinstance(value, datetime):
        return 17
    text = value if isinstance(value, str) else str(value)
    longest = max((len(line) for line in text.split("\n")), default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))
