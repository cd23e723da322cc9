"""Points: a budget per phone spread over items, never overspent; totals and shares."""

from __future__ import annotations

from typing import Any

import pytest

from facilitate.core import record, views
from facilitate.core.blocks import Bar, Bars, Context, Facts, Paragraph
from facilitate.core.kinds.points import KIND as POINTS, totals
from facilitate.core.plan import PlanError

from .helpers import Run, make_plan

ITEMS = ["Lys i parken", "Natteravner", "Fartskontroller"]
PRESENCE = views.Presence()


def points(id: str = "spend", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": "points", "title": "Fordel poengene", "items": ITEMS, **extra}


def opened(**extra: Any) -> Run:
    run = Run(points(**extra))
    run.show("spend")
    return run


def test_the_budget_is_a_hundred_unless_the_agenda_says_otherwise() -> None:
    assert make_plan(points()).activities[0].settings.budget == 100
    assert make_plan(points(budget=10)).activities[0].settings.budget == 10
    assert make_plan(points(budget=1000)).activities[0].settings.budget == 1000


@pytest.mark.parametrize("budget", [0, -5, 1001, 2.5, "100", True])
def test_a_budget_out_of_range_is_a_located_problem(budget: Any) -> None:
    with pytest.raises(PlanError) as raised:
        make_plan({"id": "intro", "kind": "info", "title": "Hei"}, points(budget=budget))
    (problem,) = raised.value.problems
    assert (problem.field, problem.code, dict(problem.params)) == (
        "activities[1].budget",
        "whole_number",
        {"key": "budget", "activity": 2, "low": 1, "high": 1000},
    )


def test_the_phones_see_the_items_and_the_budget() -> None:
    activity = views.phone(opened(budget=30).meeting, PRESENCE)["activity"]
    assert activity["budget"] == 30
    assert [item["id"] for item in activity["items"]] == ["i1", "i2", "i3"]


def test_a_spread_is_kept_without_zeros_and_says_what_remains() -> None:
    run = opened()
    events = run.do("p1", "allot", activity="spend", points={"i3": 30, "i1": 50, "i2": 0})
    assert [(e.type, e.data) for e in events] == [
        ("points_set", {"activity": "spend", "points": {"i1": 50, "i3": 30}})
    ]
    assert views.mine(run.meeting, "p1") == {
        "spend": {"points": {"i1": 50, "i3": 30}, "remaining": 20}
    }


def test_the_whole_budget_may_be_spent_and_a_later_spread_replaces_the_earlier() -> None:
    run = opened()
    run.do("p1", "allot", activity="spend", points={"i1": 100})
    run.do("p1", "allot", activity="spend", points={"i2": 60, "i3": 40})
    assert run.do("p1", "allot", activity="spend", points={"i3": 40, "i2": 60}) == []
    assert views.mine(run.meeting, "p1") == {
        "spend": {"points": {"i2": 60, "i3": 40}, "remaining": 0}
    }


def test_an_empty_spread_withdraws_the_points() -> None:
    run = opened()
    run.do("p1", "allot", activity="spend", points={"i1": 10})
    run.do("p1", "allot", activity="spend", points={"i1": 0})
    assert views.mine(run.meeting, "p1") == {}
    assert totals(run.state("spend"))["voters"] == 0


@pytest.mark.parametrize(
    ("spread", "code", "params"),
    [
        ({"i1": 60, "i2": 41}, "over_budget", {"total": 101, "budget": 100}),
        ({"i1": 101}, "over_budget", {"total": 101, "budget": 100}),
        ({"i1": 10**12}, "over_budget", {"total": 10**12, "budget": 100}),
        ({"i1": -10, "i2": 10}, "bad_points", {}),
        ({"i1": 1.5}, "bad_points", {}),
        ({"i1": True}, "bad_points", {}),
        ({"i1": "10"}, "bad_points", {}),
        ({"i1": None}, "bad_points", {}),
        ({"i4": 10}, "unknown_item", {}),
        ({"1": 10}, "unknown_item", {}),
    ],
)
def test_a_bad_spread_is_refused_and_changes_nothing(
    spread: dict[str, Any], code: str, params: dict[str, Any]
) -> None:
    run = opened()
    run.do("p1", "allot", activity="spend", points={"i1": 70})
    before, log = run.meeting.version, len(run.log)
    error = run.refused("p1", "allot", activity="spend", points=spread)
    assert (error.code, error.params) == (code, params)
    assert (run.meeting.version, len(run.log)) == (before, log)
    assert views.mine(run.meeting, "p1") == {"spend": {"points": {"i1": 70}, "remaining": 30}}


def test_totals_and_shares_count_every_phone() -> None:
    run = opened(budget=10)
    run.do("p1", "allot", activity="spend", points={"i1": 6, "i2": 4})
    run.do("p2", "allot", activity="spend", points={"i2": 10})
    run.do("p3", "allot", activity="spend", points={"i3": 2})  # keeps 8
    assert totals(run.state("spend")) == {
        "voters": 3,
        "given": 22,
        "items": [
            {"id": "i2", "text": {"nb": "Natteravner"}, "points": 14, "share": 64, "rank": 1},
            {"id": "i1", "text": {"nb": "Lys i parken"}, "points": 6, "share": 27, "rank": 2},
            {"id": "i3", "text": {"nb": "Fartskontroller"}, "points": 2, "share": 9, "rank": 3},
        ],
    }


def test_results_are_hidden_until_revealed_but_the_console_sees_them() -> None:
    run = opened(results="reveal")
    run.do("p1", "allot", activity="spend", points={"i2": 100})
    assert "totals" not in views.screen(run.meeting, PRESENCE)["activity"]
    assert "totals" not in views.phone(run.meeting, PRESENCE)["activity"]
    assert views.console(run.meeting, PRESENCE)["activity"]["totals"]["given"] == 100
    run.fac("reveal", activity="spend")
    assert views.screen(run.meeting, PRESENCE)["activity"]["totals"]["items"][0]["id"] == "i2"
    run.fac("conceal", activity="spend")
    assert "totals" not in views.phone(run.meeting, PRESENCE)["activity"]


def test_the_record_keeps_the_budget_and_the_totals() -> None:
    run = opened(budget=50)
    run.do("p1", "allot", activity="spend", points={"i1": 50})
    entry = record.build(run.log)["activities"][0]
    assert (entry["budget"], entry["responders"]) == (50, 1)
    assert entry["totals"] == totals(run.state("spend"))


def test_the_minutes_are_bars_of_the_points_with_the_budget() -> None:
    run = opened(budget=10)
    run.do("p1", "allot", activity="spend", points={"i1": 3, "i3": 7})
    words = {
        "item": "Tiltak",
        "points_column": "Poeng",
        "no_items": "Ingen.",
        "points_how": "%(budget)s each, %(n)s given",
        "budget": "Poeng per telefon",
        "points_given": "Poeng gitt",
    }
    context = Context(words, lambda text: (text or {}).get("nb", ""), lambda at: None)
    blocks = POINTS.minutes(record.build(run.log)["activities"][0], context)
    assert blocks == [
        Bars(
            "Tiltak",
            "Poeng",
            (
                Bar("Fartskontroller", 7, 70, rank=1),
                Bar("Lys i parken", 3, 30, rank=2),
                Bar("Natteravner", 0, 0, rank=3),
            ),
            empty="Ingen.",
        ),
        Paragraph("10 each, 10 given", muted=True, show="documents"),
        Facts((("Poeng per telefon", 10), ("Poeng gitt", 10)), show="sheets"),
    ]
