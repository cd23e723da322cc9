"""What an activity kind is: the one protocol core, views, records and demos call. Pure.

A kind is one module in this package with one `Kind` subclass. It declares, in one place:

- its spec: the agenda fields it takes (`fields`) and how they are read and checked
  (`read`, with the same located problems as the rest of the plan) into its `settings`;
- its commands (`participant`, `facilitator`) and their wire shapes (`messages`);
- how its events fold into the activity's state (`appliers`), the same live and on replay;
- what each role sees of it (`phone`, `screen`, `console`), as data;
- what a phone's own input holds (`mine`) and whom an event touches (`affected`);
- its part of the record (`record`, `public`), of the minutes (`minutes`) and of a draft
  citizen promise (`promise`);
- demo input (`demo`), made through the same commands as a live meeting.

Nothing outside `facilitate.core.kinds` asks which kind an activity is: it asks the kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from facilitate.core.activity import ActivityState
from facilitate.core.blocks import Block, Context
from facilitate.core.errors import CommandError
from facilitate.core.events import NOBODY, Event
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

Decided = list[tuple[str, dict[str, Any]]]  # (event type, data) to be applied in this order
# decide(meeting, state, command data, actor): the events a command causes, or a CommandError
Decide = Callable[["Meeting", ActivityState, dict[str, Any], str], Decided]
Apply = Callable[["Meeting", ActivityState, Event], None]
# Field name -> (accepted types, required); None among the types: the field may be null.
Fields = dict[str, tuple[tuple[type | None, ...], bool]]
# A plain HTML form as posted: each field's values in the order sent (ticked boxes: several).
Form = Mapping[str, Sequence[str]]
# Commands (type, data) a form stands for, to be checked and applied in this order.
Commands = list[tuple[str, dict[str, Any]]]

# The parts of a draft citizen promise (medborgarlöfte) that activities can give to, in the
# promise's order: the joint situation picture (what people said hurts, works, matters most),
# the focus area and how it was arrived at, the activities chosen, and the effects sought.
PROMISE_PARTS = ("situation", "focus", "activities", "effects")


@dataclass(frozen=True)
class Contribution:
    """What one activity gives one part of a draft citizen promise: blocks to place under
    that part's heading (`part` is one of PROMISE_PARTS)."""

    part: str
    blocks: tuple[Block, ...]


class Ids(list[str]):
    """A field type for message shapes: a list of at most `limit` ids of at most 64 characters
    (options, notes), so no command can make the server walk a huge list."""

    limit = 50


class ManyIds(Ids):
    limit = 5000  # a bulk hide may name every spam note at once


class Step(int):
    """A field type for message shapes: one step up or down, +1 or -1."""


ACTIVITY: Fields = {"activity": ((str,), True)}


def N_(message: str) -> str:
    """Marks a text for the catalogs (`make catalogs`); it is translated where it is shown."""
    return message


class Demo:
    """What a kind's demo input is made with: the people, a seeded source of chance, and
    `act`/`fac` to send a participant's or the facilitator's command through the core; `state`
    is the activity as it stands once shown (the items it drew, say)."""

    def __init__(
        self,
        people: list[str],
        chance: Any,  # random.Random in the demo; the core itself never draws
        act: Callable[..., list[Event]],
        fac: Callable[..., list[Event]],
        texts: list[tuple[int | None, str]],
        state: ActivityState | None = None,
    ) -> None:
        self.people = people
        self.chance = chance
        self.act = act
        self.fac = fac
        self.texts = texts  # notes as people write them for this activity: (column, text)
        self.state = state


class Kind:
    """An activity kind. Subclasses set the class attributes and override what they need."""

    name: ClassVar[str]
    label: ClassVar[str]  # what people call it, in English: translated where it is shown
    # An agenda entry of this kind with every field it takes (docs, tests, the start page).
    example: ClassVar[Mapping[str, Any]]
    # Fields an entry gives in place of one in `example` (`items_from` for `items`): the
    # example leaves them out, since it cannot give both.
    instead: ClassVar[frozenset[str]] = frozenset()
    takes_input: ClassVar[bool] = True
    gives_items: ClassVar[bool] = False  # has a `top` a later activity's items_from can take
    fields: ClassVar[frozenset[str]] = frozenset()  # agenda fields beyond the common ones
    messages: ClassVar[Mapping[str, Fields]] = {}  # its commands' wire shapes
    participant: ClassVar[Mapping[str, Decide]] = {}
    facilitator: ClassVar[Mapping[str, Decide]] = {}
    # Facilitator commands a table's scribe phone may also send, for its own table's part of an
    # activity answered per table while it is open: the table's agreed answer (docs/protocol.md,
    # "Scribes"). Moderation (hiding, releasing) stays the facilitator's.
    scribe_commands: ClassVar[frozenset[str]] = frozenset()
    # Commands the helper page (or the console) sends to put in the input of people without a
    # phone: a note from a post-it, counted hands. Their input is marked by its channel
    # ("paper", "hands") in the views, the record and the minutes, and counts as nobody's.
    helper: ClassVar[Mapping[str, Decide]] = {}
    appliers: ClassVar[Mapping[str, Apply]] = {}
    input_events: ClassVar[frozenset[str]] = frozenset()  # events that mean "a phone took part"
    events_for_people: ClassVar[frozenset[str]] = frozenset()  # events that change someone's mine

    def __deepcopy__(self, _memo: dict[int, Any]) -> Kind:
        return self  # a kind is behaviour: a copy of a meeting shares it

    # -- the spec --------------------------------------------------------------------------

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        """This kind's settings from one agenda entry; problems go to `reader`."""
        return None

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        """The settings as plain data, as the plan stores them (read() reads them back)."""
        return {}

    def sources(self, settings: Any) -> tuple[str, ...]:
        """The ids of earlier activities this one takes its items from (see items.py)."""
        return ()

    # -- the state -------------------------------------------------------------------------

    def new_state(self) -> Any:
        """What this kind keeps of an activity beyond ActivityState's common fields, fresh
        (a dataclass of plain data, kept in `ActivityState.kind_state`); None for nothing."""
        return None

    def opening(self, meeting: Meeting, state: ActivityState) -> Decided:
        """Events that come with opening the activity for input (before `input_opened`)."""
        return []

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The `count` items that came out on top here, for a later activity's `items_from`:
        most votes, most dots … ([] when the kind has nothing to carry over)."""
        return []

    def due(self, state: ActivityState) -> float | None:
        """When (in meeting time) a value derived from this activity's input and cached for
        the views is due to be recomputed, if one waits (see `settle`); None if none does."""
        return None

    def settle(self, state: ActivityState, now: float) -> set[str] | None:
        """Recompute what is due by `now` (the server's clock, passed in): None if nothing
        was, else the participants whose own input (`mine`) it changed."""
        return None

    def prepare(self, state: ActivityState, now: float) -> Job | None:
        """The recompute `settle` would do, as a `Job` to run elsewhere (the server runs it in
        a worker thread), from what the input is at `now`; None when there is none to hand
        out (nothing due, a job out already, or one `settle` must do in place)."""
        return None

    def adopt(self, state: ActivityState, job: Job, result: Any) -> set[str] | None:
        """Install what `job.run()` gave: None if it is no longer wanted, else the
        participants whose own input (`mine`) it changed."""
        return None

    def drop(self, state: ActivityState, job: Job) -> None:
        """Give up a job that failed: what it was to recompute comes due again."""

    def responders(self, state: ActivityState) -> set[str]:
        """The anonymous ids of everyone who gave any input here. By default those with a
        vote, a note or a dot in the common fields; a kind that keeps its input in its own
        state (`new_state`) says who is there (a subclass adds to `super().responders`, never
        to `state.responders()`, which asks the kind)."""
        people = set(state.votes)
        people.update(state.authored)  # every note's author: linear in people, not in notes
        people.update(pid for pid, dots in state.dots.items() if any(dots.values()))
        people -= NOBODY  # paper notes and the console's are nobody's phone
        return people

    # -- views, as data --------------------------------------------------------------------

    def head(self, state: ActivityState) -> dict[str, Any]:
        """What every role's view of the activity carries beyond the common fields."""
        return {}

    def phone(self, state: ActivityState) -> dict[str, Any]:
        return {}

    def helper_view(self, state: ActivityState) -> dict[str, Any]:
        """What the helper page shows of the input it put in (the hands counted so far)."""
        return {}

    def screen(self, state: ActivityState) -> dict[str, Any]:
        return {}

    def console(self, state: ActivityState) -> dict[str, Any]:
        return {}

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        """One participant's own input here ({} for none); with `notes=False` all but the
        notes they posted (what an ack carries, so its size stays the same)."""
        return {}

    def affected(self, state: ActivityState, event_type: str, data: dict[str, Any]) -> set[str]:
        """Participants whose own input (`mine`) the facilitator's event changes."""
        return set()

    # -- the phone page without scripts ----------------------------------------------------

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands | None:
        """The commands a phone's plain HTML form stands for (the page without scripts draws
        the form with the `plain` macro of the kind's partial; docs/protocol.md, "Plain
        forms"), for this activity as it stands and as phone `pid` has answered it. Each is
        then checked and applied as if the live page had sent it. A CommandError when the
        form cannot be any command (two items ranked the same); None when the kind takes no
        forms, and the page says so."""
        return None

    # -- the record ------------------------------------------------------------------------

    def record(self, state: ActivityState) -> dict[str, Any]:
        """This kind's part of the activity's entry in the record (moderation included)."""
        return {}

    def public(self, entry: dict[str, Any]) -> dict[str, Any]:
        """What of the record's entry participants may see once results are published."""
        return {k: v for k, v in entry.items() if k not in ("moderation", "hidden")}

    def minutes(self, entry: dict[str, Any], context: Context) -> list[Block]:
        """What the minutes say of this activity's results, from its entry in the record, as
        blocks every format renders (facilitate.core.blocks)."""
        return []

    def promise(self, entry: dict[str, Any], context: Context) -> list[Contribution]:
        """What this activity gives a draft citizen promise, from its entry in the *public*
        record (never a hidden input): the situation picture's top priorities with their
        counts, a focus area, chosen activities, effects. Nothing by default."""
        return []

    def commitments(self, entry: dict[str, Any], context: Context) -> list[str]:
        """The titles of the activities (things to do) this activity chose, from its entry in
        the *public* record: a process's follow-up imports them as items. None by default."""
        return []

    # -- demo ------------------------------------------------------------------------------

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        """Realistic input for this activity, sent through `demo.act` and `demo.fac`."""


@dataclass(frozen=True)
class Job:
    """A derived value's recompute, handed out by `Kind.prepare`: `run()` reads only the
    immutable input it was made with, so any thread may run it; `token` is what the kind
    needs back to `adopt` the result (a snapshot)."""

    activity: str
    run: Callable[[], Any] = field(compare=False)
    token: Any = field(compare=False)
    table: str | None = None  # the table's part it is for, of an activity answered per table


@dataclass(frozen=True)
class Settings:
    """Base of the kinds' settings: frozen plain data."""


def wrong_kind(kind: Kind, command: str) -> CommandError:
    return CommandError("wrong_kind", f"a {kind.name} activity takes no {command!r}")
