"""Each phone picks its language; the facilitator drives the meeting from the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from .helpers import Roles, choose_language, goto_activity, tr, vote

MakeMeeting = Callable[..., dict[str, Any]]


def test_when_a_phone_switches_to_swedish_then_its_texts_change_and_its_vote_stays(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    other = roles.phone(meeting)
    goto_activity(console, "young-here")
    vote(phone, "quite-good")
    expect(phone.get_by_test_id("voted")).to_contain_text(tr("nb", "Your answer is saved."))
    expect(phone.get_by_test_id("status")).to_have_text(tr("nb", "Saved"))
    expect(phone.get_by_test_id("option-very-good")).to_have_text("Veldig godt")

    choose_language(phone, "sv")

    # The page was loaded again in Swedish and has sent nothing since: connected, not "saved".
    expect(phone.get_by_test_id("status")).to_have_text(tr("sv", "Connected"))
    expect(phone.get_by_test_id("voted")).to_contain_text(tr("sv", "Your answer is saved."))
    expect(phone.get_by_test_id("option-very-good")).to_have_text("Mycket bra")  # the plan's sv
    expect(phone.get_by_test_id("activity-title")).to_have_text("Hur bra är det att vara ung här?")
    expect(phone.get_by_test_id("option-quite-good")).to_have_attribute("aria-pressed", "true")
    phone.get_by_test_id("languages").click()  # the picker, opened again
    expect(phone.get_by_test_id("lang-nb")).to_be_visible()
    expect(phone.get_by_test_id("lang-sv")).to_have_count(0)  # the current one is not a link
    expect(console.get_by_test_id("tally-quite-good")).to_have_attribute("data-count", "1")

    goto_activity(console, "best-here")
    expect(phone.get_by_test_id("post-note")).to_have_text(tr("sv", "Post note"))
    expect(other.get_by_test_id("post-note")).to_have_text(tr("nb", "Post note"))  # per phone
    phone.reload()  # the choice is kept
    expect(phone.get_by_test_id("post-note")).to_have_text(tr("sv", "Post note"))


def test_when_the_facilitator_presses_arrows_and_r_then_the_screen_follows(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    screen = roles.screen(meeting)
    console = roles.console(meeting)
    on_screen = screen.locator("#stage [data-activity]")
    on_console = console.locator("#stage [data-activity]")
    expect(screen.get_by_test_id("lobby")).to_be_visible()

    def press(key: str, shown: str | None) -> None:
        """Press a key, then see the console and the screen both move (None: join screen).

        The facilitator presses the next key once the console shows the last one: a step is
        taken from what the console shows.
        """
        console.keyboard.press(key)
        if shown is None:
            expect(on_console).to_have_count(0)
            expect(screen.get_by_test_id("lobby")).to_be_visible()
        else:
            expect(on_console).to_have_attribute("data-activity", shown)
            expect(on_screen).to_have_attribute("data-activity", shown)

    press("ArrowRight", "welcome")
    press("ArrowRight", "young-here")
    press("ArrowLeft", "welcome")
    press("ArrowLeft", None)
    press("ArrowLeft", None)  # nothing before the join screen
    press("ArrowRight", "welcome")
    press("PageDown", "young-here")  # what a presentation clicker sends

    expect(screen.get_by_test_id("results-hidden")).to_be_visible()
    console.keyboard.press("r")
    expect(screen.get_by_test_id("poll-results")).to_be_visible()
    expect(screen.get_by_test_id("results-hidden")).to_have_count(0)
    expect(console.get_by_test_id("toggle-results")).to_have_text(tr("nb", "Hide results"))
    console.keyboard.press("r")
    expect(screen.get_by_test_id("results-hidden")).to_be_visible()
    expect(screen.get_by_test_id("poll-results")).to_have_count(0)
    expect(console.get_by_test_id("toggle-results")).to_have_text(tr("nb", "Show results"))
