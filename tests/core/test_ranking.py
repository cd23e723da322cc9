"""Rankings: whole orders only, Borda scores and average positions, results as the agenda says."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, strategies as st

from facilitate.core import record, views
from facilitate.core.blocks import Column, Context, Paragraph, Table
from facilitate.core.kinds import priorities
from facilitate.core.kinds.ranking import KIND as RANKING, standings

from .helpers import Run

ITEMS = ["Bedre lys", "Flere voksne ute", "Fartsdumper"]
PRESENCE = views.Presence()


def ranking(id: str = "rank", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": "ranking", "title": "Hva først?", "items": ITEMS, **extra}


def opened(**extra: Any) -> Run:
    run = Run(ranking(**extra))
    run.show("rank")
    return run


def test_a_whole_order_is_kept_as_the_phones_ranking() -> None:
    run = opened()
    events = run.do("p1", "rank", activity="rank", order=["i3", "i1", "i2"])
    assert [(e.type, e.data) for e in events] == [
        ("ranking_set", {"activity": "rank", "order": ["i3", "i1", "i2"]})
    ]
    assert views.mine(run.meeting, "p1") == {"rank": {"order": ["i3", "i1", "i2"]}}
    assert run.meeting.contributors == {"p1"}


def test_a_later_order_replaces_the_earlier_and_the_same_order_again_changes_nothing() -> None:
    run = opened()
    run.do("p1", "rank", activity="rank", order=["i3", "i1", "i2"])
    run.do("p1", "rank", activity="rank", order=["i1", "i2", "i3"])
    assert run.do("p1", "rank", activity="rank", order=["i1", "i2", "i3"]) == []
    assert standings(run.state("rank"))["rankers"] == 1
    assert views.mine(run.meeting, "p1") == {"rank": {"order": ["i1", "i2", "i3"]}}


def test_an_empty_order_withdraws_the_ranking() -> None:
    run = opened()
    run.do("p1", "rank", activity="rank", order=["i3", "i1", "i2"])
    run.do("p1", "rank", activity="rank", order=[])
    assert views.mine(run.meeting, "p1") == {}
    assert standings(run.state("rank"))["rankers"] == 0
    assert run.do("p1", "rank", activity="rank", order=[]) == []


@pytest.mark.parametrize(
    ("order", "code", "params"),
    [
        (["i1", "i2", "i4"], "unknown_item", {}),
        (["i1", "i2", "I3"], "unknown_item", {}),
        (["i1", "i2", 3], "unknown_item", {}),
        (["i1", "i2", ["i3"]], "unknown_item", {}),
        (["i1", "i2", None], "unknown_item", {}),
        (["i1", "i2", "i2"], "duplicate_item", {}),
        (["i1", "i2", "i3", "i1"], "duplicate_item", {}),
        (["i2", "i1"], "missing_items", {"n": 1, "total": 3}),
        (["i2"], "missing_items", {"n": 2, "total": 3}),
    ],
)
def test_a_bad_order_is_refused_and_changes_nothing(
    order: list[Any], code: str, params: dict[str, Any]
) -> None:
    run = opened()
    run.do("p1", "rank", activity="rank", order=["i3", "i1", "i2"])
    before, log = run.meeting.version, len(run.log)
    error = run.refused("p1", "rank", activity="rank", order=order)
    assert (error.code, error.params) == (code, params)
    assert (run.meeting.version, len(run.log)) == (before, log)
    assert views.mine(run.meeting, "p1") == {"rank": {"order": ["i3", "i1", "i2"]}}


def test_borda_scores_and_average_positions() -> None:
    run = opened()
    run.do("p1", "rank", activity="rank", order=["i1", "i2", "i3"])
    run.do("p2", "rank", activity="rank", order=["i2", "i1", "i3"])
    run.do("p3", "rank", activity="rank", order=["i2", "i3", "i1"])
    assert standings(run.state("rank")) == {
        "rankers": 3,
        "items": [
            {
                "id": "i2",
                "text": {"nb": "Flere voksne ute"},
                "score": 5,
                "average": 1.33,
                "rank": 1,
            },
            {"id": "i1", "text": {"nb": "Bedre lys"}, "score": 3, "average": 2.0, "rank": 2},
            {"id": "i3", "text": {"nb": "Fartsdumper"}, "score": 1, "average": 2.67, "rank": 3},
        ],
    }


def test_equal_scores_share_a_rank_and_keep_the_items_order() -> None:
    rows = priorities.borda(["i1", "i2", "i3"], [["i3", "i1", "i2"], ["i1", "i3", "i2"]])
    assert [(r["id"], r["score"], r["rank"]) for r in rows] == [
        ("i1", 3, 1),
        ("i3", 3, 1),
        ("i2", 0, 3),
    ]


def test_before_anyone_ranks_every_item_is_there_without_an_average() -> None:
    rows = standings(opened().state("rank"))["items"]
    assert [(r["id"], r["score"], r["average"], r["rank"]) for r in rows] == [
        ("i1", 0, None, 1),
        ("i2", 0, None, 1),
        ("i3", 0, None, 1),
    ]


@given(st.permutations(["i1", "i2", "i3", "i4", "i5"]).map(list), st.integers(1, 6))
def test_the_scores_of_whole_rankings_add_up(first: list[str], more: int) -> None:
    """n items give n(n − 1)/2 points per ranking, and average positions n(n + 1)/2."""
    chance = random.Random(more)
    orders = [first] + [chance.sample(first, len(first)) for _ in range(more - 1)]
    rows = priorities.borda(sorted(first), orders)
    assert sum(r["score"] for r in rows) == more * 10
    assert sum(r["average"] for r in rows) == pytest.approx(15, abs=0.03)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_results_are_hidden_until_revealed_but_the_console_sees_them() -> None:
    run = opened(results="reveal")
    run.do("p1", "rank", activity="rank", order=["i2", "i1", "i3"])
    assert "standings" not in views.screen(run.meeting, PRESENCE)["activity"]
    assert "standings" not in views.phone(run.meeting, PRESENCE)["activity"]
    assert views.console(run.meeting, PRESENCE)["activity"]["standings"]["rankers"] == 1
    run.fac("reveal", activity="rank")
    shown = views.screen(run.meeting, PRESENCE)["activity"]
    assert shown["standings"]["items"][0]["id"] == "i2"
    assert shown["responders"] == 1
    assert views.phone(run.meeting, PRESENCE)["activity"]["standings"] == shown["standings"]


def test_a_closed_ranking_refuses_orders() -> None:
    run = opened()
    run.fac("close", activity="rank")
    assert run.refused("p1", "rank", activity="rank", order=["i1", "i2", "i3"]).code == "closed"


def test_the_record_keeps_the_standings_and_the_replay_equals_the_live_meeting() -> None:
    run = opened()
    run.do("p1", "rank", activity="rank", order=["i3", "i2", "i1"])
    run.do("p2", "rank", activity="rank", order=["i3", "i1", "i2"])
    entry = record.build(run.log)["activities"][0]
    assert entry["standings"] == standings(run.state("rank"))
    assert entry["responders"] == 2
    assert entry["items"] == [{"nb": text} for text in ITEMS]
    assert run.replayed().activities["rank"].votes == run.state("rank").votes


def test_a_later_activity_takes_the_items_with_the_highest_scores() -> None:
    run = Run(
        ranking(),
        {"id": "spend", "kind": "points", "title": "Fordel", "items_from": {"activity": "rank",
         "top": 2}},
    )  # fmt: skip
    run.show("rank")
    run.do("p1", "rank", activity="rank", order=["i3", "i2", "i1"])
    run.do("p2", "rank", activity="rank", order=["i2", "i3", "i1"])
    run.do("p3", "rank", activity="rank", order=["i3", "i1", "i2"])
    run.show("spend")
    drawn = [e.data["items"] for e in run.log if e.type == "items_drawn"]
    assert drawn == [[{"nb": "Fartsdumper"}, {"nb": "Flere voksne ute"}]]


def context() -> Context:
    words = {
        "rank": "Plass",
        "item": "Tiltak",
        "borda": "Borda-poeng",
        "average_position": "Gjennomsnittlig plass",
        "no_items": "Ingen.",
        "borda_how": "n=%(n)s top=%(top)s",
    }
    return Context(words, lambda text: (text or {}).get("nb", ""), lambda at: None)


def test_the_minutes_are_the_standings_as_a_table_and_how_to_read_it() -> None:
    run = opened()
    run.do("p1", "rank", activity="rank", order=["i2", "i1", "i3"])
    run.do("p2", "rank", activity="rank", order=["i2", "i3", "i1"])
    blocks = RANKING.minutes(record.build(run.log)["activities"][0], context())
    assert blocks == [
        Table(
            (
                Column("Plass", "number"),
                Column("Tiltak"),
                Column("Borda-poeng", "number"),
                Column("Gjennomsnittlig plass", "number", places=2),
            ),
            (
                (1, "Flere voksne ute", 4, 1.0),
                (2, "Bedre lys", 1, 2.5),
                (2, "Fartsdumper", 1, 2.5),
            ),
            empty="Ingen.",
        ),
        Paragraph("n=3 top=2", muted=True, show="documents"),
    ]
