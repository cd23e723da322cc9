"""Points and rankings under every sequence of commands (Hypothesis state machines).

Phones send spreads of points and orders, good and bad, as a phone's steppers, arrows and
dragging would, or as a broken or hostile client might; the facilitator closes and opens
input and shows and hides the results; the server restarts (the meeting is rebuilt from its
log). After every step:

- points: no phone has given more than the budget; its `mine` says what remains; the totals
  are the sums of the phones' spreads, item by item; a refused spread changed nothing; every
  phone's spread is what a model of the rules expects;
- rankings: every stored ranking is a permutation of the items; the standings count every
  ranker, and the Borda scores add up; a refused order changed nothing.

The items are drawn from an earlier poll (`items_from`), so their number varies too.
"""

from __future__ import annotations

from typing import Any

from budget import examples
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from facilitate.core import views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, Command, Event
from facilitate.core.kinds import points as points_kind, ranking as ranking_kind
from facilitate.core.kinds.items import item_ids
from facilitate.core.meeting import Meeting

from .helpers import T0, make_plan, poll

PHONES = ("p1", "p2", "p3")
OPTIONS = ("a", "b", "c", "d", "e")
STRANGERS = ("i0", "i9", "I1", "x")  # ids no item has


class Machine(RuleBasedStateMachine):
    """A meeting with a poll whose top options become the items of the activity under test."""

    activity = ""

    def begin(self, entry: dict[str, Any], votes: list[str]) -> None:
        self.plan = make_plan(poll("vote", options=OPTIONS), {"id": self.activity, **entry})
        self.log: list[Event] = [Meeting.created("ABCD", self.plan, T0)]
        self.meeting = Meeting.replay(self.log)
        self.at = T0
        self.do(FACILITATOR, "goto", activity="vote")
        for pid, choice in zip(PHONES * 3, votes, strict=False):
            self.do(pid, "vote", activity="vote", choices=[choice])
        self.do(FACILITATOR, "goto", activity=self.activity)
        self.ids = list(item_ids(self.state))

    @property
    def state(self) -> Any:
        return self.meeting.activities[self.activity]

    def do(self, actor: str, type: str, **data: Any) -> list[Event] | str:
        """Handle a command as the server does; the error code when it is refused (and then
        nothing has changed)."""
        self.at += 1
        before = (self.meeting.version, len(self.log), views.mine(self.meeting, actor))
        try:
            events = self.meeting.handle(Command(type, data), actor, self.at, present=3)
        except CommandError as error:
            after = (self.meeting.version, len(self.log), views.mine(self.meeting, actor))
            assert after == before  # a refusal changes nothing
            return error.code
        self.log.extend(events)
        return events

    @rule(open=st.booleans())
    def toggle_input(self, open: bool) -> None:
        self.do(FACILITATOR, "open" if open else "close", activity=self.activity)

    @rule(show=st.booleans())
    def toggle_results(self, show: bool) -> None:
        self.do(FACILITATOR, "reveal" if show else "conceal", activity=self.activity)

    @rule()
    def restart(self) -> None:
        """The server restarts: the meeting is rebuilt from its log, and must be the same."""
        replayed = Meeting.replay(self.log)
        assert replayed.activities[self.activity].votes == self.state.votes
        assert replayed.activities[self.activity].dots == self.state.dots
        assert replayed.activities[self.activity].drawn == self.state.drawn
        self.meeting = replayed


class PointsMachine(Machine):
    activity = "spend"

    @initialize(
        budget=st.integers(1, 30),
        top=st.integers(1, 5),
        votes=st.lists(st.sampled_from(OPTIONS), max_size=6),
    )
    def start(self, budget: int, top: int, votes: list[str]) -> None:
        entry = {"kind": "points", "title": "Fordel", "budget": budget}
        self.begin({**entry, "items_from": {"activity": "vote", "top": top}}, votes)
        self.budget = budget
        self.model: dict[str, dict[str, int]] = {}  # what each phone has given, by the rules

    def allot(self, pid: str, spread: dict[str, Any]) -> None:
        """Send a spread; check it is taken or refused as the rules say."""
        if not self.state.open:
            expected = "closed"
        elif any(item not in self.ids for item in spread):
            expected = "unknown_item"
        elif not all(type(n) is int and n >= 0 for n in spread.values()):
            expected = "bad_points"
        elif sum(spread.values()) > self.budget:
            expected = "over_budget"
        else:
            expected = ""
        answer = self.do(pid, "allot", activity=self.activity, points=spread)
        accepted = not isinstance(answer, str)
        assert (answer if not accepted else "") == expected, (spread, self.model.get(pid))
        if accepted:
            kept = {item: n for item, n in spread.items() if n}
            self.model[pid] = kept
            if not kept:
                del self.model[pid]

    @rule(pid=st.sampled_from(PHONES), data=st.data())
    def any_spread(self, pid: str, data: st.DataObject) -> None:
        """Whatever a client may send: unknown items, negative or wrong numbers, overspending."""
        items = st.sampled_from(self.ids + list(STRANGERS))
        values = st.one_of(
            st.integers(-3, self.budget + 3), st.sampled_from([True, 1.5, "5", None])
        )
        self.allot(pid, data.draw(st.dictionaries(items, values, max_size=6)))

    @rule(pid=st.sampled_from(PHONES), data=st.data())
    def fair_spread(self, pid: str, data: st.DataObject) -> None:
        """A spread within the budget, as the phone's number inputs make."""
        left, spread = self.budget, {}
        for item in data.draw(st.lists(st.sampled_from(self.ids), unique=True)):
            spread[item] = data.draw(st.integers(0, left))
            left -= spread[item]
        self.allot(pid, spread)

    @rule(pid=st.sampled_from(PHONES), data=st.data(), step=st.sampled_from([1, 5, -1, -5]))
    def stepper(self, pid: str, data: st.DataObject, step: int) -> None:
        """A stepper press: the phone's spread with one item moved up or down, sent whole."""
        item = data.draw(st.sampled_from(self.ids))
        spread = dict(self.model.get(pid, {}))
        spread[item] = max(0, spread.get(item, 0) + step)
        self.allot(pid, spread)

    @invariant()
    def no_phone_ever_exceeds_the_budget(self) -> None:
        for pid in PHONES:
            given = self.state.dots.get(pid, {})
            assert sum(given.values()) <= self.budget
            assert all(n > 0 and item in self.ids for item, n in given.items())
            mine = views.mine(self.meeting, pid).get(self.activity, {})
            assert mine.get("remaining", self.budget) == self.budget - sum(given.values()) >= 0
        assert self.state.dots == self.model

    @invariant()
    def totals_are_the_sums_of_the_phones_spreads(self) -> None:
        totals = points_kind.totals(self.state)
        for row in totals["items"]:
            assert row["points"] == sum(p.get(row["id"], 0) for p in self.model.values())
        assert sorted(row["id"] for row in totals["items"]) == sorted(self.ids)
        assert totals["given"] == sum(sum(p.values()) for p in self.model.values())
        assert totals["voters"] == len(self.model)
        shown = views.console(self.meeting, views.Presence())["activity"]["totals"]
        assert shown == totals


class RankingMachine(Machine):
    activity = "rank"

    @initialize(top=st.integers(1, 5), votes=st.lists(st.sampled_from(OPTIONS), max_size=6))
    def start(self, top: int, votes: list[str]) -> None:
        entry = {"kind": "ranking", "title": "Rekkefølge"}
        self.begin({**entry, "items_from": {"activity": "vote", "top": top}}, votes)
        self.model: dict[str, tuple[str, ...]] = {}

    def rank(self, pid: str, order: list[Any]) -> None:
        """Send an order; check it is taken or refused as the rules say."""
        if not self.state.open:
            expected = "closed"
        elif any(item not in self.ids for item in order):
            expected = "unknown_item"
        elif len(set(order)) < len(order):
            expected = "duplicate_item"
        elif order and len(order) < len(self.ids):
            expected = "missing_items"
        else:
            expected = ""
        answer = self.do(pid, "rank", activity=self.activity, order=order)
        accepted = not isinstance(answer, str)
        assert (answer if not accepted else "") == expected, order
        if accepted and order:
            self.model[pid] = tuple(order)
        elif accepted:
            self.model.pop(pid, None)

    @rule(pid=st.sampled_from(PHONES), data=st.data())
    def any_order(self, pid: str, data: st.DataObject) -> None:
        """Whatever a client may send: items twice, left out, unknown, or not ids at all."""
        items = st.one_of(st.sampled_from(self.ids + list(STRANGERS)), st.none(), st.integers())
        self.rank(pid, data.draw(st.lists(items, max_size=len(self.ids) + 2)))

    @rule(
        pid=st.sampled_from(PHONES),
        data=st.data(),
        slip=st.sampled_from(["leave out", "twice", "stranger", "extra"]),
    )
    def nearly_whole(self, pid: str, data: st.DataObject, slip: str) -> None:
        """A whole order but for one slip: an item left out or named twice, an unknown one
        in place of an item or after them all."""
        order: list[Any] = list(data.draw(st.permutations(self.ids)))
        at = data.draw(st.integers(0, len(order) - 1))
        stranger = data.draw(st.sampled_from([*STRANGERS, 1, None]))
        if slip == "leave out":
            del order[at]
        elif slip == "twice" and len(order) > 1 and data.draw(st.booleans()):
            order[at] = order[at - 1]  # in place of another item
        elif slip == "twice":
            order.insert(at, order[at])  # as one more
        elif slip == "stranger":
            order[at] = stranger
        else:
            order.append(stranger)
        self.rank(pid, order)

    @rule(pid=st.sampled_from(PHONES), data=st.data())
    def dragged(self, pid: str, data: st.DataObject) -> None:
        """A whole order, as dragging makes one."""
        self.rank(pid, data.draw(st.permutations(self.ids)))

    @rule(pid=st.sampled_from(PHONES), data=st.data(), up=st.booleans())
    def arrow(self, pid: str, data: st.DataObject, up: bool) -> None:
        """An up or down button: the phone's order with one item moved a place, sent whole."""
        order = list(self.model.get(pid, self.ids))
        at = data.draw(st.integers(0, len(order) - 1))
        to = max(0, at - 1) if up else min(len(order) - 1, at + 1)
        order[at], order[to] = order[to], order[at]
        self.rank(pid, order)

    @rule(pid=st.sampled_from(PHONES))
    def withdraw(self, pid: str) -> None:
        self.rank(pid, [])

    @invariant()
    def every_stored_ranking_is_a_permutation_of_the_items(self) -> None:
        for pid, order in self.state.votes.items():
            assert sorted(order) == sorted(self.ids) and len(set(order)) == len(order)
            assert views.mine(self.meeting, pid)[self.activity] == {"order": list(order)}
        assert self.state.votes == self.model

    @invariant()
    def the_standings_count_every_ranker(self) -> None:
        result = ranking_kind.standings(self.state)
        count = len(self.ids)
        assert result["rankers"] == len(self.model)
        assert (
            sum(row["score"] for row in result["items"])
            == len(self.model) * count * (count - 1) // 2
        )
        assert sorted(row["id"] for row in result["items"]) == sorted(self.ids)


# No deadline: a step's time depends on how busy the machine running the tests is.
PointsMachine.TestCase.settings = settings(
    max_examples=examples(150), stateful_step_count=30, deadline=None
)
RankingMachine.TestCase.settings = settings(PointsMachine.TestCase.settings)
TestPoints = PointsMachine.TestCase
TestRanking = RankingMachine.TestCase
