"""What each role sees: the projector, the phones, the console, and one participant's own
input. Pure functions of the meeting state, rendered once per role and sent to all of it.

The screen and the phones only ever get what the facilitator has let through: hidden and merged
notes never appear in their views (a participant's own `mine` keeps their own notes, marked),
and tallies only when results are shown. A pain/joy note's side goes out as `kind`, the name
the live protocol has always used for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitate.core import board, dots, poll, report
from facilitate.core.activity import ActivityState, Note
from facilitate.core.meeting import Meeting

# No one reads thousands of notes off a wall: the projector shows the newest, the console the
# newest to moderate, and every view stays cheap to render in a packed hall.
WALL_NOTES = 150
CONSOLE_NOTES = 400


@dataclass(frozen=True)
class Presence:
    """Who is connected right now (live, not part of the record)."""

    phones: int = 0
    screens: int = 0
    consoles: int = 0
    # Warnings for the console: ("joins" or "notes", how many from the busiest address in the
    # last minute), when over the server's threshold. Never the address itself.
    alerts: tuple[tuple[str, int], ...] = ()


def _head(meeting: Meeting, state: ActivityState) -> dict[str, Any]:
    spec = state.spec
    view: dict[str, Any] = {
        "id": spec.id,
        "kind": spec.kind,
        "title": dict(spec.title),
        "text": dict(spec.text),
        "position": list(meeting.activities).index(spec.id) + 1,
        "open": state.open,
        "show_results": state.show_results,
    }
    if spec.kind == "poll":
        view["options"] = [{"id": o.id, "text": dict(o.text)} for o in spec.options]
        view.update(multiple=spec.multiple, none_option=spec.none_option)
    if spec.kind == "notes":
        view["columns"] = [dict(c) for c in spec.columns]
    if spec.kind in ("notes", "painjoy"):
        view["max_length"] = spec.max_length
    if spec.kind == "painjoy":
        view.update(
            phase=state.phase,
            pain_dots=spec.pain_dots,
            joy_dots=spec.joy_dots,
            dot_cap=spec.dot_cap,
        )
    return view


def _public_note(state: ActivityState, note: Note) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": note.id,
        "text": note.text,
        "merged": len(board.children(state, note.id)),
    }
    if note.column is not None:
        item["column"] = note.column
    if note.side is not None:
        item["kind"] = note.side
    return item


def _base(meeting: Meeting) -> dict[str, Any]:
    return {
        "code": meeting.code,
        "title": dict(meeting.plan.title),
        "language": meeting.plan.language,
        "count": len(meeting.activities),
        "ended": meeting.report.ended,
        "published": meeting.report.published,
    }


def _wall(activity: dict[str, Any], state: ActivityState) -> None:
    """The newest notes a projector can show; the rest are counted (all are in the record)."""
    shown = board.newest(state, WALL_NOTES, "visible")
    activity["notes"] = [_public_note(state, n) for n in shown]
    activity["more_notes"] = state.statuses["visible"] - len(shown)


def screen(meeting: Meeting, presence: Presence) -> dict[str, Any]:
    """The projector: the current activity with the results the facilitator lets through."""
    view = {**_base(meeting), "participants": presence.phones}
    state = meeting.activities.get(meeting.current or "")
    if state is None:
        return {**view, "activity": None}
    activity = _head(meeting, state)
    kind = state.spec.kind
    if kind == "poll" and state.show_results:
        activity["tally"] = poll.tally(state)
    elif kind == "notes" and state.show_results:
        _wall(activity, state)
    elif kind == "painjoy" and state.show_results:
        if state.phase == "dots":
            activity["ranking"] = dots.ranking(state)
        else:
            _wall(activity, state)
    if kind != "info":
        activity["responders"] = len(state.responders())
    return {**view, "activity": activity}


def phone(meeting: Meeting, presence: Presence) -> dict[str, Any]:
    """Every phone: the current activity; in the dot phase the notes to place dots on; the
    meeting's moderation rules ("" for the default text in the phone's language).

    No participant count here: phones would then be re-rendered with every arrival.
    """
    view = {**_base(meeting), "rules": meeting.rules}
    state = meeting.activities.get(meeting.current or "")
    if state is None:
        return {**view, "activity": None}
    activity = _head(meeting, state)
    if state.spec.kind == "poll" and state.show_results:
        activity["tally"] = poll.tally(state)
    if state.spec.kind == "painjoy" and state.phase == "dots":
        ranked = dots.ranking(state)
        if not state.show_results:  # keep the order of posting, hide the counts
            ranked = {
                kind: sorted(
                    ({k: v for k, v in item.items() if k != "dots"} for item in items),
                    key=lambda item: int(item["id"][1:]),
                )
                for kind, items in ranked.items()
            }
        activity["ranking"] = ranked
    return {**view, "activity": activity}


def console(meeting: Meeting, presence: Presence) -> dict[str, Any]:
    """The facilitator: the agenda, every note with its status, tallies always, and what
    they have added to the account (details, decisions, follow-ups)."""
    account = meeting.report
    agenda = []
    for entry in meeting.activities.values():
        agenda.append(
            {
                "id": entry.spec.id,
                "kind": entry.spec.kind,
                "title": dict(entry.spec.title),
                "open": entry.open,
                "show_results": entry.show_results,
                "started": bool(entry.timeline.shown),
                "responders": len(entry.responders()),
            }
        )
    view = {
        **_base(meeting),
        "participants": presence.phones,
        "agenda": agenda,
        "current": meeting.current,
        "screens": presence.screens,
        "alerts": [{"what": what, "count": count} for what, count in presence.alerts],
        "consoles": presence.consoles,
        "joined": len(meeting.participants),
        "rules": meeting.rules,
        "report": {
            "details": dict(account.details),
            "items": [report.as_dict(e) for e in account.items.values() if not e.removed],
            "followups": [report.as_dict(e) for e in account.live_followups()],
        },
    }
    state = meeting.activities.get(meeting.current or "")
    if state is None:
        return {**view, "activity": None}
    activity = _head(meeting, state)
    activity["responders"] = len(state.responders())
    if state.spec.kind in board.BOARD_KINDS:
        activity["paused"] = state.paused
        activity["held"] = state.statuses["held"]
    if state.spec.kind == "poll":
        activity["tally"] = poll.tally(state)
    if state.spec.kind in ("notes", "painjoy"):
        totals = dots.totals(state)
        activity["notes"] = [
            {
                **_public_note(state, note),
                "status": note.status,
                "reason": note.reason,
                "held": note.held,
                "merged_into": note.merged_into,
                "dots": totals.get(note.id, 0),
            }
            for note in board.newest(state, CONSOLE_NOTES)
        ]
        activity["total_notes"] = len(state.notes)
    if state.spec.kind == "painjoy":
        activity["ranking"] = dots.ranking(state)
    return {**view, "activity": activity}


def mine(meeting: Meeting, pid: str) -> dict[str, Any]:
    """One participant's own input, per activity: their vote, notes and dots.

    It covers every activity, so moving on changes nobody's `mine`: only their own commands
    and the facilitator's hiding or merging of their notes do.
    """
    result: dict[str, Any] = {}
    for activity_id in meeting.activities:
        entry = own(meeting, pid, activity_id)
        if entry:
            result[activity_id] = entry
    return result


def own(meeting: Meeting, pid: str, activity_id: str, notes: bool = True) -> dict[str, Any]:
    """One participant's own input in one activity: their entry of `mine` ({} for none).

    With `notes=False`, all but their notes: what an ack carries (with the one note the command
    posted, if any), so its size does not grow with what the phone has posted before. A
    participant's own commands only ever add notes; moderation, which changes them, sends the
    whole `mine`.
    """
    state = meeting.activities.get(activity_id)
    if state is None:
        return {}
    entry: dict[str, Any] = {}
    if pid in state.votes:
        entry["choices"] = list(state.votes[pid])
    authored = state.authored.get(pid) if notes else None
    if authored:
        entry["notes"] = [_own_note(state, state.notes[note_id]) for note_id in authored]
    if state.dots.get(pid):
        entry["dots"] = dict(state.dots[pid])
    if pid in state.returned:
        entry["returned"] = dict(state.returned[pid])
    if state.spec.kind == "painjoy" and (entry or pid in state.authored):
        entry["remaining"] = dots.remaining(state, pid)
    return entry


def own_note(meeting: Meeting, activity_id: str, note_id: str) -> dict[str, Any]:
    """A participant's own note as their phone lists it (one item of their `mine` notes)."""
    state = meeting.activities[activity_id]
    return _own_note(state, state.notes[note_id])


def _own_note(state: ActivityState, note: Note) -> dict[str, Any]:
    """A participant's own note as their phone lists it: held or hidden ones with why, so
    moderation is never silent to the person it touches."""
    item = {**_public_note(state, note), "status": note.status}
    if note.status == "hidden":
        item["reason"] = note.reason
    elif note.status == "held":
        item["held"] = note.held
    return item


def affected(meeting: Meeting, event_type: str, data: dict[str, Any]) -> set[str]:
    """Participants whose own view changes when the facilitator acts on their notes or dots."""
    state = meeting.activities.get(data.get("activity") or "")
    if state is None or event_type not in (
        "note_hidden",
        "note_restored",
        "notes_merged",
        "note_released",
    ):
        return set()
    notes = {data.get("note"), data.get("into"), *data.get("notes", [])}
    people = {state.notes[n].author for n in notes if n in state.notes}
    people.update(pid for pid, mine in state.dots.items() if notes & mine.keys())
    people.update(pid for pid, notice in state.returned.items() if notice["note"] in notes)
    return people
