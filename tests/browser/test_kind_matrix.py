"""A matrix in the browser: at a folkemøte the pain points are posted and dotted, then the
effort/effect matrix opens with the five most dotted; phones place them on both scales (by
touch and by keyboard), the projector plots the mean places with their spread and the
quadrants named, all in view at 1280×720; a place can be taken back; no axe violations."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from .axe import Audit
from .helpers import (
    LiveServer,
    Roles,
    change_dot,
    goto_activity,
    post_note,
    said,
    set_phase,
    tap,
    tr,
)

MakeMeeting = Callable[..., dict[str, Any]]
PAINJOY, MATRIX = "pain-joy", "effort-effect"  # folkemote
# Pain points and the dots they get from two phones (3 each, at most 2 on one note).
DOTTED = {
    "Mørke snarveier": 2,
    "Råkjøring i sentrum": 1,
    "Rus i helgene": 0,
    "Lite å gjøre for ungdom": 1,
    "Søppel i parken": 2,
    "Tagging på skolen": 0,
}


def place_item(phone: Page, item: int) -> Locator:
    return phone.get_by_test_id("place-item").nth(item)


def place(phone: Page, item: int, x: int, y: int) -> None:
    row = place_item(phone, item)
    tap(row.get_by_test_id(f"x-{x}"))
    tap(row.get_by_test_id(f"y-{y}"))
    expect(row.get_by_test_id(f"x-{x}")).to_have_attribute("aria-pressed", "true")
    expect(row.get_by_test_id("place-state")).to_be_hidden()  # sent and saved


def position(page: Page, item: int) -> Locator:
    return page.get_by_test_id("position").nth(item)


def test_when_pain_points_are_dotted_then_the_matrix_places_the_five_most_dotted(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="folkemote")
    screen, console = roles.screen(meeting), roles.console(meeting)
    screen.set_viewport_size({"width": 1280, "height": 720})
    first, second = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, PAINJOY)
    for text in DOTTED:
        post_note(first, text, side="pain")
    set_phase(console, "dots")
    given = {phone: 0 for phone in (first, second)}
    for text, dots in DOTTED.items():
        for _ in range(dots):
            phone = first if given[first] < 3 else second
            change_dot(phone, text, +1)
            given[phone] += 1
    top = ["Mørke snarveier", "Søppel i parken", "Råkjøring i sentrum", "Lite å gjøre for ungdom"]

    goto_activity(console, MATRIX)
    legends = first.get_by_test_id("place-item").locator("legend")
    expect(legends).to_have_count(5)
    assert legends.all_text_contents()[:4] == top  # then one with no dots, as it was posted
    assert legends.all_text_contents()[4] in ("Rus i helgene", "Tagging på skolen")

    # One scale first: the phone asks for the other, and sends nothing yet.
    row = place_item(first, 0)
    tap(row.get_by_test_id("x-1"))
    expect(row.get_by_test_id("place-state")).to_have_text(
        said("nb", "phone.place_other", axis="Effekt")
    )
    expect(console.get_by_test_id("position").first).to_have_attribute("data-n", "0")
    tap(row.get_by_test_id("y-5"))
    expect(row.get_by_test_id("place-state")).to_be_hidden()
    place(second, 0, 2, 4)
    place(second, 2, 5, 1)

    # The projector: the points, their quadrants, the spread, all in view.
    expect(position(screen, 0)).to_have_attribute("data-quadrant", "top_left")
    expect(position(screen, 0)).to_contain_text("Raske gevinster")
    expect(position(screen, 2)).to_have_attribute("data-quadrant", "bottom_right")
    expect(position(screen, 2)).to_contain_text("Tidstyver")
    expect(position(screen, 1)).to_contain_text(said("nb", "results.no_answers"))
    expect(screen.get_by_test_id("point")).to_have_count(2)
    for name in ("Raske gevinster", "Store prosjekter", "Småtterier", "Tidstyver"):
        expect(screen.locator(".quadrant", has_text=name)).to_be_visible()
    for node in (screen.locator(".plot"), position(screen, 4)):
        box = node.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 720 - 40, box  # above the strip
    spread = screen.locator(".placed").first.locator(".spread-x").bounding_box()
    assert spread is not None and spread["width"] > 10  # one standard deviation each way

    # A tap on a chosen number takes the place back; the other stays chosen, to place again.
    tap(place_item(second, 2).get_by_test_id("y-1"))
    expect(position(screen, 2)).to_have_attribute("data-n", "0")
    expect(place_item(second, 2).get_by_test_id("x-5")).to_have_attribute("aria-pressed", "true")
    expect(place_item(second, 2).get_by_test_id("place-state")).to_have_text(
        said("nb", "phone.place_other", axis="Effekt")
    )


def test_a_phone_places_by_keyboard_and_the_page_has_no_axe_violations(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(
        title="Tiltak",
        language="nb",
        activities=[
            {
                "id": "m",
                "kind": "matrix",
                "title": "Innsats og effekt",
                "items": ["Bedre lys i undergangen", "Natteravner i helgene"],
                "x": {"label": "Innsats", "low": "Lite", "high": "Mye"},
                "y": {"label": "Effekt", "low": "Liten", "high": "Stor"},
            }
        ],
    )
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "m")
    low = place_item(phone, 1).get_by_test_id("x-1")
    expect(low).to_have_attribute("aria-label", "Innsats 1 – Lite")
    low.focus()
    phone.keyboard.press("Space")
    expect(low).to_have_attribute("aria-pressed", "true")
    expect(low).to_be_focused()
    for _ in range(5):  # past the rest of the row, to Effekt 1
        phone.keyboard.press("Tab")
    expect(place_item(phone, 1).get_by_test_id("y-1")).to_be_focused()
    phone.keyboard.press("Enter")
    expect(position(console, 1)).to_have_attribute("data-quadrant", "bottom_left")
    expect(place_item(phone, 1).get_by_test_id("y-1")).to_be_focused()
    expect(phone.get_by_test_id("rated")).to_have_text(said("nb", "phone.rated", n=1, total=2))
    expect(position(screen, 1)).to_have_attribute("data-n", "1")
    audit = Audit()
    audit.check("matrix, one item placed", phone=phone, screen=screen, console=console)
    audit.expect_none()


def test_a_matrix_and_a_scale_written_on_the_start_page_run_as_written(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start?lang=nb")
    start.get_by_test_id("agenda-title").fill("Tiltak i sentrum")
    start.get_by_test_id("add-scale").click()
    scale = start.locator("#activities > li").nth(0)
    scale.get_by_label(tr("nb", "Title or question")).fill("Hvor enig er du?")
    scale.get_by_label(tr("nb", "Statements, one per line")).fill("Trygt her\nNok lys")
    steps = scale.get_by_label(tr("nb", "To"), exact=True)
    steps.fill("1")  # not above "From": refused, and said at the field
    start.get_by_test_id("add-matrix").click()
    matrix = start.locator("#activities > li").nth(1)
    matrix.get_by_label(tr("nb", "Title or question")).fill("Innsats og effekt")
    matrix.get_by_label(tr("nb", "Items to place, one per line")).fill("Lys\nVakter")
    matrix.get_by_label(tr("nb", "Across: what it measures (effort)")).fill("Innsats")
    matrix.get_by_label(tr("nb", "Up: what it measures (effect)")).fill("Effekt")
    matrix.locator("input[name='y.max']").fill("7")

    start.get_by_test_id("create-agenda").click()
    problem = scale.get_by_test_id("field-problem")
    expect(problem).to_have_text(
        tr("nb", "Activity %(n)s: %(problem)s")
        % {
            "n": 1,
            "problem": tr("nb", "give a larger number than “From”, at most %(high)s numbers in all")
            % {"high": 11},
        }
    )
    expect(steps).to_have_attribute("aria-invalid", "true")
    steps.fill("5")
    start.get_by_test_id("create-agenda").click()
    expect(start.get_by_test_id("created-code")).to_have_text(re.compile(r"^\d{6}$"))
    start.get_by_test_id("open-console").click()
    goto_activity(start, "matrix-2")
    expect(start.get_by_test_id("position")).to_have_count(2)
    expect(start.locator(".axis-y")).to_have_text("Effekt ↑")
    goto_activity(start, "scale-1")
    expect(start.get_by_test_id("score")).to_have_count(2)
