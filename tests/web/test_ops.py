"""/healthz and /metrics (facilitate/web/ops.py) on one SQLite server, in process."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from facilitate.app import create_app
from facilitate.settings import Settings
from facilitate.store.sqlite import SQLite
from facilitate.web import ops

from .helpers import Peers

# These check a server on SQLite (Redis "off", the SQLite writer made to fail); cluster mode's
# health and metrics are tests/cluster/test_ops_cluster.py's.
pytestmark = pytest.mark.sqlite_only

NOTES = "where-when"  # folkemote: notes in two columns
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# A sample line of the text exposition format: name, optional {labels}, value.
SAMPLE = re.compile(
    r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (\S+)'
)


def scrape(client: TestClient, **headers: str | bytes) -> dict[tuple[str, str], float]:
    """GET /metrics, checked line by line: every sample's family has HELP and TYPE before it.
    The samples by (name, labels as written)."""
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == CONTENT_TYPE
    assert response.text.endswith("\n")
    helped: set[str] = set()
    typed: dict[str, str] = {}
    samples: dict[tuple[str, str], float] = {}
    for line in response.text.splitlines():
        if line.startswith("# HELP "):
            name, _, text = line[len("# HELP ") :].partition(" ")
            assert text, line
            helped.add(name)
        elif line.startswith("# TYPE "):
            name, _, kind = line[len("# TYPE ") :].partition(" ")
            assert kind in ("counter", "gauge"), line
            assert name not in typed, f"two TYPE lines for {name}"
            typed[name] = kind
        else:
            found = SAMPLE.fullmatch(line)
            assert found is not None, f"not a sample line: {line!r}"
            name, labels, value = found.groups()
            assert name in helped and name in typed, f"{name} has no HELP or TYPE before it"
            assert name.startswith("facilitate_")
            assert not name.endswith("_total") or typed[name] == "counter", name
            samples[(name, labels or "")] = float(value)
    assert helped == set(typed)
    return samples


def value(samples: dict[tuple[str, str], float], name: str, labels: str = "") -> float:
    return samples[(name, labels)]


# -- /healthz --------------------------------------------------------------------------------


def test_when_all_is_well_then_healthz_says_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("query", "headers"),
    [("?format=json", {}), ("", {"accept": "application/json"})],
    ids=["query", "accept"],
)
def test_when_healthz_is_asked_for_json_then_it_names_each_service(
    client: TestClient, query: str, headers: dict[str, str]
) -> None:
    response = client.get(f"/healthz{query}", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "off"}  # no Redis outside a cluster


def test_when_the_database_fails_then_healthz_is_503_and_says_so_without_details(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    def broken(self: SQLite) -> None:
        raise sqlite3.OperationalError(f"disk I/O error at {db_path}")

    monkeypatch.setattr(SQLite, "ping", broken)
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (503, "database: down\nredis: off\n")
    response = client.get("/healthz?format=json")
    assert (response.status_code, response.json()) == (503, {"database": "down", "redis": "off"})
    assert str(db_path) not in response.text

    monkeypatch.undo()  # the database is back
    assert (client.get("/healthz").status_code, client.get("/healthz").text) == (200, "ok")


def test_when_the_database_answers_too_slowly_then_healthz_is_503(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stuck(self: SQLite) -> None:
        time.sleep(0.5)  # holds the writer thread, as a locked file or a lost server would

    monkeypatch.setattr(ops, "CHECK_SECONDS", 0.05)
    monkeypatch.setattr(SQLite, "ping", stuck)
    started = time.monotonic()
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (503, "database: down\nredis: off\n")
    assert time.monotonic() - started < 0.45  # it did not wait for the database


# -- /metrics --------------------------------------------------------------------------------


def test_when_metrics_are_scraped_then_every_line_is_a_sample_with_help_and_type(
    client: TestClient,
) -> None:
    samples = scrape(client)
    for role in ("participant", "screen", "facilitator", "helper"):
        assert value(samples, "facilitate_connections", f'{{role="{role}"}}') == 0
    assert value(samples, "facilitate_meetings_in_memory") == 0
    assert value(samples, "facilitate_meetings_owned") == 0
    assert value(samples, "facilitate_commands_total") == 0
    assert value(samples, "facilitate_commits_total") >= 0
    assert value(samples, "facilitate_commit_seconds_total") >= 0
    assert value(samples, "facilitate_last_commit_seconds") >= 0
    assert not any(name.startswith("facilitate_redis") for name, _ in samples)  # no cluster


def test_when_a_phone_and_a_console_join_then_metrics_count_their_connections(
    client: TestClient, peers: Peers
) -> None:
    peers.console()
    phone = peers.phone()
    samples = scrape(client)
    assert value(samples, "facilitate_connections", '{role="participant"}') == 1
    assert value(samples, "facilitate_connections", '{role="facilitator"}') == 1
    assert value(samples, "facilitate_connections", '{role="screen"}') == 0
    assert value(samples, "facilitate_meetings_in_memory") == 1
    assert value(samples, "facilitate_meetings_owned") == 1  # not a cluster: it owns them all

    phone.close()
    deadline = time.monotonic() + 5
    while value(scrape(client), "facilitate_connections", '{role="participant"}') != 0:
        assert time.monotonic() < deadline, "the phone's connection is still counted"
        time.sleep(0.01)


def test_when_commands_are_taken_then_the_commands_and_commits_counters_grow(
    client: TestClient, peers: Peers
) -> None:
    console, phone = peers.console(), peers.phone()
    before = scrape(client)
    console.ok("goto", activity=NOTES)
    phone.ok("note", activity=NOTES, text="Benker ved torget", column=0)
    after = scrape(client)
    assert (
        value(after, "facilitate_commands_total") == value(before, "facilitate_commands_total") + 2
    )
    assert value(after, "facilitate_commits_total") > value(before, "facilitate_commits_total")
    assert value(after, "facilitate_commit_seconds_total") > 0


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(db_path=tmp_path / "ops.db", admin_token="søt-hemmelighet")
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong", "Basic c8O4dC1oZW1tZWxpZ2hldA==", "Bearer søt-hemmelighet-ikke"],
    ids=["none", "wrong", "basic", "longer"],
)
def test_when_an_admin_token_is_set_then_metrics_need_it(
    guarded: TestClient, authorization: str | None
) -> None:
    headers = {"authorization": authorization.encode()} if authorization else {}
    response = guarded.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "facilitate_" not in response.text


def test_when_the_admin_token_is_sent_then_metrics_are_served_and_healthz_needs_none(
    guarded: TestClient,
) -> None:
    bearer = "Bearer søt-hemmelighet".encode()  # UTF-8 on the wire
    assert value(scrape(guarded, authorization=bearer), "facilitate_commands_total") == 0
    assert guarded.get("/healthz").text == "ok"


def test_when_a_label_value_or_help_has_special_characters_then_they_are_escaped() -> None:
    metric = ops.Metric(
        "facilitate_test",
        "gauge",
        'A help text with a \\ and a\nnewline and "quotes".',
        (({"role": 'a "quoted"\\back\nslash'}, 1.5), ({"role": "plain"}, float("nan"))),
    )
    assert ops.exposition([metric, ops.counter("facilitate_x_total", "X.", 3)]) == (
        '# HELP facilitate_test A help text with a \\\\ and a\\nnewline and "quotes".\n'
        "# TYPE facilitate_test gauge\n"
        'facilitate_test{role="a \\"quoted\\"\\\\back\\nslash"} 1.5\n'
        'facilitate_test{role="plain"} NaN\n'
        "# HELP facilitate_x_total X.\n"
        "# TYPE facilitate_x_total counter\n"
        "facilitate_x_total 3\n"
    )
