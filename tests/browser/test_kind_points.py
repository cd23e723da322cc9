"""Points in the browser: phones spread a budget with − and + or by typing, see what is left and
cannot give more than the budget; the screen and the console show the totals and shares."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from .axe import report, violations
from .helpers import LiveServer, Roles, goto_activity, said, tap, tr

MakeMeeting = Callable[..., dict[str, Any]]
ITEMS = ["Lys i parken", "Natteravner i helgene", "Fartskontroller i Storgata"]
AGENDA = {
    "title": "Budsjett",
    "language": "nb",
    "activities": [
        {"kind": "points", "id": "spend", "title": "Hvor skal pengene brukes?", "items": ITEMS},
    ],
}


def item(phone: Page, text: str) -> Locator:
    return phone.get_by_test_id("points-item").filter(has_text=text)


def left(phone: Page, n: int) -> None:
    expect(phone.get_by_test_id("points-left")).to_have_attribute("data-left", str(n))


def saved(phone: Page) -> None:
    expect(phone.get_by_test_id("allotted")).to_have_attribute("data-state", "saved")


def type_points(phone: Page, text: str, points: str) -> None:
    field = item(phone, text).get_by_test_id("points-field")
    field.fill(points)
    field.press("Enter")


def test_when_phones_spread_points_then_the_screen_shows_totals_and_shares(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console = roles.screen(meeting), roles.console(meeting)
    first, second = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "spend")
    left(first, 100)
    expect(first.get_by_test_id("points-left")).to_have_text(
        said("nb", "phone.points_left", n=100, budget=100)
    )

    # The steppers: five points a press out of a hundred.
    tap(item(first, ITEMS[0]).get_by_test_id("more"))
    tap(item(first, ITEMS[0]).get_by_test_id("more"))
    saved(first)
    expect(item(first, ITEMS[0])).to_have_attribute("data-points", "10")
    left(first, 90)
    type_points(first, ITEMS[2], "60")
    saved(first)
    left(first, 30)
    tap(item(first, ITEMS[0]).get_by_test_id("less"))
    saved(first)
    left(first, 35)

    type_points(second, ITEMS[1], "100")
    saved(second)
    left(second, 0)
    expect(item(second, ITEMS[0]).get_by_test_id("more")).to_have_attribute("aria-disabled", "true")

    totals = screen.get_by_test_id("totals")
    expect(screen.get_by_test_id("responders")).to_have_text(said("nb", "results.responders", n=2))
    # 5 + 100 + 60 = 165 points: 61 %, 36 %, 3 %.
    expect(totals.locator("li").first).to_have_attribute("data-item", "i2")
    expect(totals.get_by_test_id("total-i2")).to_contain_text("61%")
    expect(totals.get_by_test_id("total-i3")).to_have_attribute("data-points", "60")
    expect(totals.get_by_test_id("total-i1")).to_contain_text(said("nb", "results.points", n=5))
    expect(console.get_by_test_id("total-i3")).to_contain_text("36%")
    for page, where in ((first, "the phone's points"), (screen, "the projector's bars")):
        found = violations(page)
        assert not found, report(where, found)
    first.emulate_media(color_scheme="dark")
    found = violations(first)
    assert not found, report("the phone's points, dark", found)
    record = roles.server.record(meeting)["activities"][0]["totals"]
    assert (record["voters"], record["given"]) == (2, 165)


def test_a_phone_cannot_give_more_than_it_has_left(roles: Roles, make_meeting: MakeMeeting) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "spend")
    type_points(phone, ITEMS[0], "70")
    saved(phone)
    type_points(phone, ITEMS[1], "50")  # only 30 left: it gives 30 and says why
    expect(phone.locator("#toast")).to_have_text(said("nb", "phone.points_only", n=30))
    saved(phone)
    expect(item(phone, ITEMS[1])).to_have_attribute("data-points", "30")
    expect(item(phone, ITEMS[1]).get_by_test_id("points-field")).to_have_value("30")
    left(phone, 0)
    expect(item(phone, ITEMS[2]).get_by_test_id("more")).to_have_attribute("aria-disabled", "true")
    # A press on a spent budget sends nothing (aria-disabled: the button keeps its focus).
    item(phone, ITEMS[2]).get_by_test_id("more").click(force=True)
    left(phone, 0)
    expect(phone.get_by_test_id("allotted")).to_have_attribute("data-state", "saved")
    record = roles.server.record(meeting)["activities"][0]["totals"]
    assert record["given"] == 100

    # After a reload the phone shows its own points again (its `mine`).
    phone.reload()
    expect(item(phone, ITEMS[0]).get_by_test_id("points-field")).to_have_value("70")
    left(phone, 0)


def test_a_phone_spreads_points_by_keyboard_and_hears_what_is_left(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "spend")
    more = item(phone, ITEMS[1]).get_by_test_id("more")
    expect(more).to_have_accessible_name(said("nb", "phone.points_more", item=ITEMS[1]))
    field = item(phone, ITEMS[1]).get_by_test_id("points-field")
    expect(field).to_have_accessible_name(said("nb", "phone.points_for", item=ITEMS[1]))
    more.focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_test_id("announce")).to_have_text(
        said("nb", "phone.points_left", n=95, budget=100)
    )
    expect(more).to_be_focused()
    phone.keyboard.press("Shift+Tab")  # the number field, typed in
    expect(field).to_be_focused()
    phone.keyboard.press("Control+A")
    phone.keyboard.type("40")
    phone.keyboard.press("Enter")
    expect(phone.get_by_test_id("announce")).to_have_text(
        said("nb", "phone.points_left", n=60, budget=100)
    )
    for button in phone.get_by_test_id("points-list").get_by_role("button").all():
        box = button.bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44


def test_a_closed_activity_takes_no_points(roles: Roles, make_meeting: MakeMeeting) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "spend")
    tap(console.get_by_test_id("toggle-open"))
    expect(phone.get_by_test_id("closed")).to_be_visible()
    expect(item(phone, ITEMS[0]).get_by_test_id("more")).to_have_attribute("aria-disabled", "true")
    expect(item(phone, ITEMS[0]).get_by_test_id("points-field")).not_to_be_editable()


def test_the_start_page_writes_points_and_says_a_budget_of_zero_is_wrong_at_its_field(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start?lang=nb")
    start.get_by_test_id("agenda-title").fill("Budsjett")
    start.get_by_test_id("add-points").click()
    row = start.locator("#activities > li").nth(0)
    row.get_by_label(tr("nb", "Title or question")).fill("Hvor skal pengene brukes?")
    row.get_by_label(tr("nb", "Items to spread points over, one per line")).fill("\n".join(ITEMS))
    budget = row.get_by_label(tr("nb", "Points per person"))
    expect(budget).to_have_value("100")
    budget.fill("0")
    start.get_by_test_id("create-agenda").click()
    wanted = tr("nb", "Activity %(n)s: %(problem)s") % {
        "n": 1,
        "problem": tr("nb", "give a whole number from %(low)s to %(high)s")
        % {"low": 1, "high": 1000},
    }
    expect(row.get_by_test_id("field-problem")).to_have_text(wanted)
    expect(budget).to_have_attribute("aria-invalid", "true")
    budget.fill("10")
    start.get_by_test_id("create-agenda").click()
    expect(start.get_by_test_id("created-code")).to_have_text(re.compile(r"^\d{6}$"))
    start.get_by_test_id("open-console").click()
    goto_activity(start, "points-1")
    expect(start.get_by_test_id("total-i3")).to_contain_text(ITEMS[2])
