"""The tables' own codes: a printable page with a QR code per table, each opening the phone's
page at that table."""

from __future__ import annotations

from typing import Any

from conftest import create_meeting
from starlette.testclient import TestClient

from facilitate.core.messages import CLIENT_MESSAGES

from .helpers import Peers

AGENDA: dict[str, Any] = {
    "title": "Dialogmøte",
    "tables": ["Bord A", "Bord B"],
    "activities": [{"kind": "notes", "id": "ideas", "title": "Ideer", "scope": "table"}],
}


def test_when_a_meeting_has_tables_then_a_page_gives_each_table_its_own_code(
    client: TestClient,
) -> None:
    meeting = create_meeting(client, **AGENDA)
    code = meeting["code"]
    page = client.get(f"/{code}/tables")
    assert page.status_code == 200
    assert page.text.count('data-testid="table-code"') == 2
    assert "Bord A" in page.text and f"/{code}/qr.svg?table=t2" in page.text
    own = client.get(f"/{code}/qr.svg", params={"table": "t2"})
    plain = client.get(f"/{code}/qr.svg")
    assert own.status_code == 200 and own.headers["content-type"] == "image/svg+xml"
    assert own.content != plain.content  # another address in the code
    assert client.get(f"/{code}/qr.svg", params={"table": "t9"}).status_code == 404


def test_when_a_meeting_has_no_tables_then_there_is_no_page_of_table_codes(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    assert client.get(f"/{meeting['code']}/tables").status_code == 404
    assert client.get(f"/{meeting['code']}/qr.svg", params={"table": "t1"}).status_code == 404


def test_when_the_console_of_a_meeting_with_tables_opens_then_it_links_the_codes(
    client: TestClient,
) -> None:
    meeting = create_meeting(client, **AGENDA)
    console = client.get(f"/{meeting['code']}/console").text
    assert f"/{meeting['code']}/tables" in console


# -- scribes ---------------------------------------------------------------------------------

PROBLEM_AGENDA: dict[str, Any] = {
    "title": "Problemanalys",
    "language": "sv",
    "tables": 2,
    "activities": [{"kind": "problem", "id": "pr", "title": "Problemet", "scope": "table"}],
}


def scribe_codes(client: TestClient, meeting: dict[str, Any]) -> dict[str, dict[str, str]]:
    response = client.get(
        f"/api/meetings/{meeting['code']}/scribes",
        headers={"authorization": f"Bearer {meeting['facilitator_key']}"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return {entry["table"]: entry for entry in response.json()["tables"]}


def test_when_the_facilitator_asks_then_each_table_has_its_own_scribe_code_and_address(
    client: TestClient,
) -> None:
    meeting = create_meeting(client, **PROBLEM_AGENDA)
    code = meeting["code"]
    codes = scribe_codes(client, meeting)
    assert set(codes) == {"t1", "t2"} and codes["t1"]["code"] != codes["t2"]["code"]
    assert codes["t2"]["url"].endswith(f"/{code}?table=t2&scribe={codes['t2']['code']}")
    qr = client.get(codes["t2"]["qr"])
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml"
    # A QR code only of the code the console was given now, never of a made-up one.
    made_up = client.get(f"/{code}/qr.svg", params={"table": "t2", "scribe": "aaaaaaaaaa"})
    assert made_up.status_code == 404
    # Without the key, or with the screen's, there is none; nor in a meeting without tables.
    url = f"/api/meetings/{code}/scribes"
    assert client.get(url).status_code == 401
    screen = {"authorization": f"Bearer {meeting['screen_key']}"}
    assert client.get(url, headers=screen).status_code == 403
    plain = create_meeting(client, plan="folkemote")
    plain_auth = {"authorization": f"Bearer {plain['facilitator_key']}"}
    assert client.get(f"/api/meetings/{plain['code']}/scribes", headers=plain_auth).status_code == (
        404
    )


def test_when_a_phone_shows_its_tables_scribe_code_then_it_writes_the_agreed_answer(
    client: TestClient,
) -> None:
    meeting = create_meeting(client, **PROBLEM_AGENDA)
    codes = scribe_codes(client, meeting)
    peers = Peers(client, meeting)
    try:
        console = peers.console()
        console.ok("goto", activity="pr")
        phone = peers.phone()
        # A wrong code, another table's, or a facilitator's command without one: refused.
        assert phone.refused("scribe_for", table="t1", code="aaaaaaaaaa") == "bad_scribe_code"
        assert phone.refused("scribe_for", table="t1", code=codes["t2"]["code"]) == (
            "bad_scribe_code"
        )
        write = {"activity": "pr", "field": "what", "text": "Klotter", "agreed": True}
        assert phone.refused("scribe", **write) == "forbidden"
        phone.ok("scribe_for", table="t2", code=codes["t2"]["code"].upper())  # as typed
        mine = phone.until(lambda m: m["type"] == "mine" and "_scribe" in m["mine"])
        assert mine["mine"]["_scribe"] == "t2" and mine["mine"]["_table"] == "t2"
        phone.ok("scribe", **write)

        def table_two(message: dict[str, Any]) -> dict[str, Any]:
            (part,) = (p for p in message["view"]["activity"]["parts"] if p["table"] == "t2")
            return part  # type: ignore[no-any-return]

        view = console.until(
            lambda m: m["type"] == "view" and bool(table_two(m)["answers"]["what"]["agreed"])
        )["view"]
        assert view["scribes"] == {"t1": 0, "t2": 1}
        t2 = table_two({"view": view})
        assert [(c["text"], c["by"]) for c in t2["answers"]["what"]["contributions"]] == [
            ("Klotter", "scribe")
        ]
        assert t2["answers"]["what"]["agreed"] == "c1"
        # Dismissed: the phone writes no more, and the code shown before is worthless.
        console.ok("dismiss_scribes", table="t2")
        assert phone.refused("scribe", **write) == "forbidden"
        assert phone.refused("scribe_for", table="t2", code=codes["t2"]["code"]) == (
            "bad_scribe_code"
        )
        assert scribe_codes(client, meeting)["t2"]["code"] != codes["t2"]["code"]
        # The console cannot appoint anyone by itself: only a phone's code does.
        assert console.refused("scribe_for", table="t1", code=codes["t1"]["code"]) == "forbidden"
        assert "appoint_scribe" not in CLIENT_MESSAGES  # no client may send it
    finally:
        peers.close_all()
