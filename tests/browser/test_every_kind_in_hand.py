"""Every kind on the phones people really have: at 200 % zoom (195 CSS pixels across) nothing
scrolls sideways and every control a thumb uses is at least 44 pixels high, and axe finds
nothing in dark mode or in forced colours (Windows high contrast), with input open and with
results shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, TimeoutError as PlaywrightTimeout, expect

from .axe import Audit
from .helpers import PHONE, Roles, goto_activity, tap
from .test_kinds import AGENDA
from .test_phone_comfort import WIDE, ZOOMED, sideways

MakeMeeting = Callable[..., dict[str, Any]]
INPUT = [a for a in AGENDA["activities"] if a["kind"] != "info"]

# The controls a thumb uses on the phone's stage that are smaller than a fingertip: what they
# are and how high, for the failure message. Inline links inside a sentence are left out
# (WCAG 2.5.8 excepts targets in a sentence).
SMALL = """() => {
  const controls = "button, select, summary, input:not([type=hidden]), a.button";
  return [...document.querySelectorAll(`#stage :is(${controls})`)]
    .filter((node) => node.getClientRects().length && !node.disabled)
    .filter((node) => node.type !== "checkbox" && node.type !== "radio")
    .map((node) => [node, node.getBoundingClientRect().height])
    .filter(([, height]) => height < 44)
    .map(([node, height]) => `${node.tagName}.${node.className} ${Math.round(height)}px`);
}"""


def phone_at(roles: Roles, meeting: dict[str, Any], **options: Any) -> Page:
    page = roles._page("phone", {**PHONE, **options})
    page.goto(meeting["join_url"])
    expect(page.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    return page


def show_results(console: Page) -> None:
    toggle = console.get_by_test_id("toggle-results")
    if toggle.get_attribute("data-shown") == "false":
        tap(toggle)
        expect(toggle).to_have_attribute("data-shown", "true")


def drawn(phone: Page, activity: dict[str, Any]) -> None:
    expect(phone.locator(f"[data-activity={activity['id']}]")).to_be_visible()
    phone.wait_for_load_state("networkidle")  # the kind's module and strings are in


FITS = "() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"


def fits(phone: Page, activity: dict[str, Any]) -> None:
    """Nothing scrolls sideways once the kind's sheet is in (it comes with its module)."""
    try:
        phone.wait_for_function(FITS, timeout=5_000)
    except PlaywrightTimeout:
        pytest.fail(f"{activity['kind']}: {sideways(phone)} px sideways: {phone.evaluate(WIDE)}")


def test_when_a_phone_is_zoomed_to_200_percent_then_every_kind_fits_and_is_big_enough(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    phone = phone_at(roles, meeting, **ZOOMED)
    for activity in INPUT:
        goto_activity(console, activity["id"])
        drawn(phone, activity)
        fits(phone, activity)
        assert phone.evaluate(SMALL) == [], activity["kind"]
        show_results(console)
        phone.wait_for_load_state("networkidle")
        fits(phone, activity)


@pytest.mark.parametrize(
    "setting",
    [{"color_scheme": "dark"}, {"forced_colors": "active"}],
    ids=["dark", "forced-colours"],
)
def test_when_the_phone_is_dark_or_in_forced_colours_then_axe_finds_nothing_in_any_kind(
    roles: Roles, make_meeting: MakeMeeting, setting: dict[str, str]
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    phone = phone_at(roles, meeting, **setting)
    audit = Audit()
    for activity in INPUT:
        goto_activity(console, activity["id"])
        drawn(phone, activity)
        audit.check(f"{activity['kind']}, input open", phone=phone)
        show_results(console)
        audit.check(f"{activity['kind']}, results shown", phone=phone)
    audit.expect_none()


def test_when_a_phone_reads_arabic_then_every_kind_is_right_to_left_fits_and_passes_axe(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    phone = roles._page("phone", PHONE)
    phone.goto(meeting["join_url"] + "?lang=ar")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    audit = Audit()
    for activity in INPUT:
        goto_activity(console, activity["id"])
        drawn(phone, activity)
        fits(phone, activity)
        show_results(console)
        phone.wait_for_load_state("networkidle")
        audit.check(f"{activity['kind']} in Arabic, results shown", phone=phone)
    audit.expect_none()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_screen_and_the_console_pass_axe_in_every_kind_and_state(
    roles: Roles, make_meeting: MakeMeeting, scheme: str
) -> None:
    """Input open, closed with results shown, and the meeting ended: for every kind."""
    meeting = make_meeting(**AGENDA)
    console, screen = roles.console(meeting), roles.screen(meeting)
    for page in (console, screen):
        page.emulate_media(color_scheme=scheme)
    audit = Audit()
    for activity in INPUT:
        goto_activity(console, activity["id"])
        expect(screen.locator(f"[data-activity={activity['id']}]")).to_be_visible()
        audit.check(f"{activity['kind']}, open ({scheme})", console=console, screen=screen)
        toggle = console.get_by_test_id("toggle-open")
        if toggle.get_attribute("class") == "danger":  # open: close it
            tap(toggle)
        show_results(console)
        screen.wait_for_load_state("networkidle")
        audit.check(
            f"{activity['kind']}, closed and shown ({scheme})", console=console, screen=screen
        )
    tap(console.get_by_test_id("end-meeting"))
    expect(screen.get_by_test_id("screen-ended")).to_be_visible()
    audit.check(f"ended ({scheme})", console=console, screen=screen)
    audit.expect_none()


def test_a_light_phone_and_the_results_page_pass_axe_in_every_kind_from_open_to_published(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    """The phone in light mode with input open, then closed with results shown, for every
    kind; the ended meeting; and the public results page of every kind in light and dark, left
    to right and right to left."""
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    phone = phone_at(roles, meeting, color_scheme="light")
    audit = Audit()
    for activity in INPUT:
        goto_activity(console, activity["id"])
        drawn(phone, activity)
        audit.check(f"{activity['kind']}, open (light)", phone=phone)
        toggle = console.get_by_test_id("toggle-open")
        if toggle.get_attribute("class") == "danger":
            tap(toggle)
        show_results(console)
        expect(phone.get_by_test_id("closed")).to_be_visible()
        phone.wait_for_load_state("networkidle")
        audit.check(f"{activity['kind']}, closed, results shown (light)", phone=phone)
    tap(console.get_by_test_id("end-meeting"))
    expect(phone.get_by_test_id("ended")).to_be_visible()
    audit.check("ended (light)", phone=phone)
    tap(console.get_by_test_id("publish"))
    for setting, lang in (({"color_scheme": "light"}, None), ({"color_scheme": "dark"}, "ar")):
        page = roles._page("phone", {**PHONE, **setting})
        page.goto(f"{meeting['join_url']}/results" + (f"?lang={lang}" if lang else ""))
        expect(page.get_by_test_id("results-title")).to_be_visible()
        page.wait_for_load_state("networkidle")
        audit.check(f"results page ({setting['color_scheme']}, {lang or 'nb'})", results=page)
    audit.expect_none()
