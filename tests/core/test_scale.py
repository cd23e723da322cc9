"""Scales: reading one from the agenda, rating items, refusals, results, the phone's own input."""

from __future__ import annotations

from typing import Any

import pytest

from facilitate.core import record, views
from facilitate.core.kinds import scale as scales
from facilitate.core.kinds.scales import Range, answers
from facilitate.core.plan import PlanError, parse_plan

from .helpers import Run, make_plan, painjoy, poll
from .test_plan import dict_problems, toml

STATEMENTS = ["Jeg føler meg trygg", "Det er nok lys", "Politiet er synlig"]


def scale(id: str = "s", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": "scale", "title": "Hvor enig er du?", "items": STATEMENTS, **extra}


def rating(**extra: Any) -> Run:
    run = Run(scale(**extra))
    run.show("s")
    return run


def rate(run: Run, pid: str, item: int, value: int | None, **extra: Any) -> list[Any]:
    return run.do(pid, "rate", activity="s", item=item, value=value, **extra)


def problems(**extra: Any) -> list[tuple[str, str, dict[str, Any]]]:
    found = dict_problems({"title": "Møte", "activities": [scale(**extra)]})
    return [(p.field, p.code, dict(p.params)) for p in found]


# -- the agenda --------------------------------------------------------------------------------


def test_when_a_scale_gives_only_its_items_then_it_runs_from_1_to_5_with_dont_know() -> None:
    settings = make_plan(scale()).activities[0].settings
    assert settings == scales.ScaleSettings(
        items=tuple({"nb": s} for s in STATEMENTS), scale=Range(1, 5), dont_know=True
    )


def test_when_a_scale_is_written_in_toml_then_its_ends_and_languages_are_read() -> None:
    plan = parse_plan(
        toml("""
        title = "Møte"
        [[activities]]
        kind = "scale"
        title = "Hvor enig er du?"
        items = ["Trygt", { nb = "Lyst", en = "Light" }]
        min = 0
        max = 10
        labels = [{ nb = "Helt uenig", en = "Disagree" }, "Helt enig"]
        dont_know = false
    """)
    )
    assert plan.activities[0].settings == scales.ScaleSettings(
        items=({"nb": "Trygt"}, {"nb": "Lyst", "en": "Light"}),
        scale=Range(0, 10, {"nb": "Helt uenig", "en": "Disagree"}, {"nb": "Helt enig"}),
        dont_know=False,
    )
    assert plan.to_dict()["activities"][0] == {
        "id": "scale-1",
        "kind": "scale",
        "title": {"nb": "Hvor enig er du?"},
        "items": [{"nb": "Trygt"}, {"nb": "Lyst", "en": "Light"}],
        "min": 0,
        "max": 10,
        "labels": [{"nb": "Helt uenig", "en": "Disagree"}, {"nb": "Helt enig"}],
        "dont_know": False,
        "results": "live",
    }


def test_a_scale_may_rate_a_single_statement() -> None:
    assert make_plan(scale(items=["Trygt"])).activities[0].settings.items == ({"nb": "Trygt"},)


WHOLE = {"low": -10, "high": 10}
STEPS = {"low": 2, "high": 11}


@pytest.mark.parametrize(
    ("extra", "field", "code", "numbers"),
    [
        ({"min": 1.5}, "min", "whole_number", WHOLE),
        ({"max": True}, "max", "whole_number", WHOLE),
        ({"max": 11}, "max", "whole_number", WHOLE),
        ({"min": 5, "max": 5}, "max", "scale_steps", STEPS),
        ({"min": 5, "max": 1}, "max", "scale_steps", STEPS),
        ({"min": -1, "max": 10}, "max", "scale_steps", STEPS),
        ({"labels": ["Uenig"]}, "labels", "scale_labels", {}),
        ({"labels": "Uenig – enig"}, "labels", "scale_labels", {}),
        ({"labels": ["Uenig", 5]}, "labels[1]", "not_text", {}),
        ({"dont_know": "ja"}, "dont_know", "true_false", {}),
        ({"items": []}, "items", "items_count", {"low": 1, "high": 20}),
        ({"items_from": {"activity": "x", "top": 3}}, "items", "items_or_items_from", {}),
    ],
)
def test_when_a_scale_field_is_wrong_then_it_is_a_located_problem(
    extra: dict[str, Any], field: str, code: str, numbers: dict[str, int]
) -> None:
    key = field.split("[")[0]
    assert problems(**extra) == [
        (f"activities[0].{field}", code, {"key": key, **numbers, "activity": 1})
    ]


def test_when_a_scale_problem_is_in_toml_then_its_line_is_given() -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(
            toml("""
            title = "Møte"
            [[activities]]
            kind = "scale"
            title = "Hvor enig er du?"
            items = ["Trygt"]
            min = 3
            max = 2
        """)
        )
    (problem,) = caught.value.problems
    assert (problem.field, problem.line, problem.code) == ("activities[0].max", 7, "scale_steps")


# -- rating ------------------------------------------------------------------------------------


def test_when_a_phone_rates_an_item_then_the_rating_is_recorded() -> None:
    run = rating()
    (event,) = rate(run, "p1", 1, 4)
    assert (event.type, event.data) == ("item_rated", {"activity": "s", "item": 1, "value": 4})
    assert answers(run.state("s")) == {"p1": {1: 4}}


def test_when_a_phone_rates_an_item_again_then_the_later_rating_replaces_the_earlier() -> None:
    run = rating()
    rate(run, "p1", 0, 2)
    rate(run, "p1", 0, 5)
    rate(run, "p1", 2, 1)
    assert answers(run.state("s")) == {"p1": {0: 5, 2: 1}}
    assert scales.scores(run.state("s"))["scores"][0]["counts"] == [0, 0, 0, 0, 1]


def test_when_the_same_rating_is_given_again_then_nothing_happens() -> None:
    run = rating()
    rate(run, "p1", 0, 2)
    version = run.meeting.version
    assert rate(run, "p1", 0, 2) == []
    assert run.meeting.version == version


def test_when_a_phone_says_dont_know_then_it_is_kept_apart_from_the_values() -> None:
    run = rating()
    (event,) = rate(run, "p1", 0, None, dont_know=True)
    assert event.data == {"activity": "s", "item": 0, "dont_know": True}
    rate(run, "p2", 0, 4)
    (first, *_) = scales.scores(run.state("s"))["scores"]
    assert first == {
        "item": 0,
        "counts": [0, 0, 0, 1, 0],
        "n": 1,
        "mean": 4.0,
        "median": 4.0,
        "sd": 0.0,
        "dont_know": 1,
    }
    assert rate(run, "p1", 0, None, dont_know=True) == []  # the same again
    rate(run, "p1", 0, 3)  # a value replaces "don't know"
    assert scales.scores(run.state("s"))["scores"][0]["dont_know"] == 0


def test_when_a_phone_takes_its_rating_back_then_it_is_gone_and_so_is_the_rater() -> None:
    run = rating()
    rate(run, "p1", 0, 2)
    rate(run, "p1", 1, 3)
    (event,) = rate(run, "p1", 0, None)
    assert (event.type, event.data) == ("rating_withdrawn", {"activity": "s", "item": 0})
    assert answers(run.state("s")) == {"p1": {1: 3}}
    rate(run, "p1", 1, None)
    assert answers(run.state("s")) == {}
    assert scales.scores(run.state("s"))["raters"] == 0
    assert record.build(run.log)["activities"][0]["responders"] == 0


def test_when_a_phone_takes_back_a_rating_it_never_gave_then_nothing_happens() -> None:
    assert rate(rating(), "p1", 0, None) == []


@pytest.mark.parametrize(
    ("extra", "item", "value", "flags", "code", "params"),
    [
        ({}, 3, 1, {}, "unknown_item", {}),
        ({}, -1, 1, {}, "unknown_item", {}),
        ({}, 0, 6, {}, "out_of_range", {"low": 1, "high": 5}),
        ({}, 0, 0, {}, "out_of_range", {"low": 1, "high": 5}),
        ({"min": 0, "max": 10}, 0, 11, {}, "out_of_range", {"low": 0, "high": 10}),
        ({"dont_know": False}, 0, None, {"dont_know": True}, "no_dont_know", {}),
        ({}, 0, 3, {"dont_know": True}, "bad_rating", {}),
    ],
)
def test_when_a_rating_breaks_a_rule_then_it_is_refused_and_nothing_changes(
    extra: dict[str, Any],
    item: int,
    value: int | None,
    flags: dict[str, Any],
    code: str,
    params: dict[str, Any],
) -> None:
    run = rating(**extra)
    rate(run, "p1", 0, 2)
    before = (run.meeting.version, answers(run.state("s")))
    error = run.refused("p1", "rate", activity="s", item=item, value=value, **flags)
    assert (error.code, error.params) == (code, params)
    assert (run.meeting.version, answers(run.state("s"))) == before


def test_when_input_is_closed_then_a_rating_is_refused() -> None:
    run = rating()
    run.fac("close", activity="s")
    assert run.refused("p1", "rate", activity="s", item=0, value=3).code == "closed"


def test_a_rating_is_refused_on_a_poll_and_a_vote_on_a_scale() -> None:
    run = Run(scale(), poll("q"))
    run.show("q")
    assert run.refused("p1", "rate", activity="q", item=0, value=3).code == "wrong_kind"
    run.show("s")
    assert run.refused("p1", "vote", activity="s", choices=["a"]).code == "wrong_kind"


# -- results -----------------------------------------------------------------------------------


def rated(**extra: Any) -> Run:
    run = rating(**extra)
    for pid, values in {
        "p1": (5, 2, None),
        "p2": (4, 2, 1),
        "p3": (4, "?", None),
        "p4": ("?", "?", None),
    }.items():
        for item, value in enumerate(values):
            if value == "?":
                rate(run, pid, item, None, dont_know=True)
            elif value is not None:
                rate(run, pid, item, value)
    return run


def test_results_are_counts_mean_and_median_per_item_and_the_number_of_raters() -> None:
    assert scales.scores(rated().state("s")) == {
        "scores": [
            {"item": 0, "counts": [0, 0, 0, 2, 1], "n": 3, "mean": 4.33, "median": 4.0,
             "sd": 0.47, "dont_know": 1},
            {"item": 1, "counts": [0, 2, 0, 0, 0], "n": 2, "mean": 2.0, "median": 2.0,
             "sd": 0.0, "dont_know": 2},
            {"item": 2, "counts": [1, 0, 0, 0, 0], "n": 1, "mean": 1.0, "median": 1.0,
             "sd": 0.0, "dont_know": 0},
        ],
        "raters": 4,
    }  # fmt: skip


def test_when_results_wait_for_reveal_then_only_the_console_sees_them() -> None:
    run = rated(results="reveal")
    presence = views.Presence()
    assert "scores" not in views.screen(run.meeting, presence)["activity"]
    assert "scores" not in views.phone(run.meeting, presence)["activity"]
    assert views.console(run.meeting, presence)["activity"]["scores"][0]["mean"] == 4.33
    run.fac("reveal", activity="s")
    assert views.screen(run.meeting, presence)["activity"]["scores"][0]["mean"] == 4.33
    assert views.phone(run.meeting, presence)["activity"]["raters"] == 4
    run.fac("conceal", activity="s")
    assert "scores" not in views.screen(run.meeting, presence)["activity"]


def test_every_role_sees_the_items_the_range_its_ends_and_whether_dont_know_is_offered() -> None:
    run = rating(labels=["Uenig", "Enig"], min=0, max=10)
    head = views.phone(run.meeting, views.Presence())["activity"]
    assert {k: head[k] for k in ("items", "min", "max", "labels", "dont_know")} == {
        "items": [{"nb": s} for s in STATEMENTS],
        "min": 0,
        "max": 10,
        "labels": [{"nb": "Uenig"}, {"nb": "Enig"}],
        "dont_know": True,
    }


def test_a_phone_gets_its_own_ratings_back_and_nobody_elses() -> None:
    run = rated()
    assert views.mine(run.meeting, "p3") == {
        "s": {"ratings": [{"item": 0, "value": 4}, {"item": 1, "dont_know": True}]}
    }
    assert views.mine(run.meeting, "p9") == {}


def test_the_record_keeps_each_items_text_with_its_results() -> None:
    entry = record.build(rated().log)["activities"][0]
    assert entry["raters"] == entry["responders"] == 4
    assert [s["text"] for s in entry["scores"]] == [{"nb": s} for s in STATEMENTS]
    assert entry["scores"][1]["dont_know"] == 2


def test_the_top_items_are_those_with_the_highest_mean_and_unrated_ones_last() -> None:
    run = rating(items=["A", "B", "C", "D"])
    for pid, values in (("p1", (2, 5, None, 2)), ("p2", (2, 4, None, 3))):
        for item, value in enumerate(values):
            if value is not None:
                rate(run, pid, item, value)
    state = run.state("s")
    assert state.kind.top(state, 4, "nb") == [{"nb": t} for t in ("B", "D", "A", "C")]
    assert state.kind.top(state, 2, "nb") == [{"nb": "B"}, {"nb": "D"}]


def test_when_a_scale_takes_its_items_from_pain_points_then_it_rates_the_most_dotted() -> None:
    run = Run(
        painjoy("pj", dots=3, dot_cap=3),
        scale("s", items=None, items_from={"activity": "pj", "top": 2}),
    )
    run.show("pj")
    dark = run.post("p1", "pj", "Mørke snarveier", side="pain")
    speed = run.post("p2", "pj", "Råkjøring", side="pain")
    run.post("p3", "pj", "Rus", side="pain")
    run.fac("phase", activity="pj", phase="dots")
    for note in (speed, speed, dark):
        run.dot("p1", "pj", note)
    run.show("s")
    assert run.state("s").drawn == ({"nb": "Råkjøring"}, {"nb": "Mørke snarveier"})
    rate(run, "p1", 1, 5)
    assert run.refused("p1", "rate", activity="s", item=2, value=5).code == "unknown_item"
    entry = record.build(run.log)["activities"][1]
    assert [s["text"] for s in entry["scores"]] == [{"nb": "Råkjøring"}, {"nb": "Mørke snarveier"}]
