"""Matrices: two scales from the agenda, placing items, refusals, mean places and quadrants."""

from __future__ import annotations

from typing import Any

import pytest

from facilitate.core import record, views
from facilitate.core.kinds import matrix as matrices
from facilitate.core.kinds.scales import Range, answers
from facilitate.core.plan import PlanError, parse_plan

from .helpers import Run, make_plan, painjoy
from .test_plan import dict_problems, toml

MEASURES = ["Lys i undergangen", "Natteravner", "Fartsdumper"]
EFFORT = {"label": "Innsats", "min": 1, "max": 5}
EFFECT = {"label": "Effekt", "min": 1, "max": 5}


def matrix(id: str = "m", **extra: Any) -> dict[str, Any]:
    entry = {"id": id, "kind": "matrix", "title": "Innsats og effekt", "items": MEASURES}
    return {**entry, "x": EFFORT, "y": EFFECT, **extra}


def placing(**extra: Any) -> Run:
    run = Run(matrix(**extra))
    run.show("m")
    return run


def place(run: Run, pid: str, item: int, x: int | None, y: int | None) -> list[Any]:
    return run.do(pid, "place", activity="m", item=item, x=x, y=y)


def problems(**extra: Any) -> list[tuple[str, str, dict[str, Any]]]:
    found = dict_problems({"title": "Møte", "activities": [matrix(**extra)]})
    return [(p.field, p.code, dict(p.params)) for p in found]


# -- the agenda --------------------------------------------------------------------------------


def test_when_a_matrix_is_written_in_toml_then_its_scales_and_quadrants_are_read() -> None:
    plan = parse_plan(
        toml("""
        title = "Møte"
        [[activities]]
        kind = "matrix"
        title = "Innsats og effekt"
        items = ["Lys", "Vakter"]
        x = { label = { nb = "Innsats", en = "Effort" }, min = 0, max = 10, low = "Lite", high = "Mye" }
        y = { label = "Effekt" }
        quadrants = { top_left = "Gjør nå", top_right = "Planlegg", bottom_left = "Kanskje", bottom_right = "Dropp" }
    """)  # noqa: E501
    )
    assert plan.activities[0].settings == matrices.MatrixSettings(
        items=({"nb": "Lys"}, {"nb": "Vakter"}),
        x=matrices.Axis(0, 10, {"nb": "Lite"}, {"nb": "Mye"}, {"nb": "Innsats", "en": "Effort"}),
        y=matrices.Axis(1, 5, None, None, {"nb": "Effekt"}),
        quadrants=({"nb": "Gjør nå"}, {"nb": "Planlegg"}, {"nb": "Kanskje"}, {"nb": "Dropp"}),
    )
    stored = plan.to_dict()["activities"][0]
    assert stored["x"] == {
        "label": {"nb": "Innsats", "en": "Effort"},
        "min": 0,
        "max": 10,
        "low": {"nb": "Lite"},
        "high": {"nb": "Mye"},
    }
    assert stored["y"] == {"label": {"nb": "Effekt"}, "min": 1, "max": 5}
    assert stored["quadrants"]["bottom_right"] == {"nb": "Dropp"}


def test_without_quadrants_a_matrix_uses_the_effort_and_effect_names() -> None:
    plan = make_plan(matrix())
    assert plan.activities[0].settings.quadrants == ()
    assert "quadrants" not in plan.to_dict()["activities"][0]


@pytest.mark.parametrize(
    ("extra", "field", "code", "numbers"),
    [
        ({"x": None}, "x", "bad_axis", {}),
        ({"y": "Effekt"}, "y", "bad_axis", {}),
        ({"x": {"min": 1, "max": 5}}, "x", "bad_axis", {}),
        ({"x": {**EFFORT, "colour": "red"}}, "x", "bad_axis", {}),
        ({"x": {**EFFORT, "min": "1"}}, "x.min", "whole_number", {"low": -10, "high": 10}),
        ({"y": {**EFFECT, "max": 99}}, "y.max", "whole_number", {"low": -10, "high": 10}),
        ({"y": {**EFFECT, "min": 0, "max": 11}}, "y.max", "whole_number", {"low": -10, "high": 10}),
        ({"y": {**EFFECT, "min": 4, "max": 3}}, "y.max", "scale_steps", {"low": 2, "high": 11}),
        ({"x": {**EFFORT, "label": ""}}, "x.label", "empty", {}),
        ({"x": {**EFFORT, "high": 5}}, "x.high", "not_text", {}),
        ({"quadrants": {"top_left": "Gjør nå"}}, "quadrants", "bad_quadrants", {}),
        ({"quadrants": ["A", "B", "C", "D"]}, "quadrants", "bad_quadrants", {}),
        ({"items": ["Bare ett"]}, "items", "items_count", {"low": 2, "high": 20}),
    ],
)
def test_when_a_matrix_field_is_wrong_then_it_is_a_located_problem(
    extra: dict[str, Any], field: str, code: str, numbers: dict[str, int]
) -> None:
    key = field.split(".")[0]
    assert problems(**extra) == [
        (f"activities[0].{field}", code, {"key": key, **numbers, "activity": 1})
    ]


def test_when_an_axis_problem_is_in_toml_then_its_line_is_given() -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(
            toml("""
            title = "Møte"
            [[activities]]
            kind = "matrix"
            title = "Innsats og effekt"
            items = ["Lys", "Vakter"]
            x = { label = "Innsats" }
            y = { label = "Effekt", min = 1, max = 1 }
        """)
        )
    (problem,) = caught.value.problems
    assert (problem.field, problem.line, problem.code) == ("activities[0].y.max", 7, "scale_steps")


# -- placing -----------------------------------------------------------------------------------


def test_when_a_phone_places_an_item_then_the_place_is_recorded() -> None:
    run = placing()
    (event,) = place(run, "p1", 2, 1, 5)
    assert (event.type, event.data) == (
        "item_placed",
        {"activity": "m", "item": 2, "x": 1, "y": 5},
    )
    assert answers(run.state("m")) == {"p1": {2: (1, 5)}}


def test_when_a_phone_places_an_item_again_then_the_later_place_replaces_the_earlier() -> None:
    run = placing()
    place(run, "p1", 0, 1, 1)
    place(run, "p1", 0, 4, 2)
    assert answers(run.state("m")) == {"p1": {0: (4, 2)}}
    assert place(run, "p1", 0, 4, 2) == []  # the same place again changes nothing


def test_when_a_phone_takes_a_place_back_then_it_is_gone() -> None:
    run = placing()
    place(run, "p1", 0, 1, 1)
    (event,) = place(run, "p1", 0, None, None)
    assert (event.type, event.data) == ("rating_withdrawn", {"activity": "m", "item": 0})
    assert answers(run.state("m")) == {}
    assert place(run, "p1", 0, None, None) == []


@pytest.mark.parametrize(
    ("item", "x", "y", "code", "params"),
    [
        (3, 1, 1, "unknown_item", {}),
        (-1, 1, 1, "unknown_item", {}),
        (0, 6, 1, "out_of_range", {"low": 1, "high": 5}),
        (0, 1, 0, "out_of_range", {"low": 1, "high": 5}),
        (0, 3, None, "both_axes", {}),
        (0, None, 3, "both_axes", {}),
    ],
)
def test_when_a_place_breaks_a_rule_then_it_is_refused_and_nothing_changes(
    item: int, x: int | None, y: int | None, code: str, params: dict[str, Any]
) -> None:
    run = placing()
    place(run, "p1", 0, 2, 2)
    before = (run.meeting.version, answers(run.state("m")))
    error = run.refused("p1", "place", activity="m", item=item, x=x, y=y)
    assert (error.code, error.params) == (code, params)
    assert (run.meeting.version, answers(run.state("m"))) == before


def test_when_the_two_scales_differ_then_each_value_is_checked_against_its_own() -> None:
    run = placing(y={"label": "Effekt", "min": 0, "max": 10})
    place(run, "p1", 0, 5, 10)
    error = run.refused("p1", "place", activity="m", item=0, x=5, y=11)
    assert (error.code, error.params) == ("out_of_range", {"low": 0, "high": 10})


# -- results -----------------------------------------------------------------------------------


def placed() -> Run:
    run = placing()
    for pid, spots in {
        "p1": ((1, 5), (4, 4), (5, 1)),
        "p2": ((2, 4), (5, 5), None),
        "p3": ((1, 4), None, None),
    }.items():
        for item, spot in enumerate(spots):
            if spot:
                place(run, pid, item, *spot)
    return run


def test_results_are_mean_places_spreads_counts_and_quadrants() -> None:
    assert matrices.positions(placed().state("m")) == {
        "positions": [
            {"item": 0, "n": 3, "x": 1.33, "y": 4.33, "sd_x": 0.47, "sd_y": 0.47,
             "quadrant": "top_left"},
            {"item": 1, "n": 2, "x": 4.5, "y": 4.5, "sd_x": 0.5, "sd_y": 0.5,
             "quadrant": "top_right"},
            {"item": 2, "n": 1, "x": 5.0, "y": 1.0, "sd_x": 0.0, "sd_y": 0.0,
             "quadrant": "bottom_right"},
        ],
        "raters": 3,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        (1.0, 1.0, "bottom_left"),
        (2.99, 3.01, "top_left"),
        (3.0, 4.0, None),
        (4.0, 3.0, None),
        (None, None, None),
    ],
)
def test_a_mean_on_a_dividing_line_lies_in_no_quadrant(
    x: float | None, y: float | None, expected: str | None
) -> None:
    assert matrices.quadrant(x, y, Range(1, 5), Range(1, 5)) == expected


def test_the_record_keeps_how_many_placed_each_item_in_each_cell() -> None:
    entry = record.build(placed().log)["activities"][0]
    first = entry["positions"][0]
    assert first["text"] == {"nb": MEASURES[0]}
    assert first["cells"] == [
        {"x": 1, "y": 4, "n": 1},
        {"x": 1, "y": 5, "n": 1},
        {"x": 2, "y": 4, "n": 1},
    ]
    assert entry["raters"] == entry["responders"] == 3


def test_every_role_sees_the_two_scales_and_the_quadrant_names_given() -> None:
    run = placing()
    head = views.screen(run.meeting, views.Presence())["activity"]
    assert (head["x"], head["y"], head["quadrants"]) == (EFFORT_DICT, EFFECT_DICT, {})
    assert head["positions"][0]["n"] == 0


EFFORT_DICT = {"label": {"nb": "Innsats"}, "min": 1, "max": 5}
EFFECT_DICT = {"label": {"nb": "Effekt"}, "min": 1, "max": 5}


def test_a_phone_gets_its_own_places_back() -> None:
    assert views.mine(placed().meeting, "p2") == {
        "m": {"places": [{"item": 0, "x": 2, "y": 4}, {"item": 1, "x": 5, "y": 5}]}
    }


def test_the_top_items_give_most_effect_for_least_effort() -> None:
    run = placing(items=["Stort", "Raskt", "Tull", "Ingen"])
    for item, spot in enumerate(((5, 5), (1, 5), (5, 1))):
        place(run, "p1", item, *spot)
    state = run.state("m")
    assert state.kind.top(state, 4, "nb") == [
        {"nb": t} for t in ("Raskt", "Stort", "Tull", "Ingen")
    ]


def test_when_pain_points_are_dotted_then_the_matrix_opens_with_the_five_most_dotted() -> None:
    source = painjoy("pj", dots=20, dot_cap=6)
    run = Run(source, matrix(items=None, items_from={"activity": "pj", "top": 5}))
    run.show("pj")
    texts = ["Mørke snarveier", "Råkjøring", "Rus i helgene", "Lite for ungdom", "Tagging",
             "Søppel", "Støy"]  # fmt: skip
    notes = [run.post("p1", "pj", text, side="pain") for text in texts]
    run.post("p2", "pj", "Natteravnene", side="joy")
    run.fac("phase", activity="pj", phase="dots")
    for note, dots in zip(notes, (1, 4, 0, 2, 3, 5, 0), strict=True):
        for _ in range(dots):
            run.dot("p1", "pj", note)
    before = run.state("m").drawn
    run.show("m")
    expected = ["Søppel", "Råkjøring", "Tagging", "Lite for ungdom", "Mørke snarveier"]
    assert before is None
    head = views.screen(run.meeting, views.Presence())["activity"]
    assert head["items"] == [{"nb": t} for t in expected]
    place(run, "p2", 4, 2, 4)
    assert run.refused("p2", "place", activity="m", item=5, x=1, y=1).code == "unknown_item"
    # Dots moved later do not change what the matrix is about.
    run.show("pj")
    run.dot("p1", "pj", notes[5], -1)
    run.show("m")
    assert run.replayed().activities["m"].drawn == tuple({"nb": t} for t in expected)


def test_when_an_axis_is_written_with_dotted_keys_then_a_problem_names_its_line() -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(
            toml("""
            title = "Møte"
            [[activities]]
            kind = "matrix"
            title.nb = "Innsats og effekt"
            items = ["Lys", "Vakter"]
            x.label = "Innsats"
            y.label = "Effekt"
            y.min = 3
            y.max = 2
        """)
        )
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == ("activities[0].y.max", 7)  # the first y. line
