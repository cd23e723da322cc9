"""Scales and matrices under every sequence: one answer per phone and item, always in range.

A Hypothesis state machine drives a meeting with a scale and a matrix through the pure core:
phones rate and place items (in range and out of it, unknown items, "don't know" offered or
not, taking answers back), the facilitator opens, closes, reveals and conceals, and the server
restarts (the meeting is rebuilt from its log). A plain model predicts whether each command is
accepted and with which error code it is refused. After every step:

- each phone holds at most one answer per item, every one within its scale (or "don't know"
  where it is offered), exactly the answers the model expects;
- every count, mean, median and spread the views show equals the one recomputed from the log's
  events, and the one recomputed from the record's own counts;
- results reach the screen and the phones only while they are shown;
- the state rebuilt from the log equals the live state.
"""

from __future__ import annotations

from typing import Any

from budget import examples
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from facilitate.core import ratings, record, views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, Command, Event
from facilitate.core.kinds.scales import answers
from facilitate.core.meeting import Meeting

from .helpers import T0, make_plan

PHONES = ("p1", "p2", "p3", "p4")
PRESENCE = views.Presence(phones=len(PHONES))
DONT_KNOW = "?"


class Ratings(RuleBasedStateMachine):
    @initialize(
        scale_low=st.integers(-3, 0),
        scale_steps=st.integers(2, 11),
        dont_know=st.booleans(),
        statements=st.integers(1, 4),
        x_steps=st.integers(2, 11),
        y_low=st.integers(-2, 1),
        measures=st.integers(2, 4),
        reveal=st.booleans(),
    )
    def start(self, **given: Any) -> None:
        self.scale = (given["scale_low"], given["scale_low"] + given["scale_steps"] - 1)
        self.x = (0, given["x_steps"] - 1)
        self.y = (given["y_low"], given["y_low"] + 4)
        self.dont_know = given["dont_know"]
        self.count = {"s": given["statements"], "m": given["measures"]}
        results = "reveal" if given["reveal"] else "live"
        self.plan = make_plan(
            {"id": "s", "kind": "scale", "title": "Enig?", "results": results,
             "items": [f"Påstand {n}" for n in range(given["statements"])],
             "min": self.scale[0], "max": self.scale[1], "dont_know": self.dont_know},
            {"id": "m", "kind": "matrix", "title": "Innsats og effekt", "results": results,
             "items": [f"Tiltak {n}" for n in range(given["measures"])],
             "x": {"label": "Innsats", "min": self.x[0], "max": self.x[1]},
             "y": {"label": "Effekt", "min": self.y[0], "max": self.y[1]}},
        )  # fmt: skip
        self.at = T0
        self.log: list[Event] = [Meeting.created("ABCD", self.plan, T0)]
        self.meeting = Meeting.replay(self.log)
        self.model: dict[str, dict[str, dict[int, Any]]] = {"s": {}, "m": {}}
        self.do(FACILITATOR, "goto", activity="m")
        self.do(FACILITATOR, "goto", activity="s")

    def do(self, actor: str, type: str, **data: Any) -> list[Event]:
        self.at += 1
        events = self.meeting.handle(Command(type, data), actor, self.at, len(PHONES))
        self.log += events
        return events

    def attempt(self, pid: str, type: str, refusal: str | None, **data: Any) -> None:
        """Send a phone's command; it is accepted exactly when the model expects no refusal."""
        before = self.meeting.version
        try:
            self.do(pid, type, **data)
        except CommandError as error:
            assert error.code == refusal, (error.code, refusal, data)
            assert self.meeting.version == before
        else:
            assert refusal is None, (refusal, data)

    # -- phones --------------------------------------------------------------------------------

    @rule(
        pid=st.sampled_from(PHONES),
        item=st.integers(-1, 4),
        value=st.one_of(st.none(), st.integers(-5, 12)),
        dont_know=st.booleans(),
    )
    def rate(self, pid: str, item: int, value: int | None, dont_know: bool) -> None:
        low, high = self.scale
        refusal = self.refusal("s", item)
        if refusal is None and dont_know:
            refusal = "bad_rating" if value is not None else None
            refusal = refusal or (None if self.dont_know else "no_dont_know")
        elif refusal is None and value is not None and not low <= value <= high:
            refusal = "out_of_range"
        flags = {"dont_know": True} if dont_know else {}
        self.attempt(pid, "rate", refusal, activity="s", item=item, value=value, **flags)
        if refusal is None:
            self.remember("s", pid, item, DONT_KNOW if dont_know else value)

    @rule(
        pid=st.sampled_from(PHONES),
        item=st.integers(-1, 4),
        x=st.one_of(st.none(), st.integers(-1, 12)),
        y=st.one_of(st.none(), st.integers(-3, 6)),
    )
    def place(self, pid: str, item: int, x: int | None, y: int | None) -> None:
        refusal = self.refusal("m", item)
        if refusal is None and (x is None) != (y is None):
            refusal = "both_axes"
        elif refusal is None and x is not None and y is not None:
            inside = self.x[0] <= x <= self.x[1] and self.y[0] <= y <= self.y[1]
            refusal = None if inside else "out_of_range"
        self.attempt(pid, "place", refusal, activity="m", item=item, x=x, y=y)
        if refusal is None:
            self.remember("m", pid, item, None if x is None or y is None else (x, y))

    def refusal(self, activity: str, item: int) -> str | None:
        if not self.meeting.activities[activity].open:
            return "closed"
        return None if 0 <= item < self.count[activity] else "unknown_item"

    def remember(self, activity: str, pid: str, item: int, answer: Any) -> None:
        own = self.model[activity].setdefault(pid, {})
        if answer is None:
            own.pop(item, None)
        else:
            own[item] = answer
        if not own:
            del self.model[activity][pid]

    # -- the facilitator and the server --------------------------------------------------------

    @rule(
        command=st.sampled_from(["open", "close", "reveal", "conceal"]),
        activity=st.sampled_from(["s", "m"]),
    )
    def facilitate(self, command: str, activity: str) -> None:
        self.do(FACILITATOR, command, activity=activity)

    @rule(activity=st.sampled_from(["s", "m"]))
    def show(self, activity: str) -> None:
        self.do(FACILITATOR, "goto", activity=activity)

    @rule()
    def restart(self) -> None:
        self.meeting = Meeting.replay(self.log)

    # -- what must always hold -----------------------------------------------------------------

    @invariant()
    def one_answer_per_phone_and_item_always_in_range(self) -> None:
        scale, matrix = (answers(self.meeting.activities[a]) for a in ("s", "m"))
        for own in scale.values():
            assert own, "a phone without answers is no rater"
            for item, value in own.items():
                assert 0 <= item < self.count["s"]
                if value is None:
                    assert self.dont_know
                else:
                    assert self.scale[0] <= value <= self.scale[1]
        for own in matrix.values():
            assert own
            for item, (x, y) in own.items():
                assert 0 <= item < self.count["m"]
                assert self.x[0] <= x <= self.x[1] and self.y[0] <= y <= self.y[1]
        expected = {
            pid: {i: None if v == DONT_KNOW else v for i, v in own.items()}
            for pid, own in self.model["s"].items()
        }
        assert scale == expected
        assert matrix == self.model["m"]

    @invariant()
    def the_figures_are_those_recomputed_from_the_log_and_from_the_record(self) -> None:
        latest = folded(self.log)
        entry = {a["id"]: a for a in record.build(self.log)["activities"]}
        for row in entry["s"]["scores"]:
            values = [v for (a, _, i), v in latest.items() if a == "s" and i == row["item"]]
            known = [v for v in values if v != DONT_KNOW]
            assert row["n"] == len(known)
            assert row["dont_know"] == len(values) - len(known)
            assert row["mean"] == (round(sum(known) / len(known), 2) if known else None)
            assert row["mean"] == ratings.mean(row["counts"], self.scale[0])
            assert row["median"] == ratings.median(row["counts"], self.scale[0])
        for row in entry["m"]["positions"]:
            spots = [v for (a, _, i), v in latest.items() if a == "m" and i == row["item"]]
            assert row["n"] == len(spots) == sum(c["n"] for c in row["cells"])
            for axis, low in ((0, self.x[0]), (1, self.y[0])):
                mean = round(sum(s[axis] for s in spots) / len(spots), 2) if spots else None
                assert row["xy"[axis]] == mean
                from_cells = [c["xy"[axis]] for c in row["cells"] for _ in range(c["n"])]
                assert mean == ratings.summary(from_cells, low, low + 10)["mean"]
        # The console shows the current activity's figures as the record has them.
        console = views.console(self.meeting, PRESENCE)["activity"]
        key = "scores" if console["id"] == "s" else "positions"
        recorded = [
            {k: v for k, v in row.items() if k not in ("text", "cells")}
            for row in entry[console["id"]][key]
        ]
        assert console[key] == recorded

    @invariant()
    def results_are_public_only_while_shown(self) -> None:
        state = self.meeting.activities[self.meeting.current or ""]
        key = "scores" if state.spec.id == "s" else "positions"
        for view in (views.screen(self.meeting, PRESENCE), views.phone(self.meeting, PRESENCE)):
            assert (key in view["activity"]) == state.show_results

    @invariant()
    def every_phone_gets_its_own_answers_back(self) -> None:
        for pid in PHONES:
            mine = views.mine(self.meeting, pid)
            scale = {
                r["item"]: r.get("value", DONT_KNOW) for r in mine.get("s", {}).get("ratings", [])
            }
            places = {p["item"]: (p["x"], p["y"]) for p in mine.get("m", {}).get("places", [])}
            assert scale == self.model["s"].get(pid, {})
            assert places == self.model["m"].get(pid, {})

    @invariant()
    def the_meeting_rebuilt_from_its_log_is_the_live_one(self) -> None:
        replayed = Meeting.replay(self.log)
        for activity in ("s", "m"):
            assert replayed.activities[activity] == self.meeting.activities[activity]


def folded(log: list[Event]) -> dict[tuple[str, str, int], Any]:
    """Each phone's last answer per activity and item, read straight from the events."""
    latest: dict[tuple[str, str, int], Any] = {}
    for event in log:
        key = (event.data.get("activity", ""), event.actor, event.data.get("item", -1))
        if event.type == "item_rated":
            latest[key] = DONT_KNOW if event.data.get("dont_know") else event.data["value"]
        elif event.type == "item_placed":
            latest[key] = (event.data["x"], event.data["y"])
        elif event.type == "rating_withdrawn":
            latest.pop(key, None)
    return latest


Ratings.TestCase.settings = settings(
    max_examples=examples(60), stateful_step_count=40, deadline=None
)
test_ratings = Ratings.TestCase
