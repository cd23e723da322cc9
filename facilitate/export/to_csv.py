"""Results as CSV: a zip with one file per activity, or one long table. Pure over the record.

Written for Excel on a Nordic Windows machine, which opens a double-clicked .csv with the
system's ANSI code page and list separator unless told otherwise: UTF-8 *with* a byte order
mark (so å, ä, ö, æ, ø survive) and `;` between fields (the list separator where the decimal
separator is a comma). Python's csv module, LibreOffice and pandas read it as well when told
the separator (and `utf-8-sig`). See docs/exports.md.

Text a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return) gets a leading apostrophe, as OWASP recommends for CSV.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from typing import Any

from facilitate.export import tables
from facilitate.export.model import TIMEZONE, Gettext, Minutes, minutes

SEPARATOR = ";"
BOM = "\ufeff"


def minutes_csv(record: dict[str, Any], _: Gettext, timezone: str = TIMEZONE) -> bytes:
    """A zip: meeting.csv (details and agenda), a file per table of each activity with results
    (02-safety-poll.csv; 02-safety-poll-2.csv for a second table), and inputs.csv."""
    return render_zip(minutes(record, _, timezone))


def minutes_csv_long(record: dict[str, Any], _: Gettext, timezone: str = TIMEZONE) -> bytes:
    """Every input of the meeting in one long table (the XLSX's inputs sheet)."""
    header, rows = tables.inputs(minutes(record, _, timezone))
    return table([header, *rows])


def render_zip(m: Minutes) -> bytes:
    files: list[tuple[str, bytes]] = [("meeting.csv", table([row for _, row in tables.summary(m)]))]
    for section in m.sections:
        for index, (header, rows) in enumerate(tables.data_tables(section), start=1):
            suffix = f"-{index}" if index > 1 else ""  # an activity with several tables
            name = f"{section.number:02d}-{section.id}{suffix}.csv"
            files.append((name, table([header, *rows])))
    header, rows = tables.inputs(m)
    files.append(("inputs.csv", table([header, *rows])))
    stamp = m.started or datetime(1980, 1, 1)
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def table(rows: list[list[Any]]) -> bytes:
    """Rows as CSV bytes: UTF-8 with a BOM, `;` separated, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):  # the decimal comma, as the `;` separator expects
        return str(value).replace(".", ",")
    if tables.needs_guard(value):  # text only: numbers are never prefixed
        return "'" + value
    return str(value)
