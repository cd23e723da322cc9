"""What each role sees: the projector, the phones, the console, and one participant's own
input. Pure functions of the meeting state, rendered once per role and sent to all of it.

The screen and the phones only ever get what the facilitator has let through: hidden and merged
notes never appear in their views (a participant's own `mine` keeps their own notes, marked),
and tallies only when results are shown. A pain/joy note's side goes out as `kind`, the name
the live protocol has always used for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from facilitate.core import report
from facilitate.core.activity import ActivityState
from facilitate.core.kinds import boards
from facilitate.core.meeting import Meeting


@dataclass(frozen=True)
class Presence:
    """Who is connected right now (live, not part of the record)."""

    phones: int = 0
    screens: int = 0
    consoles: int = 0
    # Warnings for the console: (joins or notes, how many from the busiest address in the
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
    view.update(state.kind.head(state))
    return view


def _base(meeting: Meeting) -> dict[str, Any]:
    view = {
        "code": meeting.code,
        "title": dict(meeting.plan.title),
        "language": meeting.plan.language,
        "count": len(meeting.activities),
        "ended": meeting.report.ended,
        "published": meeting.report.published,
    }
    if meeting.tables:
        view["tables"] = [{"id": t.id, "name": dict(t.name)} for t in meeting.tables.values()]
    return view


def _by_table(
    meeting: Meeting, state: ActivityState, draw: Callable[[ActivityState], dict[str, Any]]
) -> dict[str, Any]:
    """An activity as a role sees it: with tables, each table's part drawn apart (the phone
    shows its own table's, the console all side by side, the screen one or all). A part holds
    what of the kind's head is that table's own (its phase, the items drawn for it), over the
    whole activity's; the rest of the head is the same everywhere and said once."""
    parts = meeting.parts.get(state.spec.id)
    if parts is None:
        return draw(state)
    whole = state.kind.head(state)

    def own(part: ActivityState) -> dict[str, Any]:
        return {k: v for k, v in part.kind.head(part).items() if k not in whole or whole[k] != v}

    return {
        "scope": "table",
        "parts": [
            {
                "table": table,
                "responders": len(part.kind.responders(part)),
                **own(part),
                **draw(part),
            }
            for table, part in parts.items()
        ],
    }


def screen(meeting: Meeting, presence: Presence) -> dict[str, Any]:
    """The projector: the current activity with the results the facilitator lets through."""
    view = {**_base(meeting), "participants": presence.phones}
    state = meeting.activities.get(meeting.current or "")
    if state is None:
        return {**view, "activity": None}
    activity = {**_head(meeting, state), **_by_table(meeting, state, state.kind.screen)}
    if state.accepts_input:
        activity["responders"] = len(meeting.responders(state))
    if state.spec.id in meeting.parts:
        activity["shown_table"] = meeting.screen_table
    return {**view, "activity": activity}


def helper(meeting: Meeting, presence: Presence) -> dict[str, Any]:
    """The helper page: the current activity, with what the kind lets a helper put in for
    people without a phone and what has been put in so far (Kind.helper_view)."""
    view = _base(meeting)
    state = meeting.activities.get(meeting.current or "")
    if state is None:
        return {**view, "activity": None}
    activity = {**_head(meeting, state), **_by_table(meeting, state, state.kind.helper_view)}
    activity["helps"] = sorted(state.kind.helper)  # the commands the helper page may send
    return {**view, "activity": activity}


def new_per_hour(meeting: Meeting) -> list[list[int]]:
    """How many phones gave their first input in each hour (its start, in seconds since the
    epoch), oldest first: the console sums them by day in its own time zone."""
    hours: dict[int, int] = {}
    for at in meeting.first_input.values():
        hour = int(at // 3600 * 3600)
        hours[hour] = hours.get(hour, 0) + 1
    return [[hour, n] for hour, n in sorted(hours.items())]


def phone(meeting: Meeting, presence: Presence) -> dict[str, Any]:
    """Every phone: the current activity (with what its kind shows phones, such as the notes
    to place dots on); the meeting's moderation rules ("" for the default text in the phone's
    language).

    No participant count here: phones would then be re-rendered with every arrival.
    """
    view = {**_base(meeting), "rules": meeting.rules}
    if meeting.plan.survey is not None:  # self-paced: every activity, each phone at its own
        view["survey"] = meeting.plan.survey.to_dict()
        view["activities"] = [
            {**_head(meeting, state), **_by_table(meeting, state, state.kind.phone)}
            for state in meeting.activities.values()
        ]
    state = meeting.activities.get(meeting.current or "")
    if state is None:
        return {**view, "activity": None}
    return {
        **view,
        "activity": {**_head(meeting, state), **_by_table(meeting, state, state.kind.phone)},
    }


def plain(meeting: Meeting, pid: str) -> dict[str, Any]:
    """The current activity as one phone's page without scripts draws it (docs/protocol.md,
    "Plain forms"): what the phones' view holds of it, for an activity answered per table the
    phone's own table's part (`seated` false while it sits at none), and the phone's own
    input there (`mine`). `activity` is None in the lobby."""
    state = meeting.activities.get(meeting.current or "")
    if state is None:
        return {"activity": None, "seated": True, "mine": {}}
    activity = {**_head(meeting, state), "input": state.accepts_input}
    part = meeting.own_state(state.spec.id, pid)
    if part is None:
        return {"activity": activity, "seated": False, "mine": {}}
    if part is not state:
        activity.update(part.kind.head(part))
    activity.update(part.kind.phone(part))
    return {"activity": activity, "seated": True, "mine": part.kind.mine(part, pid)}


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
                "responders": len(meeting.responders(entry)),
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
    if meeting.plan.survey is not None:  # new people per hour, for the console's days
        view["survey"] = meeting.plan.survey.to_dict()
        view["new_per_hour"] = new_per_hour(meeting)
    if meeting.tables:
        view["screen_table"] = meeting.screen_table
        scribes = list(meeting.scribes.values())
        view["scribes"] = {table: scribes.count(table) for table in meeting.tables}
    state = meeting.activities.get(meeting.current or "")
    if state is None:
        return {**view, "activity": None}
    activity = {
        **_head(meeting, state),
        "responders": len(meeting.responders(state)),
        **_by_table(meeting, state, state.kind.console),
    }
    return {**view, "activity": activity}


def mine(meeting: Meeting, pid: str) -> dict[str, Any]:
    """One participant's own input, per activity: their vote, notes and dots.

    It covers every activity, so moving on changes nobody's `mine`: only their own commands
    and the facilitator's hiding or merging of their notes do.
    """
    result: dict[str, Any] = {}
    if pid in meeting.seats:  # not an activity id: ids never start with "_"
        result["_table"] = meeting.seats[pid]
    if pid in meeting.scribes:  # the table this phone writes the agreed answers for
        result["_scribe"] = meeting.scribes[pid]
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
    state = meeting.own_state(activity_id, pid)
    if state is None:
        return {}
    return state.kind.mine(state, pid, notes=notes)


def acked(
    meeting: Meeting, pid: str, activity_id: str, note_id: str | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What an ack of a participant's command in an activity carries: their own input there
    but their notes (`own` with `notes=False`), and the note the command posted, if any, as
    their phone lists it (one item of their `mine` notes)."""
    state = meeting.own_state(activity_id, pid)
    if state is None:
        return {}, None
    own = state.kind.mine(state, pid, notes=False)
    if note_id is None:
        return own, None
    return own, boards.own_note(state, state.notes[note_id])


def affected(meeting: Meeting, event_type: str, data: dict[str, Any]) -> set[str]:
    """Participants whose own view changes when the facilitator acts on their input."""
    if event_type == "scribe_appointed":
        return {data["participant"]}
    if event_type == "scribes_dismissed":
        return set(data["participants"])
    state = meeting.activities.get(data.get("activity") or "")
    if state is None:
        return set()
    if "table" in data:
        state = meeting.part(state, data["table"])
    people = state.kind.affected(state, event_type, data)
    if "table" not in data:  # an event of the whole activity: at every table
        for part in meeting.parts.get(state.spec.id, {}).values():
            people |= part.kind.affected(part, event_type, data)
    return people
