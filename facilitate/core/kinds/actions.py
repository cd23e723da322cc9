"""Activities for a citizen promise, built SMART in the room (medarbetardialog HUR). Pure.

Phones and the facilitator propose concrete activities: what (vad), for or by whom (vem), where
(var), when (a period), a measurable indicator (mätbar indikator) and who is responsible
(ansvarig); only `what` is needed at first, the rest may come later. The author edits their
own proposal field by field (the newest value wins), the facilitator any proposal (they write
for people without phones). Phones support or question other people's proposals, one stance
each, which they may change or take back. Every view shows each proposal's SMART criteria
(core/smart.py) live, with what is still missing. The facilitator chooses the activities that
go on (and can unchoose), hides one with a reason, restores it, and lets through a proposal
held because it looked personal (`hold_personal`, on unless the agenda says false).

The rules and the state: core/actionplan.py. The record and the minutes: actions_record.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.core import actionplan, smart
from facilitate.core.actionplan import Action, ActionPlan
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import Block, Context
from facilitate.core.events import FACILITATOR
from facilitate.core.kinds import actions_record, forms
from facilitate.core.kinds.base import (
    ACTIVITY,
    N_,
    Commands,
    Contribution,
    Decided,
    Demo,
    Fields,
    Form,
    Kind,
    Settings,
)

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

SCREEN_ACTIONS = 8  # cards a projector shows readably at 1280×720
PHONE_ACTIONS = 150
CONSOLE_ACTIONS = 400
_TEXTS: Fields = {name: ((str,), False) for name in smart.FIELDS}
_ONE: Fields = {**ACTIVITY, "action": ((str,), True)}

# What people propose in a Swedish HOW dialogue about a town centre at night: the demo's input.
# Each: the fields as typed at first, the fields the author adds later, and how the room takes it.
PROPOSED: list[tuple[dict[str, str], dict[str, str], str]] = [
    (
        {"what": "Nattvandring fredagar vid Torget", "who": "Vuxna nattvandrare, för unga"},
        {
            "where": "Torget och busstationen",
            "when": "mars–juni 2027",
            "indicator": "antal kvällar med vuxna ute",
            "responsible": "Föreningen Nattvandrarna",
        },
        "loved",
    ),
    (
        {
            "what": "Bättre belysning i gångtunneln",
            "who": "Alla som går till stationen",
            "where": "Gångtunneln under Storgatan",
            "responsible": "Kommunens gatukontor",
        },
        {"when": "före 1 oktober 2027", "indicator": "antal trasiga lampor vid kontroll"},
        "loved",
    ),
    (
        {"what": "Polisen går till fots i centrum", "who": "Kommunpolisen"},
        {"where": "Storgatan, kvällstid", "when": "helger hösten 2027"},
        "split",
    ),
    (
        {"what": "Fritidsgården öppen till 23 på fredagar", "who": "Ungdomar 13–17 år"},
        {"where": "Fritidsgården Vågen", "indicator": "antal besökare per kväll"},
        "liked",
    ),
    ({"what": "Kameror överallt i centrum"}, {}, "doubted"),
    ({"what": "Ring Kalle Svensson 070-123 45 67 om klottret"}, {}, "personal"),
]
# A proposal the facilitator writes down for someone at the meeting without a phone.
WRITTEN = {
    "what": "Trygghetsvandring med boende",
    "who": "Boende och fastighetsägare",
    "where": "Norra bostadsområdet",
    "when": "maj 2027",
    "indicator": "antal åtgärdade brister efter vandringen",
    "responsible": "Kommunens trygghetssamordnare",
}


@dataclass(frozen=True)
class ActionsSettings(Settings):
    hold_personal: bool = True


def _settings(state: ActivityState) -> ActionsSettings:
    found: ActionsSettings = state.spec.settings
    return found


# -- deciding ---------------------------------------------------------------------------------


def _new(state: ActivityState, data: dict[str, Any], pid: str | None) -> dict[str, Any]:
    plan = actionplan.of(state)
    given = actionplan.clean_fields(data, need_what=True)
    actionplan.check_room(plan, pid)
    fields = {name: given.get(name, "") for name in smart.FIELDS}
    return {"activity": state.spec.id, "action": actionplan.new_id(plan), **fields}


def _propose(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    payload = _new(state, data, pid)
    held = actionplan.hold_reason(payload, _settings(state).hold_personal)
    if held is not None:
        payload["held"] = held
    return [("action_proposed", payload)]


def _write(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    return [("action_written", _new(state, data, None))]


def _edited(state: ActivityState, action: Action, data: dict[str, Any], hold: bool) -> Decided:
    given = actionplan.clean_fields(data, need_what=False)
    changed = {k: v for k, v in given.items() if action.fields.get(k) != v}
    if not changed:
        return []
    payload: dict[str, Any] = {"activity": state.spec.id, "action": action.id, **changed}
    held = actionplan.hold_reason(changed, _settings(state).hold_personal) if hold else None
    if held is not None and action.status == "visible":
        payload["held"] = held
    return [("action_edited", payload)]


def _edit(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    action = actionplan.check_own_edit(actionplan.of(state), pid, data["action"])
    return _edited(state, action, data, hold=True)


def _revise(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    action = actionplan.find(actionplan.of(state), data["action"])
    return _edited(state, action, data, hold=False)  # the facilitator's words are not held


def _back(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    stance = data.get("stance")
    action = actionplan.check_stance(actionplan.of(state), pid, data["action"], stance)
    if action.stances.get(pid) == stance:
        return []  # the same stance again changes nothing
    return [("action_backed", {"activity": state.spec.id, "action": action.id, "stance": stance})]


def _choose(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    action = actionplan.check_choose(actionplan.of(state), data["action"])
    return (
        []
        if action.chosen
        else [("action_chosen", {"activity": state.spec.id, "action": action.id})]
    )


def _unchoose(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    action = actionplan.find(actionplan.of(state), data["action"])
    if not action.chosen:
        return []
    return [("action_unchosen", {"activity": state.spec.id, "action": action.id})]


def _hide(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    action = actionplan.find(actionplan.of(state), data["action"])
    if action.status == "hidden":
        return []
    reason = actionplan.clean_reason(data.get("reason"))
    return [("action_hidden", {"activity": state.spec.id, "action": action.id, "reason": reason})]


def _moderate(status: str, event: str) -> Any:
    """Restore (a hidden one) or release (a held one): anything else is left as it is."""

    def decide(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
        action = actionplan.find(actionplan.of(state), data["action"])
        if action.status != status:
            return []
        return [(event, {"activity": state.spec.id, "action": action.id})]

    return decide


# -- applying ---------------------------------------------------------------------------------


def _fields(data: Mapping[str, Any]) -> dict[str, str]:
    return {name: data[name] for name in smart.FIELDS if name in data}


def _added(meeting: Meeting, state: ActivityState, event: Event) -> None:
    data = event.data
    held = data.get("held")
    action = Action(data["action"], event.actor, event.at, _fields(data), held=held)
    action.channel = data.get("channel", "phone")
    if held is not None:
        action.status = "held"
    actionplan.add(actionplan.of(state), action)


def _changed(meeting: Meeting, state: ActivityState, event: Event) -> None:
    data = event.data
    actionplan.edit(actionplan.of(state), data["action"], _fields(data), data.get("held"))


def _backed(meeting: Meeting, state: ActivityState, event: Event) -> None:
    action = actionplan.of(state).actions[event.data["action"]]
    actionplan.set_stance(action, event.actor, event.data["stance"])


def _on_action(change: Any) -> Any:
    def apply(meeting: Meeting, state: ActivityState, event: Event) -> None:
        plan = actionplan.of(state)
        change(plan, plan.actions[event.data["action"]], event.data)

    return apply


def _set_chosen(chosen: bool) -> Any:
    def change(plan: ActionPlan, action: Action, data: dict[str, Any]) -> None:
        action.chosen = chosen

    return change


class Actions(Kind):
    name = "actions"
    label = N_("Activities (SMART)")
    example = {
        "kind": "actions",
        "title": "Vad gör vi, och hur vet vi att det fungerar?",
        "text": "Föreslå en aktivitet: vad, för vem, var, när, hur vi mäter den och vem som "
        "ansvarar. Stöd eller ifrågasätt de andras förslag.",
        "hold_personal": True,
        "results": "live",
    }
    fields = frozenset({"hold_personal"})
    messages = {
        "propose_action": {**ACTIVITY, **_TEXTS},
        "edit_action": {**_ONE, **_TEXTS},
        "back_action": {**_ONE, "stance": ((str, None), True)},
        "write_action": {**ACTIVITY, **_TEXTS},
        "revise_action": {**_ONE, **_TEXTS},
        "choose_action": _ONE,
        "unchoose_action": _ONE,
        "hide_action": {**_ONE, "reason": ((str,), False)},
        "restore_action": _ONE,
        "release_action": _ONE,
    }
    participant = {"propose_action": _propose, "edit_action": _edit, "back_action": _back}
    facilitator = {
        "write_action": _write,
        "revise_action": _revise,
        "choose_action": _choose,
        "unchoose_action": _unchoose,
        "hide_action": _hide,
        "restore_action": _moderate("hidden", "action_restored"),
        "release_action": _moderate("held", "action_released"),
    }
    appliers = {
        "action_proposed": _added,
        "action_written": _added,
        "action_edited": _changed,
        "action_backed": _backed,
        "action_chosen": _on_action(_set_chosen(True)),
        "action_unchosen": _on_action(_set_chosen(False)),
        "action_hidden": _on_action(lambda plan, a, data: actionplan.hide(a, data["reason"])),
        "action_restored": _on_action(lambda plan, a, data: actionplan.restore(a)),
        "action_released": _on_action(lambda plan, a, data: actionplan.release(plan, a)),
    }
    # The facilitator's own proposals (`action_written`) are not a phone taking part.
    input_events = frozenset({"action_proposed", "action_backed"})
    events_for_people = frozenset(
        {
            "action_edited",
            "action_chosen",
            "action_unchosen",
            "action_hidden",
            "action_restored",
            "action_released",
        }
    )

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        return ActionsSettings(hold_personal=reader.flag(item, "hold_personal", index, True))

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        return {"hold_personal": settings.hold_personal}

    def new_state(self) -> ActionPlan:
        return ActionPlan()

    def responders(self, state: ActivityState) -> set[str]:
        plan = actionplan.of(state)
        people = {pid for pid in plan.authored if pid != FACILITATOR}
        for action in plan.actions.values():
            people.update(action.stances)
        return people

    # -- views ------------------------------------------------------------------------------

    def head(self, state: ActivityState) -> dict[str, Any]:
        return {"max_length": actionplan.MAX_FIELD, "per_phone": actionplan.PER_PHONE}

    def _listed(self, state: ActivityState, limit: int) -> dict[str, Any]:
        plan, shown = actionplan.of(state), state.show_results
        listed = actionplan.visible(plan, ranked=shown)
        return {
            "actions": [actionplan.entry(a, counts=shown) for a in listed[:limit]],
            "more_actions": max(0, len(listed) - limit),
            "chosen_count": sum(1 for a in listed if a.chosen),
            "waiting": sum(1 for a in plan.actions.values() if a.status == "held"),
        }

    def phone(self, state: ActivityState) -> dict[str, Any]:
        """The proposals on the list, chosen first (then by supports while the room sees the
        counts), each with its SMART criteria; how many wait for review."""
        return self._listed(state, PHONE_ACTIONS)

    def screen(self, state: ActivityState) -> dict[str, Any]:
        return self._listed(state, SCREEN_ACTIONS)

    def console(self, state: ActivityState) -> dict[str, Any]:
        """Every proposal with its counts: those waiting for review first, then the list,
        then the hidden ones with the reason."""
        plan = actionplan.of(state)
        order = {"held": 0, "visible": 1, "hidden": 2}
        ranked = actionplan.visible(plan, ranked=True)
        rank = {a.id: n for n, a in enumerate(ranked)}
        every = sorted(plan.actions.values(), key=lambda a: (order[a.status], rank.get(a.id, 0)))
        return {
            "actions": [_console(a) for a in every[:CONSOLE_ACTIONS]],
            "total_actions": len(plan.actions),
            "held": sum(1 for a in plan.actions.values() if a.status == "held"),
            "chosen_count": sum(1 for a in ranked if a.chosen),
        }

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        """Its own proposals (at most PER_PHONE: an ack carries them all) with their status,
        and its stances on others' proposals."""
        plan = actionplan.of(state)
        entry: dict[str, Any] = {}
        own = plan.authored.get(pid)
        if own:
            entry["actions"] = [_own(plan.actions[a], state.show_results) for a in own]
        stances = {a.id: a.stances[pid] for a in plan.actions.values() if pid in a.stances}
        if stances:
            entry["stances"] = stances
        return entry

    def affected(self, state: ActivityState, event_type: str, data: dict[str, Any]) -> set[str]:
        """The author of the proposal the facilitator changed, chose, hid or let through."""
        if event_type not in self.events_for_people:
            return set()
        action = actionplan.of(state).actions.get(data.get("action", ""))
        if action is None or action.author == FACILITATOR:
            return set()
        return {action.author}

    # -- the record -------------------------------------------------------------------------

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """A button `back` whose value is a proposal's id and "support", "question" or
        "none" to take the stance back ("a2 support"); or a new proposal's fields, by their
        names (what, who, where, when, indicator, responsible). Changing one's proposal is left
        to the live page."""
        if "back" in form:
            action, _, stance = forms.first(form, "back").partition(" ")
            data = {"activity": state.spec.id, "action": action, "stance": stance}
            return [("back_action", {**data, "stance": None if stance == "none" else stance})]
        texts = {name: forms.first(form, name) for name in smart.FIELDS if name in form}
        return [("propose_action", {"activity": state.spec.id, **texts})]

    def record(self, state: ActivityState) -> dict[str, Any]:
        return actions_record.record(actionplan.of(state))

    def public(self, entry: dict[str, Any]) -> dict[str, Any]:
        return actions_record.public(entry)

    def minutes(self, entry: dict[str, Any], context: Context) -> list[Block]:
        return actions_record.minutes(entry, context)

    def promise(self, entry: dict[str, Any], context: Context) -> list[Contribution]:
        return actions_record.promise(entry, context)

    def commitments(self, entry: dict[str, Any], context: Context) -> list[str]:
        return actions_record.commitments(entry)

    # -- demo -------------------------------------------------------------------------------

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        people = list(demo.people)
        demo.chance.shuffle(people)
        authors = people[: len(PROPOSED)]
        made: list[tuple[str, str, str]] = []  # (proposal, author, how the room takes it)
        for pid, (first, _, mood) in zip(authors, PROPOSED, strict=False):
            (event,) = demo.act(pid, "propose_action", activity=spec.id, **first)
            made.append((event.data["action"], pid, mood))
        # The phones fill in their proposals (a table of few people makes fewer of them).
        for (action, pid, _), (_, later, _) in zip(made, PROPOSED, strict=False):
            if later:
                demo.act(pid, "edit_action", activity=spec.id, action=action, **later)
        (written,) = demo.fac("write_action", activity=spec.id, **WRITTEN)
        made.append((written.data["action"], FACILITATOR, "liked"))
        odds = {
            "loved": (0.7, 0.05),
            "liked": (0.4, 0.1),
            "split": (0.3, 0.3),
            "doubted": (0.1, 0.4),
        }
        for action, author, mood in made:
            if mood == "personal":  # a name and a number: the facilitator keeps it off
                reason = "Namn och telefonnummer"
                demo.fac("hide_action", activity=spec.id, action=action, reason=reason)
                continue
            support, question = odds[mood]
            for pid in people:
                if pid == author:
                    continue
                draw = demo.chance.random()
                stance = (
                    "support"
                    if draw < support
                    else "question"
                    if draw < support + question
                    else None
                )
                if stance is not None:
                    demo.act(pid, "back_action", activity=spec.id, action=action, stance=stance)
        if spec.results == "reveal":
            demo.fac("reveal", activity=spec.id)
        for action, _, mood in made:
            if mood == "loved" or action == written.data["action"]:
                demo.fac("choose_action", activity=spec.id, action=action)


def _own(action: Action, counts: bool) -> dict[str, Any]:
    """A proposal as its author's phone lists it: with its status and why it waits or was
    taken off."""
    item = actionplan.entry(action, counts=counts)
    item["status"] = action.status
    if action.status == "held":
        item["held"] = action.held
    if action.status == "hidden":
        item["reason"] = action.reason
    return item


def _console(action: Action) -> dict[str, Any]:
    """A proposal as the console lists it: everything, and whether the facilitator wrote it."""
    item = _own(action, counts=True)
    item["by_facilitator"] = action.author == FACILITATOR
    return item


KIND = Actions()
