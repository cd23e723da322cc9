"""What came out of a meeting, for the process it is a step of. Pure.

A process page shows, for each meeting, the few items its activities put on top (the pain
points with most dots, the winning options, the statements most agree with …), asked of each
activity's kind through `Kind.top`, the same items a later activity's `items_from` would take.
Only activities someone answered count; hidden input is never on top.
"""

from __future__ import annotations

from typing import Any

from facilitate.core.meeting import Meeting
from facilitate.core.text import localize

TOP = 3  # items per activity


def outcomes(meeting: Meeting, count: int = TOP) -> list[dict[str, Any]]:
    """Each answered activity that gives items, with its title and its top items as text in
    the meeting's language."""
    language = meeting.plan.language
    found = []
    for state in meeting.activities.values():
        if not state.kind.gives_items or not state.kind.responders(state):
            continue
        items = [
            localize(item, language, language) for item in state.kind.top(state, count, language)
        ]
        if items:
            found.append(
                {
                    "activity": state.spec.id,
                    "title": localize(state.spec.title, language, language),
                    "items": items,
                }
            )
    return found


def summary(meeting: Meeting) -> dict[str, Any]:
    """A meeting as a process page lists it: title, date, how many took part, whether its
    results are published, and what came out of it."""
    language = meeting.plan.language
    return {
        "code": meeting.code,
        "title": localize(meeting.plan.title, language, language),
        "language": language,
        "date": meeting.report.details.get("date", ""),
        "created_at": meeting.created_at,
        "participants": len(meeting.contributors),
        "published": meeting.report.published,
        "ended": meeting.report.ended,
        "outcomes": outcomes(meeting),
    }
