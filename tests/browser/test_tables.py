"""Round tables in Chromium: phones sit at their table (by a table's own link or by choosing),
each table's notes stay with it on the console and the screen, and the facilitator moderates
and shows one table or all."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from facilitate.web.strings import ERRORS

from .axe import Audit
from .helpers import Roles, change_dot, goto_activity, post_note, said, set_phase, tap, tr

MakeMeeting = Callable[..., dict[str, Any]]
AGENDA = {
    "title": "Dialogmøte på skolen",
    "language": "nb",
    "tables": ["Bord A", "Bord B"],
    "activities": [
        {"kind": "info", "id": "welcome", "title": "Velkommen"},
        {"kind": "notes", "id": "ideas", "title": "Hva gjør dere trygge?", "scope": "table"},
    ],
}


def test_when_phones_sit_at_tables_then_each_tables_notes_stay_with_it_everywhere(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    axe = Audit()
    console, screen = roles.console(meeting), roles.screen(meeting)
    # One phone scans table A's own code; the other chooses its table in the lobby.
    at_a = roles.blank_phone()
    at_a.goto(f"{meeting['join_url']}?table=t1")
    expect(at_a.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    expect(at_a.get_by_test_id("table-picker")).to_have_count(0)
    # A reload keeps the table chosen since. (Polled: the page takes it out of the address with
    # history.replaceState, and Playwright learns of that a moment later.)
    expect(at_a).not_to_have_url(re.compile("table="))
    at_b = roles.phone(meeting)
    picker = at_b.get_by_test_id("table-picker")
    expect(picker).to_contain_text(said("nb", "tables.choose"))
    axe.check("choosing a table", phone=at_b)
    tap(at_b.get_by_test_id("table-t2"))
    expect(picker).to_have_count(0)

    goto_activity(console, "ideas")
    expect(at_a.get_by_test_id("seat")).to_contain_text("Bord A")
    expect(at_b.get_by_test_id("seat")).to_contain_text("Bord B")
    post_note(at_a, "Lys i parken")
    post_note(at_b, "Benker ved elva")

    parts = console.get_by_test_id("table-part")
    expect(parts).to_have_count(2)
    expect(parts.nth(0)).to_contain_text("Lys i parken")
    expect(parts.nth(0)).not_to_contain_text("Benker ved elva")
    expect(parts.nth(1)).to_contain_text("Benker ved elva")
    tables = screen.get_by_test_id("screen-table")
    expect(tables).to_have_count(2)
    expect(tables.nth(1)).to_contain_text("Benker ved elva")
    axe.check("every table side by side", console=console, screen=screen)

    # One table on the projector, then moderation at that table.
    tap(console.get_by_test_id("screen-t2"))
    expect(tables).to_have_count(1)
    expect(tables.first).to_contain_text("Bord B")
    expect(screen.get_by_test_id("screen-tables")).not_to_contain_text("Lys i parken")
    console.on("dialog", lambda dialog: dialog.accept("utenfor saken"))
    tap(parts.nth(1).get_by_test_id("hide"))
    expect(screen.get_by_test_id("screen-tables")).not_to_contain_text("Benker ved elva")
    expect(parts.nth(1).locator("[data-status=hidden]")).to_contain_text("Benker ved elva")

    # A phone moves: its next note goes to the table it moved to.
    tap(at_a.get_by_test_id("change-table"))
    tap(at_a.get_by_test_id("table-t2"))
    expect(at_a.get_by_test_id("seat")).to_contain_text("Bord B")
    post_note(at_a, "Trygt med voksne ute")
    expect(parts.nth(1)).to_contain_text("Trygt med voksne ute")
    expect(parts.nth(0)).not_to_contain_text("Trygt med voksne ute")
    axe.expect_none()


def test_when_one_table_is_paused_then_only_its_new_notes_wait_for_review(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    at_a, at_b = roles.blank_phone(), roles.blank_phone()
    at_a.goto(f"{meeting['join_url']}?table=t1")
    at_b.goto(f"{meeting['join_url']}?table=t2")
    goto_activity(console, "ideas")
    parts = console.get_by_test_id("table-part")
    expect(parts.nth(0).get_by_test_id("toggle-pause")).to_have_attribute("data-paused", "false")
    tap(parts.nth(1).get_by_test_id("toggle-pause"))
    expect(parts.nth(1).get_by_test_id("paused-state")).to_have_text(said("nb", "console.paused"))
    expect(parts.nth(0).get_by_test_id("paused-state")).to_have_count(0)
    post_note(at_a, "Lys i parken")
    post_note(at_b, "Benker ved elva")
    expect(parts.nth(1).get_by_test_id("held-count")).to_be_visible()
    expect(parts.nth(0).get_by_test_id("held-count")).to_have_count(0)
    expect(at_b.get_by_test_id("my-note")).to_contain_text(said("nb", "phone.held_paused"))
    tap(parts.nth(1).get_by_test_id("toggle-pause"))
    expect(parts.nth(1).get_by_test_id("paused-state")).to_have_count(0)


PROBLEM_AGENDA = {
    "title": "Problemanalys",
    "language": "sv",
    "tables": 2,
    "activities": [
        {"kind": "problem", "id": "pr", "title": "Problemet", "scope": "table", "whys": 2},
    ],
}


def test_when_a_phone_scans_a_tables_scribe_code_then_it_writes_the_tables_agreed_answer(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**PROBLEM_AGENDA)
    axe = Audit()
    console, screen = roles.console(meeting), roles.screen(meeting)
    goto_activity(console, "pr")
    tap(console.get_by_test_id("scribe-details").locator("summary"))
    codes = console.get_by_test_id("scribe-code")
    expect(codes).to_have_count(2)
    second = codes.nth(1)
    expect(second.get_by_test_id("scribe-count")).to_have_text(
        said("sv", "tables.scribe_count", n=0)
    )
    link = second.get_by_test_id("scribe-link").get_attribute("href")
    assert link and "table=t2&scribe=" in link
    axe.check("the scribe codes", console=console)

    scribe = roles.blank_phone()
    scribe.goto(link)
    expect(scribe.get_by_test_id("scribe-badge")).to_be_visible()
    expect(scribe).not_to_have_url(re.compile("scribe="))  # the code leaves the address once used
    expect(second.get_by_test_id("scribe-count")).to_have_text(
        said("sv", "tables.scribe_count", n=1)
    )
    parts = console.get_by_test_id("table-part")
    expect(parts.nth(1).get_by_test_id("table-scribes")).to_be_visible()

    # What the table agreed on, written once, is the table's agreed answer everywhere.
    tools = scribe.locator("[data-field=what]").get_by_test_id("scribe-tools")
    tools.get_by_test_id("scribe-text").fill("Klotter på <b>skolan</b>")
    tap(tools.get_by_test_id("scribe-save"))
    expect(parts.nth(1).locator(".agreed")).to_contain_text("Klotter på <b>skolan</b>")
    expect(parts.nth(0).locator(".agreed")).to_have_count(0)
    tap(console.get_by_test_id("screen-t2"))
    expect(screen.get_by_test_id("problem-agreed").first).to_contain_text(
        "Klotter på <b>skolan</b>"
    )
    axe.check("a scribe's phone", scribe=scribe)

    # An answer a phone at the table wrote becomes the agreed one with the scribe's tap.
    other = roles.blank_phone()
    other.goto(f"{meeting['join_url']}?table=t2")
    other.get_by_test_id("problem-go").select_option("where")
    where = other.locator("[data-field=where]")
    where.get_by_test_id("problem-text").fill("Skolgården")
    tap(where.get_by_test_id("problem-add"))
    scribe.get_by_test_id("problem-go").select_option("where")
    agree = scribe.locator("[data-field=where]").get_by_test_id("scribe-agree")
    tap(agree)
    where_part = parts.nth(1).locator("[data-field=where]")
    expect(where_part.locator(".agreed")).to_contain_text("Skolgården")

    # Dismissed, the scribe's phone is a phone like the others, and its old code is worthless.
    tap(second.get_by_test_id("scribe-dismiss"))
    expect(scribe.get_by_test_id("scribe-badge")).to_have_count(0)
    expect(scribe.get_by_test_id("scribe-tools")).to_have_count(0)
    expect(second.get_by_test_id("scribe-link")).not_to_have_attribute("href", link)
    again = roles.blank_phone()
    again.goto(link)
    expect(again.locator("#toast")).to_contain_text(tr("sv", ERRORS["bad_scribe_code"]))
    expect(again.get_by_test_id("scribe-badge")).to_have_count(0)
    axe.expect_none()


def test_when_one_table_is_ready_then_the_console_moves_it_alone_on_to_the_dots(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(
        **{
            **AGENDA,
            "activities": [
                {
                    "kind": "painjoy",
                    "id": "points",
                    "title": "Hva er vondt og godt?",
                    "scope": "table",
                }
            ],
        }
    )
    console = roles.console(meeting)
    at_a, at_b = roles.phone(meeting), roles.phone(meeting)
    for phone, table in ((at_a, "t1"), (at_b, "t2")):
        tap(phone.get_by_test_id(f"table-{table}"))
        expect(phone.get_by_test_id("table-picker")).to_have_count(0)
    goto_activity(console, "points")
    post_note(at_a, "Mørk undergang", side="pain")
    post_note(at_b, "Fart i Storgata", side="pain")

    # Each table has its own phase switch; table A goes on to the dots, table B keeps writing.
    parts = console.get_by_test_id("table-part")
    expect(parts).to_have_count(2)
    set_phase(parts.nth(0), "dots")
    expect(parts.nth(1).get_by_test_id("phase-notes")).to_have_attribute("aria-pressed", "true")
    change_dot(at_a, "Mørk undergang", +1)
    expect(at_b.get_by_test_id("dot-item")).to_have_count(0)
    post_note(at_b, "Benker ved elva", side="joy")
    expect(parts.nth(0).get_by_test_id("ranking-pain")).to_contain_text("Mørk undergang")
