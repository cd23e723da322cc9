"""Minutes made from a meeting record. Pure functions: a record in, a document out.

`FORMATS` names every format the CLI (`facilitate export --format`) and the web route
(`GET /api/meetings/{code}/minutes.{fmt}`) offer. Each entry is (function, media type, file
extension); the function takes the record and a gettext callable in the meeting's language and
returns text or bytes. The modules behind DOCX and XLSX import their libraries only when used.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any, NamedTuple

Gettext = Callable[[str], str]
Render = Callable[[dict[str, Any], Gettext], "str | bytes"]


class Format(NamedTuple):
    function: Render
    media_type: str
    extension: str


def _lazy(module: str, name: str) -> Render:
    """The function `name` of `facilitate.export.<module>`, imported on first use."""

    def render(record: dict[str, Any], gettext: Gettext) -> str | bytes:
        function = getattr(importlib.import_module(f"facilitate.export.{module}"), name)
        result: str | bytes = function(record, gettext)
        return result

    render.__name__ = name
    render.__doc__ = f"facilitate.export.{module}.{name}"
    return render


def minutes_json(record: dict[str, Any], _: Gettext) -> str:
    """The full record, as `GET /api/meetings/{code}/record` gives it (docs/record-schema.json).

    Everything is in it, hidden notes' text included: it is the archive, not for publishing.
    """
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, Format] = {
    "md": Format(_lazy("markdown", "minutes_markdown"), "text/markdown; charset=utf-8", "md"),
    "html": Format(_lazy("to_html", "minutes_html"), "text/html; charset=utf-8", "html"),
    "docx": Format(
        _lazy("to_docx", "minutes_docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xlsx": Format(
        _lazy("to_xlsx", "minutes_xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "csv": Format(_lazy("to_csv", "minutes_csv"), "application/zip", "zip"),
    "csv-long": Format(_lazy("to_csv", "minutes_csv_long"), "text/csv; charset=utf-8", "csv"),
    "json": Format(minutes_json, "application/json", "json"),
}


def filename(fmt: str, code: str) -> str:
    """The download's file name: minutes-482913.docx, inputs-482913.csv, record-482913.json."""
    stem = {"json": "record", "csv-long": "inputs"}.get(fmt, "minutes")
    safe = "".join(c for c in code if c.isalnum()) or "meeting"
    return f"{stem}-{safe}.{FORMATS[fmt].extension}"


def export(record: dict[str, Any], fmt: str, gettext: Gettext) -> bytes:
    """The document in format `fmt` as bytes (text is UTF-8)."""
    result = FORMATS[fmt].function(record, gettext)
    if isinstance(result, bytes):
        return result
    # A lone surrogate (which no format shows) becomes its JSON escape, never an error.
    return result.encode("utf-8", errors="backslashreplace")
