"""The cost of a "statements" activity's results: `python -m bench.opinion`.

Makes up a room of three camps answering 30 statements (each camp leans its own way on most
statements, all three agree on a few; a phone answers about four in five statements, and now and
then passes or goes against its camp), then times facilitate.core.opinion over it for 500, 2,000
and 5,000 phones: `shares` (with `consensus` and `divisive`, which only read the tallies) and
`groups` (PCA, k-means for each k, silhouette). Prints the best of a few runs in milliseconds and
the groups found. Figures, not pass/fail: the results are recomputed while the meeting runs.
The groups are timed on the wall clock and in CPU time (the process's, numpy's threads
included), which says more on a machine that is busy with other work.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from facilitate.core import opinion

CAMPS = 3
SHARED = 4  # statements every camp agrees with


def camps(participants: int, statements: int, seed: int = 1) -> dict[str, dict[str, int]]:
    """Stances of `participants` phones in three camps of roughly equal size."""
    rng = np.random.default_rng(seed)
    ids = [f"s{j:02d}" for j in range(statements)]
    leaning = rng.choice([opinion.AGREE, opinion.DISAGREE], size=(CAMPS, statements))
    leaning[:, :SHARED] = opinion.AGREE
    stances = {}
    for i in range(participants):
        camp = leaning[i % CAMPS]
        draw = rng.random(statements)
        stance = np.where(draw < 0.75, camp, np.where(draw < 0.9, -camp, opinion.PASS))
        answered = rng.random(statements) < 0.8
        stances[f"p{i:05d}"] = {
            s: int(v) for s, v, seen in zip(ids, stance, answered, strict=True) if seen
        }
    return stances


def best_ms(
    run: Callable[..., object], *args: object, repeat: int, clock: Callable[[], float]
) -> float:
    """The best of `repeat` timings of run(*args) on `clock`, in milliseconds."""
    timings = []
    for _ in range(repeat):
        start = clock()
        run(*args)
        timings.append(clock() - start)
    return min(timings) * 1000


def results(stances: dict[str, dict[str, int]], ids: list[str]) -> None:
    """What the screen shows without groups: shares, consensus, divisive."""
    tallies = opinion.shares(stances, ids)
    opinion.consensus(tallies)
    opinion.divisive(tallies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("sizes", type=int, nargs="*", default=[500, 2_000, 5_000])
    args = parser.parse_args()
    ids = [f"s{j:02d}" for j in range(args.statements)]
    print(f"{CAMPS} camps x {args.statements} statements, best of {args.repeat} runs")
    print(f"{'phones':>6} {'shares ms':>10} {'groups ms':>10} {'cpu ms':>7}  groups (silhouette)")
    for size in args.sizes:
        stances = camps(size, args.statements)
        found = opinion.groups(stances, ids)
        shares_ms = best_ms(results, stances, ids, repeat=args.repeat, clock=time.perf_counter)
        groups_ms = best_ms(
            opinion.groups, stances, ids, repeat=args.repeat, clock=time.perf_counter
        )
        groups_cpu = best_ms(
            opinion.groups, stances, ids, repeat=args.repeat, clock=time.process_time
        )
        if found is None:
            summary = "none"
        else:
            sizes = " ".join(f"{g.label}={len(g.members)}" for g in found.groups)
            summary = f"{sizes} ({found.silhouette:.2f})" if found.silhouette is not None else sizes
        print(f"{size:>6} {shares_ms:>10.1f} {groups_ms:>10.1f} {groups_cpu:>7.1f}  {summary}")


if __name__ == "__main__":
    main()
