"""Questions from the floor: asking, the moderator's queue, upvotes, withdrawing, the highlight,
answers, and what each role, the record and the minutes get of them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from facilitate.core import record, views
from facilitate.core.kinds import KINDS
from facilitate.core.plan import PlanError

from .helpers import Run, make_plan, qa

PRESENCE = views.Presence(phones=3)


def asking(**extra: Any) -> Run:
    run = Run(qa("qa", **extra))
    run.show("qa")
    return run


def approved(run: Run, pid: str, text: str) -> str:
    """A question asked and, when the activity is moderated, approved."""
    note = run.post(pid, "qa", text)
    if run.state("qa").notes[note].status == "held":
        run.fac("release", activity="qa", note=note)
    return note


def screen(run: Run) -> dict[str, Any]:
    view: dict[str, Any] = views.screen(run.meeting, PRESENCE)["activity"]
    return view


def phone(run: Run) -> dict[str, Any]:
    view: dict[str, Any] = views.phone(run.meeting, PRESENCE)["activity"]
    return view


def console(run: Run) -> dict[str, Any]:
    view: dict[str, Any] = views.console(run.meeting, PRESENCE)["activity"]
    return view


def upvote(run: Run, pid: str, note: str, up: bool = True) -> None:
    run.do(pid, "upvote", activity="qa", note=note, up=up)


# -- the agenda --------------------------------------------------------------------------------


def test_when_the_agenda_says_nothing_then_questions_are_moderated_and_personal_ones_held():
    settings = make_plan(qa()).activities[0].settings
    assert (settings.moderated, settings.hold_personal, settings.max_length) == (True, True, 280)


def test_when_moderated_is_not_true_or_false_then_the_plan_names_the_field():
    with pytest.raises(PlanError) as raised:
        make_plan(qa(moderated="ja"))
    (problem,) = raised.value.problems
    assert (problem.field, problem.code) == ("activities[0].moderated", "true_false")


# -- asking and the queue ----------------------------------------------------------------------


def test_when_a_moderated_question_is_asked_then_it_waits_and_the_room_sees_only_how_many():
    run = asking()
    note = run.post("p1", "qa", "Hvorfor er det mørkt i parken?")
    assert run.state("qa").notes[note].held == "moderated"
    seen = json.dumps([screen(run), phone(run)], ensure_ascii=False)
    assert "mørkt" not in seen
    assert screen(run)["waiting"] == phone(run)["waiting"] == 1
    assert [q["id"] for q in console(run)["queue"]] == [note]
    assert views.mine(run.meeting, "p1")["qa"]["notes"][0]["held"] == "moderated"


def test_when_the_facilitator_approves_a_question_then_it_goes_on_the_list():
    run = asking()
    note = approved(run, "p1", "Hvorfor er det mørkt i parken?")
    assert [q["text"] for q in screen(run)["questions"]] == ["Hvorfor er det mørkt i parken?"]
    assert screen(run)["waiting"] == 0
    assert console(run)["queue"] == [] and console(run)["questions"][0]["id"] == note


def test_when_questions_are_not_moderated_then_they_go_up_at_once_unless_they_look_personal():
    run = asking(moderated=False)
    plain = run.post("p1", "qa", "Hvorfor er det mørkt i parken?")
    personal = run.post("p2", "qa", "Ring meg på 912 34 567")
    state = run.state("qa")
    assert (state.notes[plain].status, state.notes[personal].held) == ("visible", "phone")
    assert [q["id"] for q in phone(run)["questions"]] == [plain]


def test_when_a_moderated_question_looks_personal_then_the_console_says_why_it_waits():
    run = asking()
    note = run.post("p1", "qa", "Ring meg på 912 34 567")
    assert console(run)["queue"][0]["held"] == "phone" == run.state("qa").notes[note].held


def test_when_a_question_is_too_long_or_empty_then_it_is_refused():
    run = asking()
    assert run.refused("p1", "note", activity="qa", text="x" * 281).code == "too_long"
    assert run.refused("p1", "note", activity="qa", text=" \u200b ").code == "empty_note"
    assert run.post("p1", "qa", "👨‍👩‍👧‍👦" * 280)  # counted as people see it


def test_when_a_question_comes_with_a_column_or_a_side_then_it_is_refused():
    run = asking()
    assert run.refused("p1", "note", activity="qa", text="Hei?", column=0).code == "wrong_kind"
    assert run.refused("p1", "note", activity="qa", text="Hei?", side="pain").code == "wrong_kind"


def test_when_the_facilitator_tries_to_merge_questions_then_it_is_refused():
    run = asking(moderated=False)
    a, b = run.post("p1", "qa", "Lys?"), run.post("p2", "qa", "Lys i parken?")
    assert run.refused("facilitator", "merge", activity="qa", into=a, notes=[b]).code == (
        "wrong_kind"
    )


# -- upvotes ------------------------------------------------------------------------------------


def test_when_phones_upvote_then_each_counts_once_and_the_list_is_by_upvotes():
    run = asking()
    first = approved(run, "p1", "Lys i parken?")
    second = approved(run, "p2", "Buss om kvelden?")
    upvote(run, "p3", second)
    upvote(run, "p1", second)
    upvote(run, "p2", first)
    assert [(q["id"], q["votes"]) for q in screen(run)["questions"]] == [(second, 2), (first, 1)]
    assert views.mine(run.meeting, "p1")["qa"]["upvoted"] == [second]


def test_when_a_phone_upvotes_a_question_twice_then_the_second_is_refused():
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    upvote(run, "p2", note)
    refused = run.refused("p2", "upvote", activity="qa", note=note)
    assert refused.code == "already_upvoted"
    assert screen(run)["questions"][0]["votes"] == 1


def test_when_a_phone_takes_its_upvote_back_then_the_count_drops_and_it_may_upvote_again():
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    upvote(run, "p2", note)
    upvote(run, "p2", note, up=False)
    assert screen(run)["questions"][0]["votes"] == 0
    assert "qa" not in views.mine(run.meeting, "p2")
    assert run.refused("p2", "upvote", activity="qa", note=note, up=False).code == "no_upvote"
    upvote(run, "p2", note)
    assert screen(run)["questions"][0]["votes"] == 1


def test_when_a_phone_upvotes_its_own_question_then_it_is_refused():
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    assert run.refused("p1", "upvote", activity="qa", note=note).code == "own_question"


@pytest.mark.parametrize("fate", ["held", "hidden", "withdrawn"])
def test_when_a_question_is_not_on_the_list_then_it_cannot_be_upvoted(fate: str):
    run = asking()
    note = run.post("p1", "qa", "Lys i parken?")
    if fate == "hidden":
        run.fac("hide", activity="qa", note=note, reason="spurt før")
    elif fate == "withdrawn":
        run.do("p1", "withdraw_question", activity="qa", note=note)
    assert run.refused("p2", "upvote", activity="qa", note=note).code == "question_gone"
    assert run.refused("p2", "upvote", activity="qa", note="n99").code == "unknown_note"


def test_when_a_question_is_answered_then_it_takes_no_new_upvotes_but_keeps_its_own():
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    upvote(run, "p2", note)
    run.fac("mark_answered", activity="qa", note=note)
    assert run.refused("p3", "upvote", activity="qa", note=note).code == "already_answered"
    assert phone(run)["answered"] == [{"id": note, "text": "Lys i parken?", "answered": True,
                                       "votes": 1}]  # fmt: skip
    upvote(run, "p2", note, up=False)  # an upvote can always be taken back


def test_when_a_hidden_question_is_restored_then_its_upvotes_count_again():
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    upvote(run, "p2", note)
    run.fac("hide", activity="qa", note=note, reason="feil")
    assert screen(run)["questions"] == []
    run.fac("restore", activity="qa", note=note)
    assert screen(run)["questions"][0]["votes"] == 1


def test_when_someone_only_upvotes_then_they_count_as_taking_part():
    run = asking()
    approved(run, "p1", "Lys i parken?")
    upvote(run, "p2", "n1")
    assert screen(run)["responders"] == 2
    assert run.meeting.contributors == {"p1", "p2"}


# -- withdrawing -------------------------------------------------------------------------------


def test_when_a_phone_withdraws_its_question_then_it_leaves_the_list_and_its_phone_says_so():
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    events = run.do("p1", "withdraw_question", activity="qa", note=note)
    assert [e.type for e in events] == ["question_withdrawn"]
    assert views.affected(run.meeting, "question_withdrawn", events[0].data) == {"p1"}
    assert phone(run)["questions"] == []
    assert views.mine(run.meeting, "p1")["qa"]["notes"][0]["status"] == "withdrawn"
    assert console(run)["withdrawn"] == 1


def test_when_a_question_waits_then_its_asker_may_still_withdraw_it():
    run = asking()
    note = run.post("p1", "qa", "Lys i parken?")
    run.do("p1", "withdraw_question", activity="qa", note=note)
    assert (screen(run)["waiting"], console(run)["queue"]) == (0, [])


@pytest.mark.parametrize(
    ("who", "first", "code"),
    [
        ("p2", None, "not_yours"),
        ("p1", "withdraw", "question_gone"),
        ("p1", "hide", "question_gone"),
        ("p1", "answer", "already_answered"),
    ],
)
def test_when_a_question_cannot_be_withdrawn_then_it_says_why(who, first, code):
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    if first == "withdraw":
        run.do("p1", "withdraw_question", activity="qa", note=note)
    elif first == "hide":
        run.fac("hide", activity="qa", note=note, reason="feil")
    elif first == "answer":
        run.fac("mark_answered", activity="qa", note=note)
    assert run.refused(who, "withdraw_question", activity="qa", note=note).code == code


def test_when_a_question_is_withdrawn_then_the_facilitator_can_neither_hide_nor_approve_it():
    run = asking()
    note = run.post("p1", "qa", "Lys i parken?")
    run.do("p1", "withdraw_question", activity="qa", note=note)
    fac = "facilitator"
    assert run.refused(fac, "hide", activity="qa", note=note).code == "question_gone"
    assert run.refused(fac, "release", activity="qa", note=note).code == "not_held"
    assert run.refused(fac, "restore", activity="qa", note=note).code == "not_hidden"
    refused = run.refused(fac, "hide_many", activity="qa", since=600, reason="spam")
    assert refused.code == "nothing_to_hide"


def test_when_many_questions_are_hidden_at_once_then_withdrawn_ones_are_left_as_they_are():
    run = asking()
    pulled = run.post("p1", "qa", "Lys?")
    run.do("p1", "withdraw_question", activity="qa", note=pulled)
    spam = run.post("p2", "qa", "Reklame")
    events = run.fac("hide_many", activity="qa", notes=[pulled, spam], reason="spam")
    assert [e.data["note"] for e in events] == [spam]
    assert run.state("qa").notes[pulled].status == "withdrawn"


# -- the highlight and answers -----------------------------------------------------------------


def test_when_the_facilitator_highlights_a_question_then_the_screen_shows_it_apart_one_at_a_time():
    run = asking()
    first = approved(run, "p1", "Lys i parken?")
    second = approved(run, "p2", "Buss om kvelden?")
    run.fac("highlight", activity="qa", note=first)
    assert screen(run)["question"]["id"] == first
    assert [q["id"] for q in screen(run)["questions"]] == [second]
    run.fac("highlight", activity="qa", note=second)
    assert (screen(run)["highlighted"], phone(run)["highlighted"]) == (second, second)
    assert run.fac("highlight", activity="qa", note=second) == []
    run.fac("highlight", activity="qa", note=None)
    assert screen(run)["highlighted"] is None and "question" not in screen(run)


@pytest.mark.parametrize("then", ["hide", "withdraw", "answer"])
def test_when_the_highlighted_question_leaves_the_list_then_the_highlight_goes(then: str):
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    run.fac("highlight", activity="qa", note=note)
    if then == "hide":
        run.fac("hide", activity="qa", note=note, reason="feil")
    elif then == "withdraw":
        run.do("p1", "withdraw_question", activity="qa", note=note)
    else:
        run.fac("mark_answered", activity="qa", note=note)
    assert screen(run)["highlighted"] is None


def test_when_a_question_is_not_on_the_list_then_it_cannot_be_highlighted():
    run = asking()
    waiting = run.post("p1", "qa", "Lys i parken?")
    assert run.refused("facilitator", "highlight", activity="qa", note=waiting).code == (
        "question_gone"
    )
    note = approved(run, "p2", "Buss?")
    run.fac("mark_answered", activity="qa", note=note)
    assert run.refused("facilitator", "highlight", activity="qa", note=note).code == (
        "already_answered"
    )


def test_when_a_question_is_marked_answered_then_it_moves_to_the_answered_with_its_note():
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    run.fac("mark_answered", activity="qa", note=note, answer="  Kommunen\tser på det. ")
    assert phone(run)["questions"] == []
    assert phone(run)["answered"][0]["answer"] == "Kommunen ser på det."
    assert console(run)["answered"][0]["id"] == note
    assert screen(run)["answered_count"] == 1


def test_when_the_answer_note_changes_then_only_a_change_makes_an_event():
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    run.fac("mark_answered", activity="qa", note=note, answer="Ja")
    assert run.fac("mark_answered", activity="qa", note=note, answer="Ja") == []
    (event,) = run.fac("mark_answered", activity="qa", note=note, answer="Ja, før jul")
    assert event.data["answer"] == "Ja, før jul"


def test_when_an_answer_note_is_too_long_then_it_is_refused():
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    refused = run.refused(
        "facilitator", "mark_answered", activity="qa", note=note, answer="x" * 501
    )
    assert (refused.code, refused.params) == ("too_long_text", {"limit": 500})


def test_when_a_question_waits_then_it_cannot_be_marked_answered_before_it_is_approved():
    run = asking()
    note = run.post("p1", "qa", "Lys i parken?")
    refused = run.refused("facilitator", "mark_answered", activity="qa", note=note)
    assert refused.code == "question_gone"


def test_when_an_answered_mark_is_undone_then_the_question_is_back_on_the_list():
    run = asking()
    note = approved(run, "p1", "Lys i parken?")
    assert run.refused("facilitator", "unmark_answered", activity="qa", note=note).code == (
        "not_answered"
    )
    run.fac("mark_answered", activity="qa", note=note, answer="Ja")
    run.fac("unmark_answered", activity="qa", note=note)
    assert [q["id"] for q in phone(run)["questions"]] == [note]
    assert phone(run)["answered"] == []


# -- results hidden until revealed -------------------------------------------------------------


def test_when_results_wait_for_a_reveal_then_phones_get_questions_in_order_without_counts():
    run = asking(results="reveal")
    first = approved(run, "p1", "Lys i parken?")
    second = approved(run, "p2", "Buss om kvelden?")
    upvote(run, "p3", second)
    assert phone(run)["questions"] == [
        {"id": first, "text": "Lys i parken?", "answered": False},
        {"id": second, "text": "Buss om kvelden?", "answered": False},
    ]
    assert "questions" not in screen(run) and screen(run)["waiting"] == 0
    run.fac("highlight", activity="qa", note=first)  # put up by the facilitator: shown
    assert screen(run)["question"] == {"id": first, "text": "Lys i parken?", "answered": False}
    run.fac("reveal", activity="qa")
    assert [q["votes"] for q in phone(run)["questions"]] == [1, 0]


# -- the record and the minutes ----------------------------------------------------------------


def meeting_with_every_fate() -> Run:
    run = asking()
    run.join("p1", "p2", "p3")
    lights = approved(run, "p1", "Lys i parken?")
    approved(run, "p2", "Buss om kvelden?")
    secret = run.post("p3", "qa", "HEMMELIG om naboen")
    run.fac("hide", activity="qa", note=secret, reason="navngir en person")
    pulled = run.post("p3", "qa", "TRUKKET likevel")
    run.do("p3", "withdraw_question", activity="qa", note=pulled)
    run.post("p2", "qa", "VENTER fortsatt")
    upvote(run, "p3", lights)
    run.fac("mark_answered", activity="qa", note=lights, answer="Før jul")
    return run


def test_when_the_record_is_built_then_only_approved_questions_are_outside_moderation():
    entry = record.build(meeting_with_every_fate().log)["activities"][0]
    assert [(q["text"], q["votes"], q["answered"], q["answer"]) for q in entry["questions"]] == [
        ("Lys i parken?", 1, True, "Før jul"),
        ("Buss om kvelden?", 0, False, ""),
    ]
    assert [(q["status"], q["reason"]) for q in entry["moderation"]] == [
        ("hidden", "navngir en person"),
        ("withdrawn", None),
        ("held", None),
    ]
    assert (entry["hidden"], entry["withdrawn"], entry["waiting"]) == (1, 1, 1)
    assert (entry["held"], entry["released"]) == (5, 2)


def test_when_results_are_published_then_no_withheld_question_or_count_is_in_them():
    built = record.build(meeting_with_every_fate().log)
    public = json.dumps(record.public(built), ensure_ascii=False)
    for gone in ("HEMMELIG", "TRUKKET", "VENTER", "navngir", "moderation", "withdrawn"):
        assert gone not in public
    (entry,) = record.public(built)["activities"]
    assert entry["questions"][0] == {
        "id": "n1",
        "text": "Lys i parken?",
        "votes": 1,
        "answered": True,
        "answer": "Før jul",
    }


def test_when_the_minutes_are_made_then_questions_come_by_upvotes_with_their_answers():
    from facilitate.export.model import minutes

    built = record.build(meeting_with_every_fate().log)
    (section,) = minutes(built, lambda s: s).sections
    table = next(b for b in section.blocks if type(b).__name__ == "Table")
    assert table.rows == (
        (1, "Lys i parken?", 1, "answered", "Før jul"),
        (2, "Buss om kvelden?", 0, "not answered", None),
    )
    moderation = section.moderation
    assert moderation is not None
    assert (moderation.hidden, moderation.reasons) == (1, (("navngir en person", 1),))
    said = repr(section.blocks)
    assert "HEMMELIG" not in said and "TRUKKET" not in said and "VENTER" not in said


def test_when_a_later_activity_takes_the_top_questions_then_they_come_by_upvotes():
    run = asking()
    first = approved(run, "p1", "Lys i parken?")
    second = approved(run, "p2", "Buss om kvelden?")
    upvote(run, "p1", second)
    run.fac("mark_answered", activity="qa", note=first)
    state = run.state("qa")
    assert KINDS["qa"].top(state, 5, "nb") == [{"nb": "Buss om kvelden?"}, {"nb": "Lys i parken?"}]
