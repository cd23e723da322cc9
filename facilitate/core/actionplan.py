"""The activities proposed for a citizen promise (aktivitetsplanering, the HOW step), and the
rules for proposing, editing, backing, choosing and moderating them. Pure.

A proposal has the fields of core/smart.py (what, who, where, when, indicator, responsible),
each one line of at most MAX_FIELD characters. Everything lives in one `ActionPlan`, the
activity's `kind_state`, so an activity run per table keeps one of these per table. The rules
hold under every sequence of commands (tests/core/test_actions_machine.py):

- a phone holds at most one stance (support or question) per proposal; a later one replaces
  it, and it can be withdrawn; a proposal's counts are the stances held on it;
- a chosen proposal is visible: choosing takes only a visible one, hiding unchooses, and an
  author cannot edit a chosen one (the facilitator can);
- a held or hidden proposal's text reaches only the console, its author's phone and the
  record's moderation section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from facilitate.core import personal, smart, writing
from facilitate.core.errors import CommandError

MAX_FIELD = 200  # characters per field, counted as core/writing.py counts
PER_PHONE = 10  # proposals one phone may make in one activity
MAX_ACTIONS = 500  # proposals in one activity: the console's list stays workable
MAX_REASON = 200
STANCES = ("support", "question")


@dataclass
class Action:
    """One proposed activity. `status` is visible, held (waiting for review, `held` says why)
    or hidden (with the facilitator's `reason`); nothing is deleted. `author` is a phone's
    anonymous id, or the facilitator's when they wrote it for someone without a phone."""

    id: str
    author: str
    at: float
    fields: dict[str, str]
    status: str = "visible"
    held: str | None = None
    reason: str = ""
    chosen: bool = False
    stances: dict[str, str] = field(default_factory=dict)  # phone -> support or question
    channel: str = "phone"  # "form": proposed through the plain forms of the page without scripts

    def count(self, stance: str) -> int:
        """How many phones hold this stance on it."""
        return sum(1 for held in self.stances.values() if held == stance)

    def criteria(self) -> dict[str, bool]:
        """Its SMART criteria (core/smart.py), from its fields and the stances held."""
        return smart.criteria(self.fields, self.count("support"), self.count("question"))


@dataclass
class ActionPlan:
    """What one actions activity holds (ActivityState.kind_state)."""

    actions: dict[str, Action] = field(default_factory=dict)
    authored: dict[str, list[str]] = field(default_factory=dict)  # phone -> its proposals
    held: int = 0  # proposals that ever waited for review
    released: int = 0  # of those, let through


def of(state: Any) -> ActionPlan:
    """The action plan of an activity."""
    found: ActionPlan = state.kind_state
    return found


# -- checking ---------------------------------------------------------------------------------


def clean_fields(data: Mapping[str, Any], *, need_what: bool) -> dict[str, str]:
    """The fields a command gives, cleaned (one line each), or a CommandError: a field over
    MAX_FIELD characters is `too_long_text` naming it; `what` is required for a new proposal
    and can never be emptied (`empty_text`). Fields left out are not in the result."""
    result: dict[str, str] = {}
    for name in smart.FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise CommandError("bad_message", f"{name} must be text")
        text = writing.clean_text(value, multiline=False)
        if not writing.fits(text, MAX_FIELD):
            raise CommandError(
                "too_long_text",
                f"{name}: at most {MAX_FIELD} characters",
                limit=MAX_FIELD,
                field=name,
            )
        result[name] = "" if writing.blank(text) else text
    if (need_what or "what" in result) and not result.get("what"):
        raise CommandError("empty_text", "say what the activity is", field="what")
    return result


def check_room(plan: ActionPlan, pid: str | None) -> None:
    """Refuse a new proposal when the phone (None: the facilitator) or the activity is full."""
    if pid is not None and len(plan.authored.get(pid, ())) >= PER_PHONE:
        raise CommandError(
            "too_many_actions",
            f"at most {PER_PHONE} proposals from one phone",
            limit=PER_PHONE,
        )
    if len(plan.actions) >= MAX_ACTIONS:
        raise CommandError("actions_full", "this activity takes no more proposals")


def find(plan: ActionPlan, action_id: Any) -> Action:
    """The proposal with this id, or a CommandError."""
    found = plan.actions.get(action_id) if isinstance(action_id, str) else None
    if found is None:
        raise CommandError("unknown_action", f"no proposal {action_id!r} here")
    return found


def check_own_edit(plan: ActionPlan, pid: str, action_id: Any) -> Action:
    """The phone's own proposal to edit, or a CommandError: not someone else's, not hidden,
    and not once the facilitator has chosen it (it is then the room's, not the author's)."""
    action = find(plan, action_id)
    if action.author != pid:
        raise CommandError("not_your_action", "only the person who proposed it can change it")
    if action.status == "hidden":
        raise CommandError("action_gone", "this proposal was taken off")
    if action.chosen:
        raise CommandError("action_chosen", "a chosen proposal is changed by the facilitator")
    return action


def check_stance(plan: ActionPlan, pid: str, action_id: Any, stance: Any) -> Action:
    """The proposal a phone backs or questions (or withdraws its stance from), or a
    CommandError: a stance is support, question or null; only on someone else's visible
    proposal; withdrawing needs a stance held."""
    action = find(plan, action_id)
    if stance is None:
        if pid not in action.stances:
            raise CommandError("no_stance", "you have not said anything of this proposal")
        return action
    if stance not in STANCES:
        raise CommandError("bad_action_stance", "support or question a proposal")
    if action.status != "visible":
        raise CommandError("action_gone", "this proposal is not on the list")
    if action.author == pid:
        raise CommandError("own_action", "you cannot back your own proposal")
    return action


def check_choose(plan: ActionPlan, action_id: Any) -> Action:
    """The proposal the facilitator chooses, or a CommandError: only a visible one."""
    action = find(plan, action_id)
    if action.status != "visible":
        raise CommandError("action_gone", "only a proposal on the list can be chosen")
    return action


def hold_reason(fields: Mapping[str, str], hold_personal: bool) -> str | None:
    """Why a phone's proposal waits for review: a field looks personal (core/personal.py)."""
    if not hold_personal:
        return None
    for name in smart.FIELDS:
        found = personal.reason(fields.get(name, ""))
        if found:
            return found
    return None


def clean_reason(value: Any) -> str:
    """A hide reason as kept: one line, cut to MAX_REASON characters."""
    text = writing.clean_text(value, multiline=False) if isinstance(value, str) else ""
    return writing.truncate(text, MAX_REASON)


# -- applying ---------------------------------------------------------------------------------


def add(plan: ActionPlan, action: Action) -> None:
    """A new proposal: counted as held when it waits for review."""
    plan.actions[action.id] = action
    plan.authored.setdefault(action.author, []).append(action.id)
    if action.status == "held":
        plan.held += 1


def edit(plan: ActionPlan, action_id: str, fields: Mapping[str, str], held: str | None) -> None:
    """New values for some fields (the newest wins); a visible proposal an edit made look
    personal waits for review again."""
    action = plan.actions[action_id]
    action.fields.update(fields)
    if held is not None and action.status == "visible":
        action.status, action.held, action.chosen = "held", held, False
        plan.held += 1


def set_stance(action: Action, pid: str, stance: str | None) -> None:
    """One phone's stance on a proposal: set, replaced, or withdrawn (None)."""
    if stance is None:
        action.stances.pop(pid, None)
    else:
        action.stances[pid] = stance


def hide(action: Action, reason: str) -> None:
    """Taken off with a reason; a chosen proposal is no longer chosen."""
    action.status, action.reason, action.chosen = "hidden", reason, False


def restore(action: Action) -> None:
    action.status, action.reason = "visible", ""


def release(plan: ActionPlan, action: Action) -> None:
    action.status = "visible"
    plan.released += 1


def new_id(plan: ActionPlan) -> str:
    """The next proposal's id: a1, a2, … in the order they came."""
    return f"a{len(plan.actions) + 1}"


def entry(action: Action, *, counts: bool) -> dict[str, Any]:
    """A proposal as the room sees it: its fields, whether it is chosen, its SMART criteria
    and, with `counts`, its supports and questions (without them, `accepted` is None: the
    room does not see yet what it said)."""
    met: dict[str, bool | None] = dict(action.criteria())
    item: dict[str, Any] = {"id": action.id, **action.fields, "chosen": action.chosen}
    if counts:
        item["supports"] = action.count("support")
        item["questions"] = action.count("question")
    else:
        met["accepted"] = None
    item["smart"] = met
    return item


def visible(plan: ActionPlan, *, ranked: bool) -> list[Action]:
    """The proposals on the list: chosen first, then (when `ranked`: while the room sees the
    counts) by supports, most first, and otherwise in the order they came."""
    shown = [a for a in plan.actions.values() if a.status == "visible"]
    return sorted(shown, key=lambda a: (not a.chosen, -a.count("support") if ranked else 0))
