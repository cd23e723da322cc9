"""Polls: checking votes, tallies with and without "none of these", multiple choice, withdrawing."""

from __future__ import annotations

import pytest
from budget import examples
from hypothesis import given, settings, strategies as st

from facilitate.core.errors import CommandError
from facilitate.core.kinds import poll as polls

from .helpers import Run, make_plan, poll


def spec(**extra):
    return make_plan(poll("q", **extra)).activities[0].settings


def voting(**extra) -> Run:
    run = Run(poll("q", **extra))
    run.show("q")
    return run


def vote(run: Run, pid: str, *choices: str) -> None:
    run.do(pid, "vote", activity="q", choices=list(choices))


@pytest.mark.parametrize(
    ("extra", "choices", "expected"),
    [
        ({}, ["b"], ("b",)),
        ({}, [], ()),
        ({}, ["b", "b"], ("b",)),
        ({"multiple": True}, ["c", "a"], ("a", "c")),
        ({"multiple": True}, ["c", "a", "c"], ("a", "c")),
        ({"none_option": True}, ["none"], ("none",)),
        ({"multiple": True, "none_option": True}, ["none", "none"], ("none",)),
    ],
)
def test_when_a_vote_is_checked_then_its_choices_come_back_once_each_in_plan_order(
    extra, choices, expected
):
    assert polls.check_vote(spec(**extra), choices) == expected


@pytest.mark.parametrize(
    ("extra", "choices", "code"),
    [
        ({}, ["d"], "unknown_option"),
        ({}, ["none"], "unknown_option"),  # not offered
        ({}, ["a", "b"], "single_choice"),
        ({"none_option": True}, ["a", "none"], "single_choice"),
        ({"multiple": True, "none_option": True}, ["a", "none"], "none_alone"),
        ({"multiple": True, "none_option": True}, ["none", "b", "c"], "none_alone"),
        ({"multiple": True}, ["a", "zz"], "unknown_option"),
    ],
)
def test_when_a_vote_breaks_a_rule_then_it_says_which(extra, choices, code):
    with pytest.raises(CommandError) as caught:
        polls.check_vote(spec(**extra), choices)
    assert caught.value.code == code


def test_when_nobody_has_voted_then_every_option_counts_zero():
    run = voting(none_option=True)
    assert polls.tally(run.state("q")) == {
        "counts": {"a": 0, "b": 0, "c": 0, "none": 0},
        "voters": 0,
    }


def test_when_people_vote_then_the_tally_counts_each_option_including_none():
    run = voting(none_option=True)
    vote(run, "p1", "a")
    vote(run, "p2", "none")
    vote(run, "p3", "a")
    vote(run, "p4", "b")
    assert polls.tally(run.state("q")) == {
        "counts": {"a": 2, "b": 1, "c": 0, "none": 1},
        "voters": 4,
    }


def test_when_votes_are_changed_then_only_the_last_one_of_each_person_counts():
    run = voting()
    vote(run, "p1", "a")
    vote(run, "p1", "b")
    vote(run, "p2", "b")
    vote(run, "p2", "c")
    assert polls.tally(run.state("q")) == {"counts": {"a": 0, "b": 1, "c": 1}, "voters": 2}


def test_when_a_poll_takes_several_answers_then_each_counts_and_voters_are_people():
    run = voting(multiple=True, none_option=True)
    vote(run, "p1", "a", "c")
    vote(run, "p2", "c", "b", "a")
    vote(run, "p3", "none")
    assert polls.tally(run.state("q")) == {
        "counts": {"a": 2, "b": 1, "c": 2, "none": 1},
        "voters": 3,
    }


def test_when_a_vote_is_withdrawn_then_it_no_longer_counts():
    run = voting(multiple=True)
    vote(run, "p1", "a", "b")
    vote(run, "p2", "b")
    vote(run, "p1")
    assert polls.tally(run.state("q")) == {"counts": {"a": 0, "b": 1, "c": 0}, "voters": 1}
    assert run.state("q").responders() == {"p2"}


def test_when_none_is_combined_with_an_option_then_the_earlier_vote_stands():
    run = voting(multiple=True, none_option=True)
    vote(run, "p1", "a", "b")
    assert run.refused("p1", "vote", activity="q", choices=["none", "a"]).code == "none_alone"
    assert polls.tally(run.state("q")) == {
        "counts": {"a": 1, "b": 1, "c": 0, "none": 0},
        "voters": 1,
    }


# -- property: the tally is exactly the last accepted vote of everyone ---------------------------

_polls = st.sampled_from(
    [{}, {"multiple": True}, {"none_option": True}, {"multiple": True, "none_option": True}]
)
_votes = st.lists(
    st.tuples(
        st.sampled_from(["p1", "p2", "p3", "p4"]),
        st.lists(st.sampled_from(["a", "b", "c", "none", "x"]), max_size=4),
    ),
    min_size=5,
    max_size=40,
)


@settings(max_examples=examples(200), deadline=None)
@given(extra=_polls, votes=_votes)
def test_when_any_votes_are_cast_then_the_tally_is_the_sum_of_everyones_last_vote(extra, votes):
    run = voting(**extra)
    last: dict[str, set[str]] = {}
    for pid, choices in votes:
        try:
            vote(run, pid, *choices)
        except CommandError:
            continue
        last[pid] = set(choices)
    result = polls.tally(run.state("q"))
    assert sum(result["counts"].values()) == sum(len(c) for c in last.values())
    assert result["voters"] == sum(1 for c in last.values() if c)
    assert result["counts"] == {
        option: sum(option in c for c in last.values())
        for option in run.state("q").spec.settings.choice_ids()
    }
