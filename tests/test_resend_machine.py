"""Exactly once, across resends and restarts: a Hypothesis state machine over the live server's
meetings (core, store and writer; no sockets).

Phones send dots and notes with client ids and resend them after a dropped connection, as the
pages' outboxes do; the facilitator hides, restores and merges; the server restarts on the same
database. After every step: each client id that was accepted changed the meeting exactly once,
dot budgets and caps hold, and the meeting equals its log replayed.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Any

from budget import examples
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from facilitate import store
from facilitate.core import dots
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR
from facilitate.core.meeting import Meeting
from facilitate.core.messages import Message
from facilitate.core.plan import plan_from_dict
from facilitate.meetings import Live, Meetings
from facilitate.settings import Settings
from tests.core.test_moderation_machine import snapshot

PHONES = ("p1", "p2", "p3")
PLAN = plan_from_dict(
    {
        "title": "Trygghet i sentrum",
        "language": "nb",
        "activities": [
            {"id": "pj", "kind": "painjoy", "title": "Smerte og glede", "pain_dots": 2,
             "joy_dots": 1, "dot_cap": 2},
        ],
    }
)  # fmt: skip


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        self.now += 0.5
        return self.now


class Resends(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="resend-"))
        self.loop = asyncio.new_event_loop()
        self.clock = Clock()
        self.sent: list[tuple[str, Message]] = []  # every command a phone sent, to resend
        self.accepted: dict[tuple[str, str], int] = {}  # (phone, client id) -> events it made
        self.serial = 0
        self.run(self.open())
        created = self.run(self.meetings.create(PLAN))
        self.code = created.code
        self.live = self.load()
        self.send(FACILITATOR, "goto", activity="pj")
        for number, side in enumerate(["pain", "pain", "joy", "pain"]):
            self.send(PHONES[number % 3], "note", activity="pj", text=f"lapp {number}", side=side)
        self.send(FACILITATOR, "phase", activity="pj", phase="dots")

    def run(self, awaitable: Any) -> Any:
        return self.loop.run_until_complete(awaitable)

    async def open(self) -> None:
        db = self.folder / "m.db"
        self.writer = store.Writer(store.open_database(db))
        self.meetings = Meetings(self.writer, Settings(db_path=db), self.clock)

    async def shut(self) -> None:
        await self.meetings.close()
        self.writer.close()

    def load(self) -> Live:
        live = self.run(self.meetings.get(self.code))
        assert live is not None
        return live

    def logged(self) -> list[store.Logged]:
        """The log as stored, with the client id each event answered."""
        return self.run(self.writer.run(lambda db: db.events(self.code)))

    def submit(self, actor: str, message: Message) -> bool:
        """The server's path for a command: applied once, committed, then acknowledged."""
        try:
            self.run(self.meetings.execute(self.live, actor, message))
        except CommandError:
            return False
        return True

    def send(self, actor: str, type: str, **data: Any) -> bool:
        self.serial += 1
        message = Message(type, f"c{self.serial}", data)
        before = len(self.logged())
        ok = self.submit(actor, message)
        if actor != FACILITATOR:
            self.sent.append((actor, message))
            if ok:
                self.accepted[actor, f"c{self.serial}"] = len(self.logged()) - before
        return ok

    def notes(self) -> list[str]:
        return list(self.live.meeting.activities["pj"].notes)

    # -- rules ---------------------------------------------------------------------------------

    @rule(pid=st.sampled_from(PHONES), data=st.data(), delta=st.sampled_from([1, 1, -1]))
    def dot(self, pid: str, data: st.DataObject, delta: int) -> None:
        note = data.draw(st.sampled_from(self.notes()))
        self.send(pid, "dot", activity="pj", note=note, delta=delta)

    @precondition(lambda self: self.sent)
    @rule(data=st.data())
    def resend(self, data: st.DataObject) -> None:
        """A phone's outbox sends a command again with the same id: never applied twice."""
        actor, message = data.draw(st.sampled_from(self.sent))
        before = len(self.logged())
        ok = self.submit(actor, message)
        if (actor, message.id) in self.accepted:
            assert ok, "a repeated id that was accepted must be acknowledged again"
            assert len(self.logged()) == before, "a repeated id was applied twice"
        elif ok:  # it was refused before and fits now: a first application
            self.accepted[actor, message.id] = len(self.logged()) - before

    @rule(data=st.data(), command=st.sampled_from(["hide", "restore"]))
    def moderate(self, data: st.DataObject, command: str) -> None:
        note = data.draw(st.sampled_from(self.notes()))
        self.send(FACILITATOR, command, activity="pj", note=note, reason="navngir en person")

    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        into = data.draw(st.sampled_from(self.notes()))
        sources = data.draw(st.lists(st.sampled_from(self.notes()), min_size=1, max_size=2))
        self.send(FACILITATOR, "merge", activity="pj", into=into, notes=sources)

    @rule()
    def restart(self) -> None:
        """The server stops and starts again on the same database."""
        before = snapshot(self.live.meeting)
        self.run(self.shut())
        self.run(self.open())
        self.live = self.load()
        assert snapshot(self.live.meeting) == before

    # -- invariants ------------------------------------------------------------------------------

    @invariant()
    def every_accepted_id_is_in_the_log_once(self) -> None:
        ids = [(item.event.actor, item.client_id) for item in self.logged() if item.client_id]
        for key, events in self.accepted.items():
            assert ids.count(key) == events, key

    @invariant()
    def budgets_and_caps_hold(self) -> None:
        state = self.live.meeting.activities["pj"]
        for pid in PHONES:
            for side in ("pain", "joy"):
                assert dots.used(state, pid, side) <= dots.budget(state, side)
            assert all(
                0 < n <= state.spec.settings.dot_cap for n in state.dots.get(pid, {}).values()
            )

    @invariant()
    def the_log_replays_to_the_live_meeting(self) -> None:
        replayed = Meeting.replay(item.event for item in self.logged())
        assert snapshot(replayed) == snapshot(self.live.meeting)

    def teardown(self) -> None:
        try:
            self.run(self.shut())
        finally:
            self.loop.close()
            shutil.rmtree(self.folder, ignore_errors=True)


Resends.TestCase.settings = settings(
    max_examples=examples(60),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestResends = Resends.TestCase
