"""Waiting in the cluster tests, where real phones talk to real servers that come and go."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bench.swarm import Client

# The marks of a test whose phones talk to real servers that come and go. Phones told to
# reconnect leave sockets behind that a test may not close in time: the record, not the
# clients' sockets, is what these tests check.
SERVERS_COME_AND_GO = [
    pytest.mark.cluster,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


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
