"""Clustering points in the plane: k-means finds clear clusters the same way every time, and the
silhouette score is the textbook one (checked against a direct, loop-by-loop computation)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings, strategies as st

from facilitate.core import clusters


def blobs(*centres: tuple[float, float], size: int = 10) -> np.ndarray:
    """`size` points on a small circle around each centre, in turn."""
    turn = np.linspace(0, 2 * np.pi, size, endpoint=False)
    ring = np.stack([np.cos(turn), np.sin(turn)], axis=1) * 0.5
    return np.concatenate([ring + centre for centre in centres])


def silhouette_by_definition(points: np.ndarray, labels: np.ndarray, i: int) -> float:
    """Point i's silhouette, straight from Rousseeuw's definition."""

    def mean_distance(cluster: int) -> float:
        others = [j for j in range(len(points)) if labels[j] == cluster and j != i]
        return sum(math.dist(points[i], points[j]) for j in others) / len(others)

    own = int(labels[i])
    if (labels == own).sum() == 1:
        return 0.0
    a = mean_distance(own)
    b = min(mean_distance(c) for c in set(labels.tolist()) - {own})
    return 0.0 if max(a, b) == 0 else (b - a) / max(a, b)


def test_kmeans_finds_clusters_that_are_far_apart():
    points = blobs((0, 0), (10, 0), (0, 10))
    labels = clusters.kmeans(points, 3)
    assert [len(set(labels[start : start + 10].tolist())) for start in (0, 10, 20)] == [1, 1, 1]
    assert len(set(labels.tolist())) == 3


def test_kmeans_gives_the_same_clusters_every_time():
    rng = np.random.default_rng(3)
    points = rng.normal(size=(200, 2))
    assert np.array_equal(clusters.kmeans(points, 4), clusters.kmeans(points, 4))


def test_kmeans_copes_with_points_that_all_sit_in_one_spot():
    labels = clusters.kmeans(np.zeros((12, 2)), 3)
    assert len(set(labels.tolist())) == 1


def test_a_point_alone_in_its_cluster_scores_zero():
    points = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 0.0]])
    labels = np.array([0, 0, 1])
    (score,) = clusters.silhouettes(points, [labels])
    assert score == pytest.approx(
        sum(silhouette_by_definition(points, labels, i) for i in range(3)) / 3
    )
    assert silhouette_by_definition(points, labels, 2) == 0.0


def test_clear_clusters_score_higher_than_a_split_through_the_middle():
    points = blobs((0, 0), (10, 0))
    clear = np.repeat([0, 1], 10)
    through = (points[:, 1] > 0).astype(np.intp)
    good, bad = clusters.silhouettes(points, [clear, through])
    assert good > 0.9 > bad


points_st = st.integers(3, 40).flatmap(
    lambda n: st.tuples(
        st.lists(
            st.tuples(st.integers(-5, 5), st.integers(-5, 5)).map(lambda p: [float(p[0]), p[1]]),
            min_size=n,
            max_size=n,
        ),
        st.lists(st.lists(st.integers(0, 3), min_size=n, max_size=n), min_size=1, max_size=3),
    )
)


@settings(max_examples=examples(150), deadline=None)
@given(points_st, st.integers(1, 50))
def test_the_silhouette_score_is_the_mean_of_the_sampled_points_silhouettes(drawn, sample):
    coordinates, labelings = drawn
    points = np.array(coordinates, dtype=np.float64)
    labelings = [np.array(labels, dtype=np.intp) for labels in labelings]
    labelings = [labels for labels in labelings if len(set(labels.tolist())) >= 2]
    if not labelings:
        return
    # Evenly spaced over the points in their order; all of them when there are few enough.
    rows = sorted(set(np.linspace(0, len(points) - 1, min(len(points), sample)).round().tolist()))
    expected = [
        sum(silhouette_by_definition(points, labels, int(i)) for i in rows) / len(rows)
        for labels in labelings
    ]
    assert clusters.silhouettes(points, labelings, sample) == pytest.approx(expected)
