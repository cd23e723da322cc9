"""What only the PostgreSQL store does: named migrations, the meetings' leases, fenced writes,
and its messages when the database cannot be reached."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import psycopg
import pytest

from facilitate import store
from facilitate.core.events import SYSTEM, Event
from facilitate.store.postgres import Postgres, shown

from .conftest import sql

pytestmark = pytest.mark.cluster

MIGRATIONS = ["m001_meetings_and_events", "m002_processes", "m003_leases"]
CODE = "123456"
SHORT = 0.2  # seconds: a lease that expires while the test waits
LONG = 60.0  # seconds: a lease that holds for the whole test


def open_pg(url: str) -> Postgres:
    db = store.open_database(url)
    assert isinstance(db, Postgres)
    return db


@pytest.fixture
def pg(pg_url: str) -> Iterator[Postgres]:
    """An open PostgreSQL store holding meeting CODE."""
    db = open_pg(pg_url)
    with store.transaction(db):
        db.insert_meeting(
            store.MeetingRow(CODE, "k", "s", 1.0, "Møte"),
            Event("meeting_created", {"code": CODE}, SYSTEM, 1.0),
        )
    try:
        yield db
    finally:
        db.close()


def migrations(db: Postgres) -> list[str]:
    return [name for (name,) in sql(db, "SELECT name FROM facilitate_migrations ORDER BY name")]


def _note(seq: int) -> tuple[int, Event, str | None]:
    return (seq, Event("note_added", {"text": f"note {seq}"}, "p1", 1.0 + seq), None)


def seqs(db: Postgres) -> list[int]:
    return [x.seq for x in db.events(CODE)]


# -- migrations -----------------------------------------------------------------------------------


def test_when_the_database_is_opened_twice_then_each_named_migration_runs_once(
    pg_url: str,
) -> None:
    first = open_pg(pg_url)
    try:
        assert migrations(first) == MIGRATIONS
    finally:
        first.close()
    second = open_pg(pg_url)
    try:
        assert migrations(second) == MIGRATIONS
        assert second.meeting(CODE) is None  # the tables were not made again, just kept
    finally:
        second.close()


def test_when_servers_open_a_new_database_at_the_same_time_then_all_of_them_succeed(
    pg_url: str,
) -> None:
    starting = 4
    barrier = threading.Barrier(starting)
    opened: list[store.Database] = []
    failed: list[BaseException] = []

    def start() -> None:
        barrier.wait(5)
        try:
            opened.append(store.open_database(pg_url))
        except BaseException as exc:  # reported below, with the others
            failed.append(exc)

    threads = [threading.Thread(target=start) for _ in range(starting)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert failed == []
        assert len(opened) == starting
        assert isinstance(opened[0], Postgres)
        assert migrations(opened[0]) == MIGRATIONS
    finally:
        for db in opened:
            db.close()


# -- leases ---------------------------------------------------------------------------------------


def test_when_a_meeting_has_no_lease_then_acquiring_it_gives_token_one(pg: Postgres) -> None:
    assert pg.holder(CODE) is None
    assert pg.acquire(CODE, "a", LONG) == 1
    assert pg.holder(CODE) == ("a", True)


def test_when_another_node_holds_a_valid_lease_then_acquiring_gives_none(pg: Postgres) -> None:
    assert pg.acquire(CODE, "a", LONG) == 1
    assert pg.acquire(CODE, "b", LONG) is None
    assert pg.holder(CODE) == ("a", True)


def test_when_the_holder_acquires_again_then_it_keeps_its_token(pg: Postgres) -> None:
    assert pg.acquire(CODE, "a", LONG) == 1
    assert pg.acquire(CODE, "a", LONG) == 1
    assert pg.acquire(CODE, "b", LONG) is None


def test_when_a_lease_expires_then_another_node_takes_it_with_a_higher_token(
    pg: Postgres,
) -> None:
    assert pg.acquire(CODE, "a", SHORT) == 1
    assert pg.acquire(CODE, "b", LONG) is None
    time.sleep(SHORT + 0.1)
    assert pg.holder(CODE) == ("a", False)
    assert pg.acquire(CODE, "b", LONG) == 2
    assert pg.holder(CODE) == ("b", True)
    assert pg.acquire(CODE, "a", LONG) is None


def test_when_asked_which_leases_ran_out_then_free_and_expired_ones_are_named(
    pg: Postgres,
) -> None:
    with store.transaction(pg):
        pg.acquire(CODE, "a", LONG)
        pg.acquire("222222", "a", SHORT)
    time.sleep(SHORT + 0.1)
    with store.transaction(pg):
        assert pg.expired([CODE, "222222", "333333"]) == ["222222", "333333"]
        assert pg.expired([]) == []


def test_when_leases_are_renewed_then_only_those_held_with_the_same_token_are_kept(
    pg: Postgres,
) -> None:
    assert pg.acquire("111111", "a", SHORT) == 1
    assert pg.acquire("222222", "a", SHORT) == 1
    assert pg.acquire("333333", "a", SHORT) == 1
    time.sleep(SHORT + 0.1)
    assert pg.acquire("222222", "b", LONG) == 2  # taken over while "a" was away
    held = {"111111": 1, "222222": 1, "333333": 7, "444444": 1}  # 333333: not this token
    assert pg.renew("a", held, LONG) == {"111111"}
    assert pg.holder("111111") == ("a", True)  # expired, but nobody took it: renewed
    assert pg.holder("222222") == ("b", True)
    assert pg.holder("444444") is None
    assert pg.renew("a", {}, LONG) == set()


def test_when_a_lease_is_released_then_it_is_free_at_once_for_a_higher_token(
    pg: Postgres,
) -> None:
    assert pg.acquire(CODE, "a", LONG) == 1
    pg.release(CODE, "b")  # not b's to give up: nothing changes
    assert pg.holder(CODE) == ("a", True)
    pg.release(CODE, "a")
    assert pg.holder(CODE) == ("a", False)
    assert pg.acquire(CODE, "b", LONG) == 2
    pg.release(CODE, "b")
    assert pg.acquire(CODE, "a", LONG) == 3


def test_when_a_meeting_is_deleted_then_its_lease_is_free_and_its_token_kept(
    pg: Postgres,
) -> None:
    assert pg.acquire(CODE, "a", LONG) == 1
    with store.transaction(pg):
        assert pg.delete_meeting(CODE)
    assert pg.holder(CODE) == ("a", False)
    assert pg.acquire(CODE, "b", LONG) == 2


# -- fenced writes --------------------------------------------------------------------------------


def test_when_a_fenced_append_is_made_under_the_current_lease_then_it_is_written(
    pg: Postgres,
) -> None:
    token = pg.acquire(CODE, "a", LONG)
    assert token == 1
    with store.transaction(pg):
        pg.append_all([store.Append(CODE, [_note(2), _note(3)], fence=store.Fence("a", token))])
    assert seqs(pg) == [1, 2, 3]


def test_when_another_node_took_the_lease_then_a_fenced_append_writes_nothing(
    pg: Postgres,
) -> None:
    token = pg.acquire(CODE, "a", LONG)
    assert token == 1
    pg.release(CODE, "a")
    assert pg.acquire(CODE, "b", LONG) == 2
    zombie = store.Append(CODE, [_note(2)], fence=store.Fence("a", token))
    with pytest.raises(store.LeaseLost, match=CODE), store.transaction(pg):
        pg.append_all([store.Append(CODE, [_note(3)]), zombie])  # all of it, or none
    assert seqs(pg) == [1]
    with store.transaction(pg):
        pg.append_all([store.Append(CODE, [_note(2)], fence=store.Fence("b", 2))])
    assert seqs(pg) == [1, 2]


def test_when_a_meeting_has_no_lease_then_a_fenced_append_is_refused(pg: Postgres) -> None:
    with pytest.raises(store.LeaseLost), store.transaction(pg):
        pg.append_all([store.Append(CODE, [_note(2)], fence=store.Fence("a", 1))])
    assert seqs(pg) == [1]


@pytest.mark.asyncio
async def test_when_a_lease_is_lost_then_only_the_fenced_writer_job_fails(pg: Postgres) -> None:
    assert pg.acquire("654321", "b", LONG) == 1  # another meeting, another node's
    assert pg.acquire(CODE, "a", LONG) == 1
    writer = store.Writer(pg)
    try:
        failed: list[str] = []
        lost = writer.submit(
            store.Append("654321", [_note(2)], fence=store.Fence("a", 1)),
            on_fail=lambda: failed.append("654321"),
        )
        held = writer.submit(store.Append(CODE, [_note(2)], fence=store.Fence("a", 1)))
        with pytest.raises(store.LeaseLost):
            await lost
        assert await held is None
        assert failed == ["654321"]
    finally:
        writer.close()
    assert seqs(pg) == [1, 2]


# -- the rest -------------------------------------------------------------------------------------


def test_when_a_meeting_joined_a_process_then_process_of_finds_it_through_the_json(
    pg: Postgres,
) -> None:
    joined = Event("meeting_joined", {"meeting": CODE, "created": 1.0}, "organiser", 2.0)
    other = Event("meeting_joined", {"meeting": CODE, "created": 99.0}, "organiser", 3.0)
    with store.transaction(pg):
        pg.insert_process(
            store.ProcessRow("p1", "h", 1.0, "Løfte"),
            Event("process_created", {"title": "Løfte"}, "organiser", 1.0),
        )
        pg.append_process("p1", 2, [other, joined])  # an earlier meeting of that code first
    assert pg.process_of(CODE) == "p1"
    assert pg.process_of("000000") is None


def test_when_asked_its_size_then_it_counts_bytes(pg: Postgres) -> None:
    assert pg.size() > 0
    pg.ping()


def test_when_the_server_cannot_be_reached_then_opening_says_where() -> None:
    url = "postgresql://nobody@127.0.0.1:1/x"
    with pytest.raises(store.Unreachable, match="postgresql://nobody@127.0.0.1:1/x"):
        store.open_database(url)


def test_when_the_url_has_a_password_then_messages_hide_it() -> None:
    url = "postgresql://nobody:hunter2@127.0.0.1:1/x"
    with pytest.raises(store.Unreachable) as raised:
        store.open_database(url)
    assert "hunter2" not in str(raised.value)
    assert "postgresql://nobody:***@127.0.0.1:1/x" in str(raised.value)
    assert shown(url) == "postgresql://nobody:***@127.0.0.1:1/x"
    assert shown("postgresql://nobody@host/x") == "postgresql://nobody@host/x"


def test_when_the_url_has_an_unknown_scheme_then_opening_names_it() -> None:
    with pytest.raises(store.Unreachable, match="mysql://"):
        store.open_database("mysql://x")


def test_when_opened_then_the_url_it_shows_has_no_password(pg_url: str) -> None:
    db = open_pg(pg_url.replace("facilitate@", "facilitate:secret@"))  # trust: any password
    try:
        assert "secret" not in db.url
        assert db.url == pg_url.replace("facilitate@", "facilitate:***@")
    finally:
        db.close()


def test_when_the_connection_is_lost_then_the_next_transaction_connects_again(
    pg_url: str,
) -> None:
    db = store.open_database(pg_url)
    assert isinstance(db, Postgres)
    try:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [db.conn.info.backend_pid])
        with pytest.raises(psycopg.OperationalError), store.transaction(db):
            db.meeting("123456")  # the one job that finds the connection gone fails
        with store.transaction(db):
            assert db.meeting("123456") is None
        assert db.reconnects == 1
    finally:
        db.close()
