"""The phone under a person's hands: updates patch the page, so focus, the note being typed and
the order of the dot list survive their own actions and other people's; what the phone says
about an input (waiting, saved, refused) is true, also offline."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from .helpers import (
    Roles,
    change_dot,
    dot_item,
    goto_activity,
    my_note,
    post_note,
    set_phase,
    tally,
    tap,
    tr,
    vote,
)

MakeMeeting = Callable[..., dict[str, Any]]
RECONNECT_MS = 25_000  # backoff doubles from 0.5 s while the phone is offline


def go_offline(phone: Page) -> None:
    phone.context.set_offline(True)
    expect(phone.get_by_test_id("status")).to_have_attribute("data-state", "offline")


def come_back(phone: Page) -> None:
    phone.context.set_offline(False)
    expect(phone.get_by_test_id("status")).to_have_attribute(
        "data-state", "saved", timeout=RECONNECT_MS
    )


def dot_texts(phone: Page, side: str) -> list[str]:
    return phone.get_by_test_id(f"dots-{side}").locator(".sticky-text").all_inner_texts()


def test_when_space_chooses_an_answer_then_focus_stays_on_it_also_as_others_vote(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone, other = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "young-here")
    tap(console.get_by_test_id("toggle-results"))  # phones see the tally change

    option = phone.get_by_test_id("option-so-so")
    option.focus()
    phone.keyboard.press("Space")
    expect(option).to_have_attribute("aria-pressed", "true")
    expect(option).to_be_focused()
    expect(phone.get_by_test_id("voted")).to_have_attribute("data-state", "saved")
    expect(phone.get_by_test_id("announce")).to_have_text(tr("nb", "Your answer is saved."))

    # Someone else's vote patches this phone's page, and a screen reader is not read the whole
    # activity again: the stage is no live region, only the small, specific ones are.
    expect(phone.locator("#stage")).not_to_have_attribute("aria-live", re.compile("."))
    vote(other, "bad")
    expect(tally(phone, "bad")).to_have_attribute("data-count", "1")
    expect(option).to_be_focused()

    phone.keyboard.press("Tab")
    phone.keyboard.press("Space")  # the next answer, by keyboard: it still works
    expect(phone.get_by_test_id("option-not-so-good")).to_have_attribute("aria-pressed", "true")
    expect(phone.get_by_test_id("option-not-so-good")).to_be_focused()
    expect(tally(phone, "not-so-good")).to_have_attribute("data-count", "1")


def test_when_a_note_is_posted_then_focus_stays_in_the_field_and_the_next_note_is_posted(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone, other = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "best-here")
    area = phone.get_by_test_id("note-text")
    area.click()
    phone.keyboard.type("Første lapp")
    phone.keyboard.press("Tab")
    expect(phone.get_by_test_id("post-note")).to_be_focused()
    phone.keyboard.press("Enter")

    expect(my_note(phone, "Første lapp")).to_have_count(1)
    expect(area).to_be_focused()  # on a touch phone, the keyboard stays open
    expect(phone.get_by_test_id("announce")).to_have_text(tr("nb", "Your note is posted."))

    phone.keyboard.type("Andre")
    post_note(other, "En annen sin lapp")  # the room changes while this phone types
    phone.keyboard.type(" lapp")
    expect(area).to_be_focused()
    expect(area).to_have_value("Andre lapp")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")

    expect(my_note(phone, "Andre lapp")).to_have_count(1)
    expect(phone.get_by_test_id("my-note")).to_have_count(2)
    expect(area).to_be_focused()


def pain_points_with_dots(roles: Roles, make_meeting: MakeMeeting) -> tuple[Page, Page]:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone, other = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "heart-pain")
    post_note(phone, "Mørk gangvei", side="pain")
    post_note(phone, "Lite å gjøre", side="pain")
    post_note(other, "Bussen går sjelden", side="pain")
    post_note(other, "Gode trenere", side="joy")
    set_phase(console, "dots")
    expect(phone.get_by_test_id("dot-item")).to_have_count(4)
    return phone, other


def test_when_enter_adds_dots_then_focus_stays_and_the_buttons_are_named_with_the_note(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    phone, other = pain_points_with_dots(roles, make_meeting)
    item = dot_item(phone, "Mørk gangvei")
    add = phone.get_by_role(
        "button", name=tr("nb", "Add a dot to: %(note)s") % {"note": "Mørk gangvei"}
    )
    expect(add).to_have_count(1)
    expect(
        phone.get_by_role(
            "button", name=tr("nb", "Take a dot back from: %(note)s") % {"note": "Mørk gangvei"}
        )
    ).to_have_count(1)

    add.focus()
    phone.keyboard.press("Enter")
    expect(item.get_by_test_id("my-dots")).to_have_text("●")
    expect(add).to_be_focused()
    phone.keyboard.press("Enter")  # the second Enter works too
    expect(item.get_by_test_id("my-dots")).to_have_text("●●")
    expect(add).to_be_focused()
    expect(add).to_be_disabled()  # the cap: two on one note, and the focus is still there
    left = tr("nb", "%(side)s: %(n)s left") % {"side": tr("nb", "Pain points"), "n": 1}
    expect(phone.get_by_test_id("announce")).to_have_text(left)

    # Yours and everyone's, each said in words.
    expect(item.get_by_test_id("dots-all")).to_have_text(tr("nb", "All: %(n)s") % {"n": 2})
    expect(item).to_contain_text(tr("nb", "Yours"))
    expect(item.locator(".sr-only")).to_have_text(
        tr("nb", "Your dots on this note: %(n)s") % {"n": 2}
    )

    change_dot(other, "Mørk gangvei", +1)  # another phone's dot patches this page
    expect(item.get_by_test_id("dots-all")).to_have_text(tr("nb", "All: %(n)s") % {"n": 3})
    expect(add).to_be_focused()


def test_when_others_place_dots_then_the_list_under_the_thumb_keeps_its_order(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    phone, other = pain_points_with_dots(roles, make_meeting)
    before = dot_texts(phone, "pain")
    last = before[-1]
    dot_item(phone, last).get_by_test_id("add-dot").focus()  # the thumb is on the last note

    change_dot(other, last, +1)
    change_dot(other, last, +1)  # now the room ranks it first

    item = dot_item(phone, last)
    expect(item.get_by_test_id("dots-all")).to_have_text(tr("nb", "All: %(n)s") % {"n": 2})
    assert dot_texts(phone, "pain") == before
    expect(item.get_by_test_id("add-dot")).to_be_focused()

    phone.get_by_test_id("dots-pain").get_by_role("heading").click()  # let go: a calm moment
    phone.evaluate("document.activeElement.blur()")
    expect(phone.get_by_test_id("dots-pain").locator(".sticky-text").first).to_have_text(
        last, timeout=15_000
    )


def test_when_a_phone_votes_offline_then_it_says_waiting_not_saved(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "young-here")
    vote(phone, "so-so")
    voted = phone.get_by_test_id("voted")
    expect(voted).to_have_attribute("data-state", "saved")

    go_offline(phone)
    phone.get_by_test_id("option-bad").click()

    expect(phone.get_by_test_id("option-bad")).to_have_attribute("aria-pressed", "true")
    expect(voted).to_have_attribute("data-state", "waiting")
    expect(voted).to_have_text(
        tr("nb", "Your answer is not sent yet. It will be sent when the connection is back.")
    )
    expect(voted).not_to_contain_text(tr("nb", "Your answer is saved."))

    come_back(phone)
    expect(voted).to_have_attribute("data-state", "saved")
    expect(console.get_by_test_id("tally-bad")).to_have_attribute("data-count", "1")


def test_when_a_note_is_posted_offline_then_it_is_listed_as_waiting_and_appears_once(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "best-here")
    expect(phone.get_by_test_id("note-text")).to_be_visible()  # the phone has the question

    go_offline(phone)
    phone.get_by_test_id("note-text").fill("Skrevet uten nett")
    phone.get_by_test_id("post-note").click()

    note = my_note(phone, "Skrevet uten nett")
    expect(note).to_have_count(1)
    expect(note).to_have_attribute("data-status", "waiting")
    expect(note.get_by_test_id("note-state")).to_have_text(tr("nb", "Waiting to send"))

    come_back(phone)
    expect(note).to_have_count(1)
    expect(note).not_to_have_attribute("data-status", "waiting")
    expect(phone.get_by_test_id("my-note")).to_have_count(1)


def test_when_an_offline_vote_is_refused_then_the_phone_shows_the_saved_answer(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "young-here")
    vote(phone, "so-so")
    expect(phone.get_by_test_id("voted")).to_have_attribute("data-state", "saved")

    go_offline(phone)
    phone.get_by_test_id("option-bad").click()
    expect(phone.get_by_test_id("option-bad")).to_have_attribute("aria-pressed", "true")
    tap(console.get_by_test_id("toggle-open"))  # the poll closes before the phone is back
    expect(console.get_by_test_id("open-state")).to_have_text(tr("nb", "Input closed"))

    come_back(phone)

    expect(phone.get_by_test_id("option-so-so")).to_have_attribute("aria-pressed", "true")
    expect(phone.get_by_test_id("option-bad")).to_have_attribute("aria-pressed", "false")
    expect(phone.get_by_test_id("refused-input")).to_be_visible()
    expect(phone.get_by_test_id("voted")).to_have_attribute("data-state", "saved")
    expect(phone.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    expect(phone.get_by_test_id("status")).not_to_have_text(re.compile(tr("nb", "Saving…")))
    expect(console.get_by_test_id("tally-so-so")).to_have_attribute("data-count", "1")


def test_when_offline_on_a_narrow_phone_then_the_status_wraps_within_the_page(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    phone.set_viewport_size({"width": 320, "height": 640})
    goto_activity(console, "best-here")
    expect(phone.get_by_test_id("note-text")).to_be_visible()  # the phone has the question

    go_offline(phone)
    phone.get_by_test_id("note-text").fill("Uten nett")
    phone.get_by_test_id("post-note").click()
    status = phone.get_by_test_id("status")
    expect(status).to_contain_text(
        tr("nb", "%(n)s not sent yet – will be sent when the connection is back") % {"n": 1}
    )

    assert status.evaluate("node => node.scrollWidth <= node.clientWidth")
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    box = status.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320


def test_in_forced_colours_the_chosen_answer_and_pain_or_heart_are_told_apart(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    phone.emulate_media(forced_colors="active")
    goto_activity(console, "young-here")
    vote(phone, "so-so")

    # The chosen tick is filled with a colour of its own; an unchosen one shows the button's.
    colours = phone.get_by_test_id("option-so-so").evaluate(
        """button => [getComputedStyle(button.querySelector('.tick')).backgroundColor,
                      getComputedStyle(button).backgroundColor]"""
    )
    tick, button = colours
    assert tick not in (button, "rgba(0, 0, 0, 0)"), colours

    goto_activity(console, "heart-pain")
    post_note(phone, "Mørk gangvei", side="pain")
    post_note(phone, "Gode trenere", side="joy")
    expect(my_note(phone, "Mørk gangvei")).to_contain_text(tr("nb", "Pain point"))
    expect(my_note(phone, "Gode trenere")).to_contain_text(tr("nb", "Heart point"))
