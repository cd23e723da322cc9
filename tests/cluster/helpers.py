"""Waiting in the cluster tests, where real phones talk to real servers that come and go."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bench.swarm import Client


async def wait_for(check: Any, seconds: float, what: str) -> None:
    """Poll `check()` until it is true; fail after `seconds`, naming `what` was awaited."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def keep_connected(client: Client, stop: asyncio.Event) -> None:
    """Reconnect (and resend the outbox) whenever the connection is lost, until `stop`, as the
    page does: also when a server goes away in the middle of a handshake."""
    while not stop.is_set():
        try:
            await client.keep_connected(stop, backoff=0.1)
        except (asyncio.IncompleteReadError, ValueError):
            await asyncio.sleep(0.05)
