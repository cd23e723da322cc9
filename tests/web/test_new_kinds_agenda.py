"""An agenda written by hand with every kind of the activity kit: accepted, shown on every role,
kept in the record with its kind, and named in the minutes; bad fields are located problems."""

from __future__ import annotations

import html
import io
import zipfile
from typing import Any

import pytest
from conftest import create_meeting
from starlette.testclient import TestClient

from facilitate.core.kinds import KINDS

from .helpers import Peers, current, record

MEASURES = ["Mer lys i parken", "Flere voksne ute", "Natteravner i helgene"]
AGENDA: dict[str, Any] = {
    "title": "Trygghet i sentrum",
    "language": "nb",
    "activities": [
        {"id": "panel", "kind": "qa", "title": "Spørsmål til panelet", "moderated": True},
        {
            "id": "trygg",
            "kind": "scale",
            "title": "Hvor trygg føler du deg?",
            "items": ["I sentrum om kvelden", "På bussen"],
            "min": 1,
            "max": 5,
            "labels": ["Svært utrygg", "Svært trygg"],
            "dont_know": True,
        },
        {"id": "rekkefolge", "kind": "ranking", "title": "Hva først?", "items": MEASURES},
        {
            "id": "poeng",
            "kind": "points",
            "title": "Fordel 100 poeng",
            "items": MEASURES,
            "budget": 100,
        },
        {"id": "ord", "kind": "wordcloud", "title": "Ett ord om sentrum", "max_words": 3},
        {
            "id": "matrise",
            "kind": "matrix",
            "title": "Innsats og effekt",
            "items_from": {"activity": "rekkefolge", "top": 3},
            "x": {"label": "Innsats", "min": 1, "max": 5},
            "y": {"label": "Effekt", "min": 1, "max": 5},
        },
        {
            "id": "meninger",
            "kind": "statements",
            "title": "Hva mener du?",
            "statements": ["Sentrum er trygt om kvelden", "Politiet bør gå mer til fots"],
            "allow_new": True,
        },
        {
            "id": "problemet",
            "kind": "problem",
            "title": "Problemet og årsakene",
            "items_from": {"activity": "ord", "top": 1},
            "whys": 5,
        },
        {"id": "hvordan", "kind": "actions", "title": "Hva gjør vi, og hvordan vet vi det?"},
        {
            "id": "omdeg",
            "kind": "about",
            "title": "Litt om deg",
            "profile": [
                {"id": "alder", "text": "Alder", "options": ["Under 30", "30–66", "67+"]},
                {"text": "Hvor bor du?", "options": ["Sentrum", "Utenfor"]},
            ],
        },
    ],
}
NEW = {activity["kind"] for activity in AGENDA["activities"]}


def test_the_agenda_names_every_new_kind_of_the_registry() -> None:
    assert NEW == set(KINDS) - {"info", "poll", "notes", "painjoy"}


@pytest.fixture
def made(client: TestClient) -> dict[str, Any]:
    return create_meeting(client, **AGENDA)


def test_every_new_kind_shows_on_the_phone_the_screen_and_the_console(
    client: TestClient, made: dict[str, Any]
) -> None:
    peers = Peers(client, made)
    try:
        console, screen, phone = peers.console(), peers.screen(), peers.phone()
        for activity in AGENDA["activities"]:
            console.ok("goto", activity=activity["id"])
            for peer in (screen, phone, console):
                view = peer.wait_view(lambda v, a=activity: current(v).get("id") == a["id"])
                assert current(view)["kind"] == activity["kind"]
    finally:
        peers.close_all()


def test_the_record_keeps_every_activity_with_its_kind(
    client: TestClient, made: dict[str, Any]
) -> None:
    kept = {a["id"]: a["kind"] for a in record(client, made)["activities"]}
    assert kept == {a["id"]: a["kind"] for a in AGENDA["activities"]}


def _text(document: bytes, fmt: str) -> str:
    if fmt in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(document)) as archive:
            names = [n for n in archive.namelist() if n.endswith(".xml")]
            return html.unescape("\n".join(archive.read(n).decode("utf-8") for n in names))
    return html.unescape(document.decode("utf-8"))


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "xlsx"])
def test_every_title_reaches_the_minutes(
    client: TestClient, made: dict[str, Any], fmt: str
) -> None:
    response = client.get(
        f"/api/meetings/{made['code']}/minutes.{fmt}",
        headers={"Authorization": f"Bearer {made['facilitator_key']}"},
    )
    assert response.status_code == 200, response.text
    text = _text(response.content, fmt)
    for activity in AGENDA["activities"]:
        assert activity["title"] in text, (fmt, activity["title"])


def test_an_about_you_without_questions_or_with_one_option_is_a_located_problem(
    client: TestClient,
) -> None:
    about = AGENDA["activities"][-1]
    for profile, field, code in [
        ([], "activities[0].profile", "questions_count"),
        (
            [{"text": "Alder", "options": ["Ung"]}],
            "activities[0].profile[0].options",
            "options_count",
        ),
        (["Alder"], "activities[0].profile[0]", "shape"),
    ]:
        broken = {**AGENDA, "activities": [{**about, "profile": profile}]}
        response = client.post("/api/meetings", json=broken)
        assert response.status_code == 400
        (problem,) = response.json()["problems"]
        assert (problem["field"], problem["code"]) == (field, code)


def test_a_negative_points_budget_is_a_located_problem(client: TestClient) -> None:
    broken = {**AGENDA, "activities": [{**AGENDA["activities"][3], "budget": -5}]}
    response = client.post("/api/meetings", json=broken)
    assert 400 <= response.status_code < 500
    (problem,) = response.json()["problems"]
    assert problem["field"] == "activities[0].budget"
    assert problem["params"]["activity"] == 1
