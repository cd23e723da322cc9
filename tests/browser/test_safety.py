"""Participant text is only ever text; wrong keys and unknown codes say what is wrong."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Dialog, Page, expect

from facilitate.web.strings import ERRORS, SCRIPT

from .helpers import (
    LiveServer,
    Roles,
    goto_activity,
    my_note,
    note_with_text,
    post_note,
    set_phase,
    tr,
)

MakeMeeting = Callable[..., dict[str, Any]]

ATTACKS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    "javascript:alert(1)",
    '"><svg onload="window.__xss=1">',
]


def test_when_a_participant_posts_markup_then_every_page_shows_it_as_text(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    screen = roles.screen(meeting)
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    pages = [screen, console, phone]
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    for page in pages:
        page.on("dialog", refuse)
    goto_activity(console, "best-here")

    for text in ATTACKS:
        post_note(phone, text)

    for text in ATTACKS:
        expect(my_note(phone, text)).to_have_count(1)
        expect(note_with_text(screen, text)).to_have_count(1)
        expect(note_with_text(console, text, "mod-note")).to_have_count(1)
    expect(screen.get_by_test_id("note")).to_have_count(len(ATTACKS))

    for page in pages:
        assert_no_injection(page)
    assert not dialogs, f"a dialog opened: {dialogs}"

    # The same text as ranked pain points, on the dot lists and the ranking.
    goto_activity(console, "heart-pain")
    post_note(phone, ATTACKS[0], side="pain")
    post_note(phone, ATTACKS[1], side="joy")
    set_phase(console, "dots")
    expect(phone.get_by_test_id("dot-item")).to_have_count(2)
    expect(screen.get_by_test_id("ranking-pain").locator(".rank-text")).to_have_text(ATTACKS[0])
    expect(screen.get_by_test_id("ranking-joy").locator(".rank-text")).to_have_text(ATTACKS[1])
    for page in pages:
        assert_no_injection(page)
    assert not dialogs, f"a dialog opened: {dialogs}"


def assert_no_injection(page: Page) -> None:
    assert page.evaluate("window.__xss") is None, f"a participant's script ran on {page.url}"
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(page.locator("#stage script, #stage svg")).to_have_count(0)
    expect(page.locator("a[href^='javascript']")).to_have_count(0)


def test_when_the_console_key_is_wrong_then_it_says_so(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.blank_console()
    console.goto(f"{server.base}/{meeting['code']}/console#key=not-the-key&screen=nope")

    problem = console.locator("#key-refused")
    expect(problem).to_be_visible()
    expect(problem).to_have_text(tr("nb", SCRIPT["console.bad_key"]))
    expect(console.get_by_test_id("status")).to_have_attribute("data-state", "forbidden")
    expect(console.get_by_test_id("agenda").get_by_role("button")).to_have_count(0)

    screen = roles.blank_console()
    screen.goto(f"{server.base}/{meeting['code']}/screen#key=not-the-key")
    expect(screen.locator("#screen-error")).to_have_text(tr("nb", ERRORS["bad_key"]))
    expect(screen.get_by_test_id("status")).to_have_attribute("data-state", "forbidden")


def unknown_code(server: LiveServer) -> str:
    """A six-digit code no meeting on the server has."""
    for number in range(999999, 0, -7919):
        code = f"{number:06d}"
        try:
            urllib.request.urlopen(f"{server.base}/{code}", timeout=5).close()
        except urllib.error.HTTPError as error:
            error.close()
            if error.code == 404:
                return code
    raise AssertionError("every code tried is in use")


def test_when_a_participant_types_an_unknown_code_then_the_join_page_says_so(
    roles: Roles, server: LiveServer
) -> None:
    code = unknown_code(server)
    phone = roles.blank_phone()
    phone.goto(f"{server.base}/")
    phone.get_by_label("Meeting code").fill(code)
    with phone.expect_response(re.compile(r"/join\?")) as answer:
        phone.get_by_role("button", name="Join").click()
    assert answer.value.status == 404

    error = phone.get_by_role("alert")
    expect(error).to_have_text(
        tr("en", "No meeting has the code %(code)s. Check the screen.") % {"code": code}
    )
    expect(phone.get_by_label("Meeting code")).to_have_attribute("aria-invalid", "true")
    expect(phone.get_by_label("Meeting code")).to_have_value(code)

    phone.get_by_label("Meeting code").fill("12ab")
    phone.get_by_role("button", name="Join").click()
    expect(error).to_have_text(tr("en", "A meeting code has six digits. Check the screen."))
