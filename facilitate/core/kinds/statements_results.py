"""What a statements activity's results say: in the live views, in the record and in the
minutes. Pure.

The same shape everywhere, so one renderer draws the screen and the public results page:
`opinions` holds per statement its answers (`tallies`), the statements of consensus (with the
side and the share on it, in percent) and the divisive ones, and the opinion groups, each with
its size and the statements that set it apart (the group's share and everyone else's, in
percent). No participant id ever leaves the core through here: a phone learns its own group
from its `mine`.
"""

from __future__ import annotations

from typing import Any

from facilitate.core import opinion
from facilitate.core.blocks import (
    Block,
    BulletList,
    Column,
    Context,
    Facts,
    Heading,
    Input,
    Inputs,
    Item,
    Paragraph,
    Table,
    marked,
    percent,
    safe,
)
from facilitate.core.conversation import Conversation
from facilitate.core.opinion import Distinction, Group, Opinions


def _percent(share: float) -> int:
    return round(100 * share)


def _apart(group: Group, keep: set[str], count: int | None) -> list[dict[str, Any]]:
    found = [d for d in group.apart if d.statement in keep]
    return [_distinction(d) for d in found[:count]]


def _distinction(d: Distinction) -> dict[str, Any]:
    return {
        "statement": d.statement,
        "side": d.side,
        "share": _percent(d.group_share),
        "rest": _percent(d.rest_share),
    }


def results(
    talk: Conversation, ids: tuple[str, ...], found: Opinions | None, apart: int | None
) -> dict[str, Any]:
    """The results of the answers to the statements `ids` with the opinion groups `found`
    (`apart` statements per group at most; None for all of them)."""
    tallies = talk.tallies(ids)
    groups = found.groups if found is not None else ()
    keep = set(ids)  # cached groups may be older than a proposal hidden since
    return {
        "tallies": [
            {"statement": t.statement, "agree": t.agree, "disagree": t.disagree, "pass": t.passed}
            for t in tallies
        ],
        "voters": len(talk.stances),
        "consensus": [
            {"statement": c.statement, "side": c.side, "share": _percent(c.share)}
            for c in opinion.consensus(tallies, groups)
        ],
        "divisive": [t.statement for t in opinion.divisive(tallies)],
        "groups": [
            {"label": g.label, "size": len(g.members), "apart": _apart(g, keep, apart)}
            for g in groups
        ],
        "placed": 0 if found is None else len(found.placed),
        # When groups form: so many people, each with so many answers.
        "min_people": opinion.MIN_PEOPLE,
        "min_answered": opinion.MIN_ANSWERED,
    }


def record(
    talk: Conversation,
    statements: list[dict[str, Any]],
    shown: dict[str, Any],
    found: Opinions | None,
) -> dict[str, Any]:
    """The activity's part of the record: the statements people could answer with their
    answers, the results (each group with its answers per statement too), and the
    moderation section: the proposals never approved or hidden, with the reasons given."""
    from facilitate.core.record import iso  # the record's one way to write a time

    proposals = talk.proposals
    counts = {t["statement"]: t for t in shown["tallies"]}
    listed = []
    for item in statements:
        entry = {**item, **counts[item["id"]]}
        entry.pop("statement")
        if item["id"] in proposals:
            entry["proposed_at"] = iso(proposals[item["id"]].at)
            if proposals[item["id"]].channel != "phone":  # sent through the plain forms
                entry["channel"] = proposals[item["id"]].channel
        listed.append(entry)
    groups = found.groups if found is not None else ()
    for summary, group in zip(shown["groups"], groups, strict=True):
        summary["tallies"] = [
            {"statement": t.statement, "agree": t.agree, "disagree": t.disagree, "pass": t.passed}
            for t in group.tallies
        ]
    withheld = [
        {
            "id": p.id,
            "text": p.text,
            "status": p.status,
            "reason": p.reason if p.status == "hidden" else None,
            "proposed_at": iso(p.at),
            **({"channel": p.channel} if p.channel != "phone" else {}),
        }
        for p in proposals.values()
        if p.status != "approved"
    ]
    return {
        "statements": listed,
        "opinions": {**shown, "silhouette": None if found is None else found.silhouette},
        "answers": talk.answers,
        "proposed": len(proposals),
        "approved": sum(1 for p in proposals.values() if p.status == "approved"),
        "hidden": sum(1 for p in proposals.values() if p.status == "hidden"),
        "pending": sum(1 for p in proposals.values() if p.status == "pending"),
        "moderation": withheld,
    }


# -- minutes ----------------------------------------------------------------------------------


def consensus(entry: dict[str, Any], context: Context) -> list[Block]:
    """The statements most agree (or most disagree) with, with the share: nothing if none."""
    w = context.words
    shown = entry.get("opinions") or {}
    texts = {
        s["id"]: safe(s["text"]) if isinstance(s["text"], str) else context.text(s["text"])
        for s in entry.get("statements", [])
    }
    items = tuple(
        Item(
            w[f"consensus_{c['side']}_item"] % {"text": texts[c["statement"]], "share": c["share"]}
        )
        for c in shown.get("consensus", [])
        if c["statement"] in texts
    )
    return [BulletList(items)] if items else []


def minutes(entry: dict[str, Any], context: Context) -> list[Block]:
    """Consensus, divisive statements and the opinion groups in words; every statement's
    answers in a table; in a sheet, the groups' distinguishing statements too. Proposals that
    were hidden or never approved are only counted."""
    w = context.words
    shown = entry.get("opinions") or {}
    texts = {
        s["id"]: safe(s["text"]) if isinstance(s["text"], str) else context.text(s["text"])
        for s in entry.get("statements", [])
    }
    tallies = {t["statement"]: t for t in shown.get("tallies", [])}
    result: list[Block] = [Facts(((w["answers_total"], entry.get("answers", 0)),))]
    consensus = [c for c in shown.get("consensus", []) if c["statement"] in texts]
    divisive = [s for s in shown.get("divisive", []) if s in texts]
    result += [
        Heading(w["consensus"], show="documents"),
        BulletList(
            tuple(
                Item(
                    w[f"consensus_{c['side']}_item"]
                    % {"text": texts[c["statement"]], "share": c["share"]}
                )
                for c in consensus
            ),
            empty=f"({w['none']})",
            show="documents",
        ),
        Heading(w["divisive"], show="documents"),
        BulletList(
            tuple(Item(_split(texts[s], tallies[s], w)) for s in divisive),
            empty=f"({w['none']})",
            show="documents",
        ),
        *_groups(shown, texts, w),
        _table(texts, tallies, consensus, divisive, w),
    ]
    if shown.get("groups"):
        result.append(_apart_table(shown, texts, w))
    result += _moderation(entry, w)
    result.append(_inputs(entry, texts, tallies, context))
    return result


def _split(text: str, tally: dict[str, Any], w: dict[str, str]) -> str:
    voters = tally["agree"] + tally["disagree"] + tally["pass"]
    return w["divisive_item"] % {
        "text": text,
        "agree": percent(tally["agree"], voters),
        "disagree": percent(tally["disagree"], voters),
    }


def _groups(shown: dict[str, Any], texts: dict[str, str], w: dict[str, str]) -> list[Block]:
    groups = shown.get("groups", [])
    blocks: list[Block] = [Heading(w["groups"], show="documents")]
    if not groups:
        numbers = {"n": opinion.MIN_PEOPLE, "k": opinion.MIN_ANSWERED}
        return [*blocks, Paragraph(w["no_groups"] % numbers, show="documents")]
    numbers = {"n": shown.get("placed", 0), "k": opinion.MIN_ANSWERED, "min": opinion.MIN_GROUP}
    blocks.append(Paragraph(w["groups_how"] % numbers, muted=True, show="documents"))
    for group in groups:
        heading = w["group_people"] % {"label": group["label"], "n": group["size"]}
        items = tuple(
            Item(
                w[f"apart_{d['side']}"]
                % {"text": texts[d["statement"]], "group": d["share"], "rest": d["rest"]}
            )
            for d in group["apart"]
            if d["statement"] in texts
        )
        blocks += [
            Heading(heading, level=2, show="documents"),
            BulletList(items, empty=f"({w['none']})", show="documents"),
        ]
    return blocks


def _table(
    texts: dict[str, str],
    tallies: dict[str, dict[str, Any]],
    consensus: list[dict[str, Any]],
    divisive: list[str],
    w: dict[str, str],
) -> Table:
    verdicts = {c["statement"]: w[f"consensus_{c['side']}"] for c in consensus}
    verdicts.update(dict.fromkeys(divisive, w["divisive_one"]))
    rows = []
    for statement, text in texts.items():
        t = tallies[statement]
        voters = t["agree"] + t["disagree"] + t["pass"]
        rows.append(
            (
                text,
                t["agree"],
                t["disagree"],
                t["pass"],
                voters,
                percent(t["agree"], voters),
                percent(t["disagree"], voters),
                verdicts.get(statement),
            )
        )
    return Table(
        (
            Column(w["statement"]),
            Column(w["agree"], "number"),
            Column(w["disagree"], "number"),
            Column(w["pass"], "number"),
            Column(w["answers"], "number"),
            Column(w["agree_share"], "number"),
            Column(w["disagree_share"], "number"),
            Column(w["result"]),
        ),
        tuple(rows),
        caption=w["all_statements"],
    )


def _apart_table(shown: dict[str, Any], texts: dict[str, str], w: dict[str, str]) -> Table:
    sides = {"agree": w["agree"], "disagree": w["disagree"]}
    return Table(
        (
            Column(w["group"]),
            Column(w["people"], "number"),
            Column(w["statement"]),
            Column(w["side"]),
            Column(w["group_share"], "number"),
            Column(w["others_share"], "number"),
        ),
        tuple(
            (g["label"], g["size"], texts[d["statement"]], sides[d["side"]], d["share"], d["rest"])
            for g in shown.get("groups", [])
            for d in g["apart"]
            if d["statement"] in texts
        ),
        caption=w["groups"],
        show="sheets",
    )


def _moderation(entry: dict[str, Any], w: dict[str, str]) -> list[Block]:
    """Proposals from phones in numbers, and the reasons some were hidden; never their text."""
    if not entry.get("proposed"):
        return []
    reasons: dict[str, int] = {}
    for item in entry.get("moderation", []):
        if item["status"] == "hidden":
            reason = safe(item.get("reason") or "").strip() or w["no_reason"]
            reasons[reason] = reasons.get(reason, 0) + 1
    blocks: list[Block] = [
        Facts(
            (
                (w["proposed"], entry["proposed"]),
                (w["approved"], entry.get("approved", 0)),
                (w["statements_hidden"], entry.get("hidden", 0)),
                (w["never_approved"], entry.get("pending", 0)),
            )
        )
    ]
    if reasons:
        listed = "; ".join(f"{r} ({n})" if n > 1 else r for r, n in reasons.items())
        blocks.append(Paragraph(w["hidden_why"] + ": " + listed))
    blocks.append(Paragraph(w["statement_moderation"], muted=True))
    return blocks


def _inputs(
    entry: dict[str, Any],
    texts: dict[str, str],
    tallies: dict[str, dict[str, Any]],
    context: Context,
) -> Inputs:
    """One row per statement in the long table of every input: those people answered with
    their number of answers, then the proposals withheld, with status and reason only."""
    w = context.words
    rows = []
    for item in entry.get("statements", []):
        t = tallies[item["id"]]
        rows.append(
            Input(
                at=context.at(item.get("proposed_at")),
                kind=w["proposal"] if item.get("proposed") else w["statement"],
                text=marked({**item, "text": texts[item["id"]]}, w),
                votes=t["agree"] + t["disagree"] + t["pass"],
                status=w["status_visible"],
                note=safe(item["id"]),
            )
        )
    for item in entry.get("moderation", []):
        hidden = item["status"] == "hidden"
        rows.append(
            Input(
                at=context.at(item.get("proposed_at")),
                kind=w["proposal"],
                status=w["status_hidden"] if hidden else w["status_waiting"],
                note=safe(item["id"]),
                reason=safe(item.get("reason") or "") if hidden else "",
            )
        )
    return Inputs(tuple(rows))
