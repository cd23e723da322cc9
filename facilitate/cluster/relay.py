"""Redis pub/sub between the servers of a cluster: one subscriber connection, one publisher.

Redis carries what is live and can be lost: committed events on their way to other servers'
copies of a meeting, commands relayed to a meeting's owner and the owner's answers, and how many
people each server has connected. The database is the truth: a server that misses a message
catches up from the log, and a command that gets no answer is sent again (docs/cluster.md).

When Redis goes away the subscriber says so (`on_down`), keeps trying to come back, and
subscribes again to every channel it had (`on_up`). Publishing while Redis is down drops the
message, which the rules above make safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import redis
import redis.asyncio as aioredis

from facilitate import codec

logger = logging.getLogger(__name__)
CONNECT_SECONDS = 2.0
RETRY_SECONDS = 0.5  # between attempts to reach Redis again


class RedisUnreachable(Exception):
    """Redis cannot be reached at start; the message says where and why."""


def check(url: str) -> None:
    """Ping Redis once, at start.

    Raises:
        RedisUnreachable: it does not answer, or the URL is not a Redis URL.
    """
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_SECONDS)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, ValueError, OSError) as exc:
        raise RedisUnreachable(f"cannot reach Redis at {url}: {exc}") from exc


class Relay:
    """Channels in and out. `on_message(channel, message)` gets every message of a channel
    subscribed to (a dict), on the event loop, in the order Redis delivered them."""

    def __init__(
        self,
        url: str,
        on_message: Callable[[str, dict[str, Any]], None],
        on_down: Callable[[], None] = lambda: None,
        on_up: Callable[[], None] = lambda: None,
    ) -> None:
        self.url = url
        self.on_message, self.on_down, self.on_up = on_message, on_down, on_up
        self.channels: set[str] = set()
        self.up = False
        self.ready = asyncio.Event()  # set once the subscriber has connected, the first time
        self.published = 0
        self.dropped = 0  # messages published while Redis was away
        self._client = aioredis.Redis.from_url(
            url, socket_connect_timeout=CONNECT_SECONDS, socket_timeout=CONNECT_SECONDS
        )
        self._pubsub: Any = None
        self._outbox: list[tuple[str, str]] = []
        self._flushing: asyncio.Task[None] | None = None
        self._reader: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def close(self) -> None:
        for task in (self._reader, self._flushing):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self._drop_pubsub()
        with contextlib.suppress(Exception):
            await self._client.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except (redis.RedisError, OSError):
            return False

    # -- subscribing ------------------------------------------------------------------------

    async def subscribe(self, *channels: str) -> None:
        new = [c for c in channels if c not in self.channels]
        self.channels.update(new)
        if new and self.up and self._pubsub is not None:
            try:
                await self._pubsub.subscribe(*new)
            except (redis.RedisError, OSError):
                pass  # the reader notices, and subscribes to every channel when back

    async def unsubscribe(self, *channels: str) -> None:
        gone = [c for c in channels if c in self.channels]
        self.channels.difference_update(gone)
        if gone and self.up and self._pubsub is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                await self._pubsub.unsubscribe(*gone)

    async def _read(self) -> None:
        while True:
            try:
                self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
                await self._pubsub.subscribe("facilitate:hello")  # a pub/sub needs a channel
                if self.channels:
                    await self._pubsub.subscribe(*self.channels)
                self.up = True
                self.ready.set()
                self.on_up()
                while True:
                    message = await self._pubsub.get_message(timeout=1.0)
                    if message is None or message.get("type") != "message":
                        continue
                    channel = message["channel"]
                    channel = channel.decode() if isinstance(channel, bytes) else channel
                    try:
                        body = codec.loads(message["data"])
                    except ValueError:
                        logger.warning("a message on %s is not JSON", channel)
                        continue
                    try:
                        self.on_message(channel, body)
                    except Exception:  # one bad message is not Redis going away
                        logger.exception("a message on %s could not be handled", channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # ConnectionError, TimeoutError, a closed socket …
                if self.up:
                    logger.warning("Redis is unreachable: %s", exc)
                    self.up = False
                    self.on_down()
                await self._drop_pubsub()
                await asyncio.sleep(RETRY_SECONDS)

    async def _drop_pubsub(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
            self._pubsub = None

    # -- publishing -------------------------------------------------------------------------

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        """Queue a message; everything queued in one turn of the loop goes in one pipeline."""
        self._outbox.append((channel, codec.encode(message)))
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.get_running_loop().create_task(self._flush())

    async def _flush(self) -> None:
        while self._outbox:
            batch, self._outbox = self._outbox, []
            if not self.up:
                self.dropped += len(batch)
                continue
            try:
                async with self._client.pipeline(transaction=False) as pipe:
                    for channel, text in batch:
                        pipe.publish(channel, text)
                    await pipe.execute()
                self.published += len(batch)
            except (redis.RedisError, OSError) as exc:
                self.dropped += len(batch)
                logger.warning("could not publish %d messages to Redis: %s", len(batch), exc)
