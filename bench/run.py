"""The load test: `make bench` (PARTICIPANTS=N, default 5000; CHAOS=1 for the fault run).

Starts a real `facilitate serve` on loopback pinned to one core, runs the swarm pinned to the
other, and prints a Markdown table; the figures also go to bench/results/latest.json. Figures,
not pass/fail: the targets are in the README's Performance section.

Scenarios, in order: a join storm, idle fan-out cost (and RSS per idle participant), a vote
burst watched by a screen while one phone has stopped reading, five notes floods (median and
range of durable inputs/s; server CPU per input as phones hold 4 and 16 notes), then the record is
checked for lost inputs. The same fan-out is measured against the raw floor (bench/floor.py).
With --chaos, phones drop and reconnect at random and the server is SIGKILLed mid-burst.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import server as servers
from bench.swarm import Console, Phone, Screen
from facilitate import descriptors

HERE = Path(__file__).resolve().parent
PLAN = {
    "title": "Benchmark",
    "language": "nb",
    "activities": [
        {"id": "a", "kind": "info", "title": "A"},
        {"id": "b", "kind": "info", "title": "B"},
        {
            "id": "poll",
            "kind": "poll",
            "title": "Hvor trygg føler du deg?",
            "options": [
                "Svært trygg",
                "Ganske trygg",
                "Verken eller",
                "Ganske utrygg",
                "Svært utrygg",
            ],
            "none_option": True,
        },
        {"id": "notes", "kind": "notes", "title": "Hva bør endres?"},
    ],
}
FANOUT_ROUNDS = 10
FANOUT_GAP = 0.5  # at least; more in a hall where phones share 5,000 frames a second
FLOODS = 5  # notes floods in a row: the median and range of durable inputs/s


def fanout_gap(phones: int) -> float:
    """Seconds between updates, so each reaches every phone (see hub.FRAMES_PER_SECOND)."""
    from facilitate.hub import FRAMES_PER_SECOND

    return max(FANOUT_GAP, phones / FRAMES_PER_SECOND + 0.3)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


async def join_storm(phones: list[Phone], seconds: float) -> tuple[int, list[float]]:
    async def one(phone: Phone, delay: float) -> float | None:
        await asyncio.sleep(delay)
        for _ in range(3):
            try:
                return await phone.join(timeout=30)
            except (OSError, TimeoutError, Exception):
                await asyncio.sleep(0.5)
        return None

    spread = seconds / max(1, len(phones))
    results = await asyncio.gather(*(one(p, i * spread) for i, p in enumerate(phones)))
    times = [r for r in results if r is not None]
    return len(results) - len(times), times


async def rounds(
    process: servers.Process,
    update: Callable[[int], Awaitable[Any]],
    received: Callable[[], int],
    connections: int,
    gap: float,
) -> dict[str, float]:
    """Server CPU per frame delivered, over FANOUT_ROUNDS updates to every connection.

    Each round is timed from `update(round)` until every connection has its frame (`received()`
    counts frames so far). The CPU the server spends in the gaps between rounds is its idle
    rate (keepalive pings, the stall sweep), taken off the rounds' CPU: pings start 20 s after a
    phone joins, so an idle rate measured once beforehand would miss them."""
    await asyncio.sleep(1)
    busy_cpu = busy_time = idle_cpu = idle_time = 0.0
    delivered = 0
    for round_ in range(FANOUT_ROUNDS):
        before = received()
        cpu0, t0 = process.cpu_seconds(), time.perf_counter()
        await update(round_)
        deadline = t0 + 30
        while received() - before < connections and time.perf_counter() < deadline:
            await asyncio.sleep(0.002)
        cpu1, t1 = process.cpu_seconds(), time.perf_counter()
        delivered += received() - before
        await asyncio.sleep(gap)
        cpu2, t2 = process.cpu_seconds(), time.perf_counter()
        busy_cpu, busy_time = busy_cpu + cpu1 - cpu0, busy_time + t1 - t0
        idle_cpu, idle_time = idle_cpu + cpu2 - cpu1, idle_time + t2 - t1
    idle_rate = idle_cpu / max(1e-9, idle_time)
    cpu = busy_cpu - idle_rate * busy_time
    return {
        "cpu_us_per_frame": 1e6 * cpu / max(1, delivered),
        "delivered": delivered,
        "idle_cpu_share": idle_rate,
    }


async def fanout(
    console: Console, phones: list[Phone], process: servers.Process
) -> dict[str, float]:
    """CPU per connection per update while every phone receives new views."""

    async def update(round_: int) -> None:
        await console.do("goto", activity="b" if round_ % 2 == 0 else "a")

    return await rounds(
        process, update, lambda: sum(p.views for p in phones), len(phones), fanout_gap(len(phones))
    )


async def floor_fanout(n: int, size: int) -> dict[str, float]:
    port = servers.free_port()
    process = servers.Process([sys.executable, "-m", "bench.floor", str(port)], port, core=0)
    process.start()
    clients: list[Any] = []
    try:
        from bench.wire import Wire

        async def connect(delay: float) -> Any:
            await asyncio.sleep(delay)
            return await Wire.connect("127.0.0.1", port, "/ws")

        clients = await asyncio.gather(*(connect(i * 2 / n) for i in range(n)))
        counts = [0] * n

        async def read(i: int, wire: Any) -> None:
            while True:
                await wire.recv()
                counts[i] += 1

        async def update(_: int) -> None:
            await asyncio.to_thread(servers.api_get, port, f"/broadcast?size={size}")

        readers = [asyncio.create_task(read(i, w)) for i, w in enumerate(clients)]
        result = await rounds(process, update, lambda: sum(counts), n, fanout_gap(n))
        for task in readers:
            task.cancel()
        return result
    finally:
        for wire in clients:
            wire.abort()
        process.close()


async def vote_burst(
    phones: list[Phone], screen: Screen, seconds: float, chaos: dict[str, Any] | None
) -> dict[str, Any]:
    options = ["o1", "o2", "o3", "o4", "o5", "none"]
    screen.seen.clear()
    start = time.perf_counter()
    schedule = sorted(random.uniform(0, seconds) for _ in phones)
    sent_at: list[float] = []

    async def vote(phone: Phone, at: float) -> None:
        await asyncio.sleep(max(0.0, start + at - time.perf_counter()))
        sent_at.append(time.perf_counter())
        phone.send("vote", activity="poll", choices=[random.choice(options)])

    done = await asyncio.gather(
        *(vote(p, at) for p, at in zip(phones, schedule, strict=True)),
        *([chaos["task"]] if chaos else []),
    )
    faults = done[-1] if chaos else None
    deadline = time.perf_counter() + (120 if chaos else 30)
    while time.perf_counter() < deadline and (
        any(p.outbox for p in phones) or not screen.seen or screen.seen[-1][1] < len(phones)
    ):
        await asyncio.sleep(0.1)
    # vote -> screen: the k-th vote sent is on the screen once the screen shows k voters.
    latencies = []
    seen = screen.seen
    index = 0
    for k, sent in enumerate(sorted(sent_at), start=1):
        while index < len(seen) and (seen[index][1] < k or seen[index][0] < sent):
            index += 1
        if index < len(seen):
            latencies.append(seen[index][0] - sent)
    acks = [
        c.acked - c.sent
        for p in phones
        for c in p.commands.values()
        if c.message["type"] == "vote" and c.acked is not None
    ]
    return {
        "screen_ms": [1000 * x for x in latencies],
        "ack_ms": [1000 * x for x in acks],
        "seconds": time.perf_counter() - start,
        "faults": faults,
    }


async def notes_flood(
    phones: list[Phone], per_phone: int, process: servers.Process, first_round: int = 0
) -> dict[str, Any]:
    """Every phone posts `per_phone` notes at once: acknowledged (durable) inputs per second
    from the first send to the last ack, and the server's CPU per acknowledged input."""
    cpu0, start = process.cpu_seconds(), time.perf_counter()
    ids = []
    for round_ in range(first_round, first_round + per_phone):
        for index, phone in enumerate(phones):
            text = f"note {index}-{round_} fra benken"
            ids.append((phone, phone.send("note", activity="notes", text=text)))
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline and any(p.outbox for p in phones):
        await asyncio.sleep(0.02)
    cpu = process.cpu_seconds() - cpu0
    notes = [phone.commands[command_id] for phone, command_id in ids]
    done = [c for c in notes if c.acked is not None]
    last = max((c.acked for c in done), default=start)
    return {
        "acked": len(done),
        "sent": len(notes),
        "per_s": len(done) / max(1e-9, last - start),
        "cpu_us_per_input": 1e6 * cpu / max(1, len(done)),
    }


async def notes_floods(
    phones: list[Phone], process: servers.Process, floods: int, per_phone: int
) -> dict[str, Any]:
    """The notes flood `floods` times over (one flood lasts about a second, so one noisy
    second would move a single figure by a lot): the median and range of durable inputs/s,
    and the server's CPU per input in the first flood (phones hold up to `per_phone` notes)
    and the fourth (up to 4 × `per_phone`): what an input costs must not grow with what a
    phone has posted."""
    results = []
    for flood in range(floods):
        results.append(await notes_flood(phones, per_phone, process, flood * per_phone))
        await asyncio.sleep(0.5)  # the writer and the room settle between floods
    rates = [r["per_s"] for r in results]
    summary: dict[str, Any] = {
        "acked": sum(r["acked"] for r in results),
        "sent": sum(r["sent"] for r in results),
        "per_s_median": statistics.median(rates),
        "per_s_min": min(rates),
        "per_s_max": max(rates),
        "per_s_runs": [round(r) for r in rates],
        "cpu_us_per_input": [round(r["cpu_us_per_input"], 1) for r in results],
    }
    return summary


async def chaos_monkey(
    phones: list[Phone], process: servers.Process, seconds: float, stop: asyncio.Event
) -> dict[str, int]:
    """Drop random phones mid-send; SIGKILL the server halfway and start it again."""
    drops = 0
    start = time.perf_counter()
    killed = False
    while time.perf_counter() - start < seconds:
        await asyncio.sleep(0.2)
        for phone in random.sample(phones, max(1, len(phones) // 50)):
            phone.drop()
            drops += 1
        if not killed and time.perf_counter() - start > seconds / 2:
            process.kill()
            await asyncio.sleep(0.5)
            await asyncio.to_thread(process.start)
            killed = True
    return {"drops": drops, "kills": int(killed)}


async def run(n: int, chaos: bool) -> dict[str, Any]:
    descriptors.raise_limit()  # the swarm's thousands of sockets
    pinned = servers.pin(0, 1)
    port = servers.free_port()
    tmp = Path(tempfile.mkdtemp(prefix="facilitate-bench-"))
    process = servers.app_server(port, tmp / "bench.db", core=0 if pinned else None)
    process.start()
    result: dict[str, Any] = {"participants": n, "chaos": chaos}
    try:
        meeting = servers.api(port, "POST", "/api/meetings", PLAN)
        code, key = meeting["code"], meeting["facilitator_key"]
        console = Console("127.0.0.1", port, code, key)
        screen = Screen("127.0.0.1", port, code, meeting["screen_key"])
        await console.join()
        await screen.join()
        await console.do("goto", activity="a")
        rss0 = process.rss_kib()

        phones = [Phone("127.0.0.1", port, code) for _ in range(n)]
        t0 = time.perf_counter()
        failed, join_times = await join_storm(phones, seconds=10)
        result["join_seconds"] = round(time.perf_counter() - t0, 2)
        result["failed_joins"] = failed
        result["join_p99_ms"] = round(1000 * percentile(join_times, 99), 1)
        joined = [p for p in phones if p.joins]
        await asyncio.sleep(2)
        result["rss_kib_per_participant"] = round((process.rss_kib() - rss0) / max(1, n), 1)

        app_fanout = await fanout(console, joined, process)
        frame_size = len(json.dumps({"type": "view", "view": {}})) + 120  # measured below
        stop = asyncio.Event()
        keepers = (
            [asyncio.create_task(c.keep_connected(stop)) for c in [*joined, console, screen]]
            if chaos
            else []
        )

        # A phone that stops reading, with a tiny receive buffer so it stalls quickly.
        stalled = Phone("127.0.0.1", port, code)
        await stalled.join(rcvbuf=4096)
        stalled._reader.cancel()  # type: ignore[union-attr]  # it never reads again
        stalled_at = time.perf_counter()
        stall_watch = asyncio.create_task(_dropped(stalled, wait=90))

        await console.do("goto", activity="poll")
        monkey: dict[str, Any] | None = None
        if chaos:
            monkey = {"task": chaos_monkey(joined, process, 10, stop)}
        burst = await vote_burst(joined, screen, 10, monkey)
        result["vote_burst_seconds"] = round(burst["seconds"], 2)
        for p in (50, 95, 99):
            result[f"vote_to_screen_p{p}_ms"] = round(percentile(burst["screen_ms"], p), 1)
        result["vote_ack_p99_ms"] = round(percentile(burst["ack_ms"], 99), 1)

        await console.do("goto", activity="notes")
        # Five floods of four notes a phone (twenty: the most a phone may post in a minute);
        # with chaos, one short flood (it checks the record, not the speed).
        floods = await notes_floods(joined, process, *((1, 2) if chaos else (FLOODS, 4)))
        result["durable_inputs_per_s"] = round(floods["per_s_median"])
        result["durable_inputs_per_s_range"] = (
            f"{floods['per_s_min']:.0f}-{floods['per_s_max']:.0f}"
        )
        result["durable_inputs_per_s_runs"] = floods["per_s_runs"]
        cpu = floods["cpu_us_per_input"]
        result["cpu_us_per_input_at_4_notes"] = cpu[0]
        if len(cpu) >= 4:
            result["cpu_us_per_input_at_16_notes"] = cpu[3]
        result["notes_acked"] = floods["acked"]
        result["notes_sent"] = floods["sent"]

        stop.set()
        for task in keepers:
            task.cancel()
        dropped = await stall_watch
        if not chaos:  # with chaos the server restarts, which drops everyone anyway
            result["stalled_phone_dropped_after_s"] = (
                round(dropped - stalled_at, 1) if dropped else "not within 90 s"
            )
        record = servers.api(port, "GET", f"/api/meetings/{code}/record", key=key)
        result["lost_inputs"] = _lost(record, joined)

        view_frame = await _phone_frame_size(port, code)
        frame_size = view_frame or frame_size
        for client in [*joined, console, screen, stalled]:
            client.drop()
        process.stop()
        floor = await floor_fanout(len(joined), frame_size)
        result["fanout_cpu_us_per_frame"] = round(app_fanout["cpu_us_per_frame"], 2)
        result["floor_cpu_us_per_frame"] = round(floor["cpu_us_per_frame"], 2)
        result["fanout_ratio_to_floor"] = round(
            app_fanout["cpu_us_per_frame"] / max(1e-9, floor["cpu_us_per_frame"]), 2
        )
        result["frame_bytes"] = frame_size
        result["idle_cpu_percent"] = round(100 * app_fanout["idle_cpu_share"], 1)
        if burst["faults"] is not None:
            result["chaos_connection_drops"] = burst["faults"]["drops"]
            result["chaos_server_kills"] = burst["faults"]["kills"]
    finally:
        process.close()
    result["machine"] = {
        "cores": os.cpu_count(),
        "pinned": pinned,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {
            name: metadata.version(name)
            for name in ("starlette", "uvicorn", "websockets", "sqlite-utils", "uvloop")
            if _installed(name)
        },
    }
    result["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    return result


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


async def _dropped(phone: Phone, wait: float = 90.0) -> float | None:
    """When the server dropped the phone that stopped reading, seen without reading: the
    kernel marks the socket CLOSE_WAIT once the server's FIN (or CLOSE on its reset) arrives."""
    import socket

    assert phone.wire is not None
    sock = phone.wire.writer.get_extra_info("socket")
    deadline = time.perf_counter() + wait
    while time.perf_counter() < deadline:
        state = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]
        if state in (7, 8):  # TCP_CLOSE, TCP_CLOSE_WAIT
            return time.perf_counter()
        await asyncio.sleep(0.25)
    return None


async def _phone_frame_size(port: int, code: str) -> int:
    phone = Phone("127.0.0.1", port, code)
    sizes: list[int] = []
    phone.on_frame = lambda frame: sizes.append(len(frame))  # type: ignore[method-assign]
    await phone.join()
    await asyncio.sleep(0.1)
    await phone.close()
    return sizes[0] if sizes else 0


def _lost(record: dict[str, Any], phones: list[Phone]) -> int:
    """Acknowledged inputs missing from the record, plus inputs never acknowledged."""
    activities = {a["id"]: a for a in record["activities"]}
    board = activities["notes"]
    texts = [n["text"] for n in [*board["notes"], *board["moderation"]]]  # held ones are kept
    counted = collections.Counter(texts)  # 100,000 notes after five floods: not n² counts
    lost = 0
    voters = 0
    for phone in phones:
        votes = [c for c in phone.commands.values() if c.message["type"] == "vote"]
        lost += sum(1 for c in phone.commands.values() if c.acked is None)
        if any(c.acked and not c.error and c.message["choices"] for c in votes):
            voters += 1
        for c in phone.commands.values():
            if c.message["type"] == "note" and c.acked and not c.error:
                if counted.get(c.message["text"], 0) != 1:
                    lost += 1
    lost += abs(activities["poll"]["tally"]["voters"] - voters)
    return lost


def table(result: dict[str, Any]) -> str:
    rows = ["| figure | value |", "| --- | ---: |"]
    for name, value in result.items():
        if name != "machine":
            rows.append(f"| {name} | {value} |")
    m = result["machine"]
    rows.append(f"| machine | {m['cores']} cores, Python {m['python']}, pinned={m['pinned']} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--participants", type=int, default=int(os.environ.get("PARTICIPANTS", "5000"))
    )
    parser.add_argument("--chaos", action="store_true", default=bool(os.environ.get("CHAOS")))
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args()
    result = asyncio.run(run(args.participants, args.chaos))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
