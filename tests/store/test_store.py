"""The log on both databases: appending and reading events, and the group-committing writer.

Every test that takes `db` (or `writer`) runs twice: on SQLite and on PostgreSQL (conftest.py).
The few about SQLite's file itself (WAL, its migrations, ":memory:") run on SQLite only.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from facilitate import store
from facilitate.core.events import FACILITATOR, SYSTEM, Event
from facilitate.store.sqlite import SQLite

from .conftest import INTEGRITY_ERRORS, sql

ROW = store.MeetingRow("123456", "k" * 64, "s" * 64, 1_700_000_000.0, "Folkemøte")
CREATED = Event(
    "meeting_created", {"code": "123456", "plan": {"title": {"nb": "x"}}}, SYSTEM, 1_700_000_000.0
)


def codes(db: store.Database) -> list[str]:
    """Every meeting's code, sorted."""
    return sorted(code for (code,) in sql(db, "SELECT code FROM meetings"))


def new_meeting(db: store.Database, code: str, at: float = 1.0) -> str:
    """Insert a meeting with this code (a writer job, or inside a transaction); the code."""
    db.insert_meeting(
        store.MeetingRow(code, "k", "s", at, code),
        Event("meeting_created", {"code": code}, SYSTEM, at),
    )
    return code


@pytest.fixture
def logged(db: store.Database) -> store.Database:
    """The database holding meeting ROW, with its first event."""
    with store.transaction(db):
        db.insert_meeting(ROW, CREATED)
    return db


# -- SQLite's file ------------------------------------------------------------------------------


def test_when_the_database_is_opened_twice_then_migrations_run_once(tmp_path: Path) -> None:
    path = tmp_path / "twice.db"
    first = store.open_database(path)
    assert isinstance(first, SQLite)
    tables = sorted(first.tables.table_names())
    with store.transaction(first):
        first.insert_meeting(ROW, CREATED)
    first.close()

    second = store.open_database(path)
    assert isinstance(second, SQLite)
    try:
        assert sorted(second.tables.table_names()) == tables
        assert {"meetings", "events"} <= set(tables)
        assert codes(second) == ["123456"]
        assert second.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert second.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        second.close()


def test_when_a_sqlite_url_is_given_then_it_opens_that_file(tmp_path: Path) -> None:
    db = store.open_database(f"sqlite://{tmp_path / 'url.db'}")
    try:
        assert isinstance(db, SQLite)
        assert (tmp_path / "url.db").exists()
    finally:
        db.close()


def test_when_opened_in_memory_then_it_works_without_wal() -> None:
    db = store.open_database(":memory:")
    try:
        with store.transaction(db):
            db.insert_meeting(ROW, CREATED)
        assert db.meeting("123456") == ROW
    finally:
        db.close()


def test_when_a_database_has_the_old_client_id_index_then_migrating_drops_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    database = store.open_database(path)
    assert isinstance(database, SQLite)
    database.conn.execute(
        "CREATE UNIQUE INDEX events_client_id ON events (meeting, actor, client_id) "
        "WHERE client_id IS NOT NULL"
    )
    database.conn.execute(
        "DELETE FROM _sqlite_migrations WHERE name = ?", ["m002_client_ids_checked_in_memory"]
    )
    database.close()
    reopened = store.open_database(path)
    try:
        names = [
            name for (name,) in sql(reopened, "SELECT name FROM sqlite_master WHERE type = 'index'")
        ]
        assert "events_client_id" not in names
    finally:
        reopened.close()


def test_when_a_file_is_not_a_database_then_opening_it_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"not a database, " * 512)
    with pytest.raises(store.Unreachable, match="notes.txt"):
        store.open_database(path)


# -- the log, on both ---------------------------------------------------------------------------


def test_when_events_are_appended_then_they_read_back_in_order(logged: store.Database) -> None:
    vote = Event("vote_cast", {"activity": "p", "choices": ["ja"]}, "abc", 1_700_000_001.5)
    note = Event(
        "note_posted", {"activity": "n", "note": "n1", "text": "Blåbær ☕"}, "abc", 1_700_000_002.0
    )
    shown = Event("activity_shown", {"activity": "p", "present": 3}, FACILITATOR, 1_700_000_000.5)
    with store.transaction(logged):
        logged.append("123456", [(2, shown, "c-1"), (3, vote, "p-1"), (4, note, None)])
    assert logged.events("123456") == [
        store.Logged(1, CREATED, None),
        store.Logged(2, shown, "c-1"),
        store.Logged(3, vote, "p-1"),
        store.Logged(4, note, None),
    ]
    assert logged.events("123456", after=2) == [
        store.Logged(3, vote, "p-1"),
        store.Logged(4, note, None),
    ]
    assert logged.events("654321") == []


def test_when_a_meeting_is_looked_up_then_its_row_comes_back_or_none(
    logged: store.Database,
) -> None:
    assert logged.meeting("123456") == ROW
    assert logged.meeting("000000") is None


def test_when_a_code_is_taken_then_inserting_it_again_raises_taken(logged: store.Database) -> None:
    with pytest.raises(store.Taken), store.transaction(logged):
        logged.insert_meeting(ROW, CREATED)
    assert codes(logged) == ["123456"]
    assert len(logged.events("123456")) == 1


def test_when_a_code_was_taken_then_the_same_transaction_can_draw_another(
    logged: store.Database,
) -> None:
    with store.transaction(logged):
        with pytest.raises(store.Taken):
            logged.insert_meeting(ROW, CREATED)
        new_meeting(logged, "222222")  # the transaction is still good (a savepoint on Postgres)
    assert codes(logged) == ["123456", "222222"]


def test_when_events_name_an_unknown_meeting_then_they_are_refused(db: store.Database) -> None:
    with pytest.raises(INTEGRITY_ERRORS), store.transaction(db):
        db.append("999999", [(1, CREATED, None)])
    assert db.events("999999") == []


def test_when_a_seq_is_used_twice_then_the_append_fails(logged: store.Database) -> None:
    with pytest.raises(INTEGRITY_ERRORS), store.transaction(logged):
        logged.append("123456", [(1, CREATED, None)])
    assert [x.seq for x in logged.events("123456")] == [1]


def test_when_events_carry_client_ids_then_they_read_back_with_them(
    logged: store.Database,
) -> None:
    vote = Event("vote_cast", {"activity": "p", "choices": ["ja"]}, "abc", 1.0)
    other = Event("vote_cast", {"activity": "p", "choices": ["nei"]}, "def", 2.0)
    with store.transaction(logged):
        logged.append("123456", [(2, vote, "same"), (3, other, "same"), (4, other, None)])
    assert [item.client_id for item in logged.events("123456")] == [None, "same", "same", None]


def test_when_a_client_id_repeats_in_another_meeting_then_it_is_fine(
    logged: store.Database,
) -> None:
    second = store.MeetingRow("654321", "k", "s", 1_800_000_000.0, "Annet")
    vote = Event("vote_cast", {"activity": "p", "choices": ["ja"]}, "abc", 1.0)
    with store.transaction(logged):
        logged.insert_meeting(second, CREATED)
        logged.append("123456", [(2, vote, "same")])
        logged.append("654321", [(2, vote, "same")])
    for code in ("123456", "654321"):
        assert logged.events(code)[-1].client_id == "same"


def _note(seq: int, actor: str = "p1") -> tuple[int, Event, str | None]:
    return (
        seq,
        Event("note_added", {"text": f"note {seq}"}, actor, 1_700_000_000.0 + seq),
        f"c{seq}",
    )


def test_when_hundreds_of_events_are_appended_at_once_then_all_read_back_exactly(
    logged: store.Database,
) -> None:
    rows = [_note(seq) for seq in range(2, 2 + 343)]  # 256 + 64 + 16 + 4 + 3: every shape
    with store.transaction(logged):
        logged.append(ROW.code, rows)
    assert [(x.seq, x.event, x.client_id) for x in logged.events(ROW.code)[1:]] == rows


def test_when_appends_are_written_together_then_each_meeting_gets_its_rows(
    logged: store.Database,
) -> None:
    with store.transaction(logged):
        new_meeting(logged, "654321")
        logged.append_all(
            [
                store.Append(ROW.code, [_note(2), _note(3)]),
                store.Append("654321", [_note(2)]),
                store.Append(ROW.code, [_note(4)]),
            ]
        )
    assert [x.seq for x in logged.events(ROW.code)] == [1, 2, 3, 4]
    assert [x.event for x in logged.events("654321")[1:]] == [_note(2)[1]]


def test_when_one_append_of_many_is_refused_then_none_is_written(logged: store.Database) -> None:
    with pytest.raises(RuntimeError, match="earlier write"), store.transaction(logged):
        logged.append_all(
            [
                store.Append(ROW.code, [_note(2)]),
                store.Append(ROW.code, [_note(3)], refuse=lambda: True),
            ]
        )
    assert [x.seq for x in logged.events(ROW.code)] == [1]


def test_when_a_meeting_is_deleted_then_its_row_and_log_are_gone(logged: store.Database) -> None:
    with store.transaction(logged):
        new_meeting(logged, "654321")
        logged.append(ROW.code, [_note(2)])
    with store.transaction(logged):
        assert logged.delete_meeting(ROW.code) is True
        assert logged.delete_meeting("000000") is False
    assert logged.meeting(ROW.code) is None
    assert logged.events(ROW.code) == []
    assert codes(logged) == ["654321"]
    with store.transaction(logged):
        logged.insert_meeting(ROW, CREATED)  # the code may be drawn again
    assert [x.seq for x in logged.events(ROW.code)] == [1]


def test_when_meetings_go_quiet_then_idle_since_names_only_those(db: store.Database) -> None:
    with store.transaction(db):
        new_meeting(db, "111111", at=100.0)
        new_meeting(db, "222222", at=100.0)
        db.append("222222", [(2, Event("note_added", {"text": "late"}, "p1", 500.0), None)])
    assert db.idle_since(300.0) == ["111111"]
    assert sorted(db.idle_since(600.0)) == ["111111", "222222"]
    assert db.idle_since(50.0) == []


def test_when_rows_are_deleted_then_compacting_keeps_the_rest(logged: store.Database) -> None:
    with store.transaction(logged):
        new_meeting(logged, "654321")
        logged.append("654321", [_note(seq) for seq in range(2, 200)])
    with store.transaction(logged):
        logged.delete_meeting("654321")
    logged.compact()  # outside a transaction: VACUUM may not run in one
    assert logged.size() > 0
    assert codes(logged) == ["123456"]
    assert logged.events(ROW.code) == [store.Logged(1, CREATED, None)]


def test_when_pinged_then_an_open_database_answers_and_a_closed_one_raises(
    db: store.Database,
) -> None:
    db.ping()  # /healthz's round trip
    db.close()
    with pytest.raises((sqlite3.ProgrammingError, psycopg.OperationalError)):
        db.ping()


# -- the writer, on both ------------------------------------------------------------------------


@pytest.fixture
def writer(db: store.Database) -> Iterator[store.Writer]:
    running = store.Writer(db)
    try:
        yield running
    finally:
        running.close()


def _gate() -> tuple[threading.Event, Callable[[store.Database], str]]:
    """A job that holds the writer thread until the test lets it go."""
    gate = threading.Event()

    def hold(db: store.Database) -> str:
        assert gate.wait(5), "the test never opened the gate"
        return "held"

    return gate, hold


@pytest.mark.asyncio
async def test_when_many_jobs_wait_then_the_writer_commits_them_together(
    writer: store.Writer,
) -> None:
    gate, hold = _gate()
    blocker = asyncio.ensure_future(writer.run(hold))
    await asyncio.sleep(0)  # queued: the writer thread is now busy with it
    jobs = [
        asyncio.ensure_future(writer.run(lambda db, i=i: new_meeting(db, f"{i:06d}") and i))
        for i in range(100)
    ]
    await asyncio.sleep(0)  # all of them queued behind the blocker
    gate.set()
    assert await blocker == "held"
    assert await asyncio.gather(*jobs) == list(range(100))
    assert 1 <= writer.commits <= 2 < len(jobs)
    assert await writer.run(lambda db: sql(db, "SELECT count(*) FROM meetings")) == [(100,)]


@pytest.mark.asyncio
async def test_when_one_job_fails_then_the_others_still_commit(writer: store.Writer) -> None:
    gate, hold = _gate()

    def half_then_fail(db: store.Database) -> None:
        new_meeting(db, "bad")
        raise ValueError("changed my mind")

    blocker = asyncio.ensure_future(writer.run(hold))
    await asyncio.sleep(0)
    first = asyncio.ensure_future(writer.run(lambda db: new_meeting(db, "a")))
    failing = asyncio.ensure_future(writer.run(half_then_fail))
    duplicate = asyncio.ensure_future(writer.run(lambda db: new_meeting(db, "a")))
    last = asyncio.ensure_future(writer.run(lambda db: new_meeting(db, "b")))
    await asyncio.sleep(0)
    gate.set()
    await blocker
    assert await first == "a"
    with pytest.raises(ValueError, match="changed my mind"):
        await failing
    with pytest.raises(store.Taken):
        await duplicate
    assert await last == "b"
    assert await writer.run(codes) == ["a", "b"]  # "bad" was rolled back with its job
    assert await writer.run(lambda db: db.events("bad")) == []


@pytest.mark.asyncio
async def test_when_a_job_reads_then_it_gets_its_result(writer: store.Writer) -> None:
    assert await writer.run(lambda db: sql(db, "SELECT 6 * 7")) == [(42,)]
    assert writer.commits == 1


@pytest.mark.asyncio
async def test_when_the_writer_closes_then_queued_jobs_finish_first(db: store.Database) -> None:
    running = store.Writer(db)
    gate, hold = _gate()
    blocker = asyncio.ensure_future(running.run(hold))
    await asyncio.sleep(0)
    futures = [
        asyncio.ensure_future(running.run(lambda db, c=c: new_meeting(db, c)))
        for c in ("x", "y", "z")
    ]
    await asyncio.sleep(0)
    gate.set()
    running.close()  # waits for the queue to drain, then stops the thread
    assert not running._thread.is_alive()
    assert await blocker == "held"
    assert await asyncio.gather(*futures) == ["x", "y", "z"]
    assert codes(db) == ["x", "y", "z"]


@pytest.mark.asyncio
async def test_when_appends_share_a_transaction_then_they_are_written_together_in_order(
    writer: store.Writer,
) -> None:
    await writer.run(lambda db: db.insert_meeting(ROW, CREATED))
    gate, hold = _gate()
    blocker = asyncio.ensure_future(writer.run(hold))
    await asyncio.sleep(0)
    commits = writer.commits
    appended = [writer.submit(store.Append(ROW.code, [_note(seq)])) for seq in range(2, 302)]
    gate.set()
    await blocker
    assert await asyncio.gather(*appended) == [None] * 300
    assert writer.commits - commits <= 2
    logged = await writer.run(lambda db: db.events(ROW.code))
    assert [x.seq for x in logged] == list(range(1, 302))


@pytest.mark.asyncio
async def test_when_one_append_of_a_batch_fails_then_only_it_fails(writer: store.Writer) -> None:
    await writer.run(lambda db: db.insert_meeting(ROW, CREATED))
    gate, hold = _gate()
    blocker = asyncio.ensure_future(writer.run(hold))
    await asyncio.sleep(0)
    failed: list[int] = []
    first = writer.submit(store.Append(ROW.code, [_note(2)]))
    taken = writer.submit(store.Append(ROW.code, [_note(2)]), on_fail=lambda: failed.append(2))
    refused = writer.submit(store.Append(ROW.code, [_note(3)], refuse=lambda: True))
    last = writer.submit(store.Append(ROW.code, [_note(4)]))
    gate.set()
    await blocker
    assert await first is None and await last is None
    with pytest.raises(INTEGRITY_ERRORS):
        await taken  # seq 2 is the first append's
    with pytest.raises(RuntimeError, match="earlier write"):
        await refused
    assert failed == [2]
    logged = await writer.run(lambda db: db.events(ROW.code))
    assert [x.seq for x in logged] == [1, 2, 4]


@pytest.mark.asyncio
async def test_when_writes_stream_in_then_a_commit_waits_a_moment_to_take_more(
    writer: store.Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counts commits exactly on both databases: whether a commit gathers is the writer's own
    # decision (STREAM_GAP and GATHER_SECONDS, made generous here), not the database's speed.
    monkeypatch.setattr(store, "GATHER_SECONDS", 0.5)  # generous: a slow machine still gathers
    monkeypatch.setattr(store, "STREAM_GAP", 60.0)
    await writer.run(lambda db: db.insert_meeting(ROW, CREATED))
    await writer.submit(store.Append(ROW.code, [_note(2)]))
    assert writer.commits == 2  # one at a time: each committed at once
    gate, hold = _gate()
    blocker = asyncio.ensure_future(writer.run(hold))
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
    logged = await writer.run(lambda db: db.events(ROW.code))
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
    db: store.Database,
) -> None:
    closing = store.Writer(db)
    future = closing.submit(lambda db: sql(db, "CREATE TABLE late (x integer)") or "done")
    closing.close()  # before the loop's turn ends: the job must not be lost
    assert await future == "done"
    assert sql(db, "SELECT count(*) FROM late") == [(0,)]


@pytest.mark.asyncio
async def test_when_one_long_turn_queues_very_many_jobs_then_the_thread_gets_them_in_chunks(
    writer: store.Writer,
) -> None:
    before = writer.handovers
    count = 3 * store.HAND_OVER_AT + 10
    futures = [writer.submit(lambda db, i=i: i) for i in range(count)]
    # Three full chunks went to the thread during the turn (its commits overlap the rest of
    # the turn); the rest at its end.
    assert writer.handovers == before + 3
    assert await asyncio.gather(*futures) == list(range(count))  # in order, all of them
    assert writer.handovers == before + 4
