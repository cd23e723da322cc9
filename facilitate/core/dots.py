"""Dot voting on pain/joy points: a budget per side and a cap per note. Pure.

The rule that holds under every sequence of commands (tests/core/test_dot_machine.py): a
participant's counted dots on one side never exceed that side's budget, their dots on one note
never exceed the cap, and dots only ever sit on visible notes. The facilitator's moderation keeps
it so:

- hiding a note takes its dots off and puts them back in their owners' hands (`withdraw`);
- restoring it gives each owner back as many of those dots as still fit their budget and the
  cap; the rest stay in their hand (`give_back`);
- merging notes moves the dots to the note they were merged into, up to the cap; a surplus goes
  back into its owner's hand (`merge`).

Each of these leaves a notice (`returned`) in the owner's `mine`, so their phone can say why
their dots moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from facilitate.core.activity import ActivityState
from facilitate.core.board import SIDES, children, find, visible
from facilitate.core.errors import CommandError


def budget(state: ActivityState, side: str) -> int:
    """How many dots of this side each participant has."""
    found: int = state.spec.settings.pain_dots if side == "pain" else state.spec.settings.joy_dots
    return found


def used(state: ActivityState, pid: str, side: str) -> int:
    """Dots of this side the participant has placed (all of them on visible notes)."""
    notes = state.notes
    return sum(n for note_id, n in state.dots.get(pid, {}).items() if notes[note_id].side == side)


def remaining(state: ActivityState, pid: str) -> dict[str, int]:
    """Dots left to place, per side."""
    return {side: max(0, budget(state, side) - used(state, pid, side)) for side in SIDES}


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
    assert note.side is not None
    if used(state, pid, note.side) >= budget(state, note.side):
        raise CommandError(
            "no_dots_left",
            f"all your {note.side} dots are placed; take one back to move it",
            kind=note.side,
        )
    if have >= state.spec.settings.dot_cap:
        raise CommandError(
            "cap_reached",
            f"at most {state.spec.settings.dot_cap} dots on one note",
            limit=state.spec.settings.dot_cap,
        )


def apply_dot(state: ActivityState, pid: str, note_id: str, delta: int) -> None:
    """Place or take back one dot. Never below zero: in a log written before hiding took dots
    off a note, a dot may be taken back that a restore did not give back."""
    mine = state.dots.setdefault(pid, {})
    count = max(0, mine.get(note_id, 0) + delta)
    if count:
        mine[note_id] = count
    else:
        mine.pop(note_id, None)


def _notice(state: ActivityState, pid: str, note_id: str, why: str, n: int, at: float) -> None:
    state.returned[pid] = {"note": note_id, "why": why, "dots": n, "at": at}


def withdraw(state: ActivityState, note_id: str, at: float) -> None:
    """A note was hidden: its dots go back into their owners' hands (kept for a restore)."""
    taken: dict[str, int] = {}
    for pid in state.dots:
        n = state.dots[pid].pop(note_id, 0)
        if n:
            taken[pid] = n
            _notice(state, pid, note_id, "hidden", n, at)
    if taken:
        state.withdrawn[note_id] = taken


def give_back(state: ActivityState, note_id: str, at: float) -> None:
    """A hidden note was restored: each owner gets back what still fits; the rest stays
    in their hand, and they are told how many."""
    side = state.notes[note_id].side
    for pid, n in state.withdrawn.pop(note_id, {}).items():
        room = 0 if side is None else budget(state, side) - used(state, pid, side)
        back = max(0, min(n, state.spec.settings.dot_cap, room))
        if back:
            state.dots.setdefault(pid, {})[note_id] = back
        if back < n:
            _notice(state, pid, note_id, "restored", n - back, at)


def merge(state: ActivityState, into: str, sources: Iterable[str], at: float) -> None:
    """Notes were merged into `into`: their dots move along, up to the cap per owner; a
    surplus goes back into its owner's hand."""
    moving = set(sources)
    for pid in list(state.dots):
        mine = state.dots[pid]
        moved = sum(mine.pop(note_id, 0) for note_id in moving & mine.keys())
        if not moved:
            continue
        total = mine.get(into, 0) + moved
        mine[into] = min(total, state.spec.settings.dot_cap)
        if total > state.spec.settings.dot_cap:
            _notice(state, pid, into, "merged", total - state.spec.settings.dot_cap, at)


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
    ranked: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for note in visible(state):
        if note.side in ranked:
            ranked[note.side].append(
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
