"""What the organisers add around a meeting: details, decisions, follow-ups, publication. Pure.

The facilitator fills these in from the console during or after the meeting. Each is an event,
so the minutes can say when a decision was written down and when a follow-up was posted, and
nothing is silently edited: a removed item stays in the log as removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from facilitate.core.errors import CommandError
from facilitate.core.writing import blank, clean_text, fits

# Meeting details for the minutes, with the longest text each may hold (in characters as people
# see them: writing.length).
DETAILS = {"date": 100, "place": 200, "organisers": 500, "facilitators": 500, "purpose": 2000}
MULTILINE = {"purpose"}  # the other details are one line: a heading or a table cell
# The facilitator's own sections of the minutes.
SECTIONS = ("decision", "question", "next_step")
MAX_ITEM = 2000
MAX_FOLLOWUP_TITLE = 200
MAX_FOLLOWUP = 10_000


@dataclass
class Entry:
    """A decision, a question taken back, a next step, or a follow-up to participants."""

    id: str
    at: float
    text: str
    section: str = ""
    title: str = ""
    removed: bool = False


@dataclass
class Report:
    """Everything the facilitator has added to the meeting's account."""

    details: dict[str, str] = field(default_factory=dict)
    items: dict[str, Entry] = field(default_factory=dict)
    followups: dict[str, Entry] = field(default_factory=dict)
    published: bool = False
    ended: bool = False

    def live_followups(self) -> list[Entry]:
        return [e for e in self.followups.values() if not e.removed]


def _text(
    value: Any, limit: int, what: str, *, required: bool = True, multiline: bool = True
) -> str:
    if not isinstance(value, str):
        raise CommandError("bad_message", f"{what} must be text")
    text = clean_text(value, multiline=multiline)
    if blank(text):  # only white space or invisible marks
        if required:
            raise CommandError("empty_text", f"write the {what} first")
        return ""
    if not fits(text, limit):
        raise CommandError(
            "too_long_text", f"the {what} holds at most {limit} characters", limit=limit
        )
    return text


def decide_details(data: dict[str, Any]) -> dict[str, Any]:
    """The details to set; unknown fields are refused, an empty text clears a field."""
    fields = data["fields"]
    unknown = [name for name in fields if name not in DETAILS]
    if unknown or not fields:
        raise CommandError("bad_message", f"details are {', '.join(DETAILS)}")
    return {
        "fields": {
            name: _text(value, DETAILS[name], name, required=False, multiline=name in MULTILINE)
            for name, value in fields.items()
        }
    }


def decide_item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    if data["section"] not in SECTIONS:
        raise CommandError("bad_message", f"section is one of {', '.join(SECTIONS)}")
    return {
        "item": item_id,
        "section": data["section"],
        "text": _text(data["text"], MAX_ITEM, "text"),
    }


def decide_followup(data: dict[str, Any], followup_id: str) -> dict[str, Any]:
    return {
        "followup": followup_id,
        "title": _text(data["title"], MAX_FOLLOWUP_TITLE, "title", multiline=False),
        "text": _text(data["text"], MAX_FOLLOWUP, "text"),
    }


def find(entries: dict[str, Entry], entry_id: Any) -> Entry:
    entry = entries.get(entry_id) if isinstance(entry_id, str) else None
    if entry is None or entry.removed:
        raise CommandError("unknown_entry", f"no entry {entry_id!r}")
    return entry


def as_dict(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entry.id, "at": entry.at, "text": entry.text}
    if entry.section:
        data["section"] = entry.section
    if entry.title:
        data["title"] = entry.title
    return data
