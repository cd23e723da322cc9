"""Live meetings: commands applied at once, committed in order, limits on what was taken."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from facilitate import store
from facilitate.core.events import FACILITATOR
from facilitate.core.messages import Message
from facilitate.core.plan import plan_from_dict
from facilitate.meetings import NOTES_PER_MINUTE, Live, Meetings
from facilitate.settings import Settings

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
    writer = store.Writer(store.open_db(tmp_path / "m.db"))
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
    real = store.append_all
    failures = iter([True])

    def flaky(db: object, jobs: object) -> None:
        if next(failures, False):
            raise sqlite3.OperationalError("disk I/O error")
        real(db, jobs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "append_all", flaky)
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
