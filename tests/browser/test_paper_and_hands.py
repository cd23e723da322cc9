"""A helper puts in the input of people without a phone in Chromium: the console gives the
helper page's link, the helper counts hands in a poll and types in a note from paper, and both
show in the results and in the minutes, marked as hands and paper."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from .axe import Audit
from .helpers import LiveServer, Roles, goto_activity, said, tally, tap, vote

AGENDA = {
    "title": "Folkemøte på biblioteket",
    "language": "nb",
    "activities": [
        {
            "kind": "poll",
            "id": "safe",
            "title": "Føler du deg trygg i sentrum?",
            "options": [{"id": "yes", "text": "Ja"}, {"id": "no", "text": "Nei"}],
            "results": "live",
        },
        {"kind": "notes", "id": "ideas", "title": "Hva kan gjøre sentrum tryggere?"},
    ],
}


def minutes_md(server: LiveServer, meeting: dict[str, Any]) -> str:
    request = urllib.request.Request(
        f"{server.base}/api/meetings/{meeting['code']}/minutes.md",
        headers={"Authorization": f"Bearer {meeting['facilitator_key']}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(response.read().decode())


def test_when_a_helper_counts_hands_and_types_a_paper_note_then_both_count_marked_apart(
    roles: Roles, server: LiveServer, make_meeting: Callable[..., dict[str, Any]]
) -> None:
    meeting = make_meeting(**AGENDA)
    audit = Audit()
    console, screen, phone = roles.console(meeting), roles.screen(meeting), roles.phone(meeting)
    tap(console.get_by_test_id("helper-details").locator("summary"))
    link = console.get_by_test_id("helper-link").get_attribute("href")
    assert link and "/helper#key=" in link

    helper = roles.blank_phone()
    helper.goto(link)
    expect(helper.get_by_test_id("helper-lobby")).to_have_text(said("nb", "helper.lobby"))
    goto_activity(console, "safe")
    vote(phone, "yes")
    rows = helper.get_by_test_id("hands-row")
    expect(rows).to_have_count(2)
    no = helper.locator("[data-testid=hands-row][data-option=no]")
    no.get_by_role("spinbutton").fill("14")
    tap(no.get_by_role("button"))
    expect(no.get_by_test_id("hands-counted")).to_have_text(said("nb", "helper.counted", n=14))
    expect(tally(screen, "no")).to_have_attribute("data-count", "14")
    expect(tally(screen, "yes")).to_have_attribute("data-count", "1")
    audit.check("the helper's hands", helper=helper)

    goto_activity(console, "ideas")
    helper.get_by_test_id("paper-text").fill("Mer lys ved <b>skolen</b>")
    tap(helper.get_by_test_id("paper-add"))
    expect(helper.get_by_test_id("paper-note")).to_have_text("Mer lys ved <b>skolen</b>")
    marked = console.get_by_test_id("mod-note").filter(has_text="Mer lys ved <b>skolen</b>")
    expect(marked.get_by_test_id("paper-mark")).to_have_text(said("nb", "console.paper"))
    expect(screen.locator("#stage")).to_contain_text("Mer lys ved <b>skolen</b>")
    audit.check("the helper's paper note", helper=helper, console=console)

    text = minutes_md(server, meeting)
    assert "Talt opp ved håndsopprekning, for dem uten mobil: Nei: 14" in text
    assert "- Mer lys ved \\<b\\>skolen\\</b\\> (papir)" in text  # escaped: text, not markup
    audit.expect_none()
