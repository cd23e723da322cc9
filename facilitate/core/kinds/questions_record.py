"""The questions-from-the-floor kind's part of the record, of the public results and of the
minutes. Pure.

The record lists the approved questions in `questions` and every other one (waiting when the
meeting ended, hidden with the reason given, withdrawn by the person who asked) in
`moderation`, the only place its text is kept: the public results and every format of the
minutes count them, and never show their text.
"""

from __future__ import annotations

from typing import Any

from facilitate.core import questions
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import (
    Block,
    Column,
    Context,
    Input,
    Inputs,
    Paragraph,
    Table,
    safe,
)
from facilitate.core.kinds.boards import note_text, withheld


def record(state: ActivityState) -> dict[str, Any]:
    """The questions as the record keeps them (see the module's doc)."""
    from facilitate.core.record import iso  # the record's one way to write a time

    floor = questions.of(state)
    public: list[dict[str, Any]] = []
    kept_back: list[dict[str, Any]] = []
    for note in state.notes.values():
        answer = floor.answered.get(note.id)
        item: dict[str, Any] = {
            "id": note.id,
            "text": note.text,
            "posted_at": iso(note.at),
            "status": note.status,
            "held": note.held,
            "votes": questions.votes(state, note.id),
            "answered": answer is not None,
            "answered_at": iso(answer.at) if answer is not None else None,
            "answer": answer.note if answer is not None else "",
        }
        if note.channel != "phone":  # a question from paper, typed in by the helper
            item["channel"] = note.channel
        if note.status == "visible":
            public.append(item)
        else:
            item["reason"] = note.reason if note.status == "hidden" else None
            kept_back.append(item)
    return {
        "questions": public,
        "moderation": kept_back,
        "hidden": state.statuses["hidden"],
        "withdrawn": state.statuses["withdrawn"],
        "waiting": state.statuses["held"],
        "held": sum(1 for n in state.notes.values() if n.held),
        "released": sum(1 for n in state.notes.values() if n.held and n.status == "visible"),
    }


_WITHHELD = ("questions", "moderation", "hidden", "withdrawn", "waiting", "held", "released")


def public(entry: dict[str, Any]) -> dict[str, Any]:
    """The approved questions with their upvotes and answers, nothing of the moderation."""
    result = {k: v for k, v in entry.items() if k not in _WITHHELD}
    result["questions"] = [
        {
            "id": q["id"],
            "text": q["text"],
            "votes": q["votes"],
            "answered": q["answered"],
            "answer": q["answer"],
        }
        for q in entry["questions"]
    ]
    return result


def blocks(activity: dict[str, Any], context: Context) -> list[Block]:
    """The approved questions by upvotes, answered or not, with the answer notes; how many
    were hidden (and why), waited for review or were withdrawn; never a withheld text."""
    w = context.words
    approved = sorted(activity.get("questions", []), key=lambda q: -q["votes"])  # stable
    answered = sum(1 for q in approved if q["answered"])
    rows = tuple(
        (
            rank,
            note_text(q, w),
            q["votes"],
            w["qa_answered"] if q["answered"] else w["qa_open"],
            safe(q.get("answer")) or None,
        )
        for rank, q in enumerate(approved, start=1)
    )
    result: list[Block] = [
        Paragraph(w["qa_count"] % {"n": len(approved), "answered": answered}),
        Table(
            (
                Column(w["rank"], "number"),
                Column(w["qa_question"]),
                Column(w["votes"], "number"),
                Column(w["status"]),
                Column(w["qa_answer"]),
            ),
            rows,
            empty=w["qa_none"],
        ),
        withheld(activity, w, "question"),
    ]
    if activity.get("withdrawn"):
        result.append(Paragraph(w["qa_withdrawn"] % {"n": activity["withdrawn"]}, muted=True))
    result.append(_inputs(activity, context))
    return result


def _inputs(activity: dict[str, Any], context: Context) -> Inputs:
    """Every question as asked, in order; a withheld one keeps its row, status and reason,
    but not its text or upvotes."""
    w = context.words
    status = {
        "hidden": w["status_hidden"],
        "held": w["qa_waiting"],
        "withdrawn": w["qa_withdrawn_one"],
    }
    shown = [(q, True) for q in activity.get("questions", [])]
    kept_back = [(q, False) for q in activity.get("moderation", [])]

    def order(pair: tuple[dict[str, Any], bool]) -> int:
        number = pair[0]["id"][1:]
        return int(number) if number.isdigit() else 0

    rows = []
    for q, public in sorted(shown + kept_back, key=order):
        if public:
            said = w["qa_answered"] if q["answered"] else w["qa_open"]
        else:
            said = status.get(q["status"], safe(q["status"]))
        rows.append(
            Input(
                at=context.at(q.get("posted_at")),
                kind=w["qa_question"],
                text=safe(q["text"]) if public else "",
                votes=q["votes"] if public else None,
                status=said,
                note=safe(q["id"]),
                reason=safe(q.get("reason") or "") if q["status"] == "hidden" else "",
            )
        )
    return Inputs(tuple(rows))
