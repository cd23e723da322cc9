"""Items placed on two scales at once: an effort/effect matrix (innsats/effekt). Pure.

Fields: `items` (2 to 20) or `items_from` an earlier activity (items.py); `x` and `y`, each
`{ label = "Innsats", min = 1, max = 5, low = "Lite", high = "Mye" }` (`low` and `high`, the
texts at the ends, may be left out; ranges as in scales.py); `quadrants`, names for the four
quadrants (`top_left`, `top_right`, `bottom_left`, `bottom_right`, where top is a high y and
right a high x). Without them the quadrants have the effort/effect names, in each reader's
language: low effort and high effect are quick wins, high and high major projects, low and
low fill-ins, high effort and low effect thankless tasks.

A phone places each item with its own `place` command (x and y); a later place replaces the
earlier one, and `x = y = null` takes it back. Results per item: the mean place, the spread
(standard deviation) on each scale, how many placed it and how many placed it in each cell,
and the quadrant its mean lies in (none when it lies on a dividing line).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from facilitate.core import ratings
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import (
    BulletList,
    Column,
    Context,
    Heading,
    Input,
    Inputs,
    Item,
    Paragraph,
    Table,
)
from facilitate.core.errors import CommandError
from facilitate.core.kinds.base import ACTIVITY, N_, Commands, Decided, Demo, Form
from facilitate.core.kinds.forms import first, whole
from facilitate.core.kinds.items import ItemsKind, ItemsSettings, items, items_dict, read_items
from facilitate.core.kinds.scales import (
    Range,
    RatedKind,
    answers,
    check_item,
    check_value,
    give,
    read_range,
    withdraw,
    withdrawn,
)
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.blocks import Block
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

QUADRANTS = ("top_left", "top_right", "bottom_left", "bottom_right")
_AXIS_KEYS = frozenset({"label", "min", "max", "low", "high"})


@dataclass(frozen=True)
class Axis(Range):
    """One of the matrix's scales, with what it measures."""

    label: Text = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"label": dict(self.label), **super().as_dict()}


@dataclass(frozen=True)
class MatrixSettings(ItemsSettings):
    x: Axis = field(default_factory=Axis)
    y: Axis = field(default_factory=Axis)
    quadrants: tuple[Text, ...] = ()  # in QUADRANTS' order; () for the effort/effect names


def settings(state: ActivityState) -> MatrixSettings:
    found: MatrixSettings = state.spec.settings
    return found


def quadrant(x: float | None, y: float | None, across: Range, up: Range) -> str | None:
    """The quadrant a mean place lies in; None for no place or a place on a dividing line."""
    if x is None or y is None:
        return None
    middle_x, middle_y = (across.low + across.high) / 2, (up.low + up.high) / 2
    if x == middle_x or y == middle_y:
        return None
    return f"{'top' if y > middle_y else 'bottom'}_{'right' if x > middle_x else 'left'}"


def _place(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    matrix = settings(state)
    item = check_item(state, data["item"])
    x, y = data["x"], data["y"]
    if x is None and y is None:
        return withdraw(state, pid, item)
    if x is None or y is None:
        raise CommandError("both_axes", "give a place on both scales, x and y")
    spot = (check_value(matrix.x, x), check_value(matrix.y, y))
    if answers(state).get(pid, {}).get(item) == spot:
        return []  # the same place again changes nothing
    return [("item_placed", {"activity": state.spec.id, "item": item, "x": x, "y": y})]


def _placed(meeting: Meeting, state: ActivityState, event: Event) -> None:
    give(state, event.actor, event.data["item"], (event.data["x"], event.data["y"]))


def positions(state: ActivityState, *, cells: bool = False) -> dict[str, Any]:
    """Per item (in the list's order) how many placed it, its mean place, the spread on each
    scale and its quadrant; with `cells`, how many placed it at each (x, y) (for the record);
    and how many phones placed anything."""
    matrix = settings(state)
    count = len(items(state))
    across, up = matrix.x, matrix.y
    # Counted in one pass over the places: a view of 5,000 phones' places stays cheap.
    xs = [[0] * (across.high - across.low + 1) for _ in range(count)]
    ys = [[0] * (up.high - up.low + 1) for _ in range(count)]
    placed: list[Counter[tuple[int, int]]] = [Counter() for _ in range(count)]
    for own in answers(state).values():
        for item, (x, y) in own.items():
            xs[item][x - across.low] += 1
            ys[item][y - up.low] += 1
            if cells:
                placed[item][x, y] += 1
    rows = []
    for item in range(count):
        along_x = ratings.figures(xs[item], across.low)
        along_y = ratings.figures(ys[item], up.low)
        row: dict[str, Any] = {
            "item": item,
            "n": along_x["n"],
            "x": along_x["mean"],
            "y": along_y["mean"],
            "sd_x": along_x["sd"],
            "sd_y": along_y["sd"],
            "quadrant": quadrant(along_x["mean"], along_y["mean"], across, up),
        }
        if cells:
            row["cells"] = [{"x": x, "y": y, "n": n} for (x, y), n in sorted(placed[item].items())]
        rows.append(row)
    return {"positions": rows, "raters": len(answers(state))}


def best_first(rows: list[dict[str, Any]], across: Range, up: Range) -> list[dict[str, Any]]:
    """Items by how far up and to the left their mean lies (most effect for least effort
    first, each scale counted from its own ends); items nobody placed last."""

    def score(row: dict[str, Any]) -> tuple[bool, float]:
        if row["x"] is None:
            return True, 0.0
        lift = ratings.position(row["y"], up.low, up.high)
        return False, -(lift - ratings.position(row["x"], across.low, across.high))

    return sorted(rows, key=score)


class Matrix(RatedKind):
    name = "matrix"
    gives_items = True
    label = N_("Matrix")
    example = {
        "kind": "matrix",
        "title": "Hvilke tiltak gir mest effekt for innsatsen?",
        "text": "Plasser hvert tiltak: hvor mye innsats det krever, og hvor stor effekt det gir.",
        "items": [
            "Bedre lys i undergangen",
            "Natteravner i helgene",
            "Fartsdumper i Storgata",
            "Ungdomsklubben åpen fredag kveld",
        ],
        "x": {"label": "Innsats", "min": 1, "max": 5, "low": "Lite", "high": "Mye"},
        "y": {"label": "Effekt", "min": 1, "max": 5, "low": "Liten", "high": "Stor"},
        "quadrants": {
            "top_left": "Raske gevinster",
            "top_right": "Store prosjekter",
            "bottom_left": "Småtterier",
            "bottom_right": "Tidstyver",
        },
        "results": "live",
    }
    fields = ItemsKind.fields | {"x", "y", "quadrants"}
    messages = {
        "place": {
            **ACTIVITY,
            "item": ((int,), True),
            "x": ((int, None), True),
            "y": ((int, None), True),
        }
    }
    participant = {"place": _place}
    appliers = {**ItemsKind.appliers, "item_placed": _placed, "rating_withdrawn": withdrawn}
    input_events = frozenset({"item_placed"})

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        return MatrixSettings(
            **read_items(reader, item, index, language),
            x=_axis(reader, item, index, "x", language),
            y=_axis(reader, item, index, "y", language),
            quadrants=_quadrants(reader, item, index, language),
        )

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        data = {**items_dict(settings), "x": settings.x.as_dict(), "y": settings.y.as_dict()}
        if settings.quadrants:
            data["quadrants"] = _named(settings.quadrants)
        return data

    def head(self, state: ActivityState) -> dict[str, Any]:
        matrix = settings(state)
        return {
            "items": [dict(text) for text in items(state)],  # named by position
            "x": matrix.x.as_dict(),
            "y": matrix.y.as_dict(),
            # {} for the effort/effect names, which each page has in its own language
            "quadrants": _named(matrix.quadrants),
        }

    def phone(self, state: ActivityState) -> dict[str, Any]:
        return positions(state) if state.show_results else {}

    screen = phone

    def console(self, state: ActivityState) -> dict[str, Any]:
        return positions(state)

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        own = answers(state).get(pid)
        if not own:
            return {}
        return {"places": [{"item": i, "x": x, "y": y} for i, (x, y) in sorted(own.items())]}

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """Two choices per item, `x0` and `y0`, `x1` and `y1`, … (by position): numbers, or
        both "" for no place, which takes back a place given before."""
        own = answers(state).get(pid, {})
        commands: Commands = []
        for item in range(len(items(state))):
            x, y = whole(first(form, f"x{item}")), whole(first(form, f"y{item}"))
            if x is not None or y is not None or item in own:
                data = {"activity": state.spec.id, "item": item, "x": x, "y": y}
                commands.append(("place", data))
        return commands

    def record(self, state: ActivityState) -> dict[str, Any]:
        result = positions(state, cells=True)
        for row, text in zip(result["positions"], items(state), strict=True):
            row["text"] = dict(text)
        return result

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The items with most effect for least effort (see `best_first`)."""
        matrix = settings(state)
        texts = items(state)
        rows = best_first(positions(state)["positions"], matrix.x, matrix.y)
        return [dict(texts[row["item"]]) for row in rows[:count]]

    def minutes(self, activity: dict[str, Any], context: Context) -> list[Block]:
        """The two scales; every item's mean place, spread, count and quadrant in one table;
        in documents, the items under each quadrant, most effect for least effort first."""
        w = context.words
        x, y = activity["x"], activity["y"]
        names = {
            key: context.text(activity["quadrants"][key])
            if activity.get("quadrants")
            else w[f"quadrant_{key}"]
            for key in QUADRANTS
        }
        rows = activity.get("positions", [])
        labels = [context.text(row["text"]) for row in rows]
        by_item = dict(zip((row["item"] for row in rows), labels, strict=True))
        x_label, y_label = context.text(x["label"]), context.text(y["label"])
        result: list[Block] = [
            Paragraph(f"{_scale_words(x, context)} {_scale_words(y, context)}", muted=True),
            Table(
                (
                    Column(w["point"]),
                    Column(w["answered_label"], "number"),
                    Column(w["mean_of"] % {"axis": x_label}, "number", 1),
                    Column(w["sd_of"] % {"axis": x_label}, "number", 1),
                    Column(w["mean_of"] % {"axis": y_label}, "number", 1),
                    Column(w["sd_of"] % {"axis": y_label}, "number", 1),
                    Column(w["quadrant"]),
                ),
                tuple(
                    (
                        label,
                        row["n"],
                        row["x"],
                        row["sd_x"],
                        row["y"],
                        row["sd_y"],
                        names[row["quadrant"]] if row["quadrant"] else w["on_a_line"],
                    )
                    for label, row in zip(labels, rows, strict=True)
                    if row["n"]
                ),
                empty=f"({w['none']})",
            ),
            Paragraph(w["matrix_note"], muted=True, show="documents"),
        ]
        best = best_first([r for r in rows if r["n"]], _range(x), _range(y))
        for key in QUADRANTS:
            inside = [Item(by_item[r["item"]]) for r in best if r["quadrant"] == key]
            result.append(Heading(names[key], show="documents"))
            result.append(BulletList(tuple(inside), empty=f"({w['none']})", show="documents"))
        result.append(
            Inputs(
                tuple(
                    Input(
                        None, w["placement"], text=label, votes=cell["n"],
                        column=f"{x_label}: {cell['x']}; {y_label}: {cell['y']}",
                    )
                    for label, row in zip(labels, rows, strict=True)
                    for cell in row.get("cells", [])
                )
            )
        )  # fmt: skip
        return result

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        matrix: MatrixSettings = spec.settings
        count = len(matrix.items or (demo.state.drawn if demo.state else None) or ())
        # What each measure really takes and gives, as the room sees it, between 0 and 1.
        truths = [
            (demo.chance.uniform(0.1, 0.9), demo.chance.uniform(0.1, 0.9)) for _ in range(count)
        ]
        for pid in demo.people:
            if demo.chance.random() < 0.15:
                continue  # not everyone answers
            for item, (effort, effect) in enumerate(truths):
                if demo.chance.random() < 0.1:
                    continue  # nor about every item
                x = _demo_value(demo, effort, matrix.x)
                y = _demo_value(demo, effect, matrix.y)
                demo.act(pid, "place", activity=spec.id, item=item, x=x, y=y)
        if spec.results == "reveal":
            demo.fac("reveal", activity=spec.id)


def _demo_value(demo: Demo, truth: float, axis: Range) -> int:
    spot: float = min(1.0, max(0.0, demo.chance.gauss(truth, 0.2)))
    return axis.low + round(spot * (axis.high - axis.low))


def _named(quadrants: tuple[Text, ...]) -> dict[str, Any]:
    """Quadrant names by quadrant ({} when the agenda gives none)."""
    return {key: dict(text) for key, text in zip(QUADRANTS, quadrants, strict=False)}


def _range(axis: dict[str, Any]) -> Range:
    return Range(axis["min"], axis["max"])


def _scale_words(axis: dict[str, Any], context: Context) -> str:
    """An axis in words: "Innsats: from 1 (Lite) to 5 (Mye)."."""
    ends = []
    for end, text in (("min", axis.get("low")), ("max", axis.get("high"))):
        ends.append(f"{axis[end]} ({context.text(text)})" if text else str(axis[end]))
    return context.words["axis_range"] % {
        "axis": context.text(axis["label"]),
        "low": ends[0],
        "high": ends[1],
    }


def _axis(reader: Reader, item: Mapping[str, Any], index: int, key: str, language: str) -> Axis:
    raw = item.get(key)
    where = reader.where(index, key)
    if not isinstance(raw, Mapping) or "label" not in raw or not set(raw) <= _AXIS_KEYS:
        reader.problem(
            where,
            'must be { label = "…", min = 1, max = 5 }, with low and high (the texts at the '
            "ends) if you like",
            index,
            key,
            code="bad_axis",
        )
        return Axis()
    label = reader.value_text(raw["label"], f"{where}.label", language, index, key)
    low, high = read_range(reader, raw, index, key)
    ends = [
        reader.value_text(raw[end], f"{where}.{end}", language, index, key) if end in raw else {}
        for end in ("low", "high")
    ]
    return Axis(low, high, ends[0] or None, ends[1] or None, label)


def _quadrants(
    reader: Reader, item: Mapping[str, Any], index: int, language: str
) -> tuple[Text, ...]:
    raw = item.get("quadrants")
    if raw is None:
        return ()
    where = reader.where(index, "quadrants")
    if not isinstance(raw, Mapping) or set(raw) != set(QUADRANTS):
        reader.problem(
            where,
            f"must name all four quadrants: {', '.join(QUADRANTS)} (top is a high y, right a "
            "high x), or be left out for the effort/effect names",
            index,
            "quadrants",
            code="bad_quadrants",
        )
        return ()
    return tuple(
        reader.value_text(raw[key], f"{where}.{key}", language, index, "quadrants")
        for key in QUADRANTS
    )


KIND = Matrix()
