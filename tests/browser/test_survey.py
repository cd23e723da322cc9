"""A survey in Chromium: the phone goes through the activities on its own with Previous and
Next, answers a poll and posts a note without any facilitator moving on, is thanked at the
end, and the console counts the new people of the day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import expect

from .axe import Audit
from .helpers import LiveServer, Roles, post_note, said, tap, vote


def test_when_a_meeting_is_a_survey_then_a_phone_answers_at_its_own_pace(
    roles: Roles, server: LiveServer, make_meeting: Callable[..., dict[str, Any]]
) -> None:
    now = datetime.now(UTC)
    meeting = make_meeting(
        title="Trygghet på Tøyen",
        language="nb",
        survey={
            "opens": (now - timedelta(days=1)).isoformat(),
            "closes": (now + timedelta(days=6)).isoformat(),
        },
        activities=[
            {"kind": "info", "id": "welcome", "title": "Velkommen til undersøkelsen"},
            {"kind": "poll", "id": "safe", "title": "Trygg på Tøyen?", "options": ["Ja", "Nei"]},
            {"kind": "notes", "id": "ideas", "title": "Hva vil du ha mer av?"},
        ],
    )
    audit = Audit()
    console, phone = roles.console(meeting), roles.phone(meeting)
    expect(phone.get_by_test_id("activity-title")).to_have_text("Velkommen til undersøkelsen")
    expect(phone.get_by_test_id("survey-step")).to_have_text(
        said("nb", "survey.where", n=1, total=3)
    )
    expect(phone.get_by_test_id("survey-previous")).to_be_disabled()
    audit.check("the survey's first page", phone=phone)
    tap(phone.get_by_test_id("survey-next"))
    expect(phone.get_by_test_id("activity-title")).to_have_text("Trygg på Tøyen?")
    expect(phone.get_by_test_id("activity-title")).to_be_focused()  # where a reader starts
    vote(phone, "o1")
    tap(phone.get_by_test_id("survey-next"))
    post_note(phone, "Mer lys i parken")
    expect(phone.get_by_test_id("survey-next")).to_have_text(said("nb", "survey.finish"))
    tap(phone.get_by_test_id("survey-next"))
    expect(phone.get_by_test_id("survey-done")).to_contain_text(said("nb", "survey.thanks"))
    # A reload keeps the place; going back shows the answers given.
    phone.reload()
    expect(phone.get_by_test_id("survey-done")).to_be_visible()
    tap(phone.get_by_test_id("survey-back"))
    expect(phone.get_by_test_id("activity-title")).to_have_text("Hva vil du ha mer av?")
    audit.check("a survey's notes", phone=phone)

    days = console.get_by_test_id("survey-days")
    expect(days).to_be_visible()
    expect(days.get_by_test_id("survey-day")).to_have_count(1)
    expect(days.get_by_test_id("survey-day").locator("td").last).to_have_text("1")
    audit.check("the console of a survey", console=console)

    record = server.record(meeting)
    by_id = {a["id"]: a for a in record["activities"]}
    assert by_id["safe"]["tally"]["counts"]["o1"] == 1
    assert [n["text"] for n in by_id["ideas"]["notes"]] == ["Mer lys i parken"]
    audit.expect_none()
