"""A process's log: creation with located problems, joins, steps and follow-up items."""

from __future__ import annotations

import pytest

from facilitate.core.errors import CommandError
from facilitate.core.events import Command
from facilitate.core.process import Process, ProcessError, joinable

T0 = 1_800_000_000.0


def fresh(**fields: object) -> Process:
    data = {"title": "Medborgarlöfte Torget 2027", "language": "sv", **fields}
    return Process.replay([Process.created("abc", data, T0)])


def test_created_keeps_cleaned_fields() -> None:
    process = fresh(description="  Trygghet på torget \n")
    assert (process.title, process.language, process.description) == (
        "Medborgarlöfte Torget 2027",
        "sv",
        "Trygghet på torget",
    )


def test_every_problem_of_a_new_process_is_located() -> None:
    with pytest.raises(ProcessError) as caught:
        Process.created("abc", {"title": " ", "language": "de", "colour": "red"}, T0)
    assert {(p.field, p.code) for p in caught.value.problems} == {
        ("title", "empty_text"),
        ("language", "unknown_language"),
        ("colour", "unknown_field"),
    }


def test_joining_twice_at_the_same_step_changes_nothing() -> None:
    process = fresh()
    first = process.handle(Command("join", {"meeting": "123456", "step": "dialogue"}), T0)
    assert [e.type for e in first] == ["meeting_joined"]
    assert process.handle(Command("join", {"meeting": "123456", "step": "dialogue"}), T0) == []
    again = process.handle(Command("join", {"meeting": "123456", "step": "vad"}), T0)
    assert [e.type for e in again] == ["step_changed"]
    assert process.by_step()["vad"][0].meeting == "123456"


def test_unknown_step_is_refused() -> None:
    with pytest.raises(CommandError) as caught:
        fresh().handle(Command("join", {"meeting": "123456", "step": "party"}), T0)
    assert caught.value.code == "unknown_step"


def test_moving_a_meeting_not_in_the_process_is_refused() -> None:
    with pytest.raises(CommandError) as caught:
        fresh().handle(Command("move", {"meeting": "123456", "step": "hur"}), T0)
    assert caught.value.code == "not_in_process"


def test_follow_up_item_keeps_dated_updates_with_their_status() -> None:
    process = fresh()
    process.handle(Command("add_item", {"title": "Fler vuxna ute på fredagar"}), T0)
    process.handle(
        Command("update_item", {"item": "f1", "status": "under_way", "note": "Första kvällen"}),
        T0 + 86400,
    )
    item = process.items["f1"]
    assert item.status == "under_way"
    assert [(u.at, u.text, u.status) for u in item.updates] == [
        (T0 + 86400, "Första kvällen", "under_way")
    ]


def test_an_update_that_changes_nothing_records_nothing() -> None:
    process = fresh()
    process.handle(Command("add_item", {"title": "Belysning i parken"}), T0)
    assert process.handle(Command("update_item", {"item": "f1", "status": "planned"}), T0) == []


def test_replay_equals_live() -> None:
    process = fresh()
    log = [Process.created("abc", {"title": "Medborgarlöfte Torget 2027", "language": "sv"}, T0)]
    for command in (
        Command("join", {"meeting": "111111", "step": "dialogue"}),
        Command("add_item", {"title": "Trygghetsvandring", "note": "Datum satt"}),
        Command(
            "update_item", {"item": "f1", "status": "done", "title": "Trygghetsvandring i maj"}
        ),
    ):
        log += process.handle(command, T0 + 1)
    again = Process.replay(log)
    assert again.items == process.items and again.members == process.members


def test_a_meeting_in_another_process_cannot_join() -> None:
    joinable("abc", "123456", None)
    joinable("abc", "123456", "abc")
    with pytest.raises(CommandError) as caught:
        joinable("abc", "123456", "xyz")
    assert caught.value.code == "in_another_process"
