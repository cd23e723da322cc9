"""One server of a cluster: the meetings it owns, the copies it follows, and the relay between.

Any server takes any connection (docs/cluster.md). The first to load a meeting takes its lease
in PostgreSQL and owns it: it alone decides commands and appends to the log, fenced by the
lease's token. Every other server that has people in the meeting keeps a copy, folded from the
log and then from the events the owner publishes once they are committed, and renders its own
people's views from it, as the owner does. Its phones' commands go to the owner over Redis, and
their answer comes back with the place in the log that holds them: the ack goes out once the
copy has got that far, so it says what it says on the owner.

The owner renews its leases every second. If it dies, its leases run out, and a server with a
copy takes the meeting over: it reads the rest of the log, and decides from then on. Commands
waiting for an answer are sent again (to the owner, whoever it is now) until one comes, and a
command id is applied once, whoever applies it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from facilitate import store
from facilitate.cluster.relay import Relay
from facilitate.core import views
from facilitate.core.errors import CommandError
from facilitate.core.events import Event
from facilitate.core.messages import Message

if TYPE_CHECKING:
    from facilitate.meetings import Live, Meetings, Outcome

logger = logging.getLogger(__name__)
START_SECONDS = 3.0  # how long a starting node waits for Redis before it serves anyway
LEASE_SECONDS = 3.0  # an owner that stops renewing loses its meetings after this long
TEND_SECONDS = 0.5  # leases renewed, free ones taken, silent commands resent: this often
RESEND_SECONDS = 1.0  # a relayed command unanswered this long is sent again
REPEAT_SECONDS = 2.0  # counts and the owner's place in the log are said again this often
PRESENCE_SECONDS = 5.0  # another server's count of its people is forgotten after this long
CATCH_UP_SECONDS = 0.2  # an answer's events not seen this long after it: read them from the log


def meeting_channel(code: str) -> str:
    return f"facilitate:meeting:{code}"


def command_channel(code: str) -> str:
    return f"facilitate:commands:{code}"


def node_channel(node: str) -> str:
    return f"facilitate:node:{node}"


@dataclass
class _Pending:
    """A command relayed to the owner, waiting for its answer."""

    code: str
    message: dict[str, Any]
    future: asyncio.Future[None]
    sent: float = field(default_factory=time.monotonic)


@dataclass
class Figures:
    """What /metrics reports of the cluster."""

    relayed: int = 0  # commands sent to another server's meeting
    answered: int = 0  # relayed commands answered here, as the owner
    resent: int = 0
    takeovers: int = 0  # meetings taken over from a server that stopped renewing
    lost: int = 0  # meetings this server lost to another
    catch_ups: int = 0  # copies brought up to date from the log
    relay_lag: float = 0.0  # seconds from an owner's commit to a copy here having it (last)


class Node:
    """The cluster side of `Meetings`: leases, copies and the relay."""

    def __init__(
        self, meetings: Meetings, redis_url: str | None, lease_seconds: float = LEASE_SECONDS
    ) -> None:
        self.id = secrets.token_hex(8)
        self.meetings = meetings
        self.lease_seconds = lease_seconds
        self.relay = (
            Relay(redis_url, self._message, on_down=self._down, on_up=self._up)
            if redis_url
            else None
        )
        self.figures = Figures()
        self._early: dict[str, list[dict[str, Any]]] = {}  # messages while a meeting loads
        self._pending: dict[tuple[str, str, str], _Pending] = {}
        self._tending: asyncio.Task[None] | None = None
        self._catching: dict[str, asyncio.Task[None]] = {}
        self._committed: dict[str, list[list[Any]]] = {}  # rows to publish, by meeting

    async def start(self) -> None:
        if self.relay is not None:
            self.relay.start()
            await self.relay.subscribe(node_channel(self.id))
            # Serve once Redis is there (it was a moment ago: `serve` checked), so the first
            # phones are not turned away; if it is slow, serve what this node owns meanwhile.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(START_SECONDS):
                    await self.relay.ready.wait()
        self._tending = asyncio.get_running_loop().create_task(self._tend())

    async def close(self) -> None:
        """Give up the leases held here, so other nodes take these meetings at once, not when
        the leases run out; a database or Redis that does not answer delays a stop by
        `START_SECONDS` at most."""
        if self._tending is not None:
            self._tending.cancel()
        owned = [code for code, live in self.meetings.live.items() if live.fence is not None]
        with contextlib.suppress(Exception):
            async with asyncio.timeout(START_SECONDS):
                if owned:
                    await self.meetings.writer.run(lambda db: _release_all(db, owned, self.id))
        if self.relay is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(START_SECONDS):
                    await self.relay.close()

    @property
    def relaying(self) -> bool:
        return self.relay is not None and self.relay.up

    def serves(self, live: Live) -> bool:
        """Whether this server can take connections to the meeting now: it owns it, or can
        reach its owner."""
        return live.fence is not None or self.relaying

    # -- loading ---------------------------------------------------------------------------

    async def load(self, code: str) -> Live | None:
        """The meeting as a live one here: owned if its lease is free, else a copy."""
        self._early[code] = []
        if self.relay is not None:
            await self.relay.subscribe(meeting_channel(code))
        try:
            found = await self.meetings.writer.run(
                lambda db: _claim(db, code, self.id, self.lease_seconds)
            )
            if found is None:
                if self.relay is not None:
                    await self.relay.unsubscribe(meeting_channel(code))
                return None
            row, token, log = found
            live = self.meetings.build(row, log)
            if token is not None:
                live.fence = store.Fence(self.id, token)
                if self.relay is not None:
                    await self.relay.subscribe(command_channel(code))
            for message in self._early.get(code, []):
                self._on_meeting(live, message)
            return live
        finally:
            self._early.pop(code, None)

    async def unloaded(self, live: Live) -> None:
        """The meeting left memory here: give up its lease and its channels."""
        code = live.row.code
        if live.fence is not None:
            live.fence = None
            await self.meetings.writer.run(lambda db: _release_all(db, [code], self.id))
        if self.relay is not None:
            await self.relay.unsubscribe(meeting_channel(code), command_channel(code))

    def deleted(self, code: str) -> None:
        if self.relay is not None:
            self.relay.publish(meeting_channel(code), {"t": "gone", "node": self.id})

    # -- the owner's side ------------------------------------------------------------------

    def committed(self, live: Live, rows: list[tuple[int, Event, str | None]]) -> None:
        """Events of a meeting owned here are in the log: on to the copies, one message per
        meeting for everything one commit settled (not one per input: a flood of notes
        settles hundreds in one turn of the loop)."""
        if self.relay is None or not rows:
            return
        if not self._committed:
            asyncio.get_running_loop().call_soon(self._publish_committed)
        self._committed.setdefault(live.row.code, []).extend(
            [seq, e.type, e.data, e.actor, e.at, cid] for seq, e, cid in rows
        )

    def _publish_committed(self) -> None:
        waiting, self._committed = self._committed, {}
        if self.relay is None:
            return
        at = time.time()
        for code, rows in waiting.items():
            message = {"t": "events", "node": self.id, "at": at, "rows": rows}
            self.relay.publish(meeting_channel(code), message)

    def _on_command(self, live: Live, message: dict[str, Any]) -> None:
        if live.fence is None:
            return  # not ours (any more): the sender tries again, and reaches the owner
        actor, command_id, node = message["actor"], message["id"], message["node"]
        self.figures.answered += 1
        live.touched = time.monotonic()  # in use, though perhaps by nobody connected here
        if message["t"] == "join":
            written: Outcome = asyncio.ensure_future(
                self.meetings.join(live, actor, kiosk=bool(message.get("kiosk")))
            )
        else:
            try:
                written = self.meetings.submit(
                    live, actor, Message(message["type"], command_id, message["data"])
                )
            except CommandError as exc:
                self._answer(node, live, actor, command_id, exc)
                return
            except Exception:
                logger.exception("a relayed command failed")
                self._answer(node, live, actor, command_id, CommandError("storage", "not saved"))
                return

        def done(future: Outcome) -> None:
            failure = None if future.cancelled() else future.exception()
            if future.cancelled() or isinstance(failure, store.LeaseLost):
                return  # no answer: it is sent again, to the new owner
            if failure is not None and not isinstance(failure, CommandError):
                failure = CommandError("storage", "not saved")
            self._answer(node, live, actor, command_id, failure)

        written.add_done_callback(done)

    def _answer(
        self, node: str, live: Live, actor: str, command_id: str, failure: CommandError | None
    ) -> None:
        if self.relay is None:
            return
        answer: dict[str, Any] = {
            "t": "answer",
            "code": live.row.code,
            "actor": actor,
            "id": command_id,
            "seq": live.committed,
        }
        if failure is not None:
            answer["error"] = [failure.code, failure.message, failure.params]
        self.relay.publish(node_channel(node), answer)

    # -- a copy's side ---------------------------------------------------------------------

    def relay_command(self, live: Live, actor: str, message: Message) -> asyncio.Future[None]:
        """Send a command to the meeting's owner: a future resolved once it is committed and
        this copy holds it (a CommandError if the owner refused it)."""
        assert message.id is not None
        body = {"t": "command", "actor": actor, "type": message.type, "data": message.data}
        return self._relay(live, actor, message.id, body)

    def relay_join(self, live: Live, pid: str, kiosk: bool) -> asyncio.Future[None]:
        """A participant's first arrival, recorded by the owner."""
        return self._relay(live, pid, "join", {"t": "join", "actor": pid, "kiosk": kiosk})

    def _relay(
        self, live: Live, actor: str, command_id: str, body: dict[str, Any]
    ) -> asyncio.Future[None]:
        code = live.row.code
        key = (code, actor, command_id)
        pending = self._pending.get(key)
        if pending is not None:
            return pending.future
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.relay is None or not self.relay.up:
            future.set_exception(ConnectionError("the meeting's owner cannot be reached"))
            return future
        message = {**body, "node": self.id, "id": command_id}
        self._pending[key] = _Pending(code, message, future)
        self.figures.relayed += 1
        self.relay.publish(command_channel(code), message)
        return future

    def _on_answer(self, message: dict[str, Any]) -> None:
        pending = self._pending.pop((message["code"], message["actor"], message["id"]), None)
        if pending is None or pending.future.done():
            return
        if "error" in message:
            code, text, params = message["error"]
            pending.future.set_exception(CommandError(code, text, **params))
            return
        live = self.meetings.live.get(pending.code)
        if live is None:
            pending.future.set_result(None)
            return
        self._when_at(live, int(message["seq"]), lambda: _resolve(pending.future))

    def _when_at(self, live: Live, seq: int, then: Callable[[], None]) -> None:
        """Run `then` once this copy holds the log up to `seq`."""
        if live.seq >= seq:
            then()
            return
        live.waiting.append((seq, then))

        def late() -> None:
            if live.seq < seq:
                self._catch_up(live)

        asyncio.get_running_loop().call_later(CATCH_UP_SECONDS, late)

    def _on_meeting(self, live: Live, message: dict[str, Any]) -> None:
        said = message.get("t")
        if message.get("node") == self.id:
            return
        if said == "events" and live.fence is None:
            self.figures.relay_lag = max(0.0, time.time() - float(message.get("at", 0)))
            for seq, type_, data, actor, at, client_id in message["rows"]:
                if seq <= live.seq:
                    continue
                if seq != live.seq + 1:  # one went missing on the way: the log has it
                    self._catch_up(live)
                    return
                self._apply(live, store.Logged(seq, Event(type_, data, actor, at), client_id))
        elif said == "seq" and live.fence is None and int(message["seq"]) > live.seq:
            self._catch_up(live)
        elif said == "presence":
            live.remote[message["node"]] = (tuple(message["counts"]), time.monotonic())
            live.room.presence_changed()
        elif said == "gone":
            self.meetings.drop(live, gone=True)

    def _apply(self, live: Live, logged: store.Logged) -> None:
        event = logged.event
        live.meeting.apply(event)
        live.seq = live.committed = logged.seq
        if logged.client_id:
            live.applied[(event.actor, logged.client_id)] = None
        touched = views.affected(live.meeting, event.type, event.data)
        live.room.changed(touched)
        waiting = [(seq, then) for seq, then in live.waiting if seq <= live.seq]
        if waiting:
            live.waiting = [(seq, then) for seq, then in live.waiting if seq > live.seq]
            for _, then in waiting:
                then()
        self.meetings.settle_later(live)

    def _catch_up(self, live: Live) -> None:
        """Read what this copy lacks from the log (once at a time per meeting)."""
        code = live.row.code
        if code in self._catching or live.fence is not None:
            return

        async def catch_up() -> None:
            try:
                after = live.seq
                logged = await self.meetings.reads.events(code, after)
                self.figures.catch_ups += 1
                for item in logged:
                    if item.seq == live.seq + 1:
                        self._apply(live, item)
            finally:
                self._catching.pop(code, None)

        self._catching[code] = asyncio.ensure_future(catch_up())

    # -- tending: leases, takeovers, resends, presence -------------------------------------

    async def _tend(self) -> None:
        while True:
            await asyncio.sleep(TEND_SECONDS)
            try:
                await self._tend_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("tending the cluster's leases failed")

    async def _tend_once(self) -> None:
        lives = list(self.meetings.live.values())
        owned = {live.row.code: live.fence.token for live in lives if live.fence is not None}
        copies = [live.row.code for live in lives if live.fence is None]
        kept, taken = await self.meetings.writer.run(
            lambda db: _renew_and_take(db, self.id, owned, copies, self.lease_seconds)
        )
        for code in set(owned) - kept:
            live = self.meetings.live.get(code)
            if live is not None and live.fence is not None:
                self.figures.lost += 1
                logger.warning("meeting %s is owned by another server now", code)
                self.meetings.drop(live, gone=False)
        for code, (token, logged) in taken.items():
            live = self.meetings.live.get(code)
            if live is not None and live.fence is None:
                await self._take_over(live, token, logged)
        now = time.monotonic()
        for pending in list(self._pending.values()):
            if now - pending.sent > RESEND_SECONDS and self.relay is not None:
                pending.sent = now
                self.figures.resent += 1
                self.relay.publish(command_channel(pending.code), pending.message)
        for live in self.meetings.live.values():
            self._presence(live, now)

    def _presence(self, live: Live, now: float) -> None:
        """Forget other servers' counts they stopped repeating; tell ours when it changed, and
        (like the owner's place in the log, for copies that missed an event) every few
        seconds anyway, for servers that just loaded the meeting or missed a message."""
        stale = [n for n, (_, at) in live.remote.items() if now - at > PRESENCE_SECONDS]
        for node in stale:
            del live.remote[node]
        if stale:
            live.room.presence_changed()
        if self.relay is None:
            return
        code = live.row.code
        due = now - live.told_at >= REPEAT_SECONDS
        if live.fence is not None and (due or live.committed != live.told_seq):
            live.told_seq = live.committed
            self.relay.publish(
                meeting_channel(code), {"t": "seq", "node": self.id, "seq": live.committed}
            )
        counts = [live.room.count(role) for role in ("participant", "screen", "facilitator")]
        if counts != live.told or (due and any(counts)):
            live.told = counts
            self.relay.publish(
                meeting_channel(code), {"t": "presence", "node": self.id, "counts": counts}
            )
        if due:
            live.told_at = now

    async def _take_over(self, live: Live, token: int, logged: list[store.Logged]) -> None:
        """This copy's owner stopped renewing: own the meeting from the end of the log on, and
        decide the commands waiting here (each id once: the log's are known applied)."""
        for item in logged:
            if item.seq == live.seq + 1:
                self._apply(live, item)
        live.fence = store.Fence(self.id, token)
        live.committed = live.seq
        self.figures.takeovers += 1
        logger.warning("took over meeting %s", live.row.code)
        if self.relay is not None:
            await self.relay.subscribe(command_channel(live.row.code))
        for key, pending in list(self._pending.items()):
            if pending.code != live.row.code:
                continue
            del self._pending[key]
            message = pending.message
            if message["t"] == "join":
                written: Outcome = asyncio.ensure_future(
                    self.meetings.join(live, message["actor"], kiosk=bool(message.get("kiosk")))
                )
            else:
                try:
                    written = self.meetings.submit(
                        live,
                        message["actor"],
                        Message(message["type"], message["id"], message["data"]),
                    )
                except CommandError as exc:
                    pending.future.set_exception(exc)
                    continue
            _chain(written, pending.future)

    # -- Redis -----------------------------------------------------------------------------

    def _message(self, channel: str, message: dict[str, Any]) -> None:
        if channel == node_channel(self.id):
            if message.get("t") == "answer":
                self._on_answer(message)
            return
        prefix, _, code = channel.rpartition(":")
        live = self.meetings.live.get(code)
        if live is None:
            early = self._early.get(code)
            if early is not None and prefix == "facilitate:meeting":
                early.append(message)
            return
        if prefix == "facilitate:meeting":
            self._on_meeting(live, message)
        elif prefix == "facilitate:commands":
            self._on_command(live, message)

    def _down(self) -> None:
        """Redis went away: the copies here can no longer reach their owners. Their people
        are told to reconnect (they resend what was not acked); owners keep working."""
        for live in list(self.meetings.live.values()):
            if live.fence is None:
                self.meetings.drop(live, gone=False)
        for pending in self._pending.values():
            if not pending.future.done():
                pending.future.set_exception(ConnectionError("Redis is unreachable"))
        self._pending.clear()

    def _up(self) -> None:
        for live in self.meetings.live.values():
            if live.fence is None:
                self._catch_up(live)


def _claim(
    db: Any, code: str, node: str, seconds: float
) -> tuple[store.MeetingRow, int | None, list[store.Logged]] | None:
    """In one transaction: the meeting, its lease if free, and its log read after taking it."""
    row = db.meeting(code)
    if row is None:
        return None
    token = db.acquire(code, node, seconds)
    return row, token, db.events(code)


def _renew_and_take(
    db: Any, node: str, owned: dict[str, int], copies: list[str], seconds: float
) -> tuple[set[str], dict[str, tuple[int, list[store.Logged]]]]:
    """Renew what `node` owns; take any copy whose owner let its lease run out, with the log
    after its last event (read after taking it, in the same transaction)."""
    kept = db.renew(node, owned, seconds)
    taken = {}
    for code in db.expired(copies):  # one query for all, then a write only for the free
        token = db.acquire(code, node, seconds)
        if token is not None:
            taken[code] = (token, db.events(code))
    return kept, taken


def _release_all(db: Any, codes: list[str], node: str) -> None:
    for code in codes:
        db.release(code, node)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _chain(source: Outcome, target: asyncio.Future[None]) -> None:
    def done(_: Outcome) -> None:
        if target.done():
            return
        if source.cancelled():
            target.cancel()
        elif (failure := source.exception()) is not None:
            target.set_exception(failure)
        else:
            target.set_result(None)

    source.add_done_callback(done)
