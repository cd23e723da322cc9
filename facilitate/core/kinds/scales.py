"""What kinds that answer about items on whole-number scales share (scale.py, matrix.py). Pure.

A range is `min` and `max`: whole numbers from -10 to 10, with 2 to 11 steps from one to the
other (1–5, 1–7, 0–10, -3–3). Eleven is the most a phone shows as one row of buttons and people
still tell apart; 0–10 is the widest scale in common use. The texts at its ends say what they
mean ("Helt uenig" … "Helt enig").

A phone answers one item at a time (a command per item); a later answer replaces the earlier
one, and `rating_withdrawn` takes one back. Items are named by their position in the list.
The answers are the kind's own state (`Ratings`, read with `answers`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from facilitate.core.activity import ActivityState
from facilitate.core.errors import CommandError
from facilitate.core.kinds.items import ItemsKind, items
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import Reader

LOWEST, HIGHEST = -10, 10
MAX_STEPS = 11


@dataclass
class Ratings:
    """What a scale or a matrix keeps (ActivityState.kind_state): participant -> item (its
    position in the list) -> a value on the scale, None for "don't know", or an (x, y) place.
    A phone's entry goes when its last answer is withdrawn, so the phones listed are those
    that answered."""

    answers: dict[str, dict[int, Any]] = field(default_factory=dict)


def answers(state: ActivityState) -> dict[str, dict[int, Any]]:
    """The answers of a scale's or a matrix's activity: participant -> item -> answer."""
    found: Ratings = state.kind_state
    return found.answers


class RatedKind(ItemsKind):
    """A kind whose phones answer about items one at a time (scale.py, matrix.py)."""

    def new_state(self) -> Ratings:
        return Ratings()

    def responders(self, state: ActivityState) -> set[str]:
        return set(answers(state))


@dataclass(frozen=True)
class Range:
    """The whole numbers an answer may take, `low` to `high`, and the texts at the ends."""

    low: int = 1
    high: int = 5
    low_text: Text | None = None
    high_text: Text | None = None

    def holds(self, value: int) -> bool:
        return self.low <= value <= self.high

    def as_dict(self) -> dict[str, Any]:
        """The range as the agenda writes it: min, max and, when given, the end texts."""
        data: dict[str, Any] = {"min": self.low, "max": self.high}
        if self.low_text:
            data["low"] = dict(self.low_text)
        if self.high_text:
            data["high"] = dict(self.high_text)
        return data


def read_range(
    reader: Reader, data: Mapping[str, Any], index: int, key: str | None = None
) -> tuple[int, int]:
    """`min` and `max` of the activity (`key` None) or of its table `key` (a matrix's axis);
    1 and 5 when not given. Problems go to `reader`, and the defaults come back."""
    where = reader.where(index, key) if key else f"activities[{index}]"
    found: list[int] = []
    for name, default in (("min", 1), ("max", 5)):
        value = data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not LOWEST <= value <= HIGHEST:
            reader.problem(
                f"{where}.{name}",
                f"must be a whole number from {LOWEST} to {HIGHEST}",
                index,
                key or name,
                code="whole_number",
                low=LOWEST,
                high=HIGHEST,
            )
            return 1, 5
        found.append(value)
    low, high = found
    if not 2 <= high - low + 1 <= MAX_STEPS:
        reader.problem(
            f"{where}.max",
            f"must be above min, with 2 to {MAX_STEPS} whole numbers from min to max",
            index,
            key or "max",
            code="scale_steps",
            low=2,
            high=MAX_STEPS,
        )
        return 1, 5
    return low, high


def check_item(state: ActivityState, item: int) -> int:
    """The item's position, or a CommandError when the activity has no such item."""
    if not 0 <= item < len(items(state)):
        raise CommandError("unknown_item", f"there is no item {item} here")
    return item


def check_value(scale: Range, value: int) -> int:
    """The value, or a CommandError saying which values the scale takes."""
    if not scale.holds(value):
        raise CommandError(
            "out_of_range",
            f"choose a whole number from {scale.low} to {scale.high}",
            low=scale.low,
            high=scale.high,
        )
    return value


def withdraw(state: ActivityState, pid: str, item: int) -> list[tuple[str, dict[str, Any]]]:
    """Taking back one's answer on an item: nothing to do when there is none."""
    if item not in answers(state).get(pid, {}):
        return []
    return [("rating_withdrawn", {"activity": state.spec.id, "item": item})]


def give(state: ActivityState, pid: str, item: int, answer: Any) -> None:
    """Keep a phone's answer on an item, replacing any earlier one."""
    answers(state).setdefault(pid, {})[item] = answer


def withdrawn(meeting: Meeting, state: ActivityState, event: Event) -> None:
    given = answers(state)
    own = given.get(event.actor)
    if own is None:
        return
    own.pop(event.data["item"], None)
    if not own:
        del given[event.actor]  # so that only those with an answer count as responders
