"""How the server process runs CPython's garbage collector in a hall full of phones.

Each connected phone keeps about 160 objects the collector tracks (uvicorn's protocol, its
websocket parser, asyncio's transport, our outlet and tasks), so 5,000 phones mean some 900,000.
CPython's full collection visits every one of them, and it runs whenever the survivors of the
younger generations pass a quarter of the heap: at 5,000 phones a pause of half a second to a
second, again and again while the hall fills and notes pour in (in one 5,000-phone run, 13 full
collections took 6 seconds of CPU).

What survives a full collection is long-lived (connections, the meeting in memory), so it is
frozen (`gc.freeze`): later full collections visit only what is newer. And full collections come
ten times less often than CPython's default (after 100 collections of the middle generation, not
10): in a flood of notes, every input in flight (its write, event, rows) lives long
enough to reach the oldest generation, and with 20,000 inputs in flight the default made eight
full collections in four seconds, a seventh of the server's CPU. Most of those objects are gone
a moment later, so a rarer full collection finds few of them. For the same reason young
collections come after 10,000 allocations, not 700: an input in flight lives for a few
milliseconds, a young collection every 700 allocations catches it alive and moves it on to the
older generations, and one every 10,000 mostly finds it gone (in a 40,000-note run: server CPU
per input 56 → 51 µs, and the flood whose full collection fell in it no longer stands out at
75-88 µs). Frozen objects that
become garbage later are the cycles a closed connection leaves behind (about 50 objects: asyncio's
transport, the websocket parser), so once closed connections could account for a quarter of the
frozen objects, everything is thawed and collected once, and frozen again.
"""

from __future__ import annotations

import gc
from typing import Any

OBJECTS_PER_CONNECTION = 160  # tracked objects a connected phone keeps, measured
FULL_EVERY = 100  # middle-generation collections between full ones (CPython's default: 10)
YOUNG = 10_000  # allocations between young collections (CPython's default: 700)


class Collector:
    """The policy above. `install()` once before serving; `connection_closed()` per socket."""

    def __init__(self) -> None:
        self.closed = 0  # connections closed since the last thaw
        self.thaws = 0
        # How many objects are frozen, counted when they were frozen: gc.get_freeze_count()
        # walks the whole frozen list, and asked once per closed connection it made a storm of
        # disconnects quadratic (10,000 phones leaving held a server's loop for minutes).
        self.frozen = 0
        self.installed = False
        self._thresholds = gc.get_threshold()

    def install(self) -> None:
        gc.collect()
        self._freeze()  # what the process made while starting: modules, templates, catalogs
        gc.callbacks.append(self._after)
        self._thresholds = gc.get_threshold()
        _, middle, _ = self._thresholds
        gc.set_threshold(YOUNG, middle, FULL_EVERY)
        self.installed = True

    def uninstall(self) -> None:
        if self.installed:
            gc.callbacks.remove(self._after)
            gc.set_threshold(*self._thresholds)
            gc.unfreeze()
            self.installed = False

    def _after(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            self._freeze()  # the survivors of a full collection

    def connection_closed(self) -> None:
        if not self.installed:
            return
        self.closed += 1
        if self.closed * OBJECTS_PER_CONNECTION > self.frozen / 4:
            self.thaw()

    def thaw(self) -> int:
        """Collect everything once, frozen objects included; returns how many were freed."""
        self.closed = 0
        self.thaws += 1
        gc.unfreeze()
        freed = gc.collect()
        self._freeze()
        return freed

    def _freeze(self) -> None:
        gc.freeze()
        self.frozen = gc.get_freeze_count()


collector = Collector()
