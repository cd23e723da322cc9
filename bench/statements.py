"""The cost of a "statements" activity in a packed hall: `python -m bench.statements`.

Runs 5,000 phones' stances through the pure core, as the server would take them, with no
sockets: each stance is a `stance` command handled by the meeting, then `views.affected` (which
tells phones whose group changed), and the projector's view is rendered every 100 ms of meeting
time, which recomputes the opinion groups whenever they are due (facilitate.core.conversation).
The phones come in three camps (bench.opinion's room) over the first two minutes and answer a
statement every four seconds or so, about four in five of them.

Prints the cost of a stance without the regrouping, how often the groups were recomputed and
what that cost (on the wall clock and in CPU time, which says more on a busy machine), the cost
of a screen render without it, and of the groups of every answer at the end. Figures, not
pass/fail.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

from bench.opinion import camps
from facilitate.core import conversation, opinion, views
from facilitate.core.events import FACILITATOR, Command
from facilitate.core.meeting import Meeting
from facilitate.core.plan import plan_from_dict

T0 = 1_764_000_000.0
WORDS = {opinion.AGREE: "agree", opinion.DISAGREE: "disagree", opinion.PASS: "pass"}


class Clocked:
    """opinion.groups, timed: how often it ran and for how long."""

    def __init__(self, groups: Callable[..., Any]) -> None:
        self.groups = groups
        self.timings: list[float] = []
        self.cpu = 0.0  # the process's CPU time in it (numpy's threads included)

    def __call__(self, *args: Any) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return self.groups(*args)
        finally:
            self.timings.append(time.perf_counter() - start)
            self.cpu += time.process_time() - cpu

    @property
    def spent(self) -> float:
        return sum(self.timings)


def schedule(phones: int, statements: int, seed: int = 1) -> list[tuple[float, str, str, str]]:
    """(when, phone, statement, stance) for every stance, in the order they come."""
    rng = random.Random(seed)
    ids = [f"s{j:02d}" for j in range(statements)]
    room = camps(phones, statements, seed)
    found = []
    for pid, mine in room.items():
        at = T0 + rng.uniform(0, 120)
        for index, bench_id in enumerate(ids):
            at += rng.uniform(2, 6)
            if bench_id in mine:
                found.append((at, pid, f"s{index + 1}", WORDS[mine[bench_id]]))
    found.sort()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=5_000)
    parser.add_argument("--statements", type=int, default=30)
    parser.add_argument("--tick", type=float, default=0.1, help="seconds between renders")
    args = parser.parse_args()
    texts = [f"Påstand {n}" for n in range(1, args.statements + 1)]
    plan = plan_from_dict(
        {
            "title": "Benk",
            "activities": [{"id": "st", "kind": "statements", "title": "Hva mener du?",
                            "statements": texts}],
        }
    )  # fmt: skip
    meeting = Meeting.replay([Meeting.created("BENCH", plan, T0)])
    meeting.handle(Command("goto", {"activity": "st"}), FACILITATOR, T0)
    presence = views.Presence(phones=args.phones, screens=1)
    stances = schedule(args.phones, args.statements)
    clocked = Clocked(opinion.groups)
    opinion.groups = clocked  # type: ignore[assignment]  # the module conversation.py calls

    def render() -> float:
        """Seconds spent rendering the screen, regrouping left out."""
        before = clocked.spent
        start = time.perf_counter()
        views.screen(meeting, presence)
        return time.perf_counter() - start - (clocked.spent - before)

    taking = rendering = 0.0
    renders = 0
    due = T0
    for at, pid, statement, word in stances:
        while due <= at:
            rendering += render()
            renders += 1
            due += args.tick
        before = clocked.spent
        start = time.perf_counter()
        command = Command("stance", {"activity": "st", "statement": statement, "stance": word})
        for event in meeting.handle(command, pid, at):
            views.affected(meeting, event.type, event.data)
        taking += time.perf_counter() - start - (clocked.spent - before)
    in_hall, in_cpu = list(clocked.timings), clocked.cpu
    seconds = stances[-1][0] - stances[0][0]
    talk = conversation.of(meeting.activities["st"])
    ids = tuple(f"s{n}" for n in range(1, args.statements + 1))
    start, cpu = time.perf_counter(), time.process_time()
    final = clocked.groups(talk.stances, ids)
    whole = (time.perf_counter() - start, time.process_time() - cpu)
    groups = final.groups if final is not None else ()

    print(
        f"{args.phones} phones x {args.statements} statements: {len(stances):,} stances over "
        f"{seconds:.0f} s of meeting time, the screen rendered every {args.tick:g} s"
    )
    print(f"stance (handle + affected), regrouping left out: {taking / len(stances) * 1e6:.1f} µs")
    print(f"screen render, regrouping left out: {rendering / renders * 1000:.2f} ms")
    print(
        f"groups recomputed while answers came: {len(in_hall)} times, "
        f"{sum(in_hall) / max(1, len(in_hall)) * 1000:.1f} ms each on average, "
        f"{max(in_hall, default=0) * 1000:.1f} ms at most; "
        f"{sum(in_hall) / seconds * 100:.1f} % of the meeting's time "
        f"({in_cpu / seconds * 100:.1f} % in CPU time)"
    )
    print(
        f"groups of every answer: {whole[0] * 1000:.1f} ms ({whole[1] * 1000:.1f} ms of CPU), "
        f"{' '.join(f'{g.label}={len(g.members)}' for g in groups) or 'none'}"
    )


if __name__ == "__main__":
    main()
