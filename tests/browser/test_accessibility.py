"""No axe-core violations of WCAG 2.0/2.1 A and AA, on every page in every state it can be in.

One meeting is stepped through every kind of activity and state, with the phone, the screen and
the console checked at each step; then the pages around it: join, start and public results.
Each test gathers what fails at every step and reports it all at the end, so one run shows the
whole picture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from .axe import Audit
from .helpers import (
    LiveServer,
    Roles,
    change_dot,
    goto_activity,
    note_with_text,
    post_note,
    set_phase,
    tap,
    vote,
)

MakeMeeting = Callable[..., dict[str, Any]]

# One of each kind, and notes both with and without columns.
AGENDA = {
    "title": "Trygghet i sentrum",
    "language": "nb",
    "activities": [
        {
            "id": "welcome",
            "kind": "info",
            "title": "Velkommen",
            "text": "Alt du svarer er anonymt.",
        },
        {
            "id": "safety",
            "kind": "poll",
            "title": "Hvor trygg føler du deg i sentrum?",
            "text": "Svar slik du opplever det i dag.",
            "options": [{"id": "safe", "text": "Trygg"}, {"id": "unsafe", "text": "Utrygg"}],
            "none_option": True,
            "results": "reveal",
        },
        {"id": "ideas", "kind": "notes", "title": "Hva bør endres?"},
        {"id": "where", "kind": "notes", "title": "Hvor og når?", "columns": ["Hvor", "Når"]},
        {"id": "points", "kind": "painjoy", "title": "Smertepunkter og hjertepunkter"},
    ],
}


def test_phone_screen_and_console_have_no_axe_violations_in_any_state(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    audit = Audit()
    every = {"phone": phone, "screen": screen, "console": console}

    expect(phone.get_by_test_id("waiting")).to_be_visible()
    expect(screen.get_by_test_id("participants")).to_have_attribute("data-count", "1")
    audit.check("the lobby", **every)

    goto_activity(console, "welcome")
    expect(phone.locator("[data-activity='welcome']")).to_be_visible()
    expect(screen.locator("[data-activity='welcome']")).to_be_visible()
    audit.check("an info slide", **every)

    goto_activity(console, "safety")
    vote(phone, "safe")
    expect(screen.get_by_test_id("results-hidden")).to_be_visible()
    expect(console.get_by_test_id("tally-safe")).to_have_attribute("data-count", "1")
    audit.check("a poll, open, voted", **every)

    tap(console.get_by_test_id("toggle-open"))
    expect(phone.get_by_test_id("closed")).to_be_visible()
    expect(console.get_by_test_id("open-state")).to_have_class(re.compile(r"\bwarn\b"))
    expect(screen.locator(".pill.closed")).to_be_visible()
    audit.check("a poll, closed", **every)

    tap(console.get_by_test_id("toggle-results"))
    expect(screen.get_by_test_id("tally-safe")).to_have_attribute("data-count", "1")
    expect(phone.get_by_test_id("tally-safe")).to_have_attribute("data-count", "1")
    audit.check("a poll, closed, results revealed", **every)

    goto_activity(console, "ideas")
    expect(phone.get_by_test_id("note-text")).to_be_enabled()
    audit.check("notes without columns, none posted", **every)
    post_note(phone, "Mer lys i parken")
    post_note(phone, "Flere benker")
    expect(screen.get_by_test_id("wall").get_by_test_id("note")).to_have_count(2)
    expect(console.get_by_test_id("mod-note")).to_have_count(2)
    audit.check("notes without columns, two posted", **every)

    goto_activity(console, "where")
    post_note(phone, "Ved stasjonen", column=0)
    post_note(phone, "Sent på kvelden", column=1)
    expect(screen.get_by_test_id("wall").get_by_test_id("note")).to_have_count(2)
    audit.check("notes in columns, two posted", **every)

    goto_activity(console, "points")
    post_note(phone, "Mørk undergang", side="pain")
    post_note(phone, "Bussen går sjelden", side="pain")
    post_note(phone, "Fin park", side="joy")
    console.on("dialog", lambda dialog: dialog.accept("ikke et innspill"))
    hidden = note_with_text(console, "Bussen går sjelden", "mod-note")
    tap(hidden.get_by_test_id("hide"))
    expect(hidden).to_have_attribute("data-status", "hidden")
    expect(screen.get_by_test_id("wall-pain").get_by_test_id("note")).to_have_count(1)
    audit.check("pain and heart points, notes phase, one hidden", **every)

    set_phase(console, "dots")
    change_dot(phone, "Mørk undergang", +1)
    change_dot(phone, "Fin park", +1)
    expect(screen.get_by_test_id("ranking-pain").get_by_test_id("dots")).to_have_count(1)
    expect(console.get_by_test_id("ranking-joy").get_by_test_id("dots")).to_have_count(1)
    audit.check("pain and heart points, dots phase, dots placed, one hidden", **every)

    tap(console.get_by_test_id("end-meeting"))
    expect(phone.get_by_test_id("ended")).to_be_visible()
    expect(screen.get_by_test_id("screen-ended")).to_be_visible()
    expect(console.get_by_test_id("end-meeting")).to_be_disabled()
    audit.check("the meeting ended", **every)

    tap(console.get_by_test_id("publish"))
    expect(phone.get_by_test_id("see-results")).to_be_visible()
    audit.check("the meeting ended, results published", phone=phone, console=console)

    for page in every.values():
        page.context.set_offline(True)
    for page in every.values():
        expect(page.get_by_test_id("status")).to_have_attribute("data-state", "offline")
    audit.check("the connection lost", **every)

    audit.expect_none()


def test_join_start_and_results_pages_have_no_axe_violations(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    audit = Audit()
    phone, desktop = roles.blank_phone(), roles.blank_console()

    phone.goto(f"{server.base}/")
    expect(phone.get_by_label("Meeting code")).to_be_visible()
    audit.check("the join page", phone=phone)
    phone.goto(f"{server.base}/join?code=12")
    expect(phone.locator("#code-error")).to_be_visible()
    audit.check("the join page, a wrong code", phone=phone)

    desktop.goto(f"{server.base}/start")
    expect(desktop.get_by_test_id("created")).to_be_hidden()
    audit.check("the start page", desktop=desktop)
    desktop.get_by_test_id("add-poll").click()
    desktop.get_by_test_id("start-youth-workshop").click()
    expect(desktop.get_by_test_id("created")).to_be_visible()
    audit.check("the start page, a meeting created, an activity being written", desktop=desktop)

    meeting = make_meeting(**AGENDA)
    console, voter = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "safety")
    vote(voter, "unsafe")
    goto_activity(console, "where")
    post_note(voter, "Ved stasjonen", column=0)
    goto_activity(console, "points")
    post_note(voter, "Mørk undergang", side="pain")
    account = console.get_by_test_id("account")
    account.get_by_test_id("item-text-decision").fill("Bedre lys i undergangen")
    tap(account.get_by_test_id("add-decision"))
    expect(account.get_by_test_id("items-decision")).to_contain_text("Bedre lys")
    expect(console.get_by_test_id("screens")).to_have_attribute("data-state", "warn")
    audit.check("no screen connected, a decision written", console=console)
    tap(console.get_by_test_id("end-meeting"))
    tap(console.get_by_test_id("publish"))
    expect(voter.get_by_test_id("see-results")).to_be_visible()

    for page in (phone, desktop):
        page.goto(f"{meeting['join_url']}/results")
        expect(page.get_by_test_id("results-title")).to_be_visible()
    audit.check("the public results page", phone=phone, desktop=desktop)

    audit.expect_none()


def test_moderation_in_the_console_and_on_the_phone_has_no_axe_violations(
    own_server: Callable[..., Roles],
) -> None:
    # A server of its own that warns at the first phone and the second note: the banner shows.
    roles = own_server(FACILITATE_ALERT_JOINS_PER_MINUTE="1", FACILITATE_ALERT_NOTES_PER_MINUTE="2")
    meeting = roles.server.create_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    audit = Audit()
    every = {"phone": phone, "console": console}

    expect(console.get_by_test_id("alert-joins")).to_be_visible()
    tap(phone.get_by_test_id("rules-summary"))
    expect(phone.get_by_test_id("rules-text")).to_be_visible()
    audit.check("a warning of many new phones, the phone's rules open", **every)

    goto_activity(console, "points")
    post_note(phone, "Mørk undergang", side="pain")
    post_note(phone, "Fin park", side="joy")
    expect(console.get_by_test_id("alert-notes")).to_be_visible()
    expect(console.get_by_test_id("alert-pause")).to_be_visible()
    tap(note_with_text(console, "Fin park", "mod-note").get_by_role("checkbox"))
    expect(console.get_by_test_id("hide-ticked")).to_be_visible()
    audit.check("pain and heart points, warnings with a pause button, a note ticked", **every)

    tap(console.get_by_test_id("alert-pause"))
    expect(console.get_by_test_id("paused-state")).to_be_visible()
    post_note(phone, "Ring meg", side="pain")
    post_note(phone, "Reklame", side="joy")
    expect(console.get_by_test_id("held-notes").get_by_test_id("mod-note")).to_have_count(2)
    console.on("dialog", lambda dialog: dialog.accept("reklame"))
    tap(note_with_text(console, "Reklame", "mod-note").get_by_test_id("hide"))
    hidden = note_with_text(phone, "Reklame", "my-note")
    expect(hidden.get_by_test_id("note-reason")).to_have_text("reklame")
    expect(note_with_text(phone, "Ring meg", "my-note")).to_have_attribute("data-status", "held")
    audit.check("the wall paused, a note waiting, a note hidden with a reason", **every)

    tap(console.get_by_test_id("edit-rules"))
    console.get_by_test_id("rules-field").fill("Skriv om saken, ikke om personer.")
    tap(console.get_by_test_id("save-rules"))
    expect(phone.get_by_test_id("rules-text")).to_have_text("Skriv om saken, ikke om personer.")
    audit.check("the rules form open and saved, the phone showing them", **every)

    # A phone turned away for now: its network has made too many new phones just now.
    crowded = own_server(FACILITATE_NEW_PHONES_BURST="1", FACILITATE_NEW_PHONES_PER_SECOND="0.001")
    full = crowded.server.create_meeting(**AGENDA)
    crowded.phone(full)
    late = crowded.blank_phone()
    late.goto(full["join_url"])
    expect(late.get_by_test_id("refused")).to_be_visible()
    audit.check("a phone told to wait (too many new phones from its network)", phone=late)

    audit.expect_none()
