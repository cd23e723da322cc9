"""The HTML pages: join, start, participant, screen, console and the QR code."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import create_meeting
from markupsafe import escape
from starlette.testclient import TestClient

from facilitate.app import create_app
from facilitate.core.kinds import KINDS
from facilitate.core.text import PHONE_LANGUAGES
from facilitate.i18n import load_catalogs
from facilitate.settings import Settings
from facilitate.web import strings

from .helpers import Peers, scripts

SVG = "{http://www.w3.org/2000/svg}svg"


def other_code(code: str) -> str:
    """A well-formed code that is not this meeting's."""
    return "000000" if code != "000000" else "111111"


def pages(code: str) -> list[str]:
    """Every HTML page of a meeting's server."""
    return [
        "/",
        "/start",
        f"/{code}",
        f"/{code}/screen",
        f"/{code}/console",
        f"/{code}/kiosk",
        f"/{code}/poster",
        f"/join?code={code}",
    ]


def test_when_home_is_opened_then_it_shows_the_join_form(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert 'action="http://testserver/join"' in response.text
    assert 'name="code"' in response.text


def test_when_start_is_opened_then_it_lists_the_shipped_plans(client: TestClient) -> None:
    response = client.get("/start")
    assert response.status_code == 200
    assert 'data-plan="folkemote"' in response.text
    assert "Folkemøte om trygghet i sentrum" in response.text  # the plan's title in nb


def test_when_meeting_pages_are_opened_then_they_render_with_the_code(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    code = meeting["code"]
    for path, role in [
        (f"/{code}", None),
        (f"/{code}/screen", "screen"),
        (f"/{code}/console", "facilitator"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'data-code="{code}"' in response.text, path
        if role:
            assert f'data-role="{role}"' in response.text, path
        assert response.headers["cache-control"] == "no-store"


def test_when_qr_is_fetched_then_it_is_a_valid_svg_named_after_the_code(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    response = client.get(f"/{meeting['code']}/qr.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == SVG
    assert root.get("width") and root.get("height")
    title = root.find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text == f"QR {meeting['code']}"


def test_when_qr_of_unknown_meeting_is_fetched_then_404(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    assert client.get(f"/{other_code(meeting['code'])}/qr.svg").status_code == 404


def test_when_join_gets_a_good_code_then_it_redirects_to_the_meeting(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    code = meeting["code"]
    response = client.get("/join", params={"code": code}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"http://testserver/{code}"


@pytest.mark.parametrize("typed", ["{a} {b}", " {a}-{b} ", "{a}.{b}", "{a}\t{b}"])
def test_when_join_gets_a_code_with_spaces_then_it_is_normalised(
    client: TestClient, meeting: dict[str, Any], typed: str
) -> None:
    code = meeting["code"]
    response = client.get(
        "/join", params={"code": typed.format(a=code[:3], b=code[3:])}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"http://testserver/{code}"


@pytest.mark.parametrize("typed", ["12345", "1234567", "12a456", ""])
def test_when_join_gets_a_malformed_code_then_400_with_a_message(
    client: TestClient, typed: str
) -> None:
    response = client.get("/join", params={"code": typed, "lang": "en"})
    assert response.status_code == 400
    assert "A meeting code has six digits. Check the screen." in response.text
    assert 'aria-invalid="true"' in response.text


def test_when_join_gets_an_unknown_code_then_404_with_a_message(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    unknown = other_code(meeting["code"])
    response = client.get("/join", params={"code": unknown, "lang": "en"})
    assert response.status_code == 404
    assert f"No meeting has the code {unknown}. Check the screen." in response.text


def test_when_join_message_is_in_norwegian_by_default(client: TestClient) -> None:
    response = client.get("/join", params={"code": "12"})
    assert response.status_code == 400
    assert '<html lang="nb">' in response.text
    assert "A meeting code has six digits" not in response.text  # translated, not English


def test_when_an_unknown_meeting_page_is_opened_then_404(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    unknown = other_code(meeting["code"])
    response = client.get(f"/{unknown}", params={"lang": "en"})
    assert response.status_code == 404
    assert f"No meeting has the code {unknown}. Check the screen." in response.text
    for path in (f"/{unknown}/screen", f"/{unknown}/console", "/not-a-code/screen"):
        assert client.get(path).status_code == 404, path


def test_when_a_page_path_is_not_a_code_then_404_without_echoing_it_whole(
    client: TestClient,
) -> None:
    response = client.get("/" + "9" * 100)
    assert response.status_code == 404
    assert "9" * 21 not in response.text  # codes are cut to 20 characters


@pytest.mark.parametrize(
    "path",
    [
        "/join?code=%3Cscript%3Ealert(1)%3C/script%3E",
        "/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/%22%3E%3Cimg%20src=x%3E",
    ],
)
def test_when_markup_is_typed_as_a_code_then_it_is_escaped(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text


def test_when_any_page_is_served_then_it_carries_the_security_headers(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    code = meeting["code"]
    paths = [
        *pages(code),
        f"/{code}/qr.svg",
        f"/{other_code(code)}",
        "/join?code=1",
        "/healthz",
        "/static/favicon.svg",  # an SVG can be opened as a document: it has them all
    ]
    for path in paths:
        response = client.get(path, follow_redirects=False)
        csp = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp, path
        assert "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "no-referrer", path
        assert response.headers["x-frame-options"] == "DENY", path


def test_when_a_script_or_stylesheet_is_served_then_it_carries_nosniff_and_no_document_policies(
    client: TestClient,
) -> None:
    for path in ("/static/css/app.css", "/static/js/participant.js"):
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert "content-security-policy" not in response.headers, path  # documents only
        assert "x-frame-options" not in response.headers, path


def test_when_lang_is_chosen_then_the_page_switches_and_a_cookie_remembers_it(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    response = client.get("/", params={"lang": "sv"})
    assert '<html lang="sv">' in response.text
    assert "Gå med i ett möte" in response.text  # "Join a meeting" in Swedish
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lang=sv;")
    assert "SameSite=lax" in cookie and "Max-Age=15552000" in cookie
    # the cookie now picks the language of every page, the meeting's included
    assert '<html lang="sv">' in client.get(f"/{meeting['code']}").text
    assert '<html lang="sv">' in client.get("/start").text
    # and an explicit choice beats the cookie
    assert '<html lang="en">' in client.get("/", params={"lang": "en"}).text


def test_when_lang_is_not_a_ui_language_then_no_cookie_is_set(client: TestClient) -> None:
    response = client.get("/", params={"lang": "xx"})
    assert response.status_code == 200
    assert "set-cookie" not in response.headers
    assert '<html lang="nb">' in response.text


def test_when_browser_prefers_swedish_then_the_page_is_swedish(client: TestClient) -> None:
    response = client.get("/", headers={"accept-language": "sv-SE,sv;q=0.9,en;q=0.5"})
    assert '<html lang="sv">' in response.text


def test_when_a_meeting_page_has_no_language_hint_then_it_speaks_the_meetings_language(
    client: TestClient,
) -> None:
    created = client.post("/api/meetings", json={"plan": "medborgardialog"}).json()
    assert '<html lang="sv">' in client.get(f"/{created['code']}").text


def test_when_pages_are_served_then_no_key_appears_in_them(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    code = meeting["code"]
    for path in [*pages(code), f"/{code}/qr.svg", f"/{code}?lang=en", f"/{code}/console?lang=sv"]:
        response = client.get(path)
        assert meeting["facilitator_key"] not in response.text, path
        assert meeting["screen_key"] not in response.text, path


def test_when_pages_are_served_then_every_script_is_a_file_or_a_json_data_block(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    for path in pages(meeting["code"]):
        response = client.get(path)
        found = scripts(response.text)
        assert found.scripts, path
        assert found.handlers == [], path  # no onclick= and the like
        for script in found.scripts:
            attrs = script["attrs"]
            if attrs.get("src"):
                assert attrs["src"].startswith("http://testserver/static/js/"), path
                assert script["text"].strip() == "", path
            else:
                assert attrs.get("type") == "application/json", (path, script)
        assert "<style" not in response.text and " style=" not in response.text, path


def test_when_console_is_opened_on_localhost_then_it_warns_phones_cannot_reach_it(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    code = meeting["code"]
    for base in ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"):
        response = client.get(f"{base}/{code}/console")
        assert response.status_code == 200, base
        assert 'data-testid="lan-warning"' in response.text, base


def test_when_console_is_opened_on_localhost_then_the_warning_links_the_same_console_on_the_lan(
    client: TestClient, meeting: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from facilitate import network

    code = meeting["code"]
    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.1.20", "10.0.0.7"])
    page = client.get(f"http://127.0.0.1:8000/{code}/console").text
    warning = page[page.index('data-testid="lan-warning"') : page.index('id="key-refused"')]
    links = re.findall(r'<a href="([^"]+)" data-keep-fragment', warning)
    assert links == [
        f"http://192.168.1.20:8000/{code}/console",
        f"http://10.0.0.7:8000/{code}/console",
    ]
    assert "PUBLIC_URL=http://192.168.1.20:8000 make run" in warning
    assert "--host" not in warning  # make run cannot pass flags
    assert "/static/js/fragment.js" in page  # the key in the fragment goes with the links

    monkeypatch.setattr(network, "lan_addresses", lambda: [])
    page = client.get(f"http://127.0.0.1:8000/{code}/console?lang=en").text
    assert "data-keep-fragment" not in page and "/static/js/fragment.js" not in page
    assert "connect it to the hall&#39;s Wi-Fi" in page


def test_when_console_is_opened_on_a_network_address_then_there_is_no_warning(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    response = client.get(f"http://192.168.1.20:8000/{meeting['code']}/console")
    assert 'data-testid="lan-warning"' not in response.text
    assert "http://192.168.1.20:8000/" + meeting["code"] in response.text


@pytest.fixture
def public_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        db_path=tmp_path / "p.db", tick=0.01, phone_tick=0.02, public_url="http://192.168.1.20:8000"
    )
    # Requests go to the public URL: with one set, the server answers to no other name.
    with TestClient(create_app(settings), base_url="http://192.168.1.20:8000") as client:
        yield client


def test_when_public_url_is_set_then_the_console_on_localhost_does_not_warn(
    public_client: TestClient,
) -> None:
    created = public_client.post("/api/meetings", json={"plan": "folkemote"}).json()
    assert created["join_url"] == f"http://192.168.1.20:8000/{created['code']}"
    response = public_client.get(f"http://127.0.0.1:8000/{created['code']}/console")
    assert response.status_code == 200
    assert 'data-testid="lan-warning"' not in response.text
    assert f'data-join-url="http://192.168.1.20:8000/{created["code"]}"' in response.text


def test_when_health_is_checked_then_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


def test_when_a_phone_opens_the_meeting_then_the_page_holds_its_rules_or_the_standard_ones(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    code = meeting["code"]

    def rules(page: str) -> str:
        found = re.search(r'<p id="rules-text"[^>]*>(.*?)</p>', page, re.S)
        assert found is not None
        return found.group(1)

    for lang in PHONE_LANGUAGES:  # the standard text in the phone's own language
        standard = load_catalogs()[lang].gettext(strings.SCRIPT["phone.rules_default"])
        assert rules(client.get(f"/{code}?lang={lang}").text) == str(escape(standard)), lang

    own = "Skriv om saken, ikke om <b>personer</b>."
    peers.console().ok("rules", text=own)
    page = client.get(f"/{code}?lang=sv").text
    assert rules(page) == "Skriv om saken, ikke om &lt;b&gt;personer&lt;/b&gt;."  # as text


def test_the_phone_page_carries_every_string_its_scripts_use_and_no_console_ones(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    import json
    import re
    from pathlib import Path

    page = client.get(f"/{meeting['code']}").text
    block = re.search(r'<script type="application/json" id="strings">(.*?)</script>', page, re.S)
    assert block is not None
    carried = set(json.loads(block.group(1)))
    scripts = Path(__file__).resolve().parents[2] / "static" / "js"
    phone_scripts = ["participant.js", "live.js", "patch.js", "i18n.js", "kinds.js", "tables.js"]
    # A kind's module draws for every page: on the phone only its phone part and its results
    # run, never its console controls or its fields on the start page.
    kind_scripts = [f"kinds/{path.name}" for path in (scripts / "kinds").glob("*.js")]
    used = {
        key
        for name in phone_scripts + kind_scripts
        for key in re.findall(r'\bt\("([a-z_]+\.[a-z_0-9]+)"', (scripts / name).read_text())
        if name in phone_scripts or not key.startswith(("console.", "start."))
    }
    # A kind's own strings ("statements.agree") come only with a plan that has the kind.
    kinds_block = r'<script type="application/json" id="kinds"[^>]*>(.*?)</script>'
    listed = re.search(kinds_block, page, re.S)
    assert listed is not None
    planned = set(json.loads(listed.group(1)))
    elsewhere = {key for key in used if key.split(".")[0] in set(KINDS) - planned}
    # The tables' strings come only with a meeting that has tables; this one has none.
    elsewhere |= {key for key in used if key.startswith("tables.")}
    assert elsewhere, "a kind outside this plan has strings of its own"
    assert kind_scripts and used - elsewhere <= carried, sorted(used - elsewhere - carried)
    assert not elsewhere & carried
    tabled = create_meeting(
        client,
        title="Dialogmøte",
        tables=3,
        activities=[{"kind": "notes", "title": "Ideer", "scope": "table"}],
    )
    page = client.get(f"/{tabled['code']}").text
    block = re.search(r'<script type="application/json" id="strings">(.*?)</script>', page, re.S)
    assert block is not None
    assert {key for key in used if key.startswith("tables.")} <= set(json.loads(block.group(1)))
    assert not any(key.startswith(("console.", "start.")) for key in carried - used)
