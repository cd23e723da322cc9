"""Survey mode: every activity open from the start, each phone at its own pace, input only
between the opening and the closing time, new people counted per hour for the console."""

from __future__ import annotations

from typing import Any

import pytest

from facilitate.core import views
from facilitate.core.plan import PlanError, plan_from_dict

from .helpers import Run, info, notes, poll

OPENS, CLOSES = "2023-11-14T08:00:00+01:00", "2023-11-28T20:00:00+01:00"
T_OPENS = 1699945200.0  # OPENS in seconds since the epoch


def survey(**window: Any) -> Run:
    data = {
        "title": "Trygghet på Tøyen",
        "survey": window or {"opens": OPENS, "closes": CLOSES},
        "activities": [info(), poll(), notes()],
    }
    return Run(plan=plan_from_dict(data))


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(PlanError) as caught:
        plan_from_dict(data)
    return [(p.field, p.code) for p in caught.value.problems]


def test_when_a_plan_is_a_survey_then_its_times_are_read_with_their_offset() -> None:
    plan = plan_from_dict({"title": "S", "survey": {"opens": OPENS}, "activities": [poll()]})
    assert plan.survey is not None and plan.survey.opens == OPENS and plan.survey.closes is None
    assert plan_from_dict(plan.to_dict()) == plan
    assert (
        plan_from_dict({"title": "S", "survey": True, "activities": [poll()]}).to_dict()["survey"]
        is True
    )
    base = {"title": "S", "activities": [poll()]}
    assert problems({**base, "survey": {"opens": "2023-11-14"}}) == [
        ("survey.opens", "survey_time")
    ]
    assert problems({**base, "survey": {"opens": CLOSES, "closes": OPENS}}) == [
        ("survey.closes", "survey_time")
    ]
    assert problems({**base, "survey": "yes"}) == [("survey", "bad_survey")]
    assert problems({**base, "survey": {"start": OPENS}}) == [("survey", "bad_survey")]
    drawn = {
        "id": "r",
        "kind": "ranking",
        "title": "R",
        "items_from": {"activity": "poll", "top": 2},
    }
    assert problems({**base, "survey": True, "activities": [poll(), drawn]}) == [
        ("activities[1].items_from", "survey_items_from")
    ]


def test_when_a_survey_runs_then_phones_answer_any_activity_at_their_own_pace() -> None:
    run = survey()
    run.at = T_OPENS + 3600
    run.join("p1", "p2")
    assert run.state("poll").open and run.state("ideas").open  # no goto, no opening
    run.do("p2", "note", activity="ideas", text="Mer lys ved t-banen")
    run.do("p1", "vote", activity="poll", choices=["a"])
    view = views.phone(run.meeting, views.Presence())
    assert view["survey"] == {"opens": OPENS, "closes": CLOSES} and view["activity"] is None
    assert [a["id"] for a in view["activities"]] == ["welcome", "poll", "ideas"]
    console = views.console(run.meeting, views.Presence())
    assert console["new_per_hour"] == [[int(T_OPENS + 3600), 2]]
    replayed = run.replayed()
    assert replayed.first_input == run.meeting.first_input
    assert replayed.activities["poll"].votes == {"p1": ("a",)}


def test_when_input_comes_before_the_survey_opens_or_after_it_closes_then_it_is_refused() -> None:
    run = survey()
    run.join("p1")
    run.at = T_OPENS - 60
    refused = run.refused("p1", "vote", activity="poll", choices=["a"])
    assert refused.code == "survey_not_open"
    run.at = T_OPENS + 14 * 86400 + 12 * 3600  # 20:00 on the 28th
    assert run.refused("p1", "vote", activity="poll", choices=["a"]).code == "survey_closed"
    assert run.meeting.activities["poll"].votes == {}
    # The facilitator can still close an activity by hand, and a phone then is told so.
    always = survey(opens=OPENS)
    always.at = T_OPENS
    always.join("p1")
    always.fac("close", activity="poll")
    assert always.refused("p1", "vote", activity="poll", choices=["a"]).code == "closed"
