"""The phone's languages: a participant's pages speak nine, right to left in Arabic and Persian;
the console, the screen and the start page keep to the meetings' four."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import create_meeting
from starlette.testclient import TestClient

from facilitate import i18n
from facilitate.core.text import PHONE_LANGUAGES, UI_LANGUAGES
from facilitate.web import strings

from .helpers import Peers

AGENDA: dict[str, Any] = {
    "title": {"nb": "Nabolagsmøte", "ar": "اجتماع الحي", "uk": "Зустріч сусідів"},
    "language": "nb",
    "activities": [
        {"id": "park", "kind": "poll", "title": "Større park?", "options": ["Ja", "Nei"]},
    ],
}


def html_tag(page: str) -> str:
    found = re.search(r"<html[^>]*>", page)
    assert found is not None
    return found.group(0)


def page_strings(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="strings">(.*?)</script>', page)
    assert found is not None
    loaded: dict[str, Any] = json.loads(found.group(1))
    return loaded


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_when_a_phone_asks_for_arabic_or_persian_then_its_pages_read_right_to_left(
    client: TestClient, meeting: dict[str, Any], lang: str
) -> None:
    for path in (f"/{meeting['code']}", "/"):
        response = client.get(path, params={"lang": lang})
        assert response.status_code == 200
        assert html_tag(response.text) == f'<html lang="{lang}" dir="rtl">', path
    catalog = i18n.load_catalogs()[lang]
    assert catalog.gettext("Join a meeting") in response.text  # the join page, translated


@pytest.mark.parametrize("lang", ["so", "uk", "pl"])
def test_when_a_phone_asks_for_somali_ukrainian_or_polish_then_its_pages_carry_the_language(
    client: TestClient, meeting: dict[str, Any], lang: str
) -> None:
    for path in (f"/{meeting['code']}", "/"):
        response = client.get(path, params={"lang": lang})
        assert html_tag(response.text) == f'<html lang="{lang}">', path
    said = page_strings(client.get(f"/{meeting['code']}", params={"lang": lang}).text)
    english = str(strings.SCRIPT["phone.waiting"])
    assert said["phone.waiting"] == i18n.load_catalogs()[lang].gettext(english) != english


def test_when_a_phone_chose_arabic_then_the_choice_is_kept_for_its_pages_only(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    code = meeting["code"]
    response = client.get(f"/{code}", params={"lang": "ar"})
    assert response.headers["set-cookie"].startswith("lang=ar;")
    assert html_tag(client.get(f"/{code}").text) == '<html lang="ar" dir="rtl">'  # kept
    assert html_tag(client.get("/").text) == '<html lang="ar" dir="rtl">'
    # The console and the start page speak the meetings' languages: the meeting's, and nb.
    assert html_tag(client.get(f"/{code}/console").text) == '<html lang="nb">'
    assert html_tag(client.get(f"/{code}/screen").text) == '<html lang="nb">'
    assert html_tag(client.get("/start").text) == '<html lang="nb">'


def test_when_the_console_is_asked_for_arabic_then_it_keeps_the_meetings_language(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    created = create_meeting(client, plan="medborgardialog")  # a Swedish meeting
    response = client.get(f"/{created['code']}/console", params={"lang": "ar"})
    assert html_tag(response.text) == '<html lang="sv">'
    assert "set-cookie" not in response.headers  # the phone's cookie is not the console's
    languages = re.search(r'<nav class="languages".*?</nav>', response.text, re.S)
    assert languages is not None
    assert set(re.findall(r'lang="(\w+)"', languages.group(0))) == set(UI_LANGUAGES)


def test_when_a_phone_opens_the_meeting_then_every_language_is_offered_in_its_own_words(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    page = client.get(f"/{meeting['code']}", params={"lang": "uk"}).text
    picker = re.search(r'<details class="pick-lang">.*?</details>', page, re.S)
    assert picker is not None, "the picker sits at the top of the phone"
    assert page.index('class="pick-lang"') < page.index('id="stage"')
    links = dict(re.findall(r'<a href="\?lang=(\w+)" lang="\1"[^>]*>([^<]+)</a>', picker.group(0)))
    assert links == {code: i18n.LANGUAGE_NAMES[code] for code in PHONE_LANGUAGES if code != "uk"}
    assert links["ar"] == "العربية" and links["fa"] == "فارسی" and links["so"] == "Soomaali"
    assert '<strong lang="uk" aria-current="true">Українська</strong>' in picker.group(0)
    assert "Мова: Українська" in picker.group(0)  # "Language:", in the phone's language


def test_when_a_plan_gives_a_title_per_language_then_each_phone_reads_its_own(
    client: TestClient,
) -> None:
    code = create_meeting(client, **AGENDA)["code"]
    assert "<title>اجتماع الحي – facilitate</title>" in client.get(f"/{code}?lang=ar").text
    assert "<title>Зустріч сусідів – facilitate</title>" in client.get(f"/{code}?lang=uk").text
    # No Polish title: the meeting's own language.
    assert "<title>Nabolagsmøte – facilitate</title>" in client.get(f"/{code}?lang=pl").text
    # The screen stays in the meeting's language.
    assert "Nabolagsmøte" in client.get(f"/{code}/screen?lang=ar").text


def test_when_a_meeting_is_planned_in_arabic_then_it_is_refused_with_the_field_named(
    client: TestClient,
) -> None:
    response = client.post("/api/meetings", json={**AGENDA, "language": "ar"})
    assert response.status_code == 400
    assert "bad_language" in response.text


def test_when_a_code_is_mistyped_on_an_arabic_phone_then_it_is_told_in_arabic(
    client: TestClient,
) -> None:
    response = client.get("/join", params={"code": "12", "lang": "ar"})
    assert response.status_code == 400
    said = i18n.load_catalogs()["ar"].gettext("A meeting code has six digits. Check the screen.")
    assert said in response.text and said != "A meeting code has six digits. Check the screen."
    # The code is digits: it reads left to right inside the right-to-left page.
    assert re.search(r'<input id="code" name="code" value="12" dir="ltr"', response.text)


def test_when_a_kind_is_loaded_later_then_its_strings_come_in_the_phones_language(
    client: TestClient,
) -> None:
    response = client.get("/strings/ar/statements.json")
    assert response.status_code == 200
    said = response.json()
    catalog = i18n.load_catalogs()["ar"]
    assert said["statements.agree"] == catalog.gettext("Agree") != "Agree"
    people = said["statements.people"]  # Arabic's categories, each that differs from "other"
    assert (
        {"one", "two", "few", "other"}
        <= set(people)
        <= {
            "zero",
            "one",
            "two",
            "few",
            "many",
            "other",
        }
    )
    assert client.get("/strings/xx/statements.json").status_code == 404


def test_when_a_phone_speaks_arabic_then_the_servers_refusals_come_in_arabic(
    peers: Peers,
) -> None:
    catalogs = i18n.load_catalogs()
    phone = peers.phone(lang="ar")
    answer = phone.do("goto", activity="safety-poll")
    assert answer["message"] == catalogs["ar"].gettext(strings.ERRORS["forbidden"])
    assert answer["message"] != strings.ERRORS["forbidden"]
    # A console asked for Arabic speaks the meeting's language (nb).
    console = peers.console(lang="ar")
    refused = console.do("goto", activity="nope")
    assert refused["message"] == catalogs["nb"].gettext(strings.ERRORS["unknown_activity"])


def test_when_the_public_follow_up_page_is_read_in_persian_then_the_organisers_page_is_not(
    client: TestClient,
) -> None:
    made = client.post("/api/processes", json={"title": "Medborgarlöfte 2027", "language": "sv"})
    process = made.json()
    follow = client.get(f"/p/{process['id']}/follow", params={"lang": "fa"})
    assert html_tag(follow.text) == '<html lang="fa" dir="rtl">'
    catalog = i18n.load_catalogs()["fa"]
    assert catalog.gettext("What the meetings said") in follow.text
    organiser = client.get(f"/p/{process['id']}", params={"lang": "fa"})
    assert html_tag(organiser.text) == '<html lang="sv">'  # the process's own language


def test_when_the_results_are_published_then_an_arabic_phone_reads_them_right_to_left(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    console = peers.console()
    console.ok("end")
    console.ok("publish")
    page = client.get(f"/{meeting['code']}/results", params={"lang": "ar"}).text
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert i18n.load_catalogs()["ar"].gettext("Results from the meeting") in page
    # The address to come back to reads left to right inside the Arabic sentence.
    assert re.search(rf'<strong dir="ltr">[^<]*/{meeting["code"]}</strong>', page)
    # The results' own strings count in Arabic's categories: one, two, a few, … answers.
    assert {"one", "two", "few", "other"} <= set(page_strings(page)["results.votes"])
