"""Questions from the floor to a panel or the moderator (ordstyrer). Pure.

Phones ask (`note`: at most 280 characters, cleaned and counted like every note; questions
that look personal wait, `hold_personal`), upvote other people's questions once each
(`upvote`; a second upvote is refused, `up: false` takes it back) and withdraw their own
(`withdraw_question`). With `moderated` (on unless the agenda says false) every question waits
in the console's queue until the facilitator approves it (`release`) or hides it with a reason
(`hide`); the room sees how many wait, so moderation is never silent. Without it questions go
up at once, and the facilitator can still hide them. The facilitator highlights the question
being answered (`highlight`, one at a time, large on the screen) and marks questions answered,
with a short answer note if they like (`mark_answered`; `unmark_answered` undoes it).

A question is a note of a board (boards.py): holding, hiding, restoring and pausing work as
for notes, and hidden questions reach only the console and the record's moderation section.
Questions are not merged: each stays the asker's own to withdraw, and a duplicate is hidden
with a reason instead. Upvotes, the highlight and the answers: facilitate.core.questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.core import personal, questions
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import Block, Context
from facilitate.core.errors import CommandError
from facilitate.core.kinds import questions_record
from facilitate.core.kinds.base import ACTIVITY, N_, Commands, Decided, Demo, Fields, Form
from facilitate.core.kinds.boards import BoardKind, BoardSettings
from facilitate.core.kinds.forms import first
from facilitate.core.questions import QaState
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

# The projector shows the questions a hall can read at once; phones and the console get more.
SCREEN_QUESTIONS = 12
PHONE_QUESTIONS = 150
CONSOLE_QUESTIONS = 400
_ONE: Fields = {**ACTIVITY, "note": ((str,), True)}
_BOARD_ONLY = ("merge", "notes_merged")  # a question stays its asker's: no merging

# Questions as people ask them at a folkemøte about safety in the town centre: the demo's input.
ASKED = [
    "Hvorfor ser vi så lite politi i sentrum på kveldstid?",
    "Kan kommunen sette opp mer lys i undergangen ved stasjonen?",
    "Hva gjør dere med råkjøringen på Storgata i helgene?",
    "Hvor kan ungdom være på fredagskvelder når klubben er stengt?",
    "Hvordan kan vi si fra om noe som bekymrer oss, uten å ringe 112?",
    "Kommer natteravnene tilbake i høst?",
    "Hvem har ansvaret for gangstien langs elva, og kan den ryddes?",
    "Hvorfor gjør ingen noe med Ola Hansen i Storgata 14?",
    "Får vi vite hva som skjer med det vi har sagt i kveld?",
]
ANSWERS = {
    0: "Politiet lover flere kveldspatruljer til fots i helgene fra neste måned.",
    1: "Kommunen tar det med i budsjettet for neste år.",
}


@dataclass(frozen=True)
class QaSettings(BoardSettings):
    moderated: bool = True


def _upvote(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    up = data.get("up", True)
    note = questions.check_upvote(state, pid, data["note"], up)
    kind = "question_upvoted" if up else "upvote_withdrawn"
    return [(kind, {"activity": state.spec.id, "note": note.id})]


def _withdraw(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    note = questions.check_withdraw(state, pid, data["note"])
    return [("question_withdrawn", {"activity": state.spec.id, "note": note.id})]


def _hide(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    """A board's hide, except for a question its asker has withdrawn: that one is theirs."""
    found = state.notes.get(data["note"])
    if found is not None and found.status == "withdrawn":
        raise CommandError("question_gone", "the person who asked has withdrawn it")
    return BoardKind.facilitator["hide"](meeting, state, data, actor)


def _hide_many(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    decided = BoardKind.facilitator["hide_many"](meeting, state, data, actor)
    kept = [(t, d) for t, d in decided if state.notes[d["note"]].status != "withdrawn"]
    if not kept:
        raise CommandError("nothing_to_hide", "no question to hide")
    return kept


def _highlight(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    note_id = data["note"]
    if note_id is not None:
        note_id = questions.check_highlight(state, note_id).id
    if questions.of(state).highlighted == note_id:
        return []
    return [("question_highlighted", {"activity": state.spec.id, "note": note_id})]


def _answered(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    note, answer = questions.check_answer(state, data["note"], data.get("answer"))
    found = questions.of(state).answered.get(note.id)
    if found is not None and found.note == answer:
        return []
    return [("question_answered", {"activity": state.spec.id, "note": note.id, "answer": answer})]


def _reopen(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    note = questions.check_reopen(state, data["note"])
    return [("question_reopened", {"activity": state.spec.id, "note": note.id})]


def _upvoted(up: bool) -> Any:
    def apply(meeting: Meeting, state: ActivityState, event: Event) -> None:
        questions.apply_upvote(state, event.actor, event.data["note"], up)

    return apply


def _withdrawn(meeting: Meeting, state: ActivityState, event: Event) -> None:
    state.set_status(state.notes[event.data["note"]], "withdrawn")
    questions.unhighlight(state, event.data["note"])


def _hidden(meeting: Meeting, state: ActivityState, event: Event) -> None:
    BoardKind.appliers["note_hidden"](meeting, state, event)
    questions.unhighlight(state, event.data["note"])


def _highlighted(meeting: Meeting, state: ActivityState, event: Event) -> None:
    questions.of(state).highlighted = event.data["note"]


def _answer(meeting: Meeting, state: ActivityState, event: Event) -> None:
    questions.apply_answer(state, event.data["note"], event.data["answer"], event.at)


def _reopened(meeting: Meeting, state: ActivityState, event: Event) -> None:
    questions.of(state).answered.pop(event.data["note"], None)


class Qa(BoardKind):
    name = "qa"
    gives_items = True
    label = N_("Questions from the floor")
    example = {
        "kind": "qa",
        "title": "Spørsmål til panelet",
        "text": "Still spørsmålet ditt, og stem opp det du også lurer på.",
        "moderated": True,
        "hold_personal": True,
        "results": "live",
    }
    fields = frozenset({"moderated", "hold_personal"})
    messages = {
        **{name: shape for name, shape in BoardKind.messages.items() if name not in _BOARD_ONLY},
        "upvote": {**_ONE, "up": ((bool,), False)},
        "withdraw_question": _ONE,
        "highlight": {**ACTIVITY, "note": ((str, None), True)},
        "mark_answered": {**_ONE, "answer": ((str,), False)},
        "unmark_answered": _ONE,
    }
    participant = {
        **BoardKind.participant,
        "upvote": _upvote,
        "withdraw_question": _withdraw,
    }
    facilitator = {
        **{name: c for name, c in BoardKind.facilitator.items() if name not in _BOARD_ONLY},
        "hide": _hide,
        "hide_many": _hide_many,
        "highlight": _highlight,
        "mark_answered": _answered,
        "unmark_answered": _reopen,
    }
    appliers = {
        **{name: a for name, a in BoardKind.appliers.items() if name not in _BOARD_ONLY},
        "note_hidden": _hidden,
        "question_upvoted": _upvoted(True),
        "upvote_withdrawn": _upvoted(False),
        "question_withdrawn": _withdrawn,
        "question_highlighted": _highlighted,
        "question_answered": _answer,
        "question_reopened": _reopened,
    }
    input_events = BoardKind.input_events | {"question_upvoted"}
    events_for_people = frozenset(
        {"note_hidden", "note_restored", "note_released", "question_withdrawn"}
    )

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        return QaSettings(
            moderated=reader.flag(item, "moderated", index, default=True),
            hold_personal=reader.flag(item, "hold_personal", index, default=True),
        )

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        return {"moderated": settings.moderated, "hold_personal": settings.hold_personal}

    def new_state(self) -> QaState:
        return QaState()

    def responders(self, state: ActivityState) -> set[str]:
        return super().responders(state) | questions.upvoters(state)

    def note_fields(self, state: ActivityState, data: dict[str, Any]) -> dict[str, Any]:
        if any(data.get(name) is not None for name in ("column", "side", "kind")):
            raise CommandError("wrong_kind", "a question has no column and no side")
        return {}

    def hold(self, state: ActivityState, text: str) -> str | None:
        """Why a new question waits: it looks personal, the activity is moderated (every
        question waits for approval), or it is paused."""
        settings: QaSettings = state.spec.settings
        found = personal.reason(text) if settings.hold_personal else None
        if found:
            return found
        if settings.moderated:
            return "moderated"
        return "paused" if state.paused else None

    # -- views ------------------------------------------------------------------------------

    def head(self, state: ActivityState) -> dict[str, Any]:
        return {**super().head(state), "moderated": state.spec.settings.moderated}

    def _common(self, state: ActivityState) -> dict[str, Any]:
        """What every role sees: how many questions wait, and which is being answered."""
        return {"waiting": state.statuses["held"], "highlighted": questions.of(state).highlighted}

    def screen(self, state: ActivityState) -> dict[str, Any]:
        """How many wait, the question being answered (shown large even while the list is
        not: the facilitator put it up), and the open questions by upvotes."""
        view = self._common(state)
        shown = state.show_results
        highlighted = view["highlighted"]
        if highlighted is not None:
            view["question"] = questions.item(state, state.notes[highlighted], counts=shown)
        if shown:
            listed = questions.ranked(state, questions.approved(state, answered=False))
            listed = [note for note in listed if note.id != highlighted]
            view["questions"] = [
                questions.item(state, note, counts=True) for note in listed[:SCREEN_QUESTIONS]
            ]
            view["more_questions"] = max(0, len(listed) - SCREEN_QUESTIONS)
            view["answered_count"] = len(questions.approved(state, answered=True))
        return view

    def phone(self, state: ActivityState) -> dict[str, Any]:
        """The open questions to upvote (by upvotes while results are shown, otherwise in the
        order asked and without counts), and the answered ones with their answer notes."""
        shown = state.show_results
        open_ = questions.approved(state, answered=False)
        if shown:
            listed = questions.ranked(state, open_)[:PHONE_QUESTIONS]
        else:
            listed = open_[-PHONE_QUESTIONS:]  # the newest, when there are very many
        done = questions.approved(state, answered=True)[-PHONE_QUESTIONS:]
        return {
            **self._common(state),
            "questions": [questions.item(state, note, counts=shown) for note in listed],
            "more_questions": len(open_) - len(listed),
            "answered": [questions.item(state, note, counts=shown) for note in done],
        }

    def console(self, state: ActivityState) -> dict[str, Any]:
        """The queue (oldest first), the open questions by upvotes, the answered and the
        hidden ones, with the counts to go with them."""

        def entry(note_id: str) -> dict[str, Any]:
            note = state.notes[note_id]
            item = questions.item(state, note, counts=True)
            item.update(status=note.status, held=note.held, reason=note.reason)
            return item

        queue = [n.id for n in state.notes.values() if n.status == "held"][:CONSOLE_QUESTIONS]
        listed = questions.ranked(state, questions.approved(state, answered=False))
        done = sorted(
            questions.of(state).answered, key=lambda n: questions.of(state).answered[n].at
        )
        hidden = [n.id for n in state.notes.values() if n.status == "hidden"]
        return {
            **self._common(state),
            "paused": state.paused,
            "held": state.statuses["held"],
            "queue": [entry(note_id) for note_id in queue],
            "questions": [entry(note.id) for note in listed[:CONSOLE_QUESTIONS]],
            "answered": [entry(n) for n in done if state.notes[n].status == "visible"],
            "hidden": [entry(note_id) for note_id in hidden[-CONSOLE_QUESTIONS:]],
            "withdrawn": state.statuses["withdrawn"],
            "total_notes": len(state.notes),
        }

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        """Their questions (with `notes`), as any board lists a phone's notes, and the ones
        they upvoted."""
        entry = super().mine(state, pid, notes=notes)
        upvoted = questions.upvoted(state, pid)
        if upvoted:
            entry["upvoted"] = upvoted
        return entry

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """A question (`text`), or a button `upvote` whose value is a question's id and "1" to
        vote for it or "0" to take the vote back ("n4 1"). Withdrawing a question is left to
        the live page, which asks first: a form cannot undo it."""
        if "upvote" not in form:
            return self.note_from_form(state, form)
        note, _, up = first(form, "upvote").partition(" ")
        if up not in ("1", "0"):
            raise CommandError("bad_message", "an upvote is given (1) or taken back (0)")
        return [("upvote", {"activity": state.spec.id, "note": note, "up": up == "1"})]

    # -- the record -------------------------------------------------------------------------

    def record(self, state: ActivityState) -> dict[str, Any]:
        """The approved questions (public once published), and in `moderation` every other
        one with its text: waiting, hidden (with the reason) or withdrawn."""
        return questions_record.record(state)

    def public(self, entry: dict[str, Any]) -> dict[str, Any]:
        """The approved questions with their upvotes and answers: no moderation, no counts
        of what was withheld."""
        return questions_record.public(entry)

    def minutes(self, activity: dict[str, Any], context: Context) -> list[Block]:
        return questions_record.blocks(activity, context)

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The approved questions with most upvotes, answered or not (ties: asked first)."""
        ranked = questions.ranked(state, [n for n in state.notes.values() if n.status == "visible"])
        return [{language: note.text} for note in ranked[:count]]

    # -- demo -------------------------------------------------------------------------------

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        asked = [text for _, text in demo.texts] or ASKED
        posted: dict[str, tuple[str, str | None]] = {}  # question -> who asked, why it waits
        for text in asked:
            pid = demo.chance.choice(demo.people)
            (event,) = demo.act(pid, "note", activity=spec.id, text=text)
            posted[event.data["note"]] = (pid, event.data.get("held"))
        ids = list(posted)
        withdrawn = ids[5] if len(ids) > 5 else None  # someone thinks better of it
        if withdrawn is not None:
            demo.act(posted[withdrawn][0], "withdraw_question", activity=spec.id, note=withdrawn)
        approved: list[str] = []
        for note_id, (_, held) in posted.items():
            if note_id == withdrawn:
                continue
            if held in ("moderated", "paused"):
                demo.fac("release", activity=spec.id, note=note_id)
            elif held is not None:  # it names someone: the moderator says why it stays off
                demo.fac("hide", activity=spec.id, note=note_id, reason="Navngir en person")
                continue
            approved.append(note_id)
        weights = [1 / (i + 1) ** 0.6 for i in range(len(approved))]
        for pid in demo.people:
            picked = demo.chance.choices(approved, weights, k=demo.chance.randint(0, 3))
            for note_id in dict.fromkeys(picked):
                if posted[note_id][0] != pid:
                    demo.act(pid, "upvote", activity=spec.id, note=note_id)
        if spec.results == "reveal":
            demo.fac("reveal", activity=spec.id)
        for position, note_id in enumerate(approved[:3]):
            demo.fac("highlight", activity=spec.id, note=note_id)
            answer = ANSWERS.get(position, "")
            demo.fac("mark_answered", activity=spec.id, note=note_id, answer=answer)


KIND = Qa()
