"""Proposed activities (SMART) in a real browser: a phone proposes and fills in its proposal
field by field while the SMART letters light up, other phones support or question it, the
screen shows the cards, the console chooses, hides, restores, lets a held one through and
writes for someone without a phone; a too long field is refused at the field; a projector at
1280×720 shows every card it lists, or counts it; axe on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Dialog, Locator, Page, expect

from .axe import Audit
from .helpers import Roles, goto_activity, said, tap

MakeMeeting = Callable[..., dict[str, Any]]
NIGHT = "Nattvandring fredagar vid Torget"
LAMPS = "Bättre belysning i gångtunneln"
CALL = "Ring Kalle Svensson 070-123 45 67"
NIGHT_FIELDS = {
    "who": "Vuxna, för unga",
    "where": "Torget",
    "when": "mars–juni 2027",
    "indicator": "antal kvällar med vuxna ute",
    "responsible": "Föreningen Nattvandrarna",
}
AGENDA = {
    "title": "Medarbetardialog HUR",
    "language": "sv",
    "activities": [
        {
            "id": "hur",
            "kind": "actions",
            "title": "Vad gör vi, och hur vet vi att det fungerar?",
            "text": "Föreslå en aktivitet och stöd eller ifrågasätt de andras.",
        }
    ],
}


def sv(key: str, **params: Any) -> str:
    return said("sv", key, **params)


def card(page: Page | Locator, what: str) -> Locator:
    return page.get_by_test_id("action").filter(has_text=what)


def letter(scope: Locator, criterion: str) -> Locator:
    return scope.locator(f"[data-criterion={criterion}]").first


def propose(phone: Page, what: str, **fields: str) -> None:
    phone.get_by_test_id("action-what").fill(what)
    for name, value in fields.items():
        phone.get_by_test_id(f"action-{name}").fill(value)
    tap(phone.get_by_test_id("action-submit"))
    expect(phone.get_by_test_id("action-what")).to_have_value("")


def answer_dialogs(page: Page, reply: str) -> None:
    def answer(dialog: Dialog) -> None:
        dialog.accept(reply)

    page.on("dialog", answer)


def test_when_a_phone_fills_in_its_proposal_then_the_letters_light_up_everywhere(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, screen = roles.console(meeting), roles.screen(meeting)
    phone, other = roles.phone(meeting), roles.phone(meeting)
    audit = Audit()  # WCAG 2.1 A and AA in every state below
    goto_activity(console, "hur")

    # The draft shows what it meets as it is typed, before anything is sent.
    phone.get_by_test_id("action-what").fill(NIGHT)
    draft = phone.get_by_test_id("action-draft")
    expect(letter(draft, "time_bound")).to_have_attribute("data-state", "missing")
    phone.get_by_test_id("action-when").fill(NIGHT_FIELDS["when"])
    expect(letter(draft, "time_bound")).to_have_attribute("data-state", "met")
    expect(letter(draft, "accepted")).to_have_attribute("data-state", "unknown")
    expect(draft.get_by_test_id("smart-hints")).to_contain_text(sv("actions.hint_specific"))
    tap(phone.get_by_test_id("action-submit"))
    expect(phone.get_by_test_id("action-what")).to_have_value("")
    audit.check("one proposal, half filled in", phone=phone, other=other, screen=screen)

    on_screen = card(screen, NIGHT)
    expect(letter(on_screen, "time_bound")).to_have_attribute("data-state", "met")
    expect(letter(on_screen, "measurable")).to_have_attribute("data-state", "missing")
    hints = card(other, NIGHT).get_by_test_id("smart-hints")
    expect(hints).to_contain_text(sv("actions.hint_measurable"))

    # The author fills in the rest later: the form is filled with its proposal to change.
    tap(card(phone, NIGHT).get_by_test_id("action-edit"))
    expect(phone.get_by_test_id("action-what")).to_have_value(NIGHT)
    for name, value in NIGHT_FIELDS.items():
        phone.get_by_test_id(f"action-{name}").fill(value)
    tap(phone.get_by_test_id("action-submit"))
    expect(phone.get_by_test_id("action-what")).to_have_value("")
    for name in ("specific", "measurable", "realistic", "time_bound"):
        expect(letter(on_screen, name)).to_have_attribute("data-state", "met")
    expect(letter(on_screen, "accepted")).to_have_attribute("data-state", "missing")
    expect(card(other, NIGHT)).to_contain_text(NIGHT_FIELDS["indicator"])

    # Another phone supports it: accepted. A second tap takes the support back.
    support = card(other, NIGHT).get_by_test_id("action-support")
    tap(support)
    expect(support).to_have_attribute("aria-pressed", "true")
    expect(letter(on_screen, "accepted")).to_have_attribute("data-state", "met")
    expect(card(screen, NIGHT).get_by_test_id("action-counts")).to_contain_text(
        sv("actions.supports", n=1)
    )
    expect(card(phone, NIGHT).get_by_test_id("smart-hints")).to_have_count(0)
    expect(card(phone, NIGHT).get_by_test_id("action-support")).to_have_count(0)  # its own
    for page in (phone, other):
        page.emulate_media(color_scheme="dark")
    audit.check("every criterion met, dark phones", phone=phone, other=other, screen=screen)
    tap(card(other, NIGHT).get_by_test_id("action-question"))
    expect(card(other, NIGHT).get_by_test_id("action-question")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(support).to_have_attribute("aria-pressed", "false")
    expect(letter(on_screen, "accepted")).to_have_attribute("data-state", "missing")

    # The console chooses it: marked on the screen and the phones; it is the room's now.
    row = console.get_by_test_id("mod-action").filter(has_text=NIGHT)
    tap(row.get_by_test_id("choose"))
    expect(on_screen.get_by_test_id("action-chosen")).to_be_visible()
    expect(card(phone, NIGHT).get_by_test_id("action-chosen")).to_be_visible()
    expect(card(phone, NIGHT).get_by_test_id("action-edit")).to_have_count(0)
    audit.check("chosen", phone=phone, screen=screen, console=console)
    audit.expect_none()


def test_a_field_over_the_limit_is_said_at_the_field_and_nothing_is_sent(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "hur")
    phone.get_by_test_id("action-what").fill(LAMPS)
    where = phone.get_by_test_id("action-where")
    where.fill("å" * 205)
    tap(phone.get_by_test_id("action-submit"))
    expect(where).to_be_focused()
    expect(where).to_have_attribute("aria-invalid", "true")
    expect(phone.get_by_test_id("action-where-error")).to_have_text(sv("phone.chars_over", n=5))
    expect(phone.get_by_test_id("action-what")).to_have_value(LAMPS)  # kept, to fix
    expect(console.get_by_test_id("mod-action")).to_have_count(0)
    where.fill("Gångtunneln")
    expect(where).not_to_have_attribute("aria-invalid", "true")
    tap(phone.get_by_test_id("action-submit"))
    expect(console.get_by_test_id("mod-action").filter(has_text=LAMPS)).to_have_count(1)


def test_the_console_moderates_and_writes_for_someone_without_a_phone(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, screen, phone = roles.console(meeting), roles.screen(meeting), roles.phone(meeting)
    answer_dialogs(console, "Dubblett")
    goto_activity(console, "hur")
    propose(phone, CALL)  # a name and a phone number: it waits for review
    mine = phone.get_by_test_id("my-action")
    expect(mine).to_have_attribute("data-status", "held")
    expect(mine).to_contain_text(sv("phone.held_phone"))
    expect(screen.get_by_test_id("actions-waiting")).to_have_text(sv("actions.waiting", n=1))
    expect(card(screen, CALL)).to_have_count(0)
    held = console.get_by_test_id("mod-action").filter(has_text=CALL)
    expect(held).to_have_attribute("data-status", "held")
    tap(held.get_by_test_id("hide"))
    expect(mine).to_have_attribute("data-status", "hidden")
    expect(mine).to_contain_text("Dubblett")

    # Written down for a pensioner without a phone; then changed, chosen, hidden, restored.
    form = console.get_by_test_id("console-action-form")
    form.get_by_test_id("console-action-what").fill(LAMPS)
    form.get_by_test_id("console-action-responsible").fill("Kommunens gatukontor")
    tap(form.get_by_test_id("console-action-submit"))
    expect(card(phone, LAMPS)).to_contain_text("Kommunens gatukontor")
    row = console.get_by_test_id("mod-action").filter(has_text=LAMPS)
    tap(row.get_by_test_id("edit"))
    expect(form.get_by_test_id("console-action-what")).to_have_value(LAMPS)
    form.get_by_test_id("console-action-when").fill("före oktober 2027")
    tap(form.get_by_test_id("console-action-submit"))
    expect(letter(card(screen, LAMPS), "time_bound")).to_have_attribute("data-state", "met")
    expect(form.get_by_test_id("console-action-what")).to_have_value("")
    tap(row.get_by_test_id("choose"))
    expect(card(screen, LAMPS).get_by_test_id("action-chosen")).to_be_visible()
    tap(row.get_by_test_id("hide"))
    expect(card(screen, LAMPS)).to_have_count(0)
    expect(card(phone, LAMPS)).to_have_count(0)
    tap(row.get_by_test_id("restore"))
    expect(card(screen, LAMPS)).to_have_count(1)
    expect(card(screen, LAMPS).get_by_test_id("action-chosen")).to_have_count(0)

    # The results page: the chosen activities first as a table, then the others.
    tap(row.get_by_test_id("choose"))
    tap(console.get_by_test_id("end-meeting"))
    tap(console.get_by_test_id("publish"))
    phone.get_by_test_id("see-results").click()
    chosen = phone.get_by_test_id("actions-chosen")
    expect(chosen).to_contain_text(LAMPS)
    expect(chosen).to_contain_text("före oktober 2027")
    expect(phone.get_by_test_id("result-hur")).not_to_contain_text(CALL)
    audit = Audit()
    audit.check("results page", phone=phone)
    audit.expect_none()


def test_when_the_projector_is_1280_by_720_then_every_card_it_lists_fits_or_is_counted(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    screen = roles._page("screen", {"viewport": {"width": 1280, "height": 720}})
    screen.goto(meeting["screen_url"])
    goto_activity(console, "hur")
    form = console.get_by_test_id("console-action-form")
    long = "Trygghetsvandring med boende, fastighetsägare och kommunen genom hela området"
    for n in range(1, 11):
        form.get_by_test_id("console-action-what").fill(f"{n}. {long}")
        form.get_by_test_id("console-action-when").fill("maj–september 2027")
        form.get_by_test_id("console-action-responsible").fill("Kommunens trygghetssamordnare")
        tap(form.get_by_test_id("console-action-submit"))
        expect(console.get_by_test_id("mod-action")).to_have_count(n)
    listed = screen.get_by_test_id("actions-list")
    expect(listed).to_have_attribute("data-fitted", "true")
    shown = screen.locator("[data-testid=action]:visible")
    more = screen.get_by_test_id("actions-more")
    assert 4 <= shown.count() <= 8
    expect(more).to_have_text(sv("actions.more", n=10 - shown.count()))
    bottom = screen.evaluate("document.getElementById('stage').getBoundingClientRect().bottom")
    for node in [*shown.all(), more]:
        box = node.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= bottom, box
    size = screen.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.action-what')).fontSize)"
    )
    assert size >= 20, size  # readable from the back of a hall
