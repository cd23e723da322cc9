"""The garbage collector's policy in the server process: freeze survivors, thaw after churn."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from facilitate.runtime import FULL_EVERY, OBJECTS_PER_CONNECTION, YOUNG, Collector


class Node:
    """An object in a reference cycle, like a closed connection leaves behind."""

    def __init__(self) -> None:
        self.other: Node | None = None


def cycles(count: int) -> list[Node]:
    nodes = []
    for _ in range(count):
        a, b = Node(), Node()
        a.other, b.other = b, a
        nodes.append(a)
    return nodes


@pytest.fixture
def collector() -> Iterator[Collector]:
    installed = Collector()
    installed.install()
    try:
        yield installed
    finally:
        installed.uninstall()


def test_when_installed_then_what_exists_is_frozen_out_of_collections(
    collector: Collector,
) -> None:
    assert gc.get_freeze_count() > 1000


def test_when_installed_then_collections_come_less_often_and_uninstall_restores_that() -> None:
    before = gc.get_threshold()
    installed = Collector()
    installed.install()
    try:
        assert gc.get_threshold() == (YOUNG, before[1], FULL_EVERY)
        assert YOUNG > before[0]
        assert FULL_EVERY > before[2]
    finally:
        installed.uninstall()
    assert gc.get_threshold() == before


def test_when_a_full_collection_runs_then_its_survivors_are_frozen(collector: Collector) -> None:
    before = gc.get_freeze_count()
    kept = cycles(1000)
    gc.collect()
    assert gc.get_freeze_count() >= before + 2000
    assert kept


def test_when_frozen_cycles_become_garbage_then_a_thaw_frees_them(collector: Collector) -> None:
    kept = cycles(1000)
    gc.collect()  # frozen now
    del kept
    assert gc.collect() < 2000  # frozen garbage is out of reach of ordinary collections
    assert collector.thaw() >= 2000
    assert collector.installed


def test_when_enough_connections_close_then_the_collector_thaws(collector: Collector) -> None:
    # From the count the policy keeps (taken when it froze): gc.get_freeze_count() can be lower
    # by now, as frozen objects that are freed leave the frozen generation.
    needed = collector.frozen // 4 // OBJECTS_PER_CONNECTION + 1
    for _ in range(needed - 1):
        collector.connection_closed()
    assert collector.thaws == 0
    collector.connection_closed()
    assert collector.thaws == 1
    assert collector.closed == 0


def test_when_not_installed_then_closing_connections_changes_nothing() -> None:
    idle = Collector()
    for _ in range(100_000):
        idle.connection_closed()
    assert idle.thaws == 0


def test_when_connections_close_then_the_frozen_objects_are_not_counted_again_each_time(
    collector: Collector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting the frozen objects walks all of them: once per closed connection, a hall of
    phones leaving at once took minutes of the server's loop (quadratic)."""
    counted = []
    real = gc.get_freeze_count
    monkeypatch.setattr(gc, "get_freeze_count", lambda: counted.append(1) or real())
    closes = 0
    while collector.thaws == 0 and closes < 10_000_000:
        assert counted == [], f"counted after {closes} closes, before any thaw"
        collector.connection_closed()
        closes += 1
    # The thaw freezes again and counts then (the full collection's own callback freezes
    # too: at most twice).
    assert collector.thaws == 1
    assert 1 <= len(counted) <= 2
