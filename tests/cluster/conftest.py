"""Real PostgreSQL and Redis for the cluster tests: one of each per test process (xdist worker)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql
from redis import Redis

from bench.backing import PostgresServer, RedisServer, start_postgres, start_redis


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """This process's PostgreSQL server; `pg_url` gives each test a database of its own on it."""
    server = start_postgres(tmp_path_factory.mktemp("postgres"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """This process's Redis server. A test may stop and start it; `redis_url` starts it again."""
    server = start_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield server
    finally:
        server.stop()


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
