"""Simulated phones, screen and console speaking the real protocol over real sockets.

Each phone keeps an outbox like the page does (static/js/live.js): a command stays in it until
its ack, and everything in it is resent, with the same ids, after a reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import ssl
import time
from dataclasses import dataclass
from typing import Any

from bench.wire import Closed, Wire

_ids = itertools.count(1)


@dataclass
class Sent:
    """A command and when it was first sent; `acked` is when its ack arrived."""

    message: dict[str, Any]
    sent: float
    acked: float | None = None
    error: str | None = None


class Client:
    """One connection with an outbox; subclasses decide what to do with views."""

    role = "participant"

    def __init__(
        self,
        host: str,
        port: int,
        code: str,
        key: str | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.host, self.port, self.code, self.key = host, port, code, key
        self.tls = tls  # wss:// (through a proxy that terminates TLS)
        self.token: str | None = None
        self.wire: Wire | None = None
        self.wires: list[Wire] = []  # every connection ever opened: all closed by close()
        self.commands: dict[str, Sent] = {}
        self.outbox: list[str] = []  # ids not yet acknowledged, in order
        self.views = 0
        self.connected = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None
        self._waiters: dict[str, asyncio.Future[None]] = {}
        self.name = f"{self.role}-{next(_ids)}"
        self.joins = 0

    async def join(self, timeout: float = 30.0, rcvbuf: int | None = None) -> float:
        """Connect, say hello, wait for the snapshot; resend the outbox. Returns seconds taken."""
        started = time.perf_counter()
        if self.wire is not None:  # the connection this one replaces, lost: let go of its socket
            self.wire.abort()
        self.wire = await Wire.connect(
            self.host, self.port, f"/{self.code}/ws", rcvbuf=rcvbuf, timeout=timeout, tls=self.tls
        )
        self.wires.append(self.wire)
        hello: dict[str, Any] = {"type": "hello", "role": self.role}
        if self.role == "participant":
            hello["token"] = self.token
        else:
            hello["key"] = self.key
        self.wire.send(json.dumps(hello))
        while True:
            frame = await asyncio.wait_for(self.wire.recv(), timeout)
            message = json.loads(frame)
            if message["type"] == "welcome":
                self.token = message.get("token", self.token)
            elif message["type"] == "snapshot":
                self.on_view(message["view"], time.perf_counter())
                break
            elif message["type"] == "error":
                raise Closed(message["message"])
        self.joins += 1
        for command_id in self.outbox:
            self.wire.send(json.dumps(self.commands[command_id].message))
        self.connected.set()
        self._reader = asyncio.create_task(self._read(self.wire))
        return time.perf_counter() - started

    async def _read(self, wire: Wire) -> None:
        try:
            while True:
                frame = await wire.recv()
                head = frame[:16]
                if head.startswith(b'{"type":"view"'):
                    self.views += 1
                    self.on_frame(frame)
                elif head.startswith(b'{"type":"ack"'):
                    self._settle(json.loads(frame)["id"], None)
                elif head.startswith(b'{"type":"error"'):
                    message = json.loads(frame)
                    if message.get("id"):
                        self._settle(message["id"], message["code"])
        except Closed:
            pass
        finally:
            if self.wire is wire:
                self.connected.clear()

    def _settle(self, command_id: str, error: str | None) -> None:
        sent = self.commands.get(command_id)
        if sent is None or sent.acked is not None:
            return
        if error == "slow_down":
            return  # stays in the outbox; resent after the next reconnect
        sent.acked, sent.error = time.perf_counter(), error
        if command_id in self.outbox:
            self.outbox.remove(command_id)
        waiter = self._waiters.pop(command_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def on_frame(self, frame: bytes) -> None:
        """A view frame arrived (phones don't need to parse it)."""

    def on_view(self, view: dict[str, Any], at: float) -> None:
        """A parsed view (the snapshot; the screen parses every view)."""

    def send(self, kind: str, **data: Any) -> str:
        command_id = f"{self.name}-{len(self.commands) + 1}"
        message = {"type": kind, "id": command_id, **data}
        self.commands[command_id] = Sent(message, time.perf_counter())
        self.outbox.append(command_id)
        if self.wire is not None and self.connected.is_set():
            try:
                self.wire.send(json.dumps(message))
            except (ConnectionError, RuntimeError):
                pass
        return command_id

    async def do(self, kind: str, timeout: float = 30.0, **data: Any) -> Sent:
        command_id = self.send(kind, **data)
        waiter = asyncio.get_running_loop().create_future()
        self._waiters[command_id] = waiter
        await asyncio.wait_for(waiter, timeout)
        return self.commands[command_id]

    def drop(self) -> None:
        """Lose the connection abruptly (the Wi-Fi went away)."""
        if self.wire is not None:
            self.wire.abort()
        self.connected.clear()

    async def close(self) -> None:
        """Close the connection, and abort every earlier one (a server that died, or told
        this client to reconnect, may have left one half-open)."""
        if self._reader is not None:
            self._reader.cancel()
        if self.wire is not None:
            self.wire.close()
            await self.wire.wait_closed()
        for wire in self.wires:
            if wire is not self.wire:
                wire.abort()
        self.wires = [self.wire] if self.wire is not None else []

    async def keep_connected(self, stop: asyncio.Event, backoff: float = 0.2) -> None:
        """Reconnect whenever the connection is lost, with backoff and jitter, until `stop`."""
        delay = backoff
        while not stop.is_set():
            if self.connected.is_set():
                await asyncio.sleep(0.05)
                continue
            try:
                await self.join(timeout=10)
                delay = backoff
            except Exception:  # any failure mid-handshake (dropped again, server down): retry
                await asyncio.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 3.0)


class Phone(Client):
    role = "participant"


class Console(Client):
    role = "facilitator"


class Screen(Client):
    """Timestamps every view; `voters` records when each tally total was first seen."""

    role = "screen"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[tuple[float, int]] = []  # (when, voters) for every poll view

    def on_frame(self, frame: bytes) -> None:
        self.on_view(json.loads(frame)["view"], time.perf_counter())

    def on_view(self, view: dict[str, Any], at: float) -> None:
        activity = view.get("activity") or {}
        tally = activity.get("tally")
        if tally is not None:
            self.seen.append((at, tally["voters"]))


async def hang_up(
    stop: asyncio.Event, keepers: list[asyncio.Task[None]], clients: list[Client]
) -> None:
    """The end of a run: stop the tasks that kept clients connected, then close every client."""
    stop.set()
    for task in keepers:
        task.cancel()
    for task in keepers:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    for client in clients:
        await client.close()
