"""Statements rated on a scale (1–5, 0–10 …), with "don't know" kept apart. Pure.

Fields: `items` (1 to 20 statements) or `items_from` an earlier activity (items.py); `min` and
`max` (whole numbers, 2 to 11 steps: scales.py; 1 and 5 unless given); `labels`, the texts at
the two ends (`["Helt uenig", "Helt enig"]`); `dont_know` (true unless set to false).

A phone rates each item with its own `rate` command; a later rating of the same item replaces
the earlier one, and `value = null` takes it back. Results per item: how many gave each value,
the mean and the median of the values given, and how many said "don't know" (never in the
mean). The number of raters is the number of phones that answered any item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from facilitate.core import ratings
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import (
    Bar,
    Bars,
    Block,
    Column,
    Context,
    Heading,
    Input,
    Inputs,
    Paragraph,
    Table,
    percent,
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
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

DONT_KNOW = None  # how a "don't know" is kept among a phone's ratings


@dataclass(frozen=True)
class ScaleSettings(ItemsSettings):
    scale: Range = field(default_factory=Range)
    dont_know: bool = True


def settings(state: ActivityState) -> ScaleSettings:
    found: ScaleSettings = state.spec.settings
    return found


def _rate(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    scale = settings(state)
    item = check_item(state, data["item"])
    value = data["value"]
    if data.get("dont_know"):
        if value is not None:
            raise CommandError("bad_rating", 'give a value or "don\'t know", not both')
        if not scale.dont_know:
            raise CommandError("no_dont_know", 'this scale has no "don\'t know"')
        answer: dict[str, Any] = {"dont_know": True}
    elif value is None:
        return withdraw(state, pid, item)
    else:
        answer = {"value": check_value(scale.scale, value)}
    own = answers(state).get(pid, {})
    if item in own and own[item] == answer.get("value", DONT_KNOW):
        return []  # the same rating again changes nothing
    return [("item_rated", {"activity": state.spec.id, "item": item, **answer})]


def _rated(meeting: Meeting, state: ActivityState, event: Event) -> None:
    give(state, event.actor, event.data["item"], event.data.get("value", DONT_KNOW))


def scores(state: ActivityState) -> dict[str, Any]:
    """Per item (in the list's order) its counts per value, mean, median and spread of the
    values given, and its "don't know"s; and how many phones rated anything."""
    scale = settings(state).scale
    count = len(items(state))
    # Counted in one pass over the answers: a view of 5,000 phones' ratings stays cheap.
    counts = [[0] * (scale.high - scale.low + 1) for _ in range(count)]
    unknown = [0] * count
    for own in answers(state).values():
        for item, value in own.items():
            if value is DONT_KNOW:
                unknown[item] += 1
            else:
                counts[item][value - scale.low] += 1
    return {
        "scores": [
            {"item": item, **ratings.figures(counts[item], scale.low), "dont_know": k}
            for item, k in enumerate(unknown)
        ],
        "raters": len(answers(state)),
    }


class Scale(RatedKind):
    name = "scale"
    gives_items = True
    label = N_("Scale")
    example = {
        "kind": "scale",
        "title": "Hvor enig er du?",
        "text": "Svar på en skala fra 1 (helt uenig) til 5 (helt enig).",
        "items": [
            "Jeg føler meg trygg i sentrum om kvelden",
            "Politiet er lett å få tak i når jeg trenger dem",
            "Det er nok lys på gangveiene",
        ],
        "min": 1,
        "max": 5,
        "labels": ["Helt uenig", "Helt enig"],
        "dont_know": True,
        "results": "reveal",
    }
    fields = ItemsKind.fields | {"min", "max", "labels", "dont_know"}
    messages = {
        "rate": {
            **ACTIVITY,
            "item": ((int,), True),
            "value": ((int, None), True),
            "dont_know": ((bool,), False),
        }
    }
    participant = {"rate": _rate}
    appliers = {**ItemsKind.appliers, "item_rated": _rated, "rating_withdrawn": withdrawn}
    input_events = frozenset({"item_rated"})

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        low, high = read_range(reader, item, index)
        ends: list[Text | None] = [None, None]
        labels = item.get("labels")
        if labels is not None:
            if isinstance(labels, list) and len(labels) == 2:
                ends = [
                    reader.value_text(
                        text, f"activities[{index}].labels[{n}]", language, index, "labels"
                    )
                    or None
                    for n, text in enumerate(labels)
                ]
            else:
                reader.problem(
                    reader.where(index, "labels"),
                    'give two texts: what the lowest and the highest value mean (["Helt '
                    'uenig", "Helt enig"])',
                    index,
                    "labels",
                    code="scale_labels",
                )
        return ScaleSettings(
            **read_items(reader, item, index, language, low=1),
            scale=Range(low, high, ends[0], ends[1]),
            dont_know=reader.flag(item, "dont_know", index, default=True),
        )

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        scale: Range = settings.scale
        data = {**items_dict(settings), "min": scale.low, "max": scale.high}
        if scale.low_text and scale.high_text:
            data["labels"] = [dict(scale.low_text), dict(scale.high_text)]
        return {**data, "dont_know": settings.dont_know}

    def head(self, state: ActivityState) -> dict[str, Any]:
        scale = settings(state)
        ends = scale.scale.low_text, scale.scale.high_text
        return {
            "items": [dict(text) for text in items(state)],  # named by position
            "min": scale.scale.low,
            "max": scale.scale.high,
            "labels": [dict(text or {}) for text in ends] if all(ends) else [],
            "dont_know": scale.dont_know,
        }

    def phone(self, state: ActivityState) -> dict[str, Any]:
        return scores(state) if state.show_results else {}

    screen = phone

    def console(self, state: ActivityState) -> dict[str, Any]:
        return scores(state)  # the facilitator always sees how it goes

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        own = answers(state).get(pid)
        if not own:
            return {}
        return {
            "ratings": [
                {"item": item, "dont_know": True}
                if value is DONT_KNOW
                else {"item": item, "value": value}
                for item, value in sorted(own.items())
            ]
        }

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """A choice per item, `item0`, `item1`, … (by position): a number, "dk" for "don't
        know", or "" for no answer, which takes back an answer given before."""
        own = answers(state).get(pid, {})
        commands: Commands = []
        for item in range(len(items(state))):
            chosen = first(form, f"item{item}")
            data: dict[str, Any] = {"activity": state.spec.id, "item": item}
            if chosen == "dk":
                commands.append(("rate", {**data, "value": None, "dont_know": True}))
            elif chosen.strip():
                commands.append(("rate", {**data, "value": whole(chosen)}))
            elif item in own:
                commands.append(("rate", {**data, "value": None}))
        return commands

    def record(self, state: ActivityState) -> dict[str, Any]:
        result = scores(state)
        for score, text in zip(result["scores"], items(state), strict=True):
            score["text"] = dict(text)
        return result

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The statements with the highest mean (in the list's order when equal; those nobody
        rated last)."""
        rows = scores(state)["scores"]
        order = sorted(rows, key=lambda s: (s["mean"] is None, -(s["mean"] or 0)))
        texts = items(state)
        return [dict(texts[s["item"]]) for s in order[:count]]

    def minutes(self, activity: dict[str, Any], context: Context) -> list[Block]:
        """A table of every statement's mean, median and answers; then, in documents, how
        many gave each value, statement by statement; in sheets, those counts as columns."""
        w = context.words
        low, high = activity["min"], activity["max"]
        ends = activity.get("labels") or [None, None]
        values = range(low, high + 1)

        def value_label(value: int) -> str:
            end = ends[0] if value == low else ends[1] if value == high else None
            return f"{value} ({context.text(end)})" if end else str(value)

        rows = activity.get("scores", [])
        labels = [context.text(row["text"]) for row in rows]
        common = (
            Column(w["statement"]),
            Column(w["answered_label"], "number"),
            Column(w["mean"], "number", 1),
            Column(w["median"], "number", 1),
        )
        known = activity.get("dont_know", True)
        result: list[Block] = [
            Paragraph(
                w["scale_range"] % {"low": value_label(low), "high": value_label(high)},
                muted=True,
            ),
            Table(
                (*common, *((Column(w["dont_know"], "number"),) if known else ())),
                tuple(
                    (label, r["n"], r["mean"], r["median"], *((r["dont_know"],) if known else ()))
                    for label, r in zip(labels, rows, strict=True)
                ),
                empty=f"({w['none']})",
                show="documents",
            ),
            Table(
                (
                    *common,
                    Column(w["sd"], "number", 2),
                    Column(w["dont_know"], "number"),
                    *(Column(value_label(v), "number") for v in values),
                ),
                tuple(
                    (label, r["n"], r["mean"], r["median"], r["sd"], r["dont_know"], *r["counts"])
                    for label, r in zip(labels, rows, strict=True)
                ),
                show="sheets",
            ),
        ]
        if known:
            result.append(Paragraph(w["dont_know_apart"], muted=True, show="documents"))
        for label, row in zip(labels, rows, strict=True):
            result.append(Heading(label, show="documents"))
            bars = [
                Bar(value_label(v), n, percent(n, row["n"]))
                for v, n in zip(values, row["counts"], strict=True)
            ]
            result.append(Bars(w["rating"], w["answers"], tuple(bars), show="documents"))
            if known and row["dont_know"]:
                result.append(
                    Paragraph(w["dont_know_n"] % {"n": row["dont_know"]}, show="documents")
                )
        result.append(
            Inputs(
                tuple(
                    Input(None, w["rating"], column=column, text=label, votes=n)
                    for label, row in zip(labels, rows, strict=True)
                    for column, n in (
                        *zip(map(value_label, values), row["counts"], strict=True),
                        (w["dont_know"], row["dont_know"]),
                    )
                    if n
                )
            )
        )
        return result

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        scale: ScaleSettings = spec.settings
        low, high = scale.scale.low, scale.scale.high
        count = len(scale.items or (demo.state.drawn if demo.state else None) or ())
        leanings = [demo.chance.uniform(0.15, 0.85) for _ in range(count)]
        for pid in demo.people:
            if demo.chance.random() < 0.1:
                continue  # not everyone answers
            for item, leaning in enumerate(leanings):
                if scale.dont_know and demo.chance.random() < 0.08:
                    demo.act(pid, "rate", activity=spec.id, item=item, value=None, dont_know=True)
                    continue
                spot = min(1.0, max(0.0, demo.chance.gauss(leaning, 0.22)))
                value = low + round(spot * (high - low))
                demo.act(pid, "rate", activity=spec.id, item=item, value=value)
        if spec.results == "reveal":
            demo.fac("reveal", activity=spec.id)


KIND = Scale()
