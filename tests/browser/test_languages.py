"""A phone reads the meeting in one of nine languages, right to left in Arabic and Persian, and
keeps its choice; the screen and the console stay in the meeting's language, and what people
write keeps its own script."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .axe import Audit
from .helpers import (
    Roles,
    choose_language,
    goto_activity,
    my_note,
    note_with_text,
    post_note,
    said,
    set_phase,
    tap,
    tr,
    vote,
)

MakeMeeting = Callable[..., dict[str, Any]]

TITLES = {"nb": "Trygg i parken", "ar": "الأمان في الحديقة", "fa": "امنیت در پارک"}
AGENDA = {
    "title": TITLES,
    "language": "nb",
    "activities": [
        {
            "id": "mood",
            "kind": "poll",
            "title": {"nb": "Er parken trygg om kvelden?", "ar": "هل الحديقة آمنة مساءً؟"},
            "options": [{"id": "yes", "text": "Ja"}, {"id": "no", "text": "Nei"}],
        },
        {"id": "ideas", "kind": "notes", "title": "Hva mangler?"},
        {"id": "points", "kind": "painjoy", "title": "Smertepunkter og hjertepunkter"},
    ],
}
# "I want more lights in the park by the 7 o'clock bus": joiners inside words, a number and a
# Latin word in a right-to-left sentence.
PERSIAN_NOTE = "می\u200cخواهم چراغ\u200cهای بیشتری در پارک کنار اتوبوس ۷ Storgata باشد"


def open_in(roles: Roles, meeting: dict[str, Any], lang: str) -> Page:
    """A phone that opened the meeting's address with ?lang= and is connected."""
    phone = roles.blank_phone()
    phone.goto(f"{meeting['join_url']}?lang={lang}")
    expect(phone.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    return phone


def box(page: Page, testid: str) -> dict[str, float]:
    found = page.get_by_test_id(testid).bounding_box()
    assert found is not None, testid
    return found


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_when_a_phone_reads_arabic_or_persian_then_the_page_runs_right_to_left(
    roles: Roles, make_meeting: MakeMeeting, lang: str
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    phone = open_in(roles, meeting, lang)

    html = phone.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", "rtl")
    expect(phone.get_by_test_id("status")).to_have_text(tr(lang, "Connected"))
    expect(phone.locator(".meeting-title")).to_have_text(TITLES[lang])
    # Right to left: the title starts at the right, the status sits at the left.
    title = phone.locator(".meeting-title").bounding_box()
    assert title is not None and title["x"] > box(phone, "status")["x"]
    expect(phone.get_by_test_id("waiting")).to_have_text(said(lang, "phone.waiting"))

    goto_activity(console, "points")
    post_note(phone, "Mørkt ved busstoppet", side="pain")
    note = my_note(phone, "Mørkt ved busstoppet")
    # The pain mark is on the note's start: its right edge on a right-to-left page, while the
    # note waits to be sent as after (polled: the note is redrawn when its ack comes).
    expect(note).to_have_css("border-right-width", "6px")
    expect(note).to_have_css("border-left-width", "0px")


@pytest.mark.parametrize("lang", ["so", "uk", "pl"])
def test_when_a_phone_reads_somali_ukrainian_or_polish_then_the_page_carries_its_language(
    roles: Roles, make_meeting: MakeMeeting, lang: str
) -> None:
    meeting = make_meeting(**AGENDA)
    phone = open_in(roles, meeting, lang)
    expect(phone.locator("html")).to_have_attribute("lang", lang)
    assert phone.locator("html").get_attribute("dir") is None  # left to right
    expect(phone.get_by_test_id("waiting")).to_have_text(said(lang, "phone.waiting"))
    expect(phone.get_by_test_id("status")).to_have_text(tr(lang, "Connected"))
    expect(phone.locator(".meeting-title")).to_have_text("Trygg i parken")  # no title of its own


def test_when_a_phone_picks_arabic_at_the_top_then_it_sticks_and_the_room_stays_norwegian(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    screen = roles.screen(meeting)
    phone = roles.phone(meeting)
    other = roles.phone(meeting)
    goto_activity(console, "mood")

    # The picker is at the top, in the first screenful, above the activity.
    picker = phone.get_by_test_id("languages")
    expect(picker).to_be_visible()
    expect(picker).to_contain_text("Norsk bokmål")
    assert box(phone, "languages")["y"] < box(phone, "activity-title")["y"] < 740

    choose_language(phone, "ar")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.get_by_test_id("activity-title")).to_have_text("هل الحديقة آمنة مساءً؟")
    vote(phone, "yes")
    expect(phone.get_by_test_id("voted")).to_contain_text(tr("ar", "Your answer is saved."))

    sent: list[str] = []
    phone.on("websocket", lambda socket: socket.on("framesent", lambda f: sent.append(str(f))))
    phone.reload()  # the choice is kept on this phone
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.get_by_test_id("option-yes")).to_have_attribute("aria-pressed", "true")
    expect(phone.get_by_test_id("status")).to_have_text(tr("ar", "Connected"))
    hellos = [frame for frame in sent if '"type":"hello"' in frame]
    assert hellos and all('"lang":"ar"' in hello for hello in hellos), sent  # heard in Arabic

    # Every other page keeps the meeting's language.
    expect(other.locator("html")).to_have_attribute("lang", "nb")
    expect(other.get_by_test_id("activity-title")).to_have_text("Er parken trygg om kvelden?")
    for page in (screen, console):
        expect(page.locator("html")).to_have_attribute("lang", "nb")
        assert page.locator("html").get_attribute("dir") is None

    choose_language(phone, "nb")  # and back, from the same place
    assert phone.locator("html").get_attribute("dir") is None


def test_when_a_persian_participant_writes_with_zero_width_non_joiners_then_it_shows_as_written(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    screen = roles.screen(meeting)
    phone = open_in(roles, meeting, "fa")
    goto_activity(console, "ideas")

    post_note(phone, PERSIAN_NOTE)

    for page, testid in ((phone, "my-note"), (screen, "note"), (console, "mod-note")):
        text = note_with_text(page, PERSIAN_NOTE, testid).locator(".sticky-text")
        expect(text).to_have_count(1)
        # The very characters written, joiners included, in a right-to-left isolate of its
        # own, on the Norwegian screen and console too.
        assert text.evaluate("node => node.textContent") == PERSIAN_NOTE, page.url
        assert text.evaluate("node => node.matches(':dir(rtl)')"), page.url
    expect(screen.locator("html")).to_have_attribute("lang", "nb")


def test_the_arabic_phone_has_no_axe_violations(roles: Roles, make_meeting: MakeMeeting) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    phone = open_in(roles, meeting, "ar")
    audit = Audit()

    audit.check("in the lobby", phone=phone)
    phone.get_by_test_id("languages").click()
    expect(phone.get_by_test_id("lang-fa")).to_be_visible()
    audit.check("with the language picker open", phone=phone)
    goto_activity(console, "mood")
    vote(phone, "no")
    audit.check("a poll, answered", phone=phone)
    goto_activity(console, "points")
    post_note(phone, "Mørkt ved busstoppet", side="pain")
    post_note(phone, "الملعب الجديد", side="joy")
    audit.check("pain and heart points, notes posted", phone=phone)
    set_phase(console, "dots")
    tap(phone.get_by_test_id("add-dot").first)
    audit.check("pain and heart points, dots", phone=phone)

    join = roles.blank_phone()
    join.goto(f"{meeting['join_url'].rsplit('/', 1)[0]}/?lang=ar")
    expect(join.locator("html")).to_have_attribute("dir", "rtl")
    audit.check("the join page", join=join)
    audit.expect_none()
