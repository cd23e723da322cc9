"""The websocket protocol `facilitate serve` runs, in a real uvicorn on loopback."""

from __future__ import annotations

import asyncio
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
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        for _ in range(500):  # uvicorn says it has started with a flag, not an event
            if server.started:
                break
            await asyncio.sleep(0.01)
        assert server.started
        servers.append((server, task))
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
