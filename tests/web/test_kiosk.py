"""A kiosk: one tablet at a stand, a fresh anonymous participant for each person in turn
(docs/without-a-phone.md). Here the server's side: the page and what the record keeps."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from .helpers import Peers, record

POLL = "safety-poll"


def test_when_a_phone_joins_with_a_kiosk_token_then_the_record_counts_it_at_a_kiosk(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    console = peers.console()
    console.ok("goto", activity=POLL)
    first = peers.phone(token="kiosk-Qm9yZ2VyIGVuIGRhZw")
    second = peers.phone(token="kiosk-YW5kcmUgcGVyc29uZW4")
    at_home = peers.phone()
    for phone in (first, at_home):
        phone.ok("vote", activity=POLL, choices=["very-safe"])
    # `second` only looked: it opened the meeting and gave nothing.
    people = record(client, meeting)["participants"]
    assert (people["joined"], people["opened"], people["kiosk"]) == (2, 3, 1)
    assert second.welcome is not None and second.welcome["token"].startswith("kiosk-")


def test_when_a_kiosk_person_comes_back_with_the_token_then_it_is_the_same_participant(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    console = peers.console()
    console.ok("goto", activity=POLL)
    token = "kiosk-c2FtbWUgcGVyc29uIGlnamVu"
    peers.phone(token=token).ok("vote", activity=POLL, choices=["very-safe"])
    again = peers.phone(token=token)  # the kiosk's Wi-Fi dropped and came back
    assert again.snapshot is not None
    assert again.snapshot["mine"][POLL] == {"choices": ["very-safe"]}
    assert record(client, meeting)["participants"]["kiosk"] == 1
