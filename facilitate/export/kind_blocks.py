"""What each activity kind puts in the minutes, as blocks. The one place that knows the kinds.

`BUILDERS` maps a kind to a function that turns its record entry (core/record.py `_activity`)
and the words in the meeting's language into blocks (`blocks.py`); every format renders those
without knowing the kind. An information slide has no results, so it has no builder. Each
builder uses only the blocks, the generic helpers of `model.py` and the record; the two boards
(notes, pain and heart points) share the helpers in the middle section.
"""

from __future__ import annotations

from typing import Any

from facilitate.export.blocks import (
    Bar,
    Bars,
    Block,
    BulletList,
    Cell,
    Column,
    Facts,
    Heading,
    Input,
    Inputs,
    Item,
    Paragraph,
    Table,
    Tone,
)
from facilitate.export.model import Builder, Context, percent, safe, withheld

# -- poll ------------------------------------------------------------------------------------


def poll(activity: dict[str, Any], context: Context) -> list[Block]:
    """The votes per answer with their share of those who answered."""
    w = context.words
    tally = activity["tally"]
    voters = tally["voters"]
    labels = {o["id"]: context.text(o["text"]) for o in activity.get("options", [])}
    labels["none"] = w["none_of_these"]
    counts = [(labels.get(option, safe(option)), n) for option, n in tally["counts"].items()]
    result: list[Block] = [
        Bars(
            w["answer"],
            w["votes"],
            tuple(Bar(label, n, percent(n, voters)) for label, n in counts),
            whole=voters,
        )
    ]
    if activity.get("multiple"):
        result.append(Paragraph(w["multiple"], muted=True))
    result.append(Inputs(tuple(Input(None, w["answer"], text=t, votes=n) for t, n in counts)))
    return result


# -- the boards: notes, pain and heart points ----------------------------------------------


def _merged(note: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    """The texts of the notes merged into this one (the record's notes are the public ones)."""
    return tuple(
        safe(by_id[child]["text"])
        for child in note.get("merged", [])
        if child in by_id and by_id[child]["status"] == "merged"
    )


def _board_inputs(activity: dict[str, Any], context: Context, dots: bool) -> Inputs:
    """Every note as posted, in order; a withheld note (its text is only in the record's
    moderation section) keeps its row, status and reason, but not its text."""
    w = context.words
    columns = [context.text(c) for c in activity.get("columns") or []]
    status = {
        "visible": w["status_visible"],
        "merged": w["status_merged"],
        "hidden": w["status_hidden"],
    }
    kinds = {None: w["note"], "pain": w["pain_one"], "joy": w["joy_one"]}
    public = [(n, True) for n in activity.get("notes", [])]
    withheld_ = [(n, False) for n in activity.get("moderation", [])]

    def order(pair: tuple[dict[str, Any], bool]) -> int:
        number = pair[0]["id"][1:]
        return int(number) if number.isdigit() else 0

    rows = []
    for n, shown in sorted(public + withheld_, key=order):
        column = n.get("column")
        rows.append(
            Input(
                at=context.at(n.get("posted_at")),
                kind=kinds.get(n.get("side"), safe(n.get("side"))),
                column=columns[column]
                if isinstance(column, int) and 0 <= column < len(columns)
                else "",
                text=safe(n["text"]) if shown else "",
                dots=n.get("dots", 0) if dots else None,
                status=status.get(n["status"], safe(n["status"])),
                note=safe(n["id"]),
                merged_into=safe(n.get("merged_into") or ""),
                reason=safe(n.get("reason") or "") if n["status"] == "hidden" else "",
            )
        )
    return Inputs(tuple(rows))


# -- notes -----------------------------------------------------------------------------------


def notes(activity: dict[str, Any], context: Context) -> list[Block]:
    """The visible notes under their columns, with the similar notes merged into each; in a
    sheet one table of them with the time each was posted. Hidden ones only counted."""
    w = context.words
    all_notes = activity.get("notes", [])
    by_id = {n["id"]: n for n in all_notes}
    visible = [n for n in all_notes if n["status"] == "visible"]
    columns = [context.text(c) for c in activity.get("columns") or []]
    groups: list[tuple[str | None, list[dict[str, Any]]]]
    if columns:
        groups = [
            (heading, [n for n in visible if n["column"] == index])
            for index, heading in enumerate(columns)
        ]
        stray = [n for n in visible if n["column"] not in range(len(columns))]
        if stray:
            groups.append((w["none"], stray))
    else:
        groups = [(None, visible)]

    result: list[Block] = []
    if not visible:
        result.append(Paragraph(w["no_notes"], show="documents"))
    else:
        for heading, group in groups:
            if heading is not None:
                result.append(Heading(heading, show="documents"))
            items = tuple(Item(safe(n["text"]), _merged(n, by_id)) for n in group)
            result.append(BulletList(items, empty=f"({w['none']})", show="documents"))
    table = Table(
        (
            Column(w["column"]),
            Column(w["note"]),
            Column(w["merged_with"]),
            Column(w["posted"], "time"),
        ),
        tuple(
            (
                heading,
                safe(n["text"]),
                "; ".join(_merged(n, by_id)) or None,
                context.at(n.get("posted_at")),
            )
            for heading, group in groups
            for n in group
        ),
        show="sheets",
    )
    result += [table, withheld(activity, w), _board_inputs(activity, context, dots=False)]
    return result


# -- pain and heart points -------------------------------------------------------------------

SIDES = ("pain", "joy")  # smertepunkter / hjertepunkter: a pain/joy board's two sides
_TONES: dict[str, Tone] = {"pain": "negative", "joy": "positive"}


def painjoy(activity: dict[str, Any], context: Context) -> list[Block]:
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
                safe(by_id[i["id"]]["text"]),
                i["dots"],
                percent(i["dots"], total),
                rank=rank,
                merged=_merged(by_id[i["id"]], by_id),
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
    result += [table, withheld(activity, w), _board_inputs(activity, context, dots=True)]
    return result


# -- the one map from kinds to builders -------------------------------------------------------

BUILDERS: dict[str, Builder] = {"poll": poll, "notes": notes, "painjoy": painjoy}
