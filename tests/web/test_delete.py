"""DELETE /api/meetings/{code}: the meeting and its whole record go, and everyone is told."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import create_meeting
from starlette.testclient import TestClient

from facilitate import i18n, store
from facilitate.settings import Settings
from facilitate.web import strings

from .helpers import Peer, Peers, record


def delete(client: TestClient, code: str, key: str | None) -> Any:
    headers = {"authorization": f"Bearer {key}"} if key is not None else {}
    return client.delete(f"/api/meetings/{code}", headers=headers)


def rows(settings: Settings, code: str) -> tuple[int, int]:
    """How many meeting rows and event rows the database (either) holds for `code`."""
    db = store.open_database(settings.database)
    try:
        with store.transaction(db):
            return int(db.meeting(code) is not None), len(db.events(code))
    finally:
        db.close()


def farewell(peer: Peer) -> tuple[dict[str, Any], int]:
    """The error a peer was sent before the server closed it, and the close code."""
    error = peer.until(lambda m: m["type"] == "error")
    return error, peer.closed_with()


@pytest.fixture
def held(peers: Peers) -> dict[str, Peer]:
    """A meeting with a note, a vote and a console, a screen and a phone connected."""
    console, screen, phone = peers.console(), peers.screen(), peers.phone(lang="nb")
    console.ok("goto", activity="safety-poll")
    phone.ok("vote", activity="safety-poll", choices=["neither"])
    console.ok("goto", activity="where-when")
    phone.ok("note", activity="where-when", text="Mørk undergang ved skolen", column=0)
    return {"console": console, "screen": screen, "phone": phone}


def test_when_delete_has_no_key_then_401_and_nothing_is_deleted(
    client: TestClient, meeting: dict[str, Any], held: dict[str, Peer], settings: Settings
) -> None:
    response = delete(client, meeting["code"], None)
    assert response.status_code == 401
    assert "facilitator key" in response.json()["error"]
    assert rows(settings, meeting["code"])[0] == 1
    assert record(client, meeting)["activities"]


@pytest.mark.parametrize("key", ["wrong", "screen"])
def test_when_delete_has_a_wrong_key_then_403_and_nothing_is_deleted(
    client: TestClient, meeting: dict[str, Any], held: dict[str, Peer], settings: Settings, key: str
) -> None:
    before = record(client, meeting)
    response = delete(client, meeting["code"], meeting["screen_key"] if key == "screen" else key)
    assert response.status_code == 403
    assert record(client, meeting) == before
    held["console"].ok("goto", activity="pain-joy")  # the meeting goes on


def test_when_delete_names_an_unknown_meeting_then_404(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    unknown = "000000" if meeting["code"] != "000000" else "111111"
    assert delete(client, unknown, meeting["facilitator_key"]).status_code == 404


def test_when_a_meeting_is_deleted_then_its_record_and_pages_are_gone_and_everyone_is_told(
    client: TestClient,
    meeting: dict[str, Any],
    held: dict[str, Peer],
    peers: Peers,
    settings: Settings,
) -> None:
    code, key = meeting["code"], meeting["facilitator_key"]
    other = create_meeting(client, plan="youth-workshop")
    other_record = record(client, other)
    assert rows(settings, code)[1] > 5

    response = delete(client, code, key)
    assert response.status_code == 204
    assert response.content == b""

    catalogs = i18n.load_catalogs()
    for name, peer in held.items():  # the phone said hello in nb, the others in en
        error, close = farewell(peer)
        lang = "nb" if name == "phone" else "en"
        assert error == {
            "type": "error",
            "id": None,
            "code": "unknown_meeting",
            "message": catalogs[lang].gettext(strings.ERRORS["unknown_meeting"]),
        }, name
        assert close == 4404, name

    auth = {"authorization": f"Bearer {key}"}
    assert client.get(f"/api/meetings/{code}/record", headers=auth).status_code == 404
    assert client.get(f"/api/meetings/{code}/minutes.md", headers=auth).status_code == 404
    for page in (f"/{code}", f"/{code}/screen", f"/{code}/console", f"/{code}/qr.svg"):
        assert client.get(page).status_code == 404, page
    assert client.get("/join", params={"code": code}).status_code == 404
    assert delete(client, code, key).status_code == 404  # nothing left to delete

    late = peers.open("late")
    error = late.receive()
    assert (error["code"], late.closed_with()) == ("unknown_meeting", 4404)

    assert rows(settings, code) == (0, 0)  # the record itself, not just the way to it
    assert record(client, other) == other_record  # other meetings are untouched


def test_when_a_meeting_is_deleted_then_a_phone_that_comes_back_with_its_token_finds_nothing(
    client: TestClient, meeting: dict[str, Any], held: dict[str, Peer], peers: Peers
) -> None:
    phone = held["phone"]
    assert phone.welcome is not None
    token = phone.welcome["token"]
    assert delete(client, meeting["code"], meeting["facilitator_key"]).status_code == 204
    assert farewell(phone)[1] == 4404
    error, close = peers.refused_hello({"type": "hello", "role": "participant", "token": token})
    assert (error["code"], close) == ("unknown_meeting", 4404)


def test_when_a_meeting_is_deleted_then_each_client_is_told_in_its_own_language(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    catalogs = i18n.load_catalogs()
    texts = {lang: catalogs[lang].gettext(strings.ERRORS["unknown_meeting"]) for lang in catalogs}
    assert len(set(texts.values())) == len(texts)  # the languages really differ
    phones = {lang: peers.phone(lang=lang) for lang in texts}
    assert delete(client, meeting["code"], meeting["facilitator_key"]).status_code == 204
    for lang, phone in phones.items():
        error, close = farewell(phone)
        assert (error["message"], close) == (texts[lang], 4404)
