"""Who is connected to each meeting, and how updates reach them. Knows asyncio, not Starlette.

Each connection has an Outlet: a slot for the newest view (a phone that falls behind skips stale
views instead of piling them up) and a short queue for messages meant for it alone (acks, errors,
its own input). One sender task per connection drains it, so a stalled phone blocks nobody.

When the server offers a way to write a pre-built frame straight to the socket (see
facilitate.web.protocol), an idle connection gets its frame at once, with no task woken and no
per-socket encoding: that is the common case in a hall. The slot and the sender take over as
soon as a connection has anything waiting, so order is kept and a slow phone still skips views.

Updates are coalesced: a change marks the room dirty, and a ticker renders each role's view at
most once per tick (projector and console ≈100 ms, phones ≈250 ms), sending the same encoded
text to every connection of that role. Nothing is sent when nothing changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator

Write = Callable[[bytes], bool]  # writes a pre-built frame if the socket is idle; False if not
Framer = Callable[[str], bytes]  # text -> the frame that carries it

# In this order each tick: the projector's frame goes out before thousands of phones' frames.
ROLES = ("screen", "facilitator", "participant", "helper")
RENDER_BUDGET = 5  # wait at least this many times a render's cost before rendering again
FRAMES_PER_SECOND = 5_000  # views per second one role may be sent (about a sixth of a core)
OFFER_CHUNK = 250  # senders woken per turn of the event loop during a fan-out
MAX_DIRECT = 256  # messages waiting for one connection before it counts as stalled


class _Cork(threading.local):
    """The connections holding back frames while `corked`, per thread (each event loop's
    own; tests run loops in several threads): None when not corked."""

    held: list[Outlet] | None = None


_cork = _Cork()


@contextlib.contextmanager
def corked() -> Iterator[None]:
    """Hold back what is pushed to idle connections until the block ends, then write each
    connection's held messages at once, in one write. The writer settles the inputs of one
    commit inside this: a phone that posted four notes at once gets their four acks in one
    packet, with one system call, not four."""
    if _cork.held is not None:  # already corked: the outer block writes
        yield
        return
    held: list[Outlet] = []
    _cork.held = held
    try:
        yield
    finally:
        _cork.held = None
        for outlet in held:
            outlet.release()


class Stalled(Exception):
    """A connection stopped reading: it is dropped, and rebuilds from a snapshot on return."""


class Ended(Exception):
    """The server ends this connection on purpose (the meeting was deleted)."""

    def __init__(self, code: int) -> None:
        super().__init__(f"ended with close code {code}")
        self.code = code


class Outlet:
    """One connection's mailbox."""

    def __init__(
        self,
        role: str,
        pid: str | None = None,
        lang: str = "en",
        write: Write | None = None,
        framer: Framer | None = None,
    ) -> None:
        self.role = role
        self.pid = pid
        self.lang = lang  # for the few messages the server composes for everyone
        self.write = write
        self.framer = framer
        self._view: str | None = None
        self._direct: deque[str] = deque()
        self._ready = asyncio.Event()
        self.stalled = False
        self.ending: int | None = None  # a close code: end once the direct queue is sent
        self.since: float | None = None  # loop time the send in progress started
        self.sender: asyncio.Task[None] | None = None  # cancelled when the send stalls
        self._holding: list[str] | None = None  # messages held back while corked

    def stall(self) -> None:
        """Give up on this connection: its sender stops; it rebuilds from a snapshot later."""
        self.stalled = True
        if self.sender is not None:
            self.sender.cancel()

    def _idle(self) -> bool:
        """Nothing waits to be sent and no send is under way: a frame may go straight out."""
        return (
            self._view is None
            and not self._direct
            and self.since is None
            and self.ending is None
            and not self.stalled
            and self._holding is None
        )

    def offer(self, frame: str, framed: bytes | None = None) -> None:
        """A newer view: replaces any view not yet sent. `framed` is the same view as a
        pre-built frame, written at once if the connection is idle."""
        if framed is not None and self.write is not None and self._idle() and self.write(framed):
            return
        self._view = frame
        self._ready.set()

    def push(self, frame: str) -> None:
        """A message for this connection alone; kept in order, never dropped."""
        if self._holding is not None:
            self._holding.append(frame)
            return
        if self.write is not None and self.framer is not None and self._idle():
            held = _cork.held
            if held is not None:
                self._holding = [frame]
                held.append(self)
                return
            if self.write(self.framer(frame)):
                return
        self._queue(frame)

    def release(self) -> None:
        """Write the messages held back while corked in one write (or queue them, in order,
        for the sender if the socket cannot take them now)."""
        frames, self._holding = self._holding, None
        if not frames:
            return
        assert self.write is not None and self.framer is not None
        framer = self.framer
        if len(frames) == 1:  # most often: one ack
            data = framer(frames[0])
        else:
            data = b"".join([framer(frame) for frame in frames])
        if self.write(data):
            return
        for frame in frames:
            self._queue(frame)

    def _queue(self, frame: str) -> None:
        if len(self._direct) >= MAX_DIRECT:
            self.stalled = True
        else:
            self._direct.append(frame)
        self._ready.set()

    def end(self, close_code: int) -> None:
        """Send what is queued for this connection, then close it with `close_code`."""
        self.ending = close_code
        self._ready.set()

    async def next(self) -> str:
        """The next frame to send: direct messages first, then the newest view."""
        while True:
            if self.stalled:
                raise Stalled
            if self._direct:
                return self._direct.popleft()
            if self.ending is not None:
                raise Ended(self.ending)
            if self._view is not None:
                frame, self._view = self._view, None
                return frame
            self._ready.clear()
            await self._ready.wait()


class Room:
    """Everyone connected to one meeting, by role.

    `render(role)` and `render_mine(pid)` turn the meeting into encoded frames; the room decides
    when, and sends the same frame to every connection that needs it.
    """

    def __init__(
        self,
        render: Callable[[str], str],
        render_mine: Callable[[str], str],
        tick: float = 0.1,
        phone_tick: float = 0.25,
        stall_timeout: float = 10.0,
    ) -> None:
        self.render = render
        self.stall_timeout = stall_timeout
        self.render_mine = render_mine
        self.tick = tick
        self.phone_tick = phone_tick
        self.outlets: dict[str, set[Outlet]] = {role: set() for role in ROLES}
        self.phones: dict[str, set[Outlet]] = {}  # participant id -> their connections
        self._state = 0  # bumped by changes of the meeting: every role re-renders
        self._presence = 0  # bumped by arrivals and departures: screen and console only
        self._sent: dict[str, tuple[int, int]] = {role: (0, 0) for role in ROLES}
        self._mine: set[str] = set()
        self._last: dict[str, str] = {}  # the last frame each role was sent
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._watchdog: asyncio.Task[None] | None = None
        self.renders = 0

    # -- presence ------------------------------------------------------------------------

    def count(self, role: str) -> int:
        """Connected phones (each participant once), screens or consoles."""
        return len(self.phones) if role == "participant" else len(self.outlets[role])

    def enter(self, outlet: Outlet) -> None:
        self.outlets[outlet.role].add(outlet)
        if outlet.pid is not None:
            self.phones.setdefault(outlet.pid, set()).add(outlet)
        self._touch(presence=True)
        if self._watchdog is None or self._watchdog.done():
            self._watchdog = asyncio.get_running_loop().create_task(self._watch())

    def leave(self, outlet: Outlet) -> None:
        self.outlets[outlet.role].discard(outlet)
        if outlet.pid is not None:
            mine = self.phones.get(outlet.pid, set())
            mine.discard(outlet)
            if not mine:
                self.phones.pop(outlet.pid, None)
        self._touch(presence=True)

    def send_to(self, pid: str, frame: str) -> None:
        """A message for every connection of one participant (e.g. their own input)."""
        for outlet in self.phones.get(pid, ()):
            outlet.push(frame)

    # -- changes -------------------------------------------------------------------------

    def changed(self, participants: Iterable[str] = ()) -> None:
        """The meeting changed; `participants` whose own input changed get it re-sent."""
        if participants:
            self._mine.update(participants)
        self._touch(presence=False)

    def presence_changed(self) -> None:
        """Someone arrived or left elsewhere (another server of a cluster)."""
        self._touch(presence=True)

    def _touch(self, presence: bool) -> None:
        if presence:
            self._presence += 1
        else:
            self._state += 1
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    def _frames(self, roles: Iterable[str]) -> tuple[list[tuple[str, str, bytes | None]], float]:
        """Render each role whose view is out of date, once: the (role, frame, pre-built frame)
        to offer, and the seconds spent rendering."""
        offers: list[tuple[str, str, bytes | None]] = []
        spent = 0.0
        for role in roles:
            # Phones do not show the participant count, so arrivals alone don't re-render them.
            want = (self._state, 0 if role == "participant" else self._presence)
            if self._sent[role] == want:
                continue
            self._sent[role] = want
            if not self.outlets[role]:
                continue
            started = time.perf_counter()
            frame = self.render(role)
            spent += time.perf_counter() - started
            self.renders += 1
            if frame == self._last.get(role):
                continue  # a change that role cannot see (another phone's note): send nothing
            self._last[role] = frame
            # Built once for every connection that can take a pre-built frame.
            framer = next((o.framer for o in self.outlets[role] if o.framer), None)
            offers.append((role, frame, framer(frame) if framer else None))
        return offers, spent

    def _send_mine(self, roles: Iterable[str]) -> None:
        if "participant" in roles and self._mine:
            pids, self._mine = self._mine, set()
            for pid in pids:
                if pid in self.phones:
                    self.send_to(pid, self.render_mine(pid))

    async def _flush_spread(self, role: str) -> float:
        """Render the role's view if it is out of date and offer it to all of its connections;
        the seconds spent rendering. Thousands of offers wake thousands of senders, so they go
        out in chunks and input (a vote, a note) is read between the chunks."""
        offers, spent = self._frames((role,))
        for _, frame, framed in offers:
            for count, outlet in enumerate(list(self.outlets[role]), start=1):
                outlet.offer(frame, framed)
                if count % OFFER_CHUNK == 0:
                    await asyncio.sleep(0)
        self._send_mine((role,))
        return spent

    def _pending(self, role: str) -> bool:
        want = (self._state, 0 if role == "participant" else self._presence)
        return self._sent[role] != want or (role == "participant" and bool(self._mine))

    async def _run(self) -> None:
        # Each role is rendered at most once per its interval; a view that is expensive to
        # render (a wall of thousands of notes) waits RENDER_BUDGET times its cost, so
        # rendering never takes more than a fraction of the server's time.
        loop = asyncio.get_running_loop()
        due = dict.fromkeys(ROLES, 0.0)
        while True:
            await self._wake.wait()
            self._wake.clear()
            while any(self._pending(role) for role in ROLES):
                await asyncio.sleep(self.tick)
                for role in ROLES:
                    now = loop.time()
                    if now < due[role] or not self._pending(role):
                        continue
                    cost = await self._flush_spread(role)
                    interval = self.phone_tick if role == "participant" else self.tick
                    # Sending is the cost that grows with the crowd: in a packed hall phones
                    # get fewer, fresher updates, and the projector stays on time.
                    sends = len(self.outlets[role]) / FRAMES_PER_SECOND
                    due[role] = now + max(interval, RENDER_BUDGET * cost, sends) - 1e-3

    def end_all(self, farewell: Callable[[str], str] | None, close_code: int) -> None:
        """Tell every connection `farewell(its language)`, if any, then close them all (the
        meeting is gone, or is served elsewhere now)."""
        for outlets in self.outlets.values():
            for outlet in outlets:
                if farewell is not None:
                    outlet.push(farewell(outlet.lang))
                outlet.end(close_code)

    async def _watch(self) -> None:
        """Drop connections whose send has been stuck longer than the stall timeout.

        One sweep a second for the whole room, rather than a timer per send: a timer per send
        costs a heap push and pop for every frame to every phone.
        """
        loop = asyncio.get_running_loop()
        period = min(1.0, self.stall_timeout / 4)
        while any(self.outlets.values()):
            await asyncio.sleep(period)
            now = loop.time()
            for outlets in self.outlets.values():
                for outlet in list(outlets):
                    if outlet.since is not None and now - outlet.since > self.stall_timeout:
                        outlet.stall()

    async def close(self) -> None:
        for task in (self._task, self._watchdog):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
