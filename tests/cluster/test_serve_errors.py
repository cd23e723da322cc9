"""`facilitate serve` with a database or Redis it cannot use: a message and exit code 1, never a
traceback, and nothing listening."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.backing import free_port as free_loopback_port
from bench.server import free_port

pytestmark = [pytest.mark.cluster, pytest.mark.slow]  # a real `facilitate serve` each


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "facilitate", "serve", "--port", str(free_port()), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def refused(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


def test_when_the_database_url_has_an_unknown_scheme_then_serve_says_which_schemes_work() -> None:
    said = refused(serve("--db", "mysql://root@127.0.0.1/facilitate"))
    assert "unknown database URL scheme 'mysql://'" in said
    assert "postgresql://" in said


def test_when_postgresql_is_unreachable_at_start_then_serve_says_where_without_the_password() -> (
    None
):
    port = free_loopback_port()  # nothing listens there
    said = refused(serve("--db", f"postgresql://facilitate:secret@127.0.0.1:{port}/facilitate"))
    assert f"cannot reach the database at postgresql://facilitate:***@127.0.0.1:{port}" in said
    assert "secret" not in said


def test_when_redis_is_given_without_postgresql_then_serve_explains_cluster_mode(
    tmp_path: Path,
) -> None:
    said = refused(serve("--db", f"{tmp_path}/one.db", "--redis", "redis://127.0.0.1:6379/0"))
    assert "--redis is for cluster mode" in said


def test_when_redis_is_unreachable_at_start_then_serve_says_so(pg_url: str) -> None:
    port = free_loopback_port()
    said = refused(serve("--db", pg_url, "--redis", f"redis://127.0.0.1:{port}/0"))
    assert f"cannot reach Redis at redis://127.0.0.1:{port}/0" in said


def test_when_the_environment_names_the_database_then_serve_uses_it(pg_url: str) -> None:
    port = free_loopback_port()
    result = subprocess.run(
        [sys.executable, "-m", "facilitate", "serve", "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "FACILITATE_DATABASE_URL": pg_url,
            "FACILITATE_REDIS_URL": f"redis://127.0.0.1:{port}/0",
        },
    )
    said = refused(result)
    assert "cannot reach Redis" in said  # so the database from the environment was reached
