"""Proposed activities under every sequence: one stance per phone per proposal, counts that are
the stances held, SMART flags that match the fields and stances, a chosen proposal always on
the list, and withheld proposals that reach nobody else.

A Hypothesis state machine drives an actions activity through the pure core the way a room
does: phones propose, edit, support, question and take stances back; the facilitator writes,
revises, chooses, unchooses, hides, restores, lets through, opens, closes, reveals and
conceals; the server restarts. After every step it checks the promises of docs/protocol.md
("Activities (SMART)"):

- the log never leaves two standing stances of one phone on one proposal; every count in every
  view, each phone's `mine` and the record is the number of stances held;
- every view's and the record's SMART flags are those core/smart.py gives for the fields and
  the stances held (accepted: null while the room does not see the counts);
- a chosen proposal is visible;
- the state rebuilt from the log equals the live state; a refused command changes nothing;
- the text of a held or hidden proposal is in no screen view, no phone's view, no other phone's
  `mine` and not in the public results; and, once per generated meeting, in no minutes format,
  and in the JSON record only in `moderation`.
"""

from __future__ import annotations

import collections
import json
from typing import Any

from budget import examples
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import Bundle, initialize, invariant, rule

from facilitate.core import actionplan, record, smart, views
from facilitate.core.events import FACILITATOR, Event
from facilitate.core.meeting import Meeting
from facilitate.export import FORMATS, export

from .helpers import T0, make_plan
from .test_moderation_machine import Driven, snapshot, text_of, token

PHONES = ("p1", "p2", "p3", "p4")
ACTORS = (*PHONES, FACILITATOR)
PRESENCE = views.Presence(phones=len(PHONES))
STANCES = ("support", "question", None)
# What a field may become: something, nothing, or something that looks personal.
VALUES = st.sampled_from(["", "x", "mars–juni 2027", "ring 912 34 567"])


class Actions(Driven):
    made = Bundle("made")

    @initialize(results=st.sampled_from(["live", "reveal"]), hold=st.booleans())
    def start(self, results: str, hold: bool) -> None:
        plan = make_plan(
            {"id": "hur", "kind": "actions", "title": "Hur", "results": results,
             "hold_personal": hold},
        )  # fmt: skip
        self.at = T0
        self.log: list[Event] = [Meeting.created("ABCD", plan, T0)]
        self.meeting = Meeting.replay(self.log)
        self.written = 0
        self.do(FACILITATOR, "goto", activity="hur")

    @property
    def plan(self) -> actionplan.ActionPlan:
        return actionplan.of(self.meeting.activities["hur"])

    def what(self, personal: bool) -> str:
        self.written += 1
        return token(self.written) + (" ring 912 34 567" if personal else "")

    # -- phones and the facilitator --------------------------------------------------------

    @rule(target=made, actor=st.sampled_from(ACTORS), personal=st.booleans(), when=VALUES)
    def propose(self, actor: str, personal: bool, when: str) -> str:
        command = "write_action" if actor == FACILITATOR else "propose_action"
        events = self.do(actor, command, activity="hur", what=self.what(personal), when=when)
        return "a0" if events is None else events[0].data["action"]  # a0 is never there

    @rule(actor=st.sampled_from(ACTORS), action=made, name=st.sampled_from(smart.FIELDS[1:]),
          value=VALUES, own=st.booleans())  # fmt: skip
    def edit(self, actor: str, action: str, name: str, value: str, own: bool) -> None:
        found = self.plan.actions.get(action)
        if own and found is not None:
            actor = found.author  # the interesting case, drawn often
        if actor == FACILITATOR:
            self.do(actor, "revise_action", activity="hur", action=action, **{name: value})
        else:
            self.do(actor, "edit_action", activity="hur", action=action, **{name: value})

    @rule(action=made, personal=st.booleans())
    def rewrite(self, action: str, personal: bool) -> None:
        found = self.plan.actions.get(action)
        if found is not None and found.author != FACILITATOR:
            what = self.what(personal)
            self.do(found.author, "edit_action", activity="hur", action=action, what=what)

    @rule(
        steps=st.lists(
            st.tuples(st.sampled_from(PHONES), made, st.sampled_from(STANCES)),
            min_size=1,
            max_size=8,
        )
    )
    def back(self, steps: list[tuple[str, str, str | None]]) -> None:
        for pid, action, stance in steps:
            self.do(pid, "back_action", activity="hur", action=action, stance=stance)

    @rule(
        command=st.sampled_from(
            ["choose_action", "unchoose_action", "restore_action", "release_action"]
        ),
        action=made,
    )
    def moderate(self, command: str, action: str) -> None:
        self.do(FACILITATOR, command, activity="hur", action=action)

    @rule(action=made, reason=st.sampled_from(["", "dobbelt", "navngir en person"]))
    def hide(self, action: str, reason: str) -> None:
        self.do(FACILITATOR, "hide_action", activity="hur", action=action, reason=reason)

    @rule(command=st.sampled_from(["open", "close", "reveal", "conceal"]))
    def toggle(self, command: str) -> None:
        self.do(FACILITATOR, command, activity="hur")

    @rule()
    def restart(self) -> None:
        replayed = Meeting.replay(self.log)
        assert snapshot(replayed) == snapshot(self.meeting)
        self.meeting = replayed

    # -- what must hold after every step ---------------------------------------------------

    def standing(self) -> dict[tuple[str, str], str]:
        """The stance standing per (phone, proposal), read from the log alone."""
        held: dict[tuple[str, str], str] = {}
        for event in self.log:
            if event.type == "action_backed":
                key = (event.actor, event.data["action"])
                if event.data["stance"] is None:
                    held.pop(key, None)
                else:
                    held[key] = event.data["stance"]
        return held

    def views(self) -> list[list[dict[str, Any]]]:
        """Every list of proposals a role, a phone's `mine` or the record shows."""
        shown = [
            role(self.meeting, PRESENCE)["activity"]["actions"]
            for role in (views.screen, views.phone, views.console)
        ]
        for pid in PHONES:
            shown.append(views.mine(self.meeting, pid).get("hur", {}).get("actions", []))
        entry = record.build(self.log)["activities"][0]
        return [*shown, entry["actions"], entry["moderation"]]

    @invariant()
    def one_stance_per_phone_and_counts_are_the_stances_held(self) -> None:
        standing = self.standing()
        counts = collections.Counter((action, stance) for (_, action), stance in standing.items())
        for action in self.plan.actions.values():
            assert all(
                self.standing().get((pid, action.id)) == s for pid, s in action.stances.items()
            )
            assert action.author not in action.stances
        for listed in self.views():
            for item in listed:
                if "supports" in item:
                    assert item["supports"] == counts[(item["id"], "support")]
                    assert item["questions"] == counts[(item["id"], "question")]
        for pid in PHONES:
            mine = views.mine(self.meeting, pid).get("hur", {}).get("stances", {})
            assert mine == {a: s for (who, a), s in standing.items() if who == pid}

    @invariant()
    def smart_flags_match_the_fields_and_stances(self) -> None:
        counts = collections.Counter((a, s) for (_, a), s in self.standing().items())
        for listed in self.views():
            for item in listed:
                fields = {name: item[name] for name in smart.FIELDS}
                expected = smart.criteria(
                    fields, counts[(item["id"], "support")], counts[(item["id"], "question")]
                )
                if "supports" not in item:
                    expected = {**expected, "accepted": None}  # type: ignore[dict-item]
                assert item["smart"] == expected
                assert fields == self.plan.actions[item["id"]].fields

    @invariant()
    def a_chosen_proposal_is_on_the_list(self) -> None:
        for action in self.plan.actions.values():
            assert not action.chosen or action.status == "visible"
        shown = {a["id"] for a in views.phone(self.meeting, PRESENCE)["activity"]["actions"]}
        assert {a.id for a in self.plan.actions.values() if a.chosen} <= shown

    def withheld(self) -> dict[str, str]:
        """Text -> author of every proposal only the facilitator may read now."""
        return {
            a.fields["what"]: a.author
            for a in self.plan.actions.values()
            if a.status in ("held", "hidden")
        }

    @invariant()
    def withheld_text_reaches_nobody_else(self) -> None:
        withheld = self.withheld()
        if not withheld:
            return
        for role in (views.screen, views.phone):
            seen = json.dumps(role(self.meeting, PRESENCE), ensure_ascii=False)
            assert not [t for t in withheld if t in seen], role.__name__
        for pid in PHONES:
            seen = json.dumps(views.mine(self.meeting, pid), ensure_ascii=False)
            assert not [t for t, author in withheld.items() if author != pid and t in seen]
        public = json.dumps(record.public(record.build(self.log)), ensure_ascii=False)
        assert not [t for t in withheld if t in public]

    def teardown(self) -> None:
        if not hasattr(self, "meeting"):
            return
        assert snapshot(Meeting.replay(self.log)) == snapshot(self.meeting)
        withheld = self.withheld()
        built = record.build(self.log)
        for fmt in FORMATS:
            document = export(built, fmt, lambda s: s)
            if fmt == "json":
                archived = json.loads(document)
                for activity in archived["activities"]:
                    activity.pop("moderation", None)
                document = json.dumps(archived, ensure_ascii=False).encode()
            seen = text_of(document, fmt)
            assert not [t for t in withheld if t in seen], fmt


Actions.TestCase.settings = settings(
    max_examples=examples(100),
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestActions = Actions.TestCase
