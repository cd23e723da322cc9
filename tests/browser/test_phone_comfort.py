"""The phone in people's hands at night and up close: dark mode, 200 % zoom, reduced motion,
targets a thumb can hit. Real Chromium with the phone's own settings emulated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from .axe import Audit
from .helpers import PHONE, Roles, change_dot, goto_activity, post_note, set_phase, tap, vote

MakeMeeting = Callable[..., dict[str, Any]]
# A 390 px phone at 200 % zoom: 195 CSS pixels across.
ZOOMED = {**PHONE, "viewport": {"width": 195, "height": 420}, "device_scale_factor": 4}


# What sticks out on the right, for the failure message.
WIDE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((node) => node.getBoundingClientRect().right > width + 1)
    .slice(0, 12)
    .map((node) => `${node.tagName}.${node.className}`);
}"""


def sideways(page: Page) -> int:
    """How far the page scrolls sideways (0 when everything fits the width)."""
    return int(
        page.evaluate(
            "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
        )
    )


def joined(roles: Roles, meeting: dict[str, Any], **options: Any) -> Page:
    page = roles._page("phone", {**PHONE, **options})
    page.goto(meeting["join_url"])
    expect(page.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    return page


def test_when_the_phone_asks_for_dark_then_every_state_is_dark_and_readable(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = joined(roles, meeting, color_scheme="dark")
    background = phone.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(16, 22, 29)", background
    audit = Audit()
    audit.check("lobby, dark", phone=phone)
    goto_activity(console, "young-here")
    vote(phone, "so-so")
    tap(console.get_by_test_id("toggle-results"))
    expect(phone.locator(".bar-row").first).to_be_visible()
    audit.check("poll with results, dark", phone=phone)
    goto_activity(console, "heart-pain")
    post_note(phone, "Mørk gangvei ved skolen", side="pain")
    post_note(phone, "Ungdomsklubben", side="joy")
    audit.check("pain and heart notes, dark", phone=phone)
    set_phase(console, "dots")
    change_dot(phone, "Mørk gangvei ved skolen", +1)
    audit.check("dots, dark", phone=phone)
    audit.expect_none()


def test_when_a_phone_is_zoomed_to_200_percent_then_nothing_scrolls_sideways(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = joined(roles, meeting, **ZOOMED)
    goto_activity(console, "young-here")
    vote(phone, "so-so")
    tap(console.get_by_test_id("toggle-results"))
    bar = phone.locator(".bar-row").first
    expect(bar).to_be_visible()
    assert sideways(phone) == 0
    drawn = phone.locator(".bar-fill").evaluate_all("nodes => nodes.map((n) => n.offsetWidth)")
    track = bar.locator(".bar-track").bounding_box()
    assert max(drawn) > 0 and track is not None and track["width"] > 40  # still drawn
    goto_activity(console, "heart-pain")
    post_note(phone, "Mørk gangvei ved skolen", side="pain")
    set_phase(console, "dots")
    change_dot(phone, "Mørk gangvei ved skolen", +1)
    assert sideways(phone) == 0, phone.evaluate(WIDE)
    # The plan shows pain/joy results live: the phone's dot list has everyone's counts.
    expect(console.get_by_test_id("toggle-results")).to_have_attribute("data-shown", "true")
    count = phone.get_by_test_id("dot-item").first.locator("small").first
    expect(count).to_be_visible()
    assert (
        count.evaluate("node => node.getClientRects().length") == 1
    )  # one line, not a letter a line
    tap(console.get_by_test_id("end-meeting"))
    tap(console.get_by_test_id("publish"))
    phone.goto(f"{meeting['join_url']}/results")
    expect(phone.get_by_test_id("results-title")).to_be_visible()
    assert sideways(phone) == 0, phone.evaluate(WIDE)


def test_when_a_thumb_reaches_for_small_links_then_each_is_at_least_44_pixels_high(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "young-here")
    vote(phone, "so-so")
    picker = phone.get_by_test_id("languages")  # the language picker at the top, opened
    picker.click()
    targets = [
        picker,
        *phone.locator(".languages a").all(),
        phone.locator("button.link"),  # "Withdraw my answer"
    ]
    start = roles.blank_phone()
    start.goto(meeting["join_url"].rsplit("/", 1)[0] + "/join")
    targets.append(start.locator("a.tap"))
    for target in targets:
        box = target.bounding_box()
        assert box is not None and box["height"] >= 44, (target, box)


def test_when_the_phone_asks_for_less_motion_then_bars_do_not_animate(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = joined(roles, meeting, reduced_motion="reduce")
    goto_activity(console, "young-here")
    vote(phone, "so-so")
    tap(console.get_by_test_id("toggle-results"))
    fill = phone.locator(".bar-fill").first
    expect(fill).to_be_attached()
    assert fill.evaluate("node => getComputedStyle(node).transitionDuration") == "0s"
