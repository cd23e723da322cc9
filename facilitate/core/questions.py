"""Questions from the floor: upvotes, the question being answered, answers. Pure.

A question is a note on a board (core/board.py): posted, held, hidden, restored and released
like any note, and `withdrawn` when the person who asked takes it back. This module holds what
a question has beyond a note, and the rules for it. They hold under every sequence of commands
(tests/core/test_qa_machine.py):

- a phone upvotes a question at most once, never its own, and only while the question is
  approved (visible) and not answered; it may take its upvote back at any time;
- a question's count is the number of phones whose upvote is on it, the same in every view;
- at most one question is highlighted (being answered), and it is always an approved question
  not yet answered: hiding, withdrawing or answering it takes the highlight off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from facilitate.core import writing
from facilitate.core.activity import ActivityState, Note
from facilitate.core.board import find
from facilitate.core.errors import CommandError

MAX_ANSWER = 500  # characters of the facilitator's note on how a question was answered


@dataclass
class Answer:
    """A question marked answered: when, and the facilitator's short note ("" for none)."""

    at: float
    note: str = ""


@dataclass
class QaState:
    """What a questions activity keeps beyond its notes (ActivityState.kind_state)."""

    upvotes: dict[str, set[str]] = field(default_factory=dict)  # question -> phones
    highlighted: str | None = None  # the question being answered, shown large on the screen
    answered: dict[str, Answer] = field(default_factory=dict)  # question -> its answer


def of(state: ActivityState) -> QaState:
    """The questions' own state of an activity."""
    found: QaState = state.kind_state
    return found


def votes(state: ActivityState, note_id: str) -> int:
    """How many phones upvoted the question."""
    return len(of(state).upvotes.get(note_id, ()))


def upvoted(state: ActivityState, pid: str) -> list[str]:
    """The questions a phone has upvoted, in the order they were asked."""
    return sorted(
        (note_id for note_id, people in of(state).upvotes.items() if pid in people),
        key=lambda note_id: int(note_id[1:]),
    )


def upvoters(state: ActivityState) -> set[str]:
    """Every phone with an upvote on some question."""
    return set().union(*of(state).upvotes.values())


def approved(state: ActivityState, *, answered: bool) -> list[Note]:
    """The approved (visible) questions, answered or not, in the order they were asked."""
    done = of(state).answered
    return [
        note
        for note in state.notes.values()
        if note.status == "visible" and (note.id in done) == answered
    ]


def ranked(state: ActivityState, notes: list[Note]) -> list[Note]:
    """Most upvotes first; ties keep the order they were asked."""
    return sorted(notes, key=lambda note: -votes(state, note.id))


def item(state: ActivityState, note: Note, *, counts: bool) -> dict[str, Any]:
    """A question as the room may see it: with its upvotes only when `counts`."""
    answer = of(state).answered.get(note.id)
    result: dict[str, Any] = {"id": note.id, "text": note.text, "answered": answer is not None}
    if answer is not None and answer.note:
        result["answer"] = answer.note
    if counts:
        result["votes"] = votes(state, note.id)
    return result


# -- the rules --------------------------------------------------------------------------------


def _on_the_list(state: ActivityState, note: Note) -> None:
    """Refuse unless the question is approved and not yet answered."""
    if note.status != "visible":
        raise CommandError("question_gone", "this question is not on the list")
    if note.id in of(state).answered:
        raise CommandError("already_answered", "this question has been answered")


def check_upvote(state: ActivityState, pid: str, note_id: str, up: bool) -> Note:
    """The question a phone upvotes (or takes its upvote back from), or a CommandError."""
    note = find(state, note_id)
    have = pid in of(state).upvotes.get(note.id, ())
    if not up:
        if not have:
            raise CommandError("no_upvote", "you have not upvoted this question")
        return note
    if note.author == pid:
        raise CommandError("own_question", "you cannot upvote your own question")
    if have:
        raise CommandError("already_upvoted", "you have upvoted this question already")
    _on_the_list(state, note)
    return note


def check_withdraw(state: ActivityState, pid: str, note_id: str) -> Note:
    """The question its asker withdraws, or a CommandError: only one's own, while it waits or
    is on the list, and not once it has been answered."""
    note = find(state, note_id)
    if note.author != pid:
        raise CommandError("not_yours", "only the person who asked can withdraw a question")
    if note.status not in ("visible", "held"):
        raise CommandError("question_gone", "this question is not on the list")
    if note.id in of(state).answered:
        raise CommandError("already_answered", "an answered question stays in the minutes")
    return note


def check_highlight(state: ActivityState, note_id: str) -> Note:
    """The question to highlight, or a CommandError: approved and not yet answered."""
    note = find(state, note_id)
    _on_the_list(state, note)
    return note


def check_answer(state: ActivityState, note_id: str, answer: Any) -> tuple[Note, str]:
    """The question to mark answered and its cleaned answer note, or a CommandError."""
    note = find(state, note_id)
    if note.status != "visible":
        raise CommandError("question_gone", "approve the question before marking it answered")
    text = writing.clean_text(answer, multiline=False) if isinstance(answer, str) else ""
    if not writing.fits(text, MAX_ANSWER):
        raise CommandError(
            "too_long_text",
            f"an answer note holds at most {MAX_ANSWER} characters",
            limit=MAX_ANSWER,
        )
    return note, "" if writing.blank(text) else text


def check_reopen(state: ActivityState, note_id: str) -> Note:
    """The answered question to put back on the list, or a CommandError."""
    note = find(state, note_id)
    if note.id not in of(state).answered:
        raise CommandError("not_answered", "this question is not marked answered")
    return note


# -- applying ---------------------------------------------------------------------------------


def apply_upvote(state: ActivityState, pid: str, note_id: str, up: bool) -> None:
    """Add or take back one phone's upvote."""
    upvotes = of(state).upvotes
    if up:
        upvotes.setdefault(note_id, set()).add(pid)
        return
    people = upvotes.get(note_id, set())
    people.discard(pid)
    if not people:
        upvotes.pop(note_id, None)


def apply_answer(state: ActivityState, note_id: str, note: str, at: float) -> None:
    """Mark a question answered (or change its answer note); it is no longer highlighted."""
    floor = of(state)
    found = floor.answered.get(note_id)
    if found is None:
        floor.answered[note_id] = Answer(at, note)
    else:
        found.note = note  # answered when first marked; the note may be corrected
    unhighlight(state, note_id)


def unhighlight(state: ActivityState, note_id: str) -> None:
    """The question left the list (hidden, withdrawn, answered): the screen lets it go."""
    floor = of(state)
    if floor.highlighted == note_id:
        floor.highlighted = None
