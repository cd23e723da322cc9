"""The console in a facilitator's hands: updates keep the focused control (a second Enter
works), its controls are named with their notes, a skip link, a language switcher, copying its
link on plain http, the Next button at 200 % zoom and a focus ring that can be seen; and the
projector never hides a note without saying so."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Dialog, Page, expect

from facilitate.web.strings import SCRIPT

from .helpers import (
    CONSOLE,
    Roles,
    goto_activity,
    note_with_text,
    post_note,
    said,
    set_phase,
    tap,
    tr,
    vote,
)

MakeMeeting = Callable[..., dict[str, Any]]

AGENDA = {
    "title": "Trygghet i sentrum",
    "language": "nb",
    "activities": [
        {"id": "ideas", "kind": "notes", "title": "Hva bør endres?"},
        {
            "id": "safe",
            "kind": "poll",
            "title": "Føler du deg trygg?",
            "options": [{"id": "ja", "text": "Ja"}, {"id": "nei", "text": "Nei"}],
        },
    ],
}


def nb(key: str, **params: Any) -> str:
    """A script string as the console shows it in bokmål, the meeting's language."""
    return said("nb", key, **params)


def answer_prompts(page: Page, reason: str) -> None:
    def answer(dialog: Dialog) -> None:
        dialog.accept(reason)

    page.on("dialog", answer)


def test_when_the_facilitator_presses_enter_on_a_control_then_it_keeps_the_focus_through_updates(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "safe")
    toggle = console.get_by_test_id("toggle-open")
    state = console.get_by_test_id("open-state")
    toggle.focus()
    was_open = state.inner_text() == nb("console.is_open")
    for now_open in (not was_open, was_open):  # "Close input", then a second Enter opens it
        console.keyboard.press("Enter")
        expect(state).to_have_text(nb("console.is_open" if now_open else "console.is_closed"))
        expect(toggle).to_be_focused()
    expect(toggle).to_have_text(nb("console.close"))

    results = console.get_by_test_id("toggle-results")
    results.focus()
    console.keyboard.press("Enter")  # Reveal
    expect(results).to_have_attribute("data-shown", "true")
    expect(results).to_be_focused()

    # Another person's vote updates the console under the facilitator's focus.
    vote(phone, "ja")
    expect(console.get_by_test_id("goto-safe")).to_contain_text(nb("console.responders", n=1))
    expect(results).to_be_focused()
    console.keyboard.press("Enter")  # and the next Enter still works: Conceal
    expect(results).to_have_attribute("data-shown", "false")
    expect(results).to_be_focused()


def test_note_controls_are_named_with_their_note_and_hiding_keeps_the_focus(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "ideas")
    for text in ("Flere benker", "Bedre lys"):
        post_note(phone, text)
    notes = console.get_by_test_id("moderation")
    expect(note_with_text(notes, "Bedre lys", "mod-note")).to_be_visible()

    # Named with the note, and what ticking is for is said before anything is ticked.
    box = console.get_by_role("checkbox", name=nb("console.select_note", note="Bedre lys"))
    expect(box).to_have_accessible_description(nb("console.tick_hint"))
    hide = console.get_by_role("button", name=nb("console.hide_note", note="Bedre lys"))
    expect(hide).to_have_text(nb("console.hide"))
    expect(console.get_by_role("button", name=nb("console.hide_note", note="Flere benker")))

    # Space ticks the box and it keeps the focus while the bulk tools appear above it.
    box.focus()
    console.keyboard.press("Space")
    expect(console.get_by_test_id("ticked")).to_have_text(nb("console.ticked", n=1))
    expect(box).to_be_checked()
    expect(box).to_be_focused()
    merge = console.get_by_role("button", name=nb("console.merge_note", note="Flere benker"))
    expect(merge).to_be_visible()
    console.keyboard.press("Space")
    expect(box).not_to_be_checked()
    expect(box).to_be_focused()

    # Hiding: the same control becomes "Show again" for that note and keeps the focus.
    answer_prompts(console, "Test")
    hide.focus()
    console.keyboard.press("Enter")
    restore = note_with_text(notes, "Bedre lys", "mod-note").get_by_test_id("restore")
    expect(restore).to_have_accessible_name(nb("console.restore_note", note="Bedre lys"))
    expect(restore).to_be_focused()
    console.keyboard.press("Enter")  # a second Enter shows it again
    expect(note_with_text(notes, "Bedre lys", "mod-note")).to_have_attribute(
        "data-status", "visible"
    )
    expect(note_with_text(notes, "Bedre lys", "mod-note").get_by_test_id("hide")).to_be_focused()


def test_the_skip_link_takes_the_keyboard_to_the_activity_controls(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    goto_activity(console, "safe")
    console.reload()  # the first Tab on a fresh page
    expect(console.get_by_test_id("toggle-open")).to_be_visible()
    console.keyboard.press("Tab")
    skip = console.get_by_test_id("skip-to-controls")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    console.keyboard.press("Enter")
    expect(console.get_by_test_id("toggle-open")).to_be_focused()


def test_the_language_switcher_changes_the_consoles_language_and_keeps_its_key(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    expect(console.get_by_test_id("next")).to_contain_text(nb("console.next"))
    console.get_by_test_id("lang-en").click()
    expect(console).to_have_url(re.compile(r"\?lang=en#key="))
    expect(console.get_by_test_id("next")).to_contain_text(tr("en", SCRIPT["console.next"]))
    expect(console.locator("html")).to_have_attribute("lang", "en")
    expect(console.get_by_test_id("agenda").get_by_test_id("goto-ideas")).to_be_visible()
    expect(console.locator("#key-refused")).to_be_hidden()


# Plain http on a hall's LAN address is not a secure context: no Clipboard API there. The test
# server is on 127.0.0.1 (a secure context), so the page is made to see what a LAN address gets,
# and execCommand is watched to learn what was copied.
PLAIN_HTTP = """
Object.defineProperty(window, "isSecureContext", { get: () => false });
Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined });
const copy = document.execCommand.bind(document);
document.execCommand = (command, ...rest) => {
  if (command === "copy") {
    window.__copied = String(document.getSelection()) || document.activeElement?.value;
  }
  return copy(command, ...rest);
};
"""


def test_copying_the_console_link_on_plain_http_copies_it_and_says_copied(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    console.add_init_script(PLAIN_HTTP)
    console.reload()
    expect(console.get_by_test_id("agenda").get_by_test_id("goto-ideas")).to_be_visible()
    assert console.evaluate("() => navigator.clipboard") is None
    tap(console.get_by_test_id("copy-console"))
    said = console.get_by_test_id("copy-said")
    expect(said).to_have_text(nb("console.copied"))
    expect(said).to_have_attribute("role", "status")
    assert console.evaluate("() => window.__copied") == meeting["facilitator_url"]
    expect(console.get_by_test_id("copy-console")).to_be_focused()


def test_at_200_percent_zoom_the_next_button_is_on_the_first_screen(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    # A 1280×860 laptop at 200 %: 640×430 CSS pixels.
    console.set_viewport_size({"width": CONSOLE["viewport"]["width"] // 2, "height": 430})
    for where in ("ideas", "safe"):
        goto_activity(console, where)
        console.evaluate("() => window.scrollTo(0, 0)")
        box = console.get_by_test_id("next").bounding_box()
        assert box is not None
        assert 0 <= box["y"] and box["y"] + box["height"] <= 430, (where, box)


CONTRAST = """node => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).slice(0, 4).map(Number);
  const style = getComputedStyle(node);
  let background = null;
  for (let at = node.parentElement; at; at = at.parentElement) {
    const colour = rgb(getComputedStyle(at).backgroundColor);
    if (colour.length === 3 || colour[3] === 1) { background = colour.slice(0, 3); break; }
  }
  return { ring: rgb(style.outlineColor), width: style.outlineWidth, halo: rgb(style.boxShadow),
           background: background || [255, 255, 255] };
}"""


def luminance(colour: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_has_3_to_1_against_the_control_side_and_the_page_side(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    goto_activity(console, "safe")
    console.keyboard.press("Tab")  # a key pressed: the browser draws focus rings from now on
    for testid in ("toggle-open", "next", "lang-en", "goto-ideas"):
        target = console.get_by_test_id(testid)
        target.focus()
        expect(target).to_be_focused()
        ring = target.evaluate(CONTRAST)
        assert ring["width"] == "3px", ring
        # Inside the ring: the halo between it and the control; outside: the page behind it.
        assert contrast(ring["ring"], ring["halo"]) >= 3, ring
        assert contrast(ring["ring"], ring["background"]) >= 3, ring


def test_the_projector_at_1280_by_720_says_how_many_notes_it_does_not_show(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    phones = [roles.phone(meeting), roles.phone(meeting)]
    goto_activity(console, "ideas")
    texts = [
        f"Lapp {n}: bedre lys langs gangveien til skolen, og flere benker ved busstoppet"
        for n in range(1, 11)
    ]
    for n, text in enumerate(texts):
        post_note(phones[n % 2], text)
    results = console.get_by_test_id("toggle-results")
    if results.get_attribute("data-shown") != "true":
        tap(results)
        expect(results).to_have_attribute("data-shown", "true")
    screen = roles.screen(meeting)
    screen.set_viewport_size({"width": 1280, "height": 720})
    notes = screen.get_by_test_id("wall").get_by_test_id("note")
    expect(notes).to_have_count(10)
    shown = notes.filter(visible=True)
    more = screen.get_by_test_id("more-notes")
    expect(more).to_be_visible()
    hidden = 10 - shown.count()
    assert hidden > 0, "10 long notes fit on a 1280×720 screen: make them longer"
    expect(more).to_have_text(said("nb", "results.more_notes", n=hidden))
    # What is shown is shown whole: nothing cut off at the bottom, the count included. Measured
    # in one go in the page, so a re-fit between two measurements cannot fool the test.
    bottom = screen.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
            '[data-testid=wall] [data-testid=note], [data-testid=more-notes]')]
          .filter((node) => node.getClientRects().length)
          .map((node) => node.getBoundingClientRect().bottom))"""
    )
    assert bottom <= 720, bottom


def test_the_projectors_ranking_keeps_both_columns_when_it_runs_out_of_room(
    roles: Roles, make_meeting: Callable[..., dict[str, Any]]
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phones = [roles.phone(meeting), roles.phone(meeting)]
    goto_activity(console, "heart-pain")
    for n in range(6):
        post_note(
            phones[0], f"Smertepunkt nummer {n} med en ganske lang tekst om gangveien", side="pain"
        )
        post_note(
            phones[1], f"Hjertepunkt nummer {n} med en ganske lang tekst om klubben", side="joy"
        )
    set_phase(console, "dots")
    screen = roles.screen(meeting)
    screen.set_viewport_size({"width": 1280, "height": 720})
    expect(screen.get_by_test_id("more-notes")).to_be_visible()
    for side in ("pain", "joy"):  # lowest rows go first, never a whole column
        rows = screen.locator(f".rank.{side} ol > li")
        expect(rows).to_have_count(6)
        assert rows.filter(visible=True).count() >= 1, side


def test_a_ranked_note_with_similar_ones_keeps_its_dots_on_its_own_line(
    roles: Roles, make_meeting: Callable[..., dict[str, Any]]
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "heart-pain")
    for text in ("Mørke snarveier", "Mørke og utrygge snarveier", "Råkjøring"):
        post_note(phone, text, side="pain")
    duplicate = note_with_text(console, "Mørke og utrygge snarveier", "mod-note")
    tap(duplicate.get_by_role("checkbox"))
    tap(note_with_text(console, "Mørke snarveier", "mod-note").get_by_test_id("merge-here"))
    set_phase(console, "dots")
    screen = roles.screen(meeting)
    screen.set_viewport_size({"width": 1280, "height": 720})
    rows = screen.locator(".rank.pain ol > li")
    expect(rows).to_have_count(2)
    merged = rows.filter(has=screen.locator(".badge"))
    expect(merged.locator(".badge")).to_contain_text("+1")
    plain = rows.filter(has_not=screen.locator(".badge"))
    text, count = merged.locator(".rank-text"), merged.get_by_test_id("dots")
    text_box, count_box = text.bounding_box(), count.bounding_box()
    other_box = plain.get_by_test_id("dots").bounding_box()
    assert text_box and count_box and other_box
    # The count sits on the text's line, at the right edge like every other row's count.
    assert abs(count_box["y"] - text_box["y"]) < text_box["height"], (text_box, count_box)
    right, other_right = count_box["x"] + count_box["width"], other_box["x"] + other_box["width"]
    assert abs(right - other_right) <= 2, (count_box, other_box)
