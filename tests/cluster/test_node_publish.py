"""What an owner tells the copies: one message per meeting for all one turn's commits."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from facilitate.cluster.node import Node, meeting_channel
from facilitate.core.events import Event


class Relay:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        self.sent.append((channel, message))


@pytest.mark.asyncio
async def test_when_many_inputs_commit_in_one_turn_then_each_meeting_gets_one_message() -> None:
    node = Node(SimpleNamespace(), None)  # type: ignore[arg-type]
    relay = Relay()
    node.relay = relay  # type: ignore[assignment]
    lives = {code: SimpleNamespace(row=SimpleNamespace(code=code)) for code in ("111111", "222222")}
    for seq in range(2, 5):
        for live in lives.values():
            node.committed(live, [(seq, Event("note_added", {"n": seq}, "p1", 1.0), f"c{seq}")])  # type: ignore[arg-type]
    assert relay.sent == []  # not one per input
    await asyncio.sleep(0)
    assert [channel for channel, _ in relay.sent] == [meeting_channel(c) for c in lives]
    for _, message in relay.sent:
        assert [row[0] for row in message["rows"]] == [2, 3, 4]  # in the order committed
        assert message["rows"][0][1:] == ["note_added", {"n": 2}, "p1", 1.0, "c2"]
