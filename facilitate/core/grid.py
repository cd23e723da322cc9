"""Everyone's stances on statements as a matrix kept up to date, and snapshots of it. Pure.

The opinion groups (opinion.py) are computed from a participants × statements matrix of
answers. Built from the stances (participant -> statement -> stance) it takes a walk over every
answer held, 120,000 of them with 5,000 phones. Kept here as the stances come, one byte a
cell, a `Snapshot` of it for a recompute is one copy of an array (about 150 KB for 5,000 phones
and 30 statements), cheap enough to take on the server's event loop; and a snapshot never
changes after, so it can be grouped anywhere, in another thread too (`regroup`), while the
answers go on coming.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from facilitate.core import opinion
from facilitate.core.opinion import Opinions

UNANSWERED = -128  # a cell nobody has answered (stances are 1, -1 and 0)
Cells = npt.NDArray[np.int8]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The answers to `statements` as they stood after `changes` stances were taken, at
    meeting time `at`: a row per participant in `people` (in the order they first answered
    anything), a column per statement. Nothing holds on to its arrays: it never changes."""

    changes: int
    statements: tuple[str, ...]
    at: float
    people: tuple[str, ...]
    cells: Cells


class Grid:
    """Every stance taken, as a matrix: a row per participant, a column per statement, both
    in the order they first came; column 0 is never answered (a statement nobody answered
    takes it in a snapshot). Derived from the stances, so it is rebuilt by a replay."""

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}
        self._people: list[str] = []
        self._columns: dict[str, int] = {}
        self._cells: Cells = np.full((64, 8), UNANSWERED, dtype=np.int8)

    def put(self, pid: str, statement: str, stance: int) -> None:
        """A participant's stance on a statement, replacing any earlier one."""
        row = self._rows.get(pid)
        if row is None:
            row = self._rows[pid] = len(self._people)
            self._people.append(pid)
        column = self._columns.get(statement)
        if column is None:
            column = self._columns[statement] = len(self._columns) + 1
        height, width = self._cells.shape
        if row >= height or column >= width:  # grow by doubling: amortised, a copy now and then
            grown = np.full(
                (max(height, 2 * row), max(width, 2 * column)), UNANSWERED, dtype=np.int8
            )
            grown[:height, :width] = self._cells
            self._cells = grown
        self._cells[row, column] = stance

    def snapshot(self, statements: tuple[str, ...], changes: int, at: float) -> Snapshot:
        """The answers to `statements` now, copied once."""
        columns = [self._columns.get(s, 0) for s in statements]
        cells = self._cells[: len(self._people), columns]  # a list of columns: numpy copies
        return Snapshot(changes, statements, at, tuple(self._people), cells)


def regroup(snapshot: Snapshot) -> Opinions | None:
    """The opinion groups of a snapshot's answers: exactly what opinion.groups gives for the
    same stances (participants in the order of their ids, those with no answer to any of the
    statements left out). Reads nothing but the snapshot."""
    people, cells = snapshot.people, snapshot.cells
    order = sorted(range(len(people)), key=people.__getitem__)
    cells = cells[order]
    answered = (cells != UNANSWERED).any(axis=1)
    ids: Sequence[str] = [people[row] for row, keep in zip(order, answered, strict=True) if keep]
    cells = cells[answered]
    votes = np.where(cells == UNANSWERED, np.nan, cells.astype(np.float64))
    return opinion.grouped(ids, votes, snapshot.statements)
