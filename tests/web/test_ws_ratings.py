"""Scales and matrices over the websocket: items carried over from dotted pain points, phones
rating and placing them, what the screen shows, refusals in the phone's language, reconnects."""

from __future__ import annotations

from typing import Any

from conftest import create_meeting
from starlette.testclient import TestClient

from .helpers import Peers, activity_record, current

PAINJOY = "pain-joy"  # folkemote: 3 pain and 3 joy dots each, at most 2 on one note
MATRIX = "effort-effect"  # folkemote: the five pain points with most dots, effort and effect
PAIN = ["Mørke snarveier", "Råkjøring i sentrum", "Rus i helgene", "Lite for ungdom",
        "Tagging på skolen", "Søppel i parken"]  # fmt: skip


def test_when_pain_points_are_dotted_then_the_matrix_opens_with_the_top_five(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console, screen = peers.console(), peers.screen()
    phones = [peers.phone() for _ in range(4)]
    console.ok("goto", activity=PAINJOY)
    posted = {
        text: phones[n % 4].ok("note", activity=PAINJOY, text=text, side="pain")["note"]["id"]
        for n, text in enumerate(PAIN)
    }
    phones[0].ok("note", activity=PAINJOY, text="Natteravnene", side="joy")
    console.ok("phase", activity=PAINJOY, phase="dots")
    dots = {  # 3 pain dots a phone, at most 2 on one note
        0: ["Søppel i parken", "Søppel i parken", "Råkjøring i sentrum"],
        1: ["Søppel i parken", "Råkjøring i sentrum", "Tagging på skolen"],
        2: ["Lite for ungdom", "Råkjøring i sentrum", "Mørke snarveier"],
        3: ["Søppel i parken", "Lite for ungdom", "Tagging på skolen"],
    }
    for n, texts in dots.items():
        for text in texts:
            phones[n].ok("dot", activity=PAINJOY, note=posted[text], delta=1)
    ranking = activity_record(client, meeting, PAINJOY)["ranking"]["pain"]
    top = [item["text"] for item in ranking[:5]]
    assert top[:2] == ["Søppel i parken", "Råkjøring i sentrum"]
    assert "Rus i helgene" not in top

    console.ok("goto", activity=MATRIX)
    view = screen.wait_view(lambda v: current(v).get("id") == MATRIX)
    assert current(view)["items"] == [{"nb": text} for text in top]
    assert current(view)["x"]["label"]["en"] == "Effort" and current(view)["quadrants"] == {}

    ack = phones[0].ok("place", activity=MATRIX, item=0, x=1, y=5)
    assert ack["own"] == {"places": [{"item": 0, "x": 1, "y": 5}]}
    phones[1].ok("place", activity=MATRIX, item=0, x=2, y=4)
    phones[1].ok("place", activity=MATRIX, item=4, x=5, y=1)
    phones[1].ok("place", activity=MATRIX, item=4, x=4, y=1)  # a later place replaces it

    def placed(v: dict[str, Any]) -> bool:
        rows = current(v).get("positions") or [{}]
        return rows[0].get("n") == 2 and rows[4].get("x") == 4.0  # after the later place

    positions = current(screen.wait_view(placed))["positions"]
    assert positions[0] == {
        "item": 0, "n": 2, "x": 1.5, "y": 4.5, "sd_x": 0.5, "sd_y": 0.5, "quadrant": "top_left"
    }  # fmt: skip
    assert positions[4]["quadrant"] == "bottom_right" and positions[4]["n"] == 1
    entry = activity_record(client, meeting, MATRIX)
    assert [row["text"] for row in entry["positions"]] == [{"nb": text} for text in top]
    assert entry["raters"] == entry["responders"] == 2


def test_when_a_place_breaks_a_rule_then_the_phone_is_told_why_in_its_language(
    peers: Peers,
) -> None:
    console, phone = peers.console(), peers.phone(lang="nb")
    console.ok("goto", activity=MATRIX)  # nothing dotted: no items came over
    answer = phone.do("place", activity=MATRIX, item=0, x=1, y=1)
    assert (answer["code"], answer["message"]) == (
        "unknown_item",
        "Det punktet finnes ikke i denne aktiviteten. Last inn siden på nytt.",
    )
    answer = phone.do("place", activity=MATRIX, item=0, x=1, y=None)
    assert answer["code"] == "unknown_item"  # the item is checked first
    phone.send("place", activity=MATRIX, item="0", x=1, y=1)  # an item is a number
    assert phone.until(lambda m: m["type"] == "error")["code"] == "bad_message"
    assert phone.refused("rate", activity=MATRIX, item=0, value=1) == "wrong_kind"


SCALE = {
    "id": "agree",
    "kind": "scale",
    "title": "Hvor enig er du?",
    "items": ["Jeg føler meg trygg i sentrum", "Det er nok lys på gangveiene"],
    "min": 0,
    "max": 10,
    "labels": ["Helt uenig", "Helt enig"],
    "results": "reveal",
}
PLACES = {
    "id": "places",
    "kind": "matrix",
    "title": "Innsats og effekt",
    "items": ["Lys", "Vakter"],
    "x": {"label": "Innsats"},
    "y": {"label": "Effekt"},
}


def test_when_phones_rate_statements_then_the_screen_shows_them_once_revealed(
    client: TestClient,
) -> None:
    created = create_meeting(client, title="Skala", language="nb", activities=[SCALE, PLACES])
    peers = Peers(client, created)
    try:
        console, screen = peers.console(), peers.screen()
        first, second = peers.phone(lang="nb"), peers.phone(lang="sv")
        console.ok("goto", activity="agree")
        first.ok("rate", activity="agree", item=0, value=7)
        first.ok("rate", activity="agree", item=1, value=None, dont_know=True)
        second.ok("rate", activity="agree", item=0, value=10)
        answer = second.do("rate", activity="agree", item=1, value=11)
        assert (answer["code"], answer["message"]) == (
            "out_of_range",
            "Välj ett tal från 0 till 10.",
        )
        answer = second.do("rate", activity="agree", item=1, value=3, dont_know=True)
        assert answer["message"] == "Välj ett tal eller ”Vet inte”, inte båda."
        view = screen.wait_view(lambda v: current(v).get("responders") == 2)
        assert "scores" not in current(view)  # results = "reveal"
        console.ok("reveal", activity="agree")
        view = screen.wait_view(lambda v: "scores" in current(v))
        assert current(view)["scores"][0] | {"counts": None} == {
            "item": 0, "counts": None, "n": 2, "mean": 8.5, "median": 8.5, "sd": 1.5,
            "dont_know": 0,
        }  # fmt: skip
        assert current(view)["scores"][1]["dont_know"] == 1 and current(view)["raters"] == 2

        again = peers.phone(token=first.welcome["token"], lang="nb")  # type: ignore[index]
        assert again.snapshot["mine"]["agree"] == {  # type: ignore[index]
            "ratings": [{"item": 0, "value": 7}, {"item": 1, "dont_know": True}]
        }
        console.ok("goto", activity="places")
        answer = again.do("place", activity="places", item=1, x=3, y=None)
        assert (answer["code"], answer["message"]) == (
            "both_axes",
            "Plasser det på begge skalaene.",
        )
    finally:
        peers.close_all()
