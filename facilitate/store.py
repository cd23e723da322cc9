"""The meeting log in SQLite: named migrations, append-only events, one writer thread.

Every input is an event row; nothing is updated or deleted while a meeting lives. Writes go
through one thread that batches whatever is waiting into one transaction (group commit) and only
then resolves the callers' futures, so an `ack` always means "on disk".
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from facilitate import codec
from facilitate.core.events import Event

T = TypeVar("T")
migrations = Migrations("facilitate")


@migrations()
def m001_meetings_and_events(db: Database) -> None:
    db.table("meetings").create(
        {"code": str, "key_hash": str, "screen_hash": str, "created_at": float, "title": str},
        pk="code",
    )
    db.table("events").create(
        {
            "meeting": str,
            "seq": int,
            "at": float,
            "actor": str,
            "type": str,
            "data": str,
            "client_id": str,
        },
        pk=("meeting", "seq"),
        foreign_keys=[("meeting", "meetings", "code")],
    )
    # A client's command id is applied once. (This index checked it too, until m002.)
    db.execute(
        "CREATE UNIQUE INDEX events_client_id ON events (meeting, actor, client_id) "
        "WHERE client_id IS NOT NULL"
    )


@migrations()
def m002_client_ids_checked_in_memory(db: Database) -> None:
    """Drop the unique index on (meeting, actor, client_id).

    "Applied once" is decided where a command is applied: the live meeting keeps every client
    id it has applied, rebuilt from this log whenever the meeting is loaded, and a resend gets
    the first delivery's answer (facilitate.meetings). The index only repeated that check, at a
    price: its keys arrive in random order, so each commit rewrote pages all over it, 5-10 us
    of a ~90 us input at 10,000 inputs a second. Two writers on one log still cannot both
    succeed: each event's (meeting, seq) is the primary key.
    """
    db.execute("DROP INDEX IF EXISTS events_client_id")


@migrations()
def m003_processes(db: Database) -> None:
    """Processes (a citizen promise's meetings and follow-up) with an event log of their own."""
    db.table("processes").create(
        {"id": str, "key_hash": str, "created_at": float, "title": str}, pk="id"
    )
    db.table("process_events").create(
        {"process": str, "seq": int, "at": float, "type": str, "data": str},
        pk=("process", "seq"),
        foreign_keys=[("process", "processes", "id")],
    )


def open_db(path: str | Path) -> Database:
    """Open (creating and migrating if needed) the database at `path`; ":memory:" for tests."""
    # One connection, used by one thread at a time: the Writer's (reads go through it too).
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    db = Database(conn)
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed vote survives a power cut, not just a killed process.
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    migrations.apply(db)
    return db


@dataclass(frozen=True)
class MeetingRow:
    """What the meetings table holds about one meeting: never its keys, only their hashes."""

    code: str
    key_hash: str
    screen_hash: str
    created_at: float
    title: str


def insert_meeting(db: Database, row: MeetingRow, created: Event) -> None:
    """Create a meeting with its first event. Raises sqlite3.IntegrityError if the code is taken."""
    db.execute(
        "INSERT INTO meetings (code, key_hash, screen_hash, created_at, title) "
        "VALUES (?, ?, ?, ?, ?)",
        [row.code, row.key_hash, row.screen_hash, row.created_at, row.title],
    )
    append(db, row.code, [(1, created, None)])


def append(db: Database, code: str, rows: Iterable[tuple[int, Event, str | None]]) -> None:
    """Append events (seq, event, client id) to a meeting's log."""
    _insert_events(db.conn, [_event_row(code, seq, e, client_id) for seq, e, client_id in rows])


@dataclass(frozen=True)
class Append:
    """A writer job that appends events (seq, event, client id) to a meeting's log, unless
    `refuse()` says an earlier write of that meeting failed. Consecutive appends in one
    transaction are written with a few multi-row statements, not a statement per job: each
    statement lets go of the GIL and has to win it back from a busy event loop."""

    code: str
    rows: list[tuple[int, Event, str | None]]
    refuse: Callable[[], bool] = bool  # () -> False

    def __call__(self, db: Database) -> None:
        append_all(db, [self])


def append_all(db: Database, jobs: list[Append]) -> None:
    """Run appends as one: all of their rows, or (raising) none."""
    values: list[tuple[Any, ...]] = []
    for job in jobs:
        if job.refuse():
            raise RuntimeError(f"an earlier write of meeting {job.code} failed")
        values.extend(_event_row(job.code, seq, e, client_id) for seq, e, client_id in job.rows)
    _insert_events(db.conn, values)


_EVENT_COLUMNS = "INSERT INTO events (meeting, seq, at, actor, type, data, client_id) VALUES "
_CHUNKS = (256, 64, 16, 4, 1)  # rows per statement: few statement shapes, few statements
_INSERTS = {n: _EVENT_COLUMNS + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * n) for n in _CHUNKS}


def _event_row(code: str, seq: int, e: Event, client_id: str | None) -> tuple[Any, ...]:
    data = codec.encode(e.data)
    return (code, seq, e.at, e.actor, e.type, data, client_id)


def _insert_events(conn: sqlite3.Connection, values: list[tuple[Any, ...]]) -> None:
    start = 0
    for size in _CHUNKS:
        statement = _INSERTS[size]
        while len(values) - start >= size:
            chunk = values[start : start + size]
            conn.execute(statement, [v for row in chunk for v in row])
            start += size


def size(db: Database) -> int:
    """How many bytes the database takes (its pages, free ones included)."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    return int(pages) * int(page_size)


def meeting(db: Database, code: str) -> MeetingRow | None:
    """The meeting with this code, or None."""
    rows = list(db.query("SELECT * FROM meetings WHERE code = ?", [code]))
    return MeetingRow(**rows[0]) if rows else None


def delete_meeting(db: Database, code: str) -> bool:
    """Remove a meeting and its whole log for good. True if there was one."""
    db.execute("DELETE FROM events WHERE meeting = ?", [code])
    return db.execute("DELETE FROM meetings WHERE code = ?", [code]).rowcount > 0


def idle_since(db: Database, before: float) -> list[str]:
    """Codes of meetings with no event at or after `before` (seconds since the epoch)."""
    return [
        r["meeting"]
        for r in db.query(
            "SELECT meeting, MAX(at) AS last FROM events GROUP BY meeting HAVING last < ?",
            [before],
        )
    ]


@dataclass(frozen=True)
class Logged:
    """An event as stored: its place in the log and the client id it answered, if any."""

    seq: int
    event: Event
    client_id: str | None


def events(db: Database, code: str) -> list[Logged]:
    """A meeting's whole log, in order."""
    return [
        Logged(
            r["seq"], Event(r["type"], codec.loads(r["data"]), r["actor"], r["at"]), r["client_id"]
        )
        for r in db.query("SELECT * FROM events WHERE meeting = ? ORDER BY seq", [code])
    ]


GATHER_SECONDS = 0.005  # how long a commit in a stream of writes waits for more jobs
STREAM_GAP = 0.05  # a commit this soon after the last one is part of a stream


class Writer:
    """The one thread that writes. Jobs queued while a transaction commits share the next one.

    `await writer.run(fn)` runs `fn(db)` inside a transaction and returns its result after the
    commit. Reads go through it too, so the one connection is only ever used by this thread.
    A job that raises fails alone: the batch is then retried a transaction per job, and the
    others still commit. `Append` jobs, the live path's, are merged into few statements.
    """

    def __init__(self, db: Database, max_batch: int = 2000) -> None:
        self.db = db
        self.max_batch = max_batch
        # Jobs reach the thread a list at a time: everything one turn of the event loop queued.
        self._jobs: queue.SimpleQueue[list[_Job] | None] = queue.SimpleQueue()
        self._waiting: list[_Job] = []  # queued in this turn of `_waiting_loop`
        self._waiting_loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()  # for tests, whose loops may run in two threads at once
        self._thread = threading.Thread(target=self._loop, name="facilitate-writer", daemon=True)
        self._thread.start()
        self.commits = 0
        self.handovers = 0  # lists of jobs handed to the thread

    async def run(
        self, fn: Callable[[Database], T], on_fail: Callable[[], None] | None = None
    ) -> T:
        """Run `fn(db)` in the next transaction and return its result after the commit."""
        return await self.submit(fn, on_fail)

    def submit(
        self, fn: Callable[[Database], T], on_fail: Callable[[], None] | None = None
    ) -> asyncio.Future[T]:
        """Queue `fn(db)` for the next transaction: a future of its result after the commit.
        `on_fail` runs in the writer thread, at once, if the job or its commit fails (before
        any later job can run). Jobs commit, and their futures resolve, in the order queued."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._lock:
            if loop is not self._waiting_loop:
                self._give(self._waiting)  # another loop's jobs (tests run several) go first
                self._waiting, self._waiting_loop = [], loop
            if not self._waiting:
                loop.call_soon(self._hand_over)
            self._waiting.append(_Job(fn, future, loop, on_fail))
        return future

    def _hand_over(self) -> None:
        """Give the thread every job queued since the last hand-over, as one list.

        A flood of inputs queues hundreds of jobs in one turn of the event loop. Handed over
        one by one, each would wake the thread, and the thread would take the only core and
        the GIL from the event loop for a moment: 34,000 such switches in a 40,000-note bench
        run. Handed over once a turn, the thread wakes once for all of them."""
        with self._lock:
            waiting, self._waiting = self._waiting, []
        self._give(waiting)

    def _give(self, jobs: list[_Job]) -> None:
        if jobs:
            self.handovers += 1
            self._jobs.put(jobs)

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        self._hand_over()
        self._jobs.put(None)
        self._thread.join()

    def _transact(self, batch: list[_Job]) -> list[tuple[bool, Any]]:
        """Run a batch in one transaction. If anything fails, run each job in a transaction
        of its own, so one bad job fails alone (the rare path; the common one has no
        per-job savepoints to pay for)."""
        try:
            outcomes = _run_all(self.db, batch)
            self.commits += 1
            return outcomes
        except Exception as exc:  # handed to the callers waiting for these jobs
            if len(batch) == 1:
                _failed(batch[0])
                return [(False, exc)]
        outcomes = []
        for job in batch:  # in order: a job's on_fail can stop the jobs after it
            try:
                outcomes.extend(_run_all(self.db, [job]))
                self.commits += 1
            except Exception as exc:
                _failed(job)
                outcomes.append((False, exc))
        return outcomes

    def _loop(self) -> None:
        last_commit, last_size = float("-inf"), 0
        while True:
            jobs = self._jobs.get()
            if jobs is None:
                return
            batch = list(jobs)
            # When writes come from many clients at once (the last commit, a moment ago, took
            # several), wait a few milliseconds for more: each commit costs an fsync and
            # rewrites the same pages, and a stream of tiny commits spends more on that than on
            # the rows. A lone write (a vote in a quiet hall, one client waiting for each ack)
            # is committed at once.
            gather = last_size > 1 and time.monotonic() - last_commit < STREAM_GAP
            deadline = time.monotonic() + GATHER_SECONDS
            stop = False
            while len(batch) < self.max_batch:
                try:
                    if gather:
                        more = self._jobs.get(timeout=max(0.0, deadline - time.monotonic()))
                    else:
                        more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.extend(more)
            self._commit(batch)
            last_commit, last_size = time.monotonic(), len(batch)
            if stop:
                return

    def _commit(self, batch: list[_Job]) -> None:
        outcomes = self._transact(batch)
        # One wake-up per event loop for the whole batch, not one per job.
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Job, bool, Any]]] = {}
        for job, (ok, value) in zip(batch, outcomes, strict=True):
            by_loop.setdefault(job.loop, []).append((job, ok, value))
        for loop, settled in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle_all, settled)
            except RuntimeError:  # that loop has closed: nobody is waiting any more
                pass


def _failed(job: _Job) -> None:
    if job.on_fail is not None:
        job.on_fail()


def _run_all(db: Database, batch: list[_Job]) -> list[tuple[bool, Any]]:
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        results: list[tuple[bool, Any]] = []
        appends: list[Append] = []
        for job in batch:
            if isinstance(job.fn, Append):
                appends.append(job.fn)  # written together, before the next other job
                results.append((True, None))
                continue
            if appends:
                append_all(db, appends)
                appends = []
            results.append((True, job.fn(db)))
        if appends:
            append_all(db, appends)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return results


def _settle_all(settled: list[tuple[_Job, bool, Any]]) -> None:
    for job, ok, value in settled:
        job.settle(ok, value)


@dataclass
class _Job:
    fn: Callable[[Database], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop
    on_fail: Callable[[], None] | None = None

    def settle(self, ok: bool, value: Any) -> None:
        if self.future.done():
            return
        if ok:
            self.future.set_result(value)
        else:
            self.future.set_exception(value)


# -- processes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessRow:
    """What the processes table holds about one process: never its key, only the hash."""

    id: str
    key_hash: str
    created_at: float
    title: str


def insert_process(db: Database, row: ProcessRow, created: Event) -> None:
    """Create a process with its first event. Raises sqlite3.IntegrityError if the id is taken."""
    db.execute(
        "INSERT INTO processes (id, key_hash, created_at, title) VALUES (?, ?, ?, ?)",
        [row.id, row.key_hash, row.created_at, row.title],
    )
    append_process(db, row.id, 1, [created])


def process(db: Database, process_id: str) -> ProcessRow | None:
    """The process with this id, or None."""
    rows = list(db.query("SELECT * FROM processes WHERE id = ?", [process_id]))
    return ProcessRow(**rows[0]) if rows else None


def process_events(db: Database, process_id: str) -> list[Event]:
    """A process's whole log, in order."""
    return [
        Event(r["type"], codec.loads(r["data"]), "organiser", r["at"])
        for r in db.query(
            "SELECT * FROM process_events WHERE process = ? ORDER BY seq", [process_id]
        )
    ]


def append_process(db: Database, process_id: str, first_seq: int, events: list[Event]) -> None:
    """Append events to a process's log, numbered from `first_seq`."""
    for seq, e in enumerate(events, start=first_seq):
        db.execute(
            "INSERT INTO process_events (process, seq, at, type, data) VALUES (?, ?, ?, ?, ?)",
            [process_id, seq, e.at, e.type, codec.encode(e.data)],
        )


def process_of(db: Database, code: str) -> str | None:
    """The process a meeting has joined, if any (a meeting joins at most one). A process that
    held an earlier meeting under the same code (deleted since) does not count."""
    row = db.execute(
        "SELECT e.process FROM process_events e JOIN meetings m "
        "ON m.code = json_extract(e.data, '$.meeting') "
        # A time read back from JSON text may differ in its last bit: near enough is the same.
        "AND ABS(m.created_at - json_extract(e.data, '$.created')) < 0.001 "
        "WHERE e.type = 'meeting_joined' AND m.code = ? LIMIT 1",
        [code],
    ).fetchone()
    return None if row is None else str(row[0])
