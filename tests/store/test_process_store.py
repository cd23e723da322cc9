"""Processes in the store, on both databases: their own log, and which process a meeting is in."""

from __future__ import annotations

import pytest

from facilitate import store
from facilitate.core.events import Command
from facilitate.core.meeting import Meeting
from facilitate.core.plan import plan_from_dict
from facilitate.core.process import Process

PLAN = plan_from_dict(
    {
        "title": "Möte",
        "language": "sv",
        "activities": [{"id": "hello", "kind": "info", "title": "Hej"}],
    }
)
T0 = 1_800_000_000.123456
ID = "abcdefghij"


def add_meeting(db: store.Database, code: str, at: float) -> None:
    row = store.MeetingRow(code, "k", "s", at, "Möte")
    with store.transaction(db):
        db.insert_meeting(row, Meeting.created(code, PLAN, at))


def add_process(db: store.Database) -> Process:
    created = Process.created(ID, {"title": "Löfte", "language": "sv"}, T0)
    with store.transaction(db):
        db.insert_process(store.ProcessRow(ID, "h", T0, "Löfte"), created)
    return Process.replay(db.process_events(ID))


def join(db: store.Database, process: Process, code: str, created: float, at: float) -> None:
    command = Command("join", {"meeting": code, "step": "dialogue", "created": created})
    with store.transaction(db):
        db.append_process(ID, 2, process.handle(command, at))


def test_a_process_log_round_trips_and_knows_its_meetings(db: store.Database) -> None:
    process = add_process(db)
    assert db.process(ID) == store.ProcessRow(ID, "h", T0, "Löfte")
    assert db.process("nothing") is None
    add_meeting(db, "123456", T0 + 1.000001)
    join(db, process, "123456", T0 + 1.000001, T0 + 2)
    again = Process.replay(db.process_events(ID))
    assert again.members == process.members
    assert db.process_of("123456") == ID
    assert db.process_of("654321") is None


def test_when_a_process_id_is_taken_then_inserting_it_again_raises_taken(
    db: store.Database,
) -> None:
    add_process(db)
    with pytest.raises(store.Taken), store.transaction(db):
        db.insert_process(
            store.ProcessRow(ID, "other", T0 + 1, "Annet"),
            Process.created(ID, {"title": "Annet", "language": "sv"}, T0 + 1),
        )
    assert db.process(ID) == store.ProcessRow(ID, "h", T0, "Löfte")
    assert len(db.process_events(ID)) == 1


def test_a_new_meeting_under_a_deleted_ones_code_is_in_no_process(db: store.Database) -> None:
    process = add_process(db)
    add_meeting(db, "123456", T0)
    join(db, process, "123456", T0, T0)
    assert db.process_of("123456") == ID
    with store.transaction(db):
        db.delete_meeting("123456")
    assert db.process_of("123456") is None
    add_meeting(db, "123456", T0 + 3600)  # the code drawn again, months later
    assert db.process_of("123456") is None
