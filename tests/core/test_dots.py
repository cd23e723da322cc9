"""Dot voting on pain/joy points: budgets per kind, a cap per note, moving dots, hiding, merging."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings, strategies as st

from facilitate.core import board, dots
from facilitate.core.errors import CommandError

from .helpers import Run, painjoy


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
    assert dots.remaining(run.state("pj"), "p1") == {"pain": 2, "joy": 3}
    run.dot("p1", "pj", "n2")
    run.dot("p1", "pj", "n3")
    assert run.state("pj").dots == {"p1": {"n1": 2, "n2": 2, "n3": 1}}  # nothing is deleted


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
    run = dotting("pain", "pain", "pain", pain_dots=4)
    for pid, note in [("p1", "n1"), ("p1", "n2"), ("p1", "n2"), ("p2", "n2"), ("p2", "n3")]:
        run.dot(pid, "pj", note)
    before = total(run)
    run.fac("merge", activity="pj", into="n1", notes=["n2"])
    assert total(run) == before == 5
    assert run.state("pj").dots == {"p1": {"n1": 3}, "p2": {"n3": 1, "n1": 1}}
    assert dots.totals(run.state("pj")) == {"n1": 4, "n3": 1}


def test_when_a_hidden_note_with_dots_is_merged_then_its_dots_move_along():
    run = dotting("pain", "pain")
    run.dot("p1", "pj", "n2")
    run.fac("hide", activity="pj", note="n2")
    run.fac("merge", activity="pj", into="n1", notes=["n2"])
    assert (run.state("pj").dots, total(run)) == ({"p1": {"n1": 1}}, 1)


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


def test_when_a_merge_lifts_a_note_over_the_cap_then_dots_can_still_be_taken_back():
    run = dotting("pain", "pain", pain_dots=4, dot_cap=2)
    for note in ("n1", "n1", "n2", "n2"):
        run.dot("p1", "pj", note)
    run.fac("merge", activity="pj", into="n1", notes=["n2"])
    assert run.state("pj").dots == {"p1": {"n1": 4}}
    assert run.refused("p1", "dot", activity="pj", note="n1", delta=1).code == "no_dots_left"
    run.dot("p1", "pj", "n1", -1)
    assert run.state("pj").dots == {"p1": {"n1": 3}}


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


@settings(max_examples=200, deadline=None)
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


_ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("dot"),
            st.sampled_from(_PIDS),
            st.sampled_from(["n1", "n2", "n3", "n4", "n5"]),
            st.sampled_from([1, 1, -1]),
        ),
        st.tuples(
            st.just("merge"),
            st.sampled_from(["n1", "n2", "n3", "n4", "n5"]),
            st.lists(st.sampled_from(["n1", "n2", "n3", "n4", "n5"]), min_size=1, max_size=3),
        ),
        st.tuples(
            st.sampled_from(["hide", "restore"]), st.sampled_from(["n1", "n2", "n3", "n4", "n5"])
        ),
    ),
    min_size=10,
    max_size=50,
)


@settings(max_examples=200, deadline=None)
@given(ops=_ops)
def test_when_notes_are_merged_in_any_order_then_no_dot_is_ever_lost_or_made(ops):
    run = dotting(*_KINDS, pain_dots=4, joy_dots=4, dot_cap=3)
    state = run.state("pj")
    placed = removed = 0
    for op in ops:
        before = {pid: sum(mine.values()) for pid, mine in state.dots.items()}
        try:
            if op[0] == "dot":
                _, pid, note, delta = op
                run.dot(pid, "pj", note, delta)
                placed += delta > 0
                removed += delta < 0
            elif op[0] == "merge":
                run.fac("merge", activity="pj", into=op[1], notes=op[2])
                assert {pid: sum(mine.values()) for pid, mine in state.dots.items()} == before
            else:
                run.fac(op[0], activity="pj", note=op[1])
        except CommandError:
            continue
        assert total(run) == placed - removed
        merged = {n.id for n in state.notes.values() if n.status == "merged"}
        assert not any(merged & set(mine) for mine in state.dots.values())
        assert all(
            state.notes[n.merged_into].status != "merged"
            for n in state.notes.values()
            if n.merged_into
        )
