"""Items, for every kind that works on a list: `items` or `items_from` an earlier activity.

Each test runs for every such kind in the registry (facilitate/core/kinds/items.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from facilitate.core import record, views
from facilitate.core.kinds import KINDS
from facilitate.core.kinds.base import Kind
from facilitate.core.kinds.items import MAX_ITEMS, items
from facilitate.core.plan import PlanError, parse_plan, plan_from_dict

from .helpers import Run, info, make_plan, painjoy, poll

# The kinds that name their items by id (i1, i2, …); scales and matrices test their own.
ITEM_KINDS = ["points", "ranking"]


@pytest.fixture(params=ITEM_KINDS, ids=str)
def kind(request: pytest.FixtureRequest) -> Kind:
    return KINDS[request.param]


def entry(kind: Kind, id: str = "list", **fields: Any) -> dict[str, Any]:
    """An agenda entry of the kind: its example, with `fields` in place of its items."""
    base = {k: v for k, v in kind.example.items() if k not in ("items", "items_from")}
    return {**base, "id": id, **fields}


def only_problem(*activities: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    with pytest.raises(PlanError) as raised:
        make_plan(*activities)
    (problem,) = raised.value.problems
    return problem.field, problem.code, dict(problem.params)


def test_there_are_kinds_with_items() -> None:
    assert {"ranking", "points"} <= set(ITEM_KINDS)


def test_items_from_an_agenda_get_ids_in_their_order(kind: Kind) -> None:
    run = Run(entry(kind, items=["Lys", {"nb": "Vakter", "en": "Guards"}, "Fart"]))
    run.show("list")
    head = views.phone(run.meeting, views.Presence())["activity"]
    assert head["items"] == [
        {"id": "i1", "text": {"nb": "Lys"}},
        {"id": "i2", "text": {"nb": "Vakter", "en": "Guards"}},
        {"id": "i3", "text": {"nb": "Fart"}},
    ]
    assert not [e for e in run.log if e.type == "items_drawn"]  # nothing to draw


def test_items_from_an_earlier_poll_are_its_options_with_most_votes(kind: Kind) -> None:
    run = Run(
        poll("vote", options=("a", "b", "c", "d")),
        entry(kind, items_from={"activity": "vote", "top": 2}),
    )
    run.show("vote")
    for pid, choice in (("p1", "c"), ("p2", "c"), ("p3", "b"), ("p4", "a"), ("p5", "b")):
        run.do(pid, "vote", activity="vote", choices=[choice])
    events = run.show("list")
    assert [(e.type, e.data) for e in events[:2]] == [
        ("activity_shown", {"activity": "list", "present": 0}),
        ("items_drawn", {"activity": "list", "items": [{"nb": "B"}, {"nb": "C"}]}),
    ]  # b and c have two votes each: the poll's order breaks the tie
    head = views.screen(run.meeting, views.Presence())["activity"]
    assert head["items"] == [{"id": "i1", "text": {"nb": "B"}}, {"id": "i2", "text": {"nb": "C"}}]


def test_items_are_drawn_once_and_the_record_keeps_them(kind: Kind) -> None:
    run = Run(poll("vote"), entry(kind, items_from={"activity": "vote", "top": 1}))
    run.show("vote")
    run.do("p1", "vote", activity="vote", choices=["a"])
    run.show("list")
    run.fac("close", activity="list")
    run.show("vote")
    run.do("p2", "vote", activity="vote", choices=["b"])
    run.do("p3", "vote", activity="vote", choices=["b"])
    run.fac("open", activity="list")
    run.show("list")
    assert len([e for e in run.log if e.type == "items_drawn"]) == 1
    assert items(run.state("list")) == ({"nb": "A"},)
    assert items(run.replayed().activities["list"]) == ({"nb": "A"},)
    stored = record.build(run.log)["activities"][1]
    assert stored["items_from"] == {"activity": "vote", "top": 1}


def test_items_from_pain_points_are_those_with_most_dots(kind: Kind) -> None:
    run = Run(painjoy("pj", dots=3), entry(kind, items_from={"activity": "pj", "top": 5}))
    run.show("pj")
    dark = run.post("p1", "pj", "Mørk undergang", side="pain")
    speed = run.post("p2", "pj", "Råkjøring", side="pain")
    run.post("p3", "pj", "Ungdomsklubben", side="joy")
    run.fac("phase", activity="pj", phase="dots")
    run.dot("p1", "pj", speed)
    run.dot("p2", "pj", speed)
    run.dot("p3", "pj", dark)
    run.show("list")
    # Only pain points carry over, and only the two there are, however many were asked for.
    assert items(run.state("list")) == ({"nb": "Råkjøring"}, {"nb": "Mørk undergang"})


def test_an_earlier_activity_without_input_gives_no_items(kind: Kind) -> None:
    run = Run(painjoy("pj"), entry(kind, items_from={"activity": "pj", "top": 3}))
    run.show("list")
    assert items(run.state("list")) == ()
    assert views.phone(run.meeting, views.Presence())["activity"]["items"] == []


def test_a_plan_round_trips_with_items_from(kind: Kind) -> None:
    plan = make_plan(poll("vote"), entry(kind, items_from={"activity": "vote", "top": 3}))
    assert plan_from_dict(plan.to_dict()) == plan


@pytest.mark.parametrize(
    "fields",
    [{}, {"items": ["Lys", "Fart"], "items_from": {"activity": "vote", "top": 2}}],
    ids=["neither", "both"],
)
def test_items_or_items_from_must_be_given_but_not_both(kind: Kind, fields: dict[str, Any]) -> None:
    field, code, params = only_problem(poll("vote"), entry(kind, **fields))
    assert (field, code, params) == (
        "activities[1].items",
        "items_or_items_from",
        {"key": "items", "activity": 2},
    )


@pytest.mark.parametrize(
    "given", [["Lys"], [f"Tiltak {n}" for n in range(MAX_ITEMS + 1)], "Lys, Fart"]
)
def test_items_must_be_a_list_of_two_to_twenty(kind: Kind, given: Any) -> None:
    field, code, params = only_problem(entry(kind, items=given))
    assert (field, code, params["low"], params["high"]) == (
        "activities[0].items",
        "items_count",
        2,
        MAX_ITEMS,
    )


def test_an_item_that_is_not_text_is_named(kind: Kind) -> None:
    field, code, params = only_problem(entry(kind, items=["Lys", 7]))
    assert (field, code, params["item"]) == ("activities[0].items[1]", "not_text", 2)


@pytest.mark.parametrize(
    "source",
    [
        "vote",
        {"activity": "vote"},
        {"activity": "vote", "top": 0},
        {"activity": "vote", "top": MAX_ITEMS + 1},
        {"activity": "vote", "top": True},
        {"activity": 3, "top": 2},
        {"activity": "vote", "top": 2, "order": "random"},
    ],
)
def test_a_malformed_items_from_is_named(kind: Kind, source: Any) -> None:
    field, code, _ = only_problem(poll("vote"), entry(kind, items_from=source))
    assert (field, code) == ("activities[1].items_from", "bad_items_from")


@pytest.mark.parametrize(
    "activities",
    [
        [info("welcome")],  # an info slide has no items
        [],  # no such activity
    ],
    ids=["info", "missing"],
)
def test_items_from_must_name_an_earlier_activity_with_items(
    kind: Kind, activities: list[dict[str, Any]]
) -> None:
    source = {"activity": "welcome", "top": 2}
    field, code, params = only_problem(*activities, entry(kind, items_from=source), info("after"))
    assert (field, code, params["activity"]) == (
        f"activities[{len(activities)}].items_from",
        "items_from_unknown",
        len(activities) + 1,
    )


def test_items_from_cannot_name_a_later_activity(kind: Kind) -> None:
    field, code, _ = only_problem(
        entry(kind, items_from={"activity": "vote", "top": 2}), poll("vote")
    )
    assert (field, code) == ("activities[0].items_from", "items_from_unknown")


def test_a_toml_plan_names_the_line_of_a_bad_items_from(kind: Kind) -> None:
    source = f"""\
title = "Prioriter"

[[activities]]
id = "vote"
kind = "poll"
title = "Hva?"
options = ["A", "B"]

[[activities]]
kind = "{kind.name}"
title = "Rekkefølge"
items_from = {{ activity = "vote", top = 0 }}
"""
    with pytest.raises(PlanError) as raised:
        parse_plan(source)
    (problem,) = raised.value.problems
    assert (problem.code, problem.line) == ("bad_items_from", 12)
