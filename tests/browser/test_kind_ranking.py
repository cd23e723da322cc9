"""A ranking in the browser: phones order the items by dragging and with the arrow buttons (by
keyboard too, with the new place said), the screen shows the Borda bars once revealed, and
the console always; items carried over from the pain points with most dots."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from .axe import report, violations
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
ITEMS = ["Bedre lys i undergangen", "Flere voksne ute", "Fartsdumper i Storgata"]
AGENDA = {
    "title": "Hva først?",
    "language": "nb",
    "activities": [
        {"kind": "ranking", "id": "first", "title": "Hva bør vi gjøre først?", "items": ITEMS,
         "results": "reveal"},
    ],
}  # fmt: skip


def rows(phone: Page) -> Locator:
    return phone.get_by_test_id("rank-item")


def row(phone: Page, text: str) -> Locator:
    return rows(phone).filter(has_text=text)


def shown_order(phone: Page) -> list[str]:
    """The items in the phone's order, once the ranking is drawn (its module and sheet in)."""
    expect(rows(phone).first).to_be_visible()
    return [text.strip() for text in rows(phone).locator(".rank-label").all_inner_texts()]


def drag(phone: Page, text: str, onto: str) -> None:
    """Drag the item by its grip and let go over the top part of another item's row: it takes
    that item's place."""
    grip = row(phone, text).get_by_test_id("grip").bounding_box()
    target = row(phone, onto).bounding_box()
    assert grip and target
    phone.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    phone.mouse.down()
    for step in range(1, 6):  # through the rows on the way, as a finger does
        y = grip["y"] + (target["y"] + target["height"] * 0.25 - grip["y"]) * step / 5
        phone.mouse.move(grip["x"] + grip["width"] / 2, y)
    phone.mouse.up()


def saved(phone: Page) -> None:
    expect(phone.get_by_test_id("ranked")).to_have_attribute("data-state", "saved")


def test_when_phones_rank_by_dragging_and_arrows_then_the_screen_shows_the_borda_bars(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console = roles.screen(meeting), roles.console(meeting)
    first, second = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "first")
    assert shown_order(first) == ITEMS  # the items' own order until the person moves one
    expect(first.get_by_test_id("ranked")).to_have_count(0)  # nothing sent yet

    # Dragging: the third item over the first.
    drag(first, ITEMS[2], onto=ITEMS[0])
    expect(rows(first).first).to_contain_text(ITEMS[2])
    saved(first)
    assert shown_order(first) == [ITEMS[2], ITEMS[0], ITEMS[1]]

    # The arrows: the second phone moves the second item up, then agrees with nothing else.
    tap(row(second, ITEMS[1]).get_by_test_id("move-up"))
    saved(second)
    assert shown_order(second) == [ITEMS[1], ITEMS[0], ITEMS[2]]
    expect(row(second, ITEMS[1]).get_by_test_id("move-up")).to_have_attribute(
        "aria-disabled", "true"
    )

    # Results wait for the reveal on the screen; the console sees them at once.
    expect(screen.get_by_test_id("responders")).to_have_text(said("nb", "results.responders", n=2))
    expect(screen.get_by_test_id("standings")).to_have_count(0)
    expect(console.get_by_test_id("standing-i3")).to_have_attribute("data-score", "2")
    tap(console.get_by_test_id("toggle-results"))
    bars = screen.get_by_test_id("standings")
    expect(console.get_by_test_id("rankers")).to_have_text(said("nb", "results.votes", n=2))
    # i1: 1 + 1 = 2, i2: 0 + 2 = 2, i3: 2 + 0 = 2: one shared first place.
    for item in ("i1", "i2", "i3"):
        expect(bars.get_by_test_id(f"standing-{item}")).to_have_attribute("data-rank", "1")
    tap(row(second, ITEMS[2]).get_by_test_id("move-up"))
    saved(second)
    expect(bars.get_by_test_id("standing-i3")).to_have_attribute("data-score", "3")
    expect(bars.locator("li").first).to_have_attribute("data-item", "i3")
    expect(bars.locator("li").first).to_contain_text(said("nb", "results.points", n=3))
    expect(first.get_by_test_id("standings")).to_be_visible()  # the phones see them too
    for page, where in ((first, "the phone's ranking"), (screen, "the projector's bars")):
        found = violations(page)
        assert not found, report(where, found)
    first.emulate_media(color_scheme="dark")  # a dark hall: the phone follows its own setting
    found = violations(first)
    assert not found, report("the phone's ranking, dark", found)

    record = roles.server.record(meeting)["activities"][0]
    assert record["standings"]["rankers"] == 2


def test_a_phone_ranks_by_keyboard_and_hears_each_new_place(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "first")
    up = row(phone, ITEMS[2]).get_by_test_id("move-up")
    expect(up).to_have_accessible_name(said("nb", "phone.move_up", item=ITEMS[2]))
    up.focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_test_id("rank-said")).to_have_text(
        said("nb", "phone.rank_moved", item=ITEMS[2], n=2, total=3)
    )
    saved(phone)
    # The button moved with its row and kept the focus: Enter again moves it on.
    expect(row(phone, ITEMS[2]).get_by_test_id("move-up")).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.get_by_test_id("rank-said")).to_have_text(
        said("nb", "phone.rank_moved", item=ITEMS[2], n=1, total=3)
    )
    expect(rows(phone).first).to_contain_text(ITEMS[2])
    expect(phone.get_by_test_id("announce")).to_have_text(tr("nb", "Your order is saved."))
    # Every button is a thumb's size.
    for button in rows(phone).get_by_role("button").all():
        box = button.bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44


def test_agreeing_with_the_order_as_shown_is_one_tap_and_a_closed_ranking_takes_no_moves(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "first")
    tap(phone.get_by_test_id("send-order"))
    saved(phone)
    expect(phone.get_by_test_id("send-order")).to_have_count(0)
    expect(console.get_by_test_id("standing-i1")).to_have_attribute("data-score", "2")
    tap(console.get_by_test_id("toggle-open"))
    expect(phone.get_by_test_id("closed")).to_be_visible()
    expect(row(phone, ITEMS[1]).get_by_test_id("move-up")).to_have_attribute(
        "aria-disabled", "true"
    )
    drag(phone, ITEMS[2], onto=ITEMS[0])
    assert shown_order(phone) == ITEMS  # nothing moves


def test_the_ranking_takes_the_pain_points_with_most_dots(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "heart-pain")
    for text in ("Mørk undergang", "Råkjøring i sentrum"):
        post_note(phone, text, side="pain")
    set_phase(console, "dots")
    change_dot(phone, "Råkjøring i sentrum", +1)
    goto_activity(console, "do-first")
    expect(rows(phone)).to_have_count(2)
    assert shown_order(phone) == ["Råkjøring i sentrum", "Mørk undergang"]  # most dots first
    tap(row(phone, "Mørk undergang").get_by_test_id("move-up"))
    saved(phone)
    record = roles.server.record(meeting)
    ranked = next(a for a in record["activities"] if a["id"] == "do-first")["standings"]
    assert [i["text"]["nb"] for i in ranked["items"]] == ["Mørk undergang", "Råkjøring i sentrum"]


LONG_TEXT = (
    "Det er mørkt og utrygt i undergangen ved jernbanestasjonen om kvelden, og mange unge "
    "går heller den lange veien rundt for å slippe å gå der alene"
)


@pytest.mark.parametrize(
    ("items", "text"),
    [
        ([f"Tiltak nummer {n} for et tryggere sentrum" for n in range(1, 21)], ""),
        ([f"{n}. {LONG_TEXT}" for n in range(1, 6)], "Her er smertepunktene med flest prikker. "
         "Sett dem i den rekkefølgen du mener vi bør ta tak i dem – det viktigste øverst."),
    ],
    ids=["twenty items", "five long pain points"],
)  # fmt: skip
def test_every_item_of_a_ranking_fits_the_projector(
    roles: Roles, make_meeting: MakeMeeting, items: list[str], text: str
) -> None:
    activity = {"kind": "ranking", "id": "long", "title": "Hva bør vi gjøre først?", "items": items}
    meeting = make_meeting(
        title="Lang liste",
        language="nb",
        activities=[{**activity, "text": text} if text else activity],
    )
    screen = roles.screen(meeting)
    screen.set_viewport_size({"width": 1280, "height": 720})
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "long")
    tap(phone.get_by_test_id("send-order"))
    saved(phone)
    expect(screen.get_by_test_id("responders")).to_have_text(said("nb", "results.responders", n=1))
    last = screen.get_by_test_id("standings").locator("li").last
    expect(last).to_have_attribute("data-item", f"i{len(items)}")  # the last, drawn
    strip = screen.locator(".screen-strip").bounding_box()  # the join line at the foot
    box = last.bounding_box()
    assert strip and box and box["y"] + box["height"] <= strip["y"], (box, strip)


def test_the_start_page_writes_a_ranking_and_asks_for_two_items_at_least(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start?lang=nb")
    start.get_by_test_id("agenda-title").fill("Hva først?")
    start.get_by_test_id("add-ranking").click()
    row = start.locator("#activities > li").nth(0)
    row.get_by_label(tr("nb", "Title or question")).fill("Hva bør vi gjøre først?")
    items = row.get_by_label(tr("nb", "Items to put in order, one per line"))
    for written, problem in (
        ("", tr("nb", "give the items, one per line")),
        (
            "Bare ett",
            tr("nb", "give %(low)s to %(high)s items, one per line") % {"low": 2, "high": 20},
        ),
    ):
        items.fill(written)
        start.get_by_test_id("create-agenda").click()
        wanted = tr("nb", "Activity %(n)s: %(problem)s") % {"n": 1, "problem": problem}
        expect(row.get_by_test_id("field-problem")).to_have_text(wanted)
        expect(items).to_have_attribute("aria-invalid", "true")
    items.fill("\n".join(ITEMS))
    start.get_by_test_id("create-agenda").click()
    expect(start.get_by_test_id("created-code")).to_have_text(re.compile(r"^\d{6}$"))
    start.get_by_test_id("open-console").click()
    goto_activity(start, "ranking-1")
    expect(start.get_by_test_id("standing-i2")).to_contain_text(ITEMS[1])
