"""The cluster benchmark: `make bench-cluster` (PHONES=N for scenario (a), MEETINGS and
PER_MEETING for (b), KILLS for the failovers).

Starts a real PostgreSQL (fsync on) and Redis on loopback, then `facilitate serve` nodes in
cluster mode, and prints a Markdown table (also bench/results/cluster.json). Figures, not
pass/fail: the targets are in docs/cluster.md.

- single: one node, every phone and the screen on it: the baseline of the same run.
- (a) one meeting, three nodes: the owner is node 1, the phones are spread over all three and
  the screen is on node 3, so every vote crosses the relay on its way in or out. Join storm,
  vote -> screen, and notes floods (durable inputs/s) against the baseline.
- (b) many meetings: MEETINGS meetings of PER_MEETING phones, owners and phones spread over
  the nodes; every phone posts a note: joins and durable inputs/s.
- failover: KILLS times, a meeting's owner is SIGKILLed while phones on the other nodes post
  notes; the time from the kill to the first note acknowledged after it, and the notes lost
  (missing from the record or in it twice: must be 0). The killed node is started again.
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
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
from redis import Redis

from bench import server as servers
from bench.backing import start_postgres, start_redis
from bench.run import PLAN, join_storm, notes_floods, percentile, vote_burst
from bench.swarm import Console, Phone, Screen, hang_up
from facilitate import descriptors

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
NODES = 3
# Many meetings from one address: lift the per-address cap on new meetings too.
OPEN = {"FACILITATE_MEETINGS_PER_HOUR": "0"}


def node(pg: str, redis: str) -> servers.Process:
    process = servers.app_server(servers.free_port(), pg, core=None, redis=redis)
    process.env = {**(process.env or {}), **OPEN}
    return process


async def one_meeting(nodes: list[servers.Process], phones: int) -> dict[str, Any]:
    """A meeting owned by nodes[0], phones spread over `nodes`, the screen on the last."""
    owner, watcher = nodes[0], nodes[-1]
    meeting = servers.api(owner.port, "POST", "/api/meetings", PLAN)
    code, key = meeting["code"], meeting["facilitator_key"]
    console = Console(HOST, owner.port, code, key)
    screen = Screen(HOST, watcher.port, code, meeting["screen_key"])
    await console.join()
    await screen.join()
    crowd = [Phone(HOST, nodes[i % len(nodes)].port, code) for i in range(phones)]
    t0 = time.perf_counter()
    failed, join_times = await join_storm(crowd, seconds=5)
    joined = [p for p in crowd if p.joins]
    figures: dict[str, Any] = {
        "joins": len(joined),
        "failed_joins": failed,
        "join_seconds": round(time.perf_counter() - t0, 2),
        "join_p99_ms": round(1000 * percentile(join_times, 99), 1),
    }
    await console.do("goto", activity="poll")
    burst = await vote_burst(joined, screen, 5, None)
    for p in (50, 95, 99):
        figures[f"vote_to_screen_p{p}_ms"] = round(percentile(burst["screen_ms"], p), 1)
    await console.do("goto", activity="notes")
    floods = await notes_floods(joined, owner, 3, 2)
    figures["durable_inputs_per_s"] = round(floods["per_s_median"])
    figures["inputs_unacked"] = floods["sent"] - floods["acked"]
    for client in (console, screen, *crowd):
        await client.close()
    return figures


async def many_meetings(
    nodes: list[servers.Process], meetings: int, per_meeting: int
) -> dict[str, Any]:
    """Meetings owned round-robin by the nodes, each with phones on every node."""
    made = [
        servers.api(nodes[m % len(nodes)].port, "POST", "/api/meetings", PLAN)
        for m in range(meetings)
    ]
    consoles = [
        Console(HOST, nodes[m % len(nodes)].port, x["code"], x["facilitator_key"])
        for m, x in enumerate(made)
    ]
    await asyncio.gather(*(c.join() for c in consoles))
    await asyncio.gather(*(c.do("goto", activity="notes") for c in consoles))
    crowd = [
        Phone(HOST, nodes[(m + i) % len(nodes)].port, x["code"])
        for m, x in enumerate(made)
        for i in range(per_meeting)
    ]
    t0 = time.perf_counter()
    failed, _ = await join_storm(crowd, seconds=10)
    join_seconds = time.perf_counter() - t0
    joined = [p for p in crowd if p.joins]
    start = time.perf_counter()
    for phone in joined:
        phone.send("note", activity="notes", text=f"{phone.name}: hva mangler")
    deadline = start + 120
    while time.perf_counter() < deadline and any(p.outbox for p in joined):
        await asyncio.sleep(0.02)
    acked = [c.acked for p in joined for c in p.commands.values() if c.acked is not None]
    for client in (*consoles, *crowd):
        await client.close()
    return {
        "meetings": meetings,
        "phones": len(crowd),
        "failed_joins": failed,
        "join_seconds": round(join_seconds, 2),
        "inputs_acked": len(acked),
        "durable_inputs_per_s": round(len(acked) / max(1e-9, max(acked, default=start) - start)),
    }


async def failover(nodes: list[servers.Process], victim: int) -> dict[str, Any]:
    """Kill the owner of a busy meeting; returns the seconds until input is acked again and
    the notes lost or doubled. The victim is started again afterwards."""
    owner = nodes[victim]
    others = [n for i, n in enumerate(nodes) if i != victim]
    meeting = servers.api(owner.port, "POST", "/api/meetings", PLAN)
    code, key = meeting["code"], meeting["facilitator_key"]
    console = Console(HOST, owner.port, code, key)
    await console.join()
    await console.do("goto", activity="notes")
    phones = [Phone(HOST, others[i % len(others)].port, code) for i in range(6)]
    await asyncio.gather(*(p.join() for p in phones))
    stop = asyncio.Event()
    keepers = [asyncio.create_task(p.keep_connected(stop, backoff=0.1)) for p in phones]
    sent: list[str] = []
    killed_at: float | None = None

    def post() -> None:
        phone = random.choice(phones)
        text = f"{phone.name}: lapp {len(sent)}"
        phone.send("note", activity="notes", text=text)
        sent.append(text)

    loop_start = time.perf_counter()
    while time.perf_counter() - loop_start < 1.0:  # a steady stream before the kill
        post()
        await asyncio.sleep(0.05)
    owner.kill()
    killed_at = time.perf_counter()
    after: list[str] = []
    while time.perf_counter() - killed_at < 15:
        post()
        after.append(sent[-1])
        await asyncio.sleep(0.05)
        if _first_ack(phones, after) is not None and time.perf_counter() - killed_at > 1:
            break
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and any(p.outbox for p in phones):
        await asyncio.sleep(0.05)
    first = _first_ack(phones, after)
    record = servers.api(others[0].port, "GET", f"/api/meetings/{code}/record", key=key)
    board = next(a for a in record["activities"] if a["id"] == "notes")
    stored = collections.Counter(n["text"] for n in [*board["notes"], *board["moderation"]])
    lost = sum(1 for text in sent if stored.get(text, 0) != 1)
    await hang_up(stop, keepers, [console, *phones])
    await asyncio.to_thread(owner.start)
    return {"seconds": None if first is None else first - killed_at, "lost": lost}


def database_bytes(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


def redis_traffic(url: str) -> tuple[int, int]:
    """Commands Redis has processed, and bytes it has received, so far."""
    with Redis.from_url(url) as client:
        stats = client.info("stats")
    return int(stats["total_commands_processed"]), int(stats["total_net_input_bytes"])


def say(what: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {what}", file=sys.stderr, flush=True)


def _first_ack(phones: list[Phone], texts: list[str]) -> float | None:
    wanted = set(texts)
    acks = [
        c.acked
        for p in phones
        for c in p.commands.values()
        if c.acked is not None and c.message.get("text") in wanted
    ]
    return min(acks, default=None)


async def run(phones: int, meetings: int, per_meeting: int, kills: int) -> dict[str, Any]:
    descriptors.raise_limit()
    tmp = Path(tempfile.mkdtemp(prefix="facilitate-bench-cluster-"))
    pg, redis = start_postgres(tmp, durable=True), start_redis(tmp)
    nodes = [node(pg.url, redis.url) for _ in range(NODES)]
    result: dict[str, Any] = {"nodes": NODES, "phones": phones}
    try:
        for n in nodes:
            n.start()
        say("one meeting on one node")
        single = await one_meeting(nodes[:1], phones)
        say("one meeting over three nodes")
        spread = await one_meeting(nodes, phones)
        for name, value in single.items():
            result[f"single_{name}"] = value
        for name, value in spread.items():
            result[f"cluster_{name}"] = value
        result["relay_overhead_vote_to_screen_p99"] = round(
            spread["vote_to_screen_p99_ms"] / max(1e-9, single["vote_to_screen_p99_ms"]), 2
        )
        say(f"{meetings} meetings of {per_meeting} phones")
        size0, traffic0 = database_bytes(pg.url), redis_traffic(redis.url)
        many = await many_meetings(nodes, meetings, per_meeting)
        size1, traffic1 = database_bytes(pg.url), redis_traffic(redis.url)
        for name, value in many.items():
            result[f"many_{name}"] = value
        # What sizing needs (docs/cluster.md): per phone that joined and posted one note.
        crowd = max(1, many["phones"])
        result["many_database_bytes_per_phone"] = round((size1 - size0) / crowd)
        result["many_redis_commands_per_phone"] = round((traffic1[0] - traffic0[0]) / crowd, 1)
        result["many_redis_bytes_in_per_phone"] = round((traffic1[1] - traffic0[1]) / crowd)
        outcomes = []
        for k in range(kills):
            say(f"failover {k + 1} of {kills}")
            outcomes.append(await failover(nodes, k % NODES))
        times = [o["seconds"] for o in outcomes if o["seconds"] is not None]
        result["failovers"] = kills
        result["failover_p50_s"] = round(statistics.median(times), 2) if times else None
        result["failover_p99_s"] = round(percentile(times, 99), 2) if times else None
        result["failovers_without_ack"] = kills - len(times)
        result["failover_inputs_lost"] = sum(o["lost"] for o in outcomes)
    except BaseException:
        for i, n in enumerate(nodes):
            say(f"node {i + 1} said:\n{n.output()[-3000:]}")
        raise
    finally:
        for n in nodes:
            n.kill()
            n.close()
        redis.stop()
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    result["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    result["machine"] = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    env = os.environ.get
    parser.add_argument("--phones", type=int, default=int(env("PHONES", "1500")))
    parser.add_argument("--meetings", type=int, default=int(env("MEETINGS", "200")))
    parser.add_argument("--per-meeting", type=int, default=int(env("PER_MEETING", "50")))
    parser.add_argument("--kills", type=int, default=int(env("KILLS", "10")))
    parser.add_argument("--out", type=Path, default=HERE / "results" / "cluster.json")
    args = parser.parse_args()
    result = asyncio.run(run(args.phones, args.meetings, args.per_meeting, args.kills))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print("| figure | value |\n| --- | ---: |")
    for name, value in result.items():
        print(f"| {name} | {value} |")
    print(f"\nwritten to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
