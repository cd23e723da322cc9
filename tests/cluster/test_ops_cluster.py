"""/healthz and /metrics in cluster mode, in process, on real PostgreSQL and Redis: Redis going
away and coming back shows in both within seconds (facilitate/web/ops.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bench.backing import RedisServer
from facilitate.app import create_app
from facilitate.settings import Settings

pytestmark = pytest.mark.cluster

NOTICE_SECONDS = 5.0  # Redis going away or coming back shows in /healthz within this
OK = {"database": "ok", "redis": "ok"}


@pytest.fixture
def client(tmp_path: Path, pg_url: str, redis_url: str) -> Iterator[TestClient]:
    settings = Settings(db_path=tmp_path / "unused.db", database_url=pg_url, redis_url=redis_url)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def health(client: TestClient) -> tuple[int, dict[str, str]]:
    """/healthz as JSON: the status and what it says of each service."""
    response = client.get("/healthz", params={"format": "json"})
    said: dict[str, str] = response.json()
    return response.status_code, said


def wait_until(check: Callable[[], bool], what: str, seconds: float = NOTICE_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)


def sample(client: TestClient, name: str) -> float:
    response = client.get("/metrics")
    assert response.status_code == 200
    found = [line for line in response.text.splitlines() if line.startswith(name + " ")]
    assert len(found) == 1, f"{name} not in:\n{response.text}"
    return float(found[0].split(" ")[1])


def test_when_redis_stops_and_starts_then_healthz_says_so_within_seconds(
    client: TestClient, redis: RedisServer, pg_url: str, redis_url: str
) -> None:
    # The relay's subscriber connects in the background: ok once it has.
    wait_until(lambda: health(client) == (200, OK), "healthz ok at start")
    assert client.get("/healthz").text == "ok"

    redis.stop()
    down = {"database": "ok", "redis": "down"}
    wait_until(lambda: health(client) == (200, down), "healthz to say Redis is gone")
    # Still 200: the server serves the meetings it owns, and a load balancer must not take
    # every server out at once; monitoring asks ?strict and gets the 503.
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "database: ok\nredis: down\n")
    strict = client.get("/healthz?strict")
    assert (strict.status_code, strict.text) == (503, "database: ok\nredis: down\n")
    assert redis_url not in response.text and pg_url not in response.text
    assert sample(client, "facilitate_redis_up") == 0

    redis.start()
    wait_until(lambda: health(client) == (200, OK), "healthz ok once Redis is back")
    assert sample(client, "facilitate_redis_up") == 1


def test_when_a_phone_joins_in_cluster_mode_then_metrics_count_the_meeting_as_owned_here(
    client: TestClient,
) -> None:
    created = client.post("/api/meetings", json={"plan": "folkemote"})
    assert created.status_code == 201, created.text
    wait_until(lambda: health(client) == (200, OK), "healthz ok at start")
    with client.websocket_connect(f"/{created.json()['code']}/ws") as phone:
        phone.send_json({"type": "hello", "role": "participant", "lang": "en"})
        assert phone.receive_json()["type"] == "welcome"
        assert phone.receive_json()["type"] == "snapshot"
        assert sample(client, "facilitate_meetings_in_memory") == 1
        assert sample(client, "facilitate_meetings_owned") == 1  # the first to load it owns it
        text = client.get("/metrics").text
        assert 'facilitate_connections{role="participant"} 1\n' in text
        for name in (
            "facilitate_relayed_commands_total",
            "facilitate_relay_answered_total",
            "facilitate_relay_resent_total",
            "facilitate_takeovers_total",
            "facilitate_meetings_lost_total",
            "facilitate_catch_ups_total",
            "facilitate_relay_lag_seconds",
            "facilitate_redis_published_total",
            "facilitate_redis_dropped_total",
        ):
            assert f"# TYPE {name} " in text, name
        assert sample(client, "facilitate_redis_up") == 1
