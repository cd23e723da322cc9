"""The door of `facilitate serve`: the request deadlines and the cap per address.

A real uvicorn on loopback with the gated HTTP protocol and FramesProtocol around a small ASGI
app (or the whole app, for the websocket's hello deadline in web/ws.py), and raw sockets as
clients (slow ones send a request head, a body or a hello a byte at a time). Deadlines are
short here (half a second) so the tests are quick; every wait has an upper bound, so a broken
gate fails instead of hanging. The real attack, against `facilitate serve` with few descriptors,
is tests/test_slowloris.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import uvicorn

from bench.wire import Closed, Wire
from facilitate.app import create_app
from facilitate.settings import Settings
from facilitate.web import gate, ws
from facilitate.web.protocol import FramesProtocol

from . import internals

HOST = "127.0.0.1"
OTHER = "127.0.0.2"  # another client address on loopback
SHORT = 0.5  # a head deadline the tests wait out
LONG = 60.0  # one they never reach
BOUND = 10.0  # an upper bound on any wait
REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
Start = Callable[..., Awaitable[int]]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers "ok" to any request once its body is in; accepts websockets and echoes them."""
    if scope["type"] == "http":
        while (await receive()).get("more_body"):
            pass
        headers = [(b"content-type", b"text/plain"), (b"content-length", b"2")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})
    elif scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        while (message := await receive())["type"] == "websocket.receive":
            await send({"type": "websocket.send", "text": message["text"]})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@pytest_asyncio.fixture
async def start() -> AsyncIterator[Start]:
    """Start uvicorn with the gate (`limit`, `head_timeout`, `body_timeout`); returns its port."""
    servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []

    async def run(
        limit: int = 0,
        head_timeout: float = LONG,
        body_timeout: float = LONG,
        app: Any = app,
        lifespan: str = "off",
    ) -> int:
        port = free_port()
        config = uvicorn.Config(
            app,
            host=HOST,
            port=port,
            http=gate.protocol(limit, head_timeout, body_timeout),
            ws=FramesProtocol,
            log_level="warning",
            lifespan=lifespan,
            timeout_graceful_shutdown=1,
        )
        await internals.start(config, servers)
        return port

    yield run
    for server, task in servers:
        server.should_exit = True
        await task


class Client:
    """One raw connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int, source: str = HOST) -> Client:
        reader, writer = await asyncio.open_connection(HOST, port, local_addr=(source, 0))
        return cls(reader, writer)

    async def ask(self) -> bytes:
        """Send a whole request; the answer's status line, or b"" if the server closed."""
        self.writer.write(REQUEST)
        try:
            head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), BOUND)
        except (asyncio.IncompleteReadError, ConnectionError):
            return b""
        await self.reader.readexactly(2)  # "ok"
        return head.split(b"\r\n", 1)[0]

    async def trickle(self, data: bytes, every: float) -> int:
        """Send `data` one byte every `every` s, then more of its last byte, until the server
        closes the connection; how many bytes went out."""
        sent = 0
        closed = asyncio.ensure_future(self.reader.read())
        try:
            while not closed.done():
                self.writer.write(data[sent : sent + 1] or data[-1:])
                sent += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(closed), every)
                assert sent * every < BOUND, "the server kept a slow request head open"
        except ConnectionError:
            pass
        return sent

    async def closed(self) -> bool:
        """True once the server has closed the connection (False if it sends something)."""
        try:
            return await asyncio.wait_for(self.reader.read(1), BOUND) == b""
        except ConnectionError:
            return True

    def close(self) -> None:
        self.writer.close()


async def refused(port: int, source: str = HOST) -> bool:
    """True if a new connection is closed before its request is answered."""
    client = await Client.open(port, source)
    try:
        return await client.ask() == b""
    finally:
        client.close()


async def admitted(port: int, source: str = HOST) -> Client:
    """A connection the server answers; retried while it is closing an earlier one."""
    for _ in range(int(BOUND / 0.05)):
        client = await Client.open(port, source)
        if await client.ask():
            return client
        client.close()
        await asyncio.sleep(0.05)
    raise AssertionError("no connection admitted")


# -- the head deadline ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_when_a_request_head_trickles_in_then_the_server_closes_it_at_the_deadline(
    start: Start,
) -> None:
    port = await start(head_timeout=SHORT)
    client = await Client.open(port)
    sent = await client.trickle(REQUEST[:-2] + b"X-Slow: aaaa", every=SHORT / 5)
    assert sent > 1  # bytes after the first, each well within the deadline, did not extend it
    client.close()


@pytest.mark.asyncio
async def test_when_a_connection_sends_nothing_then_the_server_closes_it_at_the_deadline(
    start: Start,
) -> None:
    port = await start(head_timeout=SHORT)
    client = await Client.open(port)
    assert await client.closed()
    client.close()


@pytest.mark.asyncio
async def test_when_the_next_request_on_a_kept_alive_connection_trickles_then_it_is_closed(
    start: Start,
) -> None:
    port = await start(head_timeout=1.0)
    client = await Client.open(port)
    assert await client.ask() == b"HTTP/1.1 200 OK"
    await client.trickle(REQUEST, every=0.1)  # uvicorn's keep-alive ends with the first byte
    client.close()


@pytest.mark.asyncio
async def test_when_a_request_body_trickles_in_then_the_server_closes_it_at_its_deadline(
    start: Start,
) -> None:
    port = await start(head_timeout=LONG, body_timeout=SHORT)
    client = await Client.open(port)
    head = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"
    client.writer.write(head)  # the head at once: only the body's deadline can end this
    sent = await client.trickle(b"x", every=SHORT / 5)
    assert sent > 1  # bytes after the first, each well within the deadline, did not extend it
    client.close()


@pytest.mark.asyncio
async def test_when_a_body_is_announced_and_never_sent_then_the_server_closes_it(
    start: Start,
) -> None:
    port = await start(head_timeout=LONG, body_timeout=SHORT)
    client = await Client.open(port)
    client.writer.write(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n")
    assert await client.closed()
    client.close()


@pytest.mark.asyncio
async def test_when_a_body_comes_in_time_then_the_request_is_answered(start: Start) -> None:
    port = await start(head_timeout=LONG, body_timeout=LONG)
    client = await Client.open(port)
    client.writer.write(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n\r\nab")
    await asyncio.sleep(0.05)  # the body in two parts
    client.writer.write(b"cd")
    head = await asyncio.wait_for(client.reader.readuntil(b"\r\n\r\n"), BOUND)
    assert head.startswith(b"HTTP/1.1 200 OK")
    client.close()


@pytest.mark.asyncio
async def test_when_requests_come_whole_then_they_are_answered_on_the_same_connection(
    start: Start,
) -> None:
    port = await start(head_timeout=LONG)
    client = await Client.open(port)
    for _ in range(3):
        assert await client.ask() == b"HTTP/1.1 200 OK"
    client.close()


@pytest.mark.asyncio
async def test_when_a_websocket_is_open_then_the_head_deadline_no_longer_applies(
    start: Start,
) -> None:
    port = await start(head_timeout=SHORT)
    wire = await Wire.connect(HOST, port, "/ws", timeout=BOUND)
    await asyncio.sleep(SHORT * 2)  # past the deadline the upgrade request had
    wire.send("still here")
    assert await asyncio.wait_for(wire.recv(), BOUND) == b"still here"
    wire.close()


@pytest.mark.asyncio
async def test_when_a_websocket_trickles_its_hello_then_the_app_closes_it_at_the_hello_deadline(
    start: Start, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ws, "HELLO_TIMEOUT", SHORT)
    port = await start(app=create_app(Settings(db_path=tmp_path / "t.db")), lifespan="on")
    client = await Client.open(port)
    body = json.dumps({"plan": "folkemote"}).encode()
    client.writer.write(
        b"POST /api/meetings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    answer = await asyncio.wait_for(client.reader.read(), BOUND)
    code = json.loads(answer.split(b"\r\n\r\n", 1)[1])["code"]
    client.close()

    wire = await Wire.connect(HOST, port, f"/{code}/ws", timeout=BOUND)
    hello = json.dumps({"type": "hello", "role": "participant"}).encode()
    frame = bytes((0x81, 0x80 | len(hello))) + b"\0\0\0\0" + hello  # masked with zeros
    closing = asyncio.ensure_future(wire.recv())
    sent = 0
    while not closing.done() and sent < len(frame) - 1:  # never the last byte
        wire.writer.write(frame[sent : sent + 1])
        sent += 1
        await asyncio.wait({closing}, timeout=SHORT / 5)
    with pytest.raises(Closed, match="close 1130"):  # 4400: no valid hello in time
        await asyncio.wait_for(closing, BOUND)
    assert 1 < sent < len(frame) - 1  # bytes kept coming, and did not extend the deadline
    wire.close()


# -- the cap per address ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_when_an_address_holds_its_limit_then_its_next_connection_is_closed_at_once(
    start: Start,
) -> None:
    port = await start(limit=2)
    held = [await Client.open(port) for _ in range(2)]
    assert await refused(port)  # closed before its request was read
    assert [await client.ask() for client in held] == [b"HTTP/1.1 200 OK"] * 2

    held.pop().close()
    again = await admitted(port)  # the closed connection's place is free again
    for client in [*held, again]:
        client.close()


@pytest.mark.asyncio
async def test_when_one_address_is_at_its_limit_then_other_addresses_still_get_in(
    start: Start,
) -> None:
    port = await start(limit=1)
    mine = await Client.open(port)
    assert await refused(port)
    other = await Client.open(port, OTHER)
    assert await other.ask() == b"HTTP/1.1 200 OK"
    for client in (mine, other):
        client.close()


@pytest.mark.asyncio
async def test_when_a_connection_becomes_a_websocket_then_it_counts_until_the_socket_closes(
    start: Start,
) -> None:
    port = await start(limit=1)
    wire = await Wire.connect(HOST, port, "/ws", timeout=BOUND)
    assert await refused(port)  # the websocket holds the place
    wire.send("hello")
    assert await asyncio.wait_for(wire.recv(), BOUND) == b"hello"

    wire.close()
    with contextlib.suppress(Closed):
        await asyncio.wait_for(wire.recv(), BOUND)  # the server's close reply
    (await admitted(port)).close()


@pytest.mark.asyncio
async def test_when_the_limit_is_zero_then_an_address_may_hold_any_number(start: Start) -> None:
    port = await start(limit=0)
    clients = [await Client.open(port) for _ in range(20)]
    assert [await client.ask() for client in clients] == [b"HTTP/1.1 200 OK"] * 20
    for client in clients:
        client.close()


def test_when_connections_are_refused_then_the_log_says_so_at_most_once_a_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    door = gate.Gate(100)
    with caplog.at_level(logging.WARNING, logger="uvicorn.error"):
        door.refuse(1000.0)
        for second in range(1, 60):
            door.refuse(1000.0 + second)
        door.refuse(1060.0)
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith("Refused 1 connection(s) from an address already holding 100")
    assert lines[1].startswith("Refused 60 connection(s)")
    assert "FACILITATE_MAX_CONNECTIONS_PER_ADDRESS" in lines[0]
