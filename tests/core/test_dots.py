"""Dot voting on pain/joy points: budgets per kind, a cap per note, moving dots, hiding, merging."""

from __future__ import annotations

from collections import Counter

from budget import examples
from hypothesis import given, settings, strategies as st

from facilitate.core import board, dots, views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, Event
from facilitate.core.meeting import Meeting

from .helpers import T0, Run, painjoy


def dotting(*kinds: str, **extra) -> Run:
    """A pain/joy board with one note per kind given (n1, n2, …), now in the dots phase."""
    run = Run(painjoy("pj", **extra))
    run.show("pj")
    for number, kind in enumerate(kinds):
        run.post(f"author{number}", "pj", f"{kind} {number + 1}", kind=kind)
    run.fac("phase", activity="pj", phase="dots")
    return run


def total(run: Run) -> int:
    return sum(dots.totals(run.state("pj")).values())


def test_when_dots_are_placed_then_each_kind_has_its_own_budget():
    run = dotting("pain", "pain", "joy", "joy", pain_dots=2, joy_dots=1)
    run.dot("p1", "pj", "n1")
    run.dot("p1", "pj", "n2")
    error = run.refused("p1", "dot", activity="pj", note="n1", delta=1)
    assert (error.code, error.params) == ("no_dots_left", {"kind": "pain"})
    run.dot("p1", "pj", "n3")
    error = run.refused("p1", "dot", activity="pj", note="n4", delta=1)
    assert (error.code, error.params) == ("no_dots_left", {"kind": "joy"})
    assert run.state("pj").dots == {"p1": {"n1": 1, "n2": 1, "n3": 1}}
    assert dots.remaining(run.state("pj"), "p1") == {"pain": 0, "joy": 0}


def test_when_someone_has_not_placed_dots_then_their_whole_budget_remains():
    run = dotting("pain", pain_dots=4, joy_dots=2)
    assert dots.remaining(run.state("pj"), "p9") == {"pain": 4, "joy": 2}


def test_when_a_kind_has_no_dots_then_none_can_be_placed_on_it():
    run = dotting("pain", "joy", pain_dots=0, joy_dots=2)
    assert run.refused("p1", "dot", activity="pj", note="n1", delta=1).code == "no_dots_left"
    run.dot("p1", "pj", "n2")


def test_when_budgets_are_per_person_then_one_persons_dots_do_not_use_anothers():
    run = dotting("pain", pain_dots=1)
    run.dot("p1", "pj", "n1")
    run.dot("p2", "pj", "n1")
    assert dots.totals(run.state("pj")) == {"n1": 2}


def test_when_a_note_has_as_many_of_my_dots_as_the_cap_then_another_is_refused():
    run = dotting("pain", "pain", pain_dots=5, dot_cap=2)
    run.dot("p1", "pj", "n1")
    run.dot("p1", "pj", "n1")
    error = run.refused("p1", "dot", activity="pj", note="n1", delta=1)
    assert (error.code, error.params) == ("cap_reached", {"limit": 2})
    run.dot("p2", "pj", "n1")  # the cap is per person
    run.dot("p1", "pj", "n2")
    assert run.state("pj").dots == {"p1": {"n1": 2, "n2": 1}, "p2": {"n1": 1}}


def test_when_all_dots_are_placed_then_one_is_moved_by_taking_it_back_and_placing_it_again():
    run = dotting("pain", "pain", "pain")
    for note in ("n1", "n1", "n2"):
        run.dot("p1", "pj", note)
    assert run.refused("p1", "dot", activity="pj", note="n3", delta=1).code == "no_dots_left"
    run.dot("p1", "pj", "n1", -1)
    run.dot("p1", "pj", "n3")
    assert run.state("pj").dots == {"p1": {"n1": 1, "n2": 1, "n3": 1}}
    assert dots.remaining(run.state("pj"), "p1") == {"pain": 0, "joy": 3}


def test_when_the_last_dot_on_a_note_is_taken_back_then_the_note_is_left_out():
    run = dotting("pain")
    run.dot("p1", "pj", "n1")
    run.dot("p1", "pj", "n1", -1)
    assert (run.state("pj").dots, dots.totals(run.state("pj"))) == ({"p1": {}}, {})


def test_when_someone_takes_back_a_dot_they_never_placed_then_it_is_refused():
    run = dotting("pain")
    run.dot("p2", "pj", "n1")
    assert run.refused("p1", "dot", activity="pj", note="n1", delta=-1).code == "no_dot"


def test_when_a_note_is_hidden_then_its_dots_no_longer_count_against_the_budget():
    run = dotting("pain", "pain", "pain")
    for note in ("n1", "n1", "n2"):
        run.dot("p1", "pj", note)
    run.fac("hide", activity="pj", note="n1", reason="personal")
    hidden_at = run.at
    assert dots.remaining(run.state("pj"), "p1") == {"pain": 2, "joy": 3}
    run.dot("p1", "pj", "n2")
    run.dot("p1", "pj", "n3")
    assert run.state("pj").dots == {"p1": {"n2": 2, "n3": 1}}
    assert run.state("pj").withdrawn == {"n1": {"p1": 2}}  # kept for the record and a restore
    assert run.state("pj").returned["p1"] == {
        "note": "n1",
        "why": "hidden",
        "dots": 2,
        "at": hidden_at,
    }


def test_when_a_note_is_hidden_then_dots_on_it_can_be_neither_placed_nor_taken_back():
    run = dotting("pain")
    run.dot("p1", "pj", "n1")
    run.fac("hide", activity="pj", note="n1")
    assert run.refused("p1", "dot", activity="pj", note="n1", delta=1).code == "note_gone"
    assert run.refused("p1", "dot", activity="pj", note="n1", delta=-1).code == "note_gone"


def test_when_a_hidden_note_comes_back_after_its_dots_were_reused_then_remaining_stays_at_zero():
    run = dotting("pain", "pain", pain_dots=2)
    run.dot("p1", "pj", "n1")
    run.dot("p1", "pj", "n1")
    run.fac("hide", activity="pj", note="n1")
    run.dot("p1", "pj", "n2")
    run.fac("restore", activity="pj", note="n1")
    assert dots.remaining(run.state("pj"), "p1") == {"pain": 0, "joy": 3}
    assert run.refused("p1", "dot", activity="pj", note="n2", delta=1).code == "no_dots_left"


def test_when_notes_are_merged_then_every_dot_moves_to_the_note_they_were_merged_into():
    run = dotting("pain", "pain", "pain", pain_dots=4, dot_cap=3)
    for pid, note in [("p1", "n1"), ("p1", "n2"), ("p1", "n2"), ("p2", "n2"), ("p2", "n3")]:
        run.dot(pid, "pj", note)
    before = total(run)
    run.fac("merge", activity="pj", into="n1", notes=["n2"])
    assert total(run) == before == 5
    assert run.state("pj").dots == {"p1": {"n1": 3}, "p2": {"n3": 1, "n1": 1}}
    assert dots.totals(run.state("pj")) == {"n1": 4, "n3": 1}
    assert run.state("pj").returned == {}  # everything fitted: nobody is told anything


def test_when_a_hidden_note_is_merged_then_it_is_refused_and_its_dots_stay_off_the_board():
    run = dotting("pain", "pain")
    run.dot("p1", "pj", "n2")
    run.fac("hide", activity="pj", note="n2")
    error = run.refused(FACILITATOR, "merge", activity="pj", into="n1", notes=["n2"])
    assert error.code == "merge_hidden" and "restore it first" in error.message
    assert (run.state("pj").dots, total(run)) == ({"p1": {}}, 0)


def test_when_a_hidden_dotted_note_was_merged_in_an_old_log_then_it_stays_hidden_and_dotless():
    run = dotting("pain", "pain", pain_dots=2)
    run.dot("p1", "pj", "n2")
    run.dot("p1", "pj", "n2")
    hide = run.fac("hide", activity="pj", note="n2", reason="names a neighbour")
    run.dot("p1", "pj", "n1")
    run.dot("p1", "pj", "n1")
    # Before merging hidden notes was refused, such a merge was acknowledged and logged.
    old = Event("notes_merged", {"activity": "pj", "into": "n1", "notes": ["n2"]}, FACILITATOR, T0)
    meeting = Meeting.replay([*run.log, old])
    state = meeting.activities["pj"]
    assert hide and state.notes["n2"].status == "hidden"
    assert state.dots == {"p1": {"n1": 2}}
    assert dots.remaining(state, "p1") == {"pain": 0, "joy": 3}


def test_when_notes_are_merged_in_a_chain_then_everything_ends_up_in_the_last_one():
    run = dotting("joy", "joy", "joy", "joy")
    for pid, note in [("p1", "n1"), ("p1", "n2"), ("p2", "n2"), ("p2", "n3"), ("p3", "n4")]:
        run.dot(pid, "pj", note)
    run.fac("merge", activity="pj", into="n2", notes=["n1"])
    run.fac("merge", activity="pj", into="n3", notes=["n2"])
    state = run.state("pj")
    assert [(n.id, n.status, n.merged_into) for n in state.notes.values()] == [
        ("n1", "merged", "n3"),
        ("n2", "merged", "n3"),
        ("n3", "visible", None),
        ("n4", "visible", None),
    ]
    assert [n.id for n in board.children(state, "n3")] == ["n1", "n2"]
    assert dots.totals(state) == {"n3": 4, "n4": 1}
    assert dots.ranking(state)["joy"] == [
        {"id": "n3", "text": "joy 3", "dots": 4, "merged": 2},
        {"id": "n4", "text": "joy 4", "dots": 1, "merged": 0},
    ]


def test_when_a_merge_would_lift_a_note_over_the_cap_then_the_surplus_goes_back_to_the_hand():
    run = dotting("pain", "pain", "pain", pain_dots=4, dot_cap=2)
    for note in ("n1", "n1", "n2", "n2"):
        run.dot("p1", "pj", note)
    run.fac("merge", activity="pj", into="n1", notes=["n2"])
    state = run.state("pj")
    assert state.dots == {"p1": {"n1": 2}}
    assert dots.remaining(state, "p1") == {"pain": 2, "joy": 3}
    assert state.returned["p1"] == {"note": "n1", "why": "merged", "dots": 2, "at": run.at}
    assert views.mine(run.meeting, "p1")["pj"]["returned"]["why"] == "merged"
    assert run.refused("p1", "dot", activity="pj", note="n1", delta=1).code == "cap_reached"
    run.dot("p1", "pj", "n3")


def test_when_a_hidden_note_is_restored_then_only_the_dots_that_still_fit_come_back():
    run = dotting("pain", "pain", "pain", pain_dots=3, dot_cap=2)
    for pid, note in [("p1", "n1"), ("p1", "n1"), ("p2", "n1"), ("p1", "n2")]:
        run.dot(pid, "pj", note)
    run.fac("hide", activity="pj", note="n1", reason="names a neighbour")
    for note in ("n2", "n3"):
        run.dot("p1", "pj", note)  # p1 spends the two freed dots elsewhere
    run.fac("restore", activity="pj", note="n1")
    state = run.state("pj")
    assert state.dots == {"p1": {"n2": 2, "n3": 1}, "p2": {"n1": 1}}
    assert dots.remaining(state, "p1") == {"pain": 0, "joy": 3}
    assert state.returned["p1"] == {"note": "n1", "why": "restored", "dots": 2, "at": run.at}
    assert "p2" not in state.returned or state.returned["p2"]["why"] == "hidden"
    assert views.affected(run.meeting, "note_restored", {"activity": "pj", "note": "n1"}) == {
        "author0",
        "p1",
        "p2",
    }


def test_when_a_restored_note_has_room_then_its_dots_all_come_back():
    run = dotting("joy", "joy", joy_dots=3)
    run.dot("p1", "pj", "n1")
    run.dot("p1", "pj", "n1")
    run.fac("hide", activity="pj", note="n1")
    assert dots.remaining(run.state("pj"), "p1")["joy"] == 3
    run.fac("restore", activity="pj", note="n1")
    assert run.state("pj").dots == {"p1": {"n1": 2}}
    assert dots.remaining(run.state("pj"), "p1")["joy"] == 1


def test_when_points_are_ranked_then_most_dots_come_first_and_ties_keep_posting_order():
    run = dotting("pain", "pain", "pain", "joy", "pain", pain_dots=5)
    for pid, note in [("p1", "n2"), ("p1", "n3"), ("p2", "n3"), ("p1", "n1")]:
        run.dot(pid, "pj", note)
    run.fac("hide", activity="pj", note="n5")
    assert dots.ranking(run.state("pj")) == {
        "pain": [
            {"id": "n3", "text": "pain 3", "dots": 2, "merged": 0},
            {"id": "n1", "text": "pain 1", "dots": 1, "merged": 0},
            {"id": "n2", "text": "pain 2", "dots": 1, "merged": 0},
        ],
        "joy": [{"id": "n4", "text": "joy 4", "dots": 0, "merged": 0}],
    }


# -- properties --------------------------------------------------------------------------------

_KINDS = ("pain", "joy", "pain", "joy", "pain")  # n1 … n5
_PIDS = ("p1", "p2", "p3")
_budgets = st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(1, 3)).filter(
    lambda b: b[0] + b[1] > 0
)
_dot_steps = st.lists(
    st.tuples(
        st.sampled_from(_PIDS),
        st.sampled_from(["n1", "n2", "n3", "n4", "n5", "n9"]),
        st.sampled_from([1, 1, -1]),
    ),
    min_size=10,
    max_size=60,
)


@settings(max_examples=examples(200), deadline=None)
@given(budgets=_budgets, steps=_dot_steps)
def test_when_any_dots_are_placed_and_taken_back_then_budgets_and_caps_always_hold(budgets, steps):
    pain_dots, joy_dots, cap = budgets
    run = dotting(*_KINDS, pain_dots=pain_dots, joy_dots=joy_dots, dot_cap=cap)
    state = run.state("pj")
    placed = removed = 0
    model: Counter[tuple[str, str]] = Counter()
    for pid, note, delta in steps:
        try:
            run.dot(pid, "pj", note, delta)
        except CommandError:
            continue
        placed += delta > 0
        removed += delta < 0
        model[pid, note] += delta
        for person in _PIDS:
            for kind, budget in (("pain", pain_dots), ("joy", joy_dots)):
                assert dots.used(state, person, kind) <= budget
            assert all(0 < n <= cap for n in state.dots.get(person, {}).values())
        assert total(run) == placed - removed
    assert {(pid, note): n for pid, mine in state.dots.items() for note, n in mine.items()} == {
        key: n for key, n in model.items() if n
    }
