"""What browsers and crawlers ask for by themselves (icons, robots.txt), and that no path but a
six-digit one counts as a guess at a meeting code."""

from __future__ import annotations

import html
import re
import struct
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from facilitate.settings import ROOT, Settings

from .helpers import Peers

WRONG_CODES = 5

# Asked for by browsers, phones, crawlers and scanners; none of them is a meeting code.
NOT_CODES = [
    "/favicon.ico",
    "/apple-touch-icon.png",
    "/apple-touch-icon-precomposed.png",
    "/robots.txt",
    "/apple-touch-icon-120x120.png",
    "/favicon.png",
    "/sitemap.xml",
    "/wp-login.php",
    "/.env",
    "/index.html",
    "/12345",
    "/1234567",
    "/abcdef",
    "/12345a",
    "/%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96",  # full-width digits
]


@pytest.fixture
def settings(db_path: Path) -> Settings:
    """A small allowance of wrong codes, so a test passes it quickly."""
    return Settings(db_path=db_path, tick=0.01, phone_tick=0.02, wrong_codes_per_minute=WRONG_CODES)


def test_when_a_page_is_opened_then_its_icon_comes_inside_it_and_costs_no_request(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    page = client.get(f"/{meeting['code']}").text
    found = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert found, "the page links no icon"
    href = html.unescape(found.group(1))
    assert href.startswith("data:image/svg+xml,")
    svg = unquote(href.removeprefix("data:image/svg+xml,"))
    assert svg == (ROOT / "static" / "favicon.svg").read_text("utf-8").strip()
    # The page's policy lets the icon in.
    assert (
        "img-src 'self' data:"
        in client.get(f"/{meeting['code']}").headers["content-security-policy"]
    )


def test_when_the_icons_and_robots_are_asked_for_then_they_are_there(client: TestClient) -> None:
    favicon = client.get("/favicon.ico", follow_redirects=False)
    assert favicon.status_code == 301
    assert favicon.headers["location"] == "/static/favicon.svg"
    assert client.get("/favicon.ico").headers["content-type"] == "image/svg+xml"
    for path in ("/apple-touch-icon.png", "/apple-touch-icon-precomposed.png"):
        icon = client.get(path)
        assert icon.status_code == 200
        assert icon.headers["content-type"] == "image/png"
        assert icon.content[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", icon.content[16:24]) == (180, 180)  # IHDR: width, height
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert robots.text == "User-agent: *\nDisallow: /\n"


def test_when_an_address_asks_for_many_paths_that_are_not_codes_then_its_code_still_works(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    """20 of these once locked the real /{code} for a minute: a browser asks for its icons on
    every visit, and each counted as a wrong code."""
    auth = {"authorization": f"Bearer {meeting['facilitator_key']}"}
    for n in range(25):
        path = NOT_CODES[n % len(NOT_CODES)]
        assert client.get(path).status_code in (200, 404), path
        assert client.get(f"{path}/qr.svg").status_code == 404, path
        assert client.get(f"/api/meetings{path}/record", headers=auth).status_code == 404, path
    for path in NOT_CODES[: WRONG_CODES + 1]:
        socket = peers.open(code=path.lstrip("/"))
        assert socket.receive()["code"] == "unknown_meeting"
        assert socket.closed_with() == 4404
    code = meeting["code"]
    assert client.get(f"/{code}").status_code == 200
    assert client.get(f"/join?code={code}", follow_redirects=False).status_code == 303
    assert client.get(f"/api/meetings/{code}/record", headers=auth).status_code == 200
    phone = peers.phone()
    assert phone.welcome is not None and phone.welcome["meeting"] == code


def test_when_wrong_six_digit_codes_are_tried_then_they_still_count(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    wrong = [c for c in (f"{n:06d}" for n in range(1, 10)) if c != meeting["code"]]
    for code in wrong[: WRONG_CODES - 1]:
        assert client.get(f"/{code}").status_code == 404
    assert client.get("/favicon.ico").status_code == 200  # not a guess, and not refused
    assert client.get(f"/{meeting['code']}").status_code == 200
    assert client.get(f"/{wrong[WRONG_CODES - 1]}").status_code == 404  # the last one allowed
    assert client.get(f"/{meeting['code']}").status_code == 429


def test_when_a_path_is_not_a_code_then_the_page_says_what_a_code_is(client: TestClient) -> None:
    response = client.get("/wp-login.php?lang=en")
    assert response.status_code == 404
    assert "A meeting code has six digits. Check the screen." in response.text
    assert "No meeting has the code 123456." in client.get("/123456?lang=en").text
