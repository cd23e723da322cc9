"""About you: who was in the room, only ever as groups of at least five people, and only once
input is closed; never one phone's answers in the record."""

from __future__ import annotations

import json
from typing import Any

import pytest
from budget import examples
from hypothesis import given, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from facilitate.core import anonymity, record, views
from facilitate.core.errors import CommandError
from facilitate.export.markdown import render as render_markdown
from facilitate.export.model import minutes

from .helpers import Run

ABOUT: dict[str, Any] = {
    "id": "about",
    "kind": "about",
    "title": "Litt om deg",
    "profile": [
        {"id": "age", "text": "Alder", "options": ["Under 30", "30–66", "67+"]},
        {"id": "area", "text": "Hvor bor du?", "options": ["Sentrum", "Utenfor"]},
    ],
}
PEOPLE = [f"p{n}" for n in range(1, 13)]


def gettext(message: str) -> str:
    return message


def room(*people: str) -> Run:
    run = Run(ABOUT)
    run.join(*(people or PEOPLE))
    run.show("about")
    return run


def tell(run: Run, pid: str, **answers: str | None) -> None:
    run.do(pid, "describe", activity="about", answers=answers)


def entry(run: Run) -> dict[str, Any]:
    found: dict[str, Any] = record.build(run.log)["activities"][0]
    return found


# -- the rule ------------------------------------------------------------------------------


def test_when_groups_are_small_then_the_smallest_merge_into_others_until_it_has_five() -> None:
    assert anonymity.shown({"a": 9, "b": 3, "c": 2}) == anonymity.Shown((("a", 9),), 5, 14)
    # One small group alone would be its own count by subtraction: the next smallest joins it.
    assert anonymity.shown({"a": 9, "b": 6, "c": 2}) == anonymity.Shown((("a", 9),), 8, 17)
    assert anonymity.shown({"a": 5, "b": 5}) == anonymity.Shown((("a", 5), ("b", 5)), 0, 10)
    assert anonymity.shown({"a": 3, "b": 1}) == anonymity.Shown((), 0, 0)  # too few
    assert anonymity.shown({"a": 0, "b": 7}) == anonymity.Shown((("b", 7),), 0, 7)


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 40)))
def test_whatever_the_counts_no_number_shown_is_under_five_and_they_add_up(
    counts: dict[str, int],
) -> None:
    shown = anonymity.shown(counts)
    numbers = [n for _, n in shown.groups] + ([shown.others] if shown.others else [])
    assert all(n >= anonymity.K for n in numbers)
    assert shown.total in (0, sum(counts.values()))
    assert sum(numbers) == shown.total
    if sum(counts.values()) < anonymity.K:
        assert shown.total == 0 and not numbers


# -- the kind -----------------------------------------------------------------------------


def test_while_input_is_open_then_only_the_number_who_answered_shows() -> None:
    run = room()
    for pid in PEOPLE[:6]:
        tell(run, pid, age="o2", area="o1")
    for view in (views.screen, views.console, views.phone):
        assert "groups" not in view(run.meeting, views.Presence())["activity"]
    assert views.mine(run.meeting, "p1")["about"] == {"answers": {"age": "o2", "area": "o1"}}
    run.fac("close", activity="about")
    run.fac("reveal", activity="about")
    (age, area) = views.screen(run.meeting, views.Presence())["activity"]["groups"]
    assert age == {
        "question": "age",
        "groups": [{"option": "o2", "count": 6}],
        "others": 0,
        "total": 6,
    }
    assert area["groups"] == [{"option": "o1", "count": 6}]


def test_when_someone_answers_one_question_but_not_another_then_they_did_not_say() -> None:
    run = room()
    for pid in PEOPLE[:5]:
        tell(run, pid, age="o1")
    for pid in PEOPLE[5:10]:
        tell(run, pid, age="o1", area="o2")
    tell(run, "p11", age="o3", area="o2")
    tell(run, "p11", age=None)  # taken back: p11 said where they live only
    age, area = entry(run)["groups"]
    # The one who did not say their age would be 11 - 10 = 1: so the ten merge with them.
    assert (age["groups"], age["others"], age["total"]) == ([], 11, 11)
    assert area["groups"] == [{"option": "o2", "count": 6}, {"option": "not_said", "count": 5}]


def test_when_fewer_than_five_answered_then_nothing_but_that_is_shown_even_in_the_minutes() -> None:
    run = room()
    for pid, age in zip(PEOPLE[:4], ["o1", "o1", "o2", "o3"], strict=True):
        tell(run, pid, age=age, area="o1")
    run.fac("close", activity="about")
    assert [g["total"] for g in entry(run)["groups"]] == [0, 0]
    text = render_markdown(minutes(record.build(run.log), gettext))
    assert "Fewer than 5 answered this: nothing is shown" in text
    assert "Under 30" not in text


def test_the_record_holds_no_phones_answers_and_bad_answers_are_refused() -> None:
    run = room()
    for pid in PEOPLE:
        tell(run, pid, age="o1")
    dumped = json.dumps(record.build(run.log))
    assert "p1" not in json.dumps(entry(run)) and dumped.count('"o1"') >= 1
    assert run.refused("p1", "describe", activity="about", answers={"shoe": "o1"}).code == (
        "unknown_question"
    )
    assert run.refused("p1", "describe", activity="about", answers={"age": "o9"}).code == (
        "unknown_option"
    )
    assert run.do("p1", "describe", activity="about", answers={"age": "o1"}) == []  # same again


# -- the invariant -----------------------------------------------------------------------------

CHOICES = ["o1", "o2", "o3", None]


class AboutMachine(RuleBasedStateMachine):
    """Whatever people answer, change and take back, and whenever input closes and opens, no
    view, record or minutes ever shows a group of fewer than five, and nothing at all while
    input is open."""

    def __init__(self) -> None:
        super().__init__()
        self.run = room()

    @rule(pid=st.sampled_from(PEOPLE), age=st.sampled_from(CHOICES), area=st.sampled_from(CHOICES))
    def answer(self, pid: str, age: str | None, area: str | None) -> None:
        if area == "o3":
            area = None
        if not self.run.meeting.activities["about"].open:
            refused = self.run.refused(pid, "describe", activity="about", answers={"age": age})
            assert refused.code == "closed"
            return
        self.run.do(pid, "describe", activity="about", answers={"age": age, "area": area})

    @rule()
    def toggle(self) -> None:
        open_ = self.run.meeting.activities["about"].open
        self.run.fac("close" if open_ else "open", activity="about")
        self.run.fac("reveal", activity="about")

    @invariant()
    def no_small_group_anywhere(self) -> None:
        state = self.run.meeting.activities["about"]
        places = [entry(self.run)["groups"]]
        for view in (views.screen, views.console, views.phone):
            shown = view(self.run.meeting, views.Presence())["activity"]
            if state.open:
                assert "groups" not in shown
            elif "groups" in shown:
                places.append(shown["groups"])
        for groups in places:
            for question in groups:
                numbers = [g["count"] for g in question["groups"]]
                if question["others"]:
                    numbers.append(question["others"])
                assert all(n >= anonymity.K for n in numbers)
                assert sum(numbers) == question["total"]


AboutMachine.TestCase.settings = settings(
    max_examples=examples(40), stateful_step_count=25, deadline=None
)
test_no_group_under_five_is_ever_shown = AboutMachine.TestCase


def test_a_plain_form_answers_about_you_and_an_empty_one_is_refused() -> None:
    run = room()
    state = run.state("about")
    commands = state.kind.from_form(state, {"q.age": ["o2"], "q.area": [""]}, "p1")
    assert commands == [("describe", {"activity": "about", "answers": {"age": "o2", "area": None}})]
    with pytest.raises(CommandError) as refused:
        state.kind.from_form(state, {"q.age": [""]}, "p1")
    assert refused.value.code == "nothing_chosen"
