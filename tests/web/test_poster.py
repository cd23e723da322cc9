"""The poster to print for a meeting: the code, the QR code and how to join, in the meeting's
language first and then in every other language the catalogs hold."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.support import Translations
from conftest import create_meeting
from starlette.testclient import TestClient

from facilitate import i18n
from facilitate.app import create_app
from facilitate.i18n import load_catalogs
from facilitate.settings import Settings
from facilitate.web.pages import POSTER_HEADING

from .helpers import scripts

CATALOGS = load_catalogs()


def languages_in_order(html: str) -> list[str]:
    return re.findall(r'data-testid="poster-how" data-lang="(\w+)"', html)


def test_when_a_poster_is_printed_then_it_says_how_to_join_in_every_language(
    client: TestClient,
) -> None:
    meeting = create_meeting(client, plan="medborgardialog")  # a Swedish meeting
    code = meeting["code"]
    page = client.get(f"/{code}/poster")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="sv">' in html
    assert languages_in_order(html) == ["sv", *(lang for lang in CATALOGS if lang != "sv")]
    for lang, catalog in CATALOGS.items():
        assert f">{catalog.gettext(POSTER_HEADING)}</h2>" in html, lang
    assert f"{code[:3]} {code[3:]}" in html and f'src="http://testserver/{code}/qr.svg"' in html
    assert "<bdi>testserver</bdi>" in html
    assert 'lang="ar" dir="rtl"' in html and 'lang="uk" dir="ltr"' in html
    assert [s for s in scripts(html).scripts if "src" in s["attrs"]] == []  # no script at all
    assert 'class="page-poster poster-a4"' in html


def test_when_the_poster_is_asked_in_a3_or_another_language_then_it_keeps_both(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    html = client.get(f"/{meeting['code']}/poster", params={"size": "a3", "lang": "en"}).text
    assert 'class="page-poster poster-a3"' in html
    assert languages_in_order(html)[0] == "en"
    assert 'href="?size=a3&amp;lang=sv"' in html  # the language switcher keeps the size
    assert 'href="?size=a4&amp;lang=en"' in html  # and the size switcher the language


def test_when_the_poster_is_opened_then_it_ignores_the_organisers_own_language(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    client.cookies.set("lang", "en")
    page = client.get(f"/{meeting['code']}/poster", headers={"accept-language": "sv"})
    assert languages_in_order(page.text)[0] == "nb"  # the meeting's


def test_when_a_poster_is_asked_for_an_unknown_meeting_or_size_then_404_or_400(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    assert client.get("/000000/poster").status_code == 404
    assert client.get("/abcdef/poster").status_code == 404
    assert client.get(f"/{meeting['code']}/poster", params={"size": "letter"}).status_code == 400


def test_when_the_meetings_title_holds_markup_then_the_poster_shows_it_as_text(
    client: TestClient,
) -> None:
    meeting = create_meeting(
        client,
        title="<script>alert(1)</script> Torget & «Kiwi»",
        activities=[{"kind": "info", "title": "Velkommen"}],
    )
    html = client.get(f"/{meeting['code']}/poster").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Torget &amp; «Kiwi»" in html


def test_when_the_console_opens_then_it_links_the_poster(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    console = client.get(f"/{meeting['code']}/console").text
    assert f'href="http://testserver/{meeting["code"]}/poster"' in console


def test_when_a_catalog_lacks_the_posters_words_then_the_poster_leaves_its_language_out(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language is added to the catalogs before anyone has translated the poster: the poster
    lists the others, not English words under the new language's name."""
    loaded = load_catalogs()
    untranslated = Translations()
    untranslated.add_fallback(loaded["en"])
    monkeypatch.setattr(i18n, "load_catalogs", lambda: {**loaded, "xx": untranslated})
    with TestClient(create_app(settings)) as client:
        meeting = create_meeting(client, plan="folkemote")
        html = client.get(f"/{meeting['code']}/poster").text
    assert languages_in_order(html) == list(loaded)
