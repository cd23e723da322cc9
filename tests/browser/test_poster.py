"""The poster to print in Chromium, without JavaScript: the code, the QR code and how to join in
every language, on one A4 page or one A3 page, with nothing of the screen's tools on it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from facilitate.i18n import load_catalogs

from .axe import Audit
from .helpers import Roles

MakeMeeting = Callable[..., dict[str, Any]]
POINTS = {"a4": (595.3, 841.9), "a3": (841.9, 1190.6)}  # portrait, in PostScript points


def pages_of(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in a PDF Chromium printed (its pages' MediaBoxes)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(float(width), float(height)) for width, height in boxes]


def test_when_the_poster_is_printed_then_it_fits_one_page_of_a4_or_a3_without_scripts(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="folkemote")
    code = meeting["code"]
    axe = Audit()
    reader = roles.blank_reader()
    reader.goto(f"{meeting['join_url']}/poster")
    expect(reader.get_by_test_id("poster-code")).to_have_text(f"{code[:3]} {code[3:]}")
    qr = reader.get_by_test_id("poster-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(reader.get_by_test_id("poster-how")).to_have_count(len(load_catalogs()))
    expect(reader.get_by_test_id("poster-how").first).to_have_attribute("lang", "nb")
    # axe runs on promises and timers, which a page without JavaScript never runs: it checks
    # the same page (which has no script of its own) in an ordinary browser.
    screen = roles.blank_console()
    screen.goto(f"{meeting['join_url']}/poster")
    axe.check("the poster on screen", poster=screen)
    screen.emulate_media(media="print")
    axe.check("the poster printed", poster=screen)

    reader.emulate_media(media="print")
    expect(reader.locator(".poster-tools")).to_be_hidden()
    expect(reader.locator("nav.languages")).to_be_hidden()
    expect(reader.get_by_test_id("poster")).to_be_visible()
    for size, (width, height) in POINTS.items():
        reader.goto(f"{meeting['join_url']}/poster?size={size}")
        printed = pages_of(reader.pdf(prefer_css_page_size=True, print_background=True))
        assert len(printed) == 1, (size, printed)
        assert abs(printed[0][0] - width) < 2 and abs(printed[0][1] - height) < 2, printed
    axe.expect_none()
