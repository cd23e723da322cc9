"""Security headers, and what a request's Host header may be."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.responses import PlainTextResponse
from starlette.types import Message, Receive, Scope, Send

from facilitate.web.security import SecurityHeaders


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
