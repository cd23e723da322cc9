"""What a participant writes is shown as written: isolated from the page, counted as seen."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, expect

from .helpers import Roles, goto_activity, my_note, note_with_text, post_note, tap, tr, trn

MakeMeeting = Callable[..., dict[str, Any]]

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # seven code points, eleven UTF-16 units, one character
# Persian with Latin words in it: "I live in Oslo, by Grünerløkka" with a zero-width non-joiner.
PERSIAN = "من در Oslo زندگی می\u200cکنم، نزدیک Grünerløkka"


def direction(node: Locator) -> str:
    return str(node.evaluate("node => getComputedStyle(node).direction"))


def test_when_a_right_to_left_note_holds_latin_words_then_each_page_keeps_it_in_its_own_box(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    screen = roles.screen(meeting)
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "best-here")

    post_note(phone, PERSIAN)

    shown = {
        "phone": my_note(phone, PERSIAN),
        "screen": note_with_text(screen, PERSIAN),
        "console": note_with_text(console, PERSIAN, "mod-note"),
    }
    for page, note in shown.items():
        expect(note).to_have_count(1)
        text = note.locator(".sticky-text")
        expect(text).to_have_attribute("dir", "auto")
        expect(text).to_have_text(PERSIAN)  # the non-joiner is kept
        # right to left inside the note, the page around it left to right
        assert (direction(text), direction(note)) == ("rtl", "ltr"), page


def test_when_a_phone_writes_a_family_emoji_then_the_counter_counts_one_character(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "best-here")  # 280 characters a note
    area = phone.get_by_test_id("note-text")
    counter = phone.get_by_test_id("note-counter")
    assert area.get_attribute("maxlength") is None  # it would count UTF-16 units

    area.fill(FAMILY)
    expect(counter).to_have_attribute("data-left", "279")
    expect(counter).to_have_text(trn("nb", "%(n)s character left", "%(n)s characters left", 279))
    area.fill(f"\u200f{FAMILY}\u200b")  # invisible marks count for nothing, as on the server
    expect(counter).to_have_attribute("data-left", "279")

    # One too many: the counter says so, and the phone refuses to post it.
    area.fill(FAMILY * 281)
    expect(counter).to_have_attribute("data-left", "-1")
    expect(counter).to_have_text(
        trn("nb", "%(n)s character too many", "%(n)s characters too many", 1)
    )
    expect(counter).to_have_class(re.compile(r"\berror\b"))
    expect(area).to_have_attribute("aria-invalid", "true")
    tap(phone.get_by_test_id("post-note"))
    expect(phone.locator("#toast")).to_have_text(
        tr("nb", "A note can hold at most %(limit)s characters.") % {"limit": 280}
    )
    expect(area).to_have_value(FAMILY * 281)  # nothing lost: the writer can shorten it
    expect(phone.get_by_test_id("my-note")).to_have_count(0)

    # Exactly at the limit: posted, and the server counts it the same way.
    post_note(phone, FAMILY * 280)
    expect(counter).to_have_attribute("data-left", "280")
