"""What kinds that work on a list of items share: `items`, or `items_from` an earlier activity.

A ranking, a points budget, a matrix or a scale works on items: written in the agenda
(`items = ["Mer lys", "Flere voksne ute"]`), or carried over from an earlier activity when the
facilitator opens this one (`items_from = { activity = "pain", top = 5 }`: the five pain
points with most dots). Carried items are drawn once, as an `items_drawn` event, so the record
says exactly what people answered about, even if the earlier activity changes later.

Phones name an item by its id: "i1", "i2", … in the order of the items (the agenda's, or the
order they were drawn in, top first). Ids are positions, so they never change once the items
are drawn, and they say nothing about the item's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from facilitate.core.activity import ActivityState
from facilitate.core.kinds.base import Decided, Demo, Kind, Settings
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

MAX_ITEMS = 20


@dataclass(frozen=True)
class ItemsFrom:
    """Take the `top` items of the earlier activity `activity` when this one opens."""

    activity: str
    top: int


@dataclass(frozen=True)
class ItemsSettings(Settings):
    items: tuple[Text, ...] = ()
    items_from: ItemsFrom | None = None


def read_items(
    reader: Reader, item: Mapping[str, Any], index: int, language: str, low: int = 2
) -> dict[str, Any]:
    """`items` (low to MAX_ITEMS texts) or `items_from`, as keyword arguments for settings."""
    where = reader.where(index, "items")
    given, source = item.get("items"), item.get("items_from")
    if (given is None) == (source is None):
        reader.problem(
            where, "give either items or items_from", index, "items", code="items_or_items_from"
        )
        return {}
    if source is not None:
        return {"items_from": _read_source(reader, source, index)}
    if not isinstance(given, list) or not low <= len(given) <= MAX_ITEMS:
        reader.problem(
            where,
            f"give a list of {low} to {MAX_ITEMS} items",
            index,
            "items",
            code="items_count",
            low=low,
            high=MAX_ITEMS,
        )
        return {}
    texts = tuple(
        reader.value_text(value, f"{where}[{n}]", language, index, "items", item=n + 1)
        for n, value in enumerate(given)
    )
    return {"items": texts}


def _read_source(reader: Reader, source: Any, index: int) -> ItemsFrom | None:
    where = reader.where(index, "items_from")
    if (
        not isinstance(source, Mapping)
        or set(source) != {"activity", "top"}
        or not isinstance(source["activity"], str)
        or isinstance(source["top"], bool)
        or not isinstance(source["top"], int)
        or not 1 <= source["top"] <= MAX_ITEMS
    ):
        reader.problem(
            where,
            f'must be {{ activity = "an earlier activity\'s id", top = 1 to {MAX_ITEMS} }}',
            index,
            "items_from",
            code="bad_items_from",
            high=MAX_ITEMS,
        )
        return None
    return ItemsFrom(source["activity"], source["top"])


def items_dict(settings: ItemsSettings) -> dict[str, Any]:
    if settings.items_from is not None:
        source = settings.items_from
        return {"items_from": {"activity": source.activity, "top": source.top}}
    return {"items": [dict(text) for text in settings.items]}


def items(state: ActivityState) -> tuple[Text, ...]:
    """The items people answer about: drawn from the earlier activity, or the agenda's."""
    drawn: tuple[Text, ...] | None = state.drawn
    if drawn is not None:
        return drawn
    settings: ItemsSettings = state.spec.settings
    return settings.items


def item_ids(state: ActivityState) -> tuple[str, ...]:
    """The ids phones name the items by: "i1", "i2", … in the order of `items`."""
    return tuple(f"i{number}" for number in range(1, len(items(state)) + 1))


def keyed(state: ActivityState) -> dict[str, Text]:
    """The items by their ids, in order."""
    return dict(zip(item_ids(state), items(state), strict=True))


def demo_ids(spec: ActivitySpec, demo: Demo) -> list[str]:
    """The item ids a demo's phones answer about: the items drawn when the activity was shown,
    or the agenda's."""
    count = len(items(demo.state) if demo.state else spec.settings.items)
    return [f"i{number}" for number in range(1, count + 1)]


def _drawn(meeting: Meeting, state: ActivityState, event: Event) -> None:
    state.drawn = tuple(dict(text) for text in event.data["items"])
    if "tables" in event.data:
        state.brought = tuple(event.data["tables"])


class ItemsKind(Kind):
    """A kind whose phones answer about a list of items (see the module's doc)."""

    fields = frozenset({"items", "items_from"})
    instead = frozenset({"items_from"})  # the example gives `items`
    appliers: ClassVar[Mapping[str, Any]] = {"items_drawn": _drawn}

    def sources(self, settings: Any) -> tuple[str, ...]:
        source = settings.items_from
        return () if source is None else (source.activity,)

    def opening(self, meeting: Meeting, state: ActivityState) -> Decided:
        source = state.spec.settings.items_from
        if source is None or state.drawn is not None:
            return []
        found = meeting.top_from(source.activity, source.top, meeting.plan.language, state.table)
        data: dict[str, Any] = {"activity": state.spec.id, "items": [dict(t) for t, _ in found]}
        if state.table is None and any(table for _, table in found):
            data["tables"] = [table for _, table in found]  # which table brought each
        return [("items_drawn", data)]

    def head(self, state: ActivityState) -> dict[str, Any]:
        return {"items": [{"id": i, "text": dict(text)} for i, text in keyed(state).items()]}
