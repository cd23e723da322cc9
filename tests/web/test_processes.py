"""The process API: creating a process, joining meetings to its steps, its follow-up items."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import create_meeting
from starlette.testclient import TestClient

from facilitate.app import create_app
from facilitate.core.kinds import KINDS
from facilitate.settings import Settings


def create_process(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post(
        "/api/processes", json=body or {"title": "Medborgarlöfte Torget 2027", "language": "sv"}
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


@pytest.fixture
def process(client: TestClient) -> dict[str, Any]:
    return create_process(client)


def join(
    client: TestClient, process: dict[str, Any], meeting: dict[str, Any], step: str = "dialogue"
) -> Any:
    return client.post(
        f"/api/processes/{process['id']}/meetings",
        headers=bearer(process["key"]),
        json={
            "meeting": meeting["code"],
            "facilitator_key": meeting["facilitator_key"],
            "step": step,
        },
    )


def test_created_process_has_an_id_a_key_shown_once_and_its_pages(
    client: TestClient, process: dict[str, Any]
) -> None:
    assert process["urls"]["organiser"].endswith(f"/p/{process['id']}#key={process['key']}")
    assert process["urls"]["follow"].endswith(f"/p/{process['id']}/follow")
    view = client.get(f"/api/processes/{process['id']}", headers=bearer(process["key"])).json()
    assert view["title"] == "Medborgarlöfte Torget 2027"
    assert [s["step"] for s in view["steps"]] == [
        "vad",
        "dialogue",
        "situation",
        "analysis",
        "hur",
        "followup",
    ]
    assert process["key"] not in str(view)


def test_a_new_process_with_problems_is_refused_with_each_problem_located(
    client: TestClient,
) -> None:
    response = client.post("/api/processes", json={"title": "", "language": "de", "x": 1})
    assert response.status_code == 422
    assert {(p["field"], p["code"]) for p in response.json()["problems"]} == {
        ("title", "empty_text"),
        ("language", "unknown_language"),
        ("x", "unknown_field"),
    }


def test_creating_a_process_needs_json(client: TestClient) -> None:
    response = client.post(
        "/api/processes", content="title=x", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415


def test_creating_a_process_needs_the_admin_token_when_the_server_has_one(db_path: Any) -> None:
    settings = Settings(db_path=db_path, admin_token="søt-token")
    with TestClient(create_app(settings)) as client:
        body = {"title": "Löfte", "language": "sv"}
        assert client.post("/api/processes", json=body).status_code == 401
        wrong = client.post("/api/processes", json=body, headers=bearer("wrong"))
        assert wrong.status_code == 401
        right = client.post(
            "/api/processes", json=body, headers={"authorization": "Bearer søt-token".encode()}
        )
        assert right.status_code == 201


def test_the_process_view_needs_its_key(client: TestClient, process: dict[str, Any]) -> None:
    path = f"/api/processes/{process['id']}"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer("not-the-key")).status_code == 403
    assert (
        client.get("/api/processes/zzzzzzzzzz", headers=bearer(process["key"])).status_code == 404
    )


def test_a_meeting_joins_a_step_and_joining_again_changes_nothing(
    client: TestClient, process: dict[str, Any], meeting: dict[str, Any]
) -> None:
    first = join(client, process, meeting)
    assert first.status_code == 200, first.text
    assert first.json()["changed"] == 1
    again = join(client, process, meeting)
    assert again.json()["changed"] == 0
    dialogue = again.json()["process"]["steps"][1]
    assert [m["code"] for m in dialogue["meetings"]] == [meeting["code"]]
    moved = client.patch(
        f"/api/processes/{process['id']}/meetings/{meeting['code']}",
        headers=bearer(process["key"]),
        json={"step": "vad"},
    )
    assert [m["code"] for m in moved.json()["process"]["steps"][0]["meetings"]] == [meeting["code"]]


def test_joining_needs_the_meetings_facilitator_key(
    client: TestClient, process: dict[str, Any], meeting: dict[str, Any]
) -> None:
    path = f"/api/processes/{process['id']}/meetings"
    body = {"meeting": meeting["code"], "step": "dialogue"}
    assert client.post(path, headers=bearer(process["key"]), json=body).status_code == 401
    wrong = {**body, "facilitator_key": "nope"}
    assert client.post(path, headers=bearer(process["key"]), json=wrong).status_code == 403
    unknown = {**body, "meeting": "000000", "facilitator_key": "x"}
    assert client.post(path, headers=bearer(process["key"]), json=unknown).status_code in (404,)
    right = {**body, "facilitator_key": meeting["facilitator_key"]}
    assert client.post(path, headers=bearer("wrong"), json=right).status_code == 403
    assert client.post(path, json=right).status_code == 401


def test_an_unknown_step_is_a_located_problem(
    client: TestClient, process: dict[str, Any], meeting: dict[str, Any]
) -> None:
    response = join(client, process, meeting, step="party")
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "step", "message": response.json()["error"], "code": "unknown_step"}
    ]


def test_a_meeting_already_in_another_process_is_refused(
    client: TestClient, process: dict[str, Any], meeting: dict[str, Any]
) -> None:
    assert join(client, process, meeting).status_code == 200
    other = create_process(client, title="Ett annat löfte", language="sv")
    response = join(client, other, meeting)
    assert response.status_code == 409
    assert response.json()["code"] == "in_another_process"


def test_a_meeting_joins_a_process_when_it_is_created(
    client: TestClient, process: dict[str, Any]
) -> None:
    created = create_meeting(
        client,
        plan="medborgardialog",
        process={"id": process["id"], "key": process["key"], "step": "dialogue"},
    )
    assert created["process"] == {"id": process["id"], "step": "dialogue"}
    found = client.get(
        f"/api/meetings/{created['code']}/process", headers=bearer(created["facilitator_key"])
    ).json()
    assert found["process"]["title"] == "Medborgarlöfte Torget 2027"
    assert found["process"]["step"] == "dialogue"
    assert "key" not in found["process"]


def test_a_meeting_is_not_created_with_a_wrong_process_key(
    client: TestClient, process: dict[str, Any]
) -> None:
    body = {"plan": "folkemote", "process": {"id": process["id"], "key": "x", "step": "vad"}}
    assert client.post("/api/meetings", json=body).status_code == 403
    body["process"] = {"id": process["id"], "key": process["key"], "step": "later"}
    response = client.post("/api/meetings", json=body)
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "process.step"


def test_a_meeting_outside_a_process_says_so(
    client: TestClient, meeting: dict[str, Any], auth: dict[str, str]
) -> None:
    path = f"/api/meetings/{meeting['code']}/process"
    assert client.get(path, headers=auth).json()["process"] is None
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer("wrong")).status_code == 403


def test_follow_up_items_keep_their_status_and_dated_updates(
    client: TestClient, process: dict[str, Any]
) -> None:
    path = f"/api/processes/{process['id']}/followups"
    added = client.post(
        path, headers=bearer(process["key"]), json={"title": "Trygghetsvandring", "note": "Bokad"}
    )
    assert added.status_code == 200, added.text
    (item,) = added.json()["process"]["followups"]
    assert (item["status"], [u["text"] for u in item["updates"]]) == ("planned", ["Bokad"])
    changed = client.patch(
        f"{path}/{item['id']}",
        headers=bearer(process["key"]),
        json={"status": "done", "note": "Genomförd 12 maj"},
    )
    (item,) = changed.json()["process"]["followups"]
    assert item["status"] == "done"
    assert [u["text"] for u in item["updates"]] == ["Bokad", "Genomförd 12 maj"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"title": ""}, 422, "title"),
        ({"title": "x" * 201}, 422, "title"),
        ({"title": "Ok", "status": "soon"}, 422, "status"),
        ({"title": "Ok", "colour": "red"}, 422, "colour"),
    ],
)
def test_a_bad_follow_up_item_is_a_located_problem(
    client: TestClient, process: dict[str, Any], body: dict[str, Any], status: int, field: str
) -> None:
    response = client.post(
        f"/api/processes/{process['id']}/followups", headers=bearer(process["key"]), json=body
    )
    assert response.status_code == status
    assert [p["field"] for p in response.json()["problems"]] == [field]


def test_updating_an_unknown_item_is_not_found(client: TestClient, process: dict[str, Any]) -> None:
    response = client.patch(
        f"/api/processes/{process['id']}/followups/f9",
        headers=bearer(process["key"]),
        json={"status": "done"},
    )
    assert response.status_code == 404


def test_importing_commitments_from_meetings_without_any_adds_nothing(
    client: TestClient, process: dict[str, Any], meeting: dict[str, Any]
) -> None:
    join(client, process, meeting)
    response = client.post(
        f"/api/processes/{process['id']}/followups/import", headers=bearer(process["key"])
    )
    assert response.status_code == 200
    assert response.json()["changed"] == 0


def test_the_public_follow_up_page_shows_items_as_text_and_no_key(
    client: TestClient, process: dict[str, Any]
) -> None:
    client.post(
        f"/api/processes/{process['id']}/followups",
        headers=bearer(process["key"]),
        json={"title": "<script>alert(1)</script>", "status": "under_way", "note": "Vi började"},
    )
    page = client.get(f"/p/{process['id']}/follow")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert" not in page.text
    assert process["key"] not in page.text
    assert "Pågår" in page.text  # the status in the process's language


def test_unknown_process_pages_are_not_found(client: TestClient) -> None:
    assert client.get("/p/zzzzzzzzzz/follow").status_code == 404
    assert client.get("/p/zzzzzzzzzz").status_code == 404


def test_wrong_process_keys_count_as_guesses(client: TestClient, process: dict[str, Any]) -> None:
    path = f"/api/processes/{process['id']}"
    codes = [client.get(path, headers=bearer(f"guess{n}")).status_code for n in range(25)]
    assert codes[0] == 403
    assert codes[-1] == 429


def test_importing_commitments_adds_each_chosen_activity_once(
    client: TestClient,
    process: dict[str, Any],
    meeting: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No shipped kind chooses activities yet (SMART actions will): a poll says it chose two.
    chosen = ["Fler vuxna ute på fredagskvällar", "Bättre belysning i parken"]
    monkeypatch.setattr(KINDS["poll"], "commitments", lambda entry, context: chosen)
    join(client, process, meeting)
    path = f"/api/processes/{process['id']}/followups/import"
    first = client.post(path, headers=bearer(process["key"]))
    items = first.json()["process"]["followups"]
    assert [(i["title"], i["status"], i["source"]) for i in items] == [
        (title, "planned", meeting["code"]) for title in chosen
    ]
    again = client.post(path, headers=bearer(process["key"]))
    assert again.json()["changed"] == 0
    assert len(again.json()["process"]["followups"]) == 2
