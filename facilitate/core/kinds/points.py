"""Points: each phone spreads a budget of points over the items; totals and shares. Pure.

Fields: `items` or `items_from` (items.py) and `budget` (points per phone, 1 to 1000, 100 when
left out). A phone sends its whole spread as item ids and whole numbers of points:
`{"type": "allot", "points": {"i1": 60, "i3": 40}}`; items left out get none. A spread over the
budget is refused (`over_budget`) and changes nothing, as is a point count that is not a whole
number from 0 up (`bad_points`) or an item that is not there (`unknown_item`). A phone need not
give all its points; a later spread replaces the earlier one, and an empty one withdraws it.

A phone's spread is kept in `state.dots` (participant -> item id -> points, none at zero), as a
pain/joy board keeps its dots: points are dots with a bigger budget. The totals are in
priorities.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.core.activity import ActivityState
from facilitate.core.blocks import Bar, Bars, Block, Context, Facts, Paragraph, safe
from facilitate.core.errors import CommandError
from facilitate.core.kinds import priorities
from facilitate.core.kinds.base import ACTIVITY, N_, Commands, Contribution, Decided, Demo, Form
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

BUDGET = 100
MAX_BUDGET = 1000


@dataclass(frozen=True)
class PointsSettings(ItemsSettings):
    budget: int = BUDGET


def budget(state: ActivityState) -> int:
    found: int = state.spec.settings.budget
    return found


def check_spread(ids: Sequence[str], budget: int, points: Mapping[str, Any]) -> dict[str, int]:
    """The spread in the items' order without zeros, or a CommandError saying what is wrong
    with it. An empty spread withdraws the phone's points."""
    unknown = [item for item in points if item not in ids]
    if unknown:
        raise CommandError("unknown_item", f"no item {unknown[0]!r} here")
    for value in points.values():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CommandError("bad_points", "points are whole numbers from 0 up")
    total = sum(points.values())
    if total > budget:
        raise CommandError(
            "over_budget",
            f"{total} points is more than the {budget} you have",
            total=total,
            budget=budget,
        )
    return {item: points[item] for item in ids if points.get(item)}


def spent(state: ActivityState, pid: str) -> int:
    """Points the phone has given."""
    return sum(state.dots.get(pid, {}).values())


def totals(state: ActivityState) -> dict[str, Any]:
    """Every item with its points, share of all points given and rank, most first; the points
    given in all and the number of phones that gave them."""
    texts = keyed(state)
    rows = priorities.totals(tuple(texts), state.dots.values())
    for row in rows:
        row["text"] = dict(texts[row["id"]])
    given = sum(row["points"] for row in rows)
    return {"voters": len(state.dots), "given": given, "items": rows}


def _allot(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    spread = check_spread(item_ids(state), budget(state), data["points"])
    if state.dots.get(pid, {}) == spread:
        return []  # the same spread again changes nothing
    return [("points_set", {"activity": state.spec.id, "points": spread})]


def _set(meeting: Meeting, state: ActivityState, event: Event) -> None:
    if event.data["points"]:
        state.dots[event.actor] = dict(event.data["points"])
    else:
        state.dots.pop(event.actor, None)


class Points(ItemsKind):
    name = "points"
    label = N_("Points")
    gives_items = True
    example = {
        "kind": "points",
        "title": "Hvor skal pengene brukes?",
        "text": "Du har 100 poeng. Fordel dem på det du synes er viktigst.",
        "items": [
            "Lys i parken og undergangen",
            "Natteravner i helgene",
            "Fartskontroller i Storgata",
            "Aktiviteter for ungdom på kvelden",
        ],
        "budget": 100,
        "results": "live",
    }
    fields = ItemsKind.fields | {"budget"}
    messages = {"allot": {**ACTIVITY, "points": ((dict,), True)}}
    participant = {"allot": _allot}
    appliers = {**ItemsKind.appliers, "points_set": _set}
    input_events = frozenset({"points_set"})

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        return PointsSettings(
            **read_items(reader, item, index, language),
            budget=reader.integer(item, "budget", BUDGET, 1, MAX_BUDGET, index),
        )

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        return {**items_dict(settings), "budget": settings.budget}

    def head(self, state: ActivityState) -> dict[str, Any]:
        return {**super().head(state), "budget": budget(state)}

    def phone(self, state: ActivityState) -> dict[str, Any]:
        return {"totals": totals(state)} if state.show_results else {}

    screen = phone

    def console(self, state: ActivityState) -> dict[str, Any]:
        return {"totals": totals(state)}  # the facilitator always sees them

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        if pid not in state.dots:
            return {}
        return {"points": dict(state.dots[pid]), "remaining": budget(state) - spent(state, pid)}

    def record(self, state: ActivityState) -> dict[str, Any]:
        return {"totals": totals(state)}

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """A number of points per item, `i1`, `i2`, …; an empty field is none."""
        points = {}
        for item in item_ids(state):
            given = whole(first(form, item))
            if given:
                points[item] = given
        return [("allot", {"activity": state.spec.id, "points": points})]

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The items given most points (in the items' order when equal)."""
        return [row["text"] for row in totals(state)["items"][:count]]

    def promise(self, entry: dict[str, Any], context: Context) -> list[Contribution]:
        """The focus: the items given most points, with their points and shares."""
        w = context.words
        result = entry.get("totals") or {"given": 0, "items": []}
        bars = tuple(
            Bar(safe(context.text(row["text"])), row["points"], row["share"], rank=row["rank"])
            for row in result["items"][:TOP]
            if row["points"]
        )
        return titled(
            entry, context, "focus", [Bars(w["item"], w["points_column"], bars)] if bars else []
        )

    def minutes(self, activity: dict[str, Any], context: Context) -> list[Block]:
        """The items by points, with their share of all points given."""
        w = context.words
        result = activity.get("totals") or {"given": 0, "items": []}
        bars = tuple(
            Bar(safe(context.text(row["text"])), row["points"], row["share"], rank=row["rank"])
            for row in result["items"]
        )
        given, each = result["given"], activity.get("budget", BUDGET)
        return [
            Bars(w["item"], w["points_column"], bars, empty=w["no_items"]),
            Paragraph(w["points_how"] % {"budget": each, "n": given}, muted=True, show="documents"),
            Facts(((w["budget"], each), (w["points_given"], given)), show="sheets"),
        ]

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        """People put most of their points on one or two things, in round numbers, and now and
        then keep a few."""
        ids = demo_ids(spec, demo)
        each: int = spec.settings.budget
        step = max(1, each // 20)
        weight = [demo.chance.uniform(0.2, 3) for _ in ids]
        for pid in demo.people:
            if not ids or demo.chance.random() > 0.85:
                continue
            chosen = set(demo.chance.choices(ids, weight, k=demo.chance.randint(1, 4)))
            shares = {item: demo.chance.uniform(0.5, 3) for item in sorted(chosen)}
            whole = sum(shares.values())
            keep = min(step * demo.chance.choice([0, 0, 0, 1, 2]), each - step)
            spread = {
                item: int((each - keep) * share / whole) // step * step
                for item, share in shares.items()
            }
            demo.act(pid, "allot", activity=spec.id, points=spread)
        if spec.results == "reveal":
            demo.fac("reveal", activity=spec.id)


KIND = Points()
