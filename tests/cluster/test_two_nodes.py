"""Two real servers on one PostgreSQL log and one Redis: any server serves any meeting, and the
loss of the one that owns a meeting loses nothing (docs/cluster.md).

Node A creates the meeting and owns it; the console and the screen are on A. Phones connect to
node B only: their votes reach A's screen through the relay. Then phones on B post notes while A
is SIGKILLed: B takes the meeting over once A's lease runs out, the phones' unacknowledged notes
are decided by B, and the record holds every note sent exactly once.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from bench.server import Process, api
from bench.swarm import Console, Phone, Screen, hang_up
from cluster.helpers import SERVERS_COME_AND_GO, keep_connected, wait_for

pytestmark = SERVERS_COME_AND_GO

HOST = "127.0.0.1"
PHONES = 8
AGENDA = {
    "title": "Klyngemøte",
    "language": "nb",
    "activities": [
        {"id": "poll", "kind": "poll", "title": "Hvor trygg?", "options": ["Trygg", "Utrygg"]},
        {"id": "ideas", "kind": "notes", "title": "Hva mangler?"},
    ],
}
TAKEOVER_SECONDS = 10.0  # the bound; the lease runs out after 3 s


async def scenario(a: Process, b: Process, code: str, key: str, screen_key: str) -> dict[str, Any]:
    console = Console(HOST, a.port, code, key)
    screen = Screen(HOST, a.port, code, screen_key)
    phones = [Phone(HOST, b.port, code) for _ in range(PHONES)]
    stop = asyncio.Event()
    keepers: list[asyncio.Task[None]] = []
    try:
        await console.join(timeout=10)
        await screen.join(timeout=10)
        assert (await console.do("goto", activity="poll")).error is None
        assert (await console.do("open", activity="poll")).error is None
        await asyncio.gather(*(phone.join(timeout=10) for phone in phones))

        # Votes on B reach the screen on A.
        votes = await asyncio.gather(
            *(
                phone.do("vote", activity="poll", choices=[f"o{i % 2 + 1}"])
                for i, phone in enumerate(phones)
            )
        )
        assert [v.error for v in votes] == [None] * PHONES
        await wait_for(lambda: bool(screen.seen) and screen.seen[-1][1] == PHONES, 10, "A's screen")

        assert (await console.do("goto", activity="ideas")).error is None
        assert (await console.do("open", activity="ideas")).error is None
        keepers = [asyncio.create_task(keep_connected(p, stop)) for p in phones]
        texts = [f"{phone.name}: lapp {n}" for n in range(6) for phone in phones]
        for text in texts[: len(texts) // 2]:
            phones[texts.index(text) % PHONES].send("note", activity="ideas", text=text)
        await wait_for(lambda: not any(p.outbox for p in phones), 10, "the first notes' acks")

        a.kill()  # SIGKILL: A's lease stays in the table until it runs out
        killed = time.monotonic()
        for text in texts[len(texts) // 2 :]:
            phones[texts.index(text) % PHONES].send("note", activity="ideas", text=text)
        await wait_for(lambda: not any(p.outbox for p in phones), 30, "every note's ack on B")
        first_ack = min(
            s.acked
            for p in phones
            for s in p.commands.values()
            if s.message.get("text") in texts[len(texts) // 2 :] and s.acked is not None
        )
        took = first_ack - (killed - time.monotonic() + time.perf_counter())
        return {"phones": phones, "texts": texts, "took": took}
    finally:
        await hang_up(stop, keepers, [console, screen, *phones])


def test_when_the_owner_is_killed_then_the_other_node_takes_over_and_keeps_every_note(
    nodes: tuple[Process, Process],
) -> None:
    a, b = nodes
    created = api(a.port, "POST", "/api/meetings", AGENDA)
    code, key = created["code"], created["facilitator_key"]

    outcome = asyncio.run(scenario(a, b, code, key, created["screen_key"]))

    print(f"B took the meeting over {outcome['took']:.2f} s after A was killed")
    assert outcome["took"] < TAKEOVER_SECONDS, outcome["took"]
    commands = [s for phone in outcome["phones"] for s in phone.commands.values()]
    notes = [s for s in commands if s.message["type"] == "note"]
    assert [s.error for s in notes if s.error is not None] == []
    assert all(s.acked is not None for s in notes)
    record = api(b.port, "GET", f"/api/meetings/{code}/record", key=key)
    board = next(x for x in record["activities"] if x["id"] == "ideas")
    stored = Counter(note["text"] for note in [*board["notes"], *board["moderation"]])
    assert {t: n for t, n in stored.items() if n > 1} == {}, "notes stored twice"
    assert sorted(set(outcome["texts"]) - set(stored)) == [], "notes lost"
    assert sorted(set(stored) - set(outcome["texts"])) == [], "notes nobody sent"
    poll = next(x for x in record["activities"] if x["id"] == "poll")
    assert poll["tally"]["voters"] == PHONES
    log = b.output()
    assert "Traceback" not in log, log[-3000:]
