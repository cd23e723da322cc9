"""The tables' own codes: a printable page with a QR code per table, each opening the phone's
page at that table."""

from __future__ import annotations

from typing import Any

from conftest import create_meeting
from starlette.testclient import TestClient

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
