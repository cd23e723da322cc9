"""Moderation in the console and on the phone: the paused wall and notes that wait for review,
hiding many notes at once, the meeting's rules, why a phone's note is not on the screen, and
the warnings and refusals of a flood from one network."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Dialog, Page, expect

from facilitate.web.strings import ERRORS, SCRIPT

from .helpers import Roles, goto_activity, my_note, note_with_text, post_note, said, tap, tr

MakeMeeting = Callable[..., dict[str, Any]]
OwnServer = Callable[..., Roles]

AGENDA = {
    "title": "Trygghet i sentrum",
    "language": "nb",
    "activities": [
        {"id": "ideas", "kind": "notes", "title": "Hva bør endres?"},
        {"id": "points", "kind": "painjoy", "title": "Smertepunkter og hjertepunkter"},
    ],
}


def nb(key: str, **params: Any) -> str:
    """A script string as the pages show it in bokmål, the meeting's language."""
    return said("nb", key, **params)


class Prompts:
    """Answers every prompt on a page with `reason` (which the test may change) and keeps the
    questions as they were asked."""

    def __init__(self, page: Page, reason: str) -> None:
        self.reason = reason
        self.asked: list[str] = []
        page.on("dialog", self.answer)

    def answer(self, dialog: Dialog) -> None:
        self.asked.append(dialog.message)
        dialog.accept(self.reason)


def wall_notes(screen: Page) -> Any:
    return screen.get_by_test_id("wall").get_by_test_id("note")


def pause(console: Page) -> None:
    tap(console.get_by_test_id("toggle-pause"))
    expect(console.get_by_test_id("toggle-pause")).to_have_attribute("data-paused", "true")


def test_when_the_wall_is_paused_then_a_new_note_waits_until_the_console_lets_it_through(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "ideas")
    switch = console.get_by_test_id("wall-switch")
    expect(switch).to_contain_text(nb("console.pause_help"))
    post_note(phone, "Mer lys i parken")
    expect(wall_notes(screen)).to_have_count(1)

    pause(console)
    expect(switch).to_contain_text(nb("console.paused_help"))
    expect(console.get_by_test_id("paused-state")).to_have_text(nb("console.paused"))
    post_note(phone, "Flere benker")

    # The phone says it waits and why; the screen does not show it; the console does, on top.
    mine = my_note(phone, "Flere benker")
    expect(mine).to_have_attribute("data-status", "held")
    expect(mine.get_by_test_id("note-state")).to_have_text(
        f"{nb('phone.held')} {nb('phone.held_paused')}"
    )
    held = note_with_text(console.get_by_test_id("held-notes"), "Flere benker", "mod-note")
    expect(held).to_have_attribute("data-status", "held")
    expect(held.get_by_test_id("held-why")).to_have_text(
        f"{nb('console.waiting')} · {nb('console.held_paused')}"
    )
    expect(console.get_by_test_id("held-count")).to_have_text(nb("console.held_count", n=1))
    expect(held.get_by_test_id("hide")).to_be_visible()
    expect(wall_notes(screen)).to_have_count(1)
    expect(note_with_text(screen, "Flere benker")).to_have_count(0)

    tap(held.get_by_test_id("release"))
    expect(note_with_text(screen, "Flere benker")).to_be_visible()
    expect(mine).to_have_attribute("data-status", "visible")
    expect(mine.get_by_test_id("note-state")).to_have_count(0)
    expect(console.get_by_test_id("held-notes")).to_have_count(0)
    expect(console.get_by_test_id("held-count")).to_have_count(0)

    # Resumed: new notes go straight up again.
    tap(console.get_by_test_id("toggle-pause"))
    expect(console.get_by_test_id("toggle-pause")).to_have_attribute("data-paused", "false")
    post_note(phone, "Bedre busstilbud")
    expect(note_with_text(screen, "Bedre busstilbud")).to_be_visible()
    expect(my_note(phone, "Bedre busstilbud")).to_have_attribute("data-status", "visible")


def test_when_the_console_hides_the_ticked_notes_then_they_leave_the_screen_with_one_reason(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "ideas")
    spam = ["Kjøp billig nå", "Kjøp billig i dag", "Kjøp billig her"]
    for text in ["Mer lys i parken", *spam]:
        post_note(phone, text)
    expect(wall_notes(screen)).to_have_count(4)

    # What the ticks are for is said before any is ticked.
    expect(console.get_by_test_id("tick-hint")).to_have_text(nb("console.tick_hint"))
    for text in spam:
        box = note_with_text(console, text, "mod-note").get_by_role("checkbox")
        tap(box)
        expect(box).to_be_checked()
    expect(console.get_by_test_id("ticked")).to_have_text(nb("console.ticked", n=3))
    expect(console.get_by_test_id("tick-hint")).to_have_count(0)

    prompts = Prompts(console, "reklame")
    tap(console.get_by_test_id("hide-ticked"))

    expect(wall_notes(screen)).to_have_count(1)
    expect(note_with_text(screen, "Mer lys i parken")).to_be_visible()
    for text in spam:
        hidden = note_with_text(console, text, "mod-note")
        expect(hidden).to_have_attribute("data-status", "hidden")
        expect(hidden).to_contain_text("reklame")
        expect(my_note(phone, text)).to_have_attribute("data-status", "hidden")
        expect(my_note(phone, text).get_by_test_id("note-reason")).to_have_text("reklame")
    assert prompts.asked == [nb("console.hide_ticked_reason", n=3)]  # asked once, for all
    expect(console.get_by_test_id("tick-hint")).to_be_visible()  # nothing ticked any more
    ideas = next(a for a in roles.server.record(meeting)["activities"] if a["id"] == "ideas")
    assert {(n["text"], n["reason"]) for n in ideas["moderation"]} == {
        (text, "reklame") for text in spam
    }


def test_when_the_console_hides_everything_from_the_last_two_minutes_then_waiting_notes_go_too(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "ideas")
    post_note(phone, "Spam en")
    post_note(phone, "Spam to")
    pause(console)
    post_note(phone, "Spam tre")
    expect(my_note(phone, "Spam tre")).to_have_attribute("data-status", "held")
    expect(wall_notes(screen)).to_have_count(2)

    prompts = Prompts(console, "oversvømmelse")
    tap(console.get_by_test_id("hide-since-2"))

    for text in ("Spam en", "Spam to", "Spam tre"):
        expect(note_with_text(console, text, "mod-note")).to_have_attribute("data-status", "hidden")
        expect(my_note(phone, text).get_by_test_id("note-reason")).to_have_text("oversvømmelse")
    expect(note_with_text(screen, "Spam en")).to_have_count(0)
    expect(screen.get_by_test_id("wall").get_by_test_id("note")).to_have_count(0)
    expect(console.get_by_test_id("held-notes")).to_have_count(0)
    span = said("nb", "console.minutes", n=2)
    assert prompts.asked == [nb("console.hide_since_reason", span=span)]


def test_when_the_console_hides_waiting_notes_then_the_phone_that_wrote_them_says_why(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "ideas")
    pause(console)
    for text in ("Ola er dum", "Spam", "Mer spam"):
        post_note(phone, text)
    expect(console.get_by_test_id("held-count")).to_have_text(nb("console.held_count", n=3))

    prompts = Prompts(console, "handler om en person")
    tap(note_with_text(console, "Ola er dum", "mod-note").get_by_test_id("hide"))
    mine = my_note(phone, "Ola er dum")
    expect(mine).to_have_attribute("data-status", "hidden")
    expect(mine.get_by_test_id("note-state")).to_have_text(
        f"{nb('phone.hidden')} {nb('phone.reason')} handler om en person"
    )
    expect(console.get_by_test_id("held-count")).to_have_text(nb("console.held_count", n=2))
    assert prompts.asked == [nb("console.hide_reason")]

    prompts.reason = "spam"
    tap(console.get_by_test_id("hide-held"))
    for text in ("Spam", "Mer spam"):
        expect(my_note(phone, text)).to_have_attribute("data-status", "hidden")
        expect(my_note(phone, text).get_by_test_id("note-reason")).to_have_text("spam")
    expect(console.get_by_test_id("held-notes")).to_have_count(0)
    assert prompts.asked[1:] == [nb("console.hide_held_reason", n=2)]
    expect(wall_notes(screen)).to_have_count(0)


# The server holds a note that looks personal with why (`held`: national_id, phone, email,
# address, name: facilitate/core/personal.py). One note of each, as people write them.
PERSONAL = {
    "national_id": "Fnr 01010012356 ligger i postkassa",
    "phone": "Ring meg på 98765432",
    "email": "Skriv til ola@example.org",
    "address": "Naboen i Storgata 12 selger",
    "name": "Ola Nordmann kjører for fort",
}


def test_each_reason_a_note_waits_is_said_in_words_on_the_phone_and_in_the_console(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, screen, phone = roles.console(meeting), roles.screen(meeting), roles.phone(meeting)
    goto_activity(console, "ideas")
    for text in PERSONAL.values():
        post_note(phone, text)
    post_note(phone, "Mer lys ved stasjonen")
    expect(wall_notes(screen)).to_have_count(1)  # only the one that looks harmless
    for reason, text in PERSONAL.items():
        state = my_note(phone, text).get_by_test_id("note-state")
        expect(state).to_have_text(f"{nb('phone.held')} {nb(f'phone.held_{reason}')}")
        why = note_with_text(console, text, "mod-note").get_by_test_id("held-why")
        expect(why).to_have_text(f"{nb('console.waiting')} · {nb(f'console.held_{reason}')}")


def test_when_the_console_saves_rules_then_the_phones_show_them_and_else_the_standard_text(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    swedish = roles.blank_phone()
    swedish.goto(f"{meeting['join_url']}?lang=sv")
    expect(swedish.get_by_test_id("status")).to_have_attribute("data-state", "saved")

    # The standard rules, each phone in its own language; closed until opened.
    rules = phone.get_by_test_id("rules-text")
    expect(rules).to_be_hidden()
    tap(phone.get_by_test_id("rules-summary"))
    expect(rules).to_have_text(nb("phone.rules_default"))
    tap(swedish.get_by_test_id("rules-summary"))
    expect(swedish.get_by_test_id("rules-text")).to_have_text(
        tr("sv", SCRIPT["phone.rules_default"])
    )
    tap(console.get_by_test_id("summary-rules"))
    field = console.get_by_test_id("rules-field")
    expect(field).to_have_attribute("placeholder", nb("phone.rules_default"))
    expect(console.get_by_test_id("rules-state")).to_have_text(nb("console.rules_standard"))

    own = "Skriv om saken, ikke om personer.\nVi skjuler reklame."
    field.fill(own)
    tap(console.get_by_test_id("save-rules"))
    expect(rules).to_have_text(own)
    expect(swedish.get_by_test_id("rules-text")).to_have_text(own)
    expect(console.get_by_test_id("rules-state")).to_have_text(nb("console.rules_own"))

    phone.reload()  # the page comes with them, before any script runs
    expect(phone.get_by_test_id("rules-text")).to_have_text(own)

    field.fill("")
    tap(console.get_by_test_id("save-rules"))
    expect(swedish.get_by_test_id("rules-text")).to_have_text(
        tr("sv", SCRIPT["phone.rules_default"])
    )
    expect(console.get_by_test_id("rules-state")).to_have_text(nb("console.rules_standard"))


def test_when_one_network_makes_many_phones_and_notes_then_the_console_warns_calmly(
    own_server: OwnServer,
) -> None:
    roles = own_server(FACILITATE_ALERT_JOINS_PER_MINUTE="2", FACILITATE_ALERT_NOTES_PER_MINUTE="3")
    meeting = roles.server.create_meeting(**AGENDA)
    console = roles.console(meeting)
    expect(console.get_by_test_id("alert-banner")).to_have_count(0)
    phones = [roles.phone(meeting), roles.phone(meeting)]

    alerts = console.get_by_test_id("alerts")
    expect(alerts).to_have_attribute("role", "status")  # spoken, but it interrupts nobody
    expect(alerts.get_by_test_id("alert-joins")).to_have_text(
        f"{nb('console.alert_joins', n=2)} {nb('console.alert_joins_help')}"
    )
    expect(alerts.get_by_test_id("alert-pause")).to_have_count(0)  # no wall on the join screen

    goto_activity(console, "ideas")
    for text in ("Spam en", "Spam to", "Spam tre"):
        post_note(phones[0], text)
    expect(alerts.get_by_test_id("alert-notes")).to_have_text(
        f"{nb('console.alert_notes', n=3)} {nb('console.alert_notes_help')}"
    )
    tap(alerts.get_by_test_id("alert-pause"))
    expect(console.get_by_test_id("toggle-pause")).to_have_attribute("data-paused", "true")
    expect(alerts.get_by_test_id("alert-pause")).to_have_count(0)


def test_when_too_many_new_phones_come_from_one_network_then_the_phone_says_so_and_waits(
    own_server: OwnServer,
) -> None:
    roles = own_server(FACILITATE_NEW_PHONES_BURST="1", FACILITATE_NEW_PHONES_PER_SECOND="0.001")
    meeting = roles.server.create_meeting(**AGENDA)
    roles.phone(meeting)  # the network's one new phone for now

    late = roles.blank_phone()
    late.goto(meeting["join_url"])
    expect(late.get_by_test_id("refused")).to_have_text(tr("nb", ERRORS["too_many_new_phones"]))
    status = late.get_by_test_id("status")
    expect(status).to_have_attribute("data-state", "refused")
    expect(status).to_have_text(nb("status.refused"))
    expect(late.locator("#toast")).to_be_hidden()  # said once, in the page, not in a pop-up
