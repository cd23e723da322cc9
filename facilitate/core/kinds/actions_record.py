"""The activities kind's part of the record, of the public results and of the minutes. Pure.

The record lists the proposals on the list in `actions`, chosen first (then by supports), each
with its fields' final values, its SMART criteria, supports, questions and `chosen`: what a
draft citizen promise takes over (docs/protocol.md, "Activities (SMART)"). It names no author,
only whether the facilitator wrote it down. A proposal hidden, or still waiting for review when
the record was made, is only in `moderation`: the public results and the minutes count them
and never show their text.
"""

from __future__ import annotations

from typing import Any

from facilitate.core import smart
from facilitate.core.actionplan import Action, ActionPlan
from facilitate.core.blocks import (
    Block,
    BulletList,
    Column,
    Context,
    Input,
    Inputs,
    Item,
    Moderation,
    Paragraph,
    Table,
    marked,
    safe,
)
from facilitate.core.events import FACILITATOR
from facilitate.core.kinds.base import Contribution
from facilitate.core.kinds.promising import titled


def _entry(action: Action) -> dict[str, Any]:
    from facilitate.core.record import iso  # the record's one way to write a time

    return {
        "id": action.id,
        **{name: action.fields.get(name, "") for name in smart.FIELDS},
        "chosen": action.chosen,
        "smart": action.criteria(),
        "supports": action.count("support"),
        "questions": action.count("question"),
        "by_facilitator": action.author == FACILITATOR,
        "proposed_at": iso(action.at),
        "status": action.status,
        **({"channel": action.channel} if action.channel != "phone" else {}),
    }


def record(plan: ActionPlan) -> dict[str, Any]:
    """The proposals as the record keeps them (see the module's doc)."""
    listed = [a for a in plan.actions.values() if a.status == "visible"]
    listed.sort(key=lambda a: (not a.chosen, -a.count("support")))
    kept_back = []
    for action in plan.actions.values():
        if action.status != "visible":
            item = _entry(action)
            item["held"] = action.held
            item["reason"] = action.reason if action.status == "hidden" else None
            kept_back.append(item)
    return {
        "actions": [_entry(a) for a in listed],
        "chosen": sum(1 for a in listed if a.chosen),
        "moderation": kept_back,
        "hidden": sum(1 for a in kept_back if a["status"] == "hidden"),
        "waiting": sum(1 for a in kept_back if a["status"] == "held"),
        "held": plan.held,
        "released": plan.released,
    }


def public(entry: dict[str, Any]) -> dict[str, Any]:
    """The proposals on the list, chosen first: no moderation, no counts of what was
    withheld."""
    withheld = ("moderation", "hidden", "waiting", "held", "released")
    return {k: v for k, v in entry.items() if k not in withheld}


def minutes(activity: dict[str, Any], context: Context) -> list[Block]:
    """The chosen activities as a table, then the other proposals, then the moderation in
    numbers and every proposal in the long table of inputs."""
    w = context.words
    columns = (
        Column(w["action_what"]),
        Column(w["action_who"]),
        Column(w["action_where"]),
        Column(w["action_when"]),
        Column(w["action_indicator"]),
        Column(w["action_responsible"]),
        Column(w["action_smart"]),
        Column(w["action_supports"], "number"),
        Column(w["action_questions"], "number"),
    )
    listed = activity.get("actions", [])

    def rows(chosen: bool) -> tuple[tuple[Any, ...], ...]:
        return tuple(
            (
                *(safe(a[name]) or None for name in smart.FIELDS),
                smart.letters(a["smart"]),
                a["supports"],
                a["questions"],
            )
            for a in listed
            if a["chosen"] == chosen
        )

    return [
        Table(columns, rows(True), caption=w["actions_chosen"], empty=w["actions_none_chosen"]),
        Table(columns, rows(False), caption=w["actions_other"], empty=w["actions_none"]),
        Paragraph(w["actions_smart_how"], muted=True),
        _withheld(activity, w),
        _inputs(activity, context),
    ]


def _withheld(activity: dict[str, Any], w: dict[str, str]) -> Moderation:
    reasons: dict[str, int] = {}
    for action in activity.get("moderation", []):
        if action["status"] == "hidden":
            reason = safe(action.get("reason") or "").strip() or w["no_reason"]
            reasons[reason] = reasons.get(reason, 0) + 1
    return Moderation(
        hidden=activity.get("hidden", 0),
        reasons=tuple(reasons.items()),
        held=activity.get("held", 0),
        released=activity.get("released", 0),
        noun="proposal",
    )


def _inputs(activity: dict[str, Any], context: Context) -> Inputs:
    """Every proposal in the order it came; a withheld one keeps its row, not its text."""
    w = context.words
    status = {"hidden": w["status_hidden"], "held": w["status_held"]}
    every = [(a, True) for a in activity.get("actions", [])]
    every += [(a, False) for a in activity.get("moderation", [])]
    every.sort(key=lambda pair: int(pair[0]["id"][1:]) if pair[0]["id"][1:].isdigit() else 0)
    return Inputs(
        tuple(
            Input(
                at=context.at(a.get("proposed_at")),
                kind=w["action_one"],
                text=marked({**a, "text": a["what"]}, w) if public else "",
                votes=a["supports"] if public else None,
                status=(w["action_chosen_one"] if a["chosen"] else "")
                if public
                else status.get(a["status"], safe(a["status"])),
                note=safe(a["id"]),
                reason=safe(a.get("reason") or "") if a["status"] == "hidden" else "",
            )
            for a, public in every
        )
    )


def promise(entry: dict[str, Any], context: Context) -> list[Contribution]:
    """A draft citizen promise's activities (the chosen ones, with who, where, when, the
    indicator and who is responsible) and the effects sought (what each indicator measures)."""
    w = context.words
    chosen = [a for a in entry.get("actions", []) if a.get("chosen")]
    if not chosen:
        return []
    columns = tuple(Column(w[f"action_{name}"]) for name in smart.FIELDS)
    rows = tuple(tuple(safe(a.get(name) or "") or None for name in smart.FIELDS) for a in chosen)
    effects = tuple(
        Item(f"{safe(a['what'])}: {safe(a['indicator'])}") for a in chosen if a.get("indicator")
    )
    return [
        *titled(entry, context, "activities", [Table(columns, rows)]),
        *titled(entry, context, "effects", [BulletList(effects)] if effects else []),
    ]


def commitments(entry: dict[str, Any]) -> list[str]:
    """The chosen activities' titles, for the follow-up of a promise."""
    return [safe(a["what"]) for a in entry.get("actions", []) if a.get("chosen")]
