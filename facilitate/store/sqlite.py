"""The log in one SQLite file: the default, for `make run` and a laptop in a hall.

One connection, used only by the writer's thread. WAL with `synchronous=FULL`: a committed vote
survives a power cut, not just a killed process. Migrations are named (sqlite-utils'
Migrations); a database made by any earlier version opens and is brought up to date.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database as Tables
from sqlite_utils.migrations import Migrations

from facilitate import codec
from facilitate.core.events import Event
from facilitate.store import (
    Append,
    Logged,
    MeetingRow,
    ProcessRow,
    Taken,
    Unreachable,
    refused,
)

migrations = Migrations("facilitate")


@migrations()
def m001_meetings_and_events(db: Tables) -> None:
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
def m002_client_ids_checked_in_memory(db: Tables) -> None:
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
def m003_processes(db: Tables) -> None:
    """Processes (a citizen promise's meetings and follow-up) with an event log of their own."""
    db.table("processes").create(
        {"id": str, "key_hash": str, "created_at": float, "title": str}, pk="id"
    )
    db.table("process_events").create(
        {"process": str, "seq": int, "at": float, "type": str, "data": str},
        pk=("process", "seq"),
        foreign_keys=[("process", "processes", "id")],
    )


_EVENT_COLUMNS = "INSERT INTO events (meeting, seq, at, actor, type, data, client_id) VALUES "
_CHUNKS = (256, 64, 16, 4, 1)  # rows per statement: few statement shapes, few statements
_WIDTH = 7  # columns a row
_INSERTS = {n: _EVENT_COLUMNS + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * n) for n in _CHUNKS}


def event_row(code: str, seq: int, e: Event, client_id: str | None) -> tuple[Any, ...]:
    """An event as the columns of the events table, in order (both databases' shape)."""
    return (code, seq, e.at, e.actor, e.type, codec.encode(e.data), client_id)


class SQLite:
    """The facilitate.store.Database of one SQLite file (or ":memory:", for tests)."""

    def __init__(self, conn: sqlite3.Connection, url: str) -> None:
        self.conn = conn
        self.tables = Tables(conn)
        self.url = url
        self.reconnects = 0  # a file is never lost the way a server connection is

    @classmethod
    def open(cls, path: str | Path) -> SQLite:
        """Open (creating and migrating if needed) the database at `path`.

        Raises:
            Unreachable: it cannot be opened, or it is not a database.
        """
        try:
            # One connection, used by one thread at a time: the Writer's.
            conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            db = cls(conn, str(path))
            if str(path) != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            migrations.apply(db.tables)
        except sqlite3.Error as exc:
            raise Unreachable(f"cannot open the database {path}: {exc}") from exc
        return db

    # -- transactions ----------------------------------------------------------------------

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def compact(self) -> None:
        self.conn.execute("VACUUM")

    def ping(self) -> None:
        """A round trip through the connection (for /healthz); raises if it is unusable."""
        self.conn.execute("SELECT 1").fetchone()

    # -- meetings --------------------------------------------------------------------------

    def insert_meeting(self, row: MeetingRow, created: Event) -> None:
        try:
            self.conn.execute(
                "INSERT INTO meetings (code, key_hash, screen_hash, created_at, title) "
                "VALUES (?, ?, ?, ?, ?)",
                [row.code, row.key_hash, row.screen_hash, row.created_at, row.title],
            )
        except sqlite3.IntegrityError as exc:
            raise Taken(row.code) from exc
        self.append(row.code, [(1, created, None)])

    def append(self, code: str, rows: list[tuple[int, Event, str | None]]) -> None:
        self.append_all([Append(code, rows)])

    def append_all(self, jobs: list[Append]) -> None:
        refused(jobs)
        encode = codec.encode
        # Every row's columns in one flat list (event_row's, in its order), as the multi-row
        # statements take them: built in one pass, a hot path in a flood of notes.
        values = [
            value
            for job in jobs
            for seq, e, client_id in job.rows
            for value in (job.code, seq, e.at, e.actor, e.type, encode(e.data), client_id)
        ]
        start, end = 0, len(values)
        for size in _CHUNKS:
            statement, width = _INSERTS[size], size * _WIDTH
            while end - start >= width:
                self.conn.execute(statement, values[start : start + width])
                start += width

    def meeting(self, code: str) -> MeetingRow | None:
        rows = list(self.tables.query("SELECT * FROM meetings WHERE code = ?", [code]))
        return MeetingRow(**rows[0]) if rows else None

    def events(self, code: str, after: int = 0) -> list[Logged]:
        return [
            Logged(
                r["seq"],
                Event(r["type"], codec.loads(r["data"]), r["actor"], r["at"]),
                r["client_id"],
            )
            for r in self.tables.query(
                "SELECT * FROM events WHERE meeting = ? AND seq > ? ORDER BY seq", [code, after]
            )
        ]

    def delete_meeting(self, code: str) -> bool:
        self.conn.execute("DELETE FROM events WHERE meeting = ?", [code])
        return self.conn.execute("DELETE FROM meetings WHERE code = ?", [code]).rowcount > 0

    def idle_since(self, before: float) -> list[str]:
        return [
            r["meeting"]
            for r in self.tables.query(
                "SELECT meeting, MAX(at) AS last FROM events GROUP BY meeting HAVING last < ?",
                [before],
            )
        ]

    def size(self) -> int:
        """Its pages, free ones included."""
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        page_size = self.conn.execute("PRAGMA page_size").fetchone()[0]
        return int(pages) * int(page_size)

    # -- processes -------------------------------------------------------------------------

    def insert_process(self, row: ProcessRow, created: Event) -> None:
        try:
            self.conn.execute(
                "INSERT INTO processes (id, key_hash, created_at, title) VALUES (?, ?, ?, ?)",
                [row.id, row.key_hash, row.created_at, row.title],
            )
        except sqlite3.IntegrityError as exc:
            raise Taken(row.id) from exc
        self.append_process(row.id, 1, [created])

    def process(self, process_id: str) -> ProcessRow | None:
        rows = list(self.tables.query("SELECT * FROM processes WHERE id = ?", [process_id]))
        return ProcessRow(**rows[0]) if rows else None

    def process_events(self, process_id: str) -> list[Event]:
        return [
            Event(r["type"], codec.loads(r["data"]), "organiser", r["at"])
            for r in self.tables.query(
                "SELECT * FROM process_events WHERE process = ? ORDER BY seq", [process_id]
            )
        ]

    def append_process(self, process_id: str, first_seq: int, events: list[Event]) -> None:
        for seq, e in enumerate(events, start=first_seq):
            self.conn.execute(
                "INSERT INTO process_events (process, seq, at, type, data) VALUES (?, ?, ?, ?, ?)",
                [process_id, seq, e.at, e.type, codec.encode(e.data)],
            )

    def lock_process(self, process_id: str) -> None:
        """Nothing to do: one writer, and BEGIN IMMEDIATE, hold the whole file already."""

    def process_of(self, code: str) -> str | None:
        row = self.conn.execute(
            "SELECT e.process FROM process_events e JOIN meetings m "
            "ON m.code = json_extract(e.data, '$.meeting') "
            # A time read back from JSON text may differ in its last bit: near enough is the same.
            "AND ABS(m.created_at - json_extract(e.data, '$.created')) < 0.001 "
            "WHERE e.type = 'meeting_joined' AND m.code = ? LIMIT 1",
            [code],
        ).fetchone()
        return None if row is None else str(row[0])
