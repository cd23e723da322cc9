"""The contract every activity kind keeps, checked for each kind in the registry.

Its example agenda entry reads and round-trips; its demo input is accepted and counted; a
replayed meeting equals the live one; every role's view and a phone's own input render; each
of its commands is refused the right way (closed input, the wrong sender, the wrong kind); and
every minutes format names it. A new kind gets all of this by being registered.
"""

from __future__ import annotations

import html
import json
import random
from typing import Any

import pytest

from facilitate.core import record, views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, Command, Event
from facilitate.core.kinds import KINDS
from facilitate.core.kinds.base import Demo, Kind
from facilitate.core.kinds.items import ItemsKind
from facilitate.core.meeting import Meeting
from facilitate.core.plan import PlanError, plan_from_dict
from facilitate.export import FORMATS, export

from .helpers import T0
from .test_moderation_machine import text_of

PRESENCE = views.Presence(phones=12, screens=1, consoles=1)
PEOPLE = [f"p{n:02d}" for n in range(12)]
COMMON = {"id", "kind", "title", "text", "results"}


@pytest.fixture(params=sorted(KINDS), ids=str)
def kind(request: pytest.FixtureRequest) -> Kind:
    return KINDS[request.param]


def agenda(kind: Kind, **changes: Any) -> dict[str, Any]:
    entry = {"id": "a", **kind.example, **changes}
    other = next(k for k in KINDS.values() if k.name != kind.name and k.takes_input)
    return {
        "title": "Kontrakt",
        "language": "nb",
        "activities": [entry, {"id": "other", **other.example}],
    }


@pytest.fixture(params=sorted(n for n, k in KINDS.items() if isinstance(k, ItemsKind)), ids=str)
def items_kind(request: pytest.FixtureRequest) -> Kind:
    return KINDS[request.param]


class Live:
    """A meeting of the kind's example, driven the way the server drives one, with its log."""

    def __init__(self, kind: Kind, plan: dict[str, Any] | None = None) -> None:
        self.plan = plan_from_dict(plan or agenda(kind))
        self.log: list[Event] = [Meeting.created("KIND", self.plan, T0)]
        self.meeting = Meeting.replay(self.log)
        self.at = T0
        for pid in PEOPLE:
            self.log += self.meeting.join(pid, self.tick())

    def tick(self) -> float:
        self.at += 1
        return self.at

    def fac(self, command: str, **data: Any) -> list[Event]:
        events = self.meeting.handle(Command(command, data), FACILITATOR, self.tick(), 12)
        self.log += events
        return events

    def act(self, pid: str, command: str, **data: Any) -> list[Event]:
        events = self.meeting.handle(Command(command, data), pid, self.tick())
        self.log += events
        return events

    def run_demo(self) -> None:
        self.fac("goto", activity="a")
        state = self.meeting.activities["a"]
        demo = Demo(PEOPLE, random.Random(7), self.act, self.fac, [], state)
        state.kind.demo(state.spec, demo)

    def seen(self, meeting: Meeting) -> str:
        """Everything anyone can see of a meeting, and its record, as text."""
        shown = {
            "screen": views.screen(meeting, PRESENCE),
            "phone": views.phone(meeting, PRESENCE),
            "console": views.console(meeting, PRESENCE),
            "mine": {pid: views.mine(meeting, pid) for pid in PEOPLE},
            "record": record.build(self.log),
        }
        return json.dumps(shown, ensure_ascii=False, sort_keys=True)


def test_every_field_a_kind_takes_is_in_its_example(kind: Kind) -> None:
    # A kind that works on items takes `items` or, instead, `items_from` (tested below).
    assert set(kind.example) - COMMON == kind.fields - kind.instead


def test_items_from_an_earlier_activity_are_its_top_items_drawn_when_it_opens(
    items_kind: Kind,
) -> None:
    entry = {k: v for k, v in items_kind.example.items() if k != "items"}
    source = {"id": "first", "kind": "poll", "title": "Hva er verst?", "options": ["A", "B", "C"]}
    live = Live(
        items_kind,
        {
            "title": "Kontrakt",
            "language": "nb",
            "activities": [
                source,
                {"id": "a", **entry, "items_from": {"activity": "first", "top": 2}},
            ],
        },
    )
    live.fac("goto", activity="first")
    for pid, choice in zip(PEOPLE, ["o3", "o3", "o3", "o2", "o2", "o1"], strict=False):
        live.act(pid, "vote", activity="first", choices=[choice])
    live.run_demo()
    drawn = [e for e in live.log if e.type == "items_drawn"]
    assert [e.data for e in drawn] == [{"activity": "a", "items": [{"nb": "C"}, {"nb": "B"}]}]
    live.fac("close", activity="a")
    live.fac("open", activity="a")
    assert len([e for e in live.log if e.type == "items_drawn"]) == 1, "drawn once"
    entry = record.build(live.log)["activities"][1]
    assert entry["items_from"] == {"activity": "first", "top": 2}
    assert entry["responders"] > 0
    assert "C" in json.dumps(entry, ensure_ascii=False)
    assert live.seen(Meeting.replay(live.log)) == live.seen(live.meeting)


def test_the_example_reads_and_round_trips_through_the_record(kind: Kind) -> None:
    plan = plan_from_dict(agenda(kind))
    assert plan_from_dict(plan.to_dict()) == plan
    stored = plan.to_dict()["activities"][0]
    assert {k: v for k, v in stored.items() if k in kind.example}.keys() <= kind.example.keys()


def test_an_unknown_field_is_a_located_problem(kind: Kind) -> None:
    with pytest.raises(PlanError) as raised:
        plan_from_dict(agenda(kind, colour="blue"))
    (problem,) = raised.value.problems
    assert (problem.field, problem.code, problem.params["activity"]) == (
        "activities[0].colour",
        "unknown_field",
        1,
    )


def test_demo_input_is_accepted_and_counted(kind: Kind) -> None:
    live = Live(kind)
    live.run_demo()
    taken = [e for e in live.log if e.type in kind.input_events]
    entry = record.build(live.log)["activities"][0]
    if kind.takes_input:
        assert taken, "the demo gives input"
        assert entry["responders"] > 0
    else:
        assert not taken and "responders" not in entry


def test_a_replayed_meeting_shows_what_the_live_one_showed(kind: Kind) -> None:
    live = Live(kind)
    live.run_demo()
    live.fac("reveal", activity="a") if kind.takes_input else None
    assert live.seen(Meeting.replay(live.log)) == live.seen(live.meeting)


@pytest.mark.parametrize("shown", [False, True], ids=["results hidden", "results shown"])
def test_every_role_sees_the_activity(kind: Kind, shown: bool) -> None:
    live = Live(kind)
    live.run_demo()
    if kind.takes_input:
        live.fac("reveal" if shown else "conceal", activity="a")
    for role in (views.screen, views.phone, views.console):
        view = role(live.meeting, PRESENCE)
        assert view["activity"]["id"] == "a"
        assert view["activity"]["kind"] == kind.name
        json.dumps(view)
    for pid in PEOPLE:
        json.dumps(views.mine(live.meeting, pid))


def test_its_phone_commands_are_refused_once_input_is_closed(kind: Kind) -> None:
    live = Live(kind)
    live.fac("goto", activity="a")
    if kind.takes_input:
        live.fac("close", activity="a")
    for command in kind.participant:
        with pytest.raises(CommandError) as refused:
            live.act("p00", command, activity="a")
        assert refused.value.code == "closed"


def test_its_facilitator_commands_are_refused_from_a_phone(kind: Kind) -> None:
    live = Live(kind)
    live.fac("goto", activity="a")
    for command in kind.facilitator:
        with pytest.raises(CommandError) as refused:
            live.act("p00", command, activity="a")
        assert refused.value.code == "forbidden"


def test_its_commands_are_refused_on_a_kind_without_them(kind: Kind) -> None:
    live = Live(kind)
    live.fac("goto", activity="other")
    other = live.meeting.activities["other"].kind
    for command in set(kind.participant) - set(other.participant):
        with pytest.raises(CommandError) as refused:
            live.act("p00", command, activity="other")
        assert refused.value.code == "wrong_kind"
    for command in set(kind.facilitator) - set(other.facilitator):
        with pytest.raises(CommandError) as refused:
            live.fac(command, activity="other")
        assert refused.value.code == "wrong_kind"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_minutes_format_names_the_activity(kind: Kind, fmt: str) -> None:
    live = Live(kind)
    live.run_demo()
    document = export(record.build(live.log), fmt, lambda text: text)
    if fmt in ("md", "html", "docx", "xlsx", "json"):
        title = live.plan.activities[0].title["nb"]
        assert title in html.unescape(text_of(document, fmt))  # XML may escape "ø" as &#248;
