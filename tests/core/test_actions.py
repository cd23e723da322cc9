"""Proposed activities for a citizen promise (kind `actions`): proposing, editing, backing,
choosing and moderating, with the SMART criteria every view shows."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from facilitate.core import actionplan, record, views
from facilitate.core.events import FACILITATOR
from facilitate.core.kinds.base import Demo

from .helpers import Run

PRESENCE = views.Presence(phones=3)
NIGHT = {
    "what": "Nattvandring fredagar vid Torget",
    "who": "Vuxna nattvandrare",
    "where": "Torget",
    "when": "mars–juni 2027",
    "indicator": "antal kvällar med vuxna ute",
    "responsible": "Föreningen Nattvandrarna",
}


def actions(**extra: Any) -> dict[str, Any]:
    return {"id": "hur", "kind": "actions", "title": "Vad gör vi?", **extra}


def started(**extra: Any) -> Run:
    run = Run(actions(**extra))
    run.show("hur")
    return run


def propose(run: Run, pid: str, **fields: str) -> str:
    (event,) = run.do(pid, "propose_action", activity="hur", **fields)
    return str(event.data["action"])


def listed(run: Run, role: Any = views.phone) -> list[dict[str, Any]]:
    return list(role(run.meeting, PRESENCE)["activity"]["actions"])


def test_a_proposal_needs_only_what_and_shows_what_is_missing() -> None:
    run = started()
    action = propose(run, "p1", what="Mer lys i parken")
    (item,) = listed(run)
    assert item == {
        "id": action,
        "what": "Mer lys i parken",
        "who": "",
        "where": "",
        "when": "",
        "indicator": "",
        "responsible": "",
        "chosen": False,
        "supports": 0,
        "questions": 0,
        "smart": {
            "specific": False,
            "measurable": False,
            "accepted": False,
            "realistic": False,
            "time_bound": False,
        },
    }


def test_when_the_author_fills_the_fields_then_the_criteria_are_met_one_by_one() -> None:
    run = started()
    action = propose(run, "p1", what=NIGHT["what"])
    run.do("p1", "edit_action", activity="hur", action=action, who=NIGHT["who"], where="Torget")
    assert listed(run)[0]["smart"]["specific"] is True
    run.do("p1", "edit_action", activity="hur", action=action, indicator=NIGHT["indicator"])
    run.do("p1", "edit_action", activity="hur", action=action, when="mars–juni 2027")
    run.do("p1", "edit_action", activity="hur", action=action, responsible="Föreningen")
    run.do("p2", "back_action", activity="hur", action=action, stance="support")
    assert set(listed(run)[0]["smart"].values()) == {True}


def test_the_newest_value_of_a_field_wins_and_the_same_value_again_changes_nothing() -> None:
    run = started()
    action = propose(run, "p1", what="Lys", when="mars")
    run.do("p1", "edit_action", activity="hur", action=action, when="april")
    assert run.do("p1", "edit_action", activity="hur", action=action, when="april") == []
    run.do("p1", "edit_action", activity="hur", action=action, when="")
    assert listed(run)[0]["when"] == ""
    assert listed(run)[0]["smart"]["time_bound"] is False


@pytest.mark.parametrize("name", ["what", "who", "where", "when", "indicator", "responsible"])
def test_a_field_over_200_characters_is_refused_naming_the_field(name: str) -> None:
    run = started()
    fields = {"what": "Lys", name: "é" * 201}
    refused = run.refused("p1", "propose_action", activity="hur", **fields)
    assert (refused.code, refused.params) == ("too_long_text", {"limit": 200, "field": name})
    assert name in refused.message
    assert listed(run) == []


def test_length_is_counted_in_characters_a_person_sees() -> None:
    run = started()
    family = "👨‍👩‍👧‍👦"  # seven code points, one character
    propose(run, "p1", what=family * 200)
    assert listed(run)[0]["what"] == family * 200


def test_what_is_required_and_can_never_be_emptied() -> None:
    run = started()
    assert run.refused("p1", "propose_action", activity="hur", who="Alle").code == "empty_text"
    assert run.refused("p1", "propose_action", activity="hur", what=" \u200b ").code == (
        "empty_text"
    )
    action = propose(run, "p1", what="Lys")
    refused = run.refused("p1", "edit_action", activity="hur", action=action, what="  ")
    assert (refused.code, refused.params) == ("empty_text", {"field": "what"})


def test_a_field_that_is_not_text_is_refused() -> None:
    run = started()
    assert run.refused("p1", "propose_action", activity="hur", what=5).code == "bad_message"


def test_only_the_author_edits_a_proposal_and_only_until_it_is_chosen() -> None:
    run = started()
    action = propose(run, "p1", what="Lys")
    refused = run.refused("p2", "edit_action", activity="hur", action=action, when="mai")
    assert refused.code == "not_your_action"
    run.fac("choose_action", activity="hur", action=action)
    refused = run.refused("p1", "edit_action", activity="hur", action=action, when="mai")
    assert refused.code == "action_chosen"
    run.fac("revise_action", activity="hur", action=action, when="mai")
    assert listed(run)[0]["when"] == "mai"
    assert run.refused("p1", "edit_action", activity="hur", action="a9").code == "unknown_action"


def test_a_phone_has_at_most_ten_proposals() -> None:
    run = started()
    for n in range(actionplan.PER_PHONE):
        propose(run, "p1", what=f"Forslag {n}")
    refused = run.refused("p1", "propose_action", activity="hur", what="Ett til")
    assert (refused.code, refused.params) == ("too_many_actions", {"limit": 10})
    propose(run, "p2", what="Fra en annen")


def test_one_stance_per_phone_which_a_later_one_replaces_and_null_withdraws() -> None:
    run = started()
    action = propose(run, "p1", what="Lys")
    back = {"activity": "hur", "action": action}
    run.do("p2", "back_action", stance="support", **back)
    assert run.do("p2", "back_action", stance="support", **back) == []
    run.do("p3", "back_action", stance="support", **back)
    assert (listed(run)[0]["supports"], listed(run)[0]["questions"]) == (2, 0)
    run.do("p2", "back_action", stance="question", **back)
    assert (listed(run)[0]["supports"], listed(run)[0]["questions"]) == (1, 1)
    assert listed(run)[0]["smart"]["accepted"] is False
    assert views.mine(run.meeting, "p2")["hur"] == {"stances": {action: "question"}}
    run.do("p2", "back_action", stance=None, **back)
    assert (listed(run)[0]["supports"], listed(run)[0]["questions"]) == (1, 0)
    assert views.mine(run.meeting, "p2") == {}
    assert run.refused("p2", "back_action", stance=None, **back).code == "no_stance"


@pytest.mark.parametrize(
    ("who", "stance", "code"),
    [("p1", "support", "own_action"), ("p2", "like", "bad_action_stance")],
)
def test_a_stance_on_ones_own_proposal_or_not_support_or_question_is_refused(
    who: str, stance: str, code: str
) -> None:
    run = started()
    action = propose(run, "p1", what="Lys")
    assert run.refused(who, "back_action", activity="hur", action=action, stance=stance).code == (
        code
    )


def test_while_results_wait_the_room_sees_no_counts_and_no_accepted_letter() -> None:
    run = started(results="reveal")
    action = propose(run, "p1", what="Lys")
    run.do("p2", "back_action", activity="hur", action=action, stance="support")
    (item,) = listed(run)
    assert "supports" not in item and item["smart"]["accepted"] is None
    assert listed(run, views.console)[0]["supports"] == 1
    run.fac("reveal", activity="hur")
    assert listed(run)[0]["smart"]["accepted"] is True


def test_chosen_proposals_come_first_and_hiding_one_unchooses_it() -> None:
    run = started()
    first = propose(run, "p1", what="Lys")
    second = propose(run, "p2", what="Natteravner")
    run.fac("choose_action", activity="hur", action=second)
    assert [a["id"] for a in listed(run, views.screen)] == [second, first]
    assert listed(run)[0]["chosen"] is True
    run.fac("hide_action", activity="hur", action=second, reason="Dobbelt")
    assert [a["id"] for a in listed(run)] == [first]
    assert views.mine(run.meeting, "p2")["hur"]["actions"][0]["status"] == "hidden"
    assert views.mine(run.meeting, "p2")["hur"]["actions"][0]["reason"] == "Dobbelt"
    refused = run.refused(FACILITATOR, "choose_action", activity="hur", action=second)
    assert refused.code == "action_gone"
    run.fac("restore_action", activity="hur", action=second)
    assert {a["id"]: a["chosen"] for a in listed(run)} == {first: False, second: False}
    run.fac("choose_action", activity="hur", action=first)
    run.fac("unchoose_action", activity="hur", action=first)
    assert listed(run)[0]["chosen"] is False


def test_a_hidden_proposal_takes_no_stance_and_no_edit_from_its_author() -> None:
    run = started()
    action = propose(run, "p1", what="Lys")
    run.fac("hide_action", activity="hur", action=action)
    back = {"activity": "hur", "action": action}
    assert run.refused("p2", "back_action", stance="support", **back).code == "action_gone"
    assert run.refused("p1", "edit_action", when="mai", **back).code == "action_gone"


def test_a_proposal_that_looks_personal_waits_and_reaches_only_its_author_and_console() -> None:
    run = started()
    action = propose(run, "p1", what="Ring Kari Nordmann på 912 34 567")
    assert listed(run) == [] and listed(run, views.screen) == []
    assert views.phone(run.meeting, PRESENCE)["activity"]["waiting"] == 1
    own = views.mine(run.meeting, "p1")["hur"]["actions"][0]
    assert (own["status"], own["held"]) == ("held", "phone")
    assert listed(run, views.console)[0]["held"] == "phone"
    back = {"activity": "hur", "action": action}
    assert run.refused("p2", "back_action", stance="support", **back).code == "action_gone"
    run.fac("release_action", **back)
    assert [a["id"] for a in listed(run)] == [action]


def test_an_edit_that_makes_a_visible_proposal_look_personal_holds_it_again() -> None:
    run = started()
    action = propose(run, "p1", what="Lys")
    run.do("p1", "edit_action", activity="hur", action=action, responsible="ola@example.no")
    assert listed(run) == []
    assert views.mine(run.meeting, "p1")["hur"]["actions"][0]["held"] == "email"


def test_without_hold_personal_nothing_waits_and_the_facilitator_is_never_held() -> None:
    run = started(hold_personal=False)
    propose(run, "p1", what="Ring 912 34 567")
    run2 = started()
    run2.fac("write_action", activity="hur", what="Ring 912 34 567")
    assert len(listed(run)) == 1 and len(listed(run2)) == 1


def test_the_facilitator_writes_for_people_without_phones_and_is_no_responder() -> None:
    run = started()
    (event,) = run.fac("write_action", activity="hur", **NIGHT)
    assert event.type == "action_written"
    entry = record.build(run.log)["activities"][0]
    assert entry["responders"] == 0
    assert entry["actions"][0]["by_facilitator"] is True
    assert run.meeting.contributors == set()


def test_the_author_hears_of_what_the_facilitator_did_to_its_proposal() -> None:
    run = started()
    action = propose(run, "p1", what="Lys")
    state = run.state("hur")
    assert state.kind.affected(state, "action_chosen", {"action": action}) == {"p1"}
    assert state.kind.affected(state, "input_closed", {}) == set()


def test_the_record_keeps_final_values_criteria_and_counts_without_authors() -> None:
    run = started()
    chosen = propose(run, "p1", what="Natt", where="Torget")
    run.do("p1", "edit_action", activity="hur", action=chosen, **NIGHT)
    other = propose(run, "p2", what="Kameraer")
    secret = propose(run, "p3", what="Kari Nordmann selger hasj")
    run.do("p2", "back_action", activity="hur", action=chosen, stance="support")
    run.do("p3", "back_action", activity="hur", action=other, stance="question")
    run.fac("choose_action", activity="hur", action=chosen)
    entry = record.build(run.log)["activities"][0]
    assert [a["id"] for a in entry["actions"]] == [chosen, other]
    first = entry["actions"][0]
    assert {k: first[k] for k in NIGHT} == NIGHT
    assert (first["chosen"], first["supports"], first["questions"]) == (True, 1, 0)
    assert set(first["smart"].values()) == {True}
    assert [a["id"] for a in entry["moderation"]] == [secret]
    assert (entry["chosen"], entry["waiting"], entry["held"], entry["released"]) == (1, 1, 1, 0)
    text = json.dumps(entry)
    assert '"p1"' not in text and '"p2"' not in text and '"p3"' not in text
    public = record.public(record.build(run.log))["activities"][0]
    assert "Kari Nordmann" not in json.dumps(public, ensure_ascii=False)
    assert "moderation" not in public and "held" not in public


def test_input_closed_refuses_phones_but_not_the_facilitator() -> None:
    run = started()
    run.fac("close", activity="hur")
    assert run.refused("p1", "propose_action", activity="hur", what="Lys").code == "closed"
    run.fac("write_action", activity="hur", what="Lys")
    assert len(listed(run, views.console)) == 1


def test_the_demo_chooses_activities_with_every_criterion_met() -> None:
    run = started()
    people = [f"p{n}" for n in range(12)]
    state = run.state("hur")
    demo = Demo(
        people,
        random.Random(3),
        lambda pid, t, **d: run.do(pid, t, **d),
        lambda t, **d: run.fac(t, **d),
        [],
        state,
    )
    state.kind.demo(state.spec, demo)
    entry = record.build(run.log)["activities"][0]
    chosen = [a for a in entry["actions"] if a["chosen"]]
    assert len(chosen) == 3 and all(all(a["smart"].values()) for a in chosen)
    assert entry["moderation"][0]["status"] == "hidden"
