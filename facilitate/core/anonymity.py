"""Counts that identify nobody: k-anonymity for answers about who was in the room. Pure.

A group of fewer than `K` people is never shown by itself. The smallest groups are merged
into one "others" group, smallest first, until that group holds at least `K` people; the
groups left are each at least `K` too. When even every group together is fewer than `K`,
nothing is shown but that there were too few. Merging (rather than only leaving out the small
groups) keeps the total honest without letting anyone subtract their way to a small group:
the shown groups and "others" add up to everyone who answered, and every one of them is `K`
or more.
"""

from __future__ import annotations

from dataclasses import dataclass

K = 5  # the smallest group shown: at least this many people behind any number


@dataclass(frozen=True)
class Shown:
    """What may be shown of some counts: `groups` (each at least K, in the order given),
    `others` (the merged small groups, 0 or at least K) and `total` (0 when too few)."""

    groups: tuple[tuple[str, int], ...]
    others: int
    total: int


def shown(counts: dict[str, int], k: int = K) -> Shown:
    """The counts as they may be shown: groups under `k` merged into others, smallest first,
    until others is empty or at least `k` (see the module's doc)."""
    total = sum(counts.values())
    if total < k:
        return Shown((), 0, 0)
    present = [(name, n) for name, n in counts.items() if n > 0]
    by_size = sorted(present, key=lambda pair: (pair[1], list(counts).index(pair[0])))
    merged: set[str] = set()
    others = 0
    for name, n in by_size:
        if n >= k and (others == 0 or others >= k):
            break
        merged.add(name)
        others += n
    groups = tuple((name, n) for name, n in present if name not in merged)
    return Shown(groups, others, total)
