"""Live meetings: the glue from a parsed message to the core, the store and the room.

A meeting is loaded from its log on first use and then kept in memory: its state, its position
in the log, the client ids it has already applied, and the room of everyone connected to it.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import functools
import hashlib
import hmac
import logging
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from facilitate import store
from facilitate.codec import encode
from facilitate.core import views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, Command, Event
from facilitate.core.kinds.base import Job
from facilitate.core.meeting import Meeting
from facilitate.core.messages import Message
from facilitate.core.plan import Plan
from facilitate.core.text import localize
from facilitate.core.views import Presence
from facilitate.hub import Room
from facilitate.limits import Bucket, Recent
from facilitate.settings import Settings

if TYPE_CHECKING:
    from facilitate.cluster.node import Node

SCRIBE_CODE_LENGTH = 10  # base32 letters: 50 bits, against a phone rate-limited to 5 tries a second
_RENDER = {
    "participant": views.phone,
    "screen": views.screen,
    "facilitator": views.console,
    "helper": views.helper,
}
NOTES_PER_MINUTE = 20  # per participant: generous for a person, a wall for a script
CODE = re.compile(r"[0-9]{6}")  # with fullmatch: `$` would let "123456\n" through
_COUNTED = ("participant", "screen", "facilitator")  # the presence counts servers share
CLOSE_GONE = 4404  # the websocket close code for "no such meeting" (docs/protocol.md)
CLOSE_RECONNECT = 1012  # "service restart": come back (to any server) and resend
_GONE = encode({"type": "error", "id": None, "code": "unknown_meeting", "message": "deleted"})
# How far ahead of its due time a recompute goes to the worker thread: twice what the last one
# took, within these bounds, so that it is adopted before the views would want it.
MIN_AHEAD, MAX_AHEAD = 0.05, 1.0

logger = logging.getLogger(__name__)
# What a command's caller waits for: its write (or, in cluster mode, its relay to the owner).
Outcome = store.Written | asyncio.Future[None]


def digest(secret: str) -> str:
    """What the database keeps of a key or token: never the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def participant_id(token: str) -> str:
    """A participant's anonymous id in the log, derived from the token only their phone holds."""
    return digest("participant:" + token)[:16]


class Spoilt(threading.Event):
    """Set (in the writer thread) when a write of the meeting fails: later writes refuse until
    it is reloaded. Every write hands its `is_set` and `set` to the writer, so they are bound
    once here rather than for every input."""

    def __init__(self) -> None:
        super().__init__()
        self.refuse = self.is_set
        self.spoil = self.set


@dataclass(frozen=True)
class Created:
    """A new meeting and the secrets that go with it (shown once, stored only as hashes)."""

    code: str
    facilitator_key: str
    screen_key: str


@dataclass
class Live:
    """One meeting in memory."""

    row: store.MeetingRow
    meeting: Meeting
    seq: int
    applied: dict[tuple[str, str], Outcome | None]
    room: Room
    notes_sent: dict[str, deque[float]] = field(default_factory=dict)
    # Each phone's plain form posts (docs/protocol.md, "Plain forms"), limited as a websocket's
    # commands are.
    form_posts: dict[str, Bucket] = field(default_factory=dict)
    views: dict[str, tuple[Any, str]] = field(default_factory=dict)
    # Set (in the writer thread) when a write fails: later writes refuse until a reload.
    spoilt: Spoilt = field(default_factory=Spoilt)
    # New phones and notes per address in the last minute, for the console's warnings.
    joins: Recent = field(default_factory=Recent)
    notes_from: Recent = field(default_factory=Recent)
    alert_at: tuple[int, int] = (0, 0)  # thresholds: joins, notes a minute (0: never)
    touched: float = field(default_factory=time.monotonic)  # last looked up or written to
    # When the meeting next settles (a value the views derive comes due: see Meeting.settle).
    settling: asyncio.TimerHandle | None = None
    settle_at: float = 0.0
    settle_soon: bool = False  # settle_later is due once the inputs settling now are done
    # Recomputes running in the worker thread (Meetings._recompute), and how far ahead of
    # their due time they are handed out.
    recomputing: asyncio.Task[None] | None = None
    ahead: float = MIN_AHEAD
    # Cluster mode (facilitate.cluster.node): the lease this server owns the meeting under,
    # None for a copy of a meeting another server owns; the last seq known committed; the
    # people other servers have connected (node -> counts, when told); what this server last
    # told them of its own; and callbacks waiting for a copy to reach a seq.
    fence: store.Fence | None = None
    committed: int = 0
    remote: dict[str, tuple[tuple[int, ...], float]] = field(default_factory=dict)
    told: list[int] = field(default_factory=list)
    told_at: float = float("-inf")
    told_seq: int = 0
    waiting: list[tuple[int, Callable[[], None]]] = field(default_factory=list)

    def is_facilitator(self, key: str | None) -> bool:
        return bool(key) and hmac.compare_digest(digest(key or ""), self.row.key_hash)

    def is_screen(self, key: str | None) -> bool:
        return bool(key) and (
            hmac.compare_digest(digest(key or ""), self.row.screen_hash) or self.is_facilitator(key)
        )

    def derived(self, *said: str) -> bytes:
        """A secret derived from the facilitator key's hash and what it is for ("scribe", the
        meeting, the table …): only this server can make it, and it gives the key away to nobody."""
        message = "/".join(said).encode()
        return hmac.new(self.row.key_hash.encode(), message, hashlib.sha256).digest()

    def scribe_code(self, table: str) -> str:
        """The code that makes a phone the scribe of `table` (docs/protocol.md, "Scribes"):
        derived from the facilitator key's hash, so only the console can show it, and from the
        table's round of scribes, so dismissing a table's scribes makes its old code worthless."""
        mac = self.derived("scribe", self.row.code, table, str(self.meeting.scribe_round(table)))
        return base64.b32encode(mac)[:SCRIBE_CODE_LENGTH].decode().lower()

    def helper_key(self) -> str:
        """The helper page's key (docs/protocol.md, "Helpers"), derived like a scribe code: the
        console fetches it, and it lets a helper put in paper notes and hands, nothing else."""
        return base64.urlsafe_b64encode(self.derived("helper", self.row.code)[:18]).decode()

    def form_token(self, token: str) -> str:
        """The token a phone's plain forms carry against forged posts (docs/protocol.md, "Plain
        forms"): derived from the facilitator key's hash, the meeting and the phone's own
        token, so only this server can make it, only for this phone, and it gives nothing of
        the phone's token away."""
        return base64.urlsafe_b64encode(self.derived("form", self.row.code, token)[:18]).decode()

    def is_helper(self, key: str | None) -> bool:
        return bool(key) and (
            hmac.compare_digest((key or "").encode(), self.helper_key().encode())
            or self.is_facilitator(key)
        )

    def appointment(self, message: Message, pid: str) -> Message:
        """A phone's `scribe_for` as the command it stands for: appoint this phone the scribe
        of the table, in the facilitator's name; refused unless the code is the table's now."""
        table, code = message.data["table"], message.data["code"]
        if table not in self.meeting.tables or not hmac.compare_digest(
            code.strip().lower().encode(), self.scribe_code(table).encode()
        ):
            raise CommandError("bad_scribe_code", "that is not this table's scribe code")
        data = {"table": table, "participant": pid}
        return Message("appoint_scribe", f"scribe/{pid}/{message.id}", data)

    def count(self, role: str) -> int:
        """Connected phones, screens or consoles, on this server and (cluster mode) others."""
        here = self.room.count(role)
        if not self.remote:  # one server (asked for every command: kept cheap)
            return here
        index = _COUNTED.index(role)
        return here + sum(c[index] for c, _ in self.remote.values())

    def presence(self) -> Presence:  # here `views` is the field above
        participants, screens, consoles = (self.count(role) for role in _COUNTED)
        return Presence(participants, screens, consoles, self.alerts())

    def alerts(self) -> tuple[tuple[str, int], ...]:
        found = []
        for what, recent, threshold in (
            ("joins", self.joins, self.alert_at[0]),
            ("notes", self.notes_from, self.alert_at[1]),
        ):
            busiest = recent.busiest() if threshold else 0
            if threshold and busiest >= threshold:
                found.append((what, busiest))
        return tuple(found)

    def view(self, role: str) -> str:
        """A role's view as JSON text, rendered once per change and reused (a join storm of
        phones all get the same snapshot view)."""
        presence = self.presence()
        key = (self.meeting.version, presence if role != "participant" else None)
        cached = self.views.get(role)
        if cached is None or cached[0] != key:
            cached = (key, encode(_RENDER[role](self.meeting, presence)))
            self.views[role] = cached
        return cached[1]

    def render(self, role: str) -> str:
        """The view of a role as an encoded `view` message, the same bytes for everyone."""
        return '{"type":"view","view":' + self.view(role) + "}"

    def render_mine(self, pid: str) -> str:
        return encode({"type": "mine", "mine": views.mine(self.meeting, pid)})


class Meetings:
    """Every meeting this server has touched, loaded lazily from the store."""

    def __init__(
        self, writer: store.Writer, settings: Settings, clock: Callable[[], float] = time.time
    ) -> None:
        self.writer = writer
        self.settings = settings
        self.clock = clock
        self._live: dict[str, Live] = {}
        self._loading: dict[str, asyncio.Lock] = {}
        self._reloads: dict[str, asyncio.Future[None]] = {}
        # One thread recomputes the values the views derive (opinion groups), for every
        # meeting in turn, so the event loop keeps serving while it does; one, so that a
        # busy hall's recomputes never take more than the one core beside the loop's.
        self._worker = concurrent.futures.ThreadPoolExecutor(1, "facilitate-recompute")
        self.cluster: Node | None = None  # cluster mode: set by the app (docs/cluster.md)
        self.reads: store.Reads = store.WriterReads(writer)  # a pool of its own on PostgreSQL
        self.commands = 0  # commands taken, for /metrics

    @property
    def live(self) -> dict[str, Live]:
        """The meetings in memory, by code."""
        return self._live

    async def create(self, plan: Plan) -> Created:
        """Store a new meeting under a fresh six-digit code."""
        key, screen_key = secrets.token_urlsafe(24), secrets.token_urlsafe(18)
        now = self.clock()
        for _ in range(50):
            code = f"{secrets.randbelow(1_000_000):06d}"
            row = store.MeetingRow(
                code, digest(key), digest(screen_key), now, localize(plan.title, plan.language)
            )
            created = Meeting.created(code, plan, now)
            try:
                await self.writer.run(functools.partial(_insert, row=row, created=created))
            except store.Taken:
                continue  # the code is taken: draw another
            return Created(code, key, screen_key)
        raise RuntimeError("no free meeting code found; delete old meetings")

    async def get(self, code: str) -> Live | None:
        """The live meeting with this code, loading it from its log if needed; None if unknown."""
        live = self._live.get(code)
        if live is not None:
            live.touched = time.monotonic()
            return live
        if not CODE.fullmatch(code):
            return None
        lock = self._loading.setdefault(code, asyncio.Lock())
        try:
            async with lock:
                if code in self._live:
                    return self._live[code]
                if self.cluster is not None:
                    loaded = await self.cluster.load(code)
                    if loaded is None:
                        return None
                    live = loaded
                else:
                    row, log = await self.writer.run(lambda db: (db.meeting(code), db.events(code)))
                    if row is None or not log:
                        return None
                    live = self.build(row, log)
                self._live[code] = live
                return live
        finally:
            if not lock.locked():  # the last one out: probing unknown codes keeps nothing
                self._loading.pop(code, None)

    def build(self, row: store.MeetingRow, log: list[store.Logged]) -> Live:
        """A live meeting from its row and log."""
        meeting = Meeting.replay(item.event for item in log)
        applied: dict[tuple[str, str], Outcome | None] = {
            (item.event.actor, item.client_id): None for item in log if item.client_id
        }
        holder: list[Live] = []
        room = Room(
            lambda role: holder[0].render(role),
            lambda pid: holder[0].render_mine(pid),
            tick=self.settings.tick,
            phone_tick=self.settings.phone_tick,
            stall_timeout=self.settings.send_timeout,
        )
        live = Live(row, meeting, log[-1].seq, applied, room, committed=log[-1].seq)
        live.alert_at = (self.settings.alert_joins_per_minute, self.settings.alert_notes_per_minute)
        holder.append(live)
        return live

    async def _reload(self, live: Live) -> None:
        """After a failed write, make memory equal the log again (once, however many wait)."""
        await asyncio.shield(self._start_reload(live))

    def _start_reload(self, live: Live) -> asyncio.Future[None]:
        """The meeting's reload in progress, started if there is none; held until it is done."""
        task = self._reloads.get(live.row.code)
        if task is None:
            task = asyncio.ensure_future(self._rebuild(live))
            self._reloads[live.row.code] = task
            task.add_done_callback(lambda _: self._reloads.pop(live.row.code, None))
        return task

    async def _rebuild(self, live: Live) -> None:
        if not live.spoilt.is_set():
            return  # nothing failed since the last reload
        log = await self.writer.run(lambda db: db.events(live.row.code))
        fresh = self.build(live.row, log)
        live.meeting, live.seq, live.applied = fresh.meeting, fresh.seq, fresh.applied
        live.committed = fresh.committed
        live.spoilt = Spoilt()
        live.views.clear()
        live.room.changed(live.room.phones)

    def _write(self, live: Live, events: list[Event], key: tuple[str, str] | None) -> _Input:
        """Queue events for the log: done once they are committed. If the write fails, the
        meeting is reloaded from the log in the background. `key` (actor, client id): the
        command they answer, if any (a join answers none)."""
        seq, client_id = live.seq, None if key is None else key[1]
        if len(events) == 1:  # most commands: no list made for the others
            rows = [(seq + 1, events[0], client_id)]
        else:
            rows = [(seq + i + 1, e, None if i else client_id) for i, e in enumerate(events)]
        live.seq += len(events)
        # Memory runs ahead of the log by the commands waiting in the writer. Once one of them
        # fails to be written, the ones decided after it may rest on it: write none of them.
        spoilt = live.spoilt
        job = store.Append(live.row.code, rows, refuse=spoilt.refuse, fence=live.fence)
        return self.writer.queue(_Input(job, spoilt.spoil, self, live, events, key))

    def _landed(self, written: _Input, ok: bool) -> None:
        """What follows a write, before anyone waiting for it hears: the meeting's place in
        the log, the views of those it changed, its next settling; a failed write reloads the
        meeting (or, in cluster mode, lets it go when another server owns it now)."""
        live, key = written.live, written.key
        if ok:
            live.committed = written.fn.rows[-1][0]
            if self.cluster is not None:
                self.cluster.committed(live, written.fn.rows)
            if key is not None:  # a command's events
                live.applied[key] = None
                meeting, events = live.meeting, written.events
                if len(events) == 1:  # most commands: no set made to gather them
                    touched = views.affected(meeting, events[0].type, events[0].data)
                else:
                    touched = set()
                    for event in events:
                        touched.update(views.affected(meeting, event.type, event.data))
                live.room.changed(touched)
                if not live.settle_soon:  # once for all the inputs one commit settles
                    live.settle_soon = True
                    written.loop.call_soon(self._settle_soon, live)
            return
        if key is not None and live.applied.get(key) is written:
            del live.applied[key]  # not applied: a resend may try again
        if isinstance(written.exception(), store.LeaseLost):
            self.drop(live, gone=False)  # another server owns it now: reconnect there
        else:
            self._start_reload(live)

    async def join(self, live: Live, pid: str, *, kiosk: bool = False) -> None:
        """Record a participant's first arrival (once per participant, ever); `kiosk`: its
        phone is a kiosk's (docs/protocol.md, "Kiosk")."""
        if live.fence is None and self.cluster is not None:
            if pid not in live.meeting.participants:
                await self.cluster.relay_join(live, pid, kiosk)
            return
        if live.spoilt.is_set():
            await self._reload(live)
        events = live.meeting.join(pid, self.clock(), kiosk=kiosk)
        if events:
            await self._write(live, events, None)

    async def execute(self, live: Live, actor: str, message: Message) -> None:
        """Apply a command once and return after its events are committed (then ack it).

        Raises:
            CommandError: the command breaks a rule or a limit; nothing changed.
        """
        if live.spoilt.is_set():
            await self._reload(live)
        await self.submit(live, actor, message)

    def submit(self, live: Live, actor: str, message: Message) -> Outcome:
        """Apply a command once, now, and queue its events for the log: what it returns is
        done once they are committed (then ack it): a `store.Written` (or, for a command
        relayed to another server, a future), awaitable, with `add_done_callback`. A caller
        need not wait for it before submitting the next command: commands are applied,
        committed and done in order.

        A command id seen before is not applied again: it returns the first delivery's (done
        at once if that is long committed). After a failed write, the meeting is reloaded
        first.

        Raises:
            CommandError: the command breaks a rule or a limit; nothing changed.
        """
        assert message.id is not None
        key = (actor, message.id)
        if key in live.applied:
            return live.applied[key] or _NOTHING
        self.commands += 1
        if live.fence is None and self.cluster is not None:
            return self.cluster.relay_command(live, actor, message)
        if live.spoilt.is_set():
            return asyncio.ensure_future(self.execute(live, actor, message))
        now = self.clock()
        limited = message.type == "note" and actor != FACILITATOR
        if limited:
            self._limit_notes(live, actor, now)
        events = live.meeting.handle(
            Command(message.type, message.data),
            actor,
            now,
            present=live.count("participant"),
        )
        if limited:  # only notes that were taken count towards the limit
            live.notes_sent[actor].append(now)
        if not events:
            return _NOTHING
        written = self._write(live, events, key)
        live.applied[key] = written
        return written

    def _settle_soon(self, live: Live) -> None:
        live.settle_soon = False
        self.settle_later(live)

    def settle_later(self, live: Live, *, ahead: bool = True) -> None:
        """If a value the views derive waits to be recomputed (opinion groups in a big room
        are, for a few seconds), come back when it is due: the newest input then shows even if
        no more comes. Come back a little ahead (`live.ahead`), to hand the recompute to the
        worker thread in time; none is scheduled while one runs (it schedules the next)."""
        due = live.meeting.due()
        if due is None or live.recomputing is not None:
            return
        start = due - live.ahead if ahead else due
        if live.settling is not None and live.settle_at <= start:
            return
        if live.settling is not None:
            live.settling.cancel()
        live.settle_at = start
        delay = max(0.0, start - self.clock()) + 0.01
        live.settling = asyncio.get_running_loop().call_later(delay, self._settle, live)

    def _settle(self, live: Live) -> None:
        """Hand what comes due soon to the worker thread, and settle in place what is due
        and cannot go there (what no kind prepares: none today, as input once closed makes
        the views compute the final groups at once)."""
        live.settling = None
        now = self.clock()
        jobs = live.meeting.prepare(now, now + live.ahead)
        touched = live.meeting.settle(now)
        if touched is not None:
            live.room.changed(touched)
        if jobs:
            live.recomputing = asyncio.ensure_future(self._recompute(live, live.meeting, jobs))
        else:
            self.settle_later(live, ahead=False)

    async def _recompute(self, live: Live, meeting: Meeting, jobs: list[Job]) -> None:
        """Run each job in the worker thread, and adopt its result on the loop: only the
        snapshot (taken in `prepare`) and the adoption hold the loop, never the computation."""
        loop = asyncio.get_running_loop()
        try:
            for job in jobs:
                started = time.perf_counter()
                try:
                    result = await loop.run_in_executor(self._worker, job.run)
                except Exception:
                    logger.exception(
                        "recomputing %s of meeting %s failed", job.activity, meeting.code
                    )
                    meeting.drop(job)
                    continue
                took = time.perf_counter() - started
                live.ahead = min(MAX_AHEAD, max(MIN_AHEAD, 2 * took))
                if live.meeting is meeting:  # else reloaded meanwhile: it starts afresh
                    touched = meeting.adopt(job, result)
                    if touched is not None:
                        live.room.changed(touched)
        finally:
            live.recomputing = None
        self.settle_later(live)

    @staticmethod
    def _stop(live: Live) -> None:
        """Cancel what the meeting has scheduled: its next settling, its recompute."""
        if live.settling is not None:
            live.settling.cancel()
        if live.recomputing is not None:
            live.recomputing.cancel()

    def _limit_notes(self, live: Live, pid: str, now: float) -> None:
        """Refuse a participant's note past NOTES_PER_MINUTE notes taken in the last minute."""
        sent = live.notes_sent.get(pid)
        if sent is None:  # (setdefault would make a deque for every note)
            sent = live.notes_sent[pid] = deque()
        while sent and now - sent[0] > 60:
            sent.popleft()
        if len(sent) >= NOTES_PER_MINUTE:
            raise CommandError(
                "slow_down", "that is a lot of notes at once; wait a minute", limit=NOTES_PER_MINUTE
            )

    async def delete(self, live: Live, farewell: Callable[[str], str]) -> None:
        """Delete a meeting for good: its log, its row, and every open connection to it."""
        code = live.row.code
        await self.writer.run(lambda db: db.delete_meeting(code))
        self._live.pop(code, None)
        self._stop(live)
        live.room.end_all(farewell, CLOSE_GONE)
        if self.cluster is not None:
            self.cluster.deleted(code)
            await self.cluster.unloaded(live)

    def drop(self, live: Live, *, gone: bool) -> None:
        """Let a meeting go from memory at once, and close its connections: `gone`, it was
        deleted (elsewhere); else they are told to reconnect, and resend what was not acked
        (cluster mode: another server owns it now, or its owner cannot be reached)."""
        if self._live.get(live.row.code) is not live:
            return
        del self._live[live.row.code]
        self._stop(live)
        if gone:
            live.room.end_all(lambda _: _GONE, CLOSE_GONE)
        else:
            live.room.end_all(None, CLOSE_RECONNECT)
        if self.cluster is not None:
            asyncio.ensure_future(self.cluster.unloaded(live))

    async def log(self, code: str) -> list[Event]:
        """A meeting's whole log, read from the store."""
        logged = await self.reads.events(code)
        return [item.event for item in logged]

    async def unload_idle(self, now: float | None = None) -> list[str]:
        """Let meetings nobody has used for a while leave memory: no connection, nothing
        waiting to be written, not looked up for `unload_after_seconds`. They load again
        from their log when someone asks (Meetings.get), exactly as they were."""
        now = time.monotonic() if now is None else now
        idle = [
            code
            for code, live in self._live.items()
            if now - live.touched > self.settings.unload_after_seconds
            and not any(live.room.outlets.values())
            and not live.spoilt.is_set()
            and code not in self._reloads
            and all(done is None or done.done() for done in live.applied.values())
        ]
        for code in idle:
            live = self._live.pop(code)
            self._stop(live)
            await live.room.close()
            if self.cluster is not None:
                await self.cluster.unloaded(live)
        return idle

    async def sweep(self, every: float = 60.0) -> None:
        """Unload idle meetings every minute, for as long as the server runs."""
        while True:
            await asyncio.sleep(every)
            await self.unload_idle()

    async def close(self) -> None:
        running = [live.recomputing for live in self._live.values() if live.recomputing]
        for live in self._live.values():
            self._stop(live)
            await live.room.close()
        await asyncio.gather(*running, return_exceptions=True)
        # Not waiting for a recompute under way: the thread ends with it, and its result goes.
        self._worker.shutdown(wait=False, cancel_futures=True)

    def snapshot(self, live: Live, role: str, pid: str | None) -> str:
        """The first message a connection gets: its role's full view, and its own input."""
        mine = "" if pid is None else ',"mine":' + encode(views.mine(live.meeting, pid))
        return '{"type":"snapshot","view":' + live.view(role) + mine + "}"


def _insert(db: store.Database, row: store.MeetingRow, created: Event) -> None:
    db.insert_meeting(row, created)


class _Input(store.Written):
    """A command's (or an arrival's) events on their way to the log: the writer's job, and
    what the server does once they are written (Meetings._landed), in one object."""

    __slots__ = ("meetings", "live", "events", "key")
    fn: store.Append

    def __init__(
        self,
        job: store.Append,
        on_fail: Callable[[], None],
        meetings: Meetings,
        live: Live,
        events: list[Event],
        key: tuple[str, str] | None,
    ) -> None:
        super().__init__(job, on_fail)
        self.meetings, self.live, self.events, self.key = meetings, live, events, key

    def settled(self, ok: bool) -> None:
        self.meetings._landed(self, ok)


_NOTHING = store.Written.already()  # for a command with nothing (more) to write
