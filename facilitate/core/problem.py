"""A problem description and cause analysis: its fields, contributions and rules. Pure.

From the Swedish citizen-promise method (medborgarlöfte: problembeskrivning och orsaksanalys):
what the problem is, where, when, who causes it, who or what is hit, the consequences, why
(asked up to five times), who can fix it, and the problem-analysis triangle's outer roles:
who watches over the target (guardian), who has influence over the one who causes it
(handler) and who is responsible for the place (place manager). The triangle's inner corners
are fields already: offender = who causes it, target = who or what is hit, place = where.

Every field holds contributions: short texts from phones, or written by the facilitator as the
scribe for people without phones. The rules hold under every sequence of commands
(tests/core/test_problem_machine.py):

- a contribution is `visible`, `held` (it looks personal and waits for review), `hidden` (by
  the facilitator, with a reason) or `withdrawn` (by its author); only visible ones reach the
  room;
- a field has at most one agreed contribution, and it is always a visible one: hiding or
  withdrawing it clears the agreement;
- why level n takes contributions only when level n - 1 has a visible one, and a level keeps
  one while the next has any visible or held: the chain never has a gap.

Nothing here knows about tables: all of it is in `ProblemState`, one per activity state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from facilitate.core import writing
from facilitate.core.activity import ActivityState
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR
from facilitate.core.text import Text

MAX_LENGTH = 200  # characters of one contribution, counted as people see them
MAX_WHYS = 5
MAX_OWN = 10  # a phone's contributions on the list of one field at once
MAX_CONTRIBUTIONS = 3000  # in one activity: a limit no room reaches, so none can be flooded
WHYS = tuple(f"why{n}" for n in range(1, MAX_WHYS + 1))
# Every field in the form's order; the triangle's outer roles come last.
FIELDS = (
    "what",
    "where",
    "when",
    "offender",
    "target",
    "consequences",
    *WHYS,
    "fixer",
    "guardian",
    "handler",
    "manager",
)
# The problem-analysis triangle: inner corner -> the field it shows, and the outer role round it.
TRIANGLE = {"offender": "handler", "target": "guardian", "where": "manager"}
# What a later "citizen promise" takes as its focus area: the agreed answers to these.
FOCUS_AREA = ("what", "where", "when")
SHOWN = "visible"


@dataclass
class Contribution:
    """One short text in one field: `author` is a phone's anonymous id or FACILITATOR."""

    id: str
    field: str
    text: str
    author: str
    at: float
    status: str = SHOWN  # visible, held, hidden or withdrawn
    held: str | None = None  # why it waited for review (core/personal.py), kept once released
    reason: str = ""  # why the facilitator hid it
    channel: str = "phone"  # "form": sent through the plain forms of the page without scripts


@dataclass
class ProblemState:
    """What a problem activity keeps (ActivityState.kind_state)."""

    focus: Text | None = None  # the starting "what" drawn from an earlier activity
    contributions: dict[str, Contribution] = field(default_factory=dict)
    agreed: dict[str, str] = field(default_factory=dict)  # field -> its agreed contribution
    next_id: int = 1


def of(state: ActivityState) -> ProblemState:
    """The problem's own state of an activity."""
    found: ProblemState = state.kind_state
    return found


def fields(whys: int) -> tuple[str, ...]:
    """The fields of a problem that asks why `whys` times, in the form's order."""
    return tuple(name for name in FIELDS if name not in WHYS[whys:])


def in_field(problem: ProblemState, name: str, *statuses: str) -> list[Contribution]:
    """The contributions of a field with one of `statuses` (every one without), oldest first."""
    return [
        c
        for c in problem.contributions.values()
        if c.field == name and (not statuses or c.status in statuses)
    ]


def is_open(problem: ProblemState, name: str) -> bool:
    """True when a field takes contributions: every field but a why whose level before has no
    visible contribution yet."""
    if name not in WHYS or name == WHYS[0]:
        return True
    before = WHYS[WHYS.index(name) - 1]
    return any(c.status == SHOWN for c in in_field(problem, before))


def open_whys(problem: ProblemState, whys: int) -> int:
    """How many why levels take contributions now (1 to `whys`)."""
    return sum(1 for name in WHYS[:whys] if is_open(problem, name))


def agreed_text(problem: ProblemState, name: str) -> str | None:
    """The agreed answer of a field, or None."""
    found = problem.agreed.get(name)
    return None if found is None else problem.contributions[found].text


# -- the rules --------------------------------------------------------------------------------


def check_field(name: Any, whys: int) -> str:
    """A field of this problem, or a CommandError."""
    if name not in fields(whys):
        raise CommandError("no_such_field", f"this problem has no field {name!r}")
    result: str = name
    return result


def check_text(text: str) -> str:
    """The cleaned text of a new contribution, or a CommandError."""
    cleaned = writing.clean_text(text, multiline=False)
    if writing.blank(cleaned):
        raise CommandError("empty_text", "write something first")
    if not writing.fits(cleaned, MAX_LENGTH):
        raise CommandError("too_long_text", f"at most {MAX_LENGTH} characters", limit=MAX_LENGTH)
    return cleaned


def check_post(problem: ProblemState, name: str, author: str) -> None:
    """Refuse a new contribution to a field that is not open, or one too many."""
    if not is_open(problem, name):
        raise CommandError("why_not_open", "answer the why before this one first")
    if len(problem.contributions) >= MAX_CONTRIBUTIONS:
        raise CommandError("problem_full", "this activity takes no more contributions")
    if author != FACILITATOR:
        own = [c for c in in_field(problem, name, SHOWN, "held") if c.author == author]
        if len(own) >= MAX_OWN:
            raise CommandError(
                "too_many_contributions",
                f"at most {MAX_OWN} of yours in one field: withdraw one first",
                limit=MAX_OWN,
            )


def find(problem: ProblemState, contribution_id: Any) -> Contribution:
    """The contribution with this id, or a CommandError."""
    found = problem.contributions.get(contribution_id) if isinstance(contribution_id, str) else None
    if found is None:
        raise CommandError("unknown_contribution", f"no contribution {contribution_id!r} here")
    return found


def check_leave(problem: ProblemState, contribution: Contribution) -> None:
    """Refuse to take a visible why answer off when it is the last of its level and the next
    level is in use: the chain would have a gap (write another answer first)."""
    name = contribution.field
    if contribution.status != SHOWN or name not in WHYS or name == WHYS[-1]:
        return
    after = WHYS[WHYS.index(name) + 1]
    if len(in_field(problem, name, SHOWN)) == 1 and in_field(problem, after, SHOWN, "held"):
        raise CommandError("why_needed", "the next why builds on this answer: keep one here")


def check_withdraw(problem: ProblemState, pid: str, contribution_id: Any) -> Contribution:
    """A phone's own contribution to withdraw, or a CommandError."""
    contribution = find(problem, contribution_id)
    if contribution.author != pid:
        raise CommandError("not_your_contribution", "only its author can withdraw it")
    if contribution.status not in (SHOWN, "held"):
        raise CommandError("contribution_gone", "this contribution is not on the list")
    check_leave(problem, contribution)
    return contribution


def check_hide(problem: ProblemState, contribution_id: Any) -> Contribution:
    """A contribution the facilitator may hide, or a CommandError."""
    contribution = find(problem, contribution_id)
    if contribution.status not in (SHOWN, "held"):
        raise CommandError("contribution_gone", "this contribution is not on the list")
    check_leave(problem, contribution)
    return contribution


def check_show(problem: ProblemState, contribution_id: Any, status: str) -> Contribution:
    """A hidden (`status` "hidden") or held contribution to show, or a CommandError; a why
    answer is shown only while its level is open."""
    contribution = find(problem, contribution_id)
    if contribution.status != status:
        code = "contribution_not_hidden" if status == "hidden" else "contribution_not_held"
        raise CommandError(code, f"this contribution is not {status}")
    if not is_open(problem, contribution.field):
        raise CommandError("why_not_open", "the why before this one has no answer")
    return contribution


def check_agree(problem: ProblemState, contribution_id: Any) -> Contribution:
    """A visible contribution to mark as its field's agreed answer, or a CommandError."""
    contribution = find(problem, contribution_id)
    if contribution.status != SHOWN:
        raise CommandError("contribution_not_visible", "only a visible contribution can be agreed")
    return contribution


# -- applying ---------------------------------------------------------------------------------


def apply_post(problem: ProblemState, data: dict[str, Any], author: str, at: float) -> None:
    """Add a contribution as posted (held when the event says why)."""
    held = data.get("held")
    number = data["contribution"]
    problem.contributions[number] = Contribution(
        id=number,
        field=data["field"],
        text=data["text"],
        author=author,
        at=at,
        status="held" if held else SHOWN,
        held=held,
        channel=data.get("channel", "phone"),
    )
    problem.next_id = max(problem.next_id, int(number[1:]) + 1)


def apply_status(
    problem: ProblemState, contribution_id: str, status: str, reason: str = ""
) -> None:
    """A contribution's new status; one that leaves the list is no longer agreed."""
    contribution = problem.contributions[contribution_id]
    contribution.status = status
    if status == "hidden":
        contribution.reason = reason
    if status != SHOWN and problem.agreed.get(contribution.field) == contribution_id:
        del problem.agreed[contribution.field]
