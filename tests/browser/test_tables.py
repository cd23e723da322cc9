"""Round tables in Chromium: phones sit at their table (by a table's own link or by choosing),
each table's notes stay with it on the console and the screen, and the facilitator moderates
and shows one table or all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from .axe import Audit
from .helpers import Roles, change_dot, goto_activity, post_note, said, set_phase, tap

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
    assert "table=" not in at_a.url  # a reload keeps the table chosen since
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
