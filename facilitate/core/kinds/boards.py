"""What every kind with sticky notes shares: posting, moderating and showing notes. Pure.

The mechanics are in facilitate.core.board (hiding, merging, who may read a note); this module
makes them a kind's commands, events and views. A kind built on `BoardKind` adds what its notes
carry beyond their text (`note_fields`) and its own commands and views.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.core import board, dots, personal, writing
from facilitate.core.activity import ActivityState, Note
from facilitate.core.blocks import Context, Input, Inputs, Moderation, Noun, marked, safe
from facilitate.core.errors import CommandError
from facilitate.core.kinds.base import (
    ACTIVITY,
    Commands,
    Decided,
    Fields,
    Form,
    Ids,
    Kind,
    ManyIds,
    Settings,
)
from facilitate.core.kinds.forms import first, whole

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import Reader

# No one reads thousands of notes off a wall: the projector shows the newest, the console the
# newest to moderate, and every view stays cheap to render in a packed hall.
WALL_NOTES = 150
CONSOLE_NOTES = 400
_NOTE: Fields = {
    **ACTIVITY,
    "text": ((str,), True),
    "column": ((int, None), False),
    "kind": ((str, None), False),  # a pain/joy note's side, by its wire name
    "side": ((str, None), False),  # the same, by its own name
}
_ONE_NOTE: Fields = {**ACTIVITY, "note": ((str,), True)}


@dataclass(frozen=True)
class BoardSettings(Settings):
    max_length: int = 280
    # Notes that look personal (a phone number, an address, a name: core/personal.py) wait in
    # the console until the facilitator releases or hides them.
    hold_personal: bool = True


def read_board(reader: Reader, item: Mapping[str, Any], index: int) -> dict[str, Any]:
    """The fields every board takes, as keyword arguments for its settings."""
    return {
        "max_length": reader.integer(item, "max_length", 280, 20, 1000, index),
        "hold_personal": reader.flag(item, "hold_personal", index, default=True),
    }


# -- deciding ---------------------------------------------------------------------------------


def _note(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    kind = state.kind
    assert isinstance(kind, BoardKind), "notes are posted on a board"
    extra = kind.note_fields(state, data)
    text = board.check_note(state, data["text"])
    payload: dict[str, Any] = {"activity": state.spec.id, "note": f"n{meeting.next_note}"}
    payload["text"] = text
    payload.update(extra)
    held = kind.hold(state, text)
    if held:
        payload["held"] = held
    return [("note_posted", payload)]


SHOWN_OR_HELD = ("visible", "held")  # a hidden note's text stays the console's


def _paper(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    """A note from a post-it, typed in by the helper: a note like the phones', marked as paper
    (held for review like theirs when it looks personal), whether input is open or not."""
    ((event, payload),) = _note(meeting, state, data, actor)
    return [(event, {**payload, "channel": "paper"})]


def _reason(data: dict[str, Any]) -> str:
    return writing.truncate(writing.clean_text(data.get("reason", "")), board.MAX_REASON)


def _hide(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    note = board.find(state, data["note"])
    if note.status == "hidden":
        raise CommandError("not_visible", "this note is hidden already")
    reason = _reason(data)
    return [("note_hidden", {"activity": state.spec.id, "note": note.id, "reason": reason})]


def _hide_many(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    """Hide many notes with one reason: those listed, those posted in the last `since`
    seconds, or every held one. Notes already hidden are left as they are."""
    chosen = board.select(
        state, data.get("notes"), data.get("since"), data.get("held"), meeting.now
    )
    reason = _reason(data)
    return [
        ("note_hidden", {"activity": state.spec.id, "note": note.id, "reason": reason})
        for note in chosen
    ]


def _release(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    note = board.find(state, data["note"])
    if note.status != "held":
        raise CommandError("not_held", "only a note waiting for review can be released")
    return [("note_released", {"activity": state.spec.id, "note": note.id})]


def _restore(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    note = board.find(state, data["note"])
    if note.status != "hidden":
        raise CommandError("not_hidden", "only a hidden note can be shown again")
    return [("note_restored", {"activity": state.spec.id, "note": note.id})]


def _merge(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    sources = board.check_merge(state, data["into"], data["notes"])
    return [("notes_merged", {"activity": state.spec.id, "into": data["into"], "notes": sources})]


def _pause(want: bool) -> Any:
    def decide(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
        if state.paused == want:
            return []
        return [("notes_paused" if want else "notes_resumed", {"activity": state.spec.id})]

    return decide


# -- applying ---------------------------------------------------------------------------------


def _posted(meeting: Meeting, state: ActivityState, event: Event) -> None:
    data = event.data
    held = data.get("held")
    note_id = data["note"]
    side = data.get("side")
    state.add_note(
        Note(
            status="held" if held else "visible",
            held=held,
            id=note_id,
            author=event.actor,
            text=data["text"],
            at=event.at,
            column=data.get("column"),
            side=data.get("kind") if side is None else side,  # `kind` in logs before 2026-12
            channel=data.get("channel", "phone"),
        )
    )
    number = int(note_id[1:]) + 1
    if number > meeting.next_note:
        meeting.next_note = number


def _hidden(meeting: Meeting, state: ActivityState, event: Event) -> None:
    board.apply_hide(state, event.data["note"], event.data.get("reason", ""))
    dots.withdraw(state, event.data["note"], event.at)


def _restored(meeting: Meeting, state: ActivityState, event: Event) -> None:
    state.set_status(state.notes[event.data["note"]], "visible")
    dots.give_back(state, event.data["note"], event.at)


def _merged(meeting: Meeting, state: ActivityState, event: Event) -> None:
    moved = board.apply_merge(state, event.data["into"], event.data["notes"])
    dots.merge(state, event.data["into"], moved, event.at)


def _released(meeting: Meeting, state: ActivityState, event: Event) -> None:
    state.set_status(state.notes[event.data["note"]], "visible")


def _paused(want: bool) -> Any:
    def apply(meeting: Meeting, state: ActivityState, event: Event) -> None:
        state.paused = want

    return apply


# -- views ------------------------------------------------------------------------------------


def public_note(state: ActivityState, note: Note) -> dict[str, Any]:
    """A note as everyone may see it. Its side goes out as `kind`, the live protocol's name."""
    item: dict[str, Any] = {
        "id": note.id,
        "text": note.text,
        "merged": len(board.children(state, note.id)),
    }
    if note.column is not None:
        item["column"] = note.column
    if note.side is not None:
        item["kind"] = note.side
    if note.channel == "paper":  # the console marks it; a form's note is a phone's like any
        item["channel"] = note.channel
    return item


def own_note(state: ActivityState, note: Note) -> dict[str, Any]:
    """A participant's own note as their phone lists it: held or hidden ones with why, so
    moderation is never silent to the person it touches."""
    item = {**public_note(state, note), "status": note.status}
    if note.status == "hidden":
        item["reason"] = note.reason
    elif note.status == "held":
        item["held"] = note.held
    return item


def wall(state: ActivityState) -> dict[str, Any]:
    """The newest notes a projector can show; the rest are counted (all are in the record)."""
    shown = board.newest(state, WALL_NOTES, "visible")
    return {
        "notes": [public_note(state, n) for n in shown],
        "more_notes": state.statuses["visible"] - len(shown),
    }


def _notes_record(state: ActivityState) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The notes everyone may read, and the moderation section: the notes whose text only the
    facilitator may read (hidden, or merged into a hidden note), with the reasons given."""
    from facilitate.core.record import iso  # the record's one way to write a time

    totals = dots.totals(state)
    public: list[dict[str, Any]] = []
    withheld: list[dict[str, Any]] = []
    for note in state.notes.values():
        item: dict[str, Any] = {
            "id": note.id,
            "text": note.text,
            "posted_at": iso(note.at),
            "column": note.column,
            "side": note.side,
            "status": note.status,
            "merged_into": note.merged_into,
            "merged": [child.id for child in board.children(state, note.id)],
            "held": note.held,
        }
        if note.channel != "phone":  # how it came, where not from a live phone: paper, form
            item["channel"] = note.channel
        if board.is_public(state, note):
            public.append({**item, "dots": totals.get(note.id, 0)})
        else:
            item["reason"] = note.reason if note.status == "hidden" else None
            item["dots_withdrawn"] = sum(state.withdrawn.get(note.id, {}).values())
            withheld.append(item)
    return public, withheld


# -- minutes ----------------------------------------------------------------------------------


def withheld(activity: dict[str, Any], w: dict[str, str], noun: Noun = "note") -> Moderation:
    """An activity's moderation in numbers, from the record's moderation section: the notes
    (or questions: `noun`) hidden with the reasons given, and those held for review. Never a
    withheld text."""
    hidden = [n for n in activity.get("moderation", []) if n["status"] == "hidden"]
    reasons: dict[str, int] = {}
    for note in hidden:
        reason = safe(note.get("reason") or "").strip() or w["no_reason"]
        reasons[reason] = reasons.get(reason, 0) + 1
    return Moderation(
        hidden=activity.get("hidden", len(hidden)),
        reasons=tuple(reasons.items()),
        held=activity.get("held", 0),
        released=activity.get("released", 0),
        noun=noun,
    )


def note_text(note: dict[str, Any], w: dict[str, str]) -> str:
    """A note's text as the minutes give it: marked "(paper)" when the helper typed it in,
    "(form)" when a phone posted it through the plain forms (blocks.marked)."""
    return marked(note, w)


def merged_texts(note: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    """The texts of the notes merged into this one (the record's notes are the public ones)."""
    return tuple(
        safe(by_id[child]["text"])
        for child in note.get("merged", [])
        if child in by_id and by_id[child]["status"] == "merged"
    )


def inputs(activity: dict[str, Any], context: Context, dots: bool) -> Inputs:
    """Every note as posted, in order; a withheld note (its text is only in the record's
    moderation section) keeps its row, status and reason, but not its text."""
    w = context.words
    columns = [context.text(c) for c in activity.get("columns") or []]
    status = {
        "visible": w["status_visible"],
        "merged": w["status_merged"],
        "hidden": w["status_hidden"],
    }
    kinds = {None: w["note"], "pain": w["pain_one"], "joy": w["joy_one"]}
    public = [(n, True) for n in activity.get("notes", [])]
    kept_back = [(n, False) for n in activity.get("moderation", [])]

    def order(pair: tuple[dict[str, Any], bool]) -> int:
        number = pair[0]["id"][1:]
        return int(number) if number.isdigit() else 0

    rows = []
    for n, shown in sorted(public + kept_back, key=order):
        column = n.get("column")
        rows.append(
            Input(
                at=context.at(n.get("posted_at")),
                kind=kinds.get(n.get("side"), safe(n.get("side"))),
                column=columns[column]
                if isinstance(column, int) and 0 <= column < len(columns)
                else "",
                text=note_text(n, context.words) if shown else "",
                dots=n.get("dots", 0) if dots else None,
                status=status.get(n["status"], safe(n["status"])),
                note=safe(n["id"]),
                merged_into=safe(n.get("merged_into") or ""),
                reason=safe(n.get("reason") or "") if n["status"] == "hidden" else "",
            )
        )
    return Inputs(tuple(rows))


class BoardKind(Kind):
    """A kind whose phones post sticky notes that the facilitator moderates."""

    fields = frozenset({"max_length", "hold_personal"})
    messages = {
        "note": _NOTE,
        "paper_note": _NOTE,
        "hide": {**_ONE_NOTE, "reason": ((str,), False)},
        "restore": _ONE_NOTE,
        "hide_many": {
            **ACTIVITY,
            "notes": ((ManyIds,), False),
            "since": ((int, float), False),
            "held": ((bool,), False),
            "reason": ((str,), False),
        },
        "release": _ONE_NOTE,
        "pause": ACTIVITY,
        "resume": ACTIVITY,
        "merge": {**ACTIVITY, "into": ((str,), True), "notes": ((Ids,), True)},
    }
    participant = {"note": _note}
    helper = {"paper_note": _paper}
    facilitator = {
        "hide": _hide,
        "hide_many": _hide_many,
        "restore": _restore,
        "release": _release,
        "merge": _merge,
        "pause": _pause(True),
        "resume": _pause(False),
    }
    appliers = {
        "note_posted": _posted,
        "note_hidden": _hidden,
        "note_restored": _restored,
        "notes_merged": _merged,
        "note_released": _released,
        "notes_paused": _paused(True),
        "notes_resumed": _paused(False),
    }
    input_events = frozenset({"note_posted"})
    events_for_people = frozenset({"note_hidden", "note_restored", "notes_merged", "note_released"})

    def note_fields(self, state: ActivityState, data: dict[str, Any]) -> dict[str, Any]:
        """What a new note carries beyond its text (a column, a side), checked."""
        return {}

    def helper_view(self, state: ActivityState) -> dict[str, Any]:
        """The paper notes typed in so far, newest last (moderated as any note)."""
        paper = [
            n for n in state.notes.values() if n.channel == "paper" and n.status in SHOWN_OR_HELD
        ]
        return {"paper": [{"id": n.id, "text": n.text, "status": n.status} for n in paper[-20:]]}

    def hold(self, state: ActivityState, text: str) -> str | None:
        """Why a new note waits for the facilitator (None: it goes up at once): the wall is
        paused, or it looks personal (a reason code of core/personal.py)."""
        if state.paused:
            return "paused"
        return personal.reason(text) if state.spec.settings.hold_personal else None

    def head(self, state: ActivityState) -> dict[str, Any]:
        return {"max_length": state.spec.settings.max_length}

    def screen(self, state: ActivityState) -> dict[str, Any]:
        return wall(state) if state.show_results else {}

    def console(self, state: ActivityState) -> dict[str, Any]:
        totals = dots.totals(state)
        return {
            "paused": state.paused,
            "held": state.statuses["held"],
            "notes": [
                {
                    **public_note(state, note),
                    "status": note.status,
                    "reason": note.reason,
                    "held": note.held,
                    "merged_into": note.merged_into,
                    "dots": totals.get(note.id, 0),
                }
                for note in board.newest(state, CONSOLE_NOTES)
            ],
            "total_notes": len(state.notes),
        }

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        authored = state.authored.get(pid) if notes else None
        if not authored:
            return {}
        return {"notes": [own_note(state, state.notes[note_id]) for note_id in authored]}

    def affected(self, state: ActivityState, event_type: str, data: dict[str, Any]) -> set[str]:
        if event_type not in self.events_for_people:
            return set()
        notes = {data.get("note"), data.get("into"), *data.get("notes", [])}
        people = {state.notes[n].author for n in notes if n in state.notes}
        people.update(pid for pid, mine in state.dots.items() if notes & mine.keys())
        people.update(pid for pid, notice in state.returned.items() if notice["note"] in notes)
        return people

    def record(self, state: ActivityState) -> dict[str, Any]:
        public, withheld = _notes_record(state)
        return {
            "notes": public,
            "moderation": withheld,
            "hidden": state.statuses["hidden"],
            "held": sum(1 for n in state.notes.values() if n.held),
            "released": sum(
                1 for n in state.notes.values() if n.held and n.status in ("visible", "merged")
            ),
        }

    def public(self, entry: dict[str, Any]) -> dict[str, Any]:
        """The visible notes only, without who did what: the record's notes are the public
        ones already (see _notes_record), minus their moderation fields."""
        item = {k: v for k, v in entry.items() if k not in ("notes", "hidden", "moderation")}
        item["notes"] = [
            {
                "id": n["id"],
                "text": n["text"],
                "column": n["column"],
                "side": n["side"],
                "dots": n["dots"],
                "merged": n["merged"],
            }
            for n in entry["notes"]
            if n["status"] == "visible"
        ]
        return item

    def note_from_form(self, state: ActivityState, form: Form) -> Commands:
        """A note as the plain form posts it: its `text`, and its `column` (a column's number)
        or `side` where the board has them; the kind checks them as it checks the live page's."""
        data: dict[str, Any] = {"activity": state.spec.id, "text": first(form, "text")}
        if "column" in form:
            data["column"] = whole(first(form, "column"))
        if "side" in form:
            data["side"] = first(form, "side")
        return [("note", data)]

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        return self.note_from_form(state, form)

    def posted(self, demo_events: list[Event]) -> list[str]:
        """The ids of the notes some demo input posted."""
        return [e.data["note"] for e in demo_events if e.type == "note_posted"]
