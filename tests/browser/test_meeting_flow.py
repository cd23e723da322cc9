"""A meeting as it happens: phones join by typing the code, vote, post notes and place dots;
the projector follows the facilitator's console."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from .helpers import (
    LiveServer,
    Roles,
    change_dot,
    dot_item,
    goto_activity,
    join_by_typing,
    my_note,
    note_with_text,
    post_note,
    set_phase,
    tally,
    tap,
    tr,
    trn,
    vote,
)

MakeMeeting = Callable[..., dict[str, Any]]
YOUNG_HERE = ["very-good", "quite-good", "so-so", "not-so-good", "bad"]


def dots_text(n: int) -> str:
    return trn("nb", "%(n)s dot", "%(n)s dots", n)


def left_text(n: int) -> str:
    return tr("nb", "%(n)s left") % {"n": n}


def expect_counts(page: Page, counts: dict[str, int]) -> None:
    for option in YOUNG_HERE:
        expect(tally(page, option)).to_have_attribute("data-count", str(counts.get(option, 0)))
    voters = trn("nb", "%(n)s answer", "%(n)s answers", sum(counts.values()))
    expect(page.get_by_test_id("voters")).to_have_text(voters)


def test_when_three_phones_vote_then_screen_shows_the_counts(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    code = meeting["code"]
    screen = roles.screen(meeting)
    lobby = screen.get_by_test_id("lobby")
    expect(lobby).to_be_visible()
    expect(screen.get_by_test_id("join-code")).to_have_text(f"{code[:3]} {code[3:]}")
    qr = lobby.get_by_role("img")
    expect(qr).to_have_attribute("src", re.compile(rf"/{code}/qr\.svg$"))
    expect(qr).to_have_js_property("complete", True)
    assert qr.evaluate("img => img.naturalWidth") > 0, "the QR code did not load"
    console = roles.console(meeting)
    expect(screen.get_by_test_id("participants")).to_have_attribute("data-count", "0")

    phones = [roles.blank_phone() for _ in range(3)]
    for phone in phones:
        join_by_typing(phone, server.base, code)
        expect(phone.get_by_test_id("waiting")).to_be_visible()

    expect(screen.get_by_test_id("participants")).to_have_attribute("data-count", "3")
    expect(screen.get_by_test_id("participants")).to_have_text(
        tr("nb", "%(n)s connected") % {"n": 3}
    )
    expect(console.get_by_test_id("phones")).to_contain_text("3")

    goto_activity(console, "young-here")

    expect(screen.locator("[data-activity='young-here']")).to_be_visible()
    expect(screen.get_by_test_id("results-hidden")).to_be_visible()  # results = "reveal"
    for phone in phones:
        for option in YOUNG_HERE:
            expect(phone.get_by_test_id(f"option-{option}")).to_be_enabled()
        expect(phone.get_by_test_id("voted")).to_have_count(0)

    for phone, option in zip(phones, ["very-good", "quite-good", "quite-good"], strict=True):
        vote(phone, option)
        expect(phone.get_by_test_id("voted")).to_be_visible()
        expect(phone.get_by_test_id("status")).to_have_attribute("data-state", "saved")

    expect(screen.get_by_test_id("responders")).to_have_text(
        trn("nb", "%(n)s has answered", "%(n)s have answered", 3)
    )
    expect(screen.get_by_test_id("poll-results")).to_have_count(0)  # not until revealed

    tap(console.get_by_test_id("toggle-results"))

    expect_counts(screen, {"very-good": 1, "quite-good": 2})
    expect_counts(phones[2], {"very-good": 1, "quite-good": 2})  # phones see them too

    vote(phones[0], "bad")

    expect(phones[0].get_by_test_id("option-very-good")).to_have_attribute("aria-pressed", "false")
    expect_counts(screen, {"bad": 1, "quite-good": 2})
    expect_counts(console, {"bad": 1, "quite-good": 2})


def test_when_phones_post_notes_then_the_wall_shows_them_and_the_console_moderates(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    screen = roles.screen(meeting)
    console = roles.console(meeting)
    first, second = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "best-here")
    expect(first.get_by_test_id("column-0")).to_be_checked()

    post_note(first, "Skateparken", column=0)
    post_note(first, "Flere konserter", column=1)
    post_note(second, "Skatepark ved skolen", column=0)
    post_note(second, "Kjedelig møte", column=0)

    wall = screen.get_by_test_id("wall")
    expect(wall.get_by_test_id("note")).to_have_count(4)
    columns = wall.locator(".column")
    expect(note_with_text(columns.nth(0), "Skateparken")).to_be_visible()
    expect(note_with_text(columns.nth(0), "Kjedelig møte")).to_be_visible()
    expect(note_with_text(columns.nth(1), "Flere konserter")).to_be_visible()
    expect(columns.nth(1).get_by_test_id("note")).to_have_count(1)

    # Hide one: the console asks why in a prompt, and keeps it with the reason.
    console.on("dialog", lambda dialog: dialog.accept("ikke et innspill"))
    hidden = note_with_text(console, "Kjedelig møte", "mod-note")
    tap(hidden.get_by_test_id("hide"))

    expect(note_with_text(screen, "Kjedelig møte")).to_have_count(0)
    expect(wall.get_by_test_id("note")).to_have_count(3)
    expect(hidden).to_have_attribute("data-status", "hidden")
    expect(hidden).to_contain_text("ikke et innspill")
    expect(hidden.get_by_test_id("restore")).to_be_visible()
    expect(my_note(second, "Kjedelig møte")).to_have_attribute("data-status", "hidden")

    # Merge two look-alikes: tick one, merge it into the other.
    duplicate = note_with_text(console, "Skatepark ved skolen", "mod-note")
    tap(duplicate.get_by_role("checkbox"))
    expect(duplicate.get_by_role("checkbox")).to_be_checked()
    tap(note_with_text(console, "Skateparken", "mod-note").get_by_test_id("merge-here"))

    expect(wall.get_by_test_id("note")).to_have_count(2)
    expect(note_with_text(screen, "Skatepark ved skolen")).to_have_count(0)
    kept = note_with_text(screen, "Skateparken")
    expect(kept.locator(".badge")).to_have_text(tr("nb", "+%(n)s similar") % {"n": 1})
    expect(kept.locator(".badge")).to_contain_text("+1")
    expect(note_with_text(console, "Skatepark ved skolen", "mod-note")).to_have_count(0)
    merged = note_with_text(console, "Skateparken", "mod-note").get_by_test_id("merged-note")
    expect(merged.locator("span")).to_have_text("Skatepark ved skolen")
    expect(merged.get_by_test_id("hide")).to_be_visible()  # a merged note can still be hidden
    expect(my_note(second, "Skatepark ved skolen")).to_have_attribute("data-status", "merged")
    expect(note_with_text(console, "Kjedelig møte", "mod-note")).to_have_attribute(
        "data-status", "hidden"
    )


NEXT_RENDER = """() => {
  window.__rendered = new Promise((resolve) => {
    const observer = new MutationObserver(() => { observer.disconnect(); resolve(true); });
    observer.observe(document.getElementById("stage"), { childList: true });
    setTimeout(() => { observer.disconnect(); resolve(false); }, 3000);
  });
}"""


def test_when_others_post_while_a_phone_is_typing_then_its_text_and_focus_are_kept(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    typing, other = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "best-here")
    area = typing.get_by_test_id("note-text")
    area.click()
    typing.keyboard.type("Mer lys")
    expect(area).to_be_focused()
    typing.evaluate(NEXT_RENDER)

    post_note(other, "En annen lapp")  # the room changes: every phone may get a new view
    typing.evaluate("window.__rendered")  # until the typing phone has re-rendered (at most 3 s)

    expect(area).to_be_focused(timeout=2000)  # on a real phone, losing it closes the keyboard
    typing.keyboard.type(" i parken")
    expect(area).to_have_value("Mer lys i parken")
    typing.get_by_test_id("post-note").click()
    expect(my_note(typing, "Mer lys i parken")).to_be_visible()


def test_when_a_view_arrives_during_a_tap_then_the_tap_still_posts(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    tapping, other = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "best-here")
    tapping.get_by_test_id("note-text").fill("Benker ved elva")
    box = tapping.get_by_test_id("post-note").bounding_box()
    assert box is not None
    tapping.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tapping.evaluate(NEXT_RENDER)

    tapping.mouse.down()  # the finger is on "Post note"…
    post_note(other, "Noe annet")  # …when someone else posts…
    tapping.evaluate("window.__rendered")  # …and the tapping phone gets the new view
    tapping.mouse.up()

    expect(tapping.get_by_test_id("note-text")).to_have_value("", timeout=2000)
    expect(my_note(tapping, "Benker ved elva")).to_be_visible()


def test_when_phones_place_dots_then_the_screen_ranks_pain_and_heart_points(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    screen = roles.screen(meeting)
    console = roles.console(meeting)
    first, second = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "heart-pain")

    post_note(first, "Mørk gangvei ved skolen", side="pain")
    post_note(first, "Ungdomsklubben på fredager", side="joy")
    post_note(second, "Bussen går for sjelden", side="pain")
    post_note(second, "Gode trenere", side="joy")

    expect(screen.get_by_test_id("wall-pain").get_by_test_id("note")).to_have_count(2)
    expect(screen.get_by_test_id("wall-joy").get_by_test_id("note")).to_have_count(2)
    expect(
        note_with_text(screen.get_by_test_id("wall-pain"), "Bussen går for sjelden")
    ).to_be_visible()

    set_phase(console, "dots")

    for phone in (first, second):
        expect(phone.get_by_test_id("dot-item")).to_have_count(4)
        expect(phone.get_by_test_id("left-pain")).to_have_text(left_text(3))
        expect(phone.get_by_test_id("left-joy")).to_have_text(left_text(3))
        expect(phone.get_by_test_id("composer")).to_have_count(0)

    # The first phone: two dots on one pain point (the cap), then one on the other.
    dark = dot_item(first, "Mørk gangvei ved skolen")
    change_dot(first, "Mørk gangvei ved skolen", +1)
    expect(dark.get_by_test_id("my-dots")).to_have_text("●")
    change_dot(first, "Mørk gangvei ved skolen", +1)
    expect(dark.get_by_test_id("my-dots")).to_have_text("●●")
    expect(dark.get_by_test_id("add-dot")).to_be_disabled()  # dot_cap = 2
    expect(first.get_by_test_id("left-pain")).to_have_text(left_text(1))
    bus = dot_item(first, "Bussen går for sjelden")
    change_dot(first, "Bussen går for sjelden", +1)
    expect(first.get_by_test_id("left-pain")).to_have_text(left_text(0))
    expect(bus.get_by_test_id("add-dot")).to_be_disabled()  # the budget is used
    expect(first.get_by_test_id("dots-pain").get_by_test_id("add-dot")).to_have_count(2)
    for button in first.get_by_test_id("dots-pain").get_by_test_id("add-dot").all():
        expect(button).to_be_disabled()
    expect(first.get_by_test_id("left-joy")).to_have_text(left_text(3))  # a budget per kind
    expect(dot_item(first, "Gode trenere").get_by_test_id("add-dot")).to_be_enabled()

    # The second phone: one pain dot, all three heart dots.
    change_dot(second, "Bussen går for sjelden", +1)
    for text in ["Gode trenere", "Gode trenere", "Ungdomsklubben på fredager"]:
        change_dot(second, text, +1)
    expect(second.get_by_test_id("left-joy")).to_have_text(left_text(0))
    expect(second.get_by_test_id("left-pain")).to_have_text(left_text(2))
    for button in second.get_by_test_id("dots-joy").get_by_test_id("add-dot").all():
        expect(button).to_be_disabled()
    expect(first.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    expect(second.get_by_test_id("status")).to_have_attribute("data-state", "saved")

    def expect_ranking(kind: str, expected: list[tuple[str, int]]) -> None:
        """Most dots first (ties in any order), each with its total."""
        rows = screen.get_by_test_id(f"ranking-{kind}").locator("li")
        expect(rows.get_by_test_id("dots")).to_have_text(
            [dots_text(n) for _, n in sorted(expected, key=lambda item: -item[1])]
        )
        for text, n in expected:
            row = rows.filter(
                has=screen.locator(".rank-text", has_text=re.compile(f"^{re.escape(text)}$"))
            )
            expect(row.get_by_test_id("dots")).to_have_text(dots_text(n))

    expect_ranking("pain", [("Bussen går for sjelden", 2), ("Mørk gangvei ved skolen", 2)])
    expect_ranking("joy", [("Gode trenere", 2), ("Ungdomsklubben på fredager", 1)])

    # Moving a dot: take one back from a note and place it on another.
    change_dot(first, "Mørk gangvei ved skolen", -1)
    expect(dark.get_by_test_id("my-dots")).to_have_text("●")
    expect(first.get_by_test_id("left-pain")).to_have_text(left_text(1))
    change_dot(first, "Bussen går for sjelden", +1)
    expect(bus.get_by_test_id("my-dots")).to_have_text("●●")
    expect(first.get_by_test_id("left-pain")).to_have_text(left_text(0))

    expect_ranking("pain", [("Bussen går for sjelden", 3), ("Mørk gangvei ved skolen", 1)])
    expect(screen.get_by_test_id("ranking-pain").locator(".rank-text")).to_have_text(
        ["Bussen går for sjelden", "Mørk gangvei ved skolen"]
    )
    expect(console.get_by_test_id("ranking-pain").get_by_test_id("dots")).to_have_text(
        [dots_text(3), dots_text(1)]
    )

    record = server.record(meeting)
    board = next(a for a in record["activities"] if a["id"] == "heart-pain")
    totals = {note["text"]: note["dots"] for note in board["notes"]}
    assert totals == {
        "Mørk gangvei ved skolen": 1,
        "Bussen går for sjelden": 3,
        "Ungdomsklubben på fredager": 1,
        "Gode trenere": 2,
    }
    assert board["dots_placed"] == 7


def test_when_the_console_hides_and_restores_a_dotted_note_then_the_phone_keeps_its_budget(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")  # 3 dots a side, at most 2 on one note
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "heart-pain")
    for text in ("Mørk gangvei", "Bussen går for sjelden", "Ingen benker"):
        post_note(phone, text, side="pain")
    set_phase(console, "dots")
    for text in ("Mørk gangvei", "Mørk gangvei", "Bussen går for sjelden"):
        change_dot(phone, text, +1)
    expect(phone.get_by_test_id("left-pain")).to_have_text(left_text(0))

    # Hidden: its two dots come back to the hand, and the phone says so.
    console.on("dialog", lambda dialog: dialog.accept("navngir en person"))
    tap(note_with_text(console, "Mørk gangvei", "mod-note").get_by_test_id("hide"))
    expect(dot_item(phone, "Mørk gangvei")).to_have_count(0)
    expect(phone.get_by_test_id("left-pain")).to_have_text(left_text(2))
    toast = phone.locator("#toast")
    expect(toast).to_contain_text(
        tr("nb", "A note you put dots on was taken off the screen. Dots back in your hand: %(n)s")
        % {"n": 2}
    )

    # The freed dots are spent elsewhere; restored, the note gets back only what fits: none.
    change_dot(phone, "Ingen benker", +1)
    change_dot(phone, "Ingen benker", +1)
    expect(phone.get_by_test_id("left-pain")).to_have_text(left_text(0))
    tap(note_with_text(console, "Mørk gangvei", "mod-note").get_by_test_id("restore"))
    expect(dot_item(phone, "Mørk gangvei")).to_have_count(1)
    expect(phone.get_by_test_id("left-pain")).to_have_text(left_text(0))
    expect(toast).to_contain_text(
        tr(
            "nb",
            "A note came back, but not all your dots on it fit any more. "
            "Dots kept in your hand: %(n)s",
        )
        % {"n": 2}
    )
    expect(dot_item(phone, "Mørk gangvei").get_by_test_id("add-dot")).to_be_disabled()
