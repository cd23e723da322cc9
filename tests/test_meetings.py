"""Live meetings: commands applied at once, committed in order, limits on what was taken."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from facilitate import store
from facilitate.core import conversation, grid
from facilitate.core.events import FACILITATOR
from facilitate.core.messages import Message
from facilitate.core.plan import plan_from_dict
from facilitate.meetings import NOTES_PER_MINUTE, Live, Meetings
from facilitate.settings import Settings
from facilitate.store.sqlite import SQLite

PLAN = plan_from_dict(
    {
        "title": "Trygghet i sentrum",
        "language": "nb",
        "activities": [
            {"id": "notes", "kind": "notes", "title": "Hva gjør deg utrygg?"},
            {"id": "later", "kind": "notes", "title": "Hva bør endres?"},
        ],
    }
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest_asyncio.fixture
async def running(tmp_path: Path) -> AsyncIterator[tuple[Meetings, Live, Clock]]:
    writer = store.Writer(store.open_database(tmp_path / "m.db"))
    clock = Clock()
    meetings = Meetings(writer, Settings(db_path=tmp_path / "m.db"), clock)
    try:
        created = await meetings.create(PLAN)
        live = await meetings.get(created.code)
        assert live is not None
        await meetings.execute(live, FACILITATOR, Message("goto", "g1", {"activity": "notes"}))
        yield meetings, live, clock
    finally:
        await meetings.close()
        writer.close()


def note(client_id: str, text: str, activity: str = "notes") -> Message:
    return Message("note", client_id, {"activity": activity, "text": text})


@pytest.mark.asyncio
async def test_when_commands_are_submitted_without_waiting_then_they_commit_in_order(
    running: tuple[Meetings, Live, Clock],
) -> None:
    meetings, live, _ = running
    done: list[str] = []
    futures = []
    for n in range(5):
        future = meetings.submit(live, "p1", note(f"n{n}", f"Mørkt ved stasjonen {n}"))
        future.add_done_callback(lambda _, n=n: done.append(f"n{n}"))
        futures.append(future)
    assert len(live.meeting.activities["notes"].notes) == 5  # applied at once
    await asyncio.gather(*futures)
    await asyncio.sleep(0)
    assert done == [f"n{n}" for n in range(5)]
    log = await meetings.log(live.row.code)
    assert [e.data["text"] for e in log if e.type == "note_posted"] == [
        f"Mørkt ved stasjonen {n}" for n in range(5)
    ]


@pytest.mark.asyncio
async def test_when_a_command_is_resubmitted_before_its_commit_then_it_is_applied_once(
    running: tuple[Meetings, Live, Clock],
) -> None:
    meetings, live, _ = running
    first = meetings.submit(live, "p1", note("same", "Lys i parken"))
    again = meetings.submit(live, "p1", note("same", "Lys i parken"))
    await asyncio.gather(first, again)
    later = meetings.submit(live, "p1", note("same", "Lys i parken"))
    assert later.done()
    assert len(live.meeting.activities["notes"].notes) == 1


@pytest.mark.asyncio
async def test_when_a_participant_posts_too_many_notes_in_a_minute_then_the_next_waits(
    running: tuple[Meetings, Live, Clock],
) -> None:
    meetings, live, clock = running
    for n in range(NOTES_PER_MINUTE):
        await meetings.execute(live, "p1", note(f"n{n}", f"Innspill {n}"))
    with pytest.raises(Exception) as refused:
        meetings.submit(live, "p1", note("one-more", "Ett til"))
    assert getattr(refused.value, "code", None) == "slow_down"
    await meetings.execute(live, "p2", note("other", "Noen andre"))  # others may go on
    clock.now += 61
    await meetings.execute(live, "p1", note("one-more", "Ett til"))


@pytest.mark.asyncio
async def test_when_notes_are_refused_then_they_do_not_count_towards_the_limit(
    running: tuple[Meetings, Live, Clock],
) -> None:
    meetings, live, _ = running
    for n in range(NOTES_PER_MINUTE * 2):
        with pytest.raises(Exception) as refused:
            meetings.submit(live, "p1", note(f"closed-{n}", "For sent?", activity="later"))
        assert getattr(refused.value, "code", None) == "closed"
    await meetings.execute(live, "p1", note("taken", "Nå er det åpent"))


@pytest.mark.asyncio
async def test_when_a_write_fails_then_the_next_commands_wait_for_the_reload_and_keep_their_errors(
    running: tuple[Meetings, Live, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    meetings, live, _ = running
    real = SQLite.append_all
    failures = iter([True])

    def flaky(db: object, jobs: object) -> None:
        if next(failures, False):
            raise sqlite3.OperationalError("disk I/O error")
        real(db, jobs)  # type: ignore[arg-type]

    monkeypatch.setattr(SQLite, "append_all", flaky)
    lost = meetings.submit(live, "p1", note("lost", "Under feilen"))
    with pytest.raises(sqlite3.OperationalError):
        await lost
    refused = meetings.submit(live, "p1", note("refused", "For sent?", activity="later"))
    taken = meetings.submit(live, "p1", note("taken", "Etter feilen"))
    with pytest.raises(Exception) as closed:
        await refused
    assert getattr(closed.value, "code", None) == "closed"
    await taken
    texts = [n.text for n in live.meeting.activities["notes"].notes.values()]
    assert texts == ["Etter feilen"]  # memory was rebuilt from the log


class NoDatabase:
    """A writer that fails the test if anything asks it."""

    async def run(self, work: object) -> None:
        raise AssertionError(f"the database was asked: {work}")


@pytest.mark.asyncio
@pytest.mark.parametrize("code", ["123456\n", "12345", "1234567", "12345a", "１２３４５６", ""])
async def test_when_a_code_is_not_six_digits_then_the_database_is_not_asked(
    tmp_path: Path, code: str
) -> None:
    """`$` matches before a trailing newline: "123456\n" was looked up as if it were a code."""
    meetings = Meetings(NoDatabase(), Settings(db_path=tmp_path / "m.db"))  # type: ignore[arg-type]
    assert await meetings.get(code) is None


# -- opinion groups recomputed in the worker thread -----------------------------------------------

CLAIMS = [f"Påstand {n}" for n in range(1, 9)]
STATEMENTS = plan_from_dict(
    {
        "title": "Trygghet i sentrum",
        "language": "nb",
        "activities": [{"id": "st", "kind": "statements", "title": "Hva mener du?",
                        "statements": CLAIMS}],
    }
)  # fmt: skip


def stance(number: int, statement: int, word: str) -> Message:
    data = {"activity": "st", "statement": f"s{statement}", "stance": word}
    return Message("stance", f"c{number}-{statement}", data)


class Held:
    """grid.regroup, held in the worker thread until the test lets it go; elsewhere (groups
    computed in place) it runs at once. Records in which threads it ran."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.go = threading.Event()
        self.started = threading.Event()
        self.threads: list[str] = []

    def __call__(self, snapshot: Any) -> Any:
        self.threads.append(threading.current_thread().name)
        if threading.current_thread().name.startswith("facilitate-recompute"):
            self.started.set()
            assert self.go.wait(timeout=30), "the test never let the recompute go"
        return self.real(snapshot)


async def answer(meetings: Meetings, live: Live, people: range) -> None:
    """Phones answer every statement in two camps: even ones agree with s1-s4, odd ones
    with s5-s8."""
    for pid in people:
        for s in range(1, 9):
            word = "agree" if (s <= 4) == (pid % 2 == 0) else "disagree"
            await meetings.execute(live, f"p{pid:02d}", stance(pid, s, word))


@pytest_asyncio.fixture
async def room(tmp_path: Path) -> AsyncIterator[tuple[Meetings, Live, Clock]]:
    """A statements activity where eighteen phones have answered (no groups yet), and the
    cached groups' next recompute is due at `clock.now + wait(160)`."""
    writer = store.Writer(store.open_database(tmp_path / "m.db"))
    clock = Clock()
    meetings = Meetings(writer, Settings(db_path=tmp_path / "m.db"), clock)
    try:
        created = await meetings.create(STATEMENTS)
        live = await meetings.get(created.code)
        assert live is not None
        await meetings.execute(live, FACILITATOR, Message("goto", "g", {"activity": "st"}))
        await answer(meetings, live, range(18))
        assert '"groups":[]' in live.view("screen")  # computed in place: the first time
        yield meetings, live, clock
    finally:
        await meetings.close()
        writer.close()


@pytest.mark.asyncio
async def test_when_opinion_groups_are_recomputed_then_the_loop_serves_meanwhile(
    room: tuple[Meetings, Live, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    meetings, live, clock = room
    held = Held(grid.regroup)
    monkeypatch.setattr(grid, "regroup", held)
    due = clock.now + conversation.wait(160)
    try:
        clock.now = due - 0.1  # two more phones answer before the groups come due
        await answer(meetings, live, range(18, 20))
        assert held.threads == []  # not due: the views keep the cache
        clock.now = due - 0.04  # due soon: handed to the worker, which holds it
        assert await asyncio.to_thread(held.started.wait, 30)
        assert live.recomputing is not None
        await meetings.execute(live, "p00", stance(0, 1, "pass"))  # acknowledged meanwhile
        assert '"groups":[]' in live.view("screen")  # the views keep the cached groups
        assert held.threads == ["facilitate-recompute_0"]  # none computed in place
        recomputing = live.recomputing
        held.go.set()
        await asyncio.wait_for(recomputing, timeout=30)
        view = live.view("screen")  # adopted: the groups of the twenty who had answered
        assert '"label":"A","size":10' in view and '"label":"B","size":10' in view
        assert held.threads == ["facilitate-recompute_0"]
    finally:
        held.go.set()


@pytest.mark.asyncio
async def test_when_a_recompute_fails_in_the_worker_then_it_comes_due_again(
    room: tuple[Meetings, Live, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    meetings, live, clock = room
    real, failed = grid.regroup, threading.Event()

    def failing(snapshot: Any) -> Any:
        if not failed.is_set():
            failed.set()
            raise MemoryError("the worker ran out of memory")
        return real(snapshot)

    monkeypatch.setattr(grid, "regroup", failing)
    due = clock.now + conversation.wait(160)
    clock.now = due - 0.1
    await answer(meetings, live, range(18, 20))
    clock.now = due + 1  # due: handed out, fails, is handed out again and adopted
    for _ in range(3000):  # no wall-clock limit: as many turns of the loop as it takes
        if '"label":"B"' in live.view("screen"):
            break
        await asyncio.sleep(0.01)
    assert failed.is_set() and '"label":"B","size":10' in live.view("screen")


@pytest.mark.asyncio
async def test_when_a_commands_write_lands_then_the_meeting_knows_before_anyone_waiting_hears(
    running: tuple[Meetings, Live, Clock],
) -> None:
    meetings, live, _ = running
    seen: list[tuple[Any, ...]] = []
    written = meetings.submit(live, "p1", note("n1", "Mørkt ved stasjonen"))
    key = ("p1", "n1")
    assert live.applied[key] is written and not written.done()
    changes = live.room._state
    # Its callback runs where the write settles: by then the command counts as applied (a
    # resend is answered at once), the log's end is known, and the views are due.
    written.add_done_callback(
        lambda _: seen.append((live.applied[key], live.committed, live.room._state > changes))
    )
    await written
    assert seen == [(None, live.seq, True)]
    again = meetings.submit(live, "p1", note("n1", "Mørkt ved stasjonen"))
    assert again.done()  # the resend: applied once, answered at once
    assert len(live.meeting.activities["notes"].notes) == 1
