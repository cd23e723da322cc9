"""Commands in and events out: the vocabulary of the meeting log. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar, dataclass_transform

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T]) -> type[_T]:
    """A record never changed once made: frozen to the type checker, which refuses any
    assignment to its fields; at run time a plain slotted dataclass. A frozen one's __init__
    sets each field through object.__setattr__, three times the cost, and a command, a message
    and an event are made for every input (a few per cent of a notes flood)."""
    return dataclass(slots=True)(cls)


FACILITATOR = "facilitator"
SYSTEM = "system"
# The helper page (its own key): enters what people without phones said, by paper or hands.
HELPER = "helper"
# Actors that are no participant's phone: their input counts as nobody's.
NOBODY = frozenset({FACILITATOR, SYSTEM, HELPER})
# How a phone's input came when not over the live connection: through the plain HTML forms of
# the phone page without scripts (docs/protocol.md, "Plain forms"). The web layer puts it in a
# command's data; the core marks the events that command causes with it. A phone can claim no
# other channel ("paper" is the helper's).
FORM = "form"

# Every event type the log may hold, in the order a meeting usually meets them.
EVENT_TYPES = (
    "meeting_created",
    "participant_joined",
    "table_chosen",
    "scribe_appointed",
    "scribes_dismissed",
    "activity_shown",
    "screen_table_shown",
    "input_opened",
    "input_closed",
    "results_revealed",
    "results_concealed",
    "phase_changed",
    "vote_cast",
    "hands_counted",
    "note_posted",
    "note_hidden",
    "note_restored",
    "notes_merged",
    "note_released",
    "notes_paused",
    "notes_resumed",
    "dot_placed",
    "dot_removed",
    "question_upvoted",
    "upvote_withdrawn",
    "question_withdrawn",
    "question_highlighted",
    "question_answered",
    "question_reopened",
    "details_set",
    "rules_set",
    "item_added",
    "item_removed",
    "results_published",
    "results_unpublished",
    "followup_posted",
    "followup_removed",
    "meeting_ended",
)


@record
class Command:
    """Something an actor asks of the meeting; validated in shape, not yet against the rules."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)


@record
class Event:
    """Something that happened: the unit of the append-only log.

    `actor` is "facilitator", "system" or a participant's anonymous id; `at` is seconds since
    the epoch, passed in by the caller (the core never reads a clock).
    """

    type: str
    data: dict[str, Any]
    actor: str
    at: float

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "data": self.data, "actor": self.actor, "at": self.at}
