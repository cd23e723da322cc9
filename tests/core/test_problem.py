"""Problem description and cause analysis: the form's fields, the why chain, agreeing,
moderation, drawing the starting point, and what each role, the record and the minutes get."""

from __future__ import annotations

import json
from typing import Any

import pytest

from facilitate.core import problem, record, views
from facilitate.core.events import FACILITATOR
from facilitate.core.plan import PlanError
from facilitate.export import export

from .helpers import Run, make_plan, poll

PRESENCE = views.Presence(phones=3)


def problem_entry(id: str = "pr", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": "problem", "title": "Problemet", **extra}


def room(**extra: Any) -> Run:
    run = Run(problem_entry(**extra))
    run.show("pr")
    return run


def say(run: Run, pid: str, field: str, text: str) -> str:
    (event,) = run.do(pid, "contribute", activity="pr", field=field, text=text)
    return str(event.data["contribution"])


def view(run: Run, role: Any) -> dict[str, Any]:
    found: dict[str, Any] = role(run.meeting, PRESENCE)["activity"]
    return found


def test_the_agenda_defaults_to_five_whys_and_holding_personal_text() -> None:
    settings = make_plan(problem_entry()).activities[0].settings
    assert (settings.whys, settings.hold_personal, settings.focus) == (5, True, {})


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"whys": 6}, "activities[0].whys", "whole_number"),
        ({"whys": 0}, "activities[0].whys", "whole_number"),
        ({"items_from": {"activity": "first", "top": 2}}, "activities[0].items_from",
         "bad_items_from"),
        ({"focus": "Kiwi", "items_from": {"activity": "first"}}, "activities[0].items_from",
         "focus_or_items_from"),
        ({"items_from": {"activity": "nowhere"}}, "activities[0].items_from",
         "items_from_unknown"),
    ],
)  # fmt: skip
def test_a_bad_agenda_entry_is_a_located_problem(
    changes: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(PlanError) as raised:
        make_plan(problem_entry(**changes))
    assert [(p.field, p.code) for p in raised.value.problems] == [(field, code)]


def test_a_phone_contribution_is_seen_by_everyone_with_no_author() -> None:
    run = room()
    cid = say(run, "p1", "what", "Ungdom samler seg ved Kiwi på kveldstid")
    item = {"id": cid, "text": "Ungdom samler seg ved Kiwi på kveldstid", "by": "phone"}
    assert view(run, views.phone)["answers"]["what"]["contributions"] == [item]
    assert view(run, views.screen)["answers"]["what"]["recent"] == [item]
    assert views.mine(run.meeting, "p1")["pr"]["contributions"] == [
        {"id": cid, "field": "what", "text": item["text"], "status": "visible"}
    ]
    assert "p1" not in json.dumps(record.public(record.build(run.log)))


def test_a_field_that_is_not_in_the_form_is_refused() -> None:
    run = room(whys=2)
    assert run.refused("p1", "contribute", activity="pr", field="why3", text="x").code == (
        "no_such_field"
    )
    assert run.refused("p1", "contribute", activity="pr", field="colour", text="x").code == (
        "no_such_field"
    )


def test_empty_and_too_long_contributions_are_refused_counting_as_people_see() -> None:
    run = room()
    assert run.refused("p1", "contribute", activity="pr", field="what", text=" \u200b").code == (
        "empty_text"
    )
    family = "👨‍👩‍👧"  # one character of five code points
    say(run, "p1", "what", family * problem.MAX_LENGTH)
    error = run.refused("p1", "contribute", activity="pr", field="what", text="a" * 201)
    assert (error.code, error.params) == ("too_long_text", {"limit": problem.MAX_LENGTH})


def test_each_why_opens_once_the_one_before_has_a_visible_answer() -> None:
    run = room()
    error = run.refused("p1", "contribute", activity="pr", field="why2", text="Fordi")
    assert error.code == "why_not_open"
    assert views.phone(run.meeting, PRESENCE)["activity"]["open_whys"] == 1
    say(run, "p1", "why1", "Det finnes ikke noe annet sted å være")
    assert views.phone(run.meeting, PRESENCE)["activity"]["open_whys"] == 2
    say(run, "p2", "why2", "Klubben er stengt i helgene")
    assert views.phone(run.meeting, PRESENCE)["activity"]["open_whys"] == 3


def test_a_held_why_answer_does_not_open_the_next_why() -> None:
    run = room()
    cid = say(run, "p1", "why1", "Ring meg på 912 34 567")
    assert run.state("pr").kind_state.contributions[cid].status == "held"
    assert run.refused("p2", "contribute", activity="pr", field="why2", text="x").code == (
        "why_not_open"
    )
    run.fac("release_contribution", activity="pr", contribution=cid)
    say(run, "p2", "why2", "Fordi")


def test_the_last_answer_to_a_why_stays_while_the_next_why_is_in_use() -> None:
    run = room()
    first = say(run, "p1", "why1", "Ingen andre steder å være")
    second = say(run, "p2", "why2", "Klubben er stengt")
    error = run.refused("p1", "withdraw_contribution", activity="pr", contribution=first)
    assert error.code == "why_needed"
    error = run.refused(FACILITATOR, "hide_contribution", activity="pr", contribution=first)
    assert error.code == "why_needed"
    run.fac("scribe", activity="pr", field="why1", text="Det er mørkt og kaldt")
    run.fac("hide_contribution", activity="pr", contribution=first, reason="Dobbelt")
    run.do("p2", "withdraw_contribution", activity="pr", contribution=second)
    assert [c.status for c in run.state("pr").kind_state.contributions.values()] == [
        "hidden", "withdrawn", "visible"
    ]  # fmt: skip


def test_a_hidden_why_answer_is_restored_only_while_its_level_is_open() -> None:
    run = room()
    first = say(run, "p1", "why1", "Ingen andre steder")
    second = say(run, "p2", "why2", "Klubben er stengt")
    run.fac("hide_contribution", activity="pr", contribution=second)
    run.do("p1", "withdraw_contribution", activity="pr", contribution=first)
    error = run.refused(FACILITATOR, "restore_contribution", activity="pr", contribution=second)
    assert error.code == "why_not_open"


def test_only_its_author_withdraws_a_contribution() -> None:
    run = room()
    cid = say(run, "p1", "where", "Parkeringsplassen")
    error = run.refused("p2", "withdraw_contribution", activity="pr", contribution=cid)
    assert error.code == "not_your_contribution"
    run.do("p1", "withdraw_contribution", activity="pr", contribution=cid)
    error = run.refused("p1", "withdraw_contribution", activity="pr", contribution=cid)
    assert error.code == "contribution_gone"
    assert run.refused("p1", "withdraw_contribution", activity="pr", contribution="c99").code == (
        "unknown_contribution"
    )


def test_a_phone_has_at_most_ten_contributions_on_one_field() -> None:
    run = room()
    for n in range(problem.MAX_OWN):
        say(run, "p1", "what", f"Problem {n}")
    error = run.refused("p1", "contribute", activity="pr", field="what", text="En til")
    assert (error.code, error.params) == ("too_many_contributions", {"limit": problem.MAX_OWN})
    say(run, "p2", "what", "Noe annet")
    say(run, "p1", "where", "Kiwi")


def test_one_agreed_answer_per_field_that_hiding_or_withdrawing_clears() -> None:
    run = room()
    one = say(run, "p1", "where", "Parkeringsplassen ved Kiwi")
    two = say(run, "p2", "where", "Busslommen")
    run.fac("agree", activity="pr", contribution=one)
    assert run.fac("agree", activity="pr", contribution=one) == []
    run.fac("agree", activity="pr", contribution=two)
    assert run.state("pr").kind_state.agreed == {"where": two}
    assert view(run, views.screen)["answers"]["where"]["agreed"]["id"] == two
    assert view(run, views.screen)["answers"]["where"]["recent"] == []
    run.fac("hide_contribution", activity="pr", contribution=two, reason="Feil sted")
    assert run.state("pr").kind_state.agreed == {}
    run.fac("agree", activity="pr", contribution=one)
    run.do("p1", "withdraw_contribution", activity="pr", contribution=one)
    assert run.state("pr").kind_state.agreed == {}
    error = run.refused(FACILITATOR, "agree", activity="pr", contribution=one)
    assert error.code == "contribution_not_visible"


def test_clearing_the_agreed_answer_leaves_the_field_without_one() -> None:
    run = room()
    one = say(run, "p1", "when", "Fredagskvelder")
    run.fac("agree", activity="pr", contribution=one)
    assert run.fac("clear_agreed", activity="pr", field="when")[0].type == "agreed_cleared"
    assert run.fac("clear_agreed", activity="pr", field="when") == []
    assert run.refused(FACILITATOR, "clear_agreed", activity="pr", field="x").code == (
        "no_such_field"
    )


def test_the_scribe_writes_for_people_without_phones_without_counting_as_one() -> None:
    run = room()
    run.fac("close", activity="pr")
    (event,) = run.fac("scribe", activity="pr", field="fixer", text="Gårdeieren (fra papirlapp)")
    assert event.type == "contribution_written"
    entry = record.build(run.log)["activities"][0]
    assert entry["responders"] == 0
    assert entry["form"][-4]["contributions"][0]["by"] == "scribe"


def test_personal_text_waits_for_review_and_its_author_sees_why() -> None:
    run = room()
    cid = say(run, "p1", "offender", "Det er Ole Hansen som kjøper ut")
    assert view(run, views.phone)["answers"]["offender"]["contributions"] == []
    assert views.mine(run.meeting, "p1")["pr"]["contributions"][0]["held"] == "name"
    assert view(run, views.console)["held"] == 1
    run.fac("hide_contribution", activity="pr", contribution=cid, reason="Navngir en person")
    assert views.mine(run.meeting, "p1")["pr"]["contributions"][0]["reason"] == (
        "Navngir en person"
    )
    assert run.refused(
        FACILITATOR, "release_contribution", activity="pr", contribution=cid
    ).code == ("contribution_not_held")


def test_without_hold_personal_the_text_goes_up_at_once() -> None:
    run = room(hold_personal=False)
    say(run, "p1", "offender", "Det er Ole Hansen som kjøper ut")
    assert view(run, views.phone)["answers"]["offender"]["contributions"]


def test_results_hidden_until_revealed_keep_others_contributions_off_phones_and_screen() -> None:
    run = room(results="reveal")
    say(run, "p1", "what", "Bråk ved Kiwi")
    assert "answers" not in view(run, views.phone)
    assert "answers" not in view(run, views.screen)
    assert view(run, views.console)["answers"]["what"]["contributions"]
    run.fac("reveal", activity="pr")
    assert view(run, views.screen)["answers"]["what"]["count"] == 1


def test_the_top_item_of_an_earlier_activity_becomes_the_starting_point_once() -> None:
    run = Run(
        poll("first", ("kiwi", "park")),
        problem_entry(items_from={"activity": "first", "top": 1}),
    )
    run.show("first")
    run.do("p1", "vote", activity="first", choices=["park"])
    run.show("pr")
    assert view(run, views.phone)["focus"] == {"nb": "PARK"}
    run.fac("close", activity="pr")
    run.fac("open", activity="pr")
    assert [e.type for e in run.log].count("focus_drawn") == 1
    assert record.build(run.log)["activities"][1]["starting_point"] == {"nb": "PARK"}


def test_the_record_gives_a_citizen_promise_its_focus_area() -> None:
    run = room(focus="Ungdom samler seg ved Kiwi på kveldstid", whys=3)
    agreed = {name: say(run, "p1", name, f"{name} svar") for name in ("what", "where", "why1")}
    say(run, "p2", "why2", "to")
    for cid in agreed.values():
        run.fac("agree", activity="pr", contribution=cid)
    entry = record.build(run.log)["activities"][0]
    assert entry["starting_point"] == {"nb": "Ungdom samler seg ved Kiwi på kveldstid"}
    assert entry["focus_area"] == {
        "what": "what svar",
        "where": "where svar",
        "when": None,
        "whys": [{"level": 1, "text": "why1 svar"}],
    }
    assert [a["field"] for a in entry["form"]] == list(problem.fields(3))


def test_the_minutes_number_the_whys_and_keep_hidden_text_out() -> None:
    run = room()
    say(run, "p1", "why1", "Ingen steder å være")
    say(run, "p2", "why2", "Klubben er stengt")
    secret = say(run, "p3", "target", "Naboen med hund")
    run.fac("hide_contribution", activity="pr", contribution=secret, reason="Utenfor tema")
    document = export(record.build(run.log), "md", lambda text: text).decode()
    assert "| 1 | " in document and "Klubben er stengt" in document
    assert "Naboen med hund" not in document
    assert "Utenfor tema" in document


def test_moderation_and_agreement_touch_the_phones_whose_own_list_changes() -> None:
    run = room()
    one = say(run, "p1", "where", "Parkeringsplassen")
    say(run, "p2", "where", "Busslommen")
    say(run, "p3", "when", "Kveld")
    agreed = run.fac("agree", activity="pr", contribution=one)
    assert views.affected(run.meeting, agreed[0].type, agreed[0].data) == {"p1", "p2"}
    cleared = run.fac("clear_agreed", activity="pr", field="where")
    assert views.affected(run.meeting, cleared[0].type, cleared[0].data) == {"p1", "p2"}
    hidden = run.fac("hide_contribution", activity="pr", contribution=one)
    assert views.affected(run.meeting, hidden[0].type, hidden[0].data) == {"p1"}
