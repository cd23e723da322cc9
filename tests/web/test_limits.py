"""Limits per client address: guessing meeting codes, holding too many websockets.

`Throttle` and `Connections` on their own with a fake clock, then through the app with small
limits: five wrong codes a minute and three websockets per address. A second test client on the
same running app (same event loop, same state) comes from another address.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from facilitate import limits
from facilitate.app import create_app
from facilitate.limits import Connections, Throttle
from facilitate.settings import Settings

from .helpers import Peers

WRONG_CODES = 5
CONNECTIONS = 3


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# -- Throttle ---------------------------------------------------------------------------------


def test_when_an_address_reaches_the_limit_then_it_is_blocked_and_others_are_not() -> None:
    clock = Clock()
    throttle = Throttle(3, window=60, clock=clock)
    for _ in range(2):
        throttle.record("10.0.0.1")
        clock.advance(1)
    assert not throttle.blocked("10.0.0.1")
    throttle.record("10.0.0.1")
    assert throttle.blocked("10.0.0.1")
    assert not throttle.blocked("10.0.0.2")
    assert throttle.retry_after("10.0.0.2") == 1


def test_when_the_window_slides_past_the_oldest_try_then_the_address_may_try_again() -> None:
    clock = Clock()
    throttle = Throttle(3, window=60, clock=clock)
    for _ in range(3):  # at 0, 10 and 20 s
        throttle.record("a")
        clock.advance(10)
    assert throttle.blocked("a")  # at 30 s
    assert throttle.retry_after("a") == 31  # the try at 0 s leaves the window after 60 s
    clock.advance(30)  # at 60 s: the first try is exactly a window old, still counted
    assert throttle.blocked("a")
    clock.advance(0.5)
    assert not throttle.blocked("a")  # one slot free: one more try, then blocked again
    throttle.record("a")
    assert throttle.blocked("a")
    assert 1 <= throttle.retry_after("a") <= 11
    clock.advance(61)
    assert not throttle.blocked("a")


def test_when_the_limit_is_zero_then_nothing_is_ever_blocked() -> None:
    clock = Clock()
    throttle = Throttle(0, clock=clock)
    for _ in range(1000):
        throttle.record("a")
    assert not throttle.blocked("a")


def test_when_many_addresses_are_seen_then_the_oldest_are_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_ADDRESSES", 3)
    throttle = Throttle(1, clock=Clock())
    throttle.record("first")
    assert throttle.blocked("first")
    for address in ("b", "c", "d"):  # "first" is the least recently seen when "d" comes
        throttle.record(address)
    assert not throttle.blocked("first")  # forgotten: memory stays bounded
    assert throttle.blocked("d")


def test_when_an_address_is_looked_at_then_it_is_kept_longer_than_one_that_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_ADDRESSES", 2)
    throttle = Throttle(1, clock=Clock())
    throttle.record("kept")
    throttle.record("other")
    assert throttle.blocked("kept")  # seen again: now the most recent
    throttle.record("new")
    assert throttle.blocked("kept")
    assert not throttle.blocked("other")


# -- Connections ------------------------------------------------------------------------------


def test_when_an_address_holds_the_limit_then_no_more_until_one_is_released() -> None:
    connections = Connections(2)
    assert connections.acquire("a") and connections.acquire("a")
    assert not connections.acquire("a")
    assert not connections.acquire("a")  # a refusal counts nothing
    assert connections.acquire("b")
    connections.release("a")
    assert connections.acquire("a")
    assert not connections.acquire("a")


def test_when_an_address_releases_everything_then_it_starts_from_zero() -> None:
    connections = Connections(1)
    assert connections.acquire("a")
    connections.release("a")
    connections.release("a")  # one too many: never below zero
    assert connections.acquire("a")
    assert not connections.acquire("a")


def test_when_the_connection_limit_is_zero_then_there_is_none() -> None:
    connections = Connections(0)
    assert all(connections.acquire("a") for _ in range(1000))


# -- through the app --------------------------------------------------------------------------


@pytest.fixture
def settings(db_path: Path) -> Settings:
    """Small limits, so a test reaches them quickly (overrides the conftest fixture)."""
    return Settings(
        db_path=db_path,
        tick=0.01,
        phone_tick=0.02,
        wrong_codes_per_minute=WRONG_CODES,
        max_connections_per_address=CONNECTIONS,
    )


@pytest.fixture
def elsewhere(client: TestClient, app: Starlette) -> Iterator[TestClient]:
    """A client from another address on the same running app (its event loop and state)."""
    other = TestClient(app, client=("10.0.0.2", 123))
    other.portal = client.portal
    other.app_state.update(client.app_state)
    try:
        yield other
    finally:
        other.close()


def unknown_code(meeting: dict[str, Any], n: int) -> str:
    code = f"{n:06d}"
    return code if code != meeting["code"] else "999999"


def wrong_code_tries(client: TestClient, meeting: dict[str, Any], peers: Peers) -> list[int]:
    """One wrong code on each way in (join form, page, API, websocket, QR): their answers."""
    answers = [
        client.get("/join", params={"code": unknown_code(meeting, 1)}).status_code,
        client.get(f"/{unknown_code(meeting, 2)}").status_code,
        client.get(
            f"/api/meetings/{unknown_code(meeting, 3)}/record",
            headers={"authorization": f"Bearer {meeting['facilitator_key']}"},
        ).status_code,
    ]
    socket = peers.open(code=unknown_code(meeting, 4))
    error = socket.receive()
    assert error["code"] == "unknown_meeting", error
    answers.append(socket.closed_with())
    answers.append(client.get(f"/{unknown_code(meeting, 5)}/qr.svg").status_code)
    return answers


def assert_refused_everywhere(
    client: TestClient, meeting: dict[str, Any], peers: Peers, code: str
) -> None:
    """Every way of looking up `code` answers 429 with Retry-After, or closes with 4429."""
    for response in (
        client.get("/join", params={"code": code}, follow_redirects=False),
        client.get(f"/{code}"),
        client.get(f"/{code}/screen"),
        client.get(
            f"/api/meetings/{code}/record",
            headers={"authorization": f"Bearer {meeting['facilitator_key']}"},
        ),
    ):
        assert response.status_code == 429, (response.request.url, response.text)
        assert 1 <= int(response.headers["retry-after"]) <= 61, response.headers
    api = client.get(f"/api/meetings/{code}/minutes.md", headers={"authorization": "Bearer x"})
    assert api.status_code == 429 and "error" in api.json()
    socket = peers.open(code=code)
    error = socket.receive()
    assert (error["type"], error["code"], error["id"]) == ("error", "too_many_guesses", None)
    assert error["message"]
    assert socket.closed_with() == 4429


def test_when_an_address_tries_too_many_wrong_codes_then_every_lookup_answers_429(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    assert wrong_code_tries(client, meeting, peers) == [404, 404, 404, 4404, 404]
    assert_refused_everywhere(client, meeting, peers, unknown_code(meeting, 6))
    # the right code too, while the address waits: it cannot tell right from wrong any more
    assert_refused_everywhere(client, meeting, peers, meeting["code"])


def test_when_codes_are_right_then_they_count_nothing(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    code = meeting["code"]
    auth = {"authorization": f"Bearer {meeting['facilitator_key']}"}
    for _ in range(3 * WRONG_CODES):
        assert client.get("/join", params={"code": code}, follow_redirects=False).status_code == 303
        assert client.get(f"/{code}").status_code == 200
        assert client.get(f"/api/meetings/{code}/record", headers=auth).status_code == 200
    for _ in range(WRONG_CODES):
        peers.phone().close()
    # ... and wrong keys for a right code are a 403, not a guess
    wrong_key = {"authorization": "Bearer x"}
    assert client.get(f"/api/meetings/{code}/record", headers=wrong_key).status_code == 403
    for n in range(WRONG_CODES - 1):
        assert client.get(f"/{unknown_code(meeting, n)}").status_code == 404
    assert client.get(f"/{code}").status_code == 200  # four wrong: still allowed
    assert client.get(f"/{unknown_code(meeting, 99)}").status_code == 404  # the fifth
    assert client.get(f"/{code}").status_code == 429


def test_when_a_code_is_malformed_then_join_says_so_without_counting_a_guess(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    for _ in range(3 * WRONG_CODES):
        assert client.get("/join", params={"code": "12345"}).status_code == 400
    assert client.get("/join", params={"code": meeting["code"]}).status_code == 200  # followed


def test_when_one_address_is_blocked_then_another_is_not(
    client: TestClient, elsewhere: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    wrong_code_tries(client, meeting, peers)
    assert client.get(f"/{meeting['code']}").status_code == 429
    assert elsewhere.get(f"/{meeting['code']}").status_code == 200
    assert elsewhere.get(f"/{unknown_code(meeting, 7)}").status_code == 404
    other = Peers(elsewhere, meeting)
    try:
        phone = other.phone()
        assert phone.welcome is not None and phone.welcome["meeting"] == meeting["code"]
    finally:
        other.close_all()
    # the other address has its own allowance of five: it is blocked after its fifth
    for n in range(WRONG_CODES - 2):
        assert elsewhere.get(f"/{unknown_code(meeting, 10 + n)}").status_code == 404
    assert elsewhere.get(f"/{meeting['code']}").status_code == 200
    assert elsewhere.get(f"/{unknown_code(meeting, 20)}").status_code == 404
    assert elsewhere.get(f"/{meeting['code']}").status_code == 429


def test_when_an_address_holds_too_many_websockets_then_the_next_is_refused_until_one_closes(
    client: TestClient, elsewhere: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    console = peers.console()
    phones = [peers.phone() for _ in range(CONNECTIONS - 1)]
    for _ in range(2):  # refusals take no slot: the second is refused the same way
        extra = peers.open("fourth")
        error = extra.receive()
        assert (error["type"], error["code"], error["id"]) == (
            "error",
            "too_many_connections",
            None,
        )
        assert error["message"]
        assert extra.closed_with() == 4429
    # another address is not affected
    other = Peers(elsewhere, meeting)
    try:
        other.phone()
    finally:
        other.close_all()
    # the ones already open still work
    console.ok("goto", activity="safety-poll")
    phones[0].ok("vote", activity="safety-poll", choices=["neither"])

    phones[0].close()  # returns once the server has ended that socket
    again = peers.phone()
    assert again.welcome is not None
    assert peers.open("fifth").receive()["code"] == "too_many_connections"


def test_when_sockets_end_in_any_way_then_their_slots_are_given_back(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    for _ in range(2 * CONNECTIONS):
        refused = peers.open("bad hello")
        refused.ws.send_json({"type": "hello", "role": "admin"})
        assert refused.receive()["code"] == "bad_role"
        assert refused.closed_with() == 4400
        wrong_key = peers.open("wrong key")
        wrong_key.ws.send_json({"type": "hello", "role": "facilitator", "key": "nope"})
        assert wrong_key.receive()["code"] == "bad_key"
        assert wrong_key.closed_with() == 4403
        phone = peers.phone()
        phone.close()
    held = [peers.phone() for _ in range(CONNECTIONS)]
    assert all(p.welcome is not None for p in held)


def test_when_the_connection_limit_is_zero_then_an_address_may_hold_many(tmp_path: Path) -> None:
    settings = Settings(
        db_path=tmp_path / "many.db", tick=0.01, phone_tick=0.02, max_connections_per_address=0
    )
    with TestClient(create_app(settings)) as client:
        created = client.post("/api/meetings", json={"plan": "folkemote"}).json()
        peers = Peers(client, created)
        try:
            phones = [peers.phone() for _ in range(3 * CONNECTIONS)]
            assert len({p.welcome["token"] for p in phones}) == len(phones)  # type: ignore[index]
        finally:
            peers.close_all()
