"""The cost of a "statements" activity in a packed hall: `python -m bench.statements`.

Runs 5,000 phones' stances through the pure core, as the server would take them, with no
sockets: each stance is a `stance` command handled by the meeting, then `views.affected` (which
tells phones whose group changed), and the projector's view is rendered every 100 ms of meeting
time. The phones come in three camps (bench.opinion's room) over the first two minutes and
answer a statement every four seconds or so, about four in five of them.

The stances go through twice. First with the groups recomputed in place whenever a view finds
them due (facilitate.core.conversation), as the server did before it had a worker thread: the
event loop is held for the whole recompute. Then as the server (facilitate/meetings.py) does
now: shortly before they come due the groups are handed out (`Meeting.prepare`, a snapshot of
the answers), computed apart, and adopted (`Meeting.adopt`) once the computation's own time
has passed in meeting time; the loop is held only for the snapshot and the adoption. Last, the
snapshots of that run are grouped again in a real worker thread while the event loop beats
every millisecond: how late a beat comes is how long the loop waited for the GIL.

Prints the cost of a stance without the regrouping, of a screen render without it, how often
the groups were recomputed and what that cost (on the wall clock and in CPU time, which says
more on a busy machine), the longest time the loop is held per recompute both ways, and the
cost of the groups of every answer at the end. Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.opinion import camps
from facilitate.core import conversation, grid, opinion, views
from facilitate.core.events import FACILITATOR, Command
from facilitate.core.kinds.base import Job
from facilitate.core.meeting import Meeting
from facilitate.core.plan import plan_from_dict
from facilitate.meetings import MAX_AHEAD, MIN_AHEAD

T0 = 1_764_000_000.0
WORDS = {opinion.AGREE: "agree", opinion.DISAGREE: "disagree", opinion.PASS: "pass"}


class Clocked:
    """grid.regroup, timed when it runs in place: how often it ran and for how long."""

    def __init__(self, regroup: Callable[..., Any]) -> None:
        self.regroup = regroup
        self.timings: list[float] = []
        self.cpus: list[float] = []  # the process's CPU time in each (numpy's threads included)

    def __call__(self, *args: Any) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return self.regroup(*args)
        finally:
            self.timings.append(time.perf_counter() - start)
            self.cpus.append(time.process_time() - cpu)

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


@dataclass
class Run:
    """What one pass of the stances cost."""

    taking: float = 0.0  # handling the stances, regrouping left out
    rendering: float = 0.0  # rendering the screen, regrouping left out
    renders: int = 0
    in_place: list[float] = field(default_factory=list)  # recomputes that held the loop
    in_place_cpu: list[float] = field(default_factory=list)
    # On the loop with the worker: Meeting.prepare and Meeting.adopt, wall and thread CPU.
    snapshots: list[float] = field(default_factory=list)
    snapshots_cpu: list[float] = field(default_factory=list)
    adoptions: list[float] = field(default_factory=list)
    adoptions_cpu: list[float] = field(default_factory=list)
    worker: list[float] = field(default_factory=list)  # job.run(), apart
    jobs: list[Job] = field(default_factory=list)


def meeting_of(statements: int) -> Meeting:
    texts = [f"Påstand {n}" for n in range(1, statements + 1)]
    plan = plan_from_dict(
        {
            "title": "Benk",
            "activities": [{"id": "st", "kind": "statements", "title": "Hva mener du?",
                            "statements": texts}],
        }
    )  # fmt: skip
    meeting = Meeting.replay([Meeting.created("BENCH", plan, T0)])
    meeting.handle(Command("goto", {"activity": "st"}), FACILITATOR, T0)
    return meeting


def run(
    args: argparse.Namespace, stances: list[tuple[float, str, str, str]], *, apart: bool
) -> tuple[Meeting, Run]:
    """The stances through a fresh meeting; `apart`: the groups recomputed as the server's
    worker thread does, else in place when a view finds them due."""
    meeting = meeting_of(args.statements)
    presence = views.Presence(phones=args.phones, screens=1)
    clocked = Clocked(grid.regroup)
    grid.regroup = clocked  # type: ignore[assignment]  # what conversation.py and prepare call
    found = Run()
    out: list[tuple[float, Job, Any]] = []  # jobs computed, adopted once `ready` comes
    ahead = MIN_AHEAD

    def render() -> None:
        before = clocked.spent
        start = time.perf_counter()
        views.screen(meeting, presence)
        found.rendering += time.perf_counter() - start - (clocked.spent - before)
        found.renders += 1

    def server(now: float) -> None:
        """What meetings.py does at `now`: adopt what the worker has finished, hand out what
        comes due within `ahead`."""
        nonlocal ahead
        while out and out[0][0] <= now:
            _, job, result = out.pop(0)
            start, cpu = time.perf_counter(), time.thread_time()
            meeting.adopt(job, result)
            found.adoptions.append(time.perf_counter() - start)
            found.adoptions_cpu.append(time.thread_time() - cpu)
        due = meeting.due()
        if out or due is None or due - ahead > now:
            return
        start, cpu = time.perf_counter(), time.thread_time()
        jobs = meeting.prepare(now, now + ahead)
        found.snapshots.append(time.perf_counter() - start)
        found.snapshots_cpu.append(time.thread_time() - cpu)
        for job in jobs:
            before = len(clocked.timings)
            start = time.perf_counter()
            result = job.run()
            took = time.perf_counter() - start
            del clocked.timings[before:], clocked.cpus[before:]  # not in place: in the worker
            found.worker.append(took)
            found.jobs.append(job)
            ahead = min(MAX_AHEAD, max(MIN_AHEAD, 2 * took))
            out.append((now + took, job, result))  # adopted once its time has passed

    due = T0
    try:
        for at, pid, statement, word in stances:
            while due <= at:
                if apart:
                    server(due)
                render()
                due += args.tick
            if apart:
                server(at)  # the server's timer comes before any input once it is due
            before = clocked.spent
            start = time.perf_counter()
            command = Command("stance", {"activity": "st", "statement": statement, "stance": word})
            for event in meeting.handle(command, pid, at):
                views.affected(meeting, event.type, event.data)
            found.taking += time.perf_counter() - start - (clocked.spent - before)
    finally:
        grid.regroup = clocked.regroup  # type: ignore[method-assign]
    found.in_place, found.in_place_cpu = list(clocked.timings), list(clocked.cpus)
    return meeting, found


async def beating(worker: Callable[[], Any] | None, beat: float = 0.001) -> float:
    """The latest a 1 ms beat of the event loop came while `worker` ran in a thread (or, with
    None, for a moment of an idle loop): how long the loop waited at most, in seconds."""
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    latest = 0.0

    async def heart() -> None:
        nonlocal latest
        while not done.is_set():
            start = time.perf_counter()
            await asyncio.sleep(beat)
            latest = max(latest, time.perf_counter() - start - beat)

    task = asyncio.create_task(heart())
    await asyncio.sleep(beat * 3)  # the heart beats before the work starts
    with concurrent.futures.ThreadPoolExecutor(1, "bench-recompute") as pool:
        if worker is None:
            await asyncio.sleep(0.05)
        else:
            await loop.run_in_executor(pool, worker)
    done.set()
    await task
    return latest


async def stalls(jobs: list[Job]) -> tuple[list[float], float]:
    """Each job's longest wait of the loop while it ran in a thread, and an idle loop's."""
    idle = max([await beating(None) for _ in range(5)])
    return [await beating(job.run) for job in jobs], idle


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=5_000)
    parser.add_argument("--statements", type=int, default=30)
    parser.add_argument("--tick", type=float, default=0.1, help="seconds between renders")
    args = parser.parse_args()
    stances = schedule(args.phones, args.statements)
    seconds = stances[-1][0] - stances[0][0]

    meeting, before = run(args, stances, apart=False)
    _, after = run(args, stances, apart=True)
    held_apart, idle = asyncio.run(stalls(after.jobs))

    talk = conversation.of(meeting.activities["st"])
    ids = tuple(f"s{n}" for n in range(1, args.statements + 1))
    start, cpu = time.perf_counter(), time.process_time()
    final = opinion.groups(talk.stances, ids)
    whole = (time.perf_counter() - start, time.process_time() - cpu)
    groups = final.groups if final is not None else ()

    print(
        f"{args.phones} phones x {args.statements} statements: {len(stances):,} stances over "
        f"{seconds:.0f} s of meeting time, the screen rendered every {args.tick:g} s"
    )
    print(
        "stance (handle + affected), regrouping left out: "
        f"{before.taking / len(stances) * 1e6:.1f} µs"
    )
    print(f"screen render, regrouping left out: {before.rendering / before.renders * 1000:.2f} ms")
    spent, cpu = before.in_place, before.in_place_cpu
    print(
        f"groups recomputed in place while answers came: {len(spent)} times, "
        f"{ms(statistics.fmean(spent))} each on average, {ms(max(spent))} at most "
        f"(CPU {ms(statistics.fmean(cpu))}, {ms(max(cpu))}); "
        f"{sum(spent) / seconds * 100:.1f} % of the meeting's time "
        f"({sum(cpu) / seconds * 100:.1f} % in CPU time)"
    )
    print(
        f"with the worker thread: {len(after.jobs)} recomputes handed out, "
        f"{len(after.in_place)} computed in place (the first groups, before any snapshot); "
        f"in the worker {ms(statistics.fmean(after.worker))} on average, "
        f"{ms(max(after.worker))} at most"
    )

    def us(values: list[float]) -> str:
        return f"{statistics.fmean(values) * 1e6:.0f} µs on average, {max(values) * 1e6:.0f} µs"

    print(
        f"on the loop per recompute: snapshot (prepare) {us(after.snapshots)} at most "
        f"(CPU {us(after.snapshots_cpu)}); adopt {us(after.adoptions)} at most "
        f"(CPU {us(after.adoptions_cpu)})"
    )
    print(
        "the loop's longest wait while the worker computed (a 1 ms beat, late by): "
        f"{ms(statistics.fmean(held_apart))} on average per recompute, "
        f"{ms(max(held_apart))} at most (an idle loop's beat: {ms(idle)})"
    )
    held_now = max(max(held_apart), max(after.snapshots), max(after.adoptions))
    print(
        f"longest the event loop is held per recompute: in place {ms(max(spent))}, "
        f"with the worker thread {ms(held_now)}"
    )
    print(
        f"groups of every answer: {ms(whole[0])} ({ms(whole[1])} of CPU), "
        f"{' '.join(f'{g.label}={len(g.members)}' for g in groups) or 'none'}"
    )


if __name__ == "__main__":
    main()
