"""A meeting: takes commands from actors and returns events; applying events rebuilds it. Pure.

`handle()` decides (checks every rule, raises CommandError) and then applies what it decided, so
the in-memory state is always the fold of the log. `Meeting.replay(events)` rebuilds a meeting
after a restart exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from facilitate.core import board, dots, personal, poll, report, writing
from facilitate.core.activity import PHASES, ActivityState, Note
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, SYSTEM, Command, Event
from facilitate.core.plan import Plan, plan_from_dict

_Decided = list[tuple[str, dict[str, Any]]]

PARTICIPANT_COMMANDS = ("vote", "note", "dot")
FACILITATOR_COMMANDS = (
    "details",
    "add_item",
    "remove_item",
    "publish",
    "unpublish",
    "follow_up",
    "remove_follow_up",
    "end",
    "goto",
    "open",
    "close",
    "reveal",
    "conceal",
    "phase",
    "hide",
    "hide_many",
    "restore",
    "release",
    "merge",
    "pause",
    "resume",
    "rules",
)
INPUT_EVENTS = frozenset({"vote_cast", "note_posted", "dot_placed"})  # a phone took part
MAX_RULES = 2000  # characters of the meeting's moderation rules


class Meeting:
    """One live run of a plan."""

    def __init__(self, code: str, plan: Plan, created_at: float = 0.0) -> None:
        self.code = code
        self.plan = plan
        self.created_at = created_at
        self.current: str | None = None  # None: the lobby, where the screen shows how to join
        self.activities = {spec.id: ActivityState(spec) for spec in plan.activities}
        self.participants: dict[str, float] = {}  # anonymous id -> when first seen
        # Who gave any input (a vote, a note, a dot): a phone that only opened the page, or an
        # identity made up by a script, is not counted as taking part.
        self.contributors: set[str] = set()
        self.next_note = 1
        self.next_entry = 1  # ids of decisions, questions, next steps and follow-ups
        self.report = report.Report()
        self.ended_at: float | None = None
        self.version = 0  # bumps with every applied event: "has anything changed?"
        self.rules = ""  # the meeting's moderation rules for the phones; "" for the default
        self._now = created_at  # when the command being decided came (set by handle; not state)

    # -- creation and replay -------------------------------------------------------------

    @staticmethod
    def created(code: str, plan: Plan, at: float) -> Event:
        """The first event of every meeting's log."""
        return Event("meeting_created", {"code": code, "plan": plan.to_dict()}, SYSTEM, at)

    @classmethod
    def replay(cls, events: Iterable[Event]) -> Meeting:
        """Rebuild a meeting from its log, which starts with `meeting_created`."""
        iterator = iter(events)
        first = next(iterator)
        if first.type != "meeting_created":
            raise ValueError("a meeting's log starts with meeting_created")
        meeting = cls(first.data["code"], plan_from_dict(first.data["plan"]), first.at)
        for event in iterator:
            meeting.apply(event)
        return meeting

    # -- deciding ------------------------------------------------------------------------

    def join(self, pid: str, at: float) -> list[Event]:
        """A participant's first arrival is recorded once; later arrivals record nothing."""
        if pid in self.participants:
            return []
        return self._commit([Event("participant_joined", {}, pid, at)])

    def handle(self, command: Command, actor: str, at: float, present: int = 0) -> list[Event]:
        """Check a command against every rule and return (and apply) the events it causes.

        `actor` is FACILITATOR or a participant's anonymous id; `present` is how many phones
        are connected, kept with openings and closings for the record.

        Raises:
            CommandError: when the command breaks a rule; the meeting is then unchanged.
        """
        if command.type in FACILITATOR_COMMANDS:
            if actor != FACILITATOR:
                raise CommandError("forbidden", "only the facilitator can do that")
            decide = self._facilitator[command.type]
        elif command.type in PARTICIPANT_COMMANDS:
            if actor in (FACILITATOR, SYSTEM):
                raise CommandError("forbidden", "participants' input comes from their phones")
            decide = self._participant[command.type]
        else:
            raise CommandError("unknown_command", f"unknown command {command.type!r}")
        self._now = at
        decided = decide(self, command.data, actor, present)
        return self._commit([Event(t, d, actor, at) for t, d in decided])

    def _commit(self, events: list[Event]) -> list[Event]:
        for event in events:
            self.apply(event)
        return events

    def activity(self, activity_id: Any) -> ActivityState:
        """The activity with this id, or a CommandError."""
        state = self.activities.get(activity_id) if isinstance(activity_id, str) else None
        if state is None:
            raise CommandError("unknown_activity", f"no activity {activity_id!r} in this meeting")
        return state

    def _open_for_input(self, data: dict[str, Any]) -> ActivityState:
        state = self.activity(data.get("activity"))
        if not state.accepts_input:
            raise CommandError("no_input", "this slide takes no input")
        if not state.open:
            raise CommandError("closed", "input is closed for this activity")
        return state

    def _vote(self, data: dict[str, Any], pid: str, present: int) -> _Decided:
        state = self._open_for_input(data)
        if state.spec.kind != "poll":
            raise CommandError("wrong_kind", "this activity is not a poll")
        choices = poll.check_vote(state.spec, data["choices"])
        if state.votes.get(pid, ()) == choices:
            return []  # the same vote again changes nothing
        return [("vote_cast", {"activity": state.spec.id, "choices": list(choices)})]

    def _note(self, data: dict[str, Any], pid: str, present: int) -> _Decided:
        state = self._open_for_input(data)
        if state.spec.kind not in ("notes", "painjoy"):
            raise CommandError("wrong_kind", "this activity takes no notes")
        side = data.get("side", data.get("kind"))  # the wire calls a note's side `kind`
        text = board.check_note(state, data["text"], data.get("column"), side)
        payload: dict[str, Any] = {
            "activity": state.spec.id,
            "note": f"n{self.next_note}",
            "text": text,
        }
        if state.spec.kind == "notes" and state.spec.columns:
            payload["column"] = data["column"]
        if state.spec.kind == "painjoy":
            payload["side"] = side
        held = self._held(state, text)
        if held:
            payload["held"] = held
        return [("note_posted", payload)]

    @staticmethod
    def _held(state: ActivityState, text: str) -> str | None:
        """Why a new note waits for the facilitator: the wall is paused, or it looks personal."""
        if state.paused:
            return "paused"
        return personal.reason(text) if state.spec.hold_personal else None

    def _dot(self, data: dict[str, Any], pid: str, present: int) -> _Decided:
        state = self._open_for_input(data)
        if state.spec.kind != "painjoy":
            raise CommandError("wrong_kind", "dots go on pain and joy points")
        delta = data["delta"]
        dots.check_dot(state, pid, data["note"], delta)
        kind = "dot_placed" if delta > 0 else "dot_removed"
        return [(kind, {"activity": state.spec.id, "note": data["note"]})]

    def _goto(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        target = data.get("activity")
        if target is None:
            return [("activity_shown", {"activity": None, "present": present})]
        state = self.activity(target)
        events: list[tuple[str, dict[str, Any]]] = [
            ("activity_shown", {"activity": state.spec.id, "present": present})
        ]
        # A nervous facilitator expects input to work the moment an activity is shown; only an
        # activity never opened before opens by itself, so a closed poll stays closed.
        if state.accepts_input and not state.timeline.opened:
            events.append(("input_opened", {"activity": state.spec.id, "present": present}))
        return events

    def _toggle(
        self, data: dict[str, Any], present: int, *, attribute: str, want: bool, event: str
    ) -> _Decided:
        state = self.activity(data.get("activity"))
        if attribute == "open" and not state.accepts_input:
            raise CommandError("no_input", "this slide takes no input")
        if getattr(state, attribute) == want:
            return []
        payload: dict[str, Any] = {"activity": state.spec.id}
        if attribute == "open":
            payload["present"] = present
        return [(event, payload)]

    def _phase(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        state = self.activity(data.get("activity"))
        if state.spec.kind != "painjoy":
            raise CommandError("wrong_kind", "only pain/joy points have phases")
        if data.get("phase") not in PHASES:
            raise CommandError("bad_phase", f"phase must be one of {', '.join(PHASES)}")
        if state.phase == data["phase"]:
            return []
        return [("phase_changed", {"activity": state.spec.id, "phase": data["phase"]})]

    def _hide(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        state = self.activity(data.get("activity"))
        note = board.find(state, data["note"])
        if note.status == "hidden":
            raise CommandError("not_visible", "this note is hidden already")
        reason = self._reason(data)
        return [("note_hidden", {"activity": state.spec.id, "note": note.id, "reason": reason})]

    @staticmethod
    def _reason(data: dict[str, Any]) -> str:
        return writing.truncate(writing.clean_text(data.get("reason", "")), board.MAX_REASON)

    def _hide_many(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        """Hide many notes with one reason: those listed, those posted in the last `since`
        seconds, or every held one. Notes already hidden are left as they are."""
        state = self.activity(data.get("activity"))
        chosen = board.select(
            state, data.get("notes"), data.get("since"), data.get("held"), self._now
        )
        reason = self._reason(data)
        return [
            ("note_hidden", {"activity": state.spec.id, "note": note.id, "reason": reason})
            for note in chosen
        ]

    def _release(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        state = self.activity(data.get("activity"))
        note = board.find(state, data["note"])
        if note.status != "held":
            raise CommandError("not_held", "only a note waiting for review can be released")
        return [("note_released", {"activity": state.spec.id, "note": note.id})]

    def _pause(self, data: dict[str, Any], actor: str, present: int, *, want: bool) -> _Decided:
        state = self.activity(data.get("activity"))
        if state.spec.kind not in board.BOARD_KINDS:
            raise CommandError("wrong_kind", "only notes can be paused")
        if state.paused == want:
            return []
        return [("notes_paused" if want else "notes_resumed", {"activity": state.spec.id})]

    def _rules(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        text = data.get("text")
        cleaned = writing.clean_text(text) if isinstance(text, str) else ""
        if not writing.fits(cleaned, MAX_RULES):
            raise CommandError("too_long_text", f"at most {MAX_RULES} characters", limit=MAX_RULES)
        if writing.blank(cleaned):
            cleaned = ""
        return [] if cleaned == self.rules else [("rules_set", {"text": cleaned})]

    def _restore(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        state = self.activity(data.get("activity"))
        note = board.find(state, data["note"])
        if note.status != "hidden":
            raise CommandError("not_hidden", "only a hidden note can be shown again")
        return [("note_restored", {"activity": state.spec.id, "note": note.id})]

    def _merge(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        state = self.activity(data.get("activity"))
        sources = board.check_merge(state, data["into"], data["notes"])
        return [
            ("notes_merged", {"activity": state.spec.id, "into": data["into"], "notes": sources})
        ]

    def _details(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        return [("details_set", report.decide_details(data))]

    def _add_item(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        return [("item_added", report.decide_item(data, f"e{self.next_entry}"))]

    def _remove_item(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        entry = report.find(self.report.items, data["item"])
        return [("item_removed", {"item": entry.id})]

    def _follow_up(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        return [("followup_posted", report.decide_followup(data, f"e{self.next_entry}"))]

    def _remove_follow_up(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        entry = report.find(self.report.followups, data["followup"])
        return [("followup_removed", {"followup": entry.id})]

    def _flag(self, attribute: str, want: bool, event: str) -> _Decided:
        return [] if getattr(self.report, attribute) == want else [(event, {})]

    def _end(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        return [] if self.report.ended else [("meeting_ended", {"present": present})]

    _participant: dict[str, Callable[..., _Decided]] = {
        "vote": _vote,
        "note": _note,
        "dot": _dot,
    }
    _facilitator: dict[str, Callable[..., _Decided]] = {
        "details": _details,
        "add_item": _add_item,
        "remove_item": _remove_item,
        "follow_up": _follow_up,
        "remove_follow_up": _remove_follow_up,
        "publish": lambda self, d, a, p: self._flag("published", True, "results_published"),
        "unpublish": lambda self, d, a, p: self._flag("published", False, "results_unpublished"),
        "end": _end,
        "goto": _goto,
        "open": lambda self, d, a, p: self._toggle(
            d, p, attribute="open", want=True, event="input_opened"
        ),
        "close": lambda self, d, a, p: self._toggle(
            d, p, attribute="open", want=False, event="input_closed"
        ),
        "reveal": lambda self, d, a, p: self._toggle(
            d, p, attribute="show_results", want=True, event="results_revealed"
        ),
        "conceal": lambda self, d, a, p: self._toggle(
            d, p, attribute="show_results", want=False, event="results_concealed"
        ),
        "phase": _phase,
        "hide": _hide,
        "hide_many": _hide_many,
        "restore": _restore,
        "release": _release,
        "merge": _merge,
        "pause": lambda self, d, a, p: self._pause(d, a, p, want=True),
        "resume": lambda self, d, a, p: self._pause(d, a, p, want=False),
        "rules": _rules,
    }

    # -- applying ------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Fold one event into the state. Events are facts: applying never refuses."""
        self.version += 1
        data = event.data
        state = self.activities.get(data.get("activity") or "")
        if event.type in INPUT_EVENTS:
            self.contributors.add(event.actor)
        match event.type:
            case "participant_joined":
                self.participants.setdefault(event.actor, event.at)
            case "details_set":
                for name, value in data["fields"].items():
                    if value:
                        self.report.details[name] = value
                    else:
                        self.report.details.pop(name, None)
            case "item_added":
                self.report.items[data["item"]] = report.Entry(
                    data["item"], event.at, data["text"], section=data["section"]
                )
                self.next_entry = max(self.next_entry, int(data["item"][1:]) + 1)
            case "item_removed":
                self.report.items[data["item"]].removed = True
            case "followup_posted":
                self.report.followups[data["followup"]] = report.Entry(
                    data["followup"], event.at, data["text"], title=data["title"]
                )
                self.next_entry = max(self.next_entry, int(data["followup"][1:]) + 1)
            case "followup_removed":
                self.report.followups[data["followup"]].removed = True
            case "results_published":
                self.report.published = True
            case "results_unpublished":
                self.report.published = False
            case "meeting_ended":
                self.report.ended = True
                self.ended_at = event.at
            case "activity_shown":
                self.report.ended = False  # moving on after the end carries the meeting on
                self.current = data["activity"]
                if state:
                    state.timeline.shown.append((event.at, data.get("present", 0)))
            case "input_opened" if state:
                state.open = True
                state.timeline.opened.append((event.at, data.get("present", 0)))
            case "input_closed" if state:
                state.open = False
                state.timeline.closed.append((event.at, data.get("present", 0)))
            case "results_revealed" if state:
                state.show_results = True
            case "results_concealed" if state:
                state.show_results = False
            case "phase_changed" if state:
                state.phase = data["phase"]
            case "vote_cast" if state:
                if data["choices"]:
                    state.votes[event.actor] = tuple(data["choices"])
                else:
                    state.votes.pop(event.actor, None)
            case "note_posted" if state:
                held = data.get("held")
                state.add_note(
                    Note(
                        status="held" if held else "visible",
                        held=held,
                        id=data["note"],
                        author=event.actor,
                        text=data["text"],
                        at=event.at,
                        column=data.get("column"),
                        side=data.get("side", data.get("kind")),  # `kind` in logs before 2026-12
                    )
                )
                self.next_note = max(self.next_note, int(data["note"][1:]) + 1)
            case "note_hidden" if state:
                board.apply_hide(state, data["note"], data.get("reason", ""))
                dots.withdraw(state, data["note"], event.at)
            case "note_released" if state:
                state.set_status(state.notes[data["note"]], "visible")
            case "notes_paused" if state:
                state.paused = True
            case "notes_resumed" if state:
                state.paused = False
            case "rules_set":
                self.rules = data["text"]
            case "note_restored" if state:
                state.set_status(state.notes[data["note"]], "visible")
                dots.give_back(state, data["note"], event.at)
            case "notes_merged" if state:
                moved = board.apply_merge(state, data["into"], data["notes"])
                dots.merge(state, data["into"], moved, event.at)
            case "dot_placed" if state:
                dots.apply_dot(state, event.actor, data["note"], +1)
            case "dot_removed" if state:
                dots.apply_dot(state, event.actor, data["note"], -1)
            case _:
                raise ValueError(f"cannot apply event {event.type!r}")
