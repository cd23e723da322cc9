"""The helper page's connection: its own key (from the console), paper notes and hands in, and
nothing else; wrong keys and other roles' commands refused."""

from __future__ import annotations

from typing import Any

from conftest import create_meeting
from starlette.testclient import TestClient

from .helpers import Peers, activity_record

AGENDA: dict[str, Any] = {
    "title": "Folkemøte",
    "activities": [
        {"kind": "poll", "id": "safe", "title": "Trygg?", "options": ["Ja", "Nei"]},
        {"kind": "notes", "id": "ideas", "title": "Ideer"},
    ],
}


def helper_link(client: TestClient, meeting: dict[str, Any]) -> dict[str, str]:
    response = client.get(
        f"/api/meetings/{meeting['code']}/helper",
        headers={"authorization": f"Bearer {meeting['facilitator_key']}"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    found: dict[str, str] = response.json()
    return found


def test_when_the_console_asks_then_it_gets_the_helper_pages_key_and_address(
    client: TestClient,
) -> None:
    meeting = create_meeting(client, **AGENDA)
    link = helper_link(client, meeting)
    assert link["url"].endswith(f"/{meeting['code']}/helper#key={link['key']}")
    assert link["key"] not in (meeting["facilitator_key"], meeting["screen_key"])
    assert helper_link(client, meeting) == link  # the same key every time it is asked
    url = f"/api/meetings/{meeting['code']}/helper"
    assert client.get(url).status_code == 401
    screen = {"authorization": f"Bearer {meeting['screen_key']}"}
    assert client.get(url, headers=screen).status_code == 403
    page = client.get(f"/{meeting['code']}/helper")
    assert page.status_code == 200 and link["key"] not in page.text
    assert client.get("/999999/helper").status_code == 404


def test_when_the_helper_puts_in_hands_and_a_paper_note_then_they_count_marked_and_apart(
    client: TestClient,
) -> None:
    meeting = create_meeting(client, **AGENDA)
    key = helper_link(client, meeting)["key"]
    peers = Peers(client, meeting)
    try:
        console = peers.console()
        helper = peers.hello("helper", "helper", key=key, lang="nb")
        assert helper.snapshot and helper.snapshot["view"]["activity"] is None
        console.ok("goto", activity="safe")
        helper.ok("hands", activity="safe", option="o2", count=14)
        # The newest view, seen already or to come: the room may render the hands (applied at
        # once) before their commit and ack, and then has nothing new to send.
        view = helper.wait_view(lambda v: v["activity"] is not None)
        assert view["activity"]["helps"] == ["hands"]
        # The helper moves nothing on and votes for nobody.
        assert helper.refused("goto", activity="ideas") == "forbidden"
        assert helper.refused("vote", activity="safe", choices=["o1"]) == "forbidden"
        assert helper.refused("hands", activity="safe", option="o2", count=-3) == "bad_count"
        console.ok("goto", activity="ideas")
        helper.ok("paper_note", activity="ideas", text="Mer lys ved skolen")
        tally = activity_record(client, meeting, "safe")["tally"]
        assert tally["hands"] == {"o2": 14} and tally["counts"]["o2"] == 14
        (note,) = activity_record(client, meeting, "ideas")["notes"]
        assert (note["text"], note["channel"]) == ("Mer lys ved skolen", "paper")
        # A phone cannot do what the helper does.
        phone = peers.phone()
        assert phone.refused("paper_note", activity="ideas", text="Falsk papir") == "forbidden"
    finally:
        peers.close_all()


def test_when_a_helper_says_hello_with_a_wrong_key_then_it_is_turned_away(
    client: TestClient,
) -> None:
    meeting = create_meeting(client, **AGENDA)
    peers = Peers(client, meeting)
    try:
        for key in ("not-the-key", meeting["screen_key"], None):
            hello = {"type": "hello", "role": "helper", "key": key}
            error, code = peers.refused_hello(hello)
            assert error["code"] == "bad_key" and code == 4403
        # The facilitator's key opens the helper page too.
        assert peers.hello("helper", "fac-helper", key=meeting["facilitator_key"]).snapshot
    finally:
        peers.close_all()
