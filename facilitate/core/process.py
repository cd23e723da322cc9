"""A citizen-promise process: the meetings of its steps and its follow-up items. Pure.

A process (medborgarlöfte, say "Medborgarlöfte Torget 2027") runs through steps, each with its
meetings: employee dialogue WHAT (medarbetardialog VAD), citizen dialogues (medborgardialog,
folkemøte), the joint situation picture and focus areas (lägesbild, fokusområden), problem
analysis (problemanalys), employee dialogue HOW (medarbetardialog HUR), and follow-up
(uppföljning). After the promise is signed, its activities are followed up as items with a
status and dated updates, which a public page shows (återkoppling).

Like a meeting, a process is an append-only log of events folded into a state: `handle()`
decides (or raises CommandError) and applies, `Process.replay(events)` rebuilds it. Times come
in with the commands; this module reads no clock and touches no store. That a meeting is in at
most one process is a rule across logs: `joinable()` checks it against what the store says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from facilitate.core.errors import CommandError
from facilitate.core.events import Command, Event
from facilitate.core.text import UI_LANGUAGES
from facilitate.core.writing import blank, clean_text, fits


def N_(message: str) -> str:
    """Marks a text for the catalogs (`make catalogs`); it is translated where it is shown."""
    return message


# The steps of the Swedish citizen-promise method (seed 004), in order, with their names.
STEP_LABELS = {
    "vad": N_("Employee dialogue: WHAT"),  # medarbetardialog VAD
    "dialogue": N_("Citizen dialogue"),  # medborgardialog, folkemøte
    "situation": N_("Joint situation picture and focus areas"),  # lägesbild, fokusområden
    "analysis": N_("Problem description and cause analysis"),  # problemanalys
    "hur": N_("Employee dialogue: HOW"),  # medarbetardialog HUR
    "followup": N_("Follow-up and feedback"),  # uppföljning, återkoppling
}
STEPS = tuple(STEP_LABELS)
STATUS_LABELS = {
    "planned": N_("Planned"),
    "under_way": N_("Under way"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
STATUSES = tuple(STATUS_LABELS)
MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MAX_ITEM_TITLE = 200
MAX_NOTE = 2000
MAX_ITEMS = 200
MAX_MEETINGS = 100
ORGANISER = "organiser"
EVENT_TYPES = (
    "process_created",
    "meeting_joined",
    "step_changed",
    "followup_added",
    "followup_updated",
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a process's fields: which field, why, and a stable code."""

    field: str
    message: str
    code: str


class ProcessError(ValueError):
    """The fields of a new process have problems; each is located."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass
class Member:
    """A meeting in the process, at one step."""

    meeting: str
    step: str
    # When the meeting was created: a code freed by deleting a meeting may be drawn again,
    # and a new meeting under that code is not this one.
    created: float | None = None


@dataclass(frozen=True)
class Update:
    """A dated note on a follow-up item: what was done, what changed."""

    at: float
    text: str
    status: str


@dataclass
class Item:
    """A follow-up item: one activity of the promise, with its status and updates."""

    id: str
    title: str
    status: str
    added_at: float
    source: str | None = None  # the meeting it was imported from, if any
    updates: list[Update] = field(default_factory=list)


def _text(
    value: Any, limit: int, name: str, *, required: bool = True, multiline: bool = False
) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise CommandError("bad_message", f"{name} must be text", field=name)
    text = clean_text(value, multiline=multiline)
    if blank(text):
        if required:
            raise CommandError("empty_text", f"write the {name} first", field=name)
        return ""
    if not fits(text, limit):
        raise CommandError(
            "too_long_text", f"the {name} holds at most {limit} characters", limit=limit, field=name
        )
    return text


def check_step(value: Any) -> str:
    if value not in STEPS:
        raise CommandError("unknown_step", f"step is one of {', '.join(STEPS)}", field="step")
    return str(value)


def check_status(value: Any) -> str:
    if value not in STATUSES:
        raise CommandError(
            "unknown_status", f"status is one of {', '.join(STATUSES)}", field="status"
        )
    return str(value)


class Process:
    """One process: its title and language, its meetings by step, its follow-up items."""

    def __init__(
        self, id: str, title: str, language: str, description: str, created_at: float
    ) -> None:
        self.id = id
        self.title = title
        self.language = language
        self.description = description
        self.created_at = created_at
        self.members: dict[str, Member] = {}  # meeting code -> member, in the order they joined
        self.items: dict[str, Item] = {}
        self.next_item = 1
        self.version = 0

    # -- creation and replay -------------------------------------------------------------

    @staticmethod
    def created(id: str, data: Mapping[str, Any], at: float) -> Event:
        """The first event of a process's log, from the organiser's fields.

        Raises:
            ProcessError: a field is missing or wrong; every problem is named.
        """
        problems: list[Problem] = []
        fields: dict[str, str] = {}
        for name, limit, required, multiline in (
            ("title", MAX_TITLE, True, False),
            ("description", MAX_DESCRIPTION, False, True),
        ):
            try:
                fields[name] = _text(
                    data.get(name), limit, name, required=required, multiline=multiline
                )
            except CommandError as exc:
                problems.append(Problem(name, exc.message, exc.code))
        language = data.get("language")
        if language not in UI_LANGUAGES:
            problems.append(
                Problem(
                    "language", f"language is one of {', '.join(UI_LANGUAGES)}", "unknown_language"
                )
            )
        unknown = sorted(set(data) - {"title", "description", "language"})
        problems += [Problem(name, "this field is not known", "unknown_field") for name in unknown]
        if problems:
            raise ProcessError(problems)
        return Event("process_created", {"id": id, "language": language, **fields}, ORGANISER, at)

    @classmethod
    def replay(cls, events: Iterable[Event]) -> Process:
        """Rebuild a process from its log, which starts with `process_created`."""
        iterator = iter(events)
        first = next(iterator)
        if first.type != "process_created":
            raise ValueError("a process's log starts with process_created")
        data = first.data
        process = cls(data["id"], data["title"], data["language"], data["description"], first.at)
        for event in iterator:
            process.apply(event)
        return process

    # -- deciding ------------------------------------------------------------------------

    def handle(self, command: Command, at: float) -> list[Event]:
        """Check an organiser's command and return (and apply) the events it causes; nothing
        when it changes nothing (joining again at the same step, the same status again).

        Raises:
            CommandError: the command breaks a rule; the process is then unchanged.
        """
        decide = {
            "join": self._join,
            "move": self._move,
            "add_item": self._add_item,
            "update_item": self._update_item,
        }.get(command.type)
        if decide is None:
            raise CommandError("unknown_command", f"unknown command {command.type!r}")
        events = [Event(t, d, ORGANISER, at) for t, d in decide(command.data)]
        for event in events:
            self.apply(event)
        return events

    def _join(self, data: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        meeting, step = data.get("meeting"), check_step(data.get("step"))
        if not isinstance(meeting, str) or not meeting:
            raise CommandError("bad_message", "meeting is a meeting's code", field="meeting")
        created = data.get("created")
        if created is not None and not isinstance(created, int | float):
            raise CommandError("bad_message", "created is a time", field="created")
        member = self.members.get(meeting)
        if member is not None and member.created == created:  # again: idempotent, or a step
            if member.step == step:
                return []
            return [("step_changed", {"meeting": meeting, "step": step})]
        if member is None and len(self.members) >= MAX_MEETINGS:
            raise CommandError(
                "too_many_meetings", f"a process holds at most {MAX_MEETINGS} meetings"
            )
        return [("meeting_joined", {"meeting": meeting, "step": step, "created": created})]

    def _move(self, data: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        meeting, step = data.get("meeting"), check_step(data.get("step"))
        member = self.members.get(meeting) if isinstance(meeting, str) else None
        if member is None:
            raise CommandError("not_in_process", "that meeting is not in this process")
        return [] if member.step == step else [("step_changed", {"meeting": meeting, "step": step})]

    def _add_item(self, data: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        title = _text(data.get("title"), MAX_ITEM_TITLE, "title")
        status = check_status(data.get("status", "planned"))
        source = data.get("source")
        if source is not None and source not in self.members:
            raise CommandError("not_in_process", "that meeting is not in this process")
        if len(self.items) >= MAX_ITEMS:
            raise CommandError("too_many_items", f"a process holds at most {MAX_ITEMS} items")
        note = _text(data.get("note"), MAX_NOTE, "note", required=False, multiline=True)
        item = {"item": f"f{self.next_item}", "title": title, "status": status, "source": source}
        return [("followup_added", {**item, "note": note})]

    def _update_item(self, data: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        item_id = data.get("item")
        item = self.items.get(item_id) if isinstance(item_id, str) else None
        if item is None:
            raise CommandError("unknown_entry", f"no follow-up item {str(item_id)[:20]!r}")
        status = check_status(data.get("status", item.status))
        title = _text(data.get("title", item.title), MAX_ITEM_TITLE, "title")
        note = _text(data.get("note"), MAX_NOTE, "note", required=False, multiline=True)
        if status == item.status and title == item.title and not note:
            return []
        change: dict[str, Any] = {"item": item.id, "status": status, "note": note}
        if title != item.title:
            change["title"] = title
        return [("followup_updated", change)]

    # -- applying ------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Fold one event into the state. Events are facts: applying never refuses."""
        self.version += 1
        data = event.data
        match event.type:
            case "meeting_joined":
                self.members[data["meeting"]] = Member(
                    data["meeting"], data["step"], data.get("created")
                )
            case "step_changed":
                self.members[data["meeting"]].step = data["step"]
            case "followup_added":
                item = Item(data["item"], data["title"], data["status"], event.at, data["source"])
                if data["note"]:
                    item.updates.append(Update(event.at, data["note"], data["status"]))
                self.items[item.id] = item
                self.next_item = max(self.next_item, int(data["item"][1:]) + 1)
            case "followup_updated":
                item = self.items[data["item"]]
                item.status = data["status"]
                item.title = data.get("title", item.title)
                if data["note"]:
                    item.updates.append(Update(event.at, data["note"], data["status"]))
            case _:
                raise ValueError(f"cannot apply event {event.type!r}")

    # -- reading -------------------------------------------------------------------------

    def by_step(self) -> dict[str, list[Member]]:
        """Every step, in order, with its meetings in the order they joined."""
        steps: dict[str, list[Member]] = {step: [] for step in STEPS}
        for member in self.members.values():
            steps[member.step].append(member)
        return steps

    def imported(self, source: str, title: str) -> bool:
        """True when an item with this title came from this meeting already."""
        return any(i.source == source and i.title == title for i in self.items.values())


def joinable(process_id: str, meeting: str, owner: str | None) -> None:
    """A meeting is in at most one process: `owner` is the process it is in now, if any.

    Raises:
        CommandError: it is in another process.
    """
    if owner is not None and owner != process_id:
        raise CommandError("in_another_process", "that meeting is already in another process")
