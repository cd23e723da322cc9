"""SMART as facilitate reads it (core/smart.py): every combination of filled fields and a
range of stances, against the rules written out here."""

from __future__ import annotations

import itertools

import pytest

from facilitate.core import smart

COMBINATIONS = list(itertools.product([False, True], repeat=len(smart.FIELDS)))


def fields_of(filled: tuple[bool, ...], blank: str = "") -> dict[str, str]:
    return {name: "x" if on else blank for name, on in zip(smart.FIELDS, filled, strict=True)}


@pytest.mark.parametrize(
    "filled", COMBINATIONS, ids=lambda f: "".join("1" if x else "0" for x in f)
)
def test_every_combination_of_fields_and_stances_meets_exactly_the_criteria_it_should(
    filled: tuple[bool, ...],
) -> None:
    what, who, where, when, indicator, responsible = filled
    for blank in ("", "  ", "\u200b"):  # nothing visible is not filled
        fields = fields_of(filled, blank)
        for supports, questions in itertools.product(range(4), repeat=2):
            assert smart.criteria(fields, supports, questions) == {
                "specific": what and who and where,
                "measurable": indicator,
                "accepted": supports >= 1 and supports > questions,
                "realistic": responsible,
                "time_bound": when,
            }


def test_a_field_left_out_is_not_filled() -> None:
    assert smart.criteria({}, 0, 0) == dict.fromkeys(smart.CRITERIA, False)


@pytest.mark.parametrize(
    ("supports", "questions", "accepted"),
    [(0, 0, False), (1, 0, True), (1, 1, False), (2, 1, True), (3, 3, False), (0, 2, False)],
)
def test_accepted_needs_one_support_and_more_support_than_questions(
    supports: int, questions: int, accepted: bool
) -> None:
    assert smart.criteria({}, supports, questions)["accepted"] is accepted


def test_the_criteria_come_in_the_order_of_the_word_and_read_as_letters() -> None:
    met = smart.criteria(fields_of((True,) * 6), 0, 0)
    assert list(met) == list(smart.CRITERIA)
    assert smart.letters(met) == "SM–RT"
    assert smart.letters(dict.fromkeys(smart.CRITERIA, True)) == "SMART"
    assert smart.letters({}) == "–––––"
