"""Reading exports back the way their users' tools do, for the export tests."""

from __future__ import annotations

import csv
import io
import zipfile
from html.parser import HTMLParser
from typing import Any

import docx
import openpyxl
from openpyxl.workbook.workbook import Workbook

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source", "rect"}


class Page(HTMLParser):
    """An HTML document's tags, text and tables, checking that elements nest properly."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.problems: list[str] = []
        self._open: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_style = False
        self.feed(text)
        self.close()
        if self._open:
            self.problems.append(f"never closed: {self._open}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self._open.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self._open or self._open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self._open[-1:] or 'nothing'}")
        else:
            self._open.pop()
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def docx_texts(data: bytes) -> tuple[Any, list[str]]:
    """The document and every text in it: paragraphs, then table cells, in order."""
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return document, texts


def docx_tables(document: Any) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def workbook(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_rows(book: Workbook, name: str) -> list[list[Any]]:
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def table_after(rows: list[list[Any]], header: list[Any]) -> list[list[Any]]:
    """The rows under a header row, up to the first empty row."""
    width = len(header)
    for index, row in enumerate(rows):
        if list(row[:width]) == header:
            result = []
            for below in rows[index + 1 :]:
                if all(cell is None for cell in below):
                    break
                result.append(list(below[:width]))
            return result
    raise AssertionError(f"no row {header} in {rows[:20]}")


def read_csv(data: bytes) -> list[list[str]]:
    """A CSV file the way Excel on a Nordic machine reads it: UTF-8 with BOM, `;`."""
    assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def input_rows(record: dict[str, Any]) -> int:
    """How many rows the long table of every input has for a record (its header left out):
    a row per note, per poll answer, per statement and value given ("don't know" included),
    per item and cell of a matrix, per statement, per question, per word of a word cloud (a
    withheld word's among the moderation section's) and per visible contribution to a problem
    description (the withheld ones are in the moderation section), and per proposed activity."""
    activities = record["activities"]
    notes = [
        n
        for a in activities
        for n in [
            *a.get("notes", []),
            *a.get("questions", []),
            *a.get("actions", []),
            *a.get("moderation", []),
        ]
    ]
    answers = [c for a in activities for c in a.get("tally", {}).get("counts", {})]
    ratings = [
        n
        for a in activities
        for score in a.get("scores", [])
        for n in (*score["counts"], score["dont_know"])
        if n
    ]
    places = [c for a in activities for p in a.get("positions", []) for c in p["cells"]]
    statements = [s for a in activities for s in a.get("statements", [])]
    words = [w for a in activities for w in a.get("words", [])]
    said = [c for a in activities for f in a.get("form", []) for c in f["contributions"]]
    return (
        len(notes)
        + len(answers)
        + len(ratings)
        + len(places)
        + len(statements)
        + len(words)
        + len(said)
    )
