"""A kiosk: one tablet at a stand, a fresh anonymous participant for each person in turn
(docs/without-a-phone.md). Here the server's side: the page and what the record keeps."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from conftest import create_meeting
from starlette.testclient import TestClient

from .helpers import Peers, record, scripts

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


# -- the page ---------------------------------------------------------------------------------


def kiosk_page(client: TestClient, code: str, **params: str) -> Any:
    return client.get(f"/{code}/kiosk", params=params)


def test_when_the_kiosk_page_opens_then_it_asks_after_a_minute_and_counts_down_ten_seconds(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    code = meeting["code"]
    page = kiosk_page(client, code)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    sources = [s["attrs"]["src"] for s in scripts(page.text).scripts if "src" in s["attrs"]]
    assert 'data-kiosk-idle="60"' in page.text and 'data-kiosk-countdown="10"' in page.text
    assert f'data-kiosk-restart="/{code}/kiosk"' in page.text
    assert 'data-testid="kiosk-done"' in page.text
    # Its own module, which starts the phone's script; both fetched at once.
    assert [source.split("/static/")[1] for source in sources] == ["js/kiosk.js"]
    for module in ("js/kiosk.js", "js/participant.js", "js/live.js"):
        assert f'rel="modulepreload" href="/static/{module}"' in page.text
    assert "/static/css/kiosk.css" in page.text


def test_when_the_kiosk_is_given_its_times_and_a_table_then_it_keeps_them_when_it_starts_over(
    client: TestClient,
) -> None:
    tabled = create_meeting(
        client,
        title="Dialogmøte",
        tables=2,
        activities=[{"kind": "notes", "title": "Ideer", "scope": "table"}],
    )
    code = tabled["code"]
    page = kiosk_page(client, code, table="t2", idle="120", countdown="15").text
    assert 'data-kiosk-idle="120"' in page and 'data-kiosk-countdown="15"' in page
    assert f'data-kiosk-restart="/{code}/kiosk?table=t2&amp;idle=120&amp;countdown=15"' in page
    # A person's choice of language keeps the kiosk's own settings.
    assert 'href="?table=t2&amp;idle=120&amp;countdown=15&amp;lang=en"' in page


def test_when_the_kiosk_is_opened_then_it_speaks_the_meetings_language_whatever_came_before(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    code = meeting["code"]
    client.cookies.set("lang", "sv")  # the person before chose Swedish on an ordinary page
    page = client.get(f"/{code}/kiosk", headers={"accept-language": "en"})
    assert '<html lang="nb">' in page.text
    assert '<html lang="en">' in kiosk_page(client, code, lang="en").text


def test_when_the_kiosk_is_given_a_bad_time_then_400_and_an_unknown_table_404(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    code = meeting["code"]
    for params in ({"idle": "0"}, {"idle": "3601"}, {"idle": "abc"}, {"countdown": "-1"}):
        answer = kiosk_page(client, code, **params)
        assert answer.status_code == 400, params
        assert "whole seconds" in answer.text
    assert kiosk_page(client, code, countdown="١٠").status_code == 400  # only ASCII digits
    assert kiosk_page(client, code, table="t1").status_code == 404  # this meeting has no tables


def test_when_the_kiosk_of_an_unknown_meeting_is_opened_then_404(client: TestClient) -> None:
    assert client.get("/000000/kiosk").status_code == 404
    assert client.get("/12345x/kiosk").status_code == 404


def test_when_the_kiosk_page_is_served_then_it_carries_what_the_phones_page_does(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    code = meeting["code"]

    def carried(path: str) -> set[str]:
        html = client.get(path).text
        block = re.search(r'<script type="application/json" id="strings">(.*?)</script>', html)
        assert block is not None
        return set(json.loads(block.group(1)))

    assert carried(f"/{code}/kiosk") == carried(f"/{code}")
    now = datetime.now(UTC)
    survey = create_meeting(
        client,
        title="Spørreundersøkelse",
        survey={
            "opens": (now - timedelta(days=1)).isoformat(),
            "closes": (now + timedelta(days=6)).isoformat(),
        },
        activities=[{"kind": "poll", "title": "Trygg?", "options": ["Ja", "Nei"]}],
    )["code"]
    assert carried(f"/{survey}/kiosk") == carried(f"/{survey}")
    assert any(key.startswith("survey.") for key in carried(f"/{survey}/kiosk"))
    assert 'rel="modulepreload" href="/static/js/survey.js"' in client.get(f"/{survey}/kiosk").text


def test_when_the_console_opens_then_it_links_the_kiosk(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    console = client.get(f"/{meeting['code']}/console").text
    assert f'href="http://testserver/{meeting["code"]}/kiosk"' in console
    assert 'data-testid="kiosk-link"' in console
