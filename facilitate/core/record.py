"""The structured meeting record, built from the event log. Pure.

The record is what the minutes, the JSON export and the API are made from. It is derived from
the same events that drove the live screen, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from facilitate.core import board, dots, poll
from facilitate.core.activity import ActivityState
from facilitate.core.events import Event
from facilitate.core.meeting import Meeting

SCHEMA = "facilitate.record/1"


def iso(at: float | None) -> str | None:
    """Seconds since the epoch as an ISO 8601 UTC timestamp."""
    if at is None:
        return None
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build(events: Iterable[Event]) -> dict[str, Any]:
    """The record of a meeting from its whole log."""
    log = list(events)
    meeting = Meeting.replay(log)
    last = log[-1].at if log else meeting.created_at
    peak = max(
        (present for state in meeting.activities.values() for (present,) in _presents(state)),
        default=0,
    )
    return {
        "schema": SCHEMA,
        "meeting": {
            "code": meeting.code,
            "title": dict(meeting.plan.title),
            "language": meeting.plan.language,
            "description": dict(meeting.plan.description),
            "created_at": iso(meeting.created_at),
            "last_event_at": iso(last),
        },
        "participants": {"joined": len(meeting.participants), "peak_connected": peak},
        "activities": [_activity(state) for state in meeting.activities.values()],
        "events": len(log),
    }


def _presents(state: ActivityState) -> list[tuple[int]]:
    timeline = state.timeline
    return [(present,) for _, present in [*timeline.shown, *timeline.opened, *timeline.closed]]


def _activity(state: ActivityState) -> dict[str, Any]:
    timeline = state.timeline
    item: dict[str, Any] = {
        **state.spec.to_dict(),
        "shown_at": [iso(at) for at, _ in timeline.shown],
        "opened_at": [iso(at) for at, _ in timeline.opened],
        "closed_at": [iso(at) for at, _ in timeline.closed],
        "present_when_shown": [present for _, present in timeline.shown],
    }
    if state.spec.kind == "info":
        return item
    item["responders"] = len(state.responders())
    if state.spec.kind == "poll":
        item["tally"] = poll.tally(state)
    else:
        totals = dots.totals(state)
        item["notes"] = [
            {
                "id": note.id,
                "text": note.text,
                "posted_at": iso(note.at),
                "column": note.column,
                "kind": note.kind,
                "status": note.status,
                "reason": note.reason if note.status == "hidden" else None,
                "merged_into": note.merged_into,
                "merged": [child.id for child in board.children(state, note.id)],
                "dots": totals.get(note.id, 0),
            }
            for note in state.notes.values()
        ]
        item["hidden"] = sum(1 for n in state.notes.values() if n.status == "hidden")
    if state.spec.kind == "painjoy":
        item["phase"] = state.phase
        item["ranking"] = dots.ranking(state)
        item["dots_placed"] = sum(dots.totals(state).values())
    return item
