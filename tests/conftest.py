"""Shared fixtures: a fresh app on a temporary database per test, a meeting, connected clients;
real PostgreSQL and Redis servers (one of each per test process) for cluster mode.

With FACILITATE_TEST_CLUSTER=1 the app of every test that takes `settings` runs in cluster mode,
on a database of its own on PostgreSQL and with Redis (`make test` runs the end-to-end web tests
once more that way): the same tests, on both stores.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings
from psycopg import sql
from redis import Redis
from starlette.applications import Starlette
from starlette.testclient import TestClient
from web.helpers import Peers

from bench.backing import PostgresServer, RedisServer, start_postgres, start_redis
from facilitate.app import create_app
from facilitate.settings import Settings

CLUSTER = os.environ.get("FACILITATE_TEST_CLUSTER") == "1"

# `make test-fast` loads this profile: a fifth of every property's examples (tests/budget.py).
hypothesis_settings.register_profile("fast", max_examples=20)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def settings(db_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Fast ticks, so views follow changes within a few milliseconds. In cluster mode
    (FACILITATE_TEST_CLUSTER=1), a PostgreSQL database of the test's own and Redis."""
    if CLUSTER:
        return Settings(
            db_path=db_path,
            database_url=request.getfixturevalue("pg_url"),
            redis_url=request.getfixturevalue("redis_url"),
            tick=0.01,
            phone_tick=0.02,
        )
    return Settings(db_path=db_path, tick=0.01, phone_tick=0.02)


@pytest.fixture
def app(settings: Settings) -> Starlette:
    return create_app(settings)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    """A test client with the lifespan running (database open, writer thread started)."""
    with TestClient(app) as test_client:
        yield test_client


def create_meeting(client: TestClient, **body: Any) -> dict[str, Any]:
    """POST /api/meetings (folkemote unless told otherwise); the 201 response's JSON."""
    response = client.post("/api/meetings", json=body or {"plan": "folkemote"})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def meeting(client: TestClient) -> dict[str, Any]:
    """A folkemote meeting: code, facilitator_key, screen_key and urls."""
    return create_meeting(client, plan="folkemote")


@pytest.fixture
def peers(client: TestClient, meeting: dict[str, Any]) -> Iterator[Peers]:
    """Connects phones, consoles and screens to `meeting`; disconnects them afterwards."""
    connected = Peers(client, meeting)
    try:
        yield connected
    finally:
        connected.close_all()


@pytest.fixture
def auth(meeting: dict[str, Any]) -> dict[str, str]:
    """The facilitator key as a Bearer header, for the record and the minutes."""
    return {"authorization": f"Bearer {meeting['facilitator_key']}"}


S = TypeVar("S", PostgresServer, RedisServer)


def _until_stopped(server: S) -> Iterator[S]:
    """A fixture's server, stopped when the fixture ends."""
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """This process's PostgreSQL server; `pg_url` gives each test a database of its own on it."""
    yield from _until_stopped(start_postgres(tmp_path_factory.mktemp("postgres")))


@pytest.fixture(scope="session")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """This process's Redis server. A test may stop and start it; `redis_url` starts it again."""
    yield from _until_stopped(start_redis(tmp_path_factory.mktemp("redis")))


@pytest.fixture
def pg_url(postgres: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test (its connections too)."""
    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield postgres.url_for(name)
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def redis_url(redis: RedisServer) -> str:
    """The URL of the Redis server, running and empty."""
    redis.start()  # a test before this one may have left it stopped
    with Redis.from_url(redis.url) as client:
        client.flushall()
    return redis.url
