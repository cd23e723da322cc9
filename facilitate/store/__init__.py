"""The meeting log: append-only events, one writer thread, two databases behind one interface.

Every input is an event row; nothing is updated or deleted while a meeting lives. Writes go
through one thread that batches whatever is waiting into one transaction (group commit) and only
then settles the callers' futures (or, on the live path, their `Written`s: a lighter kind), so
an `ack` always means "on disk".

The database is SQLite (facilitate.store.sqlite: a file, the default, one server) or PostgreSQL
(facilitate.store.postgres: cluster mode, docs/cluster.md). Both offer the same methods
(`Database`), and the same tests run against both (tests/store/). A job is a function of the
database, run by the writer inside a transaction: `await writer.run(lambda db: db.events(code))`.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from facilitate.core.events import Event, record

T = TypeVar("T")


class Taken(Exception):
    """A new meeting's code or a new process's id is in use already: draw another."""


class LeaseLost(Exception):
    """A write for a meeting this server no longer owns (cluster mode): another node took it."""


class Unreachable(Exception):
    """The database cannot be opened or reached; the message says which and why."""


@dataclass(frozen=True)
class MeetingRow:
    """What the meetings table holds about one meeting: never its keys, only their hashes."""

    code: str
    key_hash: str
    screen_hash: str
    created_at: float
    title: str


@dataclass(frozen=True)
class ProcessRow:
    """What the processes table holds about one process: never its key, only the hash."""

    id: str
    key_hash: str
    created_at: float
    title: str


@dataclass(frozen=True)
class Logged:
    """An event as stored: its place in the log and the client id it answered, if any."""

    seq: int
    event: Event
    client_id: str | None


@dataclass(frozen=True)
class Fence:
    """The lease a write is made under (cluster mode): written only while `node` still holds
    the meeting's lease with this `token`, so an owner that lost it (a zombie) writes nothing."""

    node: str
    token: int


@record
class Append:
    """A writer job that appends events (seq, event, client id) to a meeting's log, unless
    `refuse()` says an earlier write of that meeting failed. Consecutive appends in one
    transaction are written with a few multi-row statements, not a statement per job: each
    statement lets go of the GIL and has to win it back from a busy event loop."""

    code: str
    rows: list[tuple[int, Event, str | None]]
    refuse: Callable[[], bool] = bool  # () -> False
    fence: Fence | None = None

    def __call__(self, db: Database) -> None:
        db.append_all([self])


class Database(Protocol):
    """What the writer and the server ask of a database. Every method runs in the writer's
    thread, inside the transaction the writer began."""

    url: str  # where it is, for messages (no password)
    reconnects: int  # connections made again after one was lost (for /metrics)

    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...
    def compact(self) -> None:
        """Give the space of deleted rows back (outside a transaction)."""

    def ping(self) -> None:
        """A round trip to the database (for /healthz). Raises if it does not answer."""

    def insert_meeting(self, row: MeetingRow, created: Event) -> None:
        """Create a meeting with its first event. Raises Taken if the code is in use."""

    def append(self, code: str, rows: list[tuple[int, Event, str | None]]) -> None:
        """Append events (seq, event, client id) to a meeting's log."""

    def append_all(self, jobs: list[Append]) -> None:
        """Run appends as one: all of their rows, or (raising) none. Raises LeaseLost when a
        job's fence no longer holds."""

    def meeting(self, code: str) -> MeetingRow | None:
        """The meeting with this code, or None."""

    def events(self, code: str, after: int = 0) -> list[Logged]:
        """A meeting's log in order, from the event after seq `after`."""

    def delete_meeting(self, code: str) -> bool:
        """Remove a meeting and its whole log for good. True if there was one."""

    def idle_since(self, before: float) -> list[str]:
        """Codes of meetings with no event at or after `before` (seconds since the epoch)."""

    def size(self) -> int:
        """How many bytes the database takes."""

    def insert_process(self, row: ProcessRow, created: Event) -> None:
        """Create a process with its first event. Raises Taken if the id is in use."""

    def process(self, process_id: str) -> ProcessRow | None:
        """The process with this id, or None."""

    def process_events(self, process_id: str) -> list[Event]:
        """A process's whole log, in order."""

    def append_process(self, process_id: str, first_seq: int, events: list[Event]) -> None:
        """Append events to a process's log, numbered from `first_seq`."""

    def lock_process(self, process_id: str) -> None:
        """Hold the process until this transaction ends: servers sharing the database decide
        its commands one at a time (its log's next seq is read, then written)."""

    def process_of(self, code: str) -> str | None:
        """The process a meeting has joined, if any. A process that held an earlier meeting
        under the same code (deleted since) does not count."""


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[None]:
    """Run a block in one transaction of `db`, outside the writer (the command line's tools)."""
    db.begin()
    try:
        yield
    except BaseException:
        db.rollback()
        raise
    db.commit()


class Reads(Protocol):
    """Reads of a meeting's log that need no transaction with a write: a record's export, a
    copy of a meeting catching up (cluster mode). On SQLite they go through the writer; on
    PostgreSQL through a small async pool, so a long read never holds up a commit."""

    async def events(self, code: str, after: int = 0) -> list[Logged]: ...
    async def close(self) -> None: ...


class WriterReads:
    """Reads through the writer thread's connection (SQLite's only one)."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer

    async def events(self, code: str, after: int = 0) -> list[Logged]:
        return await self.writer.run(lambda db: db.events(code, after))

    async def close(self) -> None:
        """Nothing of its own to close: the writer is closed by its owner."""


def open_database(where: str | Path) -> Database:
    """The database at `where`: a file path (SQLite, made and migrated if new), ":memory:",
    `sqlite:///path`, or `postgresql://user@host:port/name` (migrated on open).

    Raises:
        Unreachable: it cannot be opened, or its URL has a scheme we do not know.
    """
    text = str(where)
    scheme, sep, rest = text.partition("://")
    if not sep:
        from facilitate.store.sqlite import SQLite

        return SQLite.open(text)
    if scheme == "sqlite":
        from facilitate.store.sqlite import SQLite

        return SQLite.open(rest)
    if scheme in ("postgresql", "postgres"):
        from facilitate.store.postgres import Postgres

        return Postgres.open(text)
    raise Unreachable(
        f"unknown database URL scheme {scheme + '://'!r}: give a file path, "
        "sqlite:///path/to/file.db or postgresql://user@host:port/name"
    )


# Jobs queued in one turn of the event loop before the thread gets them anyway. A flood of notes
# is read in one long turn (the loop reads every socket that has data before it runs anything
# else); handed over only at its end, the commits and their fsyncs waited until then, and the
# core sat idle while they ran.
HAND_OVER_AT = 500
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
        self._jobs: queue.SimpleQueue[list[Job] | None] = queue.SimpleQueue()
        self._waiting: list[Job] = []  # queued in this turn of `_waiting_loop`
        self._waiting_loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()  # for tests, whose loops may run in two threads at once
        # Commits done, waiting to be settled on their loops (see settle_ready).
        self._finished: dict[asyncio.AbstractEventLoop, collections.deque[_Settled]] = {}
        self._settling: set[asyncio.AbstractEventLoop] = set()  # loops settling just now
        self._thread = threading.Thread(target=self._loop, name="facilitate-writer", daemon=True)
        self._thread.start()
        self.commits = 0
        self.handovers = 0  # lists of jobs handed to the thread
        self.commit_seconds = 0.0  # time spent in transactions, for /metrics
        self.last_commit = 0.0  # how long the last transaction took
        # What the jobs of one commit settle inside, on their event loop (the server holds
        # back the acks they send, to write each connection's at once: hub.corked).
        self.settling: Callable[[], contextlib.AbstractContextManager[object]] = (
            contextlib.nullcontext
        )

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
        self._enqueue(_Job(fn, future, loop, on_fail), loop)
        return future

    def queue(self, written: W) -> W:
        """Queue a `Written` (the live path's lighter future: see there) for the next
        transaction, and return it; it settles, in order with every other job, after the
        commit."""
        loop = asyncio.get_running_loop()
        written.loop = loop
        self._enqueue(written, loop)
        return written

    def _enqueue(self, job: Job, loop: asyncio.AbstractEventLoop) -> None:
        with self._lock:
            if loop is not self._waiting_loop:
                self._give(self._waiting)  # another loop's jobs (tests run several) go first
                self._waiting, self._waiting_loop = [], loop
            if not self._waiting:
                loop.call_soon(self._hand_over)
            self._waiting.append(job)
            if len(self._waiting) >= HAND_OVER_AT:
                self._give(self._waiting)
                self._waiting = []

    def _hand_over(self) -> None:
        """Give the thread every job queued since the last hand-over, as one list.

        A flood of inputs queues hundreds of jobs in one turn of the event loop. Handed over
        one by one, each would wake the thread, and the thread would take the only core and
        the GIL from the event loop for a moment: 34,000 such switches in a 40,000-note bench
        run. Handed over once a turn, the thread wakes once for all of them, or once every
        HAND_OVER_AT jobs in a long turn."""
        with self._lock:
            waiting, self._waiting = self._waiting, []
        self._give(waiting)

    def _give(self, jobs: list[Job]) -> None:
        if jobs:
            self.handovers += 1
            self._jobs.put(jobs)

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        self._hand_over()
        self._jobs.put(None)
        self._thread.join()

    def _transact(self, batch: list[Job]) -> list[tuple[bool, Any]]:
        """Run a batch in one transaction. If anything fails, run each job in a transaction
        of its own, so one bad job fails alone (the rare path; the common one has no
        per-job savepoints to pay for)."""
        try:
            outcomes = self._timed(batch)
            return outcomes
        except Exception as exc:  # handed to the callers waiting for these jobs
            if len(batch) == 1:
                _failed(batch[0])
                return [(False, exc)]
        outcomes = []
        for job in batch:  # in order: a job's on_fail can stop the jobs after it
            try:
                outcomes.extend(self._timed([job]))
            except Exception as exc:
                _failed(job)
                outcomes.append((False, exc))
        return outcomes

    def _timed(self, batch: list[Job]) -> list[tuple[bool, Any]]:
        started = time.perf_counter()
        outcomes = _run_all(self.db, batch)
        self.last_commit = time.perf_counter() - started
        self.commit_seconds += self.last_commit
        self.commits += 1
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

    def _commit(self, batch: list[Job]) -> None:
        outcomes = self._transact(batch)
        # One wake-up per event loop for the whole batch, not one per job.
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[Job, bool, Any]]] = {}
        for job, (ok, value) in zip(batch, outcomes, strict=True):
            by_loop.setdefault(job.loop, []).append((job, ok, value))
        for loop, settled in by_loop.items():
            with self._lock:
                self._finished.setdefault(loop, collections.deque()).append(settled)
            try:
                loop.call_soon_threadsafe(self._settle_finished, loop)
            except RuntimeError:  # that loop has closed: nobody is waiting any more
                with self._lock:
                    self._finished.pop(loop, None)

    def settle_ready(self) -> None:
        """Settle the commits the thread has finished for this event loop now, rather than
        when the loop next turns. The loop reads a flood of inputs in one long turn; called
        between two inputs, this sends the acks of the inputs already committed then, and an
        input's objects are let go a moment after its commit, not at the end of the turn."""
        if self._finished:  # (empty but for a moment after each commit)
            self._settle_finished(asyncio.get_running_loop())

    def _settle_finished(self, loop: asyncio.AbstractEventLoop) -> None:
        """Settle this loop's finished commits, in the order they were committed (whichever
        of settle_ready and the call the thread scheduled comes first)."""
        if loop in self._settling:
            return  # a follow-up of a commit being settled: that one goes on with the rest
        self._settling.add(loop)
        try:
            while True:
                with self._lock:
                    finished = self._finished.get(loop)
                    if not finished:
                        self._finished.pop(loop, None)
                        return
                    settled = finished.popleft()
                _settle_all(settled, self.settling)
        finally:
            self._settling.discard(loop)


def _failed(job: Job) -> None:
    if job.on_fail is not None:
        job.on_fail()


def _run_all(db: Database, batch: list[Job]) -> list[tuple[bool, Any]]:
    db.begin()
    try:
        results: list[tuple[bool, Any]] = []
        appends: list[Append] = []
        for job in batch:
            if isinstance(job.fn, Append):
                appends.append(job.fn)  # written together, before the next other job
                results.append((True, None))
                continue
            if appends:
                db.append_all(appends)
                appends = []
            results.append((True, job.fn(db)))
        if appends:
            db.append_all(appends)
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return results


_Settled = list[tuple["Job", bool, Any]]  # a commit's jobs, each with its outcome


def _settle_all(
    settled: _Settled,
    inside: Callable[[], contextlib.AbstractContextManager[object]],
) -> None:
    with inside():
        for job, ok, value in settled:
            try:
                job.settle(ok, value)
            except Exception as exc:  # a bug in one job's follow-up must not keep the rest waiting
                job.loop.call_exception_handler(
                    {"message": "settling a write failed", "exception": exc}
                )


class Job(Protocol):
    """What the writer queues: a function of the database, the loop to settle it on, what to
    do at once (in the writer thread) if it fails, and how it settles (on its loop)."""

    @property
    def fn(self) -> Callable[[Database], Any]: ...
    @property
    def loop(self) -> asyncio.AbstractEventLoop: ...
    @property
    def on_fail(self) -> Callable[[], None] | None: ...
    def settle(self, ok: bool, value: Any) -> None: ...


class Written:
    """A write on its way to the log, for the live path: done once committed, or failed.

    It answers what the server asks of an asyncio.Future (`done`, `cancelled`, `exception`,
    `add_done_callback`, `await`), at a lower cost: the writer settles a whole batch in one call
    on the event loop, and a Written runs its own follow-up (`settled`, for subclasses) and
    then its callbacks right there, in the order they were added, where a future would copy
    the context and schedule a call for each callback. In a flood of notes those copies, calls
    and closures were a tenth of the server's time, most of it in the garbage collector. It is
    never cancelled; a callback added once it is done runs at once.
    """

    __slots__ = ("fn", "loop", "on_fail", "_done", "_failure", "_callbacks")

    def __init__(self, fn: Callable[[Database], Any], on_fail: Callable[[], None] | None = None):
        self.fn = fn
        self.on_fail = on_fail
        self.loop: asyncio.AbstractEventLoop = None  # type: ignore[assignment]  # set when queued
        self._done = False
        self._failure: BaseException | None = None
        # Its callbacks: none, one, or a list of them.
        self._callbacks: Callable[[Any], object] | list[Callable[[Any], object]] | None = None

    @classmethod
    def already(cls) -> Written:
        """One that is done: for a command with nothing (more) to write."""
        done = cls(bool)
        done._done = True
        return done

    def done(self) -> bool:
        return self._done

    def cancelled(self) -> bool:
        return False

    def exception(self) -> BaseException | None:
        if not self._done:
            raise asyncio.InvalidStateError("not written yet")
        return self._failure

    def add_done_callback(self, fn: Callable[[Any], object]) -> None:
        if self._done:
            fn(self)
        elif self._callbacks is None:
            self._callbacks = fn  # the common case, one: no list for it
        elif isinstance(self._callbacks, list):
            self._callbacks.append(fn)
        else:
            self._callbacks = [self._callbacks, fn]

    def settle(self, ok: bool, value: Any) -> None:
        if self._done:
            return
        self._done = True
        if not ok:
            self._failure = value
        self.settled(ok)
        callbacks, self._callbacks = self._callbacks, None
        if callbacks is None:
            return
        for fn in callbacks if isinstance(callbacks, list) else (callbacks,):
            try:
                fn(self)
            except Exception as exc:  # one waiter's bug must not keep the others waiting
                self.loop.call_exception_handler(
                    {"message": "a write's callback failed", "exception": exc}
                )

    def settled(self, ok: bool) -> None:
        """What follows the write, before any callback: for subclasses."""

    def __await__(self) -> Generator[Any, None, None]:
        if not self._done:
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self.add_done_callback(functools.partial(_copy, target=future))
            yield from future.__await__()
        elif self._failure is not None:
            raise self._failure


W = TypeVar("W", bound=Written)


def _copy(written: Written, target: asyncio.Future[None]) -> None:
    if target.done():  # the one awaiting was cancelled
        return
    if written._failure is not None:
        target.set_exception(written._failure)
    else:
        target.set_result(None)


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


def refused(jobs: list[Append]) -> None:
    """Raise if any of these appends must not be written (an earlier write of its meeting
    failed): the backends' shared first step of `append_all`."""
    for job in jobs:
        if job.refuse():
            raise RuntimeError(f"an earlier write of meeting {job.code} failed")
