"""`store.Written`, the live path's lighter future, and the writer's `queue` and `settling`.

These run on SQLite only: what they check is the writer's and Written's own, not a database's.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from facilitate import store
from facilitate.core.events import SYSTEM, Event

ROW = store.MeetingRow("123456", "k" * 64, "s" * 64, 1_700_000_000.0, "Folkemøte")


def _note(seq: int) -> tuple[int, Event, str | None]:
    return (seq, Event("note_posted", {"text": f"note {seq}"}, "p1", float(seq)), f"c{seq}")


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[store.Writer]:
    db = store.open_database(tmp_path / "store.db")
    db.begin()
    db.insert_meeting(ROW, Event("meeting_created", {"code": ROW.code}, SYSTEM, 1.0))
    db.commit()
    running = store.Writer(db)
    try:
        yield running
    finally:
        running.close()
        db.close()


def _without_turning(condition: Callable[[], bool]) -> None:
    """Wait until `condition()` holds, without letting the event loop turn (as in a long turn
    that reads a flood): the writer thread goes on meanwhile."""
    for _ in range(500):
        if condition():
            return
        threading.Event().wait(0.01)
    raise AssertionError("the writer did not get there")


class Recording(store.Written):
    """A Written that notes, in `log`, when its follow-up runs."""

    __slots__ = ("log",)
    fn: store.Append

    def __init__(self, seq: int, log: list[str]) -> None:
        super().__init__(store.Append(ROW.code, [_note(seq)]))
        self.log = log

    def settled(self, ok: bool) -> None:
        self.log.append(f"settled {self.fn.rows[0][0]} {ok}")


@pytest.mark.asyncio
async def test_when_a_written_commits_then_its_follow_up_and_callbacks_run_in_order_at_once(
    writer: store.Writer,
) -> None:
    log: list[str] = []
    first, second = writer.queue(Recording(2, log)), writer.queue(Recording(3, log))
    first.add_done_callback(lambda w: log.append(f"first done {w.done()}"))
    first.add_done_callback(lambda w: log.append("first again"))
    second.add_done_callback(lambda w: log.append("second done"))
    assert not first.done()
    with pytest.raises(asyncio.InvalidStateError):
        first.exception()
    await second
    # Each write's follow-up first, then its callbacks, all in the one call that settles the
    # batch: nothing is scheduled for later.
    assert log == [
        "settled 2 True",
        "first done True",
        "first again",
        "settled 3 True",
        "second done",
    ]
    assert first.exception() is None and not first.cancelled()
    late: list[store.Written] = []
    first.add_done_callback(late.append)  # once done: at once
    assert late == [first]
    events = await writer.run(lambda db: db.events(ROW.code))
    assert [(e.seq, e.client_id) for e in events] == [(1, None), (2, "c2"), (3, "c3")]


@pytest.mark.asyncio
async def test_when_a_written_fails_then_awaiting_it_raises_and_on_fail_ran(
    writer: store.Writer,
) -> None:
    failed: list[str] = []
    await writer.queue(store.Written(store.Append(ROW.code, [_note(2)])))
    taken = writer.queue(  # seq 2 is in the log already
        store.Written(store.Append(ROW.code, [_note(2)]), on_fail=lambda: failed.append("2"))
    )
    with pytest.raises(sqlite3.IntegrityError) as raised:
        await taken
    assert taken.done() and taken.exception() is raised.value
    assert failed == ["2"]
    with pytest.raises(sqlite3.IntegrityError):
        await taken  # awaited again, once done: the same failure


@pytest.mark.asyncio
async def test_when_a_callback_raises_then_the_others_and_the_batch_still_settle(
    writer: store.Writer,
) -> None:
    seen: list[object] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _, context: seen.append(context["exception"]))

    def broken(_: store.Written) -> None:
        raise RuntimeError("a bug in a follow-up")

    first = writer.queue(store.Written(store.Append(ROW.code, [_note(2)])))
    second = writer.queue(store.Written(store.Append(ROW.code, [_note(3)])))
    first.add_done_callback(broken)
    first.add_done_callback(seen.append)
    await second
    assert first.exception() is None
    assert [type(x).__name__ for x in seen] == ["RuntimeError", "Written"]


@pytest.mark.asyncio
async def test_when_the_one_awaiting_is_cancelled_then_the_write_still_lands(
    writer: store.Writer,
) -> None:
    written = writer.queue(store.Written(store.Append(ROW.code, [_note(2)])))
    waiting = asyncio.ensure_future(asyncio.wait_for(written, 0))  # gives up at once
    with pytest.raises(TimeoutError):
        await waiting
    await writer.run(lambda db: None)  # a later job: the write is committed by then
    assert written.done() and written.exception() is None


def test_when_a_written_is_made_done_then_it_says_so_without_a_loop() -> None:
    done = store.Written.already()
    assert done.done() and done.exception() is None
    called: list[store.Written] = []
    done.add_done_callback(called.append)
    assert called == [done]


@pytest.mark.asyncio
async def test_when_a_commit_settles_then_its_jobs_settle_inside_the_writers_settling(
    writer: store.Writer,
) -> None:
    log: list[str] = []

    @contextlib.contextmanager
    def settling() -> Iterator[None]:
        log.append("enter")
        yield
        log.append("exit")

    writer.settling = settling
    writes = [writer.queue(Recording(seq, log)) for seq in (2, 3, 4)]
    await writes[-1]
    # However many commits it took, every settle happened between an enter and its exit.
    depth = 0
    for entry in log:
        depth += {"enter": 1, "exit": -1}.get(entry, 0)
        assert depth in (0, 1)
        if entry.startswith("settled"):
            assert depth == 1, log
    assert [e for e in log if e.startswith("settled")] == [
        "settled 2 True",
        "settled 3 True",
        "settled 4 True",
    ]


@pytest.mark.asyncio
async def test_when_a_commit_is_done_then_settle_ready_settles_it_before_the_loop_turns(
    writer: store.Writer,
) -> None:
    written = writer.queue(store.Written(store.Append(ROW.code, [_note(2)])))
    writer._hand_over()  # as a long turn does every HAND_OVER_AT jobs

    # The loop does not turn here (a long turn reading a flood): the commit still settles
    # where settle_ready is called, between two inputs.
    def settled() -> bool:
        writer.settle_ready()
        return written.done()

    _without_turning(settled)
    assert written.exception() is None
    writer.settle_ready()  # nothing left: a no-op
    await asyncio.sleep(0.05)  # the call the thread scheduled finds it settled: nothing twice
    assert written.exception() is None


@pytest.mark.asyncio
async def test_when_settling_calls_settle_ready_again_then_commits_still_settle_in_order(
    writer: store.Writer,
) -> None:
    order: list[int] = []
    loop = asyncio.get_running_loop()

    def finished(commits: int) -> None:
        _without_turning(lambda: len(writer._finished.get(loop, ())) == commits)

    first = writer.queue(store.Written(store.Append(ROW.code, [_note(2)])))
    writer._hand_over()
    finished(1)
    second = writer.queue(store.Written(store.Append(ROW.code, [_note(3)])))
    writer._hand_over()
    finished(2)  # two commits, each settled by whoever comes first

    def first_done(_: store.Written) -> None:
        writer.settle_ready()  # inside the first commit's settling: must not settle the second
        order.append(2)

    first.add_done_callback(first_done)
    second.add_done_callback(lambda _: order.append(3))
    await second
    assert order == [2, 3]
