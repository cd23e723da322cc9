"""Security headers, and what a request's Host header may be."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect

from facilitate.app import create_app
from facilitate.settings import Settings
from facilitate.web.security import SecurityHeaders

from .helpers import Peers


async def _ok(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("ok")(scope, receive, send)


async def _headers_for(host: bytes) -> dict[bytes, bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"host", host)],
        "query_string": b"",
    }
    await SecurityHeaders(_ok)(scope, receive, send)
    return dict(sent[0]["headers"])


@pytest.mark.asyncio
async def test_when_the_host_is_plain_then_the_policy_names_its_sockets() -> None:
    csp = (await _headers_for(b"192.168.1.20:8000"))[b"content-security-policy"]
    assert b"connect-src 'self' ws://192.168.1.20:8000 wss://192.168.1.20:8000;" in csp


@pytest.mark.asyncio
@pytest.mark.parametrize("host", [b"example.org\n", b"example.org\r\nx-evil: 1", b"a b", b""])
async def test_when_the_host_is_not_a_plain_host_then_the_policy_leaves_it_out(host: bytes) -> None:
    """`$` matches before a trailing newline: "example.org\\n" went into the header's value."""
    csp = (await _headers_for(host))[b"content-security-policy"]
    assert b"connect-src 'self' ;" in csp
    assert b"\n" not in csp and b"example" not in csp


PUBLIC = "http://192.168.1.20:8000"


@pytest.fixture
def public(tmp_path: Path) -> Iterator[TestClient]:
    """A server with a public URL, as `facilitate serve --public-url` runs it in the hall."""
    settings = Settings(db_path=tmp_path / "h.db", tick=0.01, phone_tick=0.02, public_url=PUBLIC)
    with TestClient(create_app(settings), base_url=PUBLIC) as client:
        yield client


@pytest.mark.parametrize(
    "host",
    ["192.168.1.20:8000", "127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost", ""],
)
def test_when_a_request_is_for_the_public_url_or_this_machine_then_it_is_served(
    public: TestClient, host: str
) -> None:
    assert public.get("/start", headers={"host": host}).status_code == 200
    created = public.post("/api/meetings", json={"plan": "folkemote"}, headers={"host": host})
    assert created.status_code == 201


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:8000",  # DNS rebinding: the attacker's name, now pointing at the laptop
        "evil.example",
        "192.168.1.20",  # port 80, not the public URL's
        "192.168.1.20:8001",
        "192.168.1.20:8000.evil.example",
        "user@192.168.1.20:8000",
        "192.168.1.20:8000\n",
        "127.0.0.1.evil.example",
    ],
)
def test_when_a_request_is_for_another_host_then_it_is_refused_421(
    public: TestClient, host: str
) -> None:
    page = public.get("/start", headers={"host": host, "accept-language": "en"})
    assert page.status_code == 421
    assert page.text == f"This server answers at {PUBLIC}. Open that address instead."
    assert page.headers["x-frame-options"] == "DENY"
    made = public.post("/api/meetings", json={"plan": "folkemote"}, headers={"host": host})
    assert made.status_code == 421


def test_when_a_websocket_is_for_another_host_then_it_is_refused(public: TestClient) -> None:
    created = public.post("/api/meetings", json={"plan": "folkemote"}).json()
    peers = Peers(public, created)
    try:
        with pytest.raises(WebSocketDisconnect) as refused:
            peers.phone(headers={"host": "evil.example:8000", "origin": "http://evil.example:8000"})
        assert refused.value.code == 4403
        phone = peers.phone(headers={"host": "192.168.1.20:8000"})
        assert phone.welcome is not None and phone.welcome["meeting"] == created["code"]
    finally:
        peers.close_all()


def test_when_the_refusal_is_read_in_norwegian_then_it_says_where_to_go(public: TestClient) -> None:
    page = public.get("/", headers={"host": "evil.example", "accept-language": "nb"})
    assert page.text == f"Denne serveren svarer på {PUBLIC}. Åpne den adressen i stedet."


@pytest.mark.parametrize(
    ("public_url", "host", "status"),
    [
        ("https://dialog.example.org", "dialog.example.org", 200),
        ("https://dialog.example.org", "Dialog.Example.org:443", 200),
        ("https://dialog.example.org", "dialog.example.org.", 200),
        ("https://dialog.example.org/", "dialog.example.org:80", 421),
        ("http://dialog.example.org", "dialog.example.org:80", 200),
        (None, "evil.example", 200),  # no public URL: the server cannot know its names
    ],
)
def test_when_the_public_url_has_a_default_port_then_the_host_may_leave_it_out(
    tmp_path: Path, public_url: str | None, host: str, status: int
) -> None:
    settings = Settings(db_path=tmp_path / "p.db", public_url=public_url)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz", headers={"host": host}).status_code == status
