"""A scale in the browser: phones rate statements (by touch and by keyboard), the screen shows a
column chart per statement once revealed, the console always; honest states offline; what a
phone rated comes back after a reload; no axe violations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from .axe import Audit
from .helpers import Roles, goto_activity, said, tap

MakeMeeting = Callable[..., dict[str, Any]]
STATEMENTS = ["Jeg føler meg trygg i sentrum om kvelden", "Det er nok lys på gangveiene"]
AGENDA = {
    "title": "Trygghet i sentrum",
    "language": "nb",
    "activities": [
        {
            "id": "agree",
            "kind": "scale",
            "title": "Hvor enig er du?",
            "items": STATEMENTS,
            "min": 1,
            "max": 5,
            "labels": ["Helt uenig", "Helt enig"],
            "results": "reveal",
        }
    ],
}


def statement(phone: Page, item: int) -> Any:
    return phone.get_by_test_id("rate-item").nth(item)


def rate(phone: Page, item: int, value: int | str) -> None:
    button = statement(phone, item).get_by_test_id(f"rate-{value}")
    tap(button)
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(statement(phone, item).get_by_test_id("rate-state")).to_have_count(0)  # saved


def score(page: Page, item: int) -> Any:
    return page.get_by_test_id("score").nth(item)


def test_when_phones_rate_statements_then_the_screen_shows_them_once_revealed(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console = roles.screen(meeting), roles.console(meeting)
    first, second = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "agree")

    expect(statement(first, 0).locator("legend")).to_have_text(STATEMENTS[0])
    expect(statement(first, 0).get_by_test_id("rate-1")).to_have_attribute(
        "aria-label", "1 – Helt uenig"
    )
    rate(first, 0, 4)
    rate(first, 1, "dont-know")
    expect(first.get_by_test_id("rated")).to_have_text(said("nb", "phone.rated", n=2, total=2))
    rate(second, 0, 5)
    expect(second.get_by_test_id("rated")).to_have_text(said("nb", "phone.rated", n=1, total=2))

    # Hidden on the screen until revealed; the console always counts.
    expect(screen.get_by_test_id("responders")).to_have_text(said("nb", "results.responders", n=2))
    expect(screen.get_by_test_id("results-hidden")).to_be_visible()
    expect(score(console, 0)).to_have_attribute("data-mean", "4.5")
    tap(console.get_by_test_id("toggle-results"))
    expect(score(screen, 0)).to_have_attribute("data-n", "2")
    expect(score(screen, 0).locator("[data-value='4']")).to_have_attribute("data-count", "1")
    expect(score(screen, 0).get_by_test_id("figures")).to_contain_text("Snitt 4,5 · median 4,5")
    expect(score(screen, 1).get_by_test_id("figures")).to_have_text(
        said("nb", "results.no_answers") + " · " + said("nb", "results.dont_know", n=1)
    )

    # A tap on the chosen number takes the rating back.
    tap(statement(second, 0).get_by_test_id("rate-5"))
    expect(statement(second, 0).get_by_test_id("rate-5")).to_have_attribute("aria-pressed", "false")
    expect(score(screen, 0)).to_have_attribute("data-n", "1")
    expect(score(screen, 0)).to_have_attribute("data-mean", "4")


def test_a_phone_rates_by_keyboard_keeps_its_focus_and_gets_its_ratings_back_after_a_reload(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "agree")
    three = statement(phone, 1).get_by_test_id("rate-3")
    three.focus()
    phone.keyboard.press("Space")
    expect(three).to_have_attribute("aria-pressed", "true")
    expect(three).to_be_focused()  # the page is patched, not rebuilt
    expect(phone.get_by_test_id("announce")).to_have_text(said("nb", "phone.rated", n=1, total=2))
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")  # 4
    expect(statement(phone, 1).get_by_test_id("rate-4")).to_have_attribute("aria-pressed", "true")
    expect(three).to_have_attribute("aria-pressed", "false")

    phone.reload()
    expect(statement(phone, 1).get_by_test_id("rate-4")).to_have_attribute("aria-pressed", "true")
    expect(statement(phone, 0).locator("[aria-pressed=true]")).to_have_count(0)


def test_offline_a_rating_waits_honestly_and_is_sent_when_the_connection_is_back(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "agree")
    expect(statement(phone, 0).get_by_test_id("rate-2")).to_be_visible()
    phone.context.set_offline(True)
    expect(phone.get_by_test_id("status")).to_have_attribute("data-state", "offline")
    tap(statement(phone, 0).get_by_test_id("rate-2"))
    waiting = statement(phone, 0).get_by_test_id("rate-state")
    expect(waiting).to_have_attribute("data-state", "waiting")
    expect(waiting).to_have_text(said("nb", "phone.vote_waiting"))
    phone.context.set_offline(False)
    expect(waiting).to_have_count(0)
    expect(score(console, 0)).to_have_attribute("data-n", "1")


def test_a_scale_has_no_axe_violations_on_the_phone_the_screen_and_the_console(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "agree")
    rate(phone, 0, 2)
    tap(console.get_by_test_id("toggle-results"))
    expect(score(screen, 0)).to_have_attribute("data-n", "1")
    audit = Audit()
    audit.check("scale, rated and revealed", phone=phone, screen=screen, console=console)
    audit.expect_none()
