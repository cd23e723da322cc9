"""Questions from the floor in a real browser: a phone asks, the moderator approves, phones
vote, the screen lists the questions by votes with the one being answered large, the console
marks it answered; withdrawing; and a projector at 1280×720 showing all it lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Dialog, Locator, Page, expect

from .axe import Audit
from .helpers import Roles, goto_activity, said, tap

MakeMeeting = Callable[..., dict[str, Any]]


def agenda(**qa: Any) -> dict[str, Any]:
    return {
        "title": "Folkemøte om trygghet",
        "language": "nb",
        "activities": [
            {
                "id": "panel",
                "kind": "qa",
                "title": "Spørsmål til panelet",
                "text": "Still spørsmålet ditt, og stem på det du også lurer på.",
                **qa,
            }
        ],
    }


def nb(key: str, **params: Any) -> str:
    return said("nb", key, **params)


def answer_dialogs(page: Page, reply: str) -> list[str]:
    """Accept every prompt and confirm on the page with `reply`; the questions asked."""
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept(reply)

    page.on("dialog", answer)
    return asked


def ask(phone: Page, text: str) -> Locator:
    """Ask a question; its entry in the phone's own list."""
    area = phone.get_by_test_id("note-text")
    area.fill(text)
    expect(area).to_have_value(text)
    tap(phone.get_by_test_id("post-note"))
    expect(area).to_have_value("")
    mine = own(phone, text)
    expect(mine).to_be_visible()
    return mine


def own(phone: Page, text: str) -> Locator:
    return phone.get_by_test_id("my-note").filter(
        has=phone.locator(".sticky-text", has_text=re.compile(f"^{re.escape(text)}$"))
    )


def listed(scope: Page | Locator, text: str, testid: str = "qa-question") -> Locator:
    page = scope if isinstance(scope, Page) else scope.page
    return scope.get_by_test_id(testid).filter(
        has=page.locator(
            ".question-text, .sticky-text", has_text=re.compile(f"^{re.escape(text)}$")
        )
    )


def approve(console: Page, text: str) -> None:
    row = listed(console.get_by_test_id("qa-queue"), text, "mod-note")
    tap(row.get_by_test_id("release"))
    expect(listed(console.get_by_test_id("qa-list"), text, "mod-note")).to_be_visible()


LIGHT = "Hvorfor er det så mørkt i parken om kvelden?"
BUS = "Kan bussen gå oftere etter klokka ti?"


def test_when_a_phone_asks_then_it_waits_for_the_moderator_and_the_room_sees_how_many_wait(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**agenda())
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "panel")
    waiting = screen.get_by_test_id("qa-waiting")
    expect(waiting).to_have_text(nb("results.qa_waiting", n=0))

    mine = ask(phone, LIGHT)
    expect(mine).to_have_attribute("data-status", "held")
    expect(mine.get_by_test_id("note-state")).to_have_text(nb("phone.held_moderated"))
    expect(waiting).to_have_text(nb("results.qa_waiting", n=1))
    expect(phone.get_by_test_id("qa-waiting")).to_have_text(nb("results.qa_waiting", n=1))
    expect(screen.locator("#stage")).not_to_contain_text(LIGHT)

    queue = console.get_by_test_id("qa-queue")
    expect(queue).to_contain_text(nb("console.qa_queue", n=1))
    expect(listed(queue, LIGHT, "mod-note")).to_contain_text(nb("console.held_moderated"))
    approve(console, LIGHT)

    expect(waiting).to_have_text(nb("results.qa_waiting", n=0))
    expect(listed(screen, LIGHT)).to_contain_text(nb("results.qa_votes", n=0))
    expect(mine).to_have_attribute("data-status", "visible")
    expect(listed(phone.get_by_test_id("qa-list"), LIGHT).get_by_test_id("qa-own")).to_have_text(
        nb("phone.qa_yours")
    )


def test_when_phones_vote_then_the_screen_orders_by_votes_and_a_second_tap_takes_it_back(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**agenda(moderated=False))
    screen, console = roles.screen(meeting), roles.console(meeting)
    asker, voter = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "panel")
    expect(screen.get_by_test_id("qa-waiting")).to_have_count(0)  # unmoderated: nothing waits
    ask(asker, LIGHT)
    ask(asker, BUS)
    expect(screen.get_by_test_id("qa-question")).to_have_count(2)

    vote = listed(voter, BUS).get_by_test_id("qa-vote")
    expect(vote).to_have_accessible_name(nb("phone.qa_vote_for", question=BUS))
    tap(vote)
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(screen.get_by_test_id("qa-question").first).to_contain_text(BUS)
    expect(listed(screen, BUS).get_by_test_id("qa-votes")).to_have_text(nb("results.qa_votes", n=1))
    expect(listed(console.get_by_test_id("qa-list"), BUS, "mod-note")).to_contain_text(
        nb("results.qa_votes", n=1)
    )

    tap(vote)  # pressed again: the vote is taken back, never counted twice
    expect(vote).to_have_attribute("aria-pressed", "false")
    expect(listed(screen, BUS).get_by_test_id("qa-votes")).to_have_text(nb("results.qa_votes", n=0))
    expect(listed(asker, BUS).get_by_test_id("qa-vote")).to_have_count(0)  # not one's own


def test_when_the_moderator_puts_a_question_up_and_marks_it_answered_then_everyone_sees_it(
    roles: Roles, make_meeting: MakeMeeting, server: Any
) -> None:
    meeting = make_meeting(**agenda())
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    voter = roles.phone(meeting)
    every = {"phone": phone, "voter": voter, "screen": screen, "console": console}
    audit = Audit()  # WCAG 2.1 A and AA in every state below
    goto_activity(console, "panel")
    ask(phone, LIGHT)
    ask(phone, BUS)
    audit.check("two questions waiting", **every)
    approve(console, LIGHT)
    approve(console, BUS)
    tap(listed(voter, BUS).get_by_test_id("qa-vote"))
    expect(listed(screen, BUS).get_by_test_id("qa-votes")).to_have_text(nb("results.qa_votes", n=1))
    audit.check("two approved, one voted for", **every)
    for page in (phone, voter):
        page.emulate_media(color_scheme="dark")  # a dark hall: the phone follows its setting
    audit.check("two approved, one voted for, dark phones", phone=phone, voter=voter)

    tap(listed(console.get_by_test_id("qa-list"), LIGHT, "mod-note").get_by_test_id("show"))
    now = screen.get_by_test_id("qa-now")
    expect(now).to_contain_text(nb("results.qa_now"))
    expect(now).to_contain_text(LIGHT)
    expect(screen.get_by_test_id("qa-list").get_by_test_id("qa-question")).to_have_count(1)
    expect(phone.get_by_test_id("qa-now")).to_contain_text(LIGHT)
    audit.check("one put up on the screen", **every)

    asked = answer_dialogs(console, "Kommunen setter opp lys før jul.")
    tap(
        listed(console.get_by_test_id("qa-list"), LIGHT, "mod-note").get_by_test_id("mark-answered")
    )
    expect(listed(console.get_by_test_id("qa-answered"), LIGHT, "mod-note")).to_be_visible()
    assert asked == [nb("console.qa_answer_prompt")]
    expect(now).to_have_count(0)
    expect(screen.get_by_test_id("qa-answered-count")).to_have_text(
        nb("results.qa_answered_count", n=1)
    )
    answered = listed(phone.get_by_test_id("qa-answered"), LIGHT)
    expect(answered.get_by_test_id("qa-answer")).to_have_text("Kommunen setter opp lys før jul.")
    expect(own(phone, LIGHT).get_by_test_id("note-state")).to_have_text(nb("results.qa_answered"))
    audit.check("one answered, with a note", **every)
    audit.expect_none()

    (entry,) = server.record(meeting)["activities"]
    assert [(q["text"], q["answered"], q["answer"]) for q in entry["questions"]] == [
        (LIGHT, True, "Kommunen setter opp lys før jul."),
        (BUS, False, ""),
    ]
    assert [q["votes"] for q in entry["questions"]] == [0, 1]


def test_when_a_phone_withdraws_its_waiting_question_then_it_leaves_the_queue(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**agenda())
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "panel")
    mine = ask(phone, LIGHT)
    expect(screen.get_by_test_id("qa-waiting")).to_have_text(nb("results.qa_waiting", n=1))
    asked = answer_dialogs(phone, "")
    withdraw = mine.get_by_test_id("qa-withdraw")
    expect(withdraw).to_have_accessible_name(nb("phone.qa_withdraw_question", question=LIGHT))
    tap(withdraw)
    expect(mine).to_have_attribute("data-status", "withdrawn")
    assert asked == [nb("phone.qa_withdraw_confirm")]
    expect(mine.get_by_test_id("note-state")).to_have_text(nb("phone.qa_withdrawn"))
    expect(screen.get_by_test_id("qa-waiting")).to_have_text(nb("results.qa_waiting", n=0))
    expect(console.get_by_test_id("qa-queue")).to_have_count(0)
    expect(console.locator("#stage")).to_contain_text(nb("console.qa_withdrawn", n=1))


def settled(screen: Page, total: int) -> None:
    """Wait until the projector has laid its list out: shown and counted make `total`."""
    screen.wait_for_function(
        """total => {
          const list = document.querySelector("[data-testid=qa-list][data-fitted]");
          const more = document.querySelector("[data-testid=qa-more]");
          if (!list || !more) return false;
          const shown = [...list.children].filter((item) => !item.hidden).length;
          const counted = more.hidden ? 0 : parseInt(more.textContent.replace(/\\D/g, ""), 10);
          return shown + counted === total;
        }""",
        arg=total,
    )


LONG = (
    "Hva skal politiet og kommunen gjøre med mørke snarveier, råkjøring på Storgata og "
    "grupper som henger ved busstasjonen sent på kvelden, og når får vi vite hva som er gjort? "
)


def test_when_the_projector_is_1280_by_720_then_every_question_it_lists_fits_and_reads(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**agenda(moderated=False))
    console = roles.console(meeting)
    screen = roles._page("screen", {"viewport": {"width": 1280, "height": 720}})
    screen.goto(meeting["screen_url"])
    phones = [roles.phone(meeting), roles.phone(meeting)]
    goto_activity(console, "panel")
    texts = [f"{n}. {LONG[: 120 + 20 * n]}".strip() for n in range(1, 8)]
    for n, text in enumerate(texts):
        ask(phones[n % 2], text)
    shown = screen.locator("[data-testid=qa-question]:visible")
    more = screen.get_by_test_id("qa-more")
    settled(screen, 7)  # every question shown or counted, none cut off silently
    assert 2 <= shown.count() <= 6
    expect(more).to_have_text(nb("results.qa_more", n=7 - shown.count()))
    tap(listed(console.get_by_test_id("qa-list"), texts[6], "mod-note").get_by_test_id("show"))
    expect(screen.get_by_test_id("qa-now")).to_contain_text(texts[6])
    expect(screen.locator(".screen-text")).to_be_hidden()  # the question takes its place
    settled(screen, 6)
    assert 1 <= shown.count() <= 3
    expect(more).to_have_text(nb("results.qa_more", n=6 - shown.count()))
    bottom = screen.evaluate("document.getElementById('stage').getBoundingClientRect().bottom")
    for node in [screen.get_by_test_id("qa-now"), *shown.all(), more]:
        box = node.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= bottom, box
    sizes = screen.evaluate(
        """() => [".question-now-text", ".question-text"].map((s) =>
             parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
    )
    assert sizes[0] >= 36 and sizes[1] >= 20, sizes  # readable from the back of a hall
