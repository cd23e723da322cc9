"""Problem description and cause analysis in a real browser: phones fill the form one question at
a time and the next "why?" appears once the one before has an answer; the projector draws the
triangle and the ladder of whys, agreed answers marked; the console agrees, hides and writes for
people without phones; personal text waits; a projector at 1280×720 shows long answers whole."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Dialog, Locator, Page, expect

from facilitate.core.kinds.problem_demo import AGREED, DEMO

from .axe import Audit
from .helpers import Roles, goto_activity, said, tap

MakeMeeting = Callable[..., dict[str, Any]]
FOCUS = "Ungdom samler seg ved Kiwi på kveldstid"


def agenda(**problem: Any) -> dict[str, Any]:
    return {
        "title": "Medborgerdialog om trygghet",
        "language": "nb",
        "activities": [
            {
                "id": "problem",
                "kind": "problem",
                "title": "Problemet og årsakene",
                "text": "Beskriv problemet sammen, og spør hvorfor.",
                "focus": FOCUS,
                **problem,
            }
        ],
    }


def nb(key: str, **params: Any) -> str:
    return said("nb", key, **params)


def step(phone: Page, field: str) -> Locator:
    return phone.locator(f"[data-testid=problem-step][data-field={field}]")


def answer(phone: Page, field: str, text: str) -> Locator:
    """Open a question on the phone, write an answer; its entry in the phone's own list."""
    phone.get_by_test_id("problem-go").select_option(field)
    part = step(phone, field)
    expect(part).to_be_visible()
    area = part.get_by_test_id("problem-text")
    area.fill(text)
    tap(part.get_by_test_id("problem-add"))
    expect(area).to_have_value("")
    mine = part.get_by_test_id("problem-own").filter(has_text=text)
    expect(mine).to_be_visible()
    return mine


def field_in(console: Page, field: str) -> Locator:
    return console.locator(f"[data-testid=problem-field][data-field={field}]")


def reply_to_dialogs(page: Page, reply: str) -> list[str]:
    asked: list[str] = []

    def handle(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept(reply)

    page.on("dialog", handle)
    return asked


def test_when_a_why_gets_an_answer_then_the_next_why_opens_and_the_screen_draws_it(
    roles: Roles, make_meeting: MakeMeeting, server: Any
) -> None:
    meeting = make_meeting(**agenda(whys=3))
    screen, console = roles.screen(meeting), roles.console(meeting)
    phone, other = roles.phone(meeting), roles.phone(meeting)
    every = {"phone": phone, "other": other, "screen": screen}
    audit = Audit()
    goto_activity(console, "problem")
    expect(phone.get_by_test_id("problem-phone")).to_contain_text(FOCUS)
    options = phone.get_by_test_id("problem-go").locator("option")
    expect(options).to_have_count(11)  # ten questions and the first why
    expect(step(phone, "why2")).to_have_count(0)
    expect(step(phone, "what")).to_contain_text(nb("problem.step", n=1, total=11))
    audit.check("the form, nothing written", **every)

    answer(phone, "why1", "De har ikke noe annet sted å være")
    expect(options).to_have_count(12)  # why 2 opens for everyone
    expect(other.get_by_test_id("problem-go").locator("option")).to_have_count(12)
    why2 = step(other, "why2")
    other.get_by_test_id("problem-go").select_option("why2")
    expect(why2.get_by_test_id("problem-builds-on")).to_contain_text("annet sted å være")
    answer(other, "why2", "Klubben har bare åpent to kvelder i uka")
    ladder = screen.get_by_test_id("problem-why")
    expect(ladder).to_have_count(3)
    expect(ladder.nth(1).get_by_test_id("problem-suggested")).to_have_text(
        "Klubben har bare åpent to kvelder i uka"
    )
    expect(ladder.nth(2)).to_contain_text(nb("problem.none_yet"))

    answer(phone, "offender", "En gjeng på 15–18 år")
    tap(field_in(console, "why2").get_by_test_id("problem-agree"))
    expect(ladder.nth(1).get_by_test_id("problem-agreed")).to_contain_text("to kvelder i uka")
    mine = step(other, "why2").get_by_test_id("problem-own")
    expect(mine).to_contain_text(nb("problem.agreed"))
    offender = screen.locator("[data-testid=problem-corner][data-corner=offender]")
    expect(offender).to_contain_text("En gjeng på 15–18 år")
    expect(offender).to_contain_text(nb("problem.suggested"))
    audit.check("answers, one agreed", **every)
    audit.expect_none()

    (entry,) = server.record(meeting)["activities"]
    assert entry["focus_area"]["whys"] == []  # why 1 is not agreed: the chain starts there
    assert [c["text"] for a in entry["form"] for c in a["contributions"]] == [
        "En gjeng på 15–18 år",
        "De har ikke noe annet sted å være",
        "Klubben har bare åpent to kvelder i uka",
    ]


def test_when_an_answer_names_someone_then_it_waits_and_the_console_hides_it(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**agenda())
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "problem")
    named = "Det er Ole Hansen som kjøper ut til dem"
    mine = answer(phone, "offender", named)
    expect(mine).to_have_attribute("data-status", "held")
    expect(mine).to_contain_text(nb("phone.held_name"))
    row = field_in(console, "offender").get_by_test_id("problem-contribution")
    expect(row).to_have_attribute("data-status", "held")
    expect(console.get_by_test_id("held-count")).to_be_visible()
    expect(screen.locator("#stage")).not_to_contain_text("Ole Hansen")

    asked = reply_to_dialogs(console, "Navngir en person")
    tap(row.get_by_test_id("problem-hide"))
    expect(row).to_have_attribute("data-status", "hidden")
    assert asked == [nb("console.problem_hide_reason")]
    expect(mine).to_have_attribute("data-status", "hidden")
    expect(mine).to_contain_text("Navngir en person")
    expect(screen.locator("#stage")).not_to_contain_text("Ole Hansen")


def test_when_the_facilitator_writes_for_someone_without_a_phone_then_phones_see_it_marked(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**agenda())
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "problem")
    form = field_in(console, "fixer").get_by_test_id("problem-scribe")
    form.locator("input").fill("Gårdeieren kan sette opp lys")
    form.locator("button").click()
    expect(field_in(console, "fixer").get_by_test_id("problem-contribution")).to_contain_text(
        nb("problem.scribe")
    )
    phone.get_by_test_id("problem-go").select_option("fixer")
    others = step(phone, "fixer").get_by_test_id("problem-others")
    expect(others).to_contain_text("Gårdeieren kan sette opp lys")
    expect(others).to_contain_text(nb("problem.scribe"))

    asked = reply_to_dialogs(phone, "")
    mine = answer(phone, "fixer", "Natteravnene")
    tap(mine.get_by_test_id("problem-withdraw"))
    expect(mine).to_have_attribute("data-status", "withdrawn")
    assert asked == [nb("problem.withdraw_confirm")]


LONG = (
    "Ungdom som ikke har noe annet sted å være om kvelden, fordi klubben er stengt, og som "
    "samles der det er lys, tak og wifi; noen kjører moped rundt parkeringsplassen til sent"
)


def test_when_the_projector_is_1280_by_720_then_long_answers_fit_whole_without_overlap(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**agenda())
    console = roles.console(meeting)
    screen = roles._page("screen", {"viewport": {"width": 1280, "height": 720}})
    screen.goto(meeting["screen_url"])
    goto_activity(console, "problem")
    for field in ("what", "when", "where", "offender", "target", "guardian", "handler", "manager",
                  "why1", "why2", "why3", "why4", "why5"):  # fmt: skip
        form = field_in(console, field).get_by_test_id("problem-scribe")
        form.locator("input").fill(f"{field}: {LONG}"[:200])
        form.locator("button").click()
        expect(field_in(console, field).get_by_test_id("problem-contribution")).to_have_count(1)
    expect(screen.get_by_test_id("problem-why")).to_have_count(5)
    screen.wait_for_function(
        "() => document.querySelector('[data-testid=problem-results][data-fitted]')"
    )
    geometry = screen.evaluate(
        """() => {
          const stage = document.querySelector('.screen-stage').getBoundingClientRect();
          const rects = [...document.querySelectorAll('[data-testid=problem-corner]')]
            .map((node) => node.getBoundingClientRect());
          const overlap = rects.some((a, i) => rects.slice(i + 1).some((b) =>
            a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
          const board = '[data-testid=problem-results]';
          const texts = [...document.querySelectorAll(`${board} li, ${board} p`)];
          const outside = texts.filter((node) => {
            const r = node.getBoundingClientRect();
            return r.bottom > stage.bottom + 1 || r.right > stage.right + 1;
          }).length;
          return { overlap, outside, width: window.innerWidth };
        }"""
    )
    assert geometry == {"overlap": False, "outside": 0, "width": 1280}
    # Thirteen answers of 200 characters do not fit at a size a hall reads: the suggestions are
    # counted and left to the phones, each field still named with how many it has.
    board = screen.get_by_test_id("problem-results")
    expect(board).to_have_attribute("data-brief", "true")
    place = screen.locator("[data-testid=problem-corner][data-corner=place]")
    expect(place.locator(".problem-count")).to_have_text(nb("problem.suggestions", n=1))
    expect(place.get_by_test_id("problem-suggested")).to_be_hidden()


def test_when_the_projector_is_1280_by_720_then_a_rooms_answers_read_whole_and_large(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**agenda())
    console = roles.console(meeting)
    screen = roles._page("screen", {"viewport": {"width": 1280, "height": 720}})
    screen.goto(meeting["screen_url"])
    goto_activity(console, "problem")
    for field, texts in DEMO.items():
        rows = field_in(console, field).get_by_test_id("problem-contribution")
        for n, text in enumerate(texts[:2]):
            form = field_in(console, field).get_by_test_id("problem-scribe")
            form.locator("input").fill(text)
            form.locator("button").click()
            expect(rows).to_have_count(n + 1)
        if (field, 0) in AGREED:
            tap(rows.first.get_by_test_id("problem-agree"))
            expect(rows.first).to_contain_text(nb("problem.agreed"))
    board = screen.get_by_test_id("problem-results")
    expect(board.get_by_test_id("problem-why")).to_have_count(5)
    expect(board.get_by_test_id("problem-agreed")).to_have_count(len(AGREED))
    screen.wait_for_function(
        "() => document.querySelector('[data-testid=problem-results][data-fitted]')"
    )
    expect(board).not_to_have_attribute("data-brief", "true")
    assert int(board.get_attribute("data-fitted") or 0) >= 64
