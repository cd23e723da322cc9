"""A phone with JavaScript off takes part through plain forms (docs/protocol.md, "Plain
forms"): it joins by code, votes in a poll and posts a note, and both are in the record; axe
finds nothing on the plain pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from .axe import Audit
from .helpers import PHONE, LiveServer, Roles, goto_activity

AGENDA: dict[str, Any] = {
    "title": "Trygghet på Torget",
    "language": "en",
    "activities": [
        {"id": "safe", "kind": "poll", "title": "Do you feel safe?", "options": ["Yes", "No"]},
        {
            "id": "ideas",
            "kind": "notes",
            "title": "What should change?",
            "columns": ["Where", "When"],
            "max_length": 60,
        },
        {
            "id": "first",
            "kind": "ranking",
            "title": "What first?",
            "items": ["Lights", "Patrols", "Benches"],
        },
    ],
}


def without_scripts(roles: Roles) -> Page:
    """A phone whose browser runs no JavaScript at all."""
    context = roles.browser.new_context(java_script_enabled=False, locale="en-US", **PHONE)
    roles.contexts.append(context)
    return context.new_page()


def audited(audit: Audit, checker: Page, phone: Page, state: str) -> None:
    """axe on the phone's page as it is now. axe runs in the page and needs scripts, which the
    phone runs none of: it checks the same document, styles and all, in a page that runs them
    (the plain page has no script whose running could change it)."""
    checker.set_content(phone.content())
    audit.check(state, phone=checker)


def test_when_a_phone_without_javascript_joins_by_code_then_its_vote_and_note_are_recorded(
    roles: Roles, server: LiveServer, make_meeting: Callable[..., dict[str, Any]]
) -> None:
    meeting = make_meeting(**AGENDA)
    code = meeting["code"]
    console = roles.console(meeting)
    goto_activity(console, "safe")
    phone = without_scripts(roles)

    phone.goto(f"{server.base}/")
    phone.get_by_label("Meeting code").fill(code)
    phone.get_by_role("button", name="Join").click()
    expect(phone).to_have_url(f"{server.base}/{code}/plain")
    expect(phone.get_by_test_id("plain-title")).to_have_text("Do you feel safe?")
    phone.get_by_label("No").check()
    phone.get_by_role("button", name="Send").click()
    expect(phone).to_have_url(f"{server.base}/{code}/plain/saved")
    expect(phone.get_by_test_id("plain-saved")).to_have_text("Your answer is saved.")

    goto_activity(console, "ideas")
    phone.get_by_test_id("plain-continue").click()
    expect(phone.get_by_test_id("plain-title")).to_have_text("What should change?")
    phone.get_by_label("Your note").fill("Lights by the station")
    phone.get_by_label("Where").check()
    phone.get_by_role("button", name="Post note").click()
    expect(phone.get_by_test_id("plain-saved")).to_be_visible()
    phone.get_by_test_id("plain-continue").click()
    expect(phone.get_by_test_id("plain-own")).to_contain_text("Lights by the station")
    # The console sees it live, as any phone's note.
    expect(console.get_by_text("Lights by the station")).to_be_visible()

    found = {a["id"]: a for a in server.record(meeting)["activities"]}
    assert found["safe"]["tally"]["counts"] == {"o1": 0, "o2": 1}
    assert (found["safe"]["responders"], found["safe"]["by_form"]) == (1, 1)
    (note,) = found["ideas"]["notes"]
    assert (note["text"], note["column"], note["channel"]) == ("Lights by the station", 0, "form")


def test_when_the_live_page_has_no_javascript_then_it_leads_to_plain_forms_that_axe_passes(
    roles: Roles, server: LiveServer, make_meeting: Callable[..., dict[str, Any]]
) -> None:
    audit = Audit()
    meeting = make_meeting(**AGENDA)
    code = meeting["code"]
    console = roles.console(meeting)
    phone = without_scripts(roles)
    checker = roles.blank_phone()
    checker.goto(f"{server.base}/healthz")  # the server's origin: the page's styles load
    phone.goto(meeting["join_url"])  # the QR code's address: the live page
    phone.get_by_role("link", name="No JavaScript? Take part with simple forms.").click()
    expect(phone).to_have_url(f"{server.base}/{code}/plain")
    expect(phone.get_by_test_id("plain-reload")).to_be_visible()  # the lobby
    audited(audit, checker, phone, "plain page, lobby")

    goto_activity(console, "ideas")
    phone.get_by_test_id("plain-reload").click()
    phone.get_by_label("Your note").fill("A note far too long for this question, which takes sixty")
    phone.get_by_role("button", name="Post note").click()
    expect(phone.get_by_test_id("plain-error")).to_have_text("Choose where the note belongs.")
    expect(phone.get_by_label("Your note")).to_have_value(
        "A note far too long for this question, which takes sixty"
    )
    audited(audit, checker, phone, "plain page, a note refused")

    goto_activity(console, "first")
    phone.get_by_test_id("plain-reload").click()
    for item, place in (("Lights", "2"), ("Patrols", "2"), ("Benches", "1")):
        phone.get_by_label(item).fill(place)
    phone.get_by_role("button", name="Send this order").click()
    expect(phone.get_by_test_id("plain-error")).to_have_text(
        "Two items have the same number: give each its own, from 1 to 3."
    )
    audited(audit, checker, phone, "plain page, a ranking with a tie")
    phone.get_by_label("Lights").fill("3")
    phone.get_by_role("button", name="Send this order").click()
    expect(phone.get_by_test_id("plain-saved")).to_be_visible()
    audited(audit, checker, phone, "plain page, saved")
    standings = next(a for a in server.record(meeting)["activities"] if a["id"] == "first")
    assert [row["id"] for row in standings["standings"]["items"]] == ["i3", "i2", "i1"]
    audit.expect_none()
