"""The live state of one activity of a meeting, whatever its kind. Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from facilitate.core.plan import ActivitySpec
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.kinds.base import Kind


@dataclass(slots=True)  # thousands in a big meeting: smaller, and quicker for the collector
class Note:
    """A sticky note. `status` is visible, held, hidden or merged; nothing is ever deleted.

    A held note waits in the console for the facilitator to release or hide it; `held` keeps
    why it was held (a reason code of core/personal.py, or "paused") after that, for the record.
    """

    id: str
    author: str
    text: str
    at: float
    column: int | None = None
    side: str | None = None  # "pain" or "joy" on a pain/joy board (the wire calls it `kind`)
    status: str = "visible"
    reason: str = ""
    merged_into: str | None = None
    held: str | None = None
    # How it came: from a phone's live page, "form" (the phone page without scripts) or "paper"
    # (a post-it the helper typed in).
    channel: str = "phone"


@dataclass
class Timeline:
    """When an activity was shown, opened and closed, with who was connected at the time."""

    shown: list[tuple[float, int]] = field(default_factory=list)
    opened: list[tuple[float, int]] = field(default_factory=list)
    closed: list[tuple[float, int]] = field(default_factory=list)


@dataclass
class ActivityState:
    """Everything that has happened in one activity, kept as plain data."""

    spec: ActivitySpec
    # What the activity's kind does with it (facilitate.core.kinds): behaviour, not state.
    kind: Kind = field(compare=False, repr=False)
    open: bool = False
    show_results: bool = False
    phase: str = "notes"  # pain and heart points: first notes, then dots
    paused: bool = False  # the wall is paused: every new note waits in the console
    votes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    # Indexes kept by apply(), so views stay linear in the size of what they show.
    authored: dict[str, list[str]] = field(default_factory=dict)  # participant -> note ids
    merged: dict[str, list[str]] = field(default_factory=dict)  # note -> notes merged into it
    # Dots that count: only ever on visible notes, never over a budget or a cap.
    dots: dict[str, dict[str, int]] = field(default_factory=dict)  # participant -> note -> n
    # Dots taken off a note when it was hidden, kept for the record and for its restoring.
    withdrawn: dict[str, dict[str, int]] = field(default_factory=dict)  # note -> participant -> n
    # The last time moderation moved a participant's dots back into their hand (see dots.py).
    returned: dict[str, dict[str, Any]] = field(default_factory=dict)  # participant -> notice
    timeline: Timeline = field(default_factory=Timeline)
    # How many notes have each status, kept by add_note() and set_status(): the console's and
    # the projector's counts then cost the same with 40 notes or 40,000.
    statuses: Counter[str] = field(default_factory=Counter)
    # The items carried over from an earlier activity when this one opened (kinds/items.py).
    drawn: tuple[Text, ...] | None = None
    # The table that brought each item drawn from an activity answered per table (items_from).
    brought: tuple[str, ...] | None = None
    # What the activity's kind keeps beyond the fields above, as its own plain data, made by
    # Kind.new_state and read through a typed accessor in the kind's core module: a word
    # cloud's words (cloud.of), the answers of a scale or a matrix (kinds/scales.of), the
    # statements and stances with the cached opinion groups (conversation.of), the upvotes and
    # answers of questions from the floor (questions.of). None for kinds that need nothing.
    kind_state: Any = None
    # The table whose part of an activity answered per table this is; None for a whole room's.
    table: str | None = None
    # Phones that gave input here through the plain forms (the phone page without scripts) at
    # least once: the record counts them, as their votes and ratings are kept per phone.
    by_form: set[str] = field(default_factory=set)

    def add_note(self, note: Note) -> None:
        self.notes[note.id] = note
        self.statuses[note.status] += 1
        authored = self.authored.get(note.author)
        if authored is None:  # (setdefault would make a list for every note)
            self.authored[note.author] = [note.id]
        else:
            authored.append(note.id)

    def set_status(self, note: Note, status: str) -> None:
        """The one way a note's status changes, so that `statuses` stays true."""
        self.statuses[note.status] -= 1
        self.statuses[status] += 1
        note.status = status

    def __post_init__(self) -> None:
        self.show_results = self.spec.results == "live"
        self.kind_state = self.kind.new_state()

    @property
    def accepts_input(self) -> bool:
        return self.kind.takes_input

    def responders(self) -> set[str]:
        """The anonymous ids of everyone who gave any input here: the kind knows where its
        input is kept (Kind.responders)."""
        return self.kind.responders(self)
