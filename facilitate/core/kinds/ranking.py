"""Ranking: each phone puts the items in its own order; Borda scores and average positions. Pure.

Fields: `items` or `items_from` (items.py). A phone sends its whole order, best first, as item
ids ("i1", "i2", … in the order of the items): `{"type": "rank", "order": ["i3", "i1", "i2"]}`.
It names every item exactly once: an unknown item, an item twice or an item left out is
refused (`unknown_item`, `duplicate_item`, `missing_items`) and changes nothing. Partial
rankings are not taken: the phone always holds a whole order (the items' own order until the
person moves one), and Borda scores and average positions are only comparable between whole
rankings. A later order replaces the earlier one; an empty order withdraws it.

A phone's order is kept in `state.votes` (participant -> item ids, best first): a ranking is
a ranked ballot. The results (priorities.py) give each item its Borda score (in a ranking of
n items the first gets n − 1 points, the last 0) and its average position.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from facilitate.core.activity import ActivityState
from facilitate.core.blocks import Block, Column, Context, Paragraph, Table, safe
from facilitate.core.errors import CommandError
from facilitate.core.kinds import priorities
from facilitate.core.kinds.base import (
    ACTIVITY,
    N_,
    Commands,
    Contribution,
    Decided,
    Demo,
    Form,
    Ids,
)
from facilitate.core.kinds.forms import first, whole
from facilitate.core.kinds.items import (
    ItemsKind,
    ItemsSettings,
    demo_ids,
    item_ids,
    items_dict,
    keyed,
    read_items,
)
from facilitate.core.kinds.promising import TOP, titled
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader


def check_order(ids: Sequence[str], order: Sequence[Any]) -> tuple[str, ...]:
    """The order as item ids, or a CommandError saying what is wrong with it. An empty order
    withdraws the ranking."""
    known = set(ids)
    for item in order:
        if not isinstance(item, str) or item not in known:
            raise CommandError("unknown_item", f"no item {item!r} here")
    if len(set(order)) < len(order):
        twice = next(item for n, item in enumerate(order) if item in order[:n])
        raise CommandError("duplicate_item", f"{twice!r} is ranked twice")
    missing = len(ids) - len(order)
    if order and missing:
        raise CommandError(
            "missing_items", f"rank every item: {missing} left out", n=missing, total=len(ids)
        )
    return tuple(order)


def standings(state: ActivityState) -> dict[str, Any]:
    """Every item with its Borda score, average position and rank, best first, and the number
    of phones that ranked them."""
    texts = keyed(state)
    rows = priorities.borda(tuple(texts), state.votes.values())
    for row in rows:
        row["text"] = dict(texts[row["id"]])
    return {"rankers": len(state.votes), "items": rows}


def _rank(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    order = check_order(item_ids(state), data["order"])
    if state.votes.get(pid, ()) == order:
        return []  # the same order again changes nothing
    return [("ranking_set", {"activity": state.spec.id, "order": list(order)})]


def _set(meeting: Meeting, state: ActivityState, event: Event) -> None:
    if event.data["order"]:
        state.votes[event.actor] = tuple(event.data["order"])
    else:
        state.votes.pop(event.actor, None)


def order_from_places(ids: Sequence[str], places: Sequence[int | None]) -> list[str]:
    """The order a form's numbers give (1 for the first), or a CommandError: every item needs
    a number from 1 to the number of items (`bad_place`), and no two the same (`same_place`).
    No number at all withdraws the ranking (an empty order)."""
    if all(place is None for place in places):
        return []
    total = len(ids)
    if any(place is None or not 1 <= place <= total for place in places):
        raise CommandError("bad_place", f"give every item a number from 1 to {total}", n=total)
    if len(set(places)) < total:
        raise CommandError("same_place", "two items have the same number", n=total)
    return [item for _, item in sorted(zip(places, ids, strict=True))]


class Ranking(ItemsKind):
    name = "ranking"
    label = N_("Ranking")
    gives_items = True
    example = {
        "kind": "ranking",
        "title": "Hva bør vi gjøre først?",
        "text": "Sett tiltakene i rekkefølge: det viktigste øverst.",
        "items": [
            "Bedre lys i undergangen",
            "Flere voksne ute i helgene",
            "Fartsdumper i Storgata",
            "Ungdomsklubben åpen på fredager",
        ],
        "results": "reveal",
    }
    messages = {"rank": {**ACTIVITY, "order": ((Ids,), True)}}
    participant = {"rank": _rank}
    appliers = {**ItemsKind.appliers, "ranking_set": _set}
    input_events = frozenset({"ranking_set"})

    def read(self, reader: Reader, item: Any, index: int, language: str) -> Any:
        return ItemsSettings(**read_items(reader, item, index, language))

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        return items_dict(settings)

    def phone(self, state: ActivityState) -> dict[str, Any]:
        return {"standings": standings(state)} if state.show_results else {}

    screen = phone

    def console(self, state: ActivityState) -> dict[str, Any]:
        return {"standings": standings(state)}  # the facilitator always sees them

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        return {"order": list(state.votes[pid])} if pid in state.votes else {}

    def record(self, state: ActivityState) -> dict[str, Any]:
        return {"standings": standings(state)}

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """A number per item, `i1`, `i2`, … (1 for what matters most): a whole order, or none
        at all to take the ranking back."""
        ids = item_ids(state)
        places = [whole(first(form, item)) for item in ids]
        return [("rank", {"activity": state.spec.id, "order": order_from_places(ids, places)})]

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The items with the highest Borda scores (in the items' order when equal)."""
        return [row["text"] for row in standings(state)["items"][:count]]

    def promise(self, entry: dict[str, Any], context: Context) -> list[Contribution]:
        """The focus: the items ranked highest, with their Borda scores."""
        w = context.words
        result = entry.get("standings") or {"rankers": 0, "items": []}
        if not result["rankers"]:
            return []
        rows = tuple(
            (row["rank"], safe(context.text(row["text"])), row["score"])
            for row in result["items"][:TOP]
        )
        columns = (Column(w["rank"], "number"), Column(w["item"]), Column(w["borda"], "number"))
        return titled(entry, context, "focus", [Table(columns, rows)])

    def minutes(self, activity: dict[str, Any], context: Context) -> list[Block]:
        """The items by Borda score, with their average positions, and how to read them."""
        w = context.words
        result = activity.get("standings") or {"rankers": 0, "items": []}
        rows = tuple(
            (row["rank"], safe(context.text(row["text"])), row["score"], row["average"])
            for row in result["items"]
        )
        table = Table(
            (
                Column(w["rank"], "number"),
                Column(w["item"]),
                Column(w["borda"], "number"),
                Column(w["average_position"], "number", places=2),
            ),
            rows,
            empty=w["no_items"],
        )
        count = len(rows)
        how = w["borda_how"] % {"n": count, "top": max(count - 1, 0)}
        return [table, Paragraph(how, muted=True, show="documents")]

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        """People agree on the whole but not in detail: each ranks by a shared sense of what
        matters most, with their own view mixed in."""
        ids = demo_ids(spec, demo)
        weight = {item: demo.chance.uniform(0, 3) for item in ids}
        for pid in demo.people:
            if ids and demo.chance.random() < 0.85:
                order = sorted(ids, key=lambda i: -(weight[i] + demo.chance.gauss(0, 1)))
                demo.act(pid, "rank", activity=spec.id, order=order)
        if spec.results == "reveal":
            demo.fac("reveal", activity=spec.id)


KIND = Ranking()
