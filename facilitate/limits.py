"""Per-address limits against abuse: guessing join codes, opening too many connections.

Addresses are kept in memory only, for a minute at most, and never reach the database or the
record.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_ADDRESSES = 50_000  # bound the memory an address-spraying client can make us use


class Bucket:
    """A token bucket: `capacity` commands at once, refilled at `rate` per second (a
    websocket's commands, a phone's plain form posts)."""

    def __init__(self, capacity: float, rate: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.at = time.monotonic()
        self.refused = 0

    def take(self) -> bool:
        now = time.monotonic()
        tokens = self.tokens + (now - self.at) * self.rate
        self.tokens = tokens if tokens < self.capacity else self.capacity
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.refused += 1
        return False


class Throttle:
    """At most `limit` events per `window` seconds per address (a sliding window)."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, address: str) -> deque[float]:
        now = self.clock()
        times = self._seen.get(address)
        if times is None:
            times = deque()
            self._seen[address] = times
            while len(self._seen) > MAX_ADDRESSES:
                self._seen.popitem(last=False)
        self._seen.move_to_end(address)
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, address: str) -> bool:
        """True when this address has used up its allowance for now."""
        return bool(self.limit) and len(self._recent(address)) >= self.limit

    def record(self, address: str) -> None:
        if self.limit:
            self._recent(address).append(self.clock())

    def retry_after(self, address: str) -> int:
        """Seconds until the address may try again."""
        times = self._recent(address)
        return max(1, int(self.window - (self.clock() - times[0])) + 1) if times else 1


class Connections:
    """How many websockets each address holds open right now."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open: dict[str, int] = {}

    def acquire(self, address: str) -> bool:
        """Count a new connection; False (and nothing counted) when the address is at its limit."""
        count = self._open.get(address, 0)
        if self.limit and count >= self.limit:
            return False
        self._open[address] = count + 1
        return True

    def release(self, address: str) -> None:
        count = self._open.get(address, 0) - 1
        if count > 0:
            self._open[address] = count
        else:
            self._open.pop(address, None)


class Newcomers:
    """New participant identities per address: a token bucket, `burst` at once and then
    `rate` a second. A whole hall can share one address behind the venue's router, so it is
    generous; a script that makes a fresh identity for every vote is held to the steady rate.
    """

    def __init__(
        self, burst: int, rate: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, when

    def take(self, address: str) -> bool:
        """Count one new identity from this address; False when it must wait."""
        if not self.burst:
            return True
        now = self.clock()
        tokens, then = self._buckets.pop(address, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.rate)
        allowed = tokens >= 1
        self._buckets[address] = (tokens - 1 if allowed else tokens, now)
        while len(self._buckets) > MAX_ADDRESSES:
            self._buckets.popitem(last=False)
        return allowed


class Recent:
    """How often each address did something in the last `window` seconds, for warnings."""

    def __init__(self, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def add(self, address: str) -> None:
        now = self.clock()
        times = self._seen.get(address)
        if times is None:
            times = self._seen[address] = deque()
            while len(self._seen) > MAX_ADDRESSES:
                self._seen.popitem(last=False)
        else:
            self._seen.move_to_end(address)
        times.append(now)

    def busiest(self) -> int:
        """The most any one address did in the window (addresses that went quiet are dropped)."""
        cutoff = self.clock() - self.window
        most = 0
        for address in list(self._seen):
            times = self._seen[address]
            while times and times[0] < cutoff:
                times.popleft()
            if times:
                most = max(most, len(times))
            else:
                del self._seen[address]
        return most
