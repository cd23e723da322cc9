"""The structured meeting record, built from the event log. Pure.

The record is what the minutes, the JSON export and the API are made from. It is derived from
the same events that drove the live screen, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from facilitate.core import kinds, report, tables
from facilitate.core.activity import ActivityState
from facilitate.core.events import Event
from facilitate.core.meeting import Meeting

SCHEMA = "facilitate.record/2"


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
    ended = [e.data.get("present", 0) for e in log if e.type == "meeting_ended"]
    peak = max([peak, *ended])
    account = meeting.report
    return {
        "schema": SCHEMA,
        "meeting": {
            "code": meeting.code,
            "title": dict(meeting.plan.title),
            "language": meeting.plan.language,
            "description": dict(meeting.plan.description),
            "created_at": iso(meeting.created_at),
            "ended_at": iso(meeting.ended_at),
            "last_event_at": iso(last),
            "details": dict(account.details),
            "published": account.published,
            "rules": meeting.rules,
        },
        "participants": _participants(meeting, peak),
        "activities": [_activity(meeting, state) for state in meeting.activities.values()],
        "decisions": _entries(account.items.values(), "decision"),
        "questions": _entries(account.items.values(), "question"),
        "next_steps": _entries(account.items.values(), "next_step"),
        "followups": _entries(account.followups.values(), None),
        "events": len(log),
    }


def _participants(meeting: Meeting, peak: int) -> dict[str, Any]:
    """Who took part; `kiosk` only in a meeting where some came through a kiosk."""
    people: dict[str, Any] = {
        "joined": len(meeting.contributors),
        "opened": len(meeting.participants),
        "peak_connected": peak,
        "joins": _joins_per_minute(
            at for pid, at in meeting.participants.items() if pid in meeting.contributors
        ),
    }
    if kiosk := len(meeting.kiosk & meeting.contributors):
        people["kiosk"] = kiosk  # of `joined`: those who gave input at a kiosk
    return people


def _entries(entries: Iterable[report.Entry], section: str | None) -> list[dict[str, Any]]:
    """Entries in the order written; removed ones stay, marked, so the record hides nothing."""
    result = []
    for entry in entries:
        if section is not None and entry.section != section:
            continue
        item: dict[str, Any] = {
            "id": entry.id,
            "at": iso(entry.at),
            "text": entry.text,
            "removed": entry.removed,
        }
        if entry.title:
            item["title"] = entry.title
        result.append(item)
    return result


def _joins_per_minute(arrivals: Iterable[float]) -> list[dict[str, Any]]:
    """How many phones had joined by the end of each minute in which someone joined."""
    per_minute: dict[int, int] = {}
    for at in arrivals:
        minute = int(at // 60)
        per_minute[minute] = per_minute.get(minute, 0) + 1
    total = 0
    result = []
    for minute in sorted(per_minute):
        total += per_minute[minute]
        result.append({"minute": iso(minute * 60.0), "joined": per_minute[minute], "total": total})
    return result


def public(record: dict[str, Any]) -> dict[str, Any]:
    """What participants may see once results are published: no hidden notes, no reasons,
    nothing removed, no counts of who did what."""
    activities = [
        tables.public(kinds.kind_of(a["kind"]).public)(_without(a, "by_form"))
        for a in record["activities"]
    ]
    keep = ("code", "title", "language", "description", "created_at", "ended_at", "details")
    return {
        "meeting": {k: record["meeting"][k] for k in keep},
        "participants": {"joined": record["participants"]["joined"]},
        "activities": activities,
        **{
            name: [e for e in record[name] if not e["removed"]]
            for name in ("decisions", "questions", "next_steps", "followups")
        },
    }


def _without(entry: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != key}


def _presents(state: ActivityState) -> list[tuple[int]]:
    timeline = state.timeline
    return [(present,) for _, present in [*timeline.shown, *timeline.opened, *timeline.closed]]


def _activity(meeting: Meeting, state: ActivityState) -> dict[str, Any]:
    timeline = state.timeline
    item: dict[str, Any] = {
        **state.spec.to_dict(),
        "shown_at": [iso(at) for at, _ in timeline.shown],
        "opened_at": [iso(at) for at, _ in timeline.opened],
        "closed_at": [iso(at) for at, _ in timeline.closed],
        "present_when_shown": [present for _, present in timeline.shown],
    }
    if state.accepts_input:
        item["responders"] = len(meeting.responders(state))
        by_form = len(meeting.by_form(state))
        if by_form:  # of them, those who answered through the plain forms
            item["by_form"] = by_form
    if state.drawn is not None and state.brought is not None:  # each table's items, said whose
        item["brought"] = [
            {"text": dict(text), "table": table, "name": dict(meeting.tables[table].name)}
            for text, table in zip(state.drawn, state.brought, strict=True)
        ]
    parts = meeting.parts.get(state.spec.id)
    if parts is None:
        item.update(state.kind.record(state))
        return item
    item["parts"] = [
        {
            "table": table,
            "name": dict(meeting.tables[table].name),
            "responders": len(part.kind.responders(part)),
            **part.kind.record(part),
        }
        for table, part in parts.items()
    ]
    return item
