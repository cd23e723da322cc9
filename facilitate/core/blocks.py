"""The blocks an activity's minutes are made of, which every format renders. Pure data.

An activity kind says what its minutes hold as a list of these blocks; Markdown, HTML, DOCX,
XLSX and CSV each render any block without asking which kind made it. Every text in a block is
already in the meeting's language and safe for XML (`safe`); the formats escape it for their
own syntax.

Each block says where it belongs (`show`): "everywhere", only in the documents people read
(Markdown, HTML, DOCX) or only in the sheets people count with (XLSX, and CSV where it holds a
table). Most blocks belong everywhere; an activity whose readable form differs from its
sortable form (notes as lists under their columns, but one flat table with times in a sheet)
gives one block of each.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

# Characters XML 1.0 cannot hold (and lone surrogates, which UTF-8 cannot encode).
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def safe(text: Any) -> str:
    """Text any format can hold: no control characters or lone surrogates, CR LF as LF."""
    if text is None:
        return ""
    return _NOT_XML.sub("", str(text).replace("\r\n", "\n"))


def marked(entry: dict[str, Any], w: dict[str, str]) -> str:
    """A record entry's text (a note, a question, a proposal) as the minutes give it: marked
    "(paper)" when the helper typed it in from a post-it, "(form)" when a phone sent it through
    the plain forms of the page without scripts (its `channel`)."""
    text = safe(entry["text"])
    mark = {"paper": w["paper_mark"], "form": w["form_mark"]}.get(entry.get("channel") or "")
    return f"{text} {mark}" if mark else text


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class Context:
    """What a kind needs besides its record entry to say what its minutes hold: the words in
    the meeting's language, a record text ({language: text}) in that language, and a record
    time (ISO 8601) in the meeting's time zone."""

    words: dict[str, str]
    text: Callable[[dict[str, str] | None], str]
    at: Callable[[str | None], datetime | None]


Show = Literal["everywhere", "documents", "sheets"]

Tone = Literal["neutral", "negative", "positive"]  # a bar's colour: pain red, joy green


@dataclass(frozen=True)
class Item:
    """A text with the similar texts merged into it (a note and the notes merged into it).

    Documents show the merged texts after it ("(+ …)") or indented under it; sheets below it.
    """

    text: str
    merged: tuple[str, ...] = ()


Cell = str | int | float | datetime | Item | None


@dataclass(frozen=True)
class Heading:
    """A heading inside the activity's section; level 1 is the first level below its title."""

    text: str
    level: int = 1
    show: Show = "everywhere"


@dataclass(frozen=True)
class Paragraph:
    """A sentence or paragraph; `muted` for an aside (a note on how to read the numbers)."""

    text: str
    muted: bool = False
    show: Show = "everywhere"


@dataclass(frozen=True)
class Facts:
    """Label → value pairs: key figures such as a mean and a median, or the dots placed.
    Decimals are shown as given, so a builder rounds them first."""

    pairs: tuple[tuple[str, Cell], ...]
    show: Show = "everywhere"


@dataclass(frozen=True)
class Column:
    """A table column: its header and what it holds. Numbers align right; `places` > 0 makes
    decimals (shown with the meeting's decimal mark); "time" cells are local date-times."""

    label: str
    type: Literal["text", "number", "time"] = "text"
    places: int = 0

    @property
    def numeric(self) -> bool:
        return self.type == "number"


@dataclass(frozen=True)
class Table:
    """Rows under column headers, with an optional caption above; `empty` is what documents
    say instead of a table without rows (sheets keep the header row)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""
    empty: str = ""
    show: Show = "everywhere"


@dataclass(frozen=True)
class BulletList:
    """Texts in a list (notes as posted); `empty` is what is said when it has none."""

    items: tuple[Item, ...]
    empty: str = ""
    show: Show = "everywhere"


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a label (with texts merged into it), its value and its share in
    percent. `rank` numbers ranked rows (ties may share a rank); `group` puts rows under a
    common name (a statement's agree and disagree)."""

    label: str
    value: int | float
    share: int
    rank: int | None = None
    merged: tuple[str, ...] = ()
    group: str | None = None


@dataclass(frozen=True)
class Bars:
    """Chart data: bars with their values and shares, shown as a table (with a drawn bar in
    HTML). `label` and `value` head those columns. A full bar is `whole` (those who answered),
    or the largest value when it is None. `places` > 0 gives decimal values."""

    label: str
    value: str
    bars: tuple[Bar, ...]
    whole: int | float | None = None
    tone: Tone = "neutral"
    places: int = 0
    empty: str = ""
    show: Show = "everywhere"

    @property
    def ranked(self) -> bool:
        return any(bar.rank is not None for bar in self.bars)

    @property
    def grouped(self) -> bool:
        return any(bar.group is not None for bar in self.bars)


Noun = Literal["note", "word", "question", "contribution", "proposal"]  # what was moderated


@dataclass(frozen=True)
class Moderation:
    """Moderation in the open, in numbers: how many inputs the facilitator withheld and the
    reasons given (reason, how many), how many waited for review and how many of those were
    let through. Never a withheld text: the record keeps those, the minutes only count them.
    `noun` says what the inputs are, for the sentences about them: notes, a word cloud's
    words, questions to a panel, a problem's contributions or proposed activities."""

    hidden: int = 0
    reasons: tuple[tuple[str, int], ...] = ()
    held: int = 0
    released: int = 0
    noun: Noun = "note"
    show: Show = "everywhere"


@dataclass(frozen=True)
class Input:
    """One row of the long table of every input (`All inputs`, inputs.csv): an answer's
    count or a note as it was posted. A withheld note keeps its row, without its text."""

    at: datetime | None
    kind: str  # what the input is: Answer, Note, Pain point …
    column: str = ""
    text: str = ""
    votes: int | None = None
    dots: int | None = None
    status: str = ""
    note: str = ""
    merged_into: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Inputs:
    """The activity's inputs, one row each, for the long table only: the sheets of every
    input render them, the documents and the activity's own sheet do not."""

    rows: tuple[Input, ...]
    show: Show = "sheets"


@dataclass(frozen=True)
class Links:
    """Addresses to open, each with its label: a meeting's public results page, the public
    follow-up page. Only in documents (a draft citizen promise links back to its sources)."""

    items: tuple[tuple[str, str], ...]  # (label, address)
    show: Show = "documents"


Block = Heading | Paragraph | Facts | Table | BulletList | Bars | Moderation | Inputs | Links


def for_documents(blocks: tuple[Block, ...]) -> list[Block]:
    """The blocks Markdown, HTML and DOCX show."""
    return [b for b in blocks if b.show != "sheets"]


def for_sheets(blocks: tuple[Block, ...]) -> list[Block]:
    """The blocks an activity's sheet (XLSX) shows; the long table takes `Inputs` apart."""
    return [b for b in blocks if b.show != "documents" and not isinstance(b, Inputs)]


def number(value: int | float, places: int | None, mark: str = ",") -> str:
    """A number as text: whole, or with `places` decimals, or as given (None), with the
    decimal mark given."""
    if places is None:
        return f"{value:g}".replace(".", mark)
    if places <= 0:
        return str(round(value))
    return f"{value:.{places}f}".replace(".", mark)


def decimal_mark(language: str) -> str:
    """The decimal mark of the meeting's language: a comma in Norwegian and Swedish."""
    return "." if language == "en" else ","


def bar_width(bars: Bars, bar: Bar) -> float:
    """How much of a full bar this one fills, from 0 to 1."""
    whole = bars.whole if bars.whole is not None else max((b.value for b in bars.bars), default=0)
    return 0.0 if not whole else max(0.0, min(1.0, bar.value / whole))


# A kind's minutes: its record entry (core/record.py) in, its blocks out.
Builder = Callable[[dict[str, Any], Context], list[Block]]
