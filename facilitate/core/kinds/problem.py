"""Problem description and cause analysis, filled in together (problembeskrivning och
orsaksanalys, from the Swedish citizen-promise method). Pure.

Fields: `whys` (1 to 5, default 5: how many times the form asks why), `hold_personal` (on
unless false: a contribution that looks personal waits for the facilitator, as notes do), and
where the problem starts from: a fixed `focus` text, or `items_from = { activity = "pain",
top = 1 }`, the top item of an earlier activity, drawn once when this one opens (a
`focus_drawn` event), or neither.

Phones post short contributions to the form's fields (`contribute`) and withdraw their own
(`withdraw_contribution`); everyone sees the others' visible ones. The facilitator writes for
people without phones (`scribe`), hides a contribution with a reason and restores it, lets a
held one through, and marks one contribution per field as the agreed answer (`agree`,
`clear_agreed`). The fields and rules are in facilitate.core.problem; the record and the
minutes in problem_record.py, the demo input in problem_demo.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from facilitate.core import board, personal, problem, writing
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import Block, Context
from facilitate.core.events import FACILITATOR
from facilitate.core.kinds import problem_demo, problem_record
from facilitate.core.kinds.base import (
    ACTIVITY,
    N_,
    Commands,
    Contribution as Given,  # a part of a draft promise
    Decided,
    Demo,
    Fields,
    Form,
    Kind,
    Settings,
)
from facilitate.core.kinds.forms import first
from facilitate.core.kinds.items import ItemsFrom
from facilitate.core.problem import SHOWN, Contribution
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

PHONE_PER_FIELD = 40  # the newest visible contributions of a field a phone lists
SCREEN_RECENT = 2  # shown for a field on the projector while none is agreed
CONSOLE_PER_FIELD = 200
_ONE: Fields = {**ACTIVITY, "contribution": ((str,), True)}
_POST: Fields = {**ACTIVITY, "field": ((str,), True), "text": ((str,), True)}


@dataclass(frozen=True)
class ProblemSettings(Settings):
    whys: int = problem.MAX_WHYS
    focus: Text = field(default_factory=dict)  # empty: no fixed focus
    items_from: ItemsFrom | None = None
    hold_personal: bool = True


def settings(state: ActivityState) -> ProblemSettings:
    found: ProblemSettings = state.spec.settings
    return found


def starting_point(state: ActivityState) -> Text | None:
    """What the problem starts from: the agenda's focus or the item drawn; None for neither."""
    drawn = problem.of(state).focus
    if drawn is not None:
        return drawn
    return settings(state).focus or None


# -- deciding ---------------------------------------------------------------------------------


def _post(state: ActivityState, data: dict[str, Any], author: str) -> dict[str, Any]:
    own = problem.of(state)
    name = problem.check_field(data["field"], settings(state).whys)
    text = problem.check_text(data["text"])
    problem.check_post(own, name, author)
    payload = {
        "activity": state.spec.id,
        "contribution": f"c{own.next_id}",
        "field": name,
        "text": text,
    }
    return payload


def _contribute(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    payload = _post(state, data, pid)
    held = personal.reason(payload["text"]) if settings(state).hold_personal else None
    if held:
        payload["held"] = held
    return [("contribution_posted", payload)]


def _scribe(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    """The facilitator (or the table's scribe) writes for people without phones; `agreed`
    writes the table's agreed answer in one step."""
    written = _post(state, data, actor)
    decided: Decided = [("contribution_written", written)]
    if data.get("agreed"):
        agreed = {k: written[k] for k in ("activity", "field", "contribution")}
        decided.append(("contribution_agreed", agreed))
    return decided


def _withdraw(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    found = problem.check_withdraw(problem.of(state), pid, data["contribution"])
    return [("contribution_withdrawn", {"activity": state.spec.id, "contribution": found.id})]


def _hide(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    found = problem.check_hide(problem.of(state), data["contribution"])
    reason = writing.truncate(writing.clean_text(data.get("reason", "")), board.MAX_REASON)
    payload = {"activity": state.spec.id, "contribution": found.id, "reason": reason}
    return [("contribution_hidden", payload)]


def _show(status: str, event: str) -> Any:
    def decide(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
        found = problem.check_show(problem.of(state), data["contribution"], status)
        return [(event, {"activity": state.spec.id, "contribution": found.id})]

    return decide


def _agree(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    own = problem.of(state)
    found = problem.check_agree(own, data["contribution"])
    if own.agreed.get(found.field) == found.id:
        return []
    payload = {"activity": state.spec.id, "field": found.field, "contribution": found.id}
    return [("contribution_agreed", payload)]


def _clear(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    name = problem.check_field(data["field"], settings(state).whys)
    if name not in problem.of(state).agreed:
        return []
    return [("agreed_cleared", {"activity": state.spec.id, "field": name})]


# -- applying ---------------------------------------------------------------------------------


def _posted(meeting: Meeting, state: ActivityState, event: Event) -> None:
    problem.apply_post(problem.of(state), event.data, event.actor, event.at)


def _status(status: str) -> Any:
    def apply(meeting: Meeting, state: ActivityState, event: Event) -> None:
        data = event.data
        problem.apply_status(
            problem.of(state), data["contribution"], status, data.get("reason", "")
        )

    return apply


def _agreed(meeting: Meeting, state: ActivityState, event: Event) -> None:
    problem.of(state).agreed[event.data["field"]] = event.data["contribution"]


def _cleared(meeting: Meeting, state: ActivityState, event: Event) -> None:
    problem.of(state).agreed.pop(event.data["field"], None)


def _drawn(meeting: Meeting, state: ActivityState, event: Event) -> None:
    problem.of(state).focus = dict(event.data["focus"])


# -- views ------------------------------------------------------------------------------------


def by(contribution: Contribution) -> str:
    """Who wrote it, without saying who: a phone, or the facilitator as the scribe."""
    return "scribe" if contribution.author == FACILITATOR else "phone"


def public_item(contribution: Contribution) -> dict[str, Any]:
    """A contribution as everyone may see it."""
    return {"id": contribution.id, "text": contribution.text, "by": by(contribution)}


def own_item(own: problem.ProblemState, contribution: Contribution) -> dict[str, Any]:
    """A phone's own contribution, with its state: held or hidden ones say why."""
    item: dict[str, Any] = {
        "id": contribution.id,
        "field": contribution.field,
        "text": contribution.text,
        "status": contribution.status,
    }
    if contribution.status == "hidden":
        item["reason"] = contribution.reason
    elif contribution.status == "held":
        item["held"] = contribution.held
    if own.agreed.get(contribution.field) == contribution.id:
        item["agreed"] = True
    return item


class Problem(Kind):
    name = "problem"
    label = N_("Problem and causes")
    example = {
        "kind": "problem",
        "title": "Problemet og årsakene",
        "text": "Beskriv problemet sammen: hva, hvor, når, hvem – og spør hvorfor, fem ganger.",
        "focus": "Ungdom samler seg ved Kiwi på kveldstid",
        "whys": 5,
        "hold_personal": True,
        "results": "live",
    }
    instead = frozenset({"items_from"})  # the example gives `focus`
    fields = frozenset({"focus", "items_from", "whys", "hold_personal"})
    messages = {
        "contribute": _POST,
        "withdraw_contribution": _ONE,
        "scribe": {**_POST, "agreed": ((bool,), False)},
        "agree": _ONE,
        "clear_agreed": {**ACTIVITY, "field": ((str,), True)},
        "hide_contribution": {**_ONE, "reason": ((str,), False)},
        "restore_contribution": _ONE,
        "release_contribution": _ONE,
    }
    participant = {"contribute": _contribute, "withdraw_contribution": _withdraw}
    scribe_commands = frozenset({"scribe", "agree", "clear_agreed"})  # the table's own answer
    facilitator = {
        "scribe": _scribe,
        "agree": _agree,
        "clear_agreed": _clear,
        "hide_contribution": _hide,
        "restore_contribution": _show("hidden", "contribution_restored"),
        "release_contribution": _show("held", "contribution_released"),
    }
    appliers = {
        "contribution_posted": _posted,
        "contribution_written": _posted,
        "contribution_withdrawn": _status("withdrawn"),
        "contribution_hidden": _status("hidden"),
        "contribution_restored": _status(SHOWN),
        "contribution_released": _status(SHOWN),
        "contribution_agreed": _agreed,
        "agreed_cleared": _cleared,
        "focus_drawn": _drawn,
    }
    input_events = frozenset({"contribution_posted"})  # the scribe's are not a phone's
    events_for_people = frozenset(
        {
            "contribution_hidden",
            "contribution_restored",
            "contribution_released",
            "contribution_agreed",
            "agreed_cleared",
        }
    )

    # -- the spec ---------------------------------------------------------------------------

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        focus = reader.text(item, "focus", language, index=index, name=reader.where(index, "focus"))
        source = item.get("items_from")
        if source is not None and focus:
            where = reader.where(index, "items_from")
            reader.problem(
                where,
                "give either focus or items_from",
                index,
                "items_from",
                code="focus_or_items_from",
            )
            source = None  # one problem is enough: the earlier activity is not looked up
        return ProblemSettings(
            whys=reader.integer(item, "whys", problem.MAX_WHYS, 1, problem.MAX_WHYS, index),
            focus=focus,
            items_from=None if source is None else _read_source(reader, source, index),
            hold_personal=reader.flag(item, "hold_personal", index, default=True),
        )

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"whys": settings.whys, "hold_personal": settings.hold_personal}
        if settings.focus:
            data["focus"] = dict(settings.focus)
        if settings.items_from is not None:
            data["items_from"] = {"activity": settings.items_from.activity, "top": 1}
        return data

    def sources(self, settings: Any) -> tuple[str, ...]:
        source = settings.items_from
        return () if source is None else (source.activity,)

    # -- the state --------------------------------------------------------------------------

    def new_state(self) -> problem.ProblemState:
        return problem.ProblemState()

    def opening(self, meeting: Meeting, state: ActivityState) -> Decided:
        """The earlier activity's top item becomes the starting point, once."""
        source = settings(state).items_from
        if source is None or problem.of(state).focus is not None:
            return []
        texts = meeting.top(source.activity, 1, meeting.plan.language, state.table)
        if not texts:
            return []  # nothing came out on top: the room starts from a blank "what"
        return [("focus_drawn", {"activity": state.spec.id, "focus": dict(texts[0])})]

    def responders(self, state: ActivityState) -> set[str]:
        return {
            c.author for c in problem.of(state).contributions.values() if c.author != FACILITATOR
        }

    # -- views ------------------------------------------------------------------------------

    def head(self, state: ActivityState) -> dict[str, Any]:
        start = starting_point(state)
        return {
            "fields": list(problem.fields(settings(state).whys)),
            "max_length": problem.MAX_LENGTH,
            "focus": None if start is None else dict(start),
            "open_whys": problem.open_whys(problem.of(state), settings(state).whys),
        }

    def phone(self, state: ActivityState) -> dict[str, Any]:
        """The others' visible contributions by field, newest last, and the agreed ones, while
        results are shown (the form itself is in `head`)."""
        if not state.show_results:
            return {}
        own = problem.of(state)
        listed: dict[str, Any] = {}
        for name in problem.fields(settings(state).whys):
            shown = problem.in_field(own, name, SHOWN)
            listed[name] = {
                "contributions": [public_item(c) for c in shown[-PHONE_PER_FIELD:]],
                "more": max(0, len(shown) - PHONE_PER_FIELD),
                "agreed": own.agreed.get(name),
            }
        return {"answers": listed}

    def screen(self, state: ActivityState) -> dict[str, Any]:
        """Each field's agreed answer, or its newest visible contributions while none is."""
        if not state.show_results:
            return {}
        own = problem.of(state)
        listed: dict[str, Any] = {}
        for name in problem.fields(settings(state).whys):
            shown = problem.in_field(own, name, SHOWN)
            agreed = own.agreed.get(name)
            listed[name] = {
                "agreed": None if agreed is None else public_item(own.contributions[agreed]),
                "recent": [] if agreed else [public_item(c) for c in shown[-SCREEN_RECENT:]],
                "count": len(shown),
            }
        return {"answers": listed}

    def console(self, state: ActivityState) -> dict[str, Any]:
        """Every field with its contributions to agree on, hide, restore or let through."""
        own = problem.of(state)
        listed: dict[str, Any] = {}
        for name in problem.fields(settings(state).whys):
            present = [c for c in problem.in_field(own, name) if c.status != "withdrawn"]
            listed[name] = {
                "contributions": [
                    {
                        **public_item(c),
                        "status": c.status,
                        "held": c.held,
                        "reason": c.reason if c.status == "hidden" else None,
                    }
                    for c in present[-CONSOLE_PER_FIELD:]
                ],
                "agreed": own.agreed.get(name),
                "open": problem.is_open(own, name),
            }
        contributions = own.contributions.values()
        return {
            "answers": listed,
            "held": sum(1 for c in contributions if c.status == "held"),
            "withdrawn": sum(1 for c in contributions if c.status == "withdrawn"),
        }

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        """The phone's own contributions with their state: at most MAX_OWN per field are on
        the list at once, so an ack carries them all."""
        own = problem.of(state)
        items = [own_item(own, c) for c in own.contributions.values() if c.author == pid]
        return {"contributions": items} if items else {}

    def affected(self, state: ActivityState, event_type: str, data: dict[str, Any]) -> set[str]:
        """The author of the contribution moderated; for a change of the agreed answer (their
        `mine` marks it), everyone who wrote in that field. Called once the event is applied."""
        if event_type not in self.events_for_people:
            return set()
        own = problem.of(state)
        if event_type in ("contribution_agreed", "agreed_cleared"):
            touched = problem.in_field(own, data["field"])
        else:
            touched = [own.contributions[data["contribution"]]]
        return {c.author for c in touched} - {FACILITATOR}

    # -- the record -------------------------------------------------------------------------

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """An answer's `text` to the question chosen as `field` (what, where, why1, …)."""
        data = {
            "activity": state.spec.id,
            "field": first(form, "field"),
            "text": first(form, "text"),
        }
        return [("contribute", data)]

    def record(self, state: ActivityState) -> dict[str, Any]:
        return problem_record.record(state, starting_point(state), settings(state).whys)

    def public(self, entry: dict[str, Any]) -> dict[str, Any]:
        return problem_record.public(entry)

    def minutes(self, entry: dict[str, Any], context: Context) -> list[Block]:
        return problem_record.blocks(entry, context)

    def promise(self, entry: dict[str, Any], context: Context) -> list[Given]:
        return problem_record.promise(entry, context)

    # -- demo -------------------------------------------------------------------------------

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        """A room describing youth gathering at a grocery shop in the evening, from the form
        to an agreed chain of whys; one contribution names a person and is hidden."""
        whys = settings(demo.state).whys if demo.state else spec.settings.whys
        problem_demo.demo(spec, demo, whys)


def _read_source(reader: Reader, source: Any, index: int) -> ItemsFrom | None:
    """`items_from = { activity = "…", top = 1 }` (`top` may be left out): one item."""
    if (
        isinstance(source, Mapping)
        and set(source) <= {"activity", "top"}
        and isinstance(source.get("activity"), str)
        and source.get("top", 1) == 1
        and source.get("top", 1) is not True
    ):
        return ItemsFrom(source["activity"], 1)
    reader.problem(
        reader.where(index, "items_from"),
        """must be { activity = "an earlier activity's id", top = 1 }""",
        index,
        "items_from",
        code="bad_items_from",
        high=1,
    )
    return None


KIND = Problem()
