"""The websocket protocol `facilitate serve` runs, in a real uvicorn on loopback."""

from __future__ import annotations

import asyncio
import os
import random
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio
import uvicorn
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from facilitate.web import protocol
from facilitate.web.protocol import EXTENSION, READ_AHEAD, FramesProtocol, text_frame

from . import internals

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest_asyncio.fixture
async def serve() -> AsyncIterator[Callable[[App], Awaitable[int]]]:
    """Start uvicorn with FramesProtocol around an ASGI app; returns its port."""
    servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []

    async def start(app: App) -> int:
        port = free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, ws=FramesProtocol, log_level="warning", lifespan="off"
        )
        await internals.start(config, servers)
        return port

    yield start
    for server, task in servers:
        server.should_exit = True
        await task


@pytest.mark.asyncio
async def test_when_the_app_writes_a_prebuilt_frame_then_the_client_reads_it_as_text(
    serve: Callable[[App], Awaitable[int]],
) -> None:
    results: list[bool] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        write = scope["extensions"][EXTENSION]["write"]
        frame = text_frame('{"type":"view","text":"Trygghet – på norsk"}')
        results.append(write(frame))
        results.append(write(frame))
        await receive()  # the client's close
        results.append(write(frame))  # closed: refused, nothing written

    port = await serve(app)
    async with connect(f"ws://127.0.0.1:{port}/") as client:
        first = await asyncio.wait_for(client.recv(), 5)
        second = await asyncio.wait_for(client.recv(), 5)
    await asyncio.sleep(0.1)
    assert first == second == '{"type":"view","text":"Trygghet – på norsk"}'
    assert results == [True, True, False]


@pytest.mark.asyncio
async def test_when_a_client_sends_faster_than_the_app_reads_then_nothing_is_lost_or_reordered(
    serve: Callable[[App], Awaitable[int]],
) -> None:
    got: list[str] = []
    count = READ_AHEAD * 5

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        while len(got) < count:
            message = await receive()
            got.append(message["text"])
            await asyncio.sleep(0.002)  # a slow app: reading pauses and resumes
        await send({"type": "websocket.send", "text": "done"})
        await receive()

    port = await serve(app)
    async with connect(f"ws://127.0.0.1:{port}/") as client:
        for n in range(count):
            await client.send(f"message {n}")
        assert await asyncio.wait_for(client.recv(), 10) == "done"
    assert got == [f"message {n}" for n in range(count)]


@pytest.mark.asyncio
async def test_when_a_websocket_closes_then_the_collector_hears_of_it(
    serve: Callable[[App], Awaitable[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[bool] = []
    monkeypatch.setattr(
        protocol.runtime.collector, "connection_closed", lambda: closed.append(True)
    )

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await receive()

    port = await serve(app)
    async with connect(f"ws://127.0.0.1:{port}/"):
        pass
    for _ in range(100):
        if closed:
            break
        await asyncio.sleep(0.01)
    assert closed == [True]


@pytest.mark.asyncio
async def test_when_the_app_takes_direct_delivery_then_waiting_messages_come_first_in_order(
    serve: Callable[[App], Awaitable[int]],
) -> None:
    got: list[str | bytes] = []
    ended: list[Any] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await asyncio.sleep(0.3)  # the client's first messages wait in uvicorn's queue
        scope["extensions"][EXTENSION]["deliver"](got.append)
        await send({"type": "websocket.send", "text": "delivering"})
        ended.append(await receive())  # only the disconnect comes this way now

    port = await serve(app)
    async with connect(f"ws://127.0.0.1:{port}/") as client:
        for n in range(5):
            await client.send(f"waiting {n}")
        assert await asyncio.wait_for(client.recv(), 5) == "delivering"
        for n in range(5):
            await client.send(f"direct {n}")
        await client.send(b"\x00binary")
    for _ in range(200):
        if ended:
            break
        await asyncio.sleep(0.01)
    assert got == [
        *(f"waiting {n}" for n in range(5)),
        *(f"direct {n}" for n in range(5)),
        b"\x00binary",
    ]
    assert ended and ended[0]["type"] == "websocket.disconnect"


@pytest.mark.asyncio
async def test_when_the_receiver_fails_then_that_connection_closes_with_1011(
    serve: Callable[[App], Awaitable[int]],
) -> None:
    ended: list[Any] = []

    def receiver(message: str | bytes) -> None:
        raise ValueError("a bug in the app")

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        scope["extensions"][EXTENSION]["deliver"](receiver)
        await send({"type": "websocket.send", "text": "delivering"})
        ended.append(await receive())

    port = await serve(app)
    async with connect(f"ws://127.0.0.1:{port}/") as client:
        assert await asyncio.wait_for(client.recv(), 5) == "delivering"
        await client.send("boom")
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(client.recv(), 5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
    assert ended and ended[0]["type"] == "websocket.disconnect"


def client_frame(opcode: int, payload: bytes, fin: bool = True, masked: bool = True) -> bytes:
    """A frame as a client sends it (masked with a random key), RFC 6455 5.2."""
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    bit = 0x80 if masked else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 1 << 16:
        head += bytes([bit | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([bit | 127]) + n.to_bytes(8, "big")
    if not masked:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


async def raw_connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert head.startswith(b"HTTP/1.1 101")
    return reader, writer


def delivering_app(got: list[list[str | bytes]], ended: list[Any]) -> App:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        mine: list[str | bytes] = []
        got.append(mine)
        scope["extensions"][EXTENSION]["deliver"](mine.append)
        ended.append(await receive())

    return app


@pytest.mark.asyncio
async def test_when_frames_of_every_kind_arrive_cut_anywhere_then_messages_come_whole_in_order(
    serve: Callable[[App], Awaitable[int]],
) -> None:
    got: list[list[str | bytes]] = []
    ended: list[Any] = []
    port = await serve(delivering_app(got, ended))
    for seed in range(12):
        rng = random.Random(seed)
        stream, expected = b"", []
        for n in range(40):
            kind = rng.choice(["text", "text", "text", "long", "binary", "ping", "fragmented"])
            text = f"{n} Trygghet – på norsk " * rng.choice([0, 1, 3])
            if kind == "long":
                text = "x" * rng.choice([126, 300, 70_000])
            if kind == "binary":
                stream += client_frame(0x2, text.encode())
                expected.append(text.encode())
            elif kind == "ping":
                stream += client_frame(0x9, b"ping")
            elif kind == "fragmented":
                half = len(text) // 2
                stream += client_frame(0x1, text[:half].encode(), fin=False)
                stream += client_frame(0x9, b"mid")  # a control frame may come in between
                stream += client_frame(0x0, text[half:].encode())
                expected.append(text)
            else:
                stream += client_frame(0x1, text.encode())
                expected.append(text)
        reader, writer = await raw_connect(port)
        await asyncio.sleep(0.05)  # the app has taken direct delivery
        at = 0
        while at < len(stream):  # cut anywhere, even inside a frame's header
            step = rng.choice([1, 2, 5, 17, 64, 1000, 100_000])
            writer.write(stream[at : at + step])
            await writer.drain()
            at += step
            if rng.random() < 0.3:
                await asyncio.sleep(0.001)
        writer.write(client_frame(0x8, (1000).to_bytes(2, "big")))
        await writer.drain()
        for _ in range(300):
            if len(ended) > seed:
                break
            await asyncio.sleep(0.01)
        writer.close()
        assert got[seed] == expected, f"seed {seed}"
    assert len(ended) == 12


async def refused(
    serve: Callable[[App], Awaitable[int]], *reads: bytes
) -> tuple[int, list[str | bytes]]:
    """Send `reads` to a delivering app, each read apart from the last; the close code the
    server answers with and the messages the app was handed before it."""
    got: list[list[str | bytes]] = []
    ended: list[Any] = []
    port = await serve(delivering_app(got, ended))
    reader, writer = await raw_connect(port)
    for data in reads:
        await asyncio.sleep(0.05)  # the app has taken direct delivery / a read of its own
        writer.write(data)
        await writer.drain()
    close = await asyncio.wait_for(reader.read(4), 5)  # the server's close frame
    writer.close()
    assert close[0] == 0x88
    return int.from_bytes(close[2:4], "big"), got[0]


@pytest.mark.asyncio
async def test_when_a_text_frame_is_not_utf8_then_what_came_before_arrives_and_it_closes_1007(
    serve: Callable[[App], Awaitable[int]],
) -> None:
    frames = (
        client_frame(0x1, "før".encode())
        + client_frame(0x1, b"\xff\xfe broken")
        + client_frame(0x1, b"after")
    )
    assert await refused(serve, frames) == (1007, ["før"])


@pytest.mark.asyncio
async def test_when_a_client_frame_is_unmasked_then_it_is_refused_with_1002(
    serve: Callable[[App], Awaitable[int]],
) -> None:
    frames = client_frame(0x1, b"ok") + client_frame(0x1, b"naked", masked=False)
    assert await refused(serve, frames) == (1002, ["ok"])


@pytest.mark.asyncio
async def test_when_a_new_message_interrupts_a_fragmented_one_then_it_is_refused_with_1002(
    serve: Callable[[App], Awaitable[int]],
) -> None:
    first = client_frame(0x1, b"whole") + client_frame(0x1, b"half", fin=False)
    interrupting = client_frame(0x1, b"not a continuation")
    assert await refused(serve, first, interrupting) == (1002, ["whole"])
