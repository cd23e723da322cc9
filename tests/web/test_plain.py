"""The phone page without scripts: the current activity as plain HTML forms, posted to the
server, checked and saved as the websocket's commands are, and marked by channel in the record
(docs/protocol.md, "Plain forms")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from conftest import create_meeting
from starlette.testclient import TestClient

from facilitate.app import create_app
from facilitate.core.kinds import KINDS
from facilitate.core.kinds.base import Kind
from facilitate.settings import Settings
from facilitate.web import plain
from facilitate.web.plain import COOKIE, COOKIE_SECONDS

from .helpers import Peer, Peers, activity_record, record, scripts

AGENDA: dict[str, Any] = {
    "title": "Trygghet på Torget",
    "language": "en",
    "activities": [
        {"id": "welcome", "kind": "info", "title": "Welcome"},
        {
            "id": "safe",
            "kind": "poll",
            "title": "Do you feel safe?",
            "options": ["Yes", "No"],
            "none_option": True,
        },
        {
            "id": "ideas",
            "kind": "notes",
            "title": "What should change?",
            "columns": ["Where", "When"],
            "max_length": 40,
        },
        {"id": "pj", "kind": "painjoy", "title": "Pain and heart", "dots": 2},
        {
            "id": "agree",
            "kind": "scale",
            "title": "How much do you agree?",
            "items": ["Safe at night", "Enough light"],
            "labels": ["Not at all", "Fully"],
        },
        {
            "id": "effort",
            "kind": "matrix",
            "title": "Effort and effect",
            "items": ["Lights", "Patrols"],
            "x": {"label": "Effort", "min": 1, "max": 5},
            "y": {"label": "Effect", "min": 1, "max": 5},
        },
        {
            "id": "first",
            "kind": "ranking",
            "title": "What first?",
            "items": ["Lights", "Patrols", "Benches"],
        },
        {
            "id": "spend",
            "kind": "points",
            "title": "Spend 10 points",
            "items": ["Lights", "Patrols"],
            "budget": 10,
        },
        {"id": "words", "kind": "wordcloud", "title": "Three words", "max_words": 2},
        {
            "id": "views",
            "kind": "statements",
            "title": "What do you think?",
            "allow_new": True,
            "statements": ["The square is safe", "We need more light"],
        },
        {"id": "ask", "kind": "qa", "title": "Questions to the panel", "moderated": False},
        {"id": "cause", "kind": "problem", "title": "The problem", "whys": 2},
        {"id": "todo", "kind": "actions", "title": "What do we do?"},
    ],
}
KINDS_OF = {activity["id"]: activity["kind"] for activity in AGENDA["activities"]}
HIDDEN = re.compile(r'<input type="hidden" name="(csrf|nonce|activity)" value="([^"]*)">')


class Phone:
    """One phone with scripts off: its own participant cookie, and the hidden fields of the last
    page it was shown (the form it would post)."""

    def __init__(self, client: TestClient, code: str, token: str | None = None) -> None:
        self.client = client
        self.code = code
        self.token = token
        self.fields: dict[str, str] = {}
        self.page = ""
        self.action = f"/{code}/plain"

    def _cookies(self) -> dict[str, str]:
        self.client.cookies.clear()  # every phone keeps its own: only this one's goes
        return {"cookie": f"{COOKIE}={self.token}"} if self.token else {}

    def _remember(self, response: httpx.Response) -> None:
        token = response.cookies.get(COOKIE)
        if token:
            self.token = token
        self.page = response.text
        found = dict(HIDDEN.findall(response.text))
        if found:
            self.fields = found
        action = re.search(r'<form method="post" action="([^"]+)"', response.text)
        if action:
            self.action = unescape(action.group(1))

    def open(self, path: str = "/plain", **headers: str) -> httpx.Response:
        response = self.client.get(f"/{self.code}{path}", headers={**self._cookies(), **headers})
        self._remember(response)
        return response

    def send(self, headers: dict[str, str] | None = None, **fields: Any) -> httpx.Response:
        """Post the last page's form with these fields (a list for several values); a 303 is
        followed to the page it leads to."""
        body = {**self.fields, **fields}
        response = self.client.post(
            self.action,
            data=body,
            headers={**self._cookies(), **(headers or {})},
            follow_redirects=False,
        )
        self._remember(response)
        return response

    def saves(self, **fields: Any) -> None:
        """Post the form; it must be saved (303 to the saved page)."""
        response = self.send(**fields)
        assert response.status_code == 303, error_of(response.text)
        assert response.headers["location"] == f"/{self.code}/plain/saved"
        assert self.open("/plain/saved").status_code == 200
        assert "Your answer is saved." in self.page
        self.open()

    def refused(self, status: int = 400, **fields: Any) -> str:
        """Post the form; it must be refused: the page's message."""
        response = self.send(**fields)
        assert response.status_code == status, response.text
        return error_of(response.text)


def error_of(html: str) -> str:
    found = re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', html, re.S)
    return unescape(found.group(1)) if found else ""


@pytest.fixture
def agenda(client: TestClient) -> dict[str, Any]:
    return create_meeting(client, **AGENDA)


@pytest.fixture
def console(client: TestClient, agenda: dict[str, Any]) -> Iterator[Peer]:
    peers = Peers(client, agenda)
    try:
        yield peers.console()
    finally:
        peers.close_all()


@pytest.fixture
def phone(client: TestClient, agenda: dict[str, Any]) -> Phone:
    return Phone(client, agenda["code"])


def show(console: Peer, phone: Phone, activity: str) -> None:
    console.ok("goto", activity=activity)
    assert phone.open().status_code == 200
    assert f'data-kind="{KINDS_OF[activity]}"' in phone.page


# -- the page, the cookie, the identity ---------------------------------------------------------


def test_when_a_phone_opens_the_plain_page_then_it_gets_a_token_in_a_cookie_only_this_meeting_sees(
    client: TestClient, agenda: dict[str, Any], phone: Phone
) -> None:
    response = phone.open()
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", f"path=/{agenda['code']}"} <= flags
    assert f"max-age={COOKIE_SECONDS}" in flags
    assert "secure" not in flags  # the hall's plain http: a secure cookie would never come back
    assert phone.token and len(phone.token) >= 16
    assert scripts(response.text).scripts == []  # no script at all, not even a data block
    assert scripts(response.text).handlers == []
    assert response.headers["referrer-policy"] == "same-origin"
    assert "Welcome! The meeting will start soon." in response.text
    assert record(client, agenda)["participants"]["opened"] == 1
    # Opening it again is the same phone.
    first = phone.token
    phone.open()
    assert phone.token == first
    assert record(client, agenda)["participants"]["opened"] == 1


def test_when_the_cookie_s_token_says_hello_on_the_websocket_then_it_is_the_same_participant(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "safe")
    phone.saves(choice="o2", do="vote")
    live = Peers(client, agenda).phone(token=phone.token)
    assert live.snapshot is not None
    assert live.snapshot["mine"]["safe"] == {"choices": ["o2"]}
    live.close()


def test_when_the_join_form_comes_without_scripts_then_it_leads_to_the_plain_page(
    client: TestClient, agenda: dict[str, Any]
) -> None:
    code = agenda["code"]
    assert (
        '<noscript><input type="hidden" name="plain" value="1"></noscript>' in client.get("/").text
    )
    found = client.get(f"/join?code={code}&plain=1", follow_redirects=False)
    assert found.headers["location"].endswith(f"/{code}/plain")
    found = client.get(f"/join?code={code}", follow_redirects=False)
    assert found.headers["location"].endswith(f"/{code}")
    # The live page, without scripts, shows the way there.
    page = client.get(f"/{code}").text
    assert f'<noscript><p class="error"><a href="/{code}/plain">' in page


def test_when_the_plain_page_is_asked_in_swedish_then_it_speaks_swedish(
    agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    console.ok("goto", activity="safe")
    response = phone.open("/plain?lang=sv")
    assert '<html lang="sv">' in response.text
    assert "Välj ett svar." in response.text
    assert f'action="/{agenda["code"]}/plain?lang=sv"' in response.text
    refused = phone.send(do="vote", headers=None)
    assert error_of(refused.text) == "Välj ett svar först."


def test_when_an_unknown_meeting_is_opened_then_the_join_page_says_so(client: TestClient) -> None:
    response = client.get("/000000/plain?lang=en")
    assert response.status_code == 404
    assert "No meeting has the code 000000" in response.text


# -- forged and stale posts -------------------------------------------------------------------


def test_when_a_post_has_no_form_token_or_another_phone_s_then_nothing_is_saved(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "safe")
    other = Phone(client, agenda["code"])
    other.open()
    assert other.fields["csrf"] != phone.fields["csrf"]
    assert "out of date" in phone.refused(403, choice="o1", do="vote", csrf="")
    assert "out of date" in phone.refused(403, choice="o1", do="vote", csrf=other.fields["csrf"])
    # The page is drawn again with a fresh token and what was chosen: sending again works.
    assert 'value="o1" checked' in phone.page
    phone.saves(choice="o1", do="vote")
    assert activity_record(client, agenda, "safe")["tally"]["voters"] == 1


def test_when_a_post_comes_from_another_site_then_it_is_refused(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "safe")
    for headers in (
        {"origin": "http://evil.example"},
        {"origin": "null"},  # a sandboxed page, or one that sends no referrer
        {"referer": "http://evil.example/trap.html"},
    ):
        refused = phone.send(headers=headers, choice="o1", do="vote")
        assert refused.status_code == 403
        assert error_of(refused.text).startswith("This form was sent from another site.")
    # From a page of this server, it is saved.
    phone.open()
    response = phone.send(
        headers={"origin": "http://testserver", "referer": f"http://testserver/{phone.code}/plain"},
        choice="o1",
        do="vote",
    )
    assert response.status_code == 303
    assert activity_record(client, agenda, "safe")["tally"]["counts"]["o1"] == 1


def test_when_a_browser_sends_no_cookie_then_the_page_says_to_allow_cookies(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "safe")
    phone.token = None
    message = phone.refused(403, choice="o1", do="vote")
    assert message.startswith("Your browser did not send this meeting's cookie.")
    assert activity_record(client, agenda, "safe")["tally"]["voters"] == 0


def test_when_the_same_form_is_sent_twice_then_it_is_saved_once(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "ideas")
    fields = dict(phone.fields)
    for _ in range(2):  # a double tap: the same rendering of the form, twice
        phone.fields = dict(fields)
        assert phone.send(text="More benches", column="0").status_code == 303
    assert [n["text"] for n in activity_record(client, agenda, "ideas")["notes"]] == [
        "More benches"
    ]
    phone.open()  # a fresh form: a second note of the same text is a second note
    phone.saves(text="More benches", column="0")
    assert len(activity_record(client, agenda, "ideas")["notes"]) == 2


def test_when_a_form_is_not_a_form_then_it_is_refused_not_a_crash(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "safe")
    response = client.post(
        f"/{agenda['code']}/plain",
        content=b'{"choice": "o1"}',
        headers={"content-type": "application/json", "cookie": f"{COOKIE}={phone.token}"},
    )
    assert response.status_code == 400
    response = client.post(
        f"/{agenda['code']}/plain",
        content=b"choice=%FF%FE",
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "cookie": f"{COOKIE}={phone.token}",
        },
    )
    assert response.status_code == 400
    huge = phone.send(text="x" * (400 * 1024))
    assert huge.status_code == 400
    assert error_of(huge.text) == "That was too long to send."


# -- every kind's form --------------------------------------------------------------------------


def test_when_a_phone_votes_by_form_then_the_record_has_the_vote_marked_by_channel(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "safe")
    assert phone.refused(do="vote") == "Choose an answer first."
    phone.saves(choice="o1", do="vote")
    assert 'value="o1" checked' in phone.page  # what this phone gave, drawn again
    phone.saves(choice="o2", do="vote")
    assert phone.refused(choice=["o1", "o2"], do="vote") == "Choose only one answer."
    found = activity_record(client, agenda, "safe")
    assert found["tally"]["counts"] == {"o1": 0, "o2": 1, "none": 0}
    assert (found["responders"], found["by_form"]) == (1, 1)
    phone.saves(do="withdraw")
    assert activity_record(client, agenda, "safe")["tally"]["voters"] == 0


def test_when_a_phone_posts_a_note_by_form_then_it_is_in_the_record_as_a_form_note(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "ideas")
    assert phone.refused(text="Darker paths") == "Choose where the note belongs."
    assert "Darker paths" in phone.page  # kept as typed
    phone.saves(text="Lights at the station", column="1")
    assert "Lights at the station" in phone.page  # among this phone's notes
    (note,) = activity_record(client, agenda, "ideas")["notes"]
    assert (note["text"], note["column"], note["channel"]) == ("Lights at the station", 1, "form")


def test_when_a_note_is_too_long_then_the_page_says_so_and_keeps_what_was_typed(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "ideas")
    typed = "The underpass by the station is dark & <scary> at night"
    assert phone.refused(text=typed, column="0") == "A note can hold at most 40 characters."
    assert "The underpass by the station is dark &amp; &lt;scary&gt; at night</textarea>" in (
        phone.page
    )
    assert activity_record(client, agenda, "ideas")["notes"] == []


def test_when_input_is_closed_then_the_form_is_refused_and_the_page_says_closed(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "safe")
    console.ok("close", activity="safe")
    assert phone.refused(choice="o1", do="vote") == "Input is closed for this activity."
    assert "Input is closed for this activity." in phone.open().text
    assert 'name="choice"' not in phone.page
    assert activity_record(client, agenda, "safe")["tally"]["voters"] == 0


def test_when_a_note_names_someone_then_the_phone_sees_it_wait(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "ideas")
    phone.saves(text="<b>Ring 98765432</b>", column="0")
    assert "&lt;b&gt;Ring 98765432&lt;/b&gt;" in phone.page  # text, never markup
    assert "Waiting for the facilitator." in phone.page


def test_when_pain_points_and_dots_come_by_form_then_they_count(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "pj")
    assert phone.refused(text="Dark underpass") == "Choose pain point or heart point."
    phone.saves(text="Dark underpass", side="pain")
    (note,) = activity_record(client, agenda, "pj")["notes"]
    console.ok("phase", activity="pj", phase="dots")
    phone.open()
    assert "Pain point: 2 left" in phone.page
    phone.saves(dot=f"{note['id']} 1")
    phone.saves(dot=f"{note['id']} 1")
    assert "Pain point: 0 left" in phone.page
    assert phone.refused(dot=f"{note['id']} 1").startswith("All your dots of this kind are placed.")
    phone.saves(dot=f"{note['id']} -1")
    (note,) = activity_record(client, agenda, "pj")["notes"]
    assert (note["dots"], note["channel"]) == (1, "form")


def test_when_a_scale_is_answered_by_form_then_each_item_is_rated_or_taken_back(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "agree")
    assert '<option value="1">1 – Not at all</option>' in phone.page
    phone.saves(item0="4", item1="dk")
    scores = activity_record(client, agenda, "agree")["scores"]
    assert (scores[0]["counts"][3], scores[1]["dont_know"]) == (1, 1)
    assert '<option value="4" selected>' in phone.page
    phone.saves(item0="", item1="dk")  # "No answer" takes the rating back
    scores = activity_record(client, agenda, "agree")["scores"]
    assert (scores[0]["n"], scores[1]["dont_know"]) == (0, 1)
    assert phone.refused(item0="9", item1="") == "Choose a number from 1 to 5."
    assert phone.refused(item0="four") == "Write whole numbers only, such as 3."


def test_when_a_matrix_is_answered_by_form_then_each_item_is_placed(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "effort")
    phone.saves(x0="2", y0="5")
    rows = activity_record(client, agenda, "effort")["positions"]
    assert (rows[0]["x"], rows[0]["y"], rows[1]["n"]) == (2, 5, 0)
    assert phone.refused(x0="2", y0="5", x1="3") == "Place it on both scales."


def test_when_a_ranking_is_numbered_by_form_then_ties_and_gaps_are_refused_clearly(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "first")
    same = "Two items have the same number: give each its own, from 1 to 3."
    assert phone.refused(i1="1", i2="1", i3="2") == same
    assert phone.refused(i1="1", i2="2", i3="") == "Give every item a number from 1 to 3."
    assert phone.refused(i1="1", i2="2", i3="4") == "Give every item a number from 1 to 3."
    assert phone.refused(i1="1", i2="2", i3="3.5") == "Write whole numbers only, such as 3."
    phone.saves(i1="3", i2="1", i3="2")
    assert 'name="i2" min="1" max="3" step="1" inputmode="numeric" value="1"' in phone.page
    standings = activity_record(client, agenda, "first")["standings"]
    assert [row["id"] for row in standings["items"]] == ["i2", "i3", "i1"]
    assert activity_record(client, agenda, "first")["by_form"] == 1


def test_when_points_are_spread_by_form_then_the_budget_holds(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "spend")
    assert phone.refused(i1="8", i2="5") == "That is 13 points; you have 10 to give."
    phone.saves(i1="7", i2="")
    totals = activity_record(client, agenda, "spend")["totals"]
    assert (totals["given"], totals["voters"]) == (7, 1)
    assert "3 of 10 points left" in phone.page


def test_when_words_are_sent_by_form_then_they_replace_the_ones_before(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "words")
    assert phone.refused(word=["Dark", "dark."]) == "You wrote the same word twice."
    phone.saves(word=["Dark", ""])
    phone.saves(word=["Quiet", "Safe"])
    words = activity_record(client, agenda, "words")["words"]
    assert sorted(w["text"] for w in words) == ["Quiet", "Safe"]
    assert 'value="Quiet"' in phone.page


def test_when_statements_are_answered_and_proposed_by_form_then_both_are_saved(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "views")
    phone.saves(stance="s2 agree")
    assert "Your answer: Agree" in phone.page
    phone.saves(text="Buses should run later")
    assert "Sent. The facilitator reads it first." in phone.page
    found = activity_record(client, agenda, "views")
    assert found["answers"] == 1
    assert [(p["text"], p["channel"]) for p in found["moderation"]] == [
        ("Buses should run later", "form")
    ]
    assert phone.refused(stance="s2 maybe") == "Answer agree, disagree or pass."


def test_when_questions_are_asked_and_upvoted_by_form_then_both_count(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "ask")
    live = Peers(client, agenda).phone()
    asked = live.ok("note", activity="ask", text="Why is it dark?")
    other = asked["note"]["id"]
    phone.saves(text="When do the lights come?")
    phone.saves(upvote=f"{other} 1")
    assert "Take my vote back from: Why is it dark?" in phone.page
    questions = {q["text"]: q for q in activity_record(client, agenda, "ask")["questions"]}
    assert questions["Why is it dark?"]["votes"] == 1
    assert questions["When do the lights come?"]["channel"] == "form"
    phone.saves(upvote=f"{other} 0")
    own = questions["When do the lights come?"]["id"]
    assert phone.refused(upvote=f"{own} 1") == "You cannot upvote your own question."
    live.close()


def test_when_a_problem_gets_an_answer_by_form_then_it_is_in_its_field(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "cause")
    assert '<option value="why2"' not in phone.page  # opens once "why" 1 has an answer
    phone.saves(field="why1", text="Nobody fixes the lights")
    assert '<option value="why2"' in phone.page
    why = next(f for f in activity_record(client, agenda, "cause")["form"] if f["field"] == "why1")
    assert [(c["text"], c["channel"]) for c in why["contributions"]] == [
        ("Nobody fixes the lights", "form")
    ]
    assert phone.refused(field="why9", text="x").startswith("That question is not in this form.")


def test_when_activities_are_proposed_and_backed_by_form_then_both_are_saved(
    client: TestClient, agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "todo")
    live = Peers(client, agenda).phone()
    proposed = live.ok("propose_action", activity="todo", what="Night walks")
    other = proposed["own"]["actions"][0]["id"]
    phone.open()
    phone.saves(what="Lights in the park", when="March")
    phone.saves(back=f"{other} support")
    assert "Take it back: Support it" in phone.page
    actions = {a["what"]: a for a in activity_record(client, agenda, "todo")["actions"]}
    assert actions["Night walks"]["supports"] == 1
    assert (actions["Lights in the park"]["when"], actions["Lights in the park"]["channel"]) == (
        "March",
        "form",
    )
    assert phone.refused(what="") == "Write something first."
    live.close()


def test_every_kind_that_takes_input_has_a_plain_form_and_reads_it() -> None:
    templates = Path(__file__).resolve().parents[2] / "templates" / "kinds"
    for name, kind in KINDS.items():
        drawn = "{% macro plain(" in (templates / f"{name}.html").read_text("utf-8")
        reads = type(kind).from_form is not Kind.from_form
        assert drawn == reads == kind.takes_input, name


def test_when_a_kind_takes_no_forms_then_the_page_says_it_needs_the_app(
    client: TestClient,
    agenda: dict[str, Any],
    console: Peer,
    phone: Phone,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    show(console, phone, "safe")
    monkeypatch.setattr(type(KINDS["poll"]), "from_form", Kind.from_form)
    message = phone.refused(choice="o1", do="vote")
    assert message.startswith("This activity cannot be answered on the simple page.")
    assert activity_record(client, agenda, "safe")["tally"]["voters"] == 0


def test_when_an_info_slide_is_shown_then_the_page_says_to_look_at_the_screen(
    agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    show(console, phone, "safe")
    show(console, phone, "welcome")  # a form from the poll's page is still in hand
    assert "Look at the screen and listen." in phone.page
    assert "<form" not in phone.page.split("<main", 1)[1].split("</main>", 1)[0]
    assert phone.refused(activity="welcome", do="vote") == "This slide takes no input."


def test_when_the_meeting_has_ended_then_the_page_thanks_and_points_to_the_results(
    agenda: dict[str, Any], console: Peer, phone: Phone
) -> None:
    console.ok("end")
    assert "Thank you for taking part!" in phone.open().text
    assert f"/{agenda['code']}/results" in phone.page


# -- tables and limits -------------------------------------------------------------------------


def test_when_an_activity_is_answered_per_table_then_the_phone_chooses_its_table_first(
    client: TestClient,
) -> None:
    meeting = create_meeting(
        client,
        title="Bord",
        language="en",
        tables=2,
        activities=[
            {
                "id": "safe",
                "kind": "poll",
                "title": "Safe?",
                "options": ["Yes", "No"],
                "scope": "table",
            }
        ],
    )
    peers = Peers(client, meeting)
    console = peers.console()
    phone = Phone(client, meeting["code"])
    console.ok("goto", activity="safe")
    phone.open()
    assert "Choose the table you sit at first." in phone.page
    assert phone.refused(choice="o1", do="vote") == "Choose the table you sit at first."
    phone.saves(do="sit", table="t2")
    phone.saves(choice="o1", do="vote")
    parts = {p["table"]: p for p in activity_record(client, meeting, "safe")["parts"]}
    assert (parts["t1"]["tally"]["voters"], parts["t2"]["tally"]["voters"]) == (0, 1)
    assert '<option value="t2" selected>' in phone.page
    peers.close_all()


def test_when_many_new_phones_come_from_one_network_then_the_plain_page_asks_to_wait(
    db_path: Path,
) -> None:
    settings = Settings(db_path=db_path, new_phones_burst=1, new_phones_per_second=0.001)
    with TestClient(create_app(settings)) as client:
        meeting = create_meeting(client, **AGENDA)
        first = Phone(client, meeting["code"])
        assert first.open().status_code == 200
        second = Phone(client, meeting["code"])
        response = second.open()
        assert response.status_code == 429
        assert error_of(response.text).startswith("Many phones are joining from this network")
        assert '<meta http-equiv="refresh" content="5">' in response.text
        assert "set-cookie" not in response.headers  # no identity was made
        assert first.open().status_code == 200  # a phone already in is never turned away
        assert record(client, meeting)["participants"]["opened"] == 1


def test_when_a_phone_posts_forms_faster_than_a_person_could_then_it_is_asked_to_slow_down(
    client: TestClient,
    agenda: dict[str, Any],
    console: Peer,
    phone: Phone,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(plain, "FORM_BURST", 2)
    monkeypatch.setattr(plain, "FORM_RATE", 0.0)  # never refills within the test
    show(console, phone, "safe")
    phone.saves(choice="o1", do="vote")
    phone.saves(choice="o2", do="vote")
    message = phone.refused(429, choice="o1", do="vote")
    assert message == "That is a lot at once. Wait a little and try again."
    assert activity_record(client, agenda, "safe")["tally"]["counts"]["o2"] == 1
    other = Phone(client, agenda["code"])  # a phone of its own has a budget of its own
    other.open()
    other.saves(choice="o1", do="vote")
