"""A problem description's part of the record, of the public record and of the minutes. Pure.

The entry (beyond the spec's fields) holds:

- `starting_point`: the text the problem started from (the agenda's `focus` or the item drawn
  from an earlier activity), or null;
- `form`: every field in the form's order, `{"field", "agreed", "contributions"}`, with the
  visible contributions only (`{"id", "text", "by", "posted_at"}`, `by` "phone" or "scribe":
  never who);
- `focus_area`: the agreed answers a later citizen promise takes as its focus area:
  `{"what", "where", "when"}` (each a text or null) and `whys`, the agreed why answers in order
  (`[{"level", "text"}]`, up to the first level without one);
- `moderation`: the contributions only the facilitator may read (hidden, with the reason;
  held; withdrawn by their author), and the counts `hidden`, `held`, `released`, `withdrawn`.
"""

from __future__ import annotations

from typing import Any

from facilitate.core import problem
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import (
    Block,
    Column,
    Context,
    Facts,
    Input,
    Inputs,
    Moderation,
    Paragraph,
    Table,
    marked,
    safe,
)
from facilitate.core.events import FACILITATOR
from facilitate.core.kinds.base import Contribution as Given  # a part of a draft promise
from facilitate.core.kinds.promising import titled
from facilitate.core.problem import SHOWN, Contribution
from facilitate.core.text import Text

# The minutes' words for each field (keys of facilitate/export/model.py's words).
LABELS = {name: f"problem_{name}" for name in problem.FIELDS if name not in problem.WHYS}
# The triangle's rows: the inner corner and the role round it, in the method's order.
TRIANGLE = (
    ("problem_offender_corner", "offender"),
    ("problem_handler_corner", "handler"),
    ("problem_target_corner", "target"),
    ("problem_guardian_corner", "guardian"),
    ("problem_place_corner", "where"),
    ("problem_manager_corner", "manager"),
)


def _item(contribution: Contribution) -> dict[str, Any]:
    from facilitate.core.record import iso  # the record's one way to write a time

    item = {
        "id": contribution.id,
        "text": contribution.text,
        "by": "scribe" if contribution.author == FACILITATOR else "phone",
        "posted_at": iso(contribution.at),
    }
    if contribution.channel != "phone":  # sent through the plain forms
        item["channel"] = contribution.channel
    return item


def record(state: ActivityState, start: Text | None, whys: int) -> dict[str, Any]:
    """The problem's entry in the record (see the module's doc)."""
    own = problem.of(state)
    answers = []
    for name in problem.fields(whys):
        shown = problem.in_field(own, name, SHOWN)
        answers.append(
            {
                "field": name,
                "agreed": own.agreed.get(name),
                "contributions": [_item(c) for c in shown],
            }
        )
    chain = []
    for level, name in enumerate(problem.WHYS[:whys], start=1):
        text = problem.agreed_text(own, name)
        if text is None:
            break
        chain.append({"level": level, "text": text})
    everything = list(own.contributions.values())
    return {
        "starting_point": None if start is None else dict(start),
        "form": answers,
        "focus_area": {
            **{name: problem.agreed_text(own, name) for name in problem.FOCUS_AREA},
            "whys": chain,
        },
        "moderation": [
            {
                **_item(c),
                "field": c.field,
                "status": c.status,
                "held": c.held,
                "reason": c.reason if c.status == "hidden" else None,
            }
            for c in everything
            if c.status != SHOWN
        ],
        "hidden": sum(1 for c in everything if c.status == "hidden"),
        "held": sum(1 for c in everything if c.held),
        "released": sum(1 for c in everything if c.held and c.status == SHOWN),
        "withdrawn": sum(1 for c in everything if c.status == "withdrawn"),
    }


def public(entry: dict[str, Any]) -> dict[str, Any]:
    """The visible contributions and the agreed answers: no moderation, no counts of what was
    withheld, no times."""
    kept = ("moderation", "hidden", "held", "released", "withdrawn", "form")
    item = {k: v for k, v in entry.items() if k not in kept}
    item["form"] = [
        {
            "field": answer["field"],
            "agreed": answer["agreed"],
            "contributions": [
                {"id": c["id"], "text": c["text"], "by": c["by"]} for c in answer["contributions"]
            ],
        }
        for answer in entry.get("form", [])
    ]
    return item


# -- minutes ----------------------------------------------------------------------------------


def _split(answer: dict[str, Any], w: dict[str, str]) -> tuple[str, str]:
    """A field's agreed answer, and its other visible contributions joined (each marked by
    its channel when it came through the plain forms)."""
    agreed = ""
    others = []
    for c in answer["contributions"]:
        if c["id"] == answer["agreed"]:
            agreed = safe(c["text"])
        else:
            others.append(marked(c, w))
    return agreed, " · ".join(others)


def blocks(entry: dict[str, Any], context: Context) -> list[Block]:
    """The starting point, every field with its agreed answer and the others, the why chain
    numbered and the triangle as a table; hidden ones only counted."""
    w = context.words
    by_field = {answer["field"]: answer for answer in entry.get("form", [])}
    split = {name: _split(answer, w) for name, answer in by_field.items()}
    result: list[Block] = []
    start = entry.get("starting_point")
    if start:
        result.append(Facts(((w["problem_starting_point"], context.text(start)),)))
    columns = (
        Column(w["problem_question"]),
        Column(w["problem_agreed"]),
        Column(w["problem_others"]),
    )
    rows = tuple((w[LABELS[name]], *split[name]) for name in by_field if name in LABELS)
    result.append(Table(columns, rows, caption=w["problem_description"]))
    whys = [name for name in problem.WHYS if name in by_field]
    chain = tuple((level, *split[name]) for level, name in enumerate(whys, start=1))
    why_columns = (
        Column(w["number"], "number"),
        Column(w["problem_why"]),
        Column(w["problem_others"]),
    )
    result.append(Table(why_columns, chain, caption=w["problem_whys"]))
    triangle = tuple((w[label], *split[name]) for label, name in TRIANGLE if name in split)
    roles = (Column(w["problem_role"]), *columns[1:])
    result.append(Table(roles, triangle, caption=w["problem_triangle"]))
    if not any(by_field[name]["agreed"] for name in by_field):
        result.append(Paragraph(w["problem_none_agreed"], muted=True))
    result.append(_moderation(entry, w))
    result.append(_inputs(entry, context, by_field))
    return result


def _moderation(entry: dict[str, Any], w: dict[str, str]) -> Moderation:
    reasons: dict[str, int] = {}
    for c in entry.get("moderation", []):
        if c["status"] == "hidden":
            reason = safe(c.get("reason") or "").strip() or w["no_reason"]
            reasons[reason] = reasons.get(reason, 0) + 1
    return Moderation(
        hidden=entry.get("hidden", 0),
        reasons=tuple(reasons.items()),
        held=entry.get("held", 0),
        released=entry.get("released", 0),
        noun="contribution",
    )


def _inputs(entry: dict[str, Any], context: Context, by_field: dict[str, Any]) -> Inputs:
    """Every contribution in the order posted; a withheld one keeps its row, field, status and
    reason, but not its text."""
    w = context.words
    rows: list[tuple[int, Input]] = []
    for name, answer in by_field.items():
        for c in answer["contributions"]:
            status = w["problem_agreed"] if c["id"] == answer["agreed"] else w["status_visible"]
            rows.append((_number(c), _row(c, name, context, text=marked(c, w), status=status)))
    statuses = {"hidden": w["status_hidden"], "held": w["status_held"]}
    for c in entry.get("moderation", []):
        status = statuses.get(c["status"], w["qa_withdrawn_one"])
        reason = safe(c.get("reason") or "") if c["status"] == "hidden" else ""
        rows.append((_number(c), _row(c, c["field"], context, status=status, reason=reason)))
    return Inputs(tuple(row for _, row in sorted(rows, key=lambda pair: pair[0])))


def _number(c: dict[str, Any]) -> int:
    digits = str(c["id"])[1:]
    return int(digits) if digits.isdigit() else 0


def _row(
    c: dict[str, Any], name: str, context: Context, *, status: str, text: str = "", reason: str = ""
) -> Input:
    w = context.words
    label = w[LABELS[name]] if name in LABELS else w["problem_why_n"] % {"n": name[3:]}
    kind = w["problem_scribe"] if c.get("by") == "scribe" else w["problem_contribution"]
    return Input(
        context.at(c.get("posted_at")),
        kind,
        column=label,
        note=safe(c["id"]),
        text=text,
        status=status,
        reason=reason,
    )


def promise(entry: dict[str, Any], context: Context) -> list[Given]:
    """The focus area of a draft citizen promise: the agreed what, where and when, and the
    chain of agreed whys (the public record's `focus_area`)."""
    w = context.words
    focus = entry.get("focus_area") or {}
    facts = tuple(
        (w[LABELS[name]], safe(focus[name]))
        for name in problem.FOCUS_AREA
        if safe(focus.get(name) or "").strip()
    )
    whys = tuple(
        (why["level"], safe(why["text"])) for why in focus.get("whys", []) if why.get("text")
    )
    blocks: list[Block] = []
    if facts:
        blocks.append(Facts(facts))
    if whys:
        columns = (Column(w["number"], "number"), Column(w["problem_why"]))
        blocks.append(Table(columns, whys, caption=w["problem_whys"]))
    return titled(entry, context, "focus", blocks)
