"""What a group's priorities come to: Borda scores of rankings and totals of points. Pure.

The maths the ranking and points kinds share; it lives with the kinds because its rows name
what they count ("points").

Both take the items' ids in their own order and give one row per item, best first; items that
score the same share a rank (1, 1, 3) and keep the items' order between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from facilitate.core.blocks import percent


def _ranked(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The rows by `key`, highest first (stable), each with its rank; ties share one."""
    rows.sort(key=lambda row: -row[key])
    for number, row in enumerate(rows):
        same = number and rows[number - 1][key] == row[key]
        row["rank"] = rows[number - 1]["rank"] if same else number + 1
    return rows


def borda(ids: Sequence[str], orders: Iterable[Sequence[str]]) -> list[dict[str, Any]]:
    """Borda scores of whole rankings of `ids`: in a ranking of n items, the first gets n − 1
    points, the next n − 2, …, the last 0. Each row: `id`, `score`, `average` (the mean
    position, 1 being first, to two decimals; None before anyone has ranked) and `rank`."""
    count = len(ids)
    score = dict.fromkeys(ids, 0)
    places = dict.fromkeys(ids, 0)
    rankers = 0
    for order in orders:
        rankers += 1
        for position, item in enumerate(order):
            score[item] += count - 1 - position
            places[item] += position + 1
    rows = [
        {
            "id": item,
            "score": score[item],
            "average": round(places[item] / rankers, 2) if rankers else None,
        }
        for item in ids
    ]
    return _ranked(rows, "score")


def totals(ids: Sequence[str], spreads: Iterable[Mapping[str, int]]) -> list[dict[str, Any]]:
    """Points given to each of `ids` over every phone's spread. Each row: `id`, `points`,
    `share` (percent of all points given, whole) and `rank`."""
    given = dict.fromkeys(ids, 0)
    for spread in spreads:
        for item, points in spread.items():
            given[item] += points
    whole = sum(given.values())
    rows = [{"id": item, "points": n, "share": percent(n, whole)} for item, n in given.items()]
    return _ranked(rows, "points")
