"""Sticky-note boards: posting, hiding and merging notes. Pure.

Used by open-question notes (optionally in columns) and by pain/joy points (notes on a side).
Hiding and merging are events like any other, so the record shows what was done and why.

Who may read a note's text (`is_public`): a visible note, and a note merged into a visible
one, reach everyone; a hidden note, and a note merged into a hidden one, reach only the
facilitator's console and the record's moderation section. Only visible notes can be merged,
so a hidden note never becomes public by a merge; a merged note can still be hidden (it then
leaves its group).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from facilitate.core.activity import ActivityState, Note
from facilitate.core.errors import CommandError
from facilitate.core.writing import blank, clean_text, fits

SIDES = ("pain", "joy")  # smertepunkter / hjertepunkter
MAX_BULK = 5000  # notes one bulk hide may name
MAX_REASON = 200


def check_note(state: ActivityState, text: str) -> str:
    """The cleaned text of a new note, or a CommandError saying what is wrong with it."""
    limit = state.spec.settings.max_length
    cleaned = clean_text(text)
    if blank(cleaned):  # only white space or invisible marks
        raise CommandError("empty_note", "write something first")
    if not fits(cleaned, limit):  # counted as people see it: writing.length
        raise CommandError("too_long", f"a note holds at most {limit} characters", limit=limit)
    return cleaned


def find(state: ActivityState, note_id: str) -> Note:
    """The note with this id in this activity, or a CommandError."""
    note = state.notes.get(note_id)
    if note is None:
        raise CommandError("unknown_note", f"no note {note_id!r} in this activity")
    return note


def check_merge(state: ActivityState, into: str, sources: Iterable[str]) -> list[str]:
    """The notes that can be merged into `into`, or a CommandError.

    Only visible notes merge, into a visible note of the same side: merging a hidden note
    would let its text reach the room under another note, so it must be restored first.
    """
    target = find(state, into)
    if target.status != "visible":
        raise CommandError("bad_merge", "merge into a visible note")
    result: list[str] = []
    for note_id in sources:
        note = find(state, note_id)
        if note_id == into:
            raise CommandError("bad_merge", "a note cannot be merged into itself")
        if note.status == "merged":
            raise CommandError("bad_merge", f"note {note_id!r} is already merged")
        if note.status == "hidden":
            raise CommandError(
                "merge_hidden", f"note {note_id!r} is hidden: restore it first to merge it"
            )
        if note.status == "held":
            raise CommandError(
                "merge_held", f"note {note_id!r} waits for review: release it first to merge it"
            )
        if note.side != target.side:
            raise CommandError("bad_merge", "pain points and joy points cannot be merged")
        if note_id not in result:
            result.append(note_id)
    if not result:
        raise CommandError("bad_merge", "choose at least one note to merge")
    return result


def apply_merge(state: ActivityState, into: str, sources: Iterable[str]) -> list[str]:
    """Merge notes into one; notes merged earlier into a source follow it. Returns the
    sources that did merge: a hidden one (in logs from before merging them was refused) stays
    hidden and out of the group, so its text never reaches anyone through the merge."""
    moving = [note_id for note_id in sources if state.notes[note_id].status != "hidden"]
    followers = [child for note_id in moving for child in state.merged.pop(note_id, [])]
    for note_id in [*moving, *followers]:
        note = state.notes[note_id]
        state.set_status(note, "merged")
        note.merged_into = into
    group = state.merged.setdefault(into, [])
    group.extend([*moving, *followers])
    group.sort(key=lambda note_id: int(note_id[1:]))  # posting order
    return moving


def select(state: ActivityState, notes: Any, since: Any, held: Any, now: float) -> list[Note]:
    """The notes a bulk hide names: listed by id, posted in the last `since` seconds, or every
    held one; notes already hidden are left out. A CommandError when the choice is unclear or
    finds nothing."""
    given = [notes is not None, since is not None, held is not None]
    if given.count(True) != 1:
        raise CommandError("bad_selection", "choose notes, a time span or the held notes")
    if notes is not None:
        if not isinstance(notes, list) or len(notes) > MAX_BULK:
            raise CommandError("bad_selection", f"name at most {MAX_BULK} notes")
        chosen = [find(state, note_id) for note_id in dict.fromkeys(notes)]
    elif since is not None:
        if isinstance(since, bool) or not isinstance(since, int | float) or not 0 < since <= 86400:
            raise CommandError("bad_selection", "give a time span of 1 s to a day")
        chosen = [n for n in state.notes.values() if n.at >= now - since]
    else:
        if held is not True:
            raise CommandError("bad_selection", "held must be true")
        chosen = [n for n in state.notes.values() if n.status == "held"]
    chosen = [note for note in chosen if note.status != "hidden"]
    if not chosen:
        raise CommandError("nothing_to_hide", "no note to hide")
    return chosen


def apply_hide(state: ActivityState, note_id: str, reason: str) -> None:
    """Hide a note; a merged note leaves the group it was merged into."""
    note = state.notes[note_id]
    if note.status == "merged" and note.merged_into is not None:
        group = state.merged.get(note.merged_into, [])
        if note_id in group:
            group.remove(note_id)
        note.merged_into = None
    state.set_status(note, "hidden")
    note.reason = reason


def is_public(state: ActivityState, note: Note) -> bool:
    """Whether the note's text may reach anyone but the facilitator (see the module's doc)."""
    if note.status == "visible":
        return True
    if note.status == "merged" and note.merged_into is not None:
        return state.notes[note.merged_into].status == "visible"
    return False


def children(state: ActivityState, note_id: str) -> list[Note]:
    """The notes merged into this one, in the order they were posted."""
    return [state.notes[child] for child in state.merged.get(note_id, ())]


def visible(state: ActivityState) -> list[Note]:
    """The notes the screen may show, in the order they were posted."""
    return [n for n in state.notes.values() if n.status == "visible"]


def newest(state: ActivityState, count: int, status: str | None = None) -> list[Note]:
    """The newest `count` notes (of one status), in the order they were posted: from the end,
    so a projector's wall costs the same however many notes came before."""
    found: list[Note] = []
    if count > 0:
        for note in reversed(state.notes.values()):
            if status is None or note.status == status:
                found.append(note)
                if len(found) == count:
                    break
    found.reverse()
    return found
