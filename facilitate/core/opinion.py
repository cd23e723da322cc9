"""Opinions on statements: shares, consensus, divisive statements and opinion groups. Pure.

The results of an activity of statements, after Pol.is: each phone answers statements with agree
(+1), disagree (-1) or pass (0). The input everywhere is `stances`, participant id -> statement
id -> stance, where a statement a participant has not answered is simply missing, and
`statements`, the statement ids in order. Stances on ids not in `statements` are left out (a
statement taken off the list stops counting).

No I/O, no clock, no randomness that the input does not fix (k-means draws its starts from a
generator with a constant seed): participants are taken in the order of their ids, so the same
stances give the same results whatever order the mappings are in.

The rules, with the numbers in the constants below:

* A statement is **consensus** when at least `MIN_VOTERS` people answered it and at least
  `CONSENSUS_SHARE` of them agree (or at least as many disagree). With opinion groups, the same
  must hold inside every group, on the same side: Pol.is's group-aware consensus, which keeps a
  large group from passing its view off as everyone's.
* A statement is **divisive** when at least `MIN_VOTERS` people answered it, at least
  `DIVISIVE_SHARE` of them agree and at least as many disagree, and it is not consensus in the
  room (which only a split of exactly 70 to 30 could be): a statement is never both.
* **Opinion groups** form once `MIN_PEOPLE` participants have each answered `MIN_ANSWERED`
  statements (or all of them, if there are fewer). See `groups`.

Shares are of everyone who answered, passes included: a pass is "seen, no view", and 7 agrees
out of 10 answers is 70 % even if the other 3 passed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from facilitate.core.clusters import Labels, Points, kmeans, silhouettes

Side = Literal["agree", "disagree"]
SIDES: tuple[Side, Side] = ("agree", "disagree")
AGREE, DISAGREE, PASS = 1, -1, 0

MIN_VOTERS = 5  # answers a statement needs, in the room or in a group, to be called anything
CONSENSUS_SHARE = 0.7
DIVISIVE_SHARE = 0.3
MIN_PEOPLE = 20  # placed participants before any groups are formed
MIN_ANSWERED = 7  # answers that place a participant (Pol.is's threshold for clustering)
MIN_GROUP = 5  # no group is shown with fewer people, no group share rests on fewer answers
MAX_GROUPS = 5  # k is tried from 2 up to this (as in Pol.is)
Z_90 = 1.2816  # one-sided 90 % for the two-proportion z-test (Pol.is's representativeness)
LABELS = "ABCDE"

Matrix = npt.NDArray[np.float64]  # participants × statements: 1, -1, 0, NaN for not answered


@dataclass(frozen=True)
class Tally:
    """The answers to one statement: how many agree, disagree and passed."""

    statement: str
    agree: int
    disagree: int
    passed: int

    @property
    def voters(self) -> int:
        """Everyone who answered, passes included."""
        return self.agree + self.disagree + self.passed

    def share(self, stance: Side | Literal["pass"]) -> float:
        """The share of the answers with this stance; 0.0 when nobody answered."""
        count = {"agree": self.agree, "disagree": self.disagree, "pass": self.passed}[stance]
        return count / self.voters if self.voters else 0.0


@dataclass(frozen=True)
class Consensus:
    """A statement the room agrees on (or disagrees with), and the room's share on that side."""

    statement: str
    side: Side
    share: float


@dataclass(frozen=True)
class Distinction:
    """A statement that sets a group apart: most of the group takes `side`, and clearly more
    of the group than of everyone else."""

    statement: str
    side: Side
    group_share: float  # of the group's answers to the statement
    rest_share: float  # of the answers of everyone placed outside the group


@dataclass(frozen=True)
class Group:
    """An opinion group: its members (sorted), its centre on the map, its answers per statement
    (in statement order) and the statements that set it apart, most distinctive first."""

    label: str
    members: tuple[str, ...]
    centre: tuple[float, float]
    tallies: tuple[Tally, ...]
    apart: tuple[Distinction, ...]


@dataclass(frozen=True)
class Placement:
    """Where a participant sits on the opinion map, and in which group."""

    group: str
    x: float
    y: float


@dataclass(frozen=True)
class Opinions:
    """The opinion groups, largest first, and every placed participant's place.

    `silhouette` is the mean silhouette score of the grouping (-1 to 1; higher is clearer), or
    None when the room holds together as one group.
    """

    groups: tuple[Group, ...]
    placed: Mapping[str, Placement]
    silhouette: float | None

    def group_of(self, participant: str) -> Group | None:
        """The participant's group, or None if they are not placed (too few answers)."""
        placement = self.placed.get(participant)
        return None if placement is None else self.groups[LABELS.index(placement.group)]


def shares(
    stances: Mapping[str, Mapping[str, int]], statements: Sequence[str]
) -> tuple[Tally, ...]:
    """Every statement's answers, in statement order (statements nobody answered count zero).

    Raises:
        ValueError: a stance is not 1, -1 or 0, or a statement id is listed twice.
    """
    _, votes = _matrix(stances, statements)
    return _tallies(statements, votes)


def consensus(tallies: Sequence[Tally], groups: Sequence[Group] = ()) -> tuple[Consensus, ...]:
    """The statements of broad agreement (or disagreement), strongest first, then in order.

    With `groups` (from `groups(...)`), a statement must also be consensus inside every group.
    """
    within = [{tally.statement: tally for tally in group.tallies} for group in groups]
    found = []
    for index, tally in enumerate(tallies):
        for side in SIDES:
            if _holds(tally, side) and all(
                tally.statement in mine and _holds(mine[tally.statement], side) for mine in within
            ):
                found.append((index, Consensus(tally.statement, side, tally.share(side))))
    found.sort(key=lambda pair: (-pair[1].share, pair[0]))
    return tuple(item for _, item in found)


def _holds(tally: Tally, side: Side) -> bool:
    return tally.voters >= MIN_VOTERS and tally.share(side) >= CONSENSUS_SHARE


def divisive(tallies: Sequence[Tally]) -> tuple[Tally, ...]:
    """The statements the room splits on, the most even split first, then in order."""
    split = [
        (index, tally)
        for index, tally in enumerate(tallies)
        if tally.voters >= MIN_VOTERS
        and all(DIVISIVE_SHARE <= tally.share(side) < CONSENSUS_SHARE for side in SIDES)
    ]
    split.sort(key=lambda pair: (-min(pair[1].share("agree"), pair[1].share("disagree")), pair[0]))
    return tuple(tally for _, tally in split)


def groups(stances: Mapping[str, Mapping[str, int]], statements: Sequence[str]) -> Opinions | None:
    """The opinion groups, or None until `MIN_PEOPLE` participants are placed.

    A participant is placed once they have answered `MIN_ANSWERED` statements (or every
    statement, if there are fewer). As in Pol.is, a statement someone has not answered counts as
    the average answer to it; the answers, centred per statement, are projected on their first
    two principal components (PCA), and each participant's position is stretched by
    sqrt(statements answered by anyone / statements they answered), so that people who answered
    little are not all drawn into the middle. An axis points the way agreeing with its
    statements does (its loadings sum to more than zero), so the map does not flip.

    k-means then groups the positions for every k from 2 to `MAX_GROUPS` (fewer when there are
    too few people for k groups of `MIN_GROUP`). A cluster of fewer than `MIN_GROUP` people is
    dissolved: its members join the nearest remaining cluster. The k whose grouping has the best
    mean silhouette score (over up to `clusters.SAMPLE` participants) wins, the smaller k on a
    tie; if no k leaves two clusters, everyone placed is one group. Groups are labelled A, B, ...
    from the largest; equal sizes go by their centres, left to right, then bottom to top.

    Raises:
        ValueError: a stance is not 1, -1 or 0, or a statement id is listed twice.
    """
    ids, votes = _matrix(stances, statements)
    return grouped(ids, votes, statements)


def grouped(ids: Sequence[str], votes: Matrix, statements: Sequence[str]) -> Opinions | None:
    """The same as `groups`, from the answers as a matrix already: `ids` sorted, one row each
    in `votes` (1, -1, 0, NaN for not answered; a column per statement in `statements`), and
    every row holding at least one answer."""
    answered = (~np.isnan(votes)).sum(axis=1)
    placed = answered >= min(MIN_ANSWERED, len(statements))
    if placed.sum() < MIN_PEOPLE:
        return None
    ids = [pid for pid, keep in zip(ids, placed, strict=True) if keep]
    votes = votes[placed]
    points = _project(votes)
    labels, score = _grouping(points)
    labels = _in_label_order(points, labels)
    count = int(labels.max()) + 1
    in_group = np.eye(count)[labels]  # participants × groups: 1 where a member
    apart = _apart(statements, votes, in_group)
    of = labels.tolist()
    found = tuple(
        Group(
            label=LABELS[g],
            members=tuple(pid for pid, label in zip(ids, of, strict=True) if label == g),
            centre=_pair(points[labels == g].mean(axis=0)),
            tallies=_tallies(statements, votes[labels == g]),
            apart=apart[g],
        )
        for g in range(count)
    )
    return Opinions(
        groups=found,
        placed={
            pid: Placement(LABELS[label], x, y)
            for pid, label, (x, y) in zip(ids, of, points.tolist(), strict=True)
        },
        silhouette=score,
    )


def _matrix(
    stances: Mapping[str, Mapping[str, int]], statements: Sequence[str]
) -> tuple[list[str], Matrix]:
    """The ids of everyone who answered a listed statement, sorted, and their answers."""
    if len(set(statements)) != len(statements):
        raise ValueError("a statement id is listed twice")
    listed = set(statements)
    ids = sorted(pid for pid, mine in stances.items() if not listed.isdisjoint(mine))
    nan = math.nan
    rows = [[stances[pid].get(s, nan) for s in statements] for pid in ids]
    votes = np.array(rows, dtype=np.float64).reshape(len(ids), len(statements))
    answered = votes[~np.isnan(votes)]
    if not np.isin(answered, (AGREE, DISAGREE, PASS)).all():
        raise ValueError("a stance is 1 (agree), -1 (disagree) or 0 (pass)")
    return ids, votes


def _tallies(statements: Sequence[str], votes: Matrix) -> tuple[Tally, ...]:
    agree = (votes == AGREE).sum(axis=0).tolist()
    disagree = (votes == DISAGREE).sum(axis=0).tolist()
    passed = (votes == PASS).sum(axis=0).tolist()
    return tuple(map(Tally, statements, agree, disagree, passed))


def _project(votes: Matrix) -> Points:
    """Each participant's position on the first two principal components (see `groups`)."""
    seen = ~np.isnan(votes)
    answers = seen.sum(axis=0)
    means = np.where(seen, votes, 0.0).sum(axis=0) / np.maximum(answers, 1)
    # Centred, an unanswered statement is exactly the average answer: zero.
    centred = np.where(seen, votes - means, 0.0)
    # The principal axes are the right singular vectors of `centred`: the eigenvectors of its
    # statements × statements scatter matrix, which is small whatever the number of phones.
    # (An SVD of the whole participants × statements matrix costs far more at 5,000 phones.)
    _, vectors = np.linalg.eigh(centred.T @ centred)  # eigenvalues ascending
    top = vectors[:, ::-1].T[:2]
    axes = np.zeros((2, votes.shape[1]))
    axes[: len(top)] = top
    # An eigenvector's sign is arbitrary; fix it so the map does not flip as votes come in.
    for axis in axes:
        total = axis.sum()
        lean = total if abs(total) > 1e-9 else axis[np.abs(axis).argmax()]
        if lean < 0:
            axis *= -1
    stretch = np.sqrt(np.count_nonzero(answers) / seen.sum(axis=1))
    projected: Points = (centred @ axes.T) * stretch[:, None]
    return projected


def _grouping(points: Points) -> tuple[Labels, float | None]:
    """The best grouping by mean silhouette, and its score (None: one group, no score)."""
    candidates: list[Labels] = []
    for k in range(2, min(MAX_GROUPS, len(points) // MIN_GROUP) + 1):
        labels = _dissolve_small(points, kmeans(points, k))
        if labels.max() >= 1:
            candidates.append(labels)
    if not candidates:
        return np.zeros(len(points), dtype=np.intp), None
    scores = silhouettes(points, candidates)
    best = int(np.argmax(scores))  # the first of equals: the smaller k
    return candidates[best], scores[best]


def _dissolve_small(points: Points, labels: Labels) -> Labels:
    """Clusters of fewer than `MIN_GROUP` join their members to the nearest remaining cluster's
    centre; the clusters that remain are numbered 0, 1, ... in their old order."""
    sizes = np.bincount(labels)
    kept = np.flatnonzero(sizes >= MIN_GROUP)
    centres = np.array([points[labels == c].mean(axis=0) for c in kept])
    renumber = np.full(len(sizes), -1, dtype=np.intp)
    renumber[kept] = np.arange(len(kept))
    moved = renumber[labels]
    loose = moved < 0
    if loose.any():
        squared = ((points[loose, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        moved[loose] = squared.argmin(axis=1)
    return moved


def _in_label_order(points: Points, labels: Labels) -> Labels:
    """Renumber the groups 0 = A, 1 = B, ...: largest first, then by centre (x, then y), then
    by whose id comes first (only equal centres get that far)."""
    sizes = np.bincount(labels)
    first = np.unique(labels, return_index=True)[1]  # the rows are in id order
    keys = sorted(
        (-int(sizes[c]), *_pair(points[labels == c].mean(axis=0)), int(first[c]), c)
        for c in range(len(sizes))
    )
    rank = np.empty(len(sizes), dtype=np.intp)
    rank[[key[-1] for key in keys]] = np.arange(len(sizes))
    relabelled: Labels = rank[labels]
    return relabelled


def _apart(
    statements: Sequence[str], votes: Matrix, in_group: npt.NDArray[np.float64]
) -> list[tuple[Distinction, ...]]:
    """Per group, the statements that set it apart (Pol.is's representative statements).

    A statement sets a group apart on a side when at least `MIN_GROUP` of the group and of the
    rest answered it, more than half of the group's answers take that side, and the group's
    share is higher than the rest's by a two-proportion z-test at one-sided 90 %. Most distinct
    first: by the gap between the shares, then in statement order.
    """
    found: list[list[tuple[float, int, Distinction]]] = [[] for _ in range(in_group.shape[1])]
    answers = in_group.T @ (~np.isnan(votes))  # groups × statements
    rest_answers = answers.sum(axis=0) - answers
    for side, value in zip(SIDES, (AGREE, DISAGREE), strict=True):
        taking = in_group.T @ (votes == value)
        rest_taking = taking.sum(axis=0) - taking
        with np.errstate(divide="ignore", invalid="ignore"):
            share = taking / answers
            rest_share = rest_taking / rest_answers
            pooled = (taking + rest_taking) / (answers + rest_answers)
            spread = np.sqrt(pooled * (1 - pooled) * (1 / answers + 1 / rest_answers))
            z = np.where(spread > 0, (share - rest_share) / spread, 0.0)
        sets_apart = (
            (answers >= MIN_GROUP) & (rest_answers >= MIN_GROUP) & (share > 0.5) & (z >= Z_90)
        )
        for g, s in zip(*np.nonzero(sets_apart), strict=True):
            gap = float(share[g, s] - rest_share[g, s])
            item = Distinction(statements[s], side, float(share[g, s]), float(rest_share[g, s]))
            found[g].append((-gap, int(s), item))
    return [tuple(item for *_, item in sorted(mine, key=lambda t: t[:2])) for mine in found]


def _pair(values: npt.NDArray[np.float64]) -> tuple[float, float]:
    return float(values[0]), float(values[1])
