"""A meeting: takes commands from actors and returns events; applying events rebuilds it. Pure.

`handle()` decides (checks every rule, raises CommandError) and then applies what it decided, so
the in-memory state is always the fold of the log. `Meeting.replay(events)` rebuilds a meeting
after a restart exactly as it was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from facilitate.core import kinds, report, writing
from facilitate.core.activity import ActivityState
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, FORM, HELPER, NOBODY, SYSTEM, Command, Event
from facilitate.core.kinds.base import Job
from facilitate.core.plan import Plan, plan_from_dict

_Decided = list[tuple[str, dict[str, Any]]]

# The commands about the meeting and its agenda; each kind adds its own (facilitate.core.kinds).
MEETING_COMMANDS = (
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
    "rules",
    "show_table",
    "dismiss_scribes",
)
# Given by the server, never by a client: a phone that showed a table's scribe code becomes that
# table's scribe (the web layer checks the code, then appoints it in the facilitator's name).
APPOINTED = ("appoint_scribe",)
# What a phone says about itself rather than to an activity: the table it sits at.
SEAT_COMMANDS = ("sit",)
# Every command there is, by who may send it.
FACILITATOR_COMMANDS = (*MEETING_COMMANDS, *APPOINTED, *sorted(kinds.FACILITATOR_COMMANDS))
HELPER_COMMANDS = tuple(sorted(kinds.HELPER_COMMANDS))  # the helper's, and the console's too
PARTICIPANT_COMMANDS = (*SEAT_COMMANDS, *sorted(kinds.PARTICIPANT_COMMANDS))
# The same as sets, for `handle` to tell a command's kind with a lookup, not a scan of a tuple.
_MEETING = frozenset((*MEETING_COMMANDS, *APPOINTED))
_PARTICIPANT = frozenset(PARTICIPANT_COMMANDS)

MAX_RULES = 2000  # characters of the meeting's moderation rules


class Meeting:
    """One live run of a plan."""

    def __init__(self, code: str, plan: Plan, created_at: float = 0.0) -> None:
        self.code = code
        self.plan = plan
        self.created_at = created_at
        self.current: str | None = None  # None: the lobby, where the screen shows how to join
        self.activities = {
            spec.id: ActivityState(spec, kinds.kind_of(spec.kind)) for spec in plan.activities
        }
        self.tables = {table.id: table for table in plan.tables}
        # An activity answered per table keeps one state per table: the kind works on each as
        # on a whole room's, and the activity's own state keeps what is shared (open, shown).
        self.parts: dict[str, dict[str, ActivityState]] = {
            spec.id: {
                t: ActivityState(spec, kinds.kind_of(spec.kind), table=t) for t in self.tables
            }
            for spec in plan.activities
            if spec.scope == "table"
        }
        self.seats: dict[str, str] = {}  # participant -> the table they sit at
        self.scribes: dict[str, str] = {}  # participant -> the table they are the scribe of
        # How often each table's scribes were dismissed: a table's scribe code names its round,
        # so dismissing makes the code shown before worthless.
        self.scribe_rounds: dict[str, int] = {}
        self.screen_table: str | None = None  # the table the projector shows; None for all
        self.participants: dict[str, float] = {}  # anonymous id -> when first seen
        # Who gave any input (a vote, a note, a dot): a phone that only opened the page, or an
        # identity made up by a script, is not counted as taking part.
        self.contributors: set[str] = set()
        # Participants whose phone said it was a kiosk's (a tablet at a stand, one person after
        # another): the record counts how many of those who took part came that way.
        self.kiosk: set[str] = set()
        self.next_note = 1
        self.next_entry = 1  # ids of decisions, questions, next steps and follow-ups
        self.report = report.Report()
        self.ended_at: float | None = None
        # Bumps with every applied event and every value recomputed for the views (settle):
        # "has anything changed?"
        self.version = 0
        self.rules = ""  # the meeting's moderation rules for the phones; "" for the default
        # When each phone first gave input: the console counts new people per day (surveys).
        self.first_input: dict[str, float] = {}
        if plan.survey is not None:  # self-paced: every activity taking input is open at once
            for state in self.activities.values():
                if state.accepts_input:
                    self._set(state, "open", True)
                    state.timeline.opened.append((created_at, 0))
        self._now = created_at  # when the command being decided came (set by handle; not state)

    @property
    def now(self) -> float:
        """When the command being decided came (the core never reads a clock)."""
        return self._now

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

    def join(self, pid: str, at: float, *, kiosk: bool = False) -> list[Event]:
        """A participant's first arrival is recorded once; later arrivals record nothing.
        `kiosk`: the phone says it is a kiosk's, a fresh participant for each person in turn."""
        if pid in self.participants:
            return []
        return self._commit(
            [Event("participant_joined", {"kiosk": True} if kiosk else {}, pid, at)]
        )

    def handle(self, command: Command, actor: str, at: float, present: int = 0) -> list[Event]:
        """Check a command against every rule and return (and apply) the events it causes.

        `actor` is FACILITATOR or a participant's anonymous id; `present` is how many phones
        are connected, kept with openings and closings for the record.

        Raises:
            CommandError: when the command breaks a rule; the meeting is then unchanged.
        """
        self._now = at
        if command.type in _MEETING:
            _facilitator_only(actor)
            decided = self._facilitator[command.type](self, command.data, actor, present)
        elif command.type in kinds.FACILITATOR_COMMANDS and actor in self.scribes:
            whole, own_table = self._scribes_part(command, actor)
            state = self.part(whole, own_table)
            decided = _decide(state, state.kind.facilitator, command, self, FACILITATOR)
            decided = _at(own_table, decided)
            # In the facilitator's name, as if typed at the console, and said whose phone it was.
            scribed = [Event(t, {**d, "scribe": actor}, FACILITATOR, at) for t, d in decided]
            return self._commit(scribed)
        elif command.type in kinds.FACILITATOR_COMMANDS:
            _facilitator_only(actor)
            whole = self.activity(command.data.get("activity"))
            table = self._named_table(whole, command.data.get("table"))
            state = self.part(whole, table)
            decided = _at(table, _decide(state, state.kind.facilitator, command, self, actor))
        elif command.type in kinds.HELPER_COMMANDS:
            if actor not in (FACILITATOR, HELPER):
                raise CommandError("forbidden", "only the helper or the facilitator can do that")
            whole = self.activity(command.data.get("activity"))
            table = self._named_table(whole, command.data.get("table"))
            state = self.part(whole, table)
            decided = _at(table, _decide(state, state.kind.helper, command, self, actor))
        elif command.type in _PARTICIPANT:
            if actor in NOBODY:
                raise CommandError("forbidden", "participants' input comes from their phones")
            if command.type in SEAT_COMMANDS:
                decided = self._sit(command.data, actor)
            else:
                if self.plan.survey is not None:
                    self.plan.survey.check(at)
                whole = self._open_for_input(command.data)
                table = self._seat_of(whole, actor)
                state = self.part(whole, table)
                decided = _at(table, _decide(state, state.kind.participant, command, self, actor))
                if command.data.get("channel") == FORM:  # posted by the page without scripts
                    decided = [(kind, {**data, "channel": FORM}) for kind, data in decided]
        else:
            raise CommandError("unknown_command", f"unknown command {command.type!r}")
        if len(decided) == 1:  # most commands (no comprehension made for the one event)
            ((kind, data),) = decided
            return self._commit([Event(kind, data, actor, at)])
        return self._commit([Event(t, d, actor, at) for t, d in decided])

    def due(self) -> float | None:
        """When a value some activity derives from its input (and caches for the views) is
        next due to be recomputed; None when none waits. The server calls `settle` then."""
        due = [t for s in self.states() if (t := s.kind.due(s)) is not None]
        return min(due, default=None)

    def settle(self, now: float) -> set[str] | None:
        """Recompute the derived values due by `now`, so the views show the newest input even
        when no more comes: None if none was, else the participants whose `mine` changed."""
        changed = False
        people: set[str] = set()
        for state in self.states():
            moved = state.kind.settle(state, now)
            if moved is not None:
                changed = True
                people |= moved
        if not changed:
            return None
        self.version += 1
        return people

    def prepare(self, now: float, by: float | None = None) -> list[Job]:
        """The recomputes due by `by` (default `now`) that can run elsewhere, each from the
        input as it stands at `now` (Kind.prepare): the server runs them away from its event
        loop and hands each result to `adopt`; meanwhile the views keep the values they have.
        What cannot run elsewhere is left to `settle`."""
        until = now if by is None else by
        jobs = []
        for state in self.states():
            due = state.kind.due(state)
            if due is not None and due <= until:
                job = state.kind.prepare(state, now)
                if job is not None:
                    jobs.append(dataclasses.replace(job, table=state.table))
        return jobs

    def adopt(self, job: Job, result: Any) -> set[str] | None:
        """Install a prepared job's result: None if it is no longer wanted, else the
        participants whose `mine` changed (the views change too)."""
        state = self.part(self.activities[job.activity], job.table)
        moved = state.kind.adopt(state, job, result)
        if moved is not None:
            self.version += 1
        return moved

    def drop(self, job: Job) -> None:
        """A prepared job failed: what it was to recompute comes due again."""
        state = self.part(self.activities[job.activity], job.table)
        state.kind.drop(state, job)

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

    # -- tables --------------------------------------------------------------------------

    def part(self, state: ActivityState, table: str | None) -> ActivityState:
        """The state input goes to: the table's own for an activity answered per table."""
        parts = self.parts.get(state.spec.id)
        return state if parts is None or table is None else parts[table]

    def states(self) -> Iterable[ActivityState]:
        """Every activity's state, and each table's of those answered per table."""
        for activity_id, state in self.activities.items():
            yield state
            yield from self.parts.get(activity_id, {}).values()

    def own_state(self, activity_id: str, pid: str) -> ActivityState | None:
        """Where a participant's input in an activity is: their table's, with tables."""
        state = self.activities.get(activity_id)
        if state is None or activity_id not in self.parts:
            return state
        table = self.seats.get(pid)
        return None if table is None else self.parts[activity_id][table]

    def responders(self, state: ActivityState) -> set[str]:
        """Everyone who gave input to an activity, at any table."""
        people = state.kind.responders(state)
        for part in self.parts.get(state.spec.id, {}).values():
            people |= part.kind.responders(part)
        return people

    def by_form(self, state: ActivityState) -> set[str]:
        """Everyone who gave input to an activity, at any table, through the plain forms at
        least once (and may have used the live page too)."""
        used = set(state.by_form)
        for part in self.parts.get(state.spec.id, {}).values():
            used |= part.by_form
        return self.responders(state) & used

    def top(
        self, activity_id: str, count: int, language: str, table: str | None = None
    ) -> list[Any]:
        """What an activity gives a later one (`items_from`): its top `count`; for one
        answered per table, each table's top `count` ("each table brings its three"), or only
        `table`'s when the later activity is that table's part too."""
        return [text for text, _ in self.top_from(activity_id, count, language, table)]

    def top_from(
        self, activity_id: str, count: int, language: str, table: str | None = None
    ) -> list[tuple[Any, str | None]]:
        """`top`, each item with the table that brought it (None from a whole room's); an
        item two tables bring is the first one's."""
        state = self.activities[activity_id]
        parts = self.parts.get(activity_id)
        if parts is None:
            return [(text, None) for text in state.kind.top(state, count, language)]
        found: list[tuple[Any, str | None]] = []
        for each in [parts[table]] if table in parts else parts.values():
            for text in each.kind.top(each, count, language):
                if all(text != seen for seen, _ in found):
                    found.append((text, each.table))
        return found

    def _seat_of(self, state: ActivityState, pid: str) -> str | None:
        if state.spec.id not in self.parts:
            return None
        table = self.seats.get(pid)
        if table is None:
            raise CommandError("no_table", "choose the table you sit at first")
        return table

    def _named_table(self, state: ActivityState, table: Any) -> str | None:
        if state.spec.id not in self.parts:
            return None
        if not isinstance(table, str) or table not in self.tables:
            raise CommandError("unknown_table", "say which table (t1, t2, …) this is about")
        return table

    def _sit(self, data: dict[str, Any], actor: str) -> _Decided:
        table = data.get("table")
        if not isinstance(table, str) or table not in self.tables:
            raise CommandError("unknown_table", "no such table in this meeting")
        return [] if self.seats.get(actor) == table else [("table_chosen", {"table": table})]

    def _scribes_part(self, command: Command, pid: str) -> tuple[ActivityState, str]:
        """The activity and table a scribe's command is about: only its own table's part, of
        an activity answered per table, open, and a command the kind lets scribes send."""
        whole = self.activity(command.data.get("activity"))
        table = self.scribes[pid]
        named = command.data.get("table")
        if (
            whole.spec.id not in self.parts
            or command.type not in whole.kind.scribe_commands
            or named not in (None, table)
        ):
            raise CommandError("forbidden", "a scribe writes only its own table's answers")
        if not whole.open:
            raise CommandError("closed", "input is closed for this activity")
        return whole, table

    def _appoint_scribe(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        table, pid = data.get("table"), data.get("participant")
        if not isinstance(table, str) or table not in self.tables:
            raise CommandError("unknown_table", "no such table in this meeting")
        if not isinstance(pid, str) or pid not in self.participants:
            raise CommandError("unknown_participant", "no such phone in this meeting")
        if self.scribes.get(pid) == table:
            return []
        return [("scribe_appointed", {"table": table, "participant": pid})]

    def _dismiss_scribes(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        table = data.get("table")
        if not isinstance(table, str) or table not in self.tables:
            raise CommandError("unknown_table", "no such table in this meeting")
        gone = sorted(pid for pid, at in self.scribes.items() if at == table)
        return [("scribes_dismissed", {"table": table, "participants": gone})]

    def scribe_round(self, table: str) -> int:
        """Which round of scribes a table is in: its scribe code names it."""
        return self.scribe_rounds.get(table, 0)

    def _show_table(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        table = data.get("table")
        if table is not None and (not isinstance(table, str) or table not in self.tables):
            raise CommandError("unknown_table", "no such table in this meeting")
        return [] if table == self.screen_table else [("screen_table_shown", {"table": table})]

    def _set(self, state: ActivityState, attribute: str, value: bool) -> None:
        """Open or close, reveal or conceal an activity: at every table alike."""
        for each in (state, *self.parts.get(state.spec.id, {}).values()):
            setattr(each, attribute, value)

    def _opening(self, state: ActivityState) -> _Decided:
        """What opening an activity causes (items drawn), for each table if it has tables."""
        parts = self.parts.get(state.spec.id)
        if parts is None:
            return state.kind.opening(self, state)
        return [e for t, part in parts.items() for e in _at(t, part.kind.opening(self, part))]

    def _open_for_input(self, data: dict[str, Any]) -> ActivityState:
        state = self.activity(data.get("activity"))
        if not state.accepts_input:
            raise CommandError("no_input", "this slide takes no input")
        if not state.open:
            raise CommandError("closed", "input is closed for this activity")
        return state

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
            events += self._opening(state)
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
        opening = self._opening(state) if attribute == "open" and want else []
        return [*opening, (event, payload)]

    def _rules(self, data: dict[str, Any], actor: str, present: int) -> _Decided:
        text = data.get("text")
        cleaned = writing.clean_text(text) if isinstance(text, str) else ""
        if not writing.fits(cleaned, MAX_RULES):
            raise CommandError("too_long_text", f"at most {MAX_RULES} characters", limit=MAX_RULES)
        if writing.blank(cleaned):
            cleaned = ""
        return [] if cleaned == self.rules else [("rules_set", {"text": cleaned})]

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
        "rules": _rules,
        "show_table": _show_table,
        "appoint_scribe": _appoint_scribe,
        "dismiss_scribes": _dismiss_scribes,
    }

    # -- applying ------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Fold one event into the state. Events are facts: applying never refuses."""
        self.version += 1
        data = event.data
        state = self.activities.get(data.get("activity") or "")
        if state is not None and "table" in data:
            state = self.part(state, data["table"])
        if event.type in kinds.INPUT_EVENTS and event.actor not in NOBODY:
            self.contributors.add(event.actor)
            self.first_input.setdefault(event.actor, event.at)
            if state is not None and data.get("channel") == FORM:
                state.by_form.add(event.actor)
        if state is not None:
            applier = state.kind.appliers.get(event.type)
            if applier is not None:
                applier(self, state, event)
                return
        match event.type:
            case "participant_joined":
                self.participants.setdefault(event.actor, event.at)
                if data.get("kiosk"):
                    self.kiosk.add(event.actor)
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
                self._set(state, "open", True)
                state.timeline.opened.append((event.at, data.get("present", 0)))
            case "input_closed" if state:
                self._set(state, "open", False)
                state.timeline.closed.append((event.at, data.get("present", 0)))
            case "results_revealed" if state:
                self._set(state, "show_results", True)
            case "results_concealed" if state:
                self._set(state, "show_results", False)
            case "rules_set":
                self.rules = data["text"]
            case "table_chosen":
                self.seats[event.actor] = data["table"]
                if self.scribes.get(event.actor) not in (None, data["table"]):
                    del self.scribes[event.actor]  # a scribe who moves writes for no table
            case "scribe_appointed":
                self.seats[data["participant"]] = data["table"]
                self.scribes[data["participant"]] = data["table"]
            case "scribes_dismissed":
                table = data["table"]
                self.scribes = {pid: at for pid, at in self.scribes.items() if at != table}
                self.scribe_rounds[table] = self.scribe_round(table) + 1
            case "screen_table_shown":
                self.screen_table = data["table"]
            case _:
                raise ValueError(f"cannot apply event {event.type!r}")


def _facilitator_only(actor: str) -> None:
    if actor != FACILITATOR:
        raise CommandError("forbidden", "only the facilitator can do that")


def _at(table: str | None, decided: _Decided) -> _Decided:
    """Events decided for one table's part of an activity carry the table."""
    if table is None:
        return decided
    return [(kind, {**data, "table": table}) for kind, data in decided]


def _decide(
    state: ActivityState,
    commands: Mapping[str, kinds.base.Decide],
    command: Command,
    meeting: Meeting,
    actor: str,
) -> _Decided:
    decide = commands.get(command.type)
    if decide is None:
        raise kinds.base.wrong_kind(state.kind, command.type)
    return decide(meeting, state, command.data, actor)
