"""A word cloud in a real meeting: phones send words, the projector draws them, the console
hides, restores and lets words through, and the results page shows what was let through."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect
from websockets.sync.client import connect

from .axe import Audit
from .helpers import SCREEN, LiveServer, Roles, goto_activity, said, tap, tr

MakeMeeting = Callable[..., dict[str, Any]]
PROJECTOR = {"viewport": {"width": 1280, "height": 720}}


def cloud_meeting(make_meeting: MakeMeeting, **extra: Any) -> dict[str, Any]:
    return make_meeting(
        title="Kveldsmøte",
        language="nb",
        activities=[
            {
                "id": "evening",
                "kind": "wordcloud",
                "title": "Hvilke ord beskriver sentrum om kvelden?",
                **extra,
            }
        ],
    )


def projector(roles: Roles, meeting: dict[str, Any], options: dict[str, Any] = PROJECTOR) -> Page:
    """The screen page at a projector's 1280×720."""
    page = roles._page("screen", options)
    page.goto(meeting["screen_url"])
    expect(page.get_by_test_id("participants")).to_have_attribute("data-count", re.compile(r"\d"))
    return page


def send_words(phone: Page, *words: str) -> None:
    """Type the words into the phone's fields (the rest left empty) and send them."""
    fields = phone.get_by_test_id("word-form").locator("input")
    expect(fields.first).to_be_enabled()  # the kind's module is in, the activity open
    for index in range(fields.count()):
        field = fields.nth(index)
        field.fill(words[index] if index < len(words) else "")
        expect(field).to_have_value(words[index] if index < len(words) else "")
    tap(phone.get_by_test_id("send-words"))
    expect(phone.get_by_test_id("words-state")).to_have_attribute("data-state", "saved")


def cloud_word(screen: Page, text: str) -> Any:
    return screen.get_by_test_id("cloud-word").filter(has_text=re.compile(f"^{re.escape(text)}$"))


def mod_word(console: Page, word: str) -> Any:
    return console.locator(f"[data-testid=mod-word][data-word='{word}']")


def font_size(locator: Any) -> float:
    return float(locator.evaluate("node => parseFloat(node.style.fontSize)"))


def boxes(screen: Page) -> list[dict[str, float]]:
    """Each drawn word's box on the page, and the cloud's."""
    found: list[dict[str, float]] = screen.evaluate(
        """() => [...document.querySelectorAll(
                   '[data-testid=cloud-word], [data-testid=word-cloud]')].map((node) => {
             const r = node.getBoundingClientRect();
             return {cloud: node.dataset.testid === 'word-cloud',
                     left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"""
    )
    return found


def test_when_phones_send_words_then_the_projector_draws_them_by_how_many_phones_sent_each(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = cloud_meeting(make_meeting)
    screen = projector(roles, meeting)
    console = roles.console(meeting)
    phones = [roles.phone(meeting) for _ in range(3)]
    goto_activity(console, "evening")
    expect(phones[0].get_by_test_id("word-form").locator("input")).to_have_count(3)

    send_words(phones[0], "Mørkt", "Trygt")
    send_words(phones[1], "mørkt.")
    send_words(phones[2], "MØRKT", "Natteravner")

    # One word in three spellings, drawn once, in the spelling most phones used, and biggest.
    expect(screen.get_by_test_id("cloud-word")).to_have_count(3)
    dark = cloud_word(screen, "Mørkt")
    expect(dark).to_have_attribute("data-count", "3")
    assert font_size(dark) > font_size(cloud_word(screen, "Trygt"))
    expect(screen.get_by_test_id("more-words")).to_be_hidden()
    # Every word inside the cloud, and the cloud inside the projector's 1280×720.
    drawn = boxes(screen)
    (box,) = [b for b in drawn if b["cloud"]]
    assert box["bottom"] <= 720 and box["right"] <= 1280
    for word in (b for b in drawn if not b["cloud"]):
        assert box["left"] <= word["left"] and word["right"] <= box["right"] + 0.5
        assert box["top"] <= word["top"] and word["bottom"] <= box["bottom"] + 0.5
    expect(console.get_by_test_id("mod-word")).to_have_count(3)
    expect(mod_word(console, "mørkt")).to_have_attribute("data-count", "3")

    # A phone changes its mind: its words replace the ones it sent. The two phones left with
    # the word spelled it differently: the cloud shows the spelling sent first of theirs.
    send_words(phones[0], "Trygt", "Lyst")
    expect(cloud_word(screen, "Mørkt")).to_have_count(0)
    expect(cloud_word(screen, "mørkt.")).to_have_attribute("data-count", "2")
    expect(cloud_word(screen, "Lyst")).to_have_attribute("data-count", "1")
    expect(screen.get_by_test_id("cloud-word")).to_have_count(4)


def test_when_the_facilitator_hides_a_word_then_it_leaves_the_screen_and_its_phone_says_why(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = cloud_meeting(make_meeting)
    screen = projector(roles, meeting)
    console = roles.console(meeting)
    first, second = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "evening")
    send_words(first, "Mørkt", "Tulleord")
    send_words(second, "tulleord")
    expect(cloud_word(screen, "Tulleord")).to_have_attribute("data-count", "2")

    console.on("dialog", lambda dialog: dialog.accept("ikke et innspill"))
    tap(mod_word(console, "tulleord").get_by_test_id("hide-word"))

    expect(cloud_word(screen, "Tulleord")).to_have_count(0)
    expect(screen.get_by_test_id("cloud-word")).to_have_count(1)
    expect(mod_word(console, "tulleord")).to_have_attribute("data-status", "hidden")
    expect(mod_word(console, "tulleord")).to_contain_text("ikke et innspill")
    for phone in (first, second):
        mine = phone.get_by_test_id("my-word")
        expect(mine).to_have_attribute("data-status", "hidden")
        expect(mine).to_contain_text("ikke et innspill")
        expect(mine).to_contain_text(said("nb", "phone.hidden"))

    tap(mod_word(console, "tulleord").get_by_test_id("restore-word"))
    expect(cloud_word(screen, "Tulleord")).to_have_attribute("data-count", "2")
    expect(first.get_by_test_id("my-word")).to_have_count(0)


def test_when_a_phone_sends_a_name_then_it_waits_until_the_facilitator_lets_it_through(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = cloud_meeting(make_meeting)
    screen = projector(roles, meeting)
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "evening")
    send_words(phone, "Kari Hansen", "Stille")

    expect(cloud_word(screen, "Stille")).to_be_visible()
    expect(cloud_word(screen, "Kari Hansen")).to_have_count(0)
    held = mod_word(console, "kari hansen")
    expect(held).to_have_attribute("data-status", "held")
    expect(console.get_by_test_id("mod-word").first).to_have_attribute("data-status", "held")
    expect(phone.get_by_test_id("my-word")).to_contain_text(said("nb", "phone.held_name"))

    tap(held.get_by_test_id("release-word"))
    expect(cloud_word(screen, "Kari Hansen")).to_be_visible()
    expect(phone.get_by_test_id("my-word")).to_have_count(0)


def test_when_a_phone_reloads_then_its_words_are_in_its_fields_and_can_be_withdrawn(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = cloud_meeting(make_meeting, max_words=2)
    screen = projector(roles, meeting)
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "evening")
    fields = phone.get_by_test_id("word-form").locator("input")
    expect(fields).to_have_count(2)
    send_words(phone, "  Mer   lys ", "Folksomt")

    phone.reload()
    expect(fields.nth(0)).to_have_value("Mer lys")  # as the server keeps it
    expect(fields.nth(1)).to_have_value("Folksomt")
    expect(phone.get_by_test_id("words-state")).to_have_attribute("data-state", "saved")

    tap(phone.get_by_test_id("withdraw-words"))
    expect(phone.get_by_test_id("words-state")).to_have_count(0)
    expect(fields.nth(0)).to_have_value("")
    expect(screen.get_by_test_id("no-words")).to_be_visible()


def test_a_phone_moves_on_with_enter_and_is_told_what_is_wrong_before_sending(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = cloud_meeting(make_meeting)
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "evening")
    fields = phone.get_by_test_id("word-form").locator("input")
    expect(fields.nth(0)).to_have_accessible_name(said("nb", "phone.word_label", n=1))

    fields.nth(0).fill("Lys")
    fields.nth(0).press("Enter")
    expect(fields.nth(1)).to_be_focused()
    fields.nth(1).fill("lys!")
    fields.nth(1).press("Enter")
    expect(fields.nth(2)).to_be_focused()
    fields.nth(2).press("Enter")  # on the last field Enter sends: the same word twice
    expect(phone.locator("#toast")).to_have_text(said("nb", "phone.words_same"))
    expect(phone.get_by_test_id("words-state")).to_have_count(0)

    fields.nth(1).fill("x" * 41)
    tap(phone.get_by_test_id("send-words"))
    expect(phone.locator("#toast")).to_have_text(said("nb", "phone.word_too_long", limit=40))
    expect(fields.nth(1)).to_be_focused()

    tap(console.get_by_test_id("toggle-open"))
    expect(fields.nth(0)).to_be_disabled()
    expect(phone.get_by_test_id("closed")).to_be_visible()


def test_when_results_wait_for_reveal_then_the_screen_shows_no_words_until_then(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = cloud_meeting(make_meeting, results="reveal")
    screen = projector(roles, meeting)
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "evening")
    send_words(phone, "Hemmelig")
    expect(screen.get_by_test_id("results-hidden")).to_be_visible()
    expect(screen.get_by_test_id("cloud-word")).to_have_count(0)
    expect(mod_word(console, "hemmelig")).to_be_visible()  # the facilitator sees it

    tap(console.get_by_test_id("toggle-results"))
    expect(cloud_word(screen, "Hemmelig")).to_be_visible()
    expect(phone.get_by_test_id("word-list")).to_contain_text("Hemmelig")


def phone_over_the_socket(server: LiveServer, code: str, words: list[str]) -> None:
    """A phone without a browser: hello, then its words, until the server saves them."""
    with connect(f"ws://127.0.0.1:{server.port}/{code}/ws", open_timeout=10) as socket:
        socket.send(json.dumps({"type": "hello", "role": "participant", "lang": "nb"}))
        socket.send(
            json.dumps({"type": "words", "id": "w1", "activity": "evening", "words": words})
        )
        for _ in range(20):
            answer = json.loads(socket.recv(timeout=10))
            if answer.get("id") == "w1":
                assert answer["type"] == "ack", answer
                return
        raise AssertionError("no answer to the words")


def test_when_more_words_come_than_fit_then_the_projector_says_how_many_more(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    meeting = cloud_meeting(make_meeting)
    screen = projector(roles, meeting)
    console = roles.console(meeting)
    goto_activity(console, "evening")
    # 40 phones, 120 different words, the first of each phone's said by more and more phones.
    for n in range(40):
        phone_over_the_socket(
            server,
            meeting["code"],
            [f"Trygghet{n % 5}", f"Nabolagsfellesskap{n}", f"Gatebelysningen{n}"],
        )
    expect(console.get_by_test_id("mod-word")).to_have_count(85)
    more = screen.get_by_test_id("more-words")
    expect(more).to_be_visible()
    shown = int(screen.get_by_test_id("word-cloud").get_attribute("data-shown") or 0)
    assert 0 < shown <= 85
    # The server sends the 100 words most phones sent; nothing is lost silently.
    expect(more).to_have_text(said("nb", "results.more_words", n=85 - shown))
    expect(cloud_word(screen, "Trygghet0")).to_have_attribute("data-count", "8")
    assert (
        screen.get_by_test_id("word-cloud").evaluate("n => n.getBoundingClientRect().bottom") <= 720
    )


def test_the_results_page_draws_the_words_let_through_and_none_hidden(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = cloud_meeting(make_meeting)
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "evening")
    send_words(phone, "Mørkt", "Tulleord", "Trygt")
    console.on("dialog", lambda dialog: dialog.accept("tull"))
    tap(mod_word(console, "tulleord").get_by_test_id("hide-word"))
    expect(mod_word(console, "tulleord")).to_have_attribute("data-status", "hidden")
    console.get_by_test_id("publish").click()
    expect(console.get_by_test_id("publish")).to_have_text(tr("nb", "Unpublish the results"))

    page = roles._page("results", SCREEN)
    page.goto(meeting["join_url"].rstrip("/") + "/results")
    expect(page.get_by_test_id("cloud-word")).to_have_count(2)
    expect(page.get_by_test_id("word-list")).to_contain_text("Mørkt")
    assert "Tulleord" not in page.content()


def test_a_word_cloud_has_no_axe_violations_on_any_page(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = cloud_meeting(make_meeting, results="reveal")
    screen = projector(roles, meeting)
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "evening")
    audit = Audit()
    every = {"phone": phone, "screen": screen, "console": console}
    audit.check("a word cloud, open, nothing sent", **every)

    send_words(phone, "Mørkt", "Kari Hansen", "Tulleord")
    console.on("dialog", lambda dialog: dialog.accept("ikke et innspill"))
    tap(mod_word(console, "tulleord").get_by_test_id("hide-word"))
    expect(phone.get_by_test_id("my-word")).to_have_count(2)  # one held, one hidden
    audit.check("words sent, one held, one hidden", **every)

    tap(console.get_by_test_id("toggle-results"))
    expect(cloud_word(screen, "Mørkt")).to_be_visible()
    expect(phone.get_by_test_id("word-list")).to_be_visible()
    audit.check("the cloud shown", **every)

    console.get_by_test_id("publish").click()
    expect(console.get_by_test_id("publish")).to_have_text(tr("nb", "Unpublish the results"))
    page = roles._page("results", SCREEN)
    page.goto(meeting["join_url"].rstrip("/") + "/results")
    expect(page.get_by_test_id("cloud-word")).to_have_count(1)
    audit.check("the results page", results=page)
    audit.expect_none()
