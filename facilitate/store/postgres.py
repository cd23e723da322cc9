"""The log in PostgreSQL: cluster mode, where several servers share one database.

The same tables as SQLite's (facilitate.store.sqlite), made by named migrations of their own
(the `facilitate_migrations` table says which have run), plus `leases`: which server owns which
meeting (docs/cluster.md). psycopg 3: one connection used only by the writer's thread, as SQLite's
is, so a commit carries every write that waited for it (group commit) on both; and a small
async pool (`PooledReads`) for reads that need no transaction with a write.

A write made under a lease (`Append.fence`) first reads the meeting's lease row `FOR SHARE`: a
server that took the meeting over since has a new token there, and the write fails with
LeaseLost; one taking it over now waits for this commit, and replays the log after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import psycopg
import psycopg_pool

from facilitate import codec
from facilitate.core.events import Event
from facilitate.store import (
    Append,
    LeaseLost,
    Logged,
    MeetingRow,
    ProcessRow,
    Taken,
    Unreachable,
    refused,
)
from facilitate.store.sqlite import event_row

CONNECT_SECONDS = 5

Migration = Callable[[psycopg.Connection[Any]], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register a named migration; they run once each, in the order defined."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_meetings_and_events(conn: psycopg.Connection[Any]) -> None:
    conn.execute(
        "CREATE TABLE meetings (code text PRIMARY KEY, key_hash text NOT NULL, "
        "screen_hash text NOT NULL, created_at double precision NOT NULL, title text NOT NULL)"
    )
    # No index on client ids: "applied once" is decided in memory (see the SQLite m002).
    conn.execute(
        "CREATE TABLE events (meeting text NOT NULL REFERENCES meetings (code), "
        "seq integer NOT NULL, at double precision NOT NULL, actor text NOT NULL, "
        "type text NOT NULL, data text NOT NULL, client_id text, PRIMARY KEY (meeting, seq))"
    )


@migration
def m002_processes(conn: psycopg.Connection[Any]) -> None:
    conn.execute(
        "CREATE TABLE processes (id text PRIMARY KEY, key_hash text NOT NULL, "
        "created_at double precision NOT NULL, title text NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE process_events (process text NOT NULL REFERENCES processes (id), "
        "seq integer NOT NULL, at double precision NOT NULL, type text NOT NULL, "
        "data text NOT NULL, PRIMARY KEY (process, seq))"
    )


@migration
def m003_leases(conn: psycopg.Connection[Any]) -> None:
    """Which server owns a meeting, until when, under which token (it only ever grows)."""
    conn.execute(
        "CREATE TABLE leases (meeting text PRIMARY KEY, node text NOT NULL, "
        "token bigint NOT NULL, expires_at timestamptz NOT NULL)"
    )


_MIGRATING = 0x6661_6369  # the advisory lock servers starting at once take turns on


def migrate(conn: psycopg.Connection[Any]) -> list[str]:
    """Run the migrations this database has not had yet; returns their names."""
    done: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATING])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS facilitate_migrations "
            "(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        applied = {r[0] for r in conn.execute("SELECT name FROM facilitate_migrations")}
        for name, fn in MIGRATIONS:
            if name not in applied:
                fn(conn)
                conn.execute("INSERT INTO facilitate_migrations (name) VALUES (%s)", [name])
                done.append(name)
    return done


def shown(url: str) -> str:
    """A database URL fit for a message or a log: its password, in the address or as a
    parameter, shown as ***. The host and port stay as written (brackets, odd ports)."""
    scheme, sep, rest = url.partition("://")
    address, slash, tail = rest.partition("/")
    user, at, host = address.rpartition("@")
    if at and ":" in user:
        address = user.split(":", 1)[0] + ":***@" + host
    tail = re.sub(r"(?i)(password=)[^&]*", r"\1***", tail)
    return scheme + sep + address + slash + tail


_INSERT_EVENTS = (
    "INSERT INTO events (meeting, seq, at, actor, type, data, client_id) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s)"
)


_EVENTS = (
    "SELECT seq, at, actor, type, data, client_id FROM events "
    "WHERE meeting = %s AND seq > %s ORDER BY seq"
)


def _logged(rows: Iterable[tuple[Any, ...]]) -> list[Logged]:
    return [
        Logged(seq, Event(kind, codec.loads(data), actor, at), client_id)
        for seq, at, actor, kind, data, client_id in rows
    ]


class PooledReads:
    """facilitate.store.Reads on PostgreSQL: a small async pool (psycopg_pool) of its own
    connections, used from the event loop, beside the writer thread's one connection."""

    def __init__(self, url: str, size: int = 4) -> None:
        self.pool = psycopg_pool.AsyncConnectionPool(
            url,
            min_size=1,
            max_size=size,
            open=False,
            timeout=CONNECT_SECONDS,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_SECONDS},
        )

    async def open(self) -> None:
        await self.pool.open(wait=True, timeout=CONNECT_SECONDS)

    async def events(self, code: str, after: int = 0) -> list[Logged]:
        async with self.pool.connection() as conn:
            cursor = await conn.execute(_EVENTS, [code, after])
            return _logged(await cursor.fetchall())

    async def close(self) -> None:
        await self.pool.close()


class Postgres:
    """The facilitate.store.Database of a PostgreSQL database, plus the meetings' leases."""

    def __init__(self, conn: psycopg.Connection[Any], url: str) -> None:
        self.conn = conn
        self.url = shown(url)
        self._url = url  # with its password, to connect again
        self.reconnects = 0

    @classmethod
    def open(cls, url: str) -> Postgres:
        """Connect and migrate.

        Raises:
            Unreachable: the server cannot be reached, refuses us, or the URL is wrong.
        """
        try:
            conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_SECONDS)
        except (psycopg.Error, ValueError) as exc:
            raise Unreachable(f"cannot reach the database at {shown(url)}: {exc}") from exc
        try:
            migrate(conn)
        except psycopg.Error as exc:
            conn.close()
            raise Unreachable(f"cannot migrate the database at {shown(url)}: {exc}") from exc
        return cls(conn, url)

    # -- transactions ----------------------------------------------------------------------

    def begin(self) -> None:
        """Begin a transaction, first connecting again if the connection was lost (the
        database restarted, a network blip): a job fails while it is away, the next one after
        it is back succeeds."""
        if self.conn.closed or self.conn.broken:
            self.conn = psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_SECONDS)
            self.reconnects += 1
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            try:
                self.conn.execute("ROLLBACK")
            except psycopg.OperationalError:
                pass  # the connection is gone, and the transaction with it

    def close(self) -> None:
        self.conn.close()

    def compact(self) -> None:
        self.conn.execute("VACUUM")

    def ping(self) -> None:
        """A round trip to the server (for /healthz); raises if it does not answer."""
        self.conn.execute("SELECT 1")

    # -- meetings --------------------------------------------------------------------------

    def insert_meeting(self, row: MeetingRow, created: Event) -> None:
        try:
            self.conn.execute("SAVEPOINT new_meeting")
            self.conn.execute(
                "INSERT INTO meetings (code, key_hash, screen_hash, created_at, title) "
                "VALUES (%s, %s, %s, %s, %s)",
                [row.code, row.key_hash, row.screen_hash, row.created_at, row.title],
            )
        except psycopg.errors.UniqueViolation as exc:
            self.conn.execute("ROLLBACK TO SAVEPOINT new_meeting")
            raise Taken(row.code) from exc
        self.append(row.code, [(1, created, None)])

    def append(self, code: str, rows: list[tuple[int, Event, str | None]]) -> None:
        self._insert_events([event_row(code, seq, e, client_id) for seq, e, client_id in rows])

    def append_all(self, jobs: list[Append]) -> None:
        refused(jobs)
        self._fenced(jobs)
        self._insert_events([event_row(job.code, *row) for job in jobs for row in job.rows])

    def _fenced(self, jobs: list[Append]) -> None:
        """Raise LeaseLost unless every fenced job's lease is still its node's, same token."""
        fences = {job.code: job.fence for job in jobs if job.fence is not None}
        if not fences:
            return
        held = {
            meeting: (node, token)
            for meeting, node, token in self.conn.execute(
                "SELECT meeting, node, token FROM leases WHERE meeting = ANY(%s) FOR SHARE",
                [list(fences)],
            )
        }
        for code, fence in fences.items():
            if held.get(code) != (fence.node, fence.token):
                raise LeaseLost(code)

    def _insert_events(self, values: list[tuple[Any, ...]]) -> None:
        if values:
            with self.conn.cursor() as cursor:
                cursor.executemany(_INSERT_EVENTS, values)

    def meeting(self, code: str) -> MeetingRow | None:
        row = self.conn.execute(
            "SELECT code, key_hash, screen_hash, created_at, title FROM meetings WHERE code = %s",
            [code],
        ).fetchone()
        return None if row is None else MeetingRow(*row)

    def events(self, code: str, after: int = 0) -> list[Logged]:
        return _logged(self.conn.execute(_EVENTS, [code, after]))

    def delete_meeting(self, code: str) -> bool:
        self.conn.execute("DELETE FROM events WHERE meeting = %s", [code])
        self.conn.execute(
            "UPDATE leases SET expires_at = now() WHERE meeting = %s", [code]
        )  # kept, so a later meeting under this code gets a newer token
        return self.conn.execute("DELETE FROM meetings WHERE code = %s", [code]).rowcount > 0

    def idle_since(self, before: float) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT meeting FROM events GROUP BY meeting HAVING MAX(at) < %s", [before]
            )
        ]

    def size(self) -> int:
        row = self.conn.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(row[0]) if row else 0

    # -- processes -------------------------------------------------------------------------

    def insert_process(self, row: ProcessRow, created: Event) -> None:
        try:
            self.conn.execute("SAVEPOINT new_process")
            self.conn.execute(
                "INSERT INTO processes (id, key_hash, created_at, title) VALUES (%s, %s, %s, %s)",
                [row.id, row.key_hash, row.created_at, row.title],
            )
        except psycopg.errors.UniqueViolation as exc:
            self.conn.execute("ROLLBACK TO SAVEPOINT new_process")
            raise Taken(row.id) from exc
        self.append_process(row.id, 1, [created])

    def process(self, process_id: str) -> ProcessRow | None:
        row = self.conn.execute(
            "SELECT id, key_hash, created_at, title FROM processes WHERE id = %s", [process_id]
        ).fetchone()
        return None if row is None else ProcessRow(*row)

    def process_events(self, process_id: str) -> list[Event]:
        return [
            Event(kind, codec.loads(data), "organiser", at)
            for kind, data, at in self.conn.execute(
                "SELECT type, data, at FROM process_events WHERE process = %s ORDER BY seq",
                [process_id],
            )
        ]

    def append_process(self, process_id: str, first_seq: int, events: list[Event]) -> None:
        for seq, e in enumerate(events, start=first_seq):
            self.conn.execute(
                "INSERT INTO process_events (process, seq, at, type, data) "
                "VALUES (%s, %s, %s, %s, %s)",
                [process_id, seq, e.at, e.type, codec.encode(e.data)],
            )

    def lock_process(self, process_id: str) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ["process:" + process_id])

    def process_of(self, code: str) -> str | None:
        row = self.conn.execute(
            "SELECT e.process FROM process_events e JOIN meetings m "
            "ON m.code = e.data::jsonb ->> 'meeting' "
            "AND ABS(m.created_at - (e.data::jsonb ->> 'created')::double precision) < 0.001 "
            "WHERE e.type = 'meeting_joined' AND m.code = %s LIMIT 1",
            [code],
        ).fetchone()
        return None if row is None else str(row[0])

    # -- leases (docs/cluster.md) ----------------------------------------------------------

    def acquire(self, code: str, node: str, seconds: float) -> int | None:
        """Take the meeting's lease for `node` if it is free, expired or already ours: its
        token (a new one when it changes hands), or None while another node holds it."""
        row = self.conn.execute(
            "INSERT INTO leases AS l (meeting, node, token, expires_at) "
            "VALUES (%s, %s, 1, now() + make_interval(secs => %s)) "
            "ON CONFLICT (meeting) DO UPDATE SET "
            "token = CASE WHEN l.node = EXCLUDED.node THEN l.token ELSE l.token + 1 END, "
            "node = EXCLUDED.node, expires_at = EXCLUDED.expires_at "
            "WHERE l.node = EXCLUDED.node OR l.expires_at < now() "
            "RETURNING token",
            [code, node, seconds],
        ).fetchone()
        return None if row is None else int(row[0])

    def renew(self, node: str, held: dict[str, int], seconds: float) -> set[str]:
        """Extend `node`'s leases (meeting -> token); returns the meetings it still holds."""
        if not held:
            return set()
        rows = self.conn.execute(
            "UPDATE leases SET expires_at = now() + make_interval(secs => %s) "
            "WHERE node = %s AND meeting = ANY(%s) RETURNING meeting, token",
            [seconds, node, list(held)],
        )
        return {meeting for meeting, token in rows if held.get(meeting) == token}

    def expired(self, codes: list[str]) -> list[str]:
        """Of these meetings, those whose lease has run out (or that have none)."""
        if not codes:
            return []
        held = {
            meeting
            for (meeting,) in self.conn.execute(
                "SELECT meeting FROM leases WHERE meeting = ANY(%s) AND expires_at >= now()",
                [codes],
            )
        }
        return [code for code in codes if code not in held]

    def release(self, code: str, node: str) -> None:
        """Give the lease up at once (the token stays, so the next owner's is newer)."""
        self.conn.execute(
            "UPDATE leases SET expires_at = now() WHERE meeting = %s AND node = %s", [code, node]
        )

    def holder(self, code: str) -> tuple[str, bool] | None:
        """Who holds the meeting's lease, and whether it is still valid; None if nobody."""
        row = self.conn.execute(
            "SELECT node, expires_at > now() FROM leases WHERE meeting = %s", [code]
        ).fetchone()
        return None if row is None else (str(row[0]), bool(row[1]))
