"""The meeting: commands in, events out, every rule enforced, replay rebuilding the same state."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import pytest
from budget import examples
from hypothesis import given, settings, strategies as st

from facilitate.core import record, views
from facilitate.core.errors import CommandError
from facilitate.core.events import EVENT_TYPES, FACILITATOR, HELPER, SYSTEM, Command, Event
from facilitate.core.meeting import FACILITATOR_COMMANDS, PARTICIPANT_COMMANDS, Meeting
from facilitate.core.plan import Table

from .helpers import T0, Run, info, make_plan, notes, painjoy, poll, qa

AGENDA = (
    info("welcome"),
    poll("poll", none_option=True),
    notes("ideas", max_length=20),
    notes("cols", columns=["Bra", "Dårlig"]),
    painjoy("pj"),
    poll("secret", results="reveal"),
    qa("qa"),
)


def agenda() -> Run:
    return Run(*AGENDA)


def ev(type: str, actor: str, at: float, **data: Any) -> Event:
    return Event(type, data, actor, at)


# -- every command and the events it causes ---------------------------------------------------


def test_when_a_participant_votes_then_a_vote_is_cast():
    run = agenda()
    run.show("poll")
    assert run.do("p1", "vote", activity="poll", choices=["b"]) == [
        ev("vote_cast", "p1", run.at, activity="poll", choices=["b"])
    ]
    assert run.state("poll").votes == {"p1": ("b",)}


def test_when_second_vote_is_cast_then_it_replaces_the_first():
    run = agenda()
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["a"])
    run.do("p1", "vote", activity="poll", choices=["c"])
    assert run.state("poll").votes == {"p1": ("c",)}


def test_when_the_same_vote_is_cast_again_then_nothing_happens():
    run = agenda()
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["a"])
    version = run.meeting.version
    assert run.do("p1", "vote", activity="poll", choices=["a"]) == []
    assert run.meeting.version == version


def test_when_a_vote_is_withdrawn_with_no_choices_then_the_voter_is_gone():
    run = agenda()
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["a"])
    assert run.do("p1", "vote", activity="poll", choices=[]) == [
        ev("vote_cast", "p1", run.at, activity="poll", choices=[])
    ]
    assert run.state("poll").votes == {}


def test_when_someone_who_never_voted_withdraws_then_nothing_happens():
    run = agenda()
    run.show("poll")
    assert run.do("p1", "vote", activity="poll", choices=[]) == []


def test_when_a_note_is_posted_then_its_text_is_cleaned_and_it_gets_the_next_id():
    run = agenda()
    run.show("ideas")
    assert run.do("p1", "note", activity="ideas", text="  Mer\u202e lys\r\n ") == [
        ev("note_posted", "p1", run.at, activity="ideas", note="n1", text="Mer lys")
    ]


def test_when_notes_go_in_columns_then_the_column_is_kept():
    run = agenda()
    run.show("cols")
    assert run.do("p1", "note", activity="cols", text="Benker", column=1) == [
        ev("note_posted", "p1", run.at, activity="cols", note="n1", text="Benker", column=1)
    ]
    assert run.state("cols").notes["n1"].column == 1


def test_when_a_pain_point_is_posted_then_its_side_is_kept_and_a_column_ignored():
    run = agenda()
    run.show("pj")
    assert run.do("p1", "note", activity="pj", text="Trafikk", kind="pain", column=0) == [
        ev("note_posted", "p1", run.at, activity="pj", note="n1", text="Trafikk", side="pain")
    ]
    assert run.do("p1", "note", activity="pj", text="Benken", side="joy") == [
        ev("note_posted", "p1", run.at, activity="pj", note="n2", text="Benken", side="joy")
    ]


def test_when_a_log_from_before_sides_had_their_name_is_replayed_then_the_side_is_kept():
    run = agenda()
    run.show("pj")
    old = ev("note_posted", "p1", run.at, activity="pj", note="n1", text="Trafikk", kind="pain")
    assert Meeting.replay([*run.log, old]).activities["pj"].notes["n1"].side == "pain"


def test_when_notes_are_posted_in_several_activities_then_ids_never_repeat():
    run = agenda()
    run.show("ideas")
    run.show("pj")
    ids = [
        run.post("p1", "ideas", "a"),
        run.post("p2", "pj", "b", side="joy"),
        run.post("p1", "ideas", "c"),
    ]
    assert ids == ["n1", "n2", "n3"]


def test_when_a_dot_is_placed_and_taken_back_then_events_say_so():
    run = agenda()
    run.show("pj")
    note = run.post("p1", "pj", "Trafikk", side="pain")
    run.fac("phase", activity="pj", phase="dots")
    assert run.dot("p2", "pj", note, +1) == [
        ev("dot_placed", "p2", run.at, activity="pj", note=note)
    ]
    assert run.dot("p2", "pj", note, -1) == [
        ev("dot_removed", "p2", run.at, activity="pj", note=note)
    ]
    assert run.state("pj").dots == {"p2": {}}


def test_when_an_activity_is_shown_the_first_time_then_it_opens_for_input():
    run = agenda()
    assert run.show("poll", present=7) == [
        ev("activity_shown", FACILITATOR, run.at, activity="poll", present=7),
        ev("input_opened", FACILITATOR, run.at, activity="poll", present=7),
    ]
    assert (run.meeting.current, run.state("poll").open) == ("poll", True)


def test_when_a_closed_activity_is_shown_again_then_it_stays_closed():
    run = agenda()
    run.show("poll")
    run.fac("close", activity="poll")
    run.show("ideas")
    assert run.show("poll", present=2) == [
        ev("activity_shown", FACILITATOR, run.at, activity="poll", present=2)
    ]
    assert run.state("poll").open is False


def test_when_an_activity_was_opened_before_it_was_shown_then_showing_opens_nothing_more():
    run = agenda()
    run.fac("open", activity="poll")
    assert [e.type for e in run.show("poll")] == ["activity_shown"]


def test_when_an_info_slide_is_shown_then_nothing_opens():
    run = agenda()
    assert run.show("welcome") == [
        ev("activity_shown", FACILITATOR, run.at, activity="welcome", present=0)
    ]
    assert run.state("welcome").open is False


def test_when_the_facilitator_goes_to_the_lobby_then_no_activity_is_current():
    run = agenda()
    run.show("poll")
    assert run.show(None, present=4) == [
        ev("activity_shown", FACILITATOR, run.at, activity=None, present=4)
    ]
    assert run.meeting.current is None


@pytest.mark.parametrize(
    ("command", "event", "payload"),
    [
        ("open", "input_opened", {"present": 5}),
        ("close", "input_closed", {"present": 5}),
        ("reveal", "results_revealed", {}),
        ("conceal", "results_concealed", {}),
    ],
)
def test_when_a_toggle_changes_something_then_it_causes_one_event_and_repeating_it_none(
    command, event, payload
):
    run = agenda()
    if command in ("close", "conceal"):
        run.fac("open" if command == "close" else "reveal", activity="secret")
    assert run.fac(command, present=5, activity="secret") == [
        ev(event, FACILITATOR, run.at, activity="secret", **payload)
    ]
    assert run.fac(command, present=5, activity="secret") == []


def test_when_results_are_live_then_revealing_changes_nothing():
    run = agenda()
    assert run.fac("reveal", activity="poll") == []
    assert run.state("poll").show_results is True


def test_when_results_wait_for_a_reveal_then_they_start_concealed():
    run = agenda()
    assert (run.state("secret").show_results, run.state("poll").show_results) == (False, True)


def test_when_an_info_slide_is_opened_then_it_is_refused():
    run = agenda()
    assert run.refused(FACILITATOR, "open", activity="welcome").code == "no_input"


def test_when_the_phase_changes_then_an_event_says_so_and_repeating_it_does_nothing():
    run = agenda()
    assert run.fac("phase", activity="pj", phase="dots") == [
        ev("phase_changed", FACILITATOR, run.at, activity="pj", phase="dots")
    ]
    assert run.fac("phase", activity="pj", phase="dots") == []
    assert run.fac("phase", activity="pj", phase="notes")[0].data["phase"] == "notes"
    assert run.state("pj").phase == "notes"


@pytest.mark.parametrize(
    ("activity", "phase", "code"),
    [
        ("poll", "dots", "wrong_kind"),
        ("ideas", "dots", "wrong_kind"),
        ("pj", "vote", "bad_phase"),
        ("pj", None, "bad_phase"),
    ],
)
def test_when_a_phase_is_wrong_then_it_is_refused(activity, phase, code):
    assert agenda().refused(FACILITATOR, "phase", activity=activity, phase=phase).code == code


def test_when_a_note_is_hidden_then_the_reason_is_cleaned_and_cut_to_two_hundred_characters():
    run = agenda()
    run.show("ideas")
    note = run.post("p1", "ideas", "Tull")
    assert run.fac("hide", activity="ideas", note=note, reason="  " + "x" * 300 + "\u202e") == [
        ev("note_hidden", FACILITATOR, run.at, activity="ideas", note=note, reason="x" * 200)
    ]
    assert (run.state("ideas").notes[note].status, run.state("ideas").notes[note].reason) == (
        "hidden",
        "x" * 200,
    )


def test_when_a_note_is_hidden_without_a_reason_then_the_reason_is_empty():
    run = agenda()
    run.show("ideas")
    note = run.post("p1", "ideas", "Tull")
    assert run.fac("hide", activity="ideas", note=note)[0].data["reason"] == ""


def test_when_a_hidden_note_is_restored_then_it_is_visible_again():
    run = agenda()
    run.show("ideas")
    note = run.post("p1", "ideas", "Tull")
    run.fac("hide", activity="ideas", note=note, reason="off topic")
    assert run.fac("restore", activity="ideas", note=note) == [
        ev("note_restored", FACILITATOR, run.at, activity="ideas", note=note)
    ]
    assert run.state("ideas").notes[note].status == "visible"


def test_when_notes_are_merged_then_sources_are_named_once_each():
    run = agenda()
    run.show("ideas")
    a, b, c = (run.post("p1", "ideas", t) for t in ("Lys", "Mer lys", "Lys!"))
    assert run.fac("merge", activity="ideas", into=a, notes=[b, c, b]) == [
        ev("notes_merged", FACILITATOR, run.at, activity="ideas", into=a, notes=[b, c])
    ]
    notes_now = run.state("ideas").notes
    assert [(n.id, n.status, n.merged_into) for n in notes_now.values()] == [
        (a, "visible", None),
        (b, "merged", a),
        (c, "merged", a),
    ]


@pytest.mark.parametrize(
    ("into", "sources", "code"),
    [
        ("n99", ["a"], "unknown_note"),
        ("a", ["n99"], "unknown_note"),
        ("a", [], "bad_merge"),
        ("a", ["a"], "bad_merge"),
        ("a", ["b", "a"], "bad_merge"),
        ("hidden", ["a"], "bad_merge"),
        ("merged", ["a"], "bad_merge"),
        ("a", ["merged"], "bad_merge"),
    ],
)
def test_when_a_merge_is_impossible_then_it_is_refused(into, sources, code):
    run = agenda()
    run.show("ideas")
    ids = {name: run.post("p1", "ideas", name) for name in ("a", "b", "hidden", "merged")}
    run.fac("hide", activity="ideas", note=ids["hidden"])
    run.fac("merge", activity="ideas", into=ids["b"], notes=[ids["merged"]])
    error = run.refused(
        FACILITATOR,
        "merge",
        activity="ideas",
        into=ids.get(into, into),
        notes=[ids.get(n, n) for n in sources],
    )
    assert error.code == code


def test_when_a_pain_point_is_merged_into_a_joy_point_then_it_is_refused():
    run = agenda()
    run.show("pj")
    pain = run.post("p1", "pj", "Kø", side="pain")
    joy = run.post("p1", "pj", "Park", side="joy")
    assert run.refused(FACILITATOR, "merge", activity="pj", into=joy, notes=[pain]).code == (
        "bad_merge"
    )


def test_when_a_hidden_note_is_merged_then_it_is_refused_and_stays_hidden():
    run = agenda()
    run.show("ideas")
    a, h = run.post("p1", "ideas", "a"), run.post("p1", "ideas", "h")
    run.fac("hide", activity="ideas", note=h, reason="names a neighbour")
    error = run.refused(FACILITATOR, "merge", activity="ideas", into=a, notes=[h])
    assert (error.code, error.message) == (
        "merge_hidden",
        f"note {h!r} is hidden: restore it first to merge it",
    )
    assert run.state("ideas").notes[h].status == "hidden"


def test_when_a_merged_note_is_hidden_then_it_leaves_its_group_and_comes_back_on_its_own():
    run = agenda()
    run.show("ideas")
    a, b = run.post("p1", "ideas", "a"), run.post("p2", "ideas", "b")
    run.fac("merge", activity="ideas", into=a, notes=[b])
    run.fac("hide", activity="ideas", note=b, reason="names a neighbour")
    state = run.state("ideas")
    assert (state.notes[b].status, state.notes[b].merged_into, state.merged[a]) == (
        "hidden",
        None,
        [],
    )
    run.fac("restore", activity="ideas", note=b)
    assert (state.notes[b].status, state.notes[b].merged_into) == ("visible", None)


def test_when_someone_joins_then_only_the_first_arrival_is_recorded():
    run = agenda()
    assert run.meeting.join("p1", 5.0) == [Event("participant_joined", {}, "p1", 5.0)]
    assert run.meeting.join("p1", 6.0) == []
    assert run.meeting.participants == {"p1": 5.0}


def test_when_a_meeting_is_created_then_the_first_event_holds_its_code_and_plan():
    plan = make_plan(poll())
    assert Meeting.created("WXYZ", plan, T0) == Event(
        "meeting_created", {"code": "WXYZ", "plan": plan.to_dict()}, SYSTEM, T0
    )


def test_when_an_event_is_applied_then_the_version_bumps_once_per_event():
    run = agenda()
    before = run.meeting.version
    events = run.show("poll")
    assert run.meeting.version == before + len(events) == before + 2


def test_when_a_meeting_runs_then_it_emits_only_known_event_types_and_can_emit_them_all():
    assert {e.type for e in busy_meeting().log} == set(EVENT_TYPES)


# -- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "data"),
    [
        ("vote", {"activity": "poll", "choices": ["a"]}),
        ("note", {"activity": "ideas", "text": "hei"}),
        ("dot", {"activity": "pj", "note": "n1", "delta": 1}),
    ],
)
def test_when_an_activity_is_closed_then_input_is_refused(command, data):
    run = agenda()
    run.show("pj")
    run.post("p1", "pj", "Kø", side="pain")
    run.fac("phase", activity="pj", phase="dots")
    for activity in ("poll", "ideas"):
        run.show(activity)
    for activity in ("poll", "ideas", "pj"):
        run.fac("close", activity=activity)
    assert run.refused("p2", command, **data).code == "closed"


def test_when_an_activity_was_never_opened_then_input_is_refused():
    assert agenda().refused("p1", "vote", activity="poll", choices=["a"]).code == "closed"


@pytest.mark.parametrize(
    ("command", "data"),
    [
        ("vote", {"choices": ["a"]}),
        ("note", {"text": "hei"}),
        ("dot", {"note": "n1", "delta": 1}),
    ],
)
def test_when_input_is_sent_to_an_info_slide_then_it_is_refused(command, data):
    run = agenda()
    run.show("welcome")
    assert run.refused("p1", command, activity="welcome", **data).code == "no_input"


@pytest.mark.parametrize("command", FACILITATOR_COMMANDS)
@pytest.mark.parametrize("actor", ["p1", SYSTEM])
def test_when_anyone_but_the_facilitator_sends_a_facilitator_command_then_it_is_forbidden(
    command, actor
):
    run = busy_meeting()
    assert (
        run.refused(
            actor, command, activity="pj", note="n1", into="n1", notes=["n2"], phase="notes"
        ).code
        == "forbidden"
    )


@pytest.mark.parametrize("command", PARTICIPANT_COMMANDS)
@pytest.mark.parametrize("actor", [FACILITATOR, SYSTEM])
def test_when_the_facilitator_or_system_sends_participant_input_then_it_is_forbidden(
    command, actor
):
    run = agenda()
    run.show("poll")
    assert run.refused(actor, command, activity="poll", choices=["a"]).code == "forbidden"


@pytest.mark.parametrize("command", ["delete", "hello", "", "apply"])
def test_when_a_command_is_unknown_then_it_is_refused(command):
    assert agenda().refused(FACILITATOR, command).code == "unknown_command"


@pytest.mark.parametrize(
    ("actor", "command", "data"),
    [
        ("p1", "vote", {"choices": ["a"]}),
        ("p1", "note", {"text": "hei"}),
        ("p1", "dot", {"note": "n1", "delta": 1}),
        (FACILITATOR, "goto", {}),
        (FACILITATOR, "open", {}),
        (FACILITATOR, "close", {}),
        (FACILITATOR, "reveal", {}),
        (FACILITATOR, "conceal", {}),
        (FACILITATOR, "phase", {"phase": "dots"}),
        (FACILITATOR, "hide", {"note": "n1"}),
        (FACILITATOR, "restore", {"note": "n1"}),
        (FACILITATOR, "merge", {"into": "n1", "notes": ["n2"]}),
    ],
)
@pytest.mark.parametrize("activity", ["nope", 5, ["poll"]])
def test_when_an_activity_is_unknown_then_every_command_is_refused(actor, command, data, activity):
    run = busy_meeting()
    assert run.refused(actor, command, activity=activity, **data).code == "unknown_activity"


@pytest.mark.parametrize(
    ("actor", "command", "data"),
    [
        ("p9", "dot", {"note": "n99", "delta": 1}),
        ("p9", "dot", {"note": "n99", "delta": -1}),
        (FACILITATOR, "hide", {"note": "n99"}),
        (FACILITATOR, "restore", {"note": "n99"}),
        (FACILITATOR, "merge", {"into": "n99", "notes": ["n1"]}),
        (FACILITATOR, "merge", {"into": "n1", "notes": ["n99"]}),
        (FACILITATOR, "hide", {"note": "n5"}),  # a note of another activity
    ],
)
def test_when_a_note_is_unknown_in_this_activity_then_it_is_refused(actor, command, data):
    run = busy_meeting()
    run.fac("open", activity="pj")
    assert run.refused(actor, command, activity="pj", **data).code == "unknown_note"


@pytest.mark.parametrize(
    ("command", "activity", "data"),
    [
        ("vote", "ideas", {"choices": ["a"]}),
        ("vote", "pj", {"choices": ["a"]}),
        ("note", "poll", {"text": "hei"}),
        ("dot", "ideas", {"note": "n1", "delta": 1}),
        ("dot", "poll", {"note": "n1", "delta": 1}),
    ],
)
def test_when_input_does_not_fit_the_kind_of_activity_then_it_is_refused(command, activity, data):
    run = agenda()
    for activity_id in ("poll", "ideas", "pj"):
        run.show(activity_id)
    assert run.refused("p1", command, activity=activity, **data).code == "wrong_kind"


@pytest.mark.parametrize(
    ("choices", "code"),
    [
        (["z"], "unknown_option"),
        (["a", "b"], "single_choice"),
        (["none", "a"], "single_choice"),
        (["A"], "unknown_option"),
    ],
)
def test_when_a_vote_breaks_the_poll_rules_then_it_is_refused(choices, code):
    run = agenda()
    run.show("poll")
    assert run.refused("p1", "vote", activity="poll", choices=choices).code == code


def test_when_a_note_is_too_long_then_it_is_refused_with_the_limit():
    run = agenda()
    run.show("ideas")
    error = run.refused("p1", "note", activity="ideas", text="x" * 21)
    assert (error.code, error.params) == ("too_long", {"limit": 20})


def test_when_a_note_is_exactly_as_long_as_allowed_after_cleaning_then_it_is_accepted():
    run = agenda()
    run.show("ideas")
    note = run.post("p1", "ideas", "  " + "x" * 20 + "\u200b\t\n")
    assert run.state("ideas").notes[note].text == "x" * 20 + "\u200b"  # kept, and not counted


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\u200b\u202e\x00"])
def test_when_a_note_is_empty_then_it_is_refused(text):
    run = agenda()
    run.show("ideas")
    assert run.refused("p1", "note", activity="ideas", text=text).code == "empty_note"


@pytest.mark.parametrize(
    ("activity", "column"),
    [
        ("cols", None),
        ("cols", 2),
        ("cols", -1),
        ("ideas", 0),
    ],
)
def test_when_a_column_is_missing_or_wrong_then_the_note_is_refused(activity, column):
    run = agenda()
    run.show(activity)
    data = {} if column is None else {"column": column}
    assert run.refused("p1", "note", activity=activity, text="hei", **data).code == "bad_column"


@pytest.mark.parametrize("kind", [None, "love", "Pain"])
def test_when_a_painjoy_note_has_no_proper_kind_then_it_is_refused(kind):
    run = agenda()
    run.show("pj")
    data = {} if kind is None else {"kind": kind}
    assert run.refused("p1", "note", activity="pj", text="hei", **data).code == "bad_kind"


def test_when_painjoy_is_in_the_dots_phase_then_notes_are_refused():
    run = agenda()
    run.show("pj")
    run.fac("phase", activity="pj", phase="dots")
    assert run.refused("p1", "note", activity="pj", text="Kø", kind="pain").code == (
        "not_collecting"
    )


def test_when_painjoy_is_in_the_notes_phase_then_dots_are_refused():
    run = agenda()
    run.show("pj")
    note = run.post("p1", "pj", "Kø", side="pain")
    assert run.refused("p1", "dot", activity="pj", note=note, delta=1).code == "not_dotting"


def test_when_painjoy_goes_back_to_the_notes_phase_then_notes_are_accepted_again():
    run = agenda()
    run.show("pj")
    run.fac("phase", activity="pj", phase="dots")
    run.fac("phase", activity="pj", phase="notes")
    assert run.post("p1", "pj", "Kø", side="pain") == "n1"


@pytest.mark.parametrize(("command", "code"), [("hide", "not_visible"), ("restore", "not_hidden")])
def test_when_a_note_is_not_in_the_right_state_then_hide_and_restore_are_refused(command, code):
    run = agenda()
    run.show("ideas")
    a, b = run.post("p1", "ideas", "a"), run.post("p1", "ideas", "b")
    run.fac("merge", activity="ideas", into=a, notes=[b])
    if command == "hide":  # a hidden note cannot be hidden again
        run.fac("hide", activity="ideas", note=a)
        assert run.refused(FACILITATOR, "hide", activity="ideas", note=a).code == code
    else:  # only a hidden note can be restored, not a visible or a merged one
        assert run.refused(FACILITATOR, "restore", activity="ideas", note=a).code == code
        assert run.refused(FACILITATOR, command, activity="ideas", note=b).code == code


def test_when_a_meeting_applies_an_unknown_event_then_it_raises():
    meeting = agenda().meeting
    with pytest.raises(ValueError, match="cannot apply"):
        meeting.apply(Event("note_deleted", {"activity": "ideas"}, FACILITATOR, T0))
    with pytest.raises(ValueError, match="cannot apply"):
        meeting.apply(Meeting.created("ABCD", meeting.plan, T0))


def test_when_a_log_does_not_start_with_meeting_created_then_replay_refuses_it():
    with pytest.raises(ValueError, match="meeting_created"):
        Meeting.replay([Event("participant_joined", {}, "p1", T0)])


# -- replay and unchanged-on-refusal ------------------------------------------------------------


def busy_meeting() -> Run:
    """A meeting in which every kind of event has happened."""
    plan = make_plan(*AGENDA)
    run = Run(plan=dataclasses.replace(plan, tables=(Table("t1"), Table("t2"))))
    run.join("p1", "p2", "p3")
    run.do("p1", "sit", table="t2")
    run.fac("appoint_scribe", table="t1", participant="p2")
    run.fac("dismiss_scribes", table="t1")
    run.fac("show_table", table="t1")
    run.show("welcome", present=3)
    run.show("poll", present=3)
    run.do("p1", "vote", activity="poll", choices=["a"])
    run.do("p2", "vote", activity="poll", choices=["none"])
    run.do("p3", "vote", activity="poll", choices=["b"])
    run.do("p3", "vote", activity="poll", choices=[])
    run.do(HELPER, "hands", activity="poll", option="b", count=14)
    run.fac("close", activity="poll", present=3)
    run.show("pj", present=3)
    n1 = run.post("p1", "pj", "Trafikk", side="pain")
    n2 = run.post("p2", "pj", "Biler", side="pain")
    n3 = run.post("p3", "pj", "Parken", side="joy")
    n4 = run.post("p3", "pj", "Tull", side="joy")
    run.fac("hide", activity="pj", note=n4, reason="off topic")
    run.fac("restore", activity="pj", note=n4)
    run.fac("hide", activity="pj", note=n4, reason="off topic")
    run.fac("phase", activity="pj", phase="dots")
    run.dot("p1", "pj", n1)
    run.dot("p1", "pj", n2)
    run.dot("p2", "pj", n2)
    run.dot("p2", "pj", n2)
    run.dot("p2", "pj", n3)
    run.dot("p3", "pj", n3)
    run.dot("p3", "pj", n3, -1)
    run.fac("merge", activity="pj", into=n1, notes=[n2])
    run.show("ideas", present=2)
    run.post("p1", "ideas", "Mer lys")  # n5
    run.fac("pause", activity="ideas")
    held = run.post("p2", "ideas", "Kom på torget")  # n6: waits for the facilitator
    run.fac("release", activity="ideas", note=held)
    run.post("p3", "ideas", "Reklame")  # n7
    run.post("p3", "ideas", "Mer reklame")  # n8
    run.fac("hide_many", activity="ideas", held=True, reason="spam")
    run.fac("resume", activity="ideas")
    run.fac("rules", text="Skriv om saken, ikke om personer.")
    run.show("secret", present=2)
    run.do("p2", "vote", activity="secret", choices=["c"])
    run.fac("reveal", activity="secret")
    run.fac("conceal", activity="secret")
    run.fac("reveal", activity="secret")
    run.fac("close", activity="secret", present=1)
    run.fac("open", activity="secret", present=1)
    run.show("qa", present=3)
    asked = run.post("p1", "qa", "Hvorfor er det mørkt i parken?")  # waits for approval
    run.fac("release", activity="qa", note=asked)
    gone = run.post("p2", "qa", "Kommer bussen oftere?")
    run.do("p2", "withdraw_question", activity="qa", note=gone)
    run.do("p3", "upvote", activity="qa", note=asked)
    run.do("p2", "upvote", activity="qa", note=asked)
    run.do("p2", "upvote", activity="qa", note=asked, up=False)
    run.fac("highlight", activity="qa", note=asked)
    run.fac("mark_answered", activity="qa", note=asked, answer="Kommunen ser på lyset.")
    run.fac("unmark_answered", activity="qa", note=asked)
    run.show("pj", present=2)
    run.fac("details", fields={"place": "Kulturhuset", "purpose": "Trygghet i sentrum"})
    decision = run.fac("add_item", section="decision", text="Bedre lys i parken")
    run.fac("add_item", section="question", text="Hvem eier gangveien?")
    run.fac("remove_item", item=decision[0].data["item"])
    run.fac("end", present=2)
    run.fac("publish")
    run.fac("unpublish")
    run.fac("publish")
    later = run.fac("follow_up", title="Lyset er på plass", text="Kommunen har satt opp lys.")
    run.fac("remove_follow_up", followup=later[0].data["followup"])
    run.fac("follow_up", title="Lyset er på plass", text="Kommunen har satt opp lys i parken.")
    return run


def every_view(meeting: Meeting, pids: tuple[str, ...] = ("p1", "p2", "p3")) -> list[Any]:
    """Console, screen, phone and each participant's own view with every activity current."""
    presence = views.Presence(phones=3, screens=1, consoles=1)
    current = meeting.current
    result = []
    try:
        for activity in [None, *meeting.activities]:
            meeting.current = activity
            result.append(
                [
                    views.console(meeting, presence),
                    views.screen(meeting, presence),
                    views.phone(meeting, presence),
                    *(views.mine(meeting, pid) for pid in pids),
                ]
            )
    finally:
        meeting.current = current
    return result


def test_when_a_meeting_is_replayed_from_its_log_then_it_is_identical():
    run = busy_meeting()
    replayed = run.replayed()
    assert every_view(replayed) == every_view(run.meeting)
    assert replayed.activities == run.meeting.activities
    assert (
        replayed.code,
        replayed.current,
        replayed.participants,
        replayed.next_note,
        replayed.version,
        replayed.created_at,
    ) == (
        run.meeting.code,
        run.meeting.current,
        run.meeting.participants,
        run.meeting.next_note,
        run.meeting.version,
        run.meeting.created_at,
    )


def test_when_a_log_is_stored_as_json_and_read_back_then_replay_gives_the_same_meeting():
    run = busy_meeting()
    stored = [json.loads(json.dumps(event.to_dict())) for event in run.log]
    log = [Event(**item) for item in stored]
    assert every_view(Meeting.replay(log)) == every_view(run.meeting)
    assert record.build(log) == record.build(run.log)


def test_when_a_replayed_meeting_goes_on_then_note_ids_continue_where_they_left_off():
    replayed = busy_meeting().replayed()
    (event,) = replayed.handle(Command("note", {"activity": "ideas", "text": "Mer"}), "p1", T0)
    assert event.data["note"] == "n11"


def snapshot(meeting: Meeting) -> Any:
    return (
        copy.deepcopy(meeting.activities),
        dict(meeting.participants),
        meeting.current,
        meeting.next_note,
        meeting.version,
        every_view(meeting),
    )


@pytest.mark.parametrize(
    ("actor", "command", "data", "code"),
    [
        ("p1", "vote", {"activity": "poll", "choices": ["a"]}, "closed"),
        ("p1", "vote", {"activity": "secret", "choices": ["a", "b"]}, "single_choice"),
        ("p1", "note", {"activity": "pj", "text": "Kø", "kind": "pain"}, "not_collecting"),
        ("p1", "note", {"activity": "ideas", "text": "x" * 21}, "too_long"),
        ("p1", "dot", {"activity": "pj", "note": "n1", "delta": 1}, "cap_reached"),
        ("p2", "dot", {"activity": "pj", "note": "n1", "delta": 1}, "cap_reached"),  # by merge
        ("p3", "dot", {"activity": "pj", "note": "n1", "delta": -1}, "no_dot"),
        ("p1", "dot", {"activity": "pj", "note": "n2", "delta": 1}, "note_gone"),  # merged
        ("p1", "dot", {"activity": "pj", "note": "n4", "delta": 1}, "note_gone"),  # hidden
        ("p1", "open", {"activity": "poll"}, "forbidden"),
        (FACILITATOR, "vote", {"activity": "secret", "choices": ["a"]}, "forbidden"),
        (FACILITATOR, "merge", {"activity": "pj", "into": "n1", "notes": ["n3"]}, "bad_merge"),
        (FACILITATOR, "merge", {"activity": "pj", "into": "n3", "notes": ["n2"]}, "bad_merge"),
        (FACILITATOR, "merge", {"activity": "pj", "into": "n2", "notes": ["n1"]}, "bad_merge"),
        (FACILITATOR, "hide", {"activity": "pj", "note": "n4"}, "not_visible"),
        (FACILITATOR, "restore", {"activity": "pj", "note": "n1"}, "not_hidden"),
        (FACILITATOR, "phase", {"activity": "pj", "phase": "later"}, "bad_phase"),
        (FACILITATOR, "goto", {"activity": "nope"}, "unknown_activity"),
        (FACILITATOR, "open", {"activity": "welcome"}, "no_input"),
        (FACILITATOR, "fly", {}, "unknown_command"),
    ],
)
def test_when_a_command_is_refused_then_the_meeting_is_unchanged(actor, command, data, code):
    run = busy_meeting()
    run.fac("open", activity="pj")
    before = snapshot(run.meeting)
    with pytest.raises(CommandError) as caught:
        run.meeting.handle(Command(command, data), actor, T0 + 10_000, present=9)
    assert caught.value.code == code
    assert snapshot(run.meeting) == before


# -- any shape-valid command from anyone: only CommandError, state unchanged when refused ------

_participants = st.sampled_from(["p1", "p2", "p3"])
_anyone = st.sampled_from(["p1", "p2", FACILITATOR, SYSTEM])
_activity_ids = st.sampled_from(["welcome", "poll", "ideas", "cols", "pj", "secret", "nope"])
_note_ids = st.sampled_from(["n1", "n2", "n3", "n4", "n5", "n6", "n99"])
_small_text = st.sampled_from(["Kø", "  ", "x" * 30, "Mer lys\u202e", ""])
_participant_input = st.one_of(
    st.builds(
        lambda a, c: ("vote", {"activity": a, "choices": c}),
        st.one_of(st.sampled_from(["poll", "secret"]), _activity_ids),
        st.lists(st.sampled_from(["a", "b", "c", "none", "z"]), max_size=2),
    ),
    st.builds(
        lambda a, t, col, k: ("note", {"activity": a, "text": t, "column": col, "kind": k}),
        st.one_of(st.sampled_from(["ideas", "cols", "pj"]), _activity_ids),
        _small_text,
        st.sampled_from([None, 0, 1, 2, -1]),
        st.sampled_from([None, "pain", "joy", "meh"]),
    ),
    st.builds(
        lambda a, n, d: ("dot", {"activity": a, "note": n, "delta": d}),
        st.one_of(st.just("pj"), _activity_ids),
        _note_ids,
        st.sampled_from([1, 1, -1]),
    ),
)
_facilitation = st.one_of(
    st.builds(lambda a: ("goto", {"activity": a}), st.one_of(st.none(), _activity_ids)),
    st.builds(
        lambda c, a: (c, {"activity": a}),
        st.sampled_from(["open", "close", "reveal", "conceal"]),
        _activity_ids,
    ),
    st.builds(
        lambda a, p: ("phase", {"activity": a, "phase": p}),
        _activity_ids,
        st.sampled_from(["notes", "dots", "x"]),
    ),
    st.builds(
        lambda c, a, n: (c, {"activity": a, "note": n}),
        st.sampled_from(["hide", "restore"]),
        _activity_ids,
        _note_ids,
    ),
    st.builds(
        lambda a, i, ns: ("merge", {"activity": a, "into": i, "notes": ns}),
        _activity_ids,
        _note_ids,
        st.lists(_note_ids, max_size=3),
    ),
)
_steps = st.one_of(
    st.tuples(_participants, _participant_input),
    st.tuples(st.just(FACILITATOR), _facilitation),
    st.tuples(_anyone, st.one_of(_participant_input, _facilitation)),
)


@settings(max_examples=examples(200), deadline=None)
@given(steps=st.lists(_steps, min_size=5, max_size=40))
def test_when_any_shaped_commands_arrive_then_only_rules_refuse_them_and_replay_agrees(steps):
    run = agenda()
    for activity in ("poll", "ideas", "cols", "pj", "secret"):
        run.fac("open", activity=activity)
    for n, kind in enumerate(("pain", "pain", "joy", "joy")):
        run.post(f"p{n % 3 + 1}", "pj", f"Punkt {n}", kind=kind)  # n1 to n4
    run.fac("phase", activity="pj", phase="dots")
    for actor, (command, data) in steps:
        before = (
            copy.deepcopy(run.meeting.activities),
            run.meeting.current,
            run.meeting.next_note,
            run.meeting.version,
        )
        try:
            run.do(actor, command, **data)
        except CommandError:
            assert (
                run.meeting.activities,
                run.meeting.current,
                run.meeting.next_note,
                run.meeting.version,
            ) == before
    replayed = run.replayed()
    assert replayed.activities == run.meeting.activities
    assert replayed.current == run.meeting.current
    assert replayed.version == run.meeting.version
    assert every_view(replayed) == every_view(run.meeting)
