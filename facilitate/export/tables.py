"""The minutes as tables, for the spreadsheet formats (XLSX and CSV). Pure.

Cells are plain values: text, whole numbers, datetimes in the meeting's time zone, or None for
an empty cell. Each format writes them its own way and guards text against being read as a
formula (see `needs_guard`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeGuard

from facilitate.export.model import Minutes, Section, arrival_time, reasons_text

Cell = str | int | datetime | None
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
    rows: list[Row] = [
        [
            s.number,
            s.title,
            s.kind_label,
            s.ran or w["not_shown"],
            s.present,
            s.responders,
            s.hidden.count if s.kind in ("notes", "painjoy") else None,
            reasons_text(s.hidden) or None,
            s.hidden.held if s.kind in ("notes", "painjoy") else None,
            s.hidden.released if s.kind in ("notes", "painjoy") else None,
        ]
        for s in m.sections
    ]
    return header, rows


def results(m: Minutes, s: Section) -> tuple[Row, list[Row]]:
    """One activity's results as a table: answers with votes, notes, or ranked points."""
    w = m.words
    if s.kind == "poll":
        return [w["answer"], w["votes"], "%"], [[a.label, a.votes, a.share] for a in s.answers]
    if s.kind == "notes":
        header: Row = [w["column"], w["note"], w["merged_with"], w["posted"]]
        rows: list[Row] = [
            [g.heading or None, n.text, "; ".join(n.merged) or None, _naive(n.posted)]
            for g in s.groups
            for n in g.notes
        ]
        return header, rows
    if s.kind == "painjoy":
        header = [w["kind"], w["rank"], w["point"], w["merged_with"], w["dots"], w["dot_share"]]
        rows = [
            [w[f"{r.side}_one"], n.rank, n.text, "; ".join(n.merged) or None, n.dots, n.share]
            for r in s.rankings
            for n in r.points
        ]
        return header, rows
    return [], []


def inputs(m: Minutes) -> tuple[Row, list[Row]]:
    """Every input in one long table: each poll answer's votes and every note as posted.

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
            i.number,
            i.activity,
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
