"""A kiosk in Chromium: one tablet at a stand, people in turn, each a fresh anonymous participant
after "Done" or a while untouched, and nothing of one person left for the next
(docs/without-a-phone.md). The idle minute and the countdown run on Playwright's clock, moved on
by the test: nothing here waits for them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from .axe import Audit
from .helpers import (
    LiveServer,
    Roles,
    change_dot,
    choose_language,
    dot_item,
    goto_activity,
    my_note,
    post_note,
    set_phase,
    tap,
    tr,
    vote,
)

MakeMeeting = Callable[..., dict[str, Any]]
AGENDA = {
    "title": "Innbyggertorg på Kiwi",
    "language": "nb",
    "activities": [
        {"kind": "poll", "id": "safe", "title": "Hvor trygg føler du deg?",
         "options": ["Trygg", "Utrygg"], "results": "reveal"},
        {"kind": "notes", "id": "ideas", "title": "Hva kan bli bedre?", "results": "reveal"},
        {"kind": "painjoy", "id": "pj", "title": "Smerte og hjerte", "dots": 2},
    ],
}  # fmt: skip
IDLE = "01:00"  # the kiosk's default: a minute without a touch, then "Still there?"
COUNTDOWN = "00:11"  # past its ten seconds


def open_kiosk(roles: Roles, meeting: dict[str, Any], query: str = "") -> Page:
    """The kiosk page on a tablet, connected; its clock is the test's to move on."""
    tablet = roles.blank_tablet()
    tablet.clock.install()
    tablet.goto(f"{meeting['join_url']}/kiosk{query}")
    expect(tablet.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    return tablet


def token(tablet: Page, meeting: dict[str, Any]) -> str:
    """The token of the participant in front of the tablet now."""
    found = tablet.evaluate("c => localStorage.getItem(`facilitate.token.${c}`)", meeting["code"])
    assert isinstance(found, str), found
    return found


def next_person(tablet: Page, meeting: dict[str, Any], before: str) -> str:
    """The kiosk has loaded afresh for someone else: a new participant, connected."""
    expect(tablet.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    after = token(tablet, meeting)
    assert after.startswith("kiosk-") and after != before
    return after


def typed(tablet: Page) -> list[str]:
    """What every field on the page holds."""
    values: list[str] = tablet.evaluate(
        "[...document.querySelectorAll('input, textarea')].map((field) => field.value)"
    )
    return [value for value in values if value not in ("", "on")]  # radio buttons say "on"


def test_when_a_person_presses_done_then_the_next_person_sees_nothing_of_theirs(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    axe = Audit()
    console = roles.console(meeting)
    tablet = open_kiosk(roles, meeting)
    axe.check("a kiosk in the lobby", kiosk=tablet)
    first = token(tablet, meeting)
    assert first.startswith("kiosk-")

    goto_activity(console, "safe")
    vote(tablet, "o2")
    goto_activity(console, "ideas")
    post_note(tablet, "Lys ved flaskeautomaten")
    tablet.get_by_test_id("note-text").fill("Halvskrevet tanke")  # typed, never sent
    tablet.mouse.wheel(0, 600)
    axe.check("a person at the kiosk", kiosk=tablet)
    tablet.emulate_media(color_scheme="dark")
    axe.check("a person at the kiosk, dark", kiosk=tablet)
    tablet.emulate_media(color_scheme="light")
    pages_back = tablet.evaluate("history.length")

    with tablet.expect_navigation():
        tablet.get_by_test_id("kiosk-done").click()
    next_person(tablet, meeting, first)
    expect(tablet.locator("[data-activity=ideas]")).to_be_visible()
    expect(tablet.get_by_test_id("my-note")).to_have_count(0)
    assert typed(tablet) == []
    expect(tablet.locator("body")).not_to_contain_text("Lys ved flaskeautomaten")
    assert tablet.evaluate("window.scrollY") == 0
    assert tablet.evaluate("document.activeElement === document.body")
    assert tablet.evaluate("history.length") == pages_back  # "Back" leads to nobody before
    goto_activity(console, "safe")
    expect(tablet.get_by_test_id("option-o1")).to_have_attribute("aria-pressed", "false")
    expect(tablet.get_by_test_id("option-o2")).to_have_attribute("aria-pressed", "false")

    # What the person before gave stays in the meeting, counted as theirs.
    goto_activity(console, "ideas")
    expect(console.locator("#stage")).to_contain_text("Lys ved flaskeautomaten")
    people = server.record(meeting)["participants"]
    assert (people["joined"], people["kiosk"], people["opened"]) == (1, 1, 2)
    axe.expect_none()


def test_when_the_tablet_is_left_untouched_then_it_asks_and_starts_afresh_for_the_next(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    axe = Audit()
    console = roles.console(meeting)
    other = roles.phone(meeting)
    goto_activity(console, "pj")
    post_note(other, "Mørkt ved busstoppet", side="pain")
    set_phase(console, "dots")
    tablet = open_kiosk(roles, meeting)
    first = token(tablet, meeting)
    still = tablet.get_by_test_id("kiosk-still")
    tablet.clock.fast_forward(IDLE)
    expect(still).to_be_hidden()  # nobody has touched it yet: nothing to start afresh

    change_dot(tablet, "Mørkt ved busstoppet", 1)
    tablet.clock.fast_forward(IDLE)
    expect(still).to_be_visible()
    expect(still).to_contain_text(tr("nb", "Still there?"))
    expect(tablet.get_by_test_id("kiosk-seconds")).to_have_text(re.compile(r"^(10|9)$"))
    axe.check("Still there?", kiosk=tablet)
    tablet.emulate_media(color_scheme="dark")
    axe.check("Still there?, dark", kiosk=tablet)

    with tablet.expect_navigation():
        tablet.clock.fast_forward(COUNTDOWN)
    next_person(tablet, meeting, first)
    expect(still).to_be_hidden()
    expect(dot_item(tablet, "Mørkt ved busstoppet").get_by_test_id("my-dots")).to_have_text("○")
    axe.expect_none()


def test_when_the_person_says_they_are_still_there_then_they_go_on_as_themselves(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    goto_activity(console, "safe")
    tablet = open_kiosk(roles, meeting)
    first = token(tablet, meeting)
    vote(tablet, "o1")
    still = tablet.get_by_test_id("kiosk-still")
    tablet.clock.fast_forward(IDLE)
    expect(still).to_be_visible()
    tablet.get_by_test_id("kiosk-stay").click()
    expect(still).to_be_hidden()
    assert token(tablet, meeting) == first
    expect(tablet.get_by_test_id("option-o1")).to_have_attribute("aria-pressed", "true")

    # The clock starts again; this time they leave from the question itself.
    tablet.clock.fast_forward(IDLE)
    expect(still).to_be_visible()
    with tablet.expect_navigation():
        tablet.get_by_test_id("kiosk-leave").click()
    next_person(tablet, meeting, first)
    expect(tablet.get_by_test_id("option-o1")).to_have_attribute("aria-pressed", "false")


def test_when_the_kiosk_is_offline_at_done_then_it_covers_the_page_until_the_answers_are_sent(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    axe = Audit()
    console = roles.console(meeting)
    goto_activity(console, "ideas")
    tablet = open_kiosk(roles, meeting)
    first = token(tablet, meeting)
    tablet.context.set_offline(True)
    expect(tablet.get_by_test_id("status")).to_have_attribute("data-state", "offline")
    tablet.get_by_test_id("note-text").fill("Skrevet uten nett")
    tablet.get_by_test_id("post-note").click()
    expect(my_note(tablet, "Skrevet uten nett")).to_be_visible()

    tablet.get_by_test_id("kiosk-done").click()
    cover = tablet.get_by_test_id("kiosk-next")
    expect(cover).to_be_visible()
    expect(tablet.get_by_test_id("kiosk-unsent")).to_be_hidden()
    tablet.clock.fast_forward("00:09")
    expect(tablet.get_by_test_id("kiosk-unsent")).to_be_visible()
    tablet.keyboard.press("Escape")  # the cover does not lift
    expect(cover).to_be_visible()
    axe.check("the cover while answers wait to be sent", kiosk=tablet)

    with tablet.expect_navigation():
        tablet.context.set_offline(False)
    next_person(tablet, meeting, first)
    expect(tablet.get_by_test_id("my-note")).to_have_count(0)
    notes = next(a for a in server.record(meeting)["activities"] if a["id"] == "ideas")["notes"]
    assert [note["text"] for note in notes] == ["Skrevet uten nett"]
    axe.expect_none()


def test_when_the_page_was_left_with_unsent_answers_then_it_sends_them_before_the_next_person(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    """The tablet's browser closed with answers still in its outbox (or was reloaded long
    after): the next load sends them as the person before, under the cover, then starts afresh."""
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    goto_activity(console, "ideas")
    tablet = open_kiosk(roles, meeting)
    before = token(tablet, meeting)
    left = [{"type": "note", "id": "left-behind-1", "activity": "ideas", "text": "Fra forrige"}]
    tablet.evaluate(
        """([code, left]) => {
          localStorage.setItem(`facilitate.outbox.${code}.participant`, JSON.stringify(left));
          localStorage.setItem(`facilitate:${code}:kiosk-touched`, "1");  // long ago
        }""",
        [meeting["code"], left],
    )
    # The tablet's timers stand still until the test moves them: the cover stays up.
    tablet.clock.pause_at(tablet.evaluate("Date.now()") + 1000)
    tablet.reload()
    expect(tablet.get_by_test_id("kiosk-next")).to_be_visible()
    expect(console.locator("#stage")).to_contain_text("Fra forrige")  # sent, as theirs
    with tablet.expect_navigation():
        tablet.clock.resume()
    next_person(tablet, meeting, before)
    expect(tablet.get_by_test_id("kiosk-next")).to_be_hidden()
    expect(tablet.locator("[data-activity=ideas]")).to_be_visible()
    expect(tablet.get_by_test_id("my-note")).to_have_count(0)
    expect(tablet.locator("body")).not_to_contain_text("Fra forrige")
    notes = next(a for a in server.record(meeting)["activities"] if a["id"] == "ideas")["notes"]
    assert [note["text"] for note in notes] == ["Fra forrige"]


def test_when_a_sleeping_tablet_wakes_after_the_idle_time_then_it_starts_afresh_at_once(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    goto_activity(console, "safe")
    tablet = open_kiosk(roles, meeting)
    first = token(tablet, meeting)
    vote(tablet, "o1")
    # Asleep for two minutes: the clock moved on, and no timer of the page ran meanwhile.
    tablet.clock.set_system_time(tablet.evaluate("Date.now()") + 120_000)
    with tablet.expect_navigation():
        tablet.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    next_person(tablet, meeting, first)
    expect(tablet.get_by_test_id("option-o1")).to_have_attribute("aria-pressed", "false")


def test_when_a_person_switches_language_then_they_stay_and_the_next_starts_in_the_meetings(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    goto_activity(console, "safe")
    tablet = open_kiosk(roles, meeting, "?countdown=5")
    first = token(tablet, meeting)
    vote(tablet, "o2")
    choose_language(tablet, "ar")
    expect(tablet.locator("html")).to_have_attribute("dir", "rtl")
    expect(tablet.get_by_test_id("kiosk-done")).to_have_text(tr("ar", "Done – next person"))
    expect(tablet.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    assert token(tablet, meeting) == first
    assert "countdown=5" in tablet.url
    expect(tablet.get_by_test_id("option-o2")).to_have_attribute("aria-pressed", "true")

    with tablet.expect_navigation():
        tablet.get_by_test_id("kiosk-done").click()
    next_person(tablet, meeting, first)
    expect(tablet.locator("html")).to_have_attribute("lang", "nb")
    expect(tablet.locator("html")).not_to_have_attribute("dir", "rtl")
    assert tablet.url.endswith(f"/{meeting['code']}/kiosk?countdown=5")


TABLES_AGENDA = {
    "title": "Dialogmøte på biblioteket",
    "language": "nb",
    "tables": ["Bord A", "Bord B"],
    "activities": [
        {"kind": "notes", "id": "ideas", "title": "Hva gjør dere trygge?", "scope": "table",
         "results": "reveal"},
    ],
}  # fmt: skip


def test_when_a_kiosk_stands_at_a_table_then_each_person_sits_there(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**TABLES_AGENDA)
    console = roles.console(meeting)
    goto_activity(console, "ideas")
    tablet = open_kiosk(roles, meeting, "?table=t2")
    first = token(tablet, meeting)
    expect(tablet.get_by_test_id("seat")).to_contain_text("Bord B")
    post_note(tablet, "Bokbussen")
    with tablet.expect_navigation():
        tablet.get_by_test_id("kiosk-done").click()
    next_person(tablet, meeting, first)
    expect(tablet.get_by_test_id("seat")).to_contain_text("Bord B")
    expect(tablet.get_by_test_id("table-picker")).to_have_count(0)
    expect(tablet.get_by_test_id("my-note")).to_have_count(0)
    parts = console.get_by_test_id("table-part")
    expect(parts.nth(1)).to_contain_text("Bokbussen")


def test_when_a_kiosk_serves_a_survey_then_each_person_starts_at_its_first_page(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    """The grocery-shop stand in survey mode: each person goes through the activities at their
    own pace, and the next one starts at the beginning, not where the one before left off."""
    now = datetime.now(UTC)
    meeting = make_meeting(
        title="Spørreundersøkelse på Kiwi",
        language="nb",
        survey={
            "opens": (now - timedelta(days=1)).isoformat(),
            "closes": (now + timedelta(days=6)).isoformat(),
        },
        activities=[
            {"kind": "info", "id": "welcome", "title": "Velkommen til standen"},
            {"kind": "poll", "id": "safe", "title": "Trygg her?", "options": ["Ja", "Nei"]},
        ],
    )
    tablet = open_kiosk(roles, meeting)
    first = token(tablet, meeting)
    expect(tablet.get_by_test_id("activity-title")).to_have_text("Velkommen til standen")
    tap(tablet.get_by_test_id("survey-next"))
    vote(tablet, "o2")
    with tablet.expect_navigation():
        tablet.get_by_test_id("kiosk-done").click()
    next_person(tablet, meeting, first)
    expect(tablet.get_by_test_id("activity-title")).to_have_text("Velkommen til standen")
    expect(tablet.get_by_test_id("survey-previous")).to_be_disabled()
    tap(tablet.get_by_test_id("survey-next"))
    expect(tablet.get_by_test_id("option-o2")).to_have_attribute("aria-pressed", "false")
