"""Clustering points in the plane: k-means and the silhouette score. Pure numpy.

No I/O, no clock and no global randomness: k-means draws its starting centres from a generator
seeded with a constant, so the same points always give the same clusters. Everything is
vectorised, for thousands of points recomputed while a meeting runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Points = npt.NDArray[np.float64]  # n × d
Labels = npt.NDArray[np.intp]  # n cluster numbers, 0 .. k-1

SEED = 0  # a constant: the clusters depend on the points and nothing else
RESTARTS = 4  # scikit-learn starts k-means++ once; a few starts make a poor optimum rarer
ITERATIONS = 100
TOLERANCE = 1e-4
SAMPLE = 1_000  # points whose silhouettes are averaged (see `silhouettes`)
PAIRS_PER_CHUNK = 1_000_000  # distances held at once by `silhouettes` (8 MB)


def kmeans(points: Points, k: int, restarts: int = RESTARTS) -> Labels:
    """The points' clusters: Lloyd's k-means from k-means++ starts, the best of `restarts`.

    "Best" is the smallest sum of squared distances to the centres; the first restart wins a
    tie. A centre left without points keeps its place, so a cluster may come back empty.
    """
    rng = np.random.default_rng(SEED)
    # Dimensions × points: each coordinate contiguous, for the products and bincounts below.
    across = np.ascontiguousarray(points.T)
    best_labels = np.zeros(len(points), dtype=np.intp)
    best_inertia = np.inf
    for _ in range(restarts):
        labels, inertia = _lloyd(across, _plus_plus(points, k, rng))
        if inertia < best_inertia:
            best_labels, best_inertia = labels, inertia
    return best_labels


def _plus_plus(points: Points, k: int, rng: np.random.Generator) -> Points:
    """k-means++ (Arthur and Vassilvitskii, 2007): each next centre is a point drawn with
    probability in proportion to its squared distance from the nearest centre so far."""
    centres = [points[rng.integers(len(points))]]
    nearest = ((points - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = nearest.sum()
        # Every point sits on a centre already: any point will do, and all are the same.
        index = rng.choice(len(points), p=nearest / total) if total > 0 else 0
        centres.append(points[index])
        nearest = np.minimum(nearest, ((points - points[index]) ** 2).sum(axis=1))
    return np.array(centres)


def _lloyd(across: Points, centres: Points) -> tuple[Labels, float]:
    """Assign each point to its nearest centre, move each centre to its points' mean, repeat
    until no point changes cluster or the centres all but stop (scikit-learn's rule: their
    squared moves sum to `TOLERANCE` of the points' variance); the labels and the sum of
    squared distances (less the sum of the points' squared lengths, the same for every start).
    """
    enough = TOLERANCE * float(across.var(axis=1).mean())
    labels, inertia = _nearest(across, centres)
    for _ in range(ITERATIONS):
        moved_centres = _means(across, labels, centres)
        shift = float(((moved_centres - centres) ** 2).sum())
        centres = moved_centres
        moved, inertia = _nearest(across, centres)
        settled = np.array_equal(moved, labels)
        labels = moved
        if settled or shift <= enough:
            break
    return labels, inertia


def _nearest(across: Points, centres: Points) -> tuple[Labels, float]:
    """Each point's nearest centre, and the sum of the squared distances to them less the sum
    of the points' squared lengths: |p - c|² = |p|² - 2 p·c + |c|², and |p|² is the same for
    every centre, so one matrix product ranks them."""
    rank = (-2 * centres) @ across  # centres × points
    rank += (centres**2).sum(axis=1)[:, None]
    labels = rank.argmin(axis=0)
    return labels, float(rank[labels, np.arange(across.shape[1])].sum())


def _means(across: Points, labels: Labels, centres: Points) -> Points:
    """Each cluster's mean; an empty cluster keeps its centre."""
    k = len(centres)
    sizes = np.bincount(labels, minlength=k)
    sums = np.stack([np.bincount(labels, weights=row, minlength=k) for row in across], axis=1)
    filled = sizes > 0
    moved = centres.copy()
    moved[filled] = sums[filled] / sizes[filled, None]
    return moved


def silhouettes(points: Points, labelings: Sequence[Labels], sample: int = SAMPLE) -> list[float]:
    """The mean silhouette score of each labelling of the same points (Rousseeuw, 1987).

    A point's silhouette is (b - a) / max(a, b), where a is its mean distance to the other
    points of its cluster and b its mean distance to the points of the nearest other cluster;
    it is 0 for a point alone in its cluster. The score runs from -1 to 1: higher means tighter
    clusters further apart. Every labelling needs at least two non-empty clusters.

    All pairs cost n² distances, too many to recompute live for thousands of points. So, as
    scikit-learn's `silhouette_score(sample_size=...)` does, the mean is taken over at most
    `sample` points: evenly spaced in the order given, so the same points give the same score.
    Each of them is measured against every point, so its own silhouette is exact. The distances
    are computed once, a chunk of rows at a time, and summed per cluster for every labelling in
    one matrix product.
    """
    n = len(points)
    rows = np.unique(np.linspace(0, n - 1, min(n, sample)).round().astype(np.intp))
    # One column per cluster of every labelling: a point's row holds a 1 in its clusters.
    blocks = [np.eye(int(labels.max()) + 1)[labels] for labels in labelings]
    members = np.hstack(blocks)
    sums = np.empty((len(rows), members.shape[1]))
    step = max(1, PAIRS_PER_CHUNK // n)
    for start in range(0, len(rows), step):
        chunk = points[rows[start : start + step]]
        squared = np.zeros((len(chunk), n))
        for d in range(points.shape[1]):
            squared += (chunk[:, d, None] - points[None, :, d]) ** 2
        sums[start : start + step] = np.sqrt(squared) @ members
    scores = []
    first = 0
    for labels, block in zip(labelings, blocks, strict=True):
        k = block.shape[1]
        to_cluster = sums[:, first : first + k]
        first += k
        sizes = block.sum(axis=0)
        own = labels[rows]
        own_size = sizes[own]
        alone = own_size <= 1
        seq = np.arange(len(rows))
        a = np.where(alone, 0.0, to_cluster[seq, own] / np.maximum(own_size - 1, 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            means = to_cluster / sizes
        means[seq, own] = np.inf
        means[:, sizes == 0] = np.inf
        b = means.min(axis=1)
        widest = np.maximum(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.where(alone | (widest == 0), 0.0, (b - a) / widest)
        scores.append(float(s.mean()))
    return scores
