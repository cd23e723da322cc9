"""Pain points and heart (joy) points, then prioritising them with dots. Pure.

Smertepunkter og hjertepunkter: phones post notes on one of two sides; in the dot phase each
phone places its `pain_dots` and `joy_dots` (at most `dot_cap` on one note). Fields: `dots` (both
budgets at once), `pain_dots`, `joy_dots`, `dot_cap`, `max_length`, `hold_personal`. The dot
rules are in facilitate.core.dots; moderation is every board's (boards.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.core import dots
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import (
    Bar,
    Bars,
    Block,
    Cell,
    Column,
    Context,
    Facts,
    Heading,
    Paragraph,
    Table,
    Tone,
    percent,
    safe,
)
from facilitate.core.errors import CommandError
from facilitate.core.kinds.base import (
    ACTIVITY,
    N_,
    Commands,
    Contribution,
    Decided,
    Demo,
    Form,
    Step,
)
from facilitate.core.kinds.boards import (
    BoardKind,
    BoardSettings,
    inputs,
    merged_texts,
    note_text,
    read_board,
    wall,
    withheld,
)
from facilitate.core.kinds.forms import first
from facilitate.core.kinds.promising import TOP, titled
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

SIDES = ("pain", "joy")  # smertepunkter / hjertepunkter
PHASES = ("notes", "dots")  # first post notes, then prioritise them with dots
_TONES: dict[str, Tone] = {"pain": "negative", "joy": "positive"}
# Pain and heart points as people write them: the demo's input.
WRITTEN = {
    "pain": [
        "Mørke og utrygge snarveier",
        "Råkjøring i sentrum",
        "Mørkt og utrygt i undergangen",
        "Lite å gjøre for ungdom på kvelden",
        "Rus og fulle folk i helgene",
        "Utestengning og baksnakking på nett",
        "Bussen går for sjelden",
    ],
    "joy": [
        "Ungdomsklubben på fredager",
        "Gode trenere i idrettslaget",
        "Naturen rundt oss",
        "Folk hilser på hverandre",
        "Sommerkonsertene på torget",
        "Natteravnene i helgene",
    ],
}


@dataclass(frozen=True)
class PainJoySettings(BoardSettings):
    pain_dots: int = 3
    joy_dots: int = 3
    dot_cap: int = 2


def _dot(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    delta = data["delta"]
    dots.check_dot(state, pid, data["note"], delta)
    kind = "dot_placed" if delta > 0 else "dot_removed"
    return [(kind, {"activity": state.spec.id, "note": data["note"]})]


def _phase(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    if data.get("phase") not in PHASES:
        raise CommandError("bad_phase", f"phase must be one of {', '.join(PHASES)}")
    if state.phase == data["phase"]:
        return []
    return [("phase_changed", {"activity": state.spec.id, "phase": data["phase"]})]


def _placed(delta: int) -> Any:
    def apply(meeting: Meeting, state: ActivityState, event: Event) -> None:
        dots.apply_dot(state, event.actor, event.data["note"], delta)

    return apply


def _phase_changed(meeting: Meeting, state: ActivityState, event: Event) -> None:
    state.phase = event.data["phase"]


class PainJoy(BoardKind):
    name = "painjoy"
    gives_items = True
    label = N_("Pain and heart points")
    example = {
        "kind": "painjoy",
        "title": "Smertepunkter og hjertepunkter",
        "text": "Skriv det som gjør vondt og det som gjør godt. Så får du 3 prikker av hver.",
        "dots": 3,
        "pain_dots": 3,
        "joy_dots": 3,
        "dot_cap": 2,
        "max_length": 280,
        "hold_personal": True,
        "results": "live",
    }
    fields = BoardKind.fields | {"dots", "pain_dots", "joy_dots", "dot_cap"}
    messages = {
        **BoardKind.messages,
        "dot": {**ACTIVITY, "note": ((str,), True), "delta": ((Step,), True)},
        "phase": {**ACTIVITY, "phase": ((str,), True)},
    }
    participant = {**BoardKind.participant, "dot": _dot}
    facilitator = {**BoardKind.facilitator, "phase": _phase}
    appliers = {
        **BoardKind.appliers,
        "dot_placed": _placed(+1),
        "dot_removed": _placed(-1),
        "phase_changed": _phase_changed,
    }
    input_events = BoardKind.input_events | {"dot_placed"}

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        both = reader.integer(item, "dots", 3, 1, 20, index)
        settings = PainJoySettings(
            pain_dots=reader.integer(item, "pain_dots", both, 0, 20, index),
            joy_dots=reader.integer(item, "joy_dots", both, 0, 20, index),
            dot_cap=reader.integer(item, "dot_cap", min(2, both), 1, 20, index),
            **read_board(reader, item, index),
        )
        if settings.pain_dots + settings.joy_dots == 0:
            reader.problem(
                reader.where(index, "dots"),
                "give at least one pain or joy dot",
                index,
                "dots",
                code="no_dots",
            )
        return settings

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        return {
            "max_length": settings.max_length,
            "hold_personal": settings.hold_personal,
            "pain_dots": settings.pain_dots,
            "joy_dots": settings.joy_dots,
            "dot_cap": settings.dot_cap,
        }

    def note_fields(self, state: ActivityState, data: dict[str, Any]) -> dict[str, Any]:
        if state.phase != "notes":
            raise CommandError("not_collecting", "notes are closed; it is time to place dots")
        side = data.get("side", data.get("kind"))  # the wire calls a note's side `kind`
        if side not in SIDES:
            raise CommandError("bad_kind", "choose pain point or joy point")
        return {"side": side}

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """A note with its `side`; in the dot phase a button `dot` whose value is a note's
        id and the step, "n4 1" to add a dot and "n4 -1" to take one back."""
        if "dot" not in form:
            return self.note_from_form(state, form)
        note, _, step = first(form, "dot").partition(" ")
        if step not in ("1", "-1"):
            raise CommandError("bad_message", "a dot is added (1) or taken back (-1)")
        return [("dot", {"activity": state.spec.id, "note": note, "delta": int(step)})]

    def helper_view(self, state: ActivityState) -> dict[str, Any]:
        """The paper notes so far, and the sides a paper note can go on."""
        return {**super().helper_view(state), "sides": list(SIDES)}

    def head(self, state: ActivityState) -> dict[str, Any]:
        settings: PainJoySettings = state.spec.settings
        return {
            **super().head(state),
            "phase": state.phase,
            "pain_dots": settings.pain_dots,
            "joy_dots": settings.joy_dots,
            "dot_cap": settings.dot_cap,
        }

    def phone(self, state: ActivityState) -> dict[str, Any]:
        if state.phase != "dots":
            return {}
        ranked = dots.ranking(state)
        if not state.show_results:  # keep the order of posting, hide the counts
            ranked = {
                side: sorted(
                    ({k: v for k, v in item.items() if k != "dots"} for item in items),
                    key=lambda item: int(item["id"][1:]),
                )
                for side, items in ranked.items()
            }
        return {"ranking": ranked}

    def screen(self, state: ActivityState) -> dict[str, Any]:
        if not state.show_results:
            return {}
        return {"ranking": dots.ranking(state)} if state.phase == "dots" else wall(state)

    def console(self, state: ActivityState) -> dict[str, Any]:
        return {**super().console(state), "ranking": dots.ranking(state)}

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        entry = super().mine(state, pid, notes=notes)
        if state.dots.get(pid):
            entry["dots"] = dict(state.dots[pid])
        if pid in state.returned:
            entry["returned"] = dict(state.returned[pid])
        if entry or pid in state.authored:
            entry["remaining"] = dots.remaining(state, pid)
        return entry

    def record(self, state: ActivityState) -> dict[str, Any]:
        return {
            **super().record(state),
            "phase": state.phase,
            "ranking": dots.ranking(state),
            "dots_placed": sum(dots.totals(state).values()),
        }

    def minutes(self, activity: dict[str, Any], context: Context) -> list[Block]:
        """Pain points and heart points, each side ranked by dots with its share of that side's
        dots; in a sheet one table of both. Hidden ones only counted."""
        w = context.words
        by_id = {n["id"]: n for n in activity.get("notes", [])}
        ranking = activity.get("ranking") or {}
        result: list[Block] = []
        rows: list[tuple[Cell, ...]] = []
        for side in SIDES:
            items = [i for i in ranking.get(side, []) if i["id"] in by_id]
            total = sum(i["dots"] for i in items)
            bars = tuple(
                Bar(
                    note_text(by_id[i["id"]], w),
                    i["dots"],
                    percent(i["dots"], total),
                    rank=rank,
                    merged=merged_texts(by_id[i["id"]], by_id),
                )
                for rank, i in enumerate(items, start=1)
            )
            result.append(Heading(w[side], show="documents"))
            result.append(
                Bars(
                    w["point"],
                    w["dots"],
                    bars,
                    tone=_TONES[side],
                    empty=f"({w['none']})",
                    show="documents",
                )
            )
            one = w[f"{side}_one"]
            rows += [
                (one, b.rank, b.label, "; ".join(b.merged) or None, b.value, b.share) for b in bars
            ]
        placed = activity.get("dots_placed", 0)
        if placed:
            result.append(Paragraph(w["dots_placed"] % {"n": placed}, muted=True, show="documents"))
            result.append(Facts(((w["dots"], placed),), show="sheets"))
        table = Table(
            (
                Column(w["kind"]),
                Column(w["rank"], "number"),
                Column(w["point"]),
                Column(w["merged_with"]),
                Column(w["dots"], "number"),
                Column(w["dot_share"], "number"),
            ),
            tuple(rows),
            show="sheets",
        )
        result += [table, withheld(activity, w), inputs(activity, context, dots=True)]
        return result

    def promise(self, entry: dict[str, Any], context: Context) -> list[Contribution]:
        """The joint situation picture: the pain and heart points with most dots, with them."""
        w = context.words
        visible = {n["id"] for n in entry.get("notes", [])}
        ranking = entry.get("ranking") or {}
        blocks: list[Block] = []
        for side in SIDES:
            items = [i for i in ranking.get(side, []) if i["id"] in visible and i["dots"]]
            total = sum(i["dots"] for i in items)
            bars = tuple(
                Bar(safe(i["text"]), i["dots"], percent(i["dots"], total), rank=rank)
                for rank, i in enumerate(items[:TOP], start=1)
            )
            if bars:
                blocks += [
                    Heading(w[side], level=3),
                    Bars(w["point"], w["dots"], bars, tone=_TONES[side]),
                ]
        return titled(entry, context, "situation", blocks)

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The pain points with most dots: what to work on next (the joy points are what
        works already)."""
        return [{language: item["text"]} for item in dots.ranking(state)["pain"][:count]]

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        posted: dict[str, list[str]] = {side: [] for side in SIDES}
        for side, texts in WRITTEN.items():
            for text in texts:
                pid = demo.chance.choice(demo.people)
                posted[side] += self.posted(
                    demo.act(pid, "note", activity=spec.id, text=text, kind=side)
                )
        # Two people wrote the same thing: the facilitator merges them.
        demo.fac("merge", activity=spec.id, into=posted["pain"][0], notes=[posted["pain"][2]])
        demo.fac("phase", activity=spec.id, phase="dots")
        settings: PainJoySettings = spec.settings
        for pid in demo.people:
            for side, budget in (("pain", settings.pain_dots), ("joy", settings.joy_dots)):
                candidates = [
                    n for i, n in enumerate(posted[side]) if not (side == "pain" and i == 2)
                ]
                weights = [1 / (i + 1) ** 0.7 for i in range(len(candidates))]
                for _ in range(budget):
                    note = demo.chance.choices(candidates, weights)[0]
                    try:
                        demo.act(pid, "dot", activity=spec.id, note=note, delta=1)
                    except ValueError:
                        pass  # over the cap on that note: a real phone would say so too


KIND = PainJoy()
