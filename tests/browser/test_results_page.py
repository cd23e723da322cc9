"""Back to the participants: ending, publishing, follow-ups, and minutes printed to PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from .helpers import Roles, goto_activity, tap, vote


def test_when_results_are_published_then_phones_find_them_and_follow_ups_appear(
    roles: Roles, make_meeting: Callable[..., dict[str, Any]]
) -> None:
    meeting = make_meeting(plan="folkemote")
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "safety-poll")
    vote(phone, "fairly-safe")

    tap(console.get_by_test_id("end-meeting"))
    expect(phone.get_by_test_id("ended")).to_be_visible()
    expect(phone.get_by_test_id("results-url")).to_have_text(f"{meeting['join_url']}/results")

    # Before publishing there is nothing to see, and nothing leaks.
    outsider = roles.blank_phone()
    outsider.goto(f"{meeting['join_url']}/results")
    expect(outsider.locator(".error")).to_be_visible()

    account = console.get_by_test_id("account")
    account.get_by_test_id("item-text-decision").fill("Bedre lys i undergangen <b>før jul</b>")
    tap(account.get_by_test_id("add-decision"))
    expect(account.get_by_test_id("items-decision")).to_contain_text("Bedre lys i undergangen")
    tap(console.get_by_test_id("publish"))
    expect(phone.get_by_test_id("see-results")).to_be_visible()

    phone.get_by_test_id("see-results").click()
    expect(phone.get_by_test_id("results-title")).to_be_visible()
    poll = phone.get_by_test_id("result-safety-poll")
    expect(poll).to_contain_text("1")
    expect(phone.get_by_test_id("account-decisions")).to_contain_text(
        "Bedre lys i undergangen <b>før jul</b>"  # as text, never as markup
    )

    # The same code leads to the results once the meeting is over and they are published.
    outsider.goto(meeting["join_url"])
    expect(outsider.get_by_test_id("results-title")).to_be_visible()

    account.get_by_test_id("summary-followups").click()
    account.get_by_test_id("followup-title").fill("Lyset er på plass")
    account.get_by_test_id("followup-text").fill("Kommunen har satt opp lys i undergangen.")
    tap(account.get_by_test_id("post-followup"))
    expect(account.get_by_test_id("followups-list")).to_contain_text("Lyset er på plass")
    outsider.reload()
    followup = outsider.get_by_test_id("followup")
    expect(followup).to_have_count(1)
    expect(followup).to_contain_text("Kommunen har satt opp lys i undergangen.")


def test_when_the_minutes_are_printed_then_the_pdf_is_made_without_errors(
    roles: Roles, make_meeting: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "young-here")
    vote(phone, "very-good")
    with console.expect_download() as caught:
        tap(console.get_by_test_id("download-html"))
    html = tmp_path / "minutes.html"
    caught.value.save_as(html)

    errors: list[str] = []
    printer = roles.blank_console()
    printer.on("pageerror", lambda error: errors.append(str(error)))
    printer.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    printer.goto(html.as_uri())
    expect(printer.locator("h1")).to_be_visible()
    pdf = printer.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    assert errors == []
