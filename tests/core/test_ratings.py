"""The numbers over answers on a scale: counts per value, mean, median, spread."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from facilitate.core import ratings


def test_when_answers_are_counted_then_every_value_of_the_scale_has_its_count() -> None:
    assert ratings.histogram([1, 5, 5, 3], 1, 5) == [1, 0, 1, 0, 2]
    assert ratings.histogram([0, 10], 0, 10) == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert ratings.histogram([-2, 2], -2, 2) == [1, 0, 0, 0, 1]


def test_when_nobody_answered_then_there_is_no_mean_median_or_spread() -> None:
    assert ratings.summary([], 1, 5) == {
        "counts": [0, 0, 0, 0, 0],
        "n": 0,
        "mean": None,
        "median": None,
        "sd": None,
    }


def test_when_one_person_answered_then_the_spread_is_zero() -> None:
    assert ratings.summary([4], 1, 5)["sd"] == 0.0


@pytest.mark.parametrize(
    ("values", "median"),
    [([3], 3.0), ([1, 5], 3.0), ([1, 2, 5], 2.0), ([1, 2, 4, 5], 3.0), ([2, 2, 3, 5], 2.5)],
)
def test_the_median_is_the_middle_answer_or_the_mean_of_the_two_middle_ones(
    values: list[int], median: float
) -> None:
    assert ratings.summary(values, 1, 5)["median"] == median


def test_means_and_spreads_have_two_decimals() -> None:
    summary = ratings.summary([1, 2, 2], 1, 5)
    assert (summary["mean"], summary["sd"]) == (1.67, 0.47)


@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
def test_the_figures_agree_with_the_answers_they_come_from(values: list[int]) -> None:
    summary = ratings.summary(values, 0, 10)
    ordered = sorted(values)
    n = len(values)
    mean = sum(values) / n
    assert summary["n"] == n
    assert summary["mean"] == round(mean, 2)
    assert summary["median"] == round((ordered[(n - 1) // 2] + ordered[n // 2]) / 2, 2)
    assert summary["sd"] == round(math.sqrt(sum((v - mean) ** 2 for v in values) / n), 2)
    assert min(values) <= summary["mean"] <= max(values)


def test_a_position_is_how_far_along_its_scale_a_value_lies() -> None:
    assert ratings.position(1, 1, 5) == 0.0
    assert ratings.position(4, 1, 5) == 0.75
    assert ratings.position(0, -5, 5) == 0.5
