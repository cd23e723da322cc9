"""Outlets and rooms: the newest view per connection, direct messages first, coalesced renders."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from facilitate.hub import MAX_DIRECT, ROLES, Outlet, Room, Stalled, corked


class FakeMeeting:
    """Render functions that count their calls and say what they rendered."""

    def __init__(self) -> None:
        self.version = 0
        self.renders: Counter[str] = Counter()
        self.mine: Counter[str] = Counter()

    def render(self, role: str) -> str:
        self.renders[role] += 1
        return f"{role}@{self.version}"

    def render_mine(self, pid: str) -> str:
        self.mine[pid] += 1
        return f"mine:{pid}@{self.version}"


@pytest_asyncio.fixture
async def fake() -> FakeMeeting:
    return FakeMeeting()


@pytest_asyncio.fixture
async def room(fake: FakeMeeting) -> AsyncIterator[Room]:
    running = Room(fake.render, fake.render_mine, tick=0.001, phone_tick=0.002)
    try:
        yield running
    finally:
        await running.close()


async def next_frame(outlet: Outlet) -> str:
    """The outlet's next frame; fails instead of hanging when none comes."""
    return await asyncio.wait_for(outlet.next(), 5)


async def idle_ticks(room: Room, ticks: int = 20) -> None:
    """Let the room's ticker run for a while with nothing new to do."""
    await asyncio.sleep(ticks * room.phone_tick)


# -- Outlet ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_when_views_pile_up_then_the_outlet_keeps_only_the_newest() -> None:
    outlet = Outlet("screen")
    for n in range(5):
        outlet.offer(f"view {n}")
    assert await next_frame(outlet) == "view 4"
    waiting = asyncio.ensure_future(outlet.next())
    await asyncio.sleep(0)
    assert not waiting.done()  # nothing more to send: it waits
    outlet.offer("view 5")
    assert await asyncio.wait_for(waiting, 5) == "view 5"


@pytest.mark.asyncio
async def test_when_direct_messages_wait_then_they_go_first_and_in_order() -> None:
    outlet = Outlet("participant", "p1")
    outlet.offer("view 1")
    outlet.push("ack 1")
    outlet.offer("view 2")
    outlet.push("error 2")
    outlet.push("ack 3")
    frames = [await next_frame(outlet) for _ in range(4)]
    assert frames == ["ack 1", "error 2", "ack 3", "view 2"]


@pytest.mark.asyncio
async def test_when_a_direct_message_arrives_then_a_waiting_sender_wakes() -> None:
    outlet = Outlet("participant", "p1")
    waiting = asyncio.ensure_future(outlet.next())
    await asyncio.sleep(0)
    outlet.push("ack")
    assert await asyncio.wait_for(waiting, 5) == "ack"


@pytest.mark.asyncio
async def test_when_the_direct_queue_overflows_then_next_raises_stalled() -> None:
    outlet = Outlet("participant", "p1")
    for n in range(MAX_DIRECT):
        outlet.push(f"ack {n}")
    assert not outlet.stalled
    outlet.push("one too many")
    assert outlet.stalled
    with pytest.raises(Stalled):
        await next_frame(outlet)


# -- Room --------------------------------------------------------------------------------


def fill(room: Room, phones: int, screens: int, consoles: int) -> dict[str, list[Outlet]]:
    outlets: dict[str, list[Outlet]] = {role: [] for role in ROLES}
    for n in range(phones):
        outlets["participant"].append(Outlet("participant", f"p{n}"))
    outlets["screen"] = [Outlet("screen") for _ in range(screens)]
    outlets["facilitator"] = [Outlet("facilitator") for _ in range(consoles)]
    for group in outlets.values():
        for outlet in group:
            room.enter(outlet)
    return outlets


@pytest.mark.asyncio
async def test_when_many_outlets_wait_then_each_role_is_rendered_once_per_tick(
    room: Room, fake: FakeMeeting
) -> None:
    outlets = fill(room, phones=200, screens=3, consoles=2)
    for version in range(1, 21):  # twenty changes before the first tick
        fake.version = version
        room.changed()
    for role, group in outlets.items():
        for outlet in group:
            assert await next_frame(outlet) == f"{role}@20"
    assert fake.renders == {"participant": 1, "screen": 1, "facilitator": 1}
    assert room.renders == 3
    assert room.count("participant") == 200 and room.count("screen") == 3


@pytest.mark.asyncio
async def test_when_a_role_has_no_outlets_then_it_is_not_rendered(
    room: Room, fake: FakeMeeting
) -> None:
    outlets = fill(room, phones=50, screens=1, consoles=0)
    room.changed()
    frames = {await next_frame(outlet) for group in outlets.values() for outlet in group}
    assert frames == {"participant@0", "screen@0"}  # the same text for the whole role
    await idle_ticks(room)
    assert fake.renders == {"participant": 1, "screen": 1}


@pytest.mark.asyncio
async def test_when_nothing_changed_then_nothing_is_rendered(room: Room, fake: FakeMeeting) -> None:
    outlets = fill(room, phones=10, screens=1, consoles=1)
    room.changed()
    for group in outlets.values():
        if group:  # a role with nobody connected (the helper here) is not rendered
            await next_frame(group[0])
    await idle_ticks(room)
    assert room.renders == 3
    assert fake.renders == {"participant": 1, "screen": 1, "facilitator": 1}


@pytest.mark.asyncio
async def test_when_only_presence_changes_then_phones_are_not_rerendered(
    room: Room, fake: FakeMeeting
) -> None:
    outlets = fill(room, phones=5, screens=1, consoles=1)
    room.changed()
    (phone, *_), (screen,), (console,) = (
        outlets[r] for r in ("participant", "screen", "facilitator")
    )
    assert [await next_frame(o) for o in (phone, screen, console)] == [
        "participant@0",
        "screen@0",
        "facilitator@0",
    ]
    fake.version = 1  # what a new render would show: on the screen, the count of phones
    room.enter(Outlet("participant", "late"))  # an arrival, and nothing else
    assert await next_frame(screen) == "screen@1"
    assert await next_frame(console) == "facilitator@1"
    await idle_ticks(room)
    assert fake.renders == {"participant": 1, "screen": 2, "facilitator": 2}


@pytest.mark.asyncio
async def test_when_a_participants_input_changes_then_only_their_outlets_get_it(
    room: Room, fake: FakeMeeting
) -> None:
    first, second = Outlet("participant", "p1"), Outlet("participant", "p1")
    other = Outlet("participant", "p2")
    for outlet in (first, second, other):
        room.enter(outlet)
    fake.version = 7
    room.changed(["p1", "gone"])  # "gone" is not connected: nothing rendered for it
    assert await next_frame(first) == "mine:p1@7"
    assert await next_frame(second) == "mine:p1@7"
    assert await next_frame(other) == "participant@7"
    assert fake.mine == {"p1": 1}


@pytest.mark.asyncio
async def test_when_the_last_connection_of_a_phone_leaves_then_it_is_not_counted(
    room: Room,
) -> None:
    first, second = Outlet("participant", "p1"), Outlet("participant", "p1")
    room.enter(first)
    room.enter(second)
    assert room.count("participant") == 1  # one participant with two tabs
    room.leave(first)
    assert room.count("participant") == 1
    room.leave(second)
    assert room.count("participant") == 0
    assert room.phones == {}


@pytest.mark.asyncio
async def test_when_changes_keep_coming_then_renders_stay_below_changes(
    room: Room, fake: FakeMeeting
) -> None:
    (screen,) = fill(room, phones=0, screens=1, consoles=0)["screen"]
    for version in range(1, 51):
        fake.version = version
        room.changed()
        if version % 10 == 0:
            await asyncio.sleep(0)  # let the loop breathe, as between websocket frames
    frame = await next_frame(screen)
    while frame != "screen@50":
        frame = await next_frame(screen)
    assert fake.renders["screen"] < 50


# -- pre-built frames written straight to an idle socket -----------------------------------------


class Socket:
    """A socket that takes pre-built frames while `open` and idle (see web/protocol.py)."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []
        self.busy = False  # something is waiting in its write buffer
        self.written = asyncio.Event()

    def write(self, frame: bytes) -> bool:
        if self.busy:
            return False
        self.frames.append(frame)
        self.written.set()
        return True


def framed(text: str) -> bytes:
    return b"<" + text.encode() + b">"


def direct_outlet(socket: Socket, role: str = "participant") -> Outlet:
    return Outlet(role, "p1" if role == "participant" else None, write=socket.write, framer=framed)


@pytest.mark.asyncio
async def test_when_an_outlet_is_idle_then_views_and_messages_go_straight_to_the_socket() -> None:
    socket = Socket()
    outlet = direct_outlet(socket)
    outlet.push("welcome")
    outlet.offer("view 1", framed("view 1"))
    assert socket.frames == [b"<welcome>", b"<view 1>"]
    waiting = asyncio.ensure_future(outlet.next())
    await asyncio.sleep(0.01)
    assert not waiting.done()  # the sender task had nothing to do
    waiting.cancel()


@pytest.mark.asyncio
async def test_when_the_socket_is_busy_then_frames_wait_for_the_sender_in_order() -> None:
    socket = Socket()
    outlet = direct_outlet(socket)
    socket.busy = True
    outlet.push("ack 1")
    socket.busy = False
    outlet.push("ack 2")  # must not overtake ack 1, which still waits
    outlet.offer("view 1", framed("view 1"))
    outlet.offer("view 2", framed("view 2"))  # a slow phone skips the stale view
    assert socket.frames == []
    assert [await next_frame(outlet) for _ in range(3)] == ["ack 1", "ack 2", "view 2"]


@pytest.mark.asyncio
async def test_when_a_send_is_under_way_then_nothing_is_written_past_it() -> None:
    socket = Socket()
    outlet = direct_outlet(socket)
    outlet.since = 1.0  # the sender task is in the middle of a send
    outlet.push("ack")
    assert socket.frames == []
    outlet.since = None
    assert await next_frame(outlet) == "ack"


@pytest.mark.asyncio
async def test_when_a_room_fans_out_then_each_role_is_framed_once_for_every_idle_socket(
    room: Room, fake: FakeMeeting
) -> None:
    frames: list[str] = []

    def counting(text: str) -> bytes:
        frames.append(text)
        return framed(text)

    sockets = [Socket() for _ in range(5)]
    for n, socket in enumerate(sockets):
        room.enter(Outlet("participant", f"p{n}", write=socket.write, framer=counting))
    fake.version = 1
    room.changed()
    await asyncio.wait_for(asyncio.gather(*(socket.written.wait() for socket in sockets)), 5)
    assert frames == ["participant@1"]
    assert all(socket.frames == [b"<participant@1>"] for socket in sockets)


@pytest.mark.asyncio
async def test_when_corked_then_each_connections_messages_go_out_in_one_write_at_the_end() -> None:
    first, second = Socket(), Socket()
    one, two = direct_outlet(first), direct_outlet(second)
    with corked():
        one.push("ack 1")
        two.push("ack A")
        one.push("ack 2")
        with corked():  # nested: the outer block writes
            one.push("ack 3")
        assert first.frames == second.frames == []
        one.offer("view", framed("view"))  # a view must not overtake the acks held back
        assert first.frames == []
    assert first.frames == [b"<ack 1><ack 2><ack 3>"]
    assert second.frames == [b"<ack A>"]
    assert await next_frame(one) == "view"  # the sender sends it after them
    one.push("ack 4")  # not corked: at once, as before
    assert first.frames[-1] == b"<ack 4>"


@pytest.mark.asyncio
async def test_when_a_corked_socket_cannot_take_the_write_then_the_sender_sends_in_order() -> None:
    socket = Socket()
    outlet = direct_outlet(socket)
    with corked():
        outlet.push("ack 1")
        outlet.push("ack 2")
        socket.busy = True  # its buffer filled meanwhile
    assert socket.frames == []
    assert [await next_frame(outlet) for _ in range(2)] == ["ack 1", "ack 2"]
