"""The SQLite log: migrations, appending and reading events, and the group-committing writer."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from facilitate import store
from facilitate.core.events import FACILITATOR, SYSTEM, Event

ROW = store.MeetingRow("123456", "k" * 64, "s" * 64, 1_700_000_000.0, "Folkemøte")
CREATED = Event(
    "meeting_created", {"code": "123456", "plan": {"title": {"nb": "x"}}}, SYSTEM, 1_700_000_000.0
)


def codes(db: Database) -> list[str]:
    """Every meeting's code, sorted."""
    return sorted(r["code"] for r in db.query("SELECT code FROM meetings"))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = store.open_db(tmp_path / "s.db")
    store.insert_meeting(database, ROW, CREATED)
    yield database
    database.close()


def test_when_the_database_is_opened_twice_then_migrations_run_once(tmp_path: Path) -> None:
    path = tmp_path / "twice.db"
    first = store.open_db(path)
    tables = sorted(first.table_names())
    store.insert_meeting(first, ROW, CREATED)
    first.close()

    second = store.open_db(path)
    try:
        assert sorted(second.table_names()) == tables
        assert {"meetings", "events"} <= set(tables)
        assert codes(second) == ["123456"]
        assert second.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert second.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        second.close()


def test_when_opened_in_memory_then_it_works_without_wal() -> None:
    db = store.open_db(":memory:")
    try:
        store.insert_meeting(db, ROW, CREATED)
        assert store.meeting(db, "123456") == ROW
    finally:
        db.close()


def test_when_events_are_appended_then_they_read_back_in_order(db: Database) -> None:
    vote = Event("vote_cast", {"activity": "p", "choices": ["ja"]}, "abc", 1_700_000_001.5)
    note = Event(
        "note_posted", {"activity": "n", "note": "n1", "text": "Blåbær ☕"}, "abc", 1_700_000_002.0
    )
    shown = Event("activity_shown", {"activity": "p", "present": 3}, FACILITATOR, 1_700_000_000.5)
    store.append(db, "123456", [(2, shown, "c-1"), (3, vote, "p-1"), (4, note, None)])
    assert store.events(db, "123456") == [
        store.Logged(1, CREATED, None),
        store.Logged(2, shown, "c-1"),
        store.Logged(3, vote, "p-1"),
        store.Logged(4, note, None),
    ]
    assert store.events(db, "654321") == []


def test_when_a_meeting_is_looked_up_then_its_row_comes_back_or_none(db: Database) -> None:
    assert store.meeting(db, "123456") == ROW
    assert store.meeting(db, "000000") is None


def test_when_a_code_is_taken_then_inserting_it_again_fails(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_meeting(db, ROW, CREATED)


def test_when_events_name_an_unknown_meeting_then_they_are_refused(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.append(db, "999999", [(1, CREATED, None)])


def test_when_a_seq_is_used_twice_then_the_append_fails(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.append(db, "123456", [(1, CREATED, None)])


def test_when_events_carry_client_ids_then_they_read_back_with_them(db: Database) -> None:
    vote = Event("vote_cast", {"activity": "p", "choices": ["ja"]}, "abc", 1.0)
    other = Event("vote_cast", {"activity": "p", "choices": ["nei"]}, "def", 2.0)
    store.append(db, "123456", [(2, vote, "same"), (3, other, "same"), (4, other, None)])
    assert [item.client_id for item in store.events(db, "123456")] == [None, "same", "same", None]


def test_when_a_database_has_the_old_client_id_index_then_migrating_drops_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    database = store.open_db(path)
    database.execute(
        "CREATE UNIQUE INDEX events_client_id ON events (meeting, actor, client_id) "
        "WHERE client_id IS NOT NULL"
    )
    database.execute(
        "DELETE FROM _sqlite_migrations WHERE name = ?", ["m002_client_ids_checked_in_memory"]
    )
    database.close()
    reopened = store.open_db(path)
    names = [
        r["name"] for r in reopened.query("SELECT name FROM sqlite_master WHERE type = 'index'")
    ]
    assert "events_client_id" not in names
    reopened.close()


def test_when_a_client_id_repeats_in_another_meeting_then_it_is_fine(db: Database) -> None:
    second = store.MeetingRow("654321", "k", "s", 1_800_000_000.0, "Annet")
    store.insert_meeting(db, second, CREATED)
    vote = Event("vote_cast", {"activity": "p", "choices": ["ja"]}, "abc", 1.0)
    store.append(db, "123456", [(2, vote, "same")])
    store.append(db, "654321", [(2, vote, "same")])
    for code in ("123456", "654321"):
        assert store.events(db, code)[-1].client_id == "same"


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[store.Writer]:
    database = store.open_db(tmp_path / "w.db")
    running = store.Writer(database)
    try:
        yield running
    finally:
        running.close()
        database.close()


def _gate() -> tuple[threading.Event, object]:
    """A job that holds the writer thread until the test lets it go."""
    gate = threading.Event()

    def hold(db: Database) -> str:
        assert gate.wait(5), "the test never opened the gate"
        return "held"

    return gate, hold


@pytest.mark.asyncio
async def test_when_many_jobs_wait_then_the_writer_commits_them_together(
    writer: store.Writer,
) -> None:
    gate, hold = _gate()
    blocker = asyncio.ensure_future(writer.run(hold))  # type: ignore[arg-type]
    await asyncio.sleep(0)  # queued: the writer thread is now busy with it
    jobs = [
        asyncio.ensure_future(
            writer.run(
                lambda db, i=i: (
                    store.insert_meeting(
                        db,
                        store.MeetingRow(f"{i:06d}", "k", "s", float(i), f"m{i}"),
                        Event("meeting_created", {"code": f"{i:06d}"}, SYSTEM, float(i)),
                    )
                    or i
                )
            )
        )
        for i in range(100)
    ]
    await asyncio.sleep(0)  # all of them queued behind the blocker
    gate.set()
    assert await blocker == "held"
    assert await asyncio.gather(*jobs) == list(range(100))
    assert 1 <= writer.commits <= 2 < len(jobs)
    count = await writer.run(lambda db: db.execute("SELECT count(*) FROM meetings").fetchone())
    assert count[0] == 100


@pytest.mark.asyncio
async def test_when_one_job_fails_then_the_others_still_commit(writer: store.Writer) -> None:
    gate, hold = _gate()

    def insert(code: str) -> object:
        def job(db: Database) -> str:
            store.insert_meeting(
                db,
                store.MeetingRow(code, "k", "s", 1.0, code),
                Event("meeting_created", {"code": code}, SYSTEM, 1.0),
            )
            return code

        return job

    def half_then_fail(db: Database) -> None:
        store.insert_meeting(
            db,
            store.MeetingRow("bad", "k", "s", 1.0, "bad"),
            Event("meeting_created", {"code": "bad"}, SYSTEM, 1.0),
        )
        raise ValueError("changed my mind")

    blocker = asyncio.ensure_future(writer.run(hold))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    first = asyncio.ensure_future(writer.run(insert("a")))  # type: ignore[arg-type]
    failing = asyncio.ensure_future(writer.run(half_then_fail))
    duplicate = asyncio.ensure_future(writer.run(insert("a")))  # type: ignore[arg-type]
    last = asyncio.ensure_future(writer.run(insert("b")))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    gate.set()
    await blocker
    assert await first == "a"
    with pytest.raises(ValueError, match="changed my mind"):
        await failing
    with pytest.raises(sqlite3.IntegrityError):
        await duplicate
    assert await last == "b"
    assert await writer.run(codes) == ["a", "b"]  # "bad" was rolled back with its job
    events = await writer.run(lambda db: store.events(db, "bad"))
    assert events == []


@pytest.mark.asyncio
async def test_when_a_job_reads_then_it_gets_its_result(writer: store.Writer) -> None:
    assert await writer.run(lambda db: db.execute("SELECT 6 * 7").fetchone()[0]) == 42
    assert writer.commits == 1


@pytest.mark.asyncio
async def test_when_the_writer_closes_then_queued_jobs_finish_first(tmp_path: Path) -> None:
    database = store.open_db(tmp_path / "c.db")
    running = store.Writer(database)
    gate, hold = _gate()
    blocker = asyncio.ensure_future(running.run(hold))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    futures = [
        asyncio.ensure_future(
            running.run(
                lambda db, c=c: (
                    store.insert_meeting(
                        db,
                        store.MeetingRow(c, "k", "s", 1.0, c),
                        Event("meeting_created", {"code": c}, SYSTEM, 1.0),
                    )
                    or c
                )
            )
        )
        for c in ("x", "y", "z")
    ]
    await asyncio.sleep(0)
    gate.set()
    running.close()  # waits for the queue to drain, then stops the thread
    assert not running._thread.is_alive()
    assert await blocker == "held"
    assert await asyncio.gather(*futures) == ["x", "y", "z"]
    assert codes(database) == ["x", "y", "z"]
    database.close()


def _note(seq: int, actor: str = "p1") -> tuple[int, Event, str | None]:
    return (
        seq,
        Event("note_added", {"text": f"note {seq}"}, actor, 1_700_000_000.0 + seq),
        f"c{seq}",
    )


def test_when_hundreds_of_events_are_appended_at_once_then_all_read_back_exactly(
    db: Database,
) -> None:
    rows = [_note(seq) for seq in range(2, 2 + 343)]  # 256 + 64 + 16 + 4 + 3: every shape
    store.append(db, ROW.code, rows)
    logged = store.events(db, ROW.code)[1:]
    assert [(x.seq, x.event, x.client_id) for x in logged] == rows


@pytest.mark.asyncio
async def test_when_appends_share_a_transaction_then_they_are_written_together_in_order(
    writer: store.Writer,
) -> None:
    await writer.run(lambda db: store.insert_meeting(db, ROW, CREATED))
    gate, hold = _gate()
    blocker = asyncio.ensure_future(writer.run(hold))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    commits = writer.commits
    appended = [writer.submit(store.Append(ROW.code, [_note(seq)])) for seq in range(2, 302)]
    gate.set()
    await blocker
    assert await asyncio.gather(*appended) == [None] * 300
    assert writer.commits - commits <= 2
    logged = await writer.run(lambda db: store.events(db, ROW.code))
    assert [x.seq for x in logged] == list(range(1, 302))


@pytest.mark.asyncio
async def test_when_one_append_of_a_batch_fails_then_only_it_fails(writer: store.Writer) -> None:
    await writer.run(lambda db: store.insert_meeting(db, ROW, CREATED))
    gate, hold = _gate()
    blocker = asyncio.ensure_future(writer.run(hold))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    failed: list[int] = []
    first = writer.submit(store.Append(ROW.code, [_note(2)]))
    taken = writer.submit(store.Append(ROW.code, [_note(2)]), on_fail=lambda: failed.append(2))
    refused = writer.submit(store.Append(ROW.code, [_note(3)], refuse=lambda: True))
    last = writer.submit(store.Append(ROW.code, [_note(4)]))
    gate.set()
    await blocker
    assert await first is None and await last is None
    with pytest.raises(sqlite3.IntegrityError):
        await taken  # seq 2 is the first append's
    with pytest.raises(RuntimeError, match="earlier write"):
        await refused
    assert failed == [2]
    logged = await writer.run(lambda db: store.events(db, ROW.code))
    assert [x.seq for x in logged] == [1, 2, 4]


@pytest.mark.asyncio
async def test_when_writes_stream_in_then_a_commit_waits_a_moment_to_take_more(
    writer: store.Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "GATHER_SECONDS", 0.5)  # generous: a slow machine still gathers
    monkeypatch.setattr(store, "STREAM_GAP", 60.0)
    await writer.run(lambda db: store.insert_meeting(db, ROW, CREATED))
    await writer.submit(store.Append(ROW.code, [_note(2)]))
    assert writer.commits == 2  # one at a time: each committed at once
    gate, hold = _gate()
    blocker = asyncio.ensure_future(writer.run(hold))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    together = [writer.submit(store.Append(ROW.code, [_note(seq)])) for seq in (3, 4)]
    gate.set()
    await blocker
    await asyncio.gather(*together)
    assert writer.commits in (3, 4)  # the two that waited went in together (with the blocker?)
    before = writer.commits
    appended = []
    for seq in range(5, 12):  # now a stream, one write at a time
        appended.append(writer.submit(store.Append(ROW.code, [_note(seq)])))
        await asyncio.sleep(0.01)
    await asyncio.gather(*appended)
    assert writer.commits == before + 1  # the stream's first write waited for the other six
    logged = await writer.run(lambda db: store.events(db, ROW.code))
    assert [x.seq for x in logged] == list(range(1, 12))


@pytest.mark.asyncio
async def test_when_one_turn_of_the_loop_queues_many_jobs_then_the_thread_is_woken_once(
    writer: store.Writer,
) -> None:
    before = writer.handovers
    futures = [writer.submit(lambda db, i=i: i) for i in range(200)]
    assert writer.handovers == before  # nothing handed over while the turn goes on
    assert await asyncio.gather(*futures) == list(range(200))  # in order, all of them
    assert writer.handovers == before + 1


@pytest.mark.asyncio
async def test_when_the_writer_closes_then_jobs_queued_in_this_turn_are_still_written(
    tmp_path: Path,
) -> None:
    database = store.open_db(tmp_path / "c.db")
    closing = store.Writer(database)
    future = closing.submit(lambda db: db.execute("CREATE TABLE late (x)") and "done")
    closing.close()  # before the loop's turn ends: the job must not be lost
    assert await future == "done"
    assert "late" in database.table_names()
    database.close()
