"""The process's pages in every light: the organiser's page light and dark, and the public
follow-up page light and dark, left to right and right to left; axe finds nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from .axe import Audit
from .helpers import PHONE, LiveServer, Roles, tap
from .test_process import create_process


def test_the_process_and_follow_up_pages_pass_axe_light_dark_and_right_to_left(
    roles: Roles, server: LiveServer, make_meeting: Callable[..., dict[str, Any]]
) -> None:
    process = create_process(server, "Innbyggerløfte Torget 2027")
    audit = Audit()
    organiser = roles.blank_console()
    organiser.goto(process["urls"]["organiser"])
    organiser.get_by_test_id("item-title").fill("Bedre lys i undergangen")
    tap(organiser.get_by_test_id("item-submit"))
    expect(organiser.get_by_test_id("process-item")).to_have_count(1)
    for scheme in ("light", "dark"):
        organiser.emulate_media(color_scheme=scheme)
        audit.check(f"organiser ({scheme})", organiser=organiser)
    for scheme, lang in (("light", "nb"), ("dark", "nb"), ("light", "ar"), ("dark", "fa")):
        page = roles._page("phone", {**PHONE, "color_scheme": scheme})
        page.goto(f"{process['urls']['follow']}?lang={lang}")
        expect(page.get_by_test_id("follow-item")).to_contain_text("Bedre lys i undergangen")
        if lang in ("ar", "fa"):
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
        audit.check(f"follow-up ({scheme}, {lang})", follow=page)
    audit.expect_none()
