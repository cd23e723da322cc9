"""Two cluster nodes for the tests that need them; PostgreSQL and Redis are tests/conftest.py's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.server import Process, app_server, free_port


@pytest.fixture
def nodes(pg_url: str, redis_url: str) -> Iterator[tuple[Process, Process]]:
    """Two real `facilitate serve` processes on one PostgreSQL database and one Redis."""
    a = app_server(free_port(), pg_url, core=None, redis=redis_url)
    b = app_server(free_port(), pg_url, core=None, redis=redis_url)
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        for node in (a, b):
            node.kill()
            node.close()
