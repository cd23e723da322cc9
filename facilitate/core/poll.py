"""Polls: single or multiple choice, optionally "none of these". Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from facilitate.core.activity import ActivityState
from facilitate.core.errors import CommandError
from facilitate.core.plan import NONE_OPTION, ActivitySpec


def check_vote(spec: ActivitySpec, choices: Sequence[str]) -> tuple[str, ...]:
    """The choices in plan order, or a CommandError saying what is wrong with them.

    An empty list withdraws the vote. "None of these" cannot be combined with an option.
    """
    allowed = spec.choice_ids()
    unknown = [c for c in choices if c not in allowed]
    if unknown:
        raise CommandError("unknown_option", f"no option {unknown[0]!r} in this poll")
    chosen = set(choices)
    if len(chosen) > 1 and not spec.multiple:
        raise CommandError("single_choice", "this poll takes one answer")
    if NONE_OPTION in chosen and len(chosen) > 1:
        raise CommandError("none_alone", '"none of these" cannot be combined with an option')
    return tuple(c for c in allowed if c in chosen)


def tally(state: ActivityState) -> dict[str, Any]:
    """Counts per option (every option present, zero or not) and the number of voters."""
    counts = dict.fromkeys(state.spec.choice_ids(), 0)
    for choices in state.votes.values():
        for choice in choices:
            counts[choice] += 1
    return {"counts": counts, "voters": len(state.votes)}
