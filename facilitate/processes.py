"""Processes in the store: the glue from an organiser's request to the core and the log.

A process is small (a few meetings, a few dozen follow-up items) and changes now and then, so
it is not kept in memory: each command runs as one writer job that reads the process's log,
folds it, decides and appends, all in one transaction. Two organisers saving at once are
therefore applied one after the other, and "a meeting is in at most one process" is checked in
the same transaction that records the join.
"""

from __future__ import annotations

import functools
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from facilitate import store
from facilitate.core.errors import CommandError
from facilitate.core.events import Command, Event
from facilitate.core.process import Process, joinable
from facilitate.meetings import digest

ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o or 1/l to misread on paper
ID_LENGTH = 10  # 50 bits: the public follow-up page's address is not to be guessed


def new_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def is_id(value: str) -> bool:
    return len(value) == ID_LENGTH and all(c in ID_ALPHABET for c in value)


def same_meeting(joined: float | None, created_at: float) -> bool:
    """Whether the meeting now under a member's code is the one that joined (a deleted
    meeting's code may be drawn again): it was created when the join says."""
    return joined is None or abs(joined - created_at) < 0.001


@dataclass(frozen=True)
class Created:
    """A new process and its key (shown once; only its hash is stored)."""

    id: str
    key: str


@dataclass(frozen=True)
class Found:
    """A process as stored: its row (for the key's hash) and its state."""

    row: store.ProcessRow
    process: Process

    def is_organiser(self, key: str | None) -> bool:
        return bool(key) and hmac.compare_digest(digest(key or ""), self.row.key_hash)


class Processes:
    """Every process in the database, read and written through the one writer."""

    def __init__(self, writer: store.Writer, clock: Callable[[], float] = time.time) -> None:
        self.writer = writer
        self.clock = clock

    async def create(self, data: Mapping[str, Any]) -> Created:
        """Store a new process from the organiser's fields.

        Raises:
            ProcessError: a field has a problem (each is named).
        """
        key, now = secrets.token_urlsafe(24), self.clock()
        Process.created("check", data, now)  # raises before anything is stored
        for _ in range(20):
            process_id = new_id()
            created = Process.created(process_id, data, now)
            row = store.ProcessRow(process_id, digest(key), now, created.data["title"])
            insert = functools.partial(_insert, row=row, created=created)
            try:
                await self.writer.run(insert)
            except store.Taken:
                continue
            return Created(process_id, key)
        raise RuntimeError("no free process id found")

    async def get(self, process_id: str) -> Found | None:
        """The process with this id, folded from its log; None if there is none."""
        if not is_id(process_id):
            return None
        return await self.writer.run(lambda db: _load(db, process_id))

    async def handle(self, process_id: str, command: Command) -> tuple[Process, list[Event]]:
        """Decide and record an organiser's command in one transaction.

        Raises:
            CommandError: the command breaks a rule; nothing was written.
        """
        at = self.clock()

        def job(db: store.Database) -> tuple[Process, list[Event]]:
            db.lock_process(process_id)
            found = _load(db, process_id)
            if found is None:
                raise CommandError("unknown_process", "there is no such process")
            process = found.process
            seq = len(db.process_events(process_id)) + 1
            data = dict(command.data)
            if command.type == "join":
                meeting = db.meeting(str(data.get("meeting")))
                if meeting is None:
                    raise CommandError("unknown_meeting", "there is no such meeting")
                joinable(process_id, meeting.code, db.process_of(meeting.code))
                data["created"] = meeting.created_at
            events = process.handle(Command(command.type, data), at)
            db.append_process(process_id, seq, events)
            return process, events

        return await self.writer.run(job)

    async def of_meeting(self, code: str) -> Found | None:
        """The process a meeting is in, if any."""

        def job(db: store.Database) -> Found | None:
            owner = db.process_of(code)
            return None if owner is None else _load(db, owner)

        return await self.writer.run(job)


def _insert(db: store.Database, row: store.ProcessRow, created: Event) -> None:
    db.insert_process(row, created)


def _load(db: store.Database, process_id: str) -> Found | None:
    row = db.process(process_id)
    if row is None:
        return None
    return Found(row, Process.replay(db.process_events(process_id)))
