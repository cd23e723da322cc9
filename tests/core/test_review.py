"""Notes that wait for review, bulk hiding, the pause switch, moderation rules, honest counts."""

from __future__ import annotations

import pytest

from facilitate.core import board, record, views
from facilitate.core.events import FACILITATOR, Event

from .helpers import Run, notes, painjoy, poll


def wall() -> Run:
    run = Run(notes("ideas"), painjoy("pj"))
    run.show("ideas")
    return run


def test_when_the_wall_is_paused_then_new_notes_wait_in_the_console_until_released():
    run = wall()
    before = run.post("p1", "ideas", "Før pausen")
    run.fac("pause", activity="ideas")
    waiting = run.post("p2", "ideas", "Under pausen")
    state = run.state("ideas")
    assert (state.notes[before].status, state.notes[waiting].status) == ("visible", "held")
    assert [n["id"] for n in views.screen(run.meeting, views.Presence())["activity"]["notes"]] == [
        before
    ]
    console = views.console(run.meeting, views.Presence())["activity"]
    assert (console["paused"], console["held"]) == (True, 1)
    assert views.mine(run.meeting, "p2")["ideas"]["notes"][0] == {
        "id": waiting,
        "text": "Under pausen",
        "merged": 0,
        "status": "held",
        "held": "paused",
    }
    run.fac("release", activity="ideas", note=waiting)
    assert state.notes[waiting].status == "visible"
    assert run.refused(FACILITATOR, "release", activity="ideas", note=waiting).code == "not_held"
    run.fac("resume", activity="ideas")
    assert run.state("ideas").notes[run.post("p3", "ideas", "Etter")].status == "visible"


def test_when_a_held_note_is_merged_then_it_is_refused_and_it_is_not_public():
    run = wall()
    kept = run.post("p1", "ideas", "Mer lys")
    run.fac("pause", activity="ideas")
    waiting = run.post("p2", "ideas", "Mer lys!")
    error = run.refused(FACILITATOR, "merge", activity="ideas", into=kept, notes=[waiting])
    assert error.code == "merge_held"
    state = run.state("ideas")
    assert not board.is_public(state, state.notes[waiting])
    ideas = record.build(run.log)["activities"][0]
    assert [(n["id"], n["status"], n["held"]) for n in ideas["moderation"]] == [
        (waiting, "held", "paused")
    ]


@pytest.mark.parametrize(
    ("choice", "hidden"),
    [
        ({"notes": ["n2", "n3", "n3"]}, ["n2", "n3"]),
        ({"since": 3.5}, ["n3", "n4"]),  # posted at t+4 and t+6, the command at t+7
        ({"held": True}, ["n4"]),
    ],
)
def test_when_many_notes_are_hidden_at_once_then_each_gets_the_one_reason(choice, hidden):
    run = wall()
    for text in ("Ok", "Reklame 1", "Reklame 2"):
        run.post("p1", "ideas", text)
    run.fac("pause", activity="ideas")
    run.post("p9", "ideas", "Reklame 3")  # n4, held
    events = run.fac("hide_many", activity="ideas", reason="spam", **choice)
    assert [(e.type, e.data["note"], e.data["reason"]) for e in events] == [
        ("note_hidden", note, "spam") for note in hidden
    ]


@pytest.mark.parametrize(
    ("choice", "code"),
    [
        ({}, "bad_selection"),
        ({"notes": ["n1"], "held": True}, "bad_selection"),
        ({"since": 0}, "bad_selection"),
        ({"since": True}, "bad_selection"),
        ({"held": False}, "bad_selection"),
        ({"notes": ["n99"]}, "unknown_note"),
        ({"held": True}, "nothing_to_hide"),
    ],
)
def test_when_a_bulk_hide_is_unclear_or_finds_nothing_then_it_is_refused(choice, code):
    run = wall()
    run.post("p1", "ideas", "Ok")
    assert run.refused(FACILITATOR, "hide_many", activity="ideas", **choice).code == code
    assert run.state("ideas").notes["n1"].status == "visible"


def test_when_a_poll_is_paused_then_it_is_refused():
    run = Run(poll("poll"))
    assert run.refused(FACILITATOR, "pause", activity="poll").code == "wrong_kind"


def test_when_the_facilitator_writes_rules_then_phones_get_them_and_blank_means_default():
    run = wall()
    run.fac("rules", text="  Skriv om saken,\u202e ikke om personer.  ")
    assert (
        views.phone(run.meeting, views.Presence())["rules"] == "Skriv om saken, ikke om personer."
    )
    assert run.fac("rules", text="Skriv om saken, ikke om personer.") == []  # no change
    run.fac("rules", text=" \u200b ")
    assert run.meeting.rules == ""
    assert run.refused(FACILITATOR, "rules", text="x" * 2001).code == "too_long_text"
    assert record.build(run.log)["meeting"]["rules"] == ""


def test_when_a_phone_only_opened_the_page_then_it_is_not_counted_as_taking_part():
    run = wall()
    run.join("p1", "p2", "p3")
    run.post("p1", "ideas", "Mer lys")
    people = record.build(run.log)["participants"]
    assert (people["joined"], people["opened"]) == (1, 3)
    assert [j["joined"] for j in people["joins"]] == [1]


def test_when_a_hidden_note_belongs_to_me_then_my_phone_says_why():
    run = wall()
    note = run.post("p1", "ideas", "Ola er dum")
    run.fac("hide", activity="ideas", note=note, reason="Skriv om saken")
    (own,) = views.mine(run.meeting, "p1")["ideas"]["notes"]
    assert (own["status"], own["reason"]) == ("hidden", "Skriv om saken")
    assert "ideas" not in views.mine(run.meeting, "p2")


def test_when_people_take_part_at_a_kiosk_then_the_record_counts_those_who_gave_input_there():
    run = wall()
    joined = run.meeting.join("k1", run.tick(), kiosk=True)
    assert joined == [Event("participant_joined", {"kiosk": True}, "k1", run.at)]
    run.log.extend(joined)
    run.log.extend(run.meeting.join("k2", run.tick(), kiosk=True))  # looked and walked away
    run.join("p1")
    run.post("k1", "ideas", "Benker ved butikken")
    run.post("p1", "ideas", "Mer lys")
    people = record.build(run.log)["participants"]
    assert (people["joined"], people["opened"], people["kiosk"]) == (2, 3, 1)
    assert run.replayed().kiosk == {"k1", "k2"}


def test_when_nobody_came_through_a_kiosk_then_the_record_does_not_mention_kiosks():
    run = wall()
    run.join("p1")
    run.post("p1", "ideas", "Mer lys")
    assert "kiosk" not in record.build(run.log)["participants"]
