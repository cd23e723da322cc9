"""Problem descriptions under every sequence: one agreed answer per field and always a visible
one, a why chain without gaps, withheld contributions that reach nobody else.

A Hypothesis state machine drives a problem activity through the pure core the way a room does:
phones contribute to any field (some texts look personal and wait) and withdraw their own; the
facilitator writes as the scribe, agrees and clears, hides, restores and lets held ones through,
opens, closes, reveals and conceals; the server restarts. After every step it checks:

- each field has at most one agreed contribution, and it is visible;
- why level n has no visible or held contribution while level n - 1 has no visible one;
- the state rebuilt from the log equals the live state; a refused command changes nothing;
- the text of every held, hidden or withdrawn contribution is in no screen view, no phone's
  view, no other phone's `mine`, the public results, and — once per generated meeting — no
  minutes format; in the JSON record only in `moderation`; no participant id is in the public
  results.
"""

from __future__ import annotations

import json

from budget import examples
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import Bundle, initialize, invariant, rule

from facilitate.core import problem, record, views
from facilitate.core.events import FACILITATOR, Event
from facilitate.core.meeting import Meeting
from facilitate.export import FORMATS, export

from .helpers import T0, make_plan
from .test_moderation_machine import Driven, snapshot, text_of, token

PHONES = ("p1", "p2", "p3")
PRESENCE = views.Presence(phones=len(PHONES))
# The why levels most often, so that the chain's rules are exercised.
NAMES = st.sampled_from(["what", "where", "offender", *problem.WHYS, "why1", "why2", "why3"])


class Problems(Driven):
    posted = Bundle("posted")

    @initialize(whys=st.integers(1, 5), results=st.sampled_from(["live", "reveal"]))
    def start(self, whys: int, results: str) -> None:
        self.whys = whys
        self.plan = make_plan(
            {"id": "pr", "kind": "problem", "title": "Problemet", "whys": whys,
             "results": results},
        )  # fmt: skip
        self.at = T0
        self.log: list[Event] = [Meeting.created("ABCD", self.plan, T0)]
        self.meeting = Meeting.replay(self.log)
        self.count = 0
        self.do(FACILITATOR, "goto", activity="pr")

    @property
    def own(self) -> problem.ProblemState:
        return problem.of(self.meeting.activities["pr"])

    def text(self, personal: bool) -> str:
        self.count += 1
        return token(self.count) + (" ring 912 34 567" if personal else "")

    # -- phones ------------------------------------------------------------------------------

    @rule(target=posted, pid=st.sampled_from(PHONES), name=NAMES, personal=st.booleans())
    def contribute(self, pid: str, name: str, personal: bool) -> str:
        opened = problem.is_open(self.own, name) and name in problem.fields(self.whys)
        events = self.do(pid, "contribute", activity="pr", field=name, text=self.text(personal))
        if self.meeting.activities["pr"].open:
            assert (events is not None) == opened
        return "c0" if events is None else events[0].data["contribution"]  # c0 is never there

    @rule(contribution=posted)
    def withdraw_own(self, contribution: str) -> None:
        found = self.own.contributions.get(contribution)
        if found is not None:
            self.do(found.author, "withdraw_contribution", activity="pr", contribution=found.id)

    @rule(pid=st.sampled_from(PHONES), contribution=posted)
    def withdraw(self, pid: str, contribution: str) -> None:
        found = self.own.contributions.get(contribution)
        events = self.do(pid, "withdraw_contribution", activity="pr", contribution=contribution)
        if found is None or found.author != pid:
            assert events is None

    # -- the facilitator ---------------------------------------------------------------------

    @rule(target=posted, name=NAMES)
    def scribe(self, name: str) -> str:
        events = self.do(FACILITATOR, "scribe", activity="pr", field=name, text=self.text(False))
        return "c0" if events is None else events[0].data["contribution"]

    @rule(contribution=posted)
    def agree(self, contribution: str) -> None:
        self.do(FACILITATOR, "agree", activity="pr", contribution=contribution)

    @rule(name=NAMES)
    def clear(self, name: str) -> None:
        self.do(FACILITATOR, "clear_agreed", activity="pr", field=name)

    @rule(contribution=posted, reason=st.sampled_from(["", "navngir en person"]))
    def hide(self, contribution: str, reason: str) -> None:
        self.do(FACILITATOR, "hide_contribution", activity="pr", contribution=contribution,
                reason=reason)  # fmt: skip

    @rule(contribution=posted)
    def restore(self, contribution: str) -> None:
        self.do(FACILITATOR, "restore_contribution", activity="pr", contribution=contribution)

    @rule(contribution=posted)
    def release(self, contribution: str) -> None:
        self.do(FACILITATOR, "release_contribution", activity="pr", contribution=contribution)

    @rule(command=st.sampled_from(["open", "close", "reveal", "conceal"]))
    def toggle(self, command: str) -> None:
        self.do(FACILITATOR, command, activity="pr")

    @rule()
    def restart(self) -> None:
        replayed = Meeting.replay(self.log)
        assert snapshot(replayed) == snapshot(self.meeting)
        self.meeting = replayed

    # -- what must hold after every step -----------------------------------------------------

    @invariant()
    def one_agreed_per_field_and_always_visible(self) -> None:
        for name, chosen in self.own.agreed.items():
            found = self.own.contributions[chosen]
            assert found.field == name and found.status == "visible"
        console = views.console(self.meeting, PRESENCE)["activity"]["answers"]
        for name, answer in console.items():
            assert answer["agreed"] == self.own.agreed.get(name)

    @invariant()
    def the_why_chain_has_no_gap(self) -> None:
        for before, after in zip(problem.WHYS, problem.WHYS[1:], strict=False):
            used = [c for c in self.own.contributions.values() if c.field == after]
            if any(c.status in ("visible", "held") for c in used):
                assert any(
                    c.status == "visible"
                    for c in self.own.contributions.values()
                    if c.field == before
                ), f"{after} in use while {before} is empty"

    def withheld(self) -> dict[str, str]:
        """Text -> author of every contribution only the facilitator may read now."""
        return {
            c.text: c.author
            for c in self.own.contributions.values()
            if c.status in ("held", "hidden", "withdrawn")
        }

    @invariant()
    def withheld_text_reaches_nobody_else(self) -> None:
        withheld = self.withheld()
        public = json.dumps(record.public(record.build(self.log)), ensure_ascii=False)
        assert not [pid for pid in PHONES if f'"{pid}"' in public], "a participant id is public"
        if not withheld:
            return
        for role in (views.screen, views.phone):
            seen = json.dumps(role(self.meeting, PRESENCE), ensure_ascii=False)
            assert not [t for t in withheld if t in seen], role.__name__
        for pid in PHONES:
            seen = json.dumps(views.mine(self.meeting, pid), ensure_ascii=False)
            assert not [t for t, author in withheld.items() if author != pid and t in seen]
        assert not [t for t in withheld if t in public]

    def teardown(self) -> None:
        if not hasattr(self, "meeting"):
            return
        assert snapshot(Meeting.replay(self.log)) == snapshot(self.meeting)
        withheld = self.withheld()
        built = record.build(self.log)
        for fmt in FORMATS:
            document = export(built, fmt, lambda s: s)
            if fmt == "json":  # the archive: withheld text only in the moderation section
                archived = json.loads(document)
                for activity in archived["activities"]:
                    activity.pop("moderation", None)
                document = json.dumps(archived, ensure_ascii=False).encode()
            seen = text_of(document, fmt)
            assert not [t for t in withheld if t in seen], fmt


Problems.TestCase.settings = settings(
    max_examples=examples(80),
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestProblems = Problems.TestCase
