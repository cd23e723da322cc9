"""Dot voting on pain/joy points: a budget per kind and a cap per note. Pure."""

from __future__ import annotations

from typing import Any

from facilitate.core.activity import ActivityState
from facilitate.core.board import KINDS, children, find, visible
from facilitate.core.errors import CommandError


def budget(state: ActivityState, kind: str) -> int:
    """How many dots of this kind each participant has."""
    return state.spec.pain_dots if kind == "pain" else state.spec.joy_dots


def used(state: ActivityState, pid: str, kind: str) -> int:
    """Dots of this kind the participant has on notes still in play (hidden notes free them)."""
    mine = state.dots.get(pid, {})
    return sum(
        n
        for note_id, n in mine.items()
        if state.notes[note_id].kind == kind and state.notes[note_id].status == "visible"
    )


def remaining(state: ActivityState, pid: str) -> dict[str, int]:
    """Dots left to place, per kind."""
    return {kind: max(0, budget(state, kind) - used(state, pid, kind)) for kind in KINDS}


def check_dot(state: ActivityState, pid: str, note_id: str, delta: int) -> None:
    """Raise a CommandError unless the participant may add (+1) or take back (-1) this dot."""
    if state.phase != "dots":
        raise CommandError("not_dotting", "dots open after the notes are in")
    note = find(state, note_id)
    if note.status != "visible":
        raise CommandError("note_gone", "this note is no longer on the board")
    have = state.dots.get(pid, {}).get(note_id, 0)
    if delta < 0:
        if have == 0:
            raise CommandError("no_dot", "you have no dot on this note")
        return
    assert note.kind is not None
    if used(state, pid, note.kind) >= budget(state, note.kind):
        raise CommandError(
            "no_dots_left",
            f"all your {note.kind} dots are placed; take one back to move it",
            kind=note.kind,
        )
    if have >= state.spec.dot_cap:
        raise CommandError(
            "cap_reached",
            f"at most {state.spec.dot_cap} dots on one note",
            limit=state.spec.dot_cap,
        )


def apply_dot(state: ActivityState, pid: str, note_id: str, delta: int) -> None:
    mine = state.dots.setdefault(pid, {})
    count = mine.get(note_id, 0) + delta
    if count:
        mine[note_id] = count
    else:
        mine.pop(note_id, None)


def totals(state: ActivityState) -> dict[str, int]:
    """Dots per note, over every participant."""
    result: dict[str, int] = {}
    for mine in state.dots.values():
        for note_id, n in mine.items():
            result[note_id] = result.get(note_id, 0) + n
    return result


def ranking(state: ActivityState) -> dict[str, list[dict[str, Any]]]:
    """Visible pain and joy points, most dots first; ties keep the order they were posted."""
    dots = totals(state)
    ranked: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for note in visible(state):
        if note.kind in ranked:
            ranked[note.kind].append(
                {
                    "id": note.id,
                    "text": note.text,
                    "dots": dots.get(note.id, 0),
                    "merged": len(children(state, note.id)),
                }
            )
    for items in ranked.values():
        items.sort(key=lambda item: -item["dots"])  # stable: posting order breaks ties
    return ranked
