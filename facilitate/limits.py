"""Per-address limits against abuse: guessing join codes, opening too many connections.

Addresses are kept in memory only, for a minute at most, and never reach the database or the
record.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_ADDRESSES = 50_000  # bound the memory an address-spraying client can make us use


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
