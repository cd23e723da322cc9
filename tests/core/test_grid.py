"""core.grid: the stances as a matrix kept as they come, snapshots of it, and the groups of a
snapshot, which are those of the same stances read from the dict."""

from __future__ import annotations

import random

from budget import examples
from hypothesis import given, settings, strategies as st

from facilitate.core import grid, opinion
from facilitate.core.grid import Grid

PEOPLE = [f"{prefix}{n}" for prefix in "zab" for n in range(12)]  # not in id order
STATEMENTS = [f"s{n}" for n in range(1, 10)] + ["p1", "p2"]

_stances = st.lists(
    st.tuples(st.sampled_from(PEOPLE), st.sampled_from(STATEMENTS), st.sampled_from((1, -1, 0))),
    max_size=300,
)
_listed = st.lists(st.sampled_from([*STATEMENTS, "s99"]), min_size=1, max_size=9, unique=True)


def fill(taken: list[tuple[str, str, int]]) -> tuple[Grid, dict[str, dict[str, int]]]:
    kept, stances = Grid(), {}
    for pid, statement, stance in taken:
        kept.put(pid, statement, stance)
        stances.setdefault(pid, {})[statement] = stance
    return kept, stances


@settings(max_examples=examples(150), deadline=None)
@given(taken=_stances, listed=_listed)
def test_the_groups_of_a_snapshot_are_those_of_the_same_stances(taken, listed) -> None:
    kept, stances = fill(taken)
    snapshot = kept.snapshot(tuple(listed), changes=len(taken), at=0.0)
    assert grid.regroup(snapshot) == opinion.groups(stances, listed)


def test_when_a_room_splits_in_camps_then_a_snapshot_finds_the_same_groups() -> None:
    rng = random.Random(3)
    taken = []
    for n in range(300):
        camp = 1 if n % 3 else -1
        for s in STATEMENTS[:9]:
            taken.append((f"x{rng.randrange(10**6):06d}", s, camp if rng.random() < 0.85 else 0))
        # one phone's whole set of answers, so that most answer every statement
        pid = f"y{n:03d}"
        taken += [(pid, s, camp if rng.random() < 0.9 else -camp) for s in STATEMENTS[:9]]
    kept, stances = fill(taken)
    found = grid.regroup(kept.snapshot(tuple(STATEMENTS[:9]), changes=len(taken), at=0.0))
    assert found is not None and len(found.groups) >= 2
    assert found == opinion.groups(stances, STATEMENTS[:9])


def test_when_stances_come_after_a_snapshot_then_the_snapshot_does_not_change() -> None:
    kept, _ = fill([("a", "s1", 1), ("b", "s1", -1)])
    snapshot = kept.snapshot(("s1", "s2"), changes=2, at=5.0)
    before = snapshot.cells.copy()
    for n in range(200):  # the matrix grows under it, and the old cells change
        kept.put(f"c{n}", f"s{n % 9 + 1}", 0)
    kept.put("a", "s1", -1)
    assert (snapshot.cells == before).all()
    assert snapshot.people == ("a", "b")
    assert snapshot.cells.tolist() == [[1, grid.UNANSWERED], [-1, grid.UNANSWERED]]
