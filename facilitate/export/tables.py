"""The minutes as tables, for the spreadsheet formats (XLSX and CSV). Pure.

Cells are plain values: text, numbers, datetimes in the meeting's local time, or None for an
empty cell. `block_rows` turns any block of an activity into rows without knowing its kind.
Each format writes the cells its own way and guards text against being read as a formula (see
`needs_guard`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeGuard

from facilitate.core.blocks import (
    Bars,
    Block,
    BulletList,
    Cell as BlockCell,
    Facts,
    Heading,
    Inputs,
    Item,
    Links,
    Moderation,
    Paragraph,
    Table,
    for_sheets,
)
from facilitate.export.model import Minutes, Section, arrival_time, reasons_text

Cell = str | int | float | datetime | None
Row = list[Cell]

# A spreadsheet treats text starting with one of these as a formula (or a DDE call).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def needs_guard(value: object) -> TypeGuard[str]:
    """Whether a cell is text a spreadsheet could run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def summary(m: Minutes) -> list[tuple[str, Row]]:
    """The meeting on one sheet: details, participation, agenda, the organisers' sections.

    Each row comes with its role: "title", "heading", "header" (of a table) or "" (data).
    """
    w = m.words
    rows: list[tuple[str, Row]] = [("title", [m.title])]
    rows.append(("", [w["date"], m.date]))
    if m.time:
        rows.append(("", [w["time"], m.time]))
    rows += [("", [label, value]) for key, label, value in m.details if key != "date"]
    rows.append(("", [w["code"], m.code]))
    if m.description:
        rows.append(("", [m.description]))
    rows += [
        ("", []),
        ("heading", [w["participation"]]),
        ("", [w["joined_label"], m.joined]),
    ]
    if m.kiosk:
        rows.append(("", [w["kiosk_label"], m.kiosk]))
    rows += [
        ("", [w["opened_label"], m.opened]),
        ("", [w["peak_label"], m.peak]),
    ]
    if m.arrivals:
        rows.append(("header", [w["time"], w["arrived"], w["total"]]))
        rows += [("", [arrival_time(m, a), a.joined, a.total]) for a in m.arrivals]
    header, data = agenda(m)
    rows += [("", []), ("heading", [w["agenda"]]), ("header", header)]
    rows += [("", row) for row in data]
    for part in m.parts:
        if not part.entries:
            continue
        rows += [("", []), ("heading", [part.heading])]
        for entry in part.entries:
            cells: Row = [entry.at.replace(tzinfo=None) if entry.at else None]
            cells += [entry.title, entry.text] if part.key == "followups" else [entry.text]
            rows.append(("", cells))
    rows += [("", []), ("", [w["footer"] % {"n": m.events, "schema": m.schema}])]
    return rows


def agenda(m: Minutes) -> tuple[Row, list[Row]]:
    w = m.words
    header: Row = [
        w["number"],
        w["activity"],
        w["kind"],
        w["when"],
        w["present"],
        w["answered_label"],
        w["hidden_label"],
        w["hidden_why"],
        w["held_label"],
        w["released_label"],
    ]
    rows: list[Row] = []
    for s in m.sections:
        held = s.moderation  # None: the activity takes nothing that can be withheld
        rows.append(
            [
                s.number,
                s.title,
                s.kind_label,
                s.ran or w["not_shown"],
                s.present,
                s.responders,
                held.hidden if held else None,
                (reasons_text(held) or None) if held else None,
                held.held if held else None,
                held.released if held else None,
            ]
        )
    return header, rows


def block_rows(block: Block, w: dict[str, str]) -> list[tuple[str, Row]]:
    """Any block as sheet rows, each with its role: "heading", "header" (of a table) or ""."""
    if isinstance(block, Heading):
        return [("heading", [block.text])]
    if isinstance(block, Paragraph):
        return [("", [block.text])]
    if isinstance(block, Facts):
        return [("", [label, cell(value)]) for label, value in block.pairs]
    if isinstance(block, BulletList):
        return [("", [cell(item)]) for item in block.items]
    if isinstance(block, Moderation):
        rows: list[tuple[str, Row]] = []
        if block.hidden:
            rows.append(("", [w["hidden_label"], block.hidden, reasons_text(block) or None]))
        if block.held:
            rows.append(("", [w["held_label"], block.held, w["released_label"], block.released]))
        return rows
    if isinstance(block, Inputs):
        return []  # the long table's, see `inputs`
    if isinstance(block, Links):
        return [("", [label, address]) for label, address in block.items]
    header, data = table(block)
    caption: list[tuple[str, Row]] = []
    if isinstance(block, Table) and block.caption:
        caption.append(("heading", [block.caption]))
    return [*caption, ("header", header), *(("", row) for row in data)]


def table(block: Table | Bars) -> tuple[Row, list[Row]]:
    """A table or a chart's data as a header and rows of plain cells."""
    if isinstance(block, Table):
        header: Row = [c.label for c in block.columns]
        return header, [[cell(value) for value in row] for row in block.rows]
    header = [block.label, block.value, "%"]
    if block.grouped:
        header.insert(0, "")
    if block.ranked:
        header.insert(0, "#")
    rows = []
    for bar in block.bars:
        row: Row = [cell(Item(bar.label, bar.merged)), bar.value, bar.share]
        if block.grouped:
            row.insert(0, bar.group)
        if block.ranked:
            row.insert(0, bar.rank)
        rows.append(row)
    return header, rows


def data_tables(s: Section) -> list[tuple[Row, list[Row]]]:
    """The activity's tables as a sheet shows them (one CSV file each)."""
    return [table(b) for b in for_sheets(s.blocks) if isinstance(b, Table | Bars)]


def cell(value: BlockCell) -> Cell:
    """A block's cell as a sheet cell: merged texts on lines below, local wall-clock time."""
    if isinstance(value, Item):
        return "\n".join((value.text, *(f"+ {t}" for t in value.merged)))
    if isinstance(value, datetime):
        return _naive(value)
    return value


def inputs(m: Minutes) -> tuple[Row, list[Row]]:
    """Every input in one long table: the rows of every activity's `Inputs` block.

    Anonymous: no participant appears. A hidden note keeps its row, status and reason, but
    not its text.
    """
    w = m.words
    header: Row = [
        w["time"],
        w["number"],
        w["activity"],
        w["kind"],
        w["column"],
        w["text"],
        w["votes"],
        w["dots"],
        w["status"],
        w["note"],
        w["merged_into"],
        w["reason"],
    ]
    rows: list[Row] = [
        [
            _naive(i.at),
            s.number,
            s.title,
            i.kind,
            i.column or None,
            i.text or None,
            i.votes,
            i.dots,
            i.status or None,
            i.note or None,
            i.merged_into or None,
            i.reason or None,
        ]
        for s in m.sections
        for i in s.inputs
    ]
    return header, rows


def _naive(at: datetime | None) -> datetime | None:
    """Local wall-clock time: spreadsheets have no time zones."""
    return at.replace(tzinfo=None) if at else None
