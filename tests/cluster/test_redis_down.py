"""Redis going away while a meeting runs loses nothing (docs/cluster.md).

Node A owns the meeting; some phones are on A, some on B. Redis stops: the phones on A keep
getting their notes acked (the owner needs no relay to decide and commit), the phones on B are
told to reconnect and wait, and once Redis is back they come back through B and resend. The
record then holds every note exactly once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from bench.backing import RedisServer
from bench.server import Process, api
from bench.swarm import Console, Phone, hang_up
from cluster.helpers import SERVERS_COME_AND_GO, keep_connected, wait_for

pytestmark = SERVERS_COME_AND_GO

HOST = "127.0.0.1"
EACH = 4  # phones on each node
AGENDA = {
    "title": "Møte uten Redis",
    "language": "nb",
    "activities": [{"id": "ideas", "kind": "notes", "title": "Hva mangler?"}],
}


def post(phones: list[Phone], round_: int) -> list[str]:
    texts = []
    for phone in phones:
        text = f"{phone.name}: lapp {round_}"
        phone.send("note", activity="ideas", text=text)
        texts.append(text)
    return texts


async def scenario(
    a: Process, b: Process, redis: RedisServer, code: str, key: str
) -> dict[str, Any]:
    console = Console(HOST, a.port, code, key)
    on_a = [Phone(HOST, a.port, code) for _ in range(EACH)]
    on_b = [Phone(HOST, b.port, code) for _ in range(EACH)]
    stop = asyncio.Event()
    keepers: list[asyncio.Task[None]] = []
    texts: list[str] = []
    try:
        await console.join(timeout=10)
        assert (await console.do("goto", activity="ideas")).error is None
        assert (await console.do("open", activity="ideas")).error is None
        await asyncio.gather(*(phone.join(timeout=10) for phone in [*on_a, *on_b]))
        keepers = [asyncio.create_task(keep_connected(p, stop)) for p in [*on_a, *on_b]]
        texts += post([*on_a, *on_b], 1)
        await wait_for(lambda: not any(p.outbox for p in [*on_a, *on_b]), 10, "the first acks")

        redis.stop()
        texts += post(on_a, 2)
        await wait_for(lambda: not any(p.outbox for p in on_a), 10, "A's acks without Redis")
        texts += post(on_b, 2)
        await asyncio.sleep(1.5)
        waiting_without_redis = sum(len(p.outbox) for p in on_b)

        redis.start()
        await wait_for(lambda: not any(p.outbox for p in on_b), 30, "B's acks with Redis back")
        return {
            "phones": [*on_a, *on_b],
            "texts": texts,
            "waited": waiting_without_redis,
            "b_joins": [p.joins for p in on_b],
        }
    finally:
        await hang_up(stop, keepers, [console, *on_a, *on_b])


def test_when_redis_goes_away_then_the_owner_keeps_working_and_relayed_phones_resend_later(
    nodes: tuple[Process, Process], redis: RedisServer
) -> None:
    a, b = nodes
    created = api(a.port, "POST", "/api/meetings", AGENDA)
    code, key = created["code"], created["facilitator_key"]

    outcome = asyncio.run(scenario(a, b, redis, code, key))

    assert outcome["waited"] == EACH, "B's phones were acked while the owner was unreachable"
    assert all(joins >= 2 for joins in outcome["b_joins"]), "B's phones were not reconnected"
    notes = [s for p in outcome["phones"] for s in p.commands.values()]
    assert [s.error for s in notes if s.error is not None] == []
    record = api(a.port, "GET", f"/api/meetings/{code}/record", key=key)
    board = next(x for x in record["activities"] if x["id"] == "ideas")
    stored = Counter(note["text"] for note in [*board["notes"], *board["moderation"]])
    assert {t: n for t, n in stored.items() if n > 1} == {}, "notes stored twice"
    assert sorted(set(outcome["texts"]) - set(stored)) == [], "notes lost"
    assert len(stored) == 4 * EACH  # two rounds on each node
    for node in (a, b):
        assert "Traceback" not in node.output(), node.output()[-3000:]
