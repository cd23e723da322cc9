"""Processes in the store: their own log, and which process a meeting is in."""

from __future__ import annotations

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


def add_meeting(db: store.Database, code: str, at: float) -> None:
    row = store.MeetingRow(code, "k", "s", at, "Möte")
    store.insert_meeting(db, row, Meeting.created(code, PLAN, at))


def test_a_process_log_round_trips_and_knows_its_meetings() -> None:
    db = store.open_db(":memory:")
    created = Process.created("abcdefghij", {"title": "Löfte", "language": "sv"}, T0)
    store.insert_process(db, store.ProcessRow("abcdefghij", "h", T0, "Löfte"), created)
    add_meeting(db, "123456", T0 + 1.000001)
    process = Process.replay(store.process_events(db, "abcdefghij"))
    join = Command("join", {"meeting": "123456", "step": "dialogue", "created": T0 + 1.000001})
    store.append_process(db, "abcdefghij", 2, process.handle(join, T0 + 2))
    again = Process.replay(store.process_events(db, "abcdefghij"))
    assert again.members == process.members
    assert store.process_of(db, "123456") == "abcdefghij"


def test_a_new_meeting_under_a_deleted_ones_code_is_in_no_process() -> None:
    db = store.open_db(":memory:")
    created = Process.created("abcdefghij", {"title": "Löfte", "language": "sv"}, T0)
    store.insert_process(db, store.ProcessRow("abcdefghij", "h", T0, "Löfte"), created)
    add_meeting(db, "123456", T0)
    process = Process.replay(store.process_events(db, "abcdefghij"))
    join = Command("join", {"meeting": "123456", "step": "vad", "created": T0})
    store.append_process(db, "abcdefghij", 2, process.handle(join, T0))
    store.delete_meeting(db, "123456")
    assert store.process_of(db, "123456") is None
    add_meeting(db, "123456", T0 + 3600)  # the code drawn again, months later
    assert store.process_of(db, "123456") is None
