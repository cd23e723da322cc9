"""The cluster tests' servers are real, isolated per test where they should be, and stop clean."""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

import psycopg
import pytest
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from bench.backing import PostgresServer, RedisServer, start_postgres, start_redis

pytestmark = pytest.mark.cluster


def test_postgres_answers_on_loopback_only(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)


@pytest.mark.parametrize("turn", ["first", "second"])
def test_each_test_gets_an_empty_database(pg_url: str, turn: str) -> None:
    """Whichever turn runs second would see the other's table in a shared database."""
    with psycopg.connect(pg_url) as conn:
        tables = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        assert conn.execute(tables).fetchall() == []
        conn.execute("CREATE TABLE events (seq bigint PRIMARY KEY)")
        conn.execute("INSERT INTO events VALUES (1)")


def test_databases_of_earlier_tests_are_dropped(postgres: PostgresServer, pg_url: str) -> None:
    name = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres.url) as conn:
        rows = conn.execute(r"SELECT datname FROM pg_database WHERE datname LIKE 't\_%'")
        assert rows.fetchall() == [(name,)]


def test_the_facilitate_database_and_role_exist(postgres: PostgresServer) -> None:
    with psycopg.connect(postgres.url) as conn:
        row = conn.execute("SELECT current_database(), current_user").fetchone()
        assert row == ("facilitate", "facilitate")


@pytest.mark.asyncio
async def test_redis_answers_ping(redis_url: str) -> None:
    client = Redis.from_url(redis_url)
    try:
        assert await client.ping() is True
    finally:
        await client.aclose()


@pytest.mark.asyncio
async def test_redis_carries_a_message_from_publisher_to_subscriber(redis_url: str) -> None:
    subscriber, publisher = Redis.from_url(redis_url), Redis.from_url(redis_url)
    try:
        async with subscriber.pubsub() as pubsub:
            await pubsub.subscribe("meeting:ABCD")
            assert await publisher.publish("meeting:ABCD", b"frame") == 1
            message = None
            async with asyncio.timeout(5):
                while message is None:  # None also for the subscribe confirmation
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            assert (message["channel"], message["data"]) == (b"meeting:ABCD", b"frame")
    finally:
        await subscriber.aclose()
        await publisher.aclose()


@pytest.mark.asyncio
async def test_when_redis_stops_then_clients_fail_and_reconnect_once_it_is_back(
    redis: RedisServer, redis_url: str
) -> None:
    # No retries: the failure must show at once, not after redis-py's backoff.
    client = Redis.from_url(redis_url, retry=Retry(NoBackoff(), 0))
    try:
        await client.set("note", "kept?")
        await asyncio.to_thread(redis.stop)
        with pytest.raises(RedisConnectionError):
            await client.ping()
        await asyncio.to_thread(redis.start)
        assert redis.url == redis_url  # same port: clients come back without being told
        assert await client.ping() is True
        assert await client.get("note") is None  # it keeps nothing across a restart
    finally:
        await client.aclose()
        await asyncio.to_thread(redis.start)


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in status:
            found.append(int(entry.name))
    return found


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def test_stop_leaves_no_process_no_port_and_no_data(tmp_path: Path) -> None:
    pg, redis = start_postgres(tmp_path), start_redis(tmp_path)
    try:
        assert pg.process is not None and redis.process is not None
        pids = [pg.process.pid, *_children(pg.process.pid), redis.process.pid]
        assert len(pids) > 2  # the postmaster's checkpointer, writers, ... are counted too
    finally:
        pg.stop()
        redis.stop()
    assert [pid for pid in pids if not _gone(pid)] == []
    assert _refused(pg.port) and _refused(redis.port)
    assert not pg.dir.exists()
