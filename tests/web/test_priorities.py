"""Rankings and points over the websocket, with items carried over from an earlier activity."""

from __future__ import annotations

from typing import Any

from conftest import create_meeting
from starlette.testclient import TestClient

from .helpers import Peers, activity_record, current, record

HEART_PAIN = "heart-pain"  # youth-workshop: pain and heart points with 3 dots of each
DO_FIRST = "do-first"  # youth-workshop: a ranking of the top 5 pain points, results = "reveal"


def minutes_md(client: TestClient, meeting: dict[str, Any]) -> str:
    response = client.get(
        f"/api/meetings/{meeting['code']}/minutes.md",
        headers={"authorization": f"Bearer {meeting['facilitator_key']}"},
    )
    assert response.status_code == 200
    return response.text


def test_when_pain_points_get_dots_then_the_ranking_ranks_those_on_top(
    client: TestClient,
) -> None:
    meeting = create_meeting(client, plan="youth-workshop")
    peers = Peers(client, meeting)
    try:
        console, screen = peers.console(), peers.screen()
        phones = [peers.phone(lang="nb") for _ in range(3)]
        console.ok("goto", activity=HEART_PAIN)
        for phone, text in zip(
            phones,
            ["Mørk undergang", "Råkjøring i sentrum", "Lite å gjøre på kvelden"],
            strict=True,
        ):
            phone.ok("note", activity=HEART_PAIN, text=text, side="pain")
        phones[0].ok("note", activity=HEART_PAIN, text="Ungdomsklubben", side="joy")
        console.ok("phase", activity=HEART_PAIN, phase="dots")
        notes = {n["text"]: n["id"] for n in phones[0].wait_view(
            lambda v: len(current(v).get("ranking", {}).get("pain", [])) == 3
        )["activity"]["ranking"]["pain"]}  # fmt: skip
        for phone in phones:
            phone.ok("dot", activity=HEART_PAIN, note=notes["Råkjøring i sentrum"], delta=1)
        phones[0].ok("dot", activity=HEART_PAIN, note=notes["Lite å gjøre på kvelden"], delta=1)

        console.ok("goto", activity=DO_FIRST)
        drawn = [
            {"id": "i1", "text": {"nb": "Råkjøring i sentrum"}},
            {"id": "i2", "text": {"nb": "Lite å gjøre på kvelden"}},
            {"id": "i3", "text": {"nb": "Mørk undergang"}},
        ]  # by dots; only the pain points, and only the three there are
        view = phones[1].wait_view(lambda v: current(v).get("id") == DO_FIRST)
        assert current(view)["kind"] == "ranking" and current(view)["items"] == drawn

        missing = phones[1].do("rank", activity=DO_FIRST, order=["i3", "i1"])
        assert (missing["code"], missing["message"]) == (
            "missing_items",
            "Ta med alle punktene i rekkefølgen din: 1 mangler.",
        )
        ack = phones[1].ok("rank", activity=DO_FIRST, order=["i3", "i1", "i2"])
        assert (ack["activity"], ack["own"]) == (DO_FIRST, {"order": ["i3", "i1", "i2"]})
        phones[2].ok("rank", activity=DO_FIRST, order=["i3", "i2", "i1"])
        assert phones[2].refused("rank", activity=DO_FIRST, order=["i3", "i3", "i1"]) == (
            "duplicate_item"
        )

        waiting = screen.wait_view(lambda v: current(v).get("responders") == 2)
        assert "standings" not in current(waiting)  # results = "reveal"
        assert console.wait_view(lambda v: "standings" in current(v))
        console.ok("reveal", activity=DO_FIRST)
        shown = screen.wait_view(lambda v: "standings" in current(v))
        standings = current(shown)["standings"]
        assert standings["rankers"] == 2
        assert [(r["text"]["nb"], r["score"], r["average"]) for r in standings["items"]] == [
            ("Mørk undergang", 4, 1.0),
            ("Råkjøring i sentrum", 1, 2.5),
            ("Lite å gjøre på kvelden", 1, 2.5),
        ]

        # Later dots do not change what was ranked: the items were drawn once.
        console.ok("goto", activity=HEART_PAIN)
        phones[1].ok("dot", activity=HEART_PAIN, note=notes["Mørk undergang"], delta=1)
        console.ok("goto", activity=DO_FIRST)
        entry = activity_record(client, meeting, DO_FIRST)
        assert entry["items_from"] == {"activity": HEART_PAIN, "top": 5}
        assert [r["text"]["nb"] for r in entry["standings"]["items"]] == [
            "Mørk undergang",
            "Råkjøring i sentrum",
            "Lite å gjøre på kvelden",
        ]
        assert sorted(r["id"] for r in entry["standings"]["items"]) == ["i1", "i2", "i3"]
        assert "| 1 | Mørk undergang | 4 | 1,00 |" in minutes_md(client, meeting)
    finally:
        peers.close_all()


SPEND = {
    "title": "Budsjett",
    "language": "nb",
    "activities": [
        {
            "id": "spend",
            "kind": "points",
            "title": "Hvor skal pengene brukes?",
            "items": ["Lys i parken", "Natteravner", "Fartskontroller"],
        }
    ],
}


def test_when_a_phone_would_overspend_then_it_is_refused_and_keeps_its_points(
    client: TestClient,
) -> None:
    meeting = create_meeting(client, **SPEND)
    peers = Peers(client, meeting)
    try:
        console, screen = peers.console(), peers.screen()
        phone, other = peers.phone(lang="nb"), peers.phone(lang="sv")
        console.ok("goto", activity="spend")
        view = phone.wait_view(lambda v: current(v).get("id") == "spend")
        assert current(view)["budget"] == 100

        ack = phone.ok("allot", activity="spend", points={"i1": 70, "i2": 30})
        assert ack["own"] == {"points": {"i1": 70, "i2": 30}, "remaining": 0}
        over = phone.do("allot", activity="spend", points={"i1": 70, "i2": 30, "i3": 1})
        assert (over["code"], over["message"]) == (
            "over_budget",
            "Det er 101 poeng; du har 100 å gi.",
        )
        assert other.do("allot", activity="spend", points={"i3": 250})["message"] == (
            "Det är 250 poäng; du har 100 att ge."
        )
        assert other.refused("allot", activity="spend", points={"i3": -1}) == "bad_points"
        assert other.refused("allot", activity="spend", points={"i9": 1}) == "unknown_item"
        other.ok("allot", activity="spend", points={"i3": 40})

        shown = screen.wait_view(lambda v: current(v).get("totals", {}).get("voters") == 2)
        assert [(r["id"], r["points"], r["share"]) for r in current(shown)["totals"]["items"]] == [
            ("i1", 70, 50),
            ("i3", 40, 29),
            ("i2", 30, 21),
        ]
        assert phone.mine == {"spend": {"points": {"i1": 70, "i2": 30}, "remaining": 0}}
        assert record(client, meeting)["activities"][0]["totals"]["given"] == 140
    finally:
        peers.close_all()
