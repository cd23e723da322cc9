"""The JSON API: creating meetings, the admin token, the record and the minutes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from facilitate.app import create_app
from facilitate.settings import Settings

from .helpers import record

AGENDA: dict[str, Any] = {
    "title": "Nabolagsmøte",
    "language": "nb",
    "activities": [
        {"id": "hei", "kind": "info", "title": "Velkommen"},
        {
            "id": "park",
            "kind": "poll",
            "title": "Skal parken bli større?",
            "options": [{"id": "ja", "text": "Ja"}, {"id": "nei", "text": "Nei"}],
            "none_option": True,
        },
        {"id": "ideer", "kind": "notes", "title": "Hva mangler?"},
    ],
}


def test_when_a_meeting_is_created_from_a_plan_then_201_with_code_keys_and_urls(
    client: TestClient,
) -> None:
    response = client.post("/api/meetings", json={"plan": "folkemote"})
    assert response.status_code == 201
    body = response.json()
    code, key, screen_key = body["code"], body["facilitator_key"], body["screen_key"]
    assert re.fullmatch(r"[0-9]{6}", code)
    assert len(key) >= 32 and len(screen_key) >= 24 and key != screen_key
    assert body == {
        "code": code,
        "facilitator_key": key,
        "screen_key": screen_key,
        "join_url": f"http://testserver/{code}",
        "screen_url": f"http://testserver/{code}/screen#key={screen_key}",
        "facilitator_url": f"http://testserver/{code}/console#key={key}&screen={screen_key}",
        "record_url": f"http://testserver/api/meetings/{code}/record",
    }


def test_when_two_meetings_are_created_then_codes_and_keys_differ(client: TestClient) -> None:
    first = client.post("/api/meetings", json={"plan": "folkemote"}).json()
    second = client.post("/api/meetings", json={"plan": "folkemote"}).json()
    assert first["code"] != second["code"]
    assert first["facilitator_key"] != second["facilitator_key"]


def test_when_a_title_is_given_then_it_replaces_the_plans_title(client: TestClient) -> None:
    response = client.post(
        "/api/meetings", json={"plan": "folkemote", "title": "Folkemøte på Stryn"}
    )
    assert response.status_code == 201
    created = response.json()
    data = record(client, created)
    assert data["meeting"]["title"] == {"nb": "Folkemøte på Stryn"}
    assert [a["id"] for a in data["activities"]] == [
        "welcome",
        "safety-poll",
        "panel",
        "where-when",
        "pain-joy",
        "effort-effect",
        "priorities",
        "next-steps",
    ]
    assert "Folkemøte på Stryn" in client.get(f"/{created['code']}").text


def test_when_an_agenda_is_posted_then_the_meeting_follows_it(client: TestClient) -> None:
    response = client.post("/api/meetings", json=AGENDA)
    assert response.status_code == 201
    data = record(client, response.json())
    assert data["schema"] == "facilitate.record/2"
    assert data["meeting"]["title"] == {"nb": "Nabolagsmøte"}
    assert data["meeting"]["language"] == "nb"
    assert [(a["id"], a["kind"]) for a in data["activities"]] == [
        ("hei", "info"),
        ("park", "poll"),
        ("ideer", "notes"),
    ]
    assert data["activities"][1]["tally"] == {"counts": {"ja": 0, "nei": 0, "none": 0}, "voters": 0}


def test_when_the_plan_is_unknown_then_404_naming_the_available_plans(client: TestClient) -> None:
    response = client.post("/api/meetings", json={"plan": "nope"})
    assert response.status_code == 404
    body = response.json()
    assert "folkemote" in body["plans"] and "youth-workshop" in body["plans"]
    assert body["plans"] == sorted(body["plans"])
    assert body["error"] == (
        "there is no plan called 'nope'; available: " + ", ".join(body["plans"])
    )


@pytest.mark.parametrize("name", ["../folkemote", "folkemote.toml", "", 42, None])
def test_when_the_plan_name_is_not_a_plain_name_then_404(client: TestClient, name: Any) -> None:
    response = client.post("/api/meetings", json={"plan": name})
    assert response.status_code == 404
    assert "folkemote" in response.json()["plans"]


@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe", b'{"plan": "folkemote"'])
def test_when_the_body_is_not_json_then_400(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/api/meetings", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": 'the body must be JSON, e.g. {"plan": "folkemote"}'}


@pytest.mark.parametrize("body", [[], ["folkemote"], "folkemote", 7, None])
def test_when_the_body_is_not_an_object_then_400(client: TestClient, body: Any) -> None:
    response = client.post(
        "/api/meetings", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("send a JSON object")


def test_when_the_agenda_has_problems_then_400_listing_each_with_its_field(
    client: TestClient,
) -> None:
    agenda = {
        "title": "",
        "language": "xx",
        "activities": [
            {"id": "q", "kind": "poll", "title": "Spørsmål", "options": ["bare ett"]},
            {"id": "q", "kind": "info", "title": "Igjen"},
            {"kind": "dance", "title": "Dans"},
        ],
    }
    response = client.post("/api/meetings", json=agenda)
    assert response.status_code == 400
    body = response.json()
    assert body["error"].startswith("the agenda has problems: ")
    assert [p["field"] for p in body["problems"]] == [
        "language",
        "title",
        "activities[0].options",
        "activities[1].id",
        "activities[2].kind",
    ]
    assert all(p["message"] and p["line"] is None for p in body["problems"])
    by_field = {p["field"]: p["message"] for p in body["problems"]}
    assert by_field["title"] == "is required"
    assert by_field["activities[1].id"] == "'q' is used twice"


def test_each_agenda_problem_has_a_code_and_params_a_page_can_put_in_its_own_words(
    client: TestClient,
) -> None:
    agenda = {
        "title": "Møte",
        "language": "nb",
        "activities": [
            {"kind": "poll", "title": "Spørsmål", "options": ["bare ett"]},
            {"kind": "poll", "title": "", "options": ["a", "b" * 201]},
            {"kind": "painjoy", "title": "Prikker", "dots": 25},
        ],
    }
    response = client.post("/api/meetings", json=agenda)
    assert response.status_code == 400
    found = [(p["field"], p["code"], p["params"]) for p in response.json()["problems"]]
    assert found == [
        (
            "activities[0].options",
            "options_count",
            {"key": "options", "activity": 1, "low": 2, "high": 20},
        ),
        ("activities[1].title", "required", {"key": "title", "activity": 2}),
        (
            "activities[1].options[1]",
            "too_long",
            {"key": "options", "activity": 2, "item": 2, "length": 201, "limit": 200},
        ),
        (
            "activities[2].dots",
            "whole_number",
            {"key": "dots", "activity": 3, "low": 1, "high": 20},
        ),
    ]
    # The words for the API and the command line are as they were.
    assert response.json()["problems"][0]["message"] == "give a list of 2 to 20 options"


def test_when_a_meeting_is_created_twice_with_one_idempotency_key_then_it_is_one_meeting(
    client: TestClient,
) -> None:
    headers = {"Idempotency-Key": "k-1"}
    first = client.post("/api/meetings", json={"plan": "folkemote"}, headers=headers)
    again = client.post("/api/meetings", json={"plan": "folkemote"}, headers=headers)
    other = client.post(
        "/api/meetings", json={"plan": "folkemote"}, headers={"Idempotency-Key": "k-2"}
    )
    plain = client.post("/api/meetings", json={"plan": "folkemote"})
    assert [r.status_code for r in (first, again, other, plain)] == [201, 201, 201, 201]
    assert again.json() == first.json()
    codes = {r.json()["code"] for r in (first, other, plain)}
    assert len(codes) == 3


def test_when_a_refused_request_is_sent_again_with_its_key_then_it_is_tried_again(
    client: TestClient,
) -> None:
    headers = {"Idempotency-Key": "k-3"}
    refused = client.post("/api/meetings", json={"title": "Tomt"}, headers=headers)
    assert refused.status_code == 400
    fixed = {"title": "Tomt", "activities": [{"kind": "info", "title": "Hei"}]}
    created = client.post("/api/meetings", json=fixed, headers=headers)
    assert created.status_code == 201


def test_when_the_idempotency_key_is_too_long_then_400(client: TestClient) -> None:
    response = client.post(
        "/api/meetings", json={"plan": "folkemote"}, headers={"Idempotency-Key": "k" * 101}
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]


def test_when_the_agenda_has_no_activities_then_400(client: TestClient) -> None:
    response = client.post("/api/meetings", json={"title": "Tomt"})
    assert response.status_code == 400
    assert [p["field"] for p in response.json()["problems"]] == ["activities"]


def test_when_the_body_is_too_large_then_413(client: TestClient) -> None:
    big = {"title": "x", "activities": [], "padding": "x" * (300 * 1024)}
    response = client.post("/api/meetings", json=big)
    assert response.status_code == 413
    assert response.json() == {"error": "the body is larger than 256 KiB"}


def test_when_a_large_body_has_no_content_length_then_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"plan": "folkemote", "padding": "'
        for _ in range(40):
            yield b"x" * 8192
        yield b'"}'

    response = client.post(
        "/api/meetings", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


JSON = {"content-type": "application/json"}


def titled(lists: int) -> dict[str, Any]:
    """The agenda with its title as text in `lists` lists: the body nests `lists + 2` deep."""
    title: Any = "x"
    for _ in range(lists):
        title = [title]
    return {**AGENDA, "title": {"nb": title}}


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,
        '{"plan": ' * 20_000,
        "[" * 100_000 + "]" * 100_000,
        json.dumps(titled(19)),
    ],
)
def test_when_the_body_nests_too_deeply_then_400_says_so(client: TestClient, body: str) -> None:
    """A RecursionError (and a 500) before: the parser and anything walking the body recurse."""
    response = client.post("/api/meetings", content=body, headers=JSON)
    assert response.status_code == 400
    assert response.json() == {
        "error": "the JSON is nested too deeply: at most 20 levels of objects and lists"
    }


def test_when_an_agenda_nests_as_deep_as_allowed_then_it_is_read_as_usual(
    client: TestClient,
) -> None:
    response = client.post("/api/meetings", json=titled(18))
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "title"


@pytest.mark.parametrize(
    "headers",
    [
        {"content-type": "text/plain"},  # <form enctype="text/plain"> with a JSON-looking body
        {"content-type": "application/x-www-form-urlencoded"},
        {"content-type": "multipart/form-data; boundary=x"},
        {},
    ],
)
def test_when_the_body_is_not_sent_as_json_then_415(
    client: TestClient, headers: dict[str, str]
) -> None:
    """A plain HTML form on any other site could post these from a facilitator's browser,
    without a script and without asking; JSON from another site needs a CORS preflight."""
    response = client.post("/api/meetings", content=b'{"plan": "folkemote"}', headers=headers)
    assert response.status_code == 415
    assert response.json() == {
        "error": "send the agenda as JSON, with Content-Type: application/json"
    }
    form = client.post("/api/meetings", data={"plan": "folkemote"})
    assert form.status_code == 415


@pytest.mark.parametrize("media_type", ["application/json; charset=utf-8", "Application/JSON"])
def test_when_json_is_named_in_any_usual_way_then_it_is_read(
    client: TestClient, media_type: str
) -> None:
    response = client.post(
        "/api/meetings", content=b'{"plan": "folkemote"}', headers={"content-type": media_type}
    )
    assert response.status_code == 201


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[TestClient]:
    """A server that only makes meetings for whoever has the admin token."""
    settings = Settings(db_path=tmp_path / "g.db", tick=0.01, phone_tick=0.02, admin_token="s3cret")
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", "Bearer ", "s3cret", "Basic s3cret", "Bearer s3cret2"]
)
def test_when_admin_token_is_set_and_not_given_then_401(
    guarded: TestClient, header: str | None
) -> None:
    headers = {"authorization": header} if header is not None else {}
    response = guarded.post("/api/meetings", json={"plan": "folkemote"}, headers=headers)
    assert response.status_code == 401
    assert "admin token" in response.json()["error"]


def test_when_admin_token_is_given_then_201(guarded: TestClient) -> None:
    response = guarded.post(
        "/api/meetings", json={"plan": "folkemote"}, headers={"authorization": "Bearer s3cret"}
    )
    assert response.status_code == 201
    # lower-case scheme is the same scheme
    response = guarded.post(
        "/api/meetings", json={"plan": "folkemote"}, headers={"authorization": "bearer s3cret"}
    )
    assert response.status_code == 201


@pytest.mark.parametrize("token", ["Bearer søt".encode(), b"Bearer \xff\xfe", b"Bearer s3cr\xe9t"])
def test_when_the_admin_token_given_is_not_ascii_then_401_not_a_crash(
    guarded: TestClient, token: bytes
) -> None:
    """hmac.compare_digest refuses str with non-ASCII characters: that was a 500 per request."""
    response = guarded.post(
        "/api/meetings", json={"plan": "folkemote"}, headers={"authorization": token}
    )
    assert response.status_code == 401
    assert "admin token" in response.json()["error"]


def test_when_the_admin_token_is_not_ascii_then_it_still_works(tmp_path: Path) -> None:
    """A token set as UTF-8 in the environment matches the same UTF-8 bytes in the header."""
    settings = Settings(db_path=tmp_path / "u.db", admin_token="hemmelig-nøkkel")
    with TestClient(create_app(settings)) as client:
        right = {"authorization": "Bearer hemmelig-nøkkel".encode()}
        wrong = {"authorization": "Bearer hemmelig-nökkel".encode()}
        assert (
            client.post("/api/meetings", json={"plan": "folkemote"}, headers=right).status_code
            == 201
        )
        assert (
            client.post("/api/meetings", json={"plan": "folkemote"}, headers=wrong).status_code
            == 401
        )


def test_when_a_facilitator_key_is_not_ascii_then_403(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    response = client.get(
        f"/api/meetings/{meeting['code']}/record",
        headers={"authorization": "Bearer nøkkel".encode()},
    )
    assert response.status_code == 403


def test_when_admin_token_is_set_then_start_page_asks_for_it(guarded: TestClient) -> None:
    assert 'id="admin-token"' in guarded.get("/start").text


def test_when_record_is_fetched_without_a_key_then_401(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    response = client.get(f"/api/meetings/{meeting['code']}/record")
    assert response.status_code == 401
    assert response.json() == {"error": "send the facilitator key: Authorization: Bearer <key>"}


@pytest.mark.parametrize("which", ["wrong", "screen_key"])
def test_when_record_is_fetched_with_another_key_then_403(
    client: TestClient, meeting: dict[str, Any], which: str
) -> None:
    key = meeting.get(which, "not-the-key")
    for path in ("record", "minutes.md"):
        response = client.get(
            f"/api/meetings/{meeting['code']}/{path}", headers={"authorization": f"Bearer {key}"}
        )
        assert response.status_code == 403, path
        assert response.json() == {"error": "that key is not this meeting's facilitator key"}


def test_when_record_is_fetched_with_the_key_then_200_with_the_schema(
    client: TestClient, meeting: dict[str, Any], auth: dict[str, str]
) -> None:
    response = client.get(f"/api/meetings/{meeting['code']}/record", headers=auth)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert data["schema"] == "facilitate.record/2"
    assert data["meeting"]["code"] == meeting["code"]
    assert data["participants"] == {"joined": 0, "opened": 0, "peak_connected": 0, "joins": []}
    assert data["events"] == 1  # meeting_created
    assert len(data["activities"]) == 8


def test_when_record_of_unknown_meeting_is_fetched_then_404(
    client: TestClient, meeting: dict[str, Any], auth: dict[str, str]
) -> None:
    unknown = "000000" if meeting["code"] != "000000" else "111111"
    response = client.get(f"/api/meetings/{unknown}/record", headers=auth)
    assert response.status_code == 404


def test_when_minutes_are_fetched_then_markdown_in_the_meetings_language(
    client: TestClient, meeting: dict[str, Any], auth: dict[str, str]
) -> None:
    response = client.get(f"/api/meetings/{meeting['code']}/minutes.md", headers=auth)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="minutes-{meeting["code"]}.md"'
    )
    assert response.text.startswith("# Folkemøte om trygghet i sentrum\n")
    assert meeting["code"] in response.text


def test_when_minutes_are_fetched_without_a_key_then_401(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    assert client.get(f"/api/meetings/{meeting['code']}/minutes.md").status_code == 401


def test_when_the_api_answers_then_it_carries_the_security_headers(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    for response in (
        client.post("/api/meetings", json={"plan": "folkemote"}),
        client.post("/api/meetings", content=b"{"),
        client.get(f"/api/meetings/{meeting['code']}/record"),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_when_the_api_is_asked_with_get_then_405(client: TestClient) -> None:
    assert client.get("/api/meetings").status_code == 405
