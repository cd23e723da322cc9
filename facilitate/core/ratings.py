"""Numbers over whole-number answers on a scale: counts per value, mean, median, spread. Pure.

What a scale (kinds/scale.py) and a matrix (kinds/matrix.py) show and record of their answers.
Everything is worked out from the counts per value, so it costs the same for 10 phones or
5,000, and the record's counts are enough to check every figure it states.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

PLACES = 2  # the decimals a mean, a median or a spread is given with


def histogram(values: Iterable[int], low: int, high: int) -> list[int]:
    """How many answers gave each value from `low` to `high`, in that order."""
    counts = [0] * (high - low + 1)
    for value in values:
        counts[value - low] += 1
    return counts


def mean(counts: Sequence[int], low: int) -> float | None:
    """The mean of the answers counted in `counts` (value `low` first); None for none."""
    n = sum(counts)
    if not n:
        return None
    return round(sum((low + i) * c for i, c in enumerate(counts)) / n, PLACES)


def median(counts: Sequence[int], low: int) -> float | None:
    """The middle answer (the mean of the two middle ones for an even number); None for none."""
    n = sum(counts)
    if not n:
        return None
    middle = ((n - 1) // 2, n // 2)  # positions in the sorted answers, counted from 0
    found: list[int] = []
    seen = 0
    for i, c in enumerate(counts):
        found += [low + i for position in middle if seen <= position < seen + c]
        seen += c
    return round(sum(found) / 2, PLACES)


def spread(counts: Sequence[int], low: int) -> float | None:
    """The standard deviation of the answers (of these answers, not an estimate for a wider
    population: 0 for one answer); None for none."""
    n = sum(counts)
    if not n:
        return None
    average = sum((low + i) * c for i, c in enumerate(counts)) / n
    variance = sum(c * (low + i - average) ** 2 for i, c in enumerate(counts)) / n
    return round(math.sqrt(variance), PLACES)


def summary(values: Iterable[int], low: int, high: int) -> dict[str, Any]:
    """Counts per value from `low` to `high`, how many answered, mean, median and spread."""
    counts = histogram(values, low, high)
    return {
        "counts": counts,
        "n": sum(counts),
        "mean": mean(counts, low),
        "median": median(counts, low),
        "sd": spread(counts, low),
    }


def position(value: float, low: int, high: int) -> float:
    """Where a value lies between the ends of its scale: 0 at `low`, 1 at `high`."""
    return (value - low) / (high - low)
