"""One bad actor on the hall's Wi-Fi: fresh identities for every vote, a flood of notes, a
flood of meetings. Each attack as a script would run it, then what the hall still gets.

Limits are small here (a burst of 5 new phones, a warning at 4 joins or notes a minute, 3
meetings an hour), so each test reaches them quickly; the defaults and why they are what they
are, with the arithmetic for 500 phones behind one router, are in the tests of Newcomers below
and in docs/security.md.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from facilitate import store
from facilitate.limits import Newcomers, Recent
from facilitate.meetings import Meetings
from facilitate.settings import Settings

from .helpers import Peers, record

BURST = 5
POLL = "safety-poll"
NOTES = "where-when"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return Settings(
        db_path=db_path,
        tick=0.01,
        phone_tick=0.02,
        new_phones_burst=BURST,
        new_phones_per_second=0.001,  # the test's minute never refills one
        alert_joins_per_minute=4,
        alert_notes_per_minute=4,
        meetings_per_address_per_hour=3,
    )


# -- the arithmetic of the defaults -----------------------------------------------------------


@pytest.mark.parametrize(
    "arrivals",
    [
        [60 * n / 500 for n in range(500)],  # 500 phones spread over a minute
        [0.0] * 300 + [10 + 50 * n / 200 for n in range(200)],  # 300 at once, 200 after
        [20 * n / 500 for n in range(500)],  # everyone scans the QR code within 20 s
    ],
    ids=["even", "burst-then-trickle", "twenty-seconds"],
)
def test_when_500_phones_join_within_a_minute_behind_one_router_then_all_get_in(
    arrivals: list[float],
) -> None:
    defaults = Settings()
    clock = Clock()
    newcomers = Newcomers(defaults.new_phones_burst, defaults.new_phones_per_second, clock)
    admitted = 0
    for at in arrivals:
        clock.now = 1000.0 + at
        admitted += newcomers.take("192.168.1.1")
    assert admitted == 500


def test_when_a_kiosk_makes_a_participant_per_person_all_day_then_none_is_turned_away() -> None:
    """A tablet at a stand (docs/without-a-phone.md) makes a new participant for each person:
    counted like any new phone, its ~100 people an hour are far inside an address's budget,
    also behind the router of a hall where 500 phones join within 20 s at the same time."""
    defaults = Settings()
    clock = Clock()
    newcomers = Newcomers(defaults.new_phones_burst, defaults.new_phones_per_second, clock)
    hall = [20 * n / 500 for n in range(500)]
    stand = [36.0 * n for n in range(1000)]  # one person every 36 s for ten hours
    admitted = 0
    for at in sorted(hall + stand):
        clock.now = 1000.0 + at
        admitted += newcomers.take("192.168.1.1")
    assert admitted == len(hall) + len(stand)


def test_when_a_script_makes_an_identity_per_vote_then_after_the_burst_it_gets_the_steady_rate():
    defaults = Settings()
    clock = Clock()
    newcomers = Newcomers(defaults.new_phones_burst, defaults.new_phones_per_second, clock)
    admitted = 0
    for n in range(3000):  # 1,000 tries a second for three seconds
        clock.now = 1000.0 + n / 1000
        admitted += newcomers.take("10.0.0.66")
    assert admitted <= defaults.new_phones_burst + 3 * defaults.new_phones_per_second + 1
    assert newcomers.take("10.0.0.67")  # another address has its own budget


def test_when_the_new_phone_limit_is_zero_then_there_is_none() -> None:
    newcomers = Newcomers(0, 0.0)
    assert all(newcomers.take("a") for _ in range(1000))


def test_when_an_address_goes_quiet_then_it_leaves_the_warnings() -> None:
    clock = Clock()
    recent = Recent(window=60, clock=clock)
    for _ in range(5):
        recent.add("a")
    recent.add("b")
    assert recent.busiest() == 5
    clock.now += 61
    assert recent.busiest() == 0


# -- through the app --------------------------------------------------------------------------


def test_when_one_address_makes_a_fresh_identity_for_every_vote_then_the_tally_stays_honest(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    console = peers.console()
    console.ok("goto", activity=POLL)
    regular = peers.phone()
    regular.ok("vote", activity=POLL, choices=["very-safe"])
    refusals = 0
    for _ in range(20):  # the attack: connect, hello without a token, vote, close
        socket = peers.open("script")
        socket.ws.send_json({"type": "hello", "role": "participant", "lang": "nb"})
        answer = socket.receive()
        if answer["type"] == "error":
            assert answer["code"] == "too_many_new_phones"
            assert "prøver igjen av seg selv" in answer["message"]  # said in the phone's language
            assert socket.closed_with() == 4429
            refusals += 1
        else:
            socket.receive()  # the snapshot
            socket.do("vote", activity=POLL, choices=["very-unsafe"])
        socket.close()
    assert refusals == 20 - (BURST - 1)  # the regular phone used one of the burst
    tally = next(a for a in record(client, meeting)["activities"] if a["id"] == POLL)["tally"]
    assert tally["counts"]["very-unsafe"] == BURST - 1
    # A phone the meeting knows comes back whatever the flood: its token is not new.
    again = peers.phone(token=regular.welcome["token"])
    assert again.snapshot["mine"][POLL] == {"choices": ["very-safe"]}
    # The console was warned, without the address.
    warned = console.wait_view(lambda v: {"what": "joins", "count": BURST} in v.get("alerts", []))
    assert warned["alerts"] == [{"what": "joins", "count": BURST}]
    assert "testclient" not in str(warned) and "127.0.0.1" not in str(warned)


def test_when_one_address_floods_the_wall_then_the_console_is_warned_and_hides_it_in_one_go(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    console = peers.console()
    console.ok("goto", activity=NOTES)
    honest = peers.phone()
    honest.ok("note", activity=NOTES, text="Mørk undergang ved stasjonen", column=0)
    spammers = [peers.phone() for _ in range(3)]
    for n in range(12):
        spammers[n % 3].ok("note", activity=NOTES, text=f"Kjøp billig {n}", column=0)
    warned = console.wait_view(lambda v: {"what": "notes", "count": 13} in v.get("alerts", []))
    assert {"what": "joins", "count": 4} in warned["alerts"]  # the four phones, over the bar
    console.ok("pause", activity=NOTES)
    spammers[0].ok("note", activity=NOTES, text="Kjøp billig igjen", column=0)  # now held
    spam = [f"n{n}" for n in range(2, 14)]
    console.ok("hide_many", activity=NOTES, notes=spam, reason="reklame")
    console.ok("hide_many", activity=NOTES, held=True, reason="reklame")
    board = next(a for a in record(client, meeting)["activities"] if a["id"] == NOTES)
    assert [n["text"] for n in board["notes"]] == ["Mørk undergang ved stasjonen"]
    assert board["hidden"] == 13 and {n["reason"] for n in board["moderation"]} == {"reklame"}


def test_when_one_address_starts_meetings_in_a_loop_then_it_is_told_to_wait(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    answers = [client.post("/api/meetings", json={"plan": "folkemote"}) for _ in range(4)]
    # The fixture's meeting was the first of the three this hour.
    assert [a.status_code for a in answers] == [201, 201, 429, 429]
    assert int(answers[-1].headers["retry-after"]) > 3000
    assert "try again" in answers[-1].json()["error"]


def test_when_the_database_is_full_then_no_new_meeting_but_running_ones_go_on(
    db_path: Path, tmp_path: Path
) -> None:
    app_settings = Settings(db_path=db_path, max_database_megabytes=1)
    from facilitate.app import create_app

    with TestClient(create_app(app_settings)) as full:
        first = full.post("/api/meetings", json={"plan": "folkemote"})
        assert first.status_code == 201
        with full.websocket_connect(f"/{first.json()['code']}/ws") as ws:
            ws.send_json({"type": "hello", "role": "participant"})
            assert ws.receive_json()["type"] == "welcome"
        # Fill the file past its cap the way many meetings would.
        db = store.open_database(db_path)
        db.conn.execute("CREATE TABLE ballast (x BLOB)")
        db.conn.execute("INSERT INTO ballast VALUES (zeroblob(2000000))")
        db.close()
        refused = full.post("/api/meetings", json={"plan": "folkemote"})
        assert refused.status_code == 507
        assert "FACILITATE_MAX_DATABASE_MB" in refused.json()["error"]
        assert full.get(f"/{first.json()['code']}").status_code == 200


def test_when_a_meeting_is_idle_then_it_leaves_memory_and_comes_back_as_it_was(
    db_path: Path,
) -> None:
    async def scenario() -> None:
        writer = store.Writer(store.open_database(db_path))
        meetings = Meetings(writer, Settings(db_path=db_path, unload_after_seconds=60))
        try:
            from facilitate.core.plan import plan_from_dict

            plan = plan_from_dict(
                {"title": "T", "language": "nb", "activities": [{"kind": "notes", "title": "?"}]}
            )
            created = await meetings.create(plan)
            live = await meetings.get(created.code)
            assert live is not None
            before = live.meeting.version
            assert await meetings.unload_idle(now=live.touched + 30) == []  # not idle long
            assert await meetings.unload_idle(now=live.touched + 61) == [created.code]
            again = await meetings.get(created.code)
            assert again is not None and again is not live
            assert again.meeting.version == before
        finally:
            await meetings.close()
            writer.close()

    asyncio.run(scenario())


def test_when_a_kiosk_makes_new_participants_then_they_count_against_its_address_like_phones(
    peers: Peers,
) -> None:
    """A kiosk is not exempt from the limit on new phones per address: its token is one any
    script could make, so an exemption would be a way around the limit."""
    for n in range(BURST):
        peers.phone(token=f"kiosk-person{n:02d}-abcdefghij")
    answer, closed = peers.refused_hello(
        {"type": "hello", "role": "participant", "token": "kiosk-one-too-many-abcdef", "lang": "en"}
    )
    assert (answer["code"], closed) == ("too_many_new_phones", 4429)
