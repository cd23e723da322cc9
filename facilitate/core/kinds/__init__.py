"""The registry of activity kinds: every kind the agenda, the core and the pages know.

A kind is one module here with a `KIND` (see base.py for what it declares); adding one means
adding its module and naming it below. Nothing else in facilitate lists kinds.
"""

from __future__ import annotations

from facilitate.core.kinds import (
    about,
    actions,
    info,
    matrix,
    notes,
    painjoy,
    points,
    poll,
    problem,
    qa,
    ranking,
    scale,
    statements,
    wordcloud,
)
from facilitate.core.kinds.base import Fields, Kind

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        info.KIND,
        poll.KIND,
        notes.KIND,
        painjoy.KIND,
        scale.KIND,
        matrix.KIND,
        statements.KIND,
        qa.KIND,
        ranking.KIND,
        points.KIND,
        wordcloud.KIND,
        problem.KIND,
        actions.KIND,
        about.KIND,
    )
}

# Every command and event a kind adds, with the kinds that take it.
PARTICIPANT_COMMANDS = frozenset(c for kind in KINDS.values() for c in kind.participant)
FACILITATOR_COMMANDS = frozenset(c for kind in KINDS.values() for c in kind.facilitator)
HELPER_COMMANDS = frozenset(c for kind in KINDS.values() for c in kind.helper)
INPUT_EVENTS = frozenset(e for kind in KINDS.values() for e in kind.input_events)
# A facilitator's or helper's command to an activity answered per table says which table.
TABLE: Fields = {"table": ((str,), False)}
MESSAGES: dict[str, Fields] = {
    name: {**fields, **(TABLE if name in FACILITATOR_COMMANDS | HELPER_COMMANDS else {})}
    for kind in KINDS.values()
    for name, fields in kind.messages.items()
}


def kind_of(name: str) -> Kind:
    """The kind with this name; a KeyError names the kinds there are."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"no activity kind {name!r}; there are {', '.join(KINDS)}") from None
