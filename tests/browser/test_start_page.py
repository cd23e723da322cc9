"""The facilitator's start page: a meeting from a shipped plan, or from an agenda written there."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .helpers import LiveServer, Roles


def test_when_the_facilitator_starts_a_plan_then_the_console_opens_with_its_code(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start")
    expect(start.get_by_test_id("created")).to_be_hidden()

    start.get_by_test_id("start-folkemote").click()

    expect(start.get_by_test_id("created")).to_be_visible()
    code_node = start.get_by_test_id("created-code")
    expect(code_node).to_have_text(re.compile(r"^\d{6}$"))
    code = code_node.inner_text()
    expect(start.get_by_test_id("console-url")).to_have_value(
        re.compile(rf"^{re.escape(server.base)}/{code}/console#key=[\w-]+&screen=[\w-]+$")
    )
    expect(start.get_by_test_id("screen-url")).to_have_value(
        re.compile(rf"^{re.escape(server.base)}/{code}/screen#key=[\w-]+$")
    )

    start.get_by_test_id("open-console").click()

    expect(start).to_have_url(re.compile(rf"/{code}/console#key="))
    expect(start.get_by_test_id("console-code")).to_have_text(code)
    expect(start.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    expect(start.get_by_test_id("goto-safety-poll")).to_be_visible()
    expect(start.locator("#key-problem")).to_be_hidden()


def test_when_the_facilitator_writes_an_agenda_then_the_console_lists_its_activities(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start")
    start.get_by_test_id("agenda-title").fill("Trygghet på Torget")
    start.get_by_label("Language of the meeting").select_option("nb")

    start.get_by_test_id("add-poll").click()
    poll = start.locator("#activities > li").nth(0)
    poll.get_by_label("Title or question").fill("Hvor trygg føler du deg?")
    poll.get_by_label("Options, one per line").fill("Trygg\nUtrygg\nVet ikke")
    expect(poll.get_by_label("Columns, one per line (optional)")).to_be_hidden()

    start.get_by_role("button", name="+ Sticky notes").click()
    notes = start.locator("#activities > li").nth(1)
    notes.get_by_label("Title or question").fill("Hva bør endres?")
    notes.get_by_label("Columns, one per line (optional)").fill("Hvor\nNår")
    expect(notes.get_by_label("Options, one per line")).to_be_hidden()

    start.get_by_test_id("create-agenda").click()

    error = start.locator("#start-error")
    expect(start.locator("#created:visible, #start-error:visible")).to_have_count(1)
    expect(error).to_be_hidden(timeout=1)  # shows what the server refused, if it did
    expect(start.get_by_test_id("created-code")).to_have_text(re.compile(r"^\d{6}$"))
    code = start.get_by_test_id("created-code").inner_text()
    start.get_by_test_id("open-console").click()

    expect(start.get_by_test_id("console-code")).to_have_text(code)
    agenda = start.get_by_test_id("agenda")
    expect(agenda.get_by_role("button")).to_have_count(3)  # the join screen and two activities
    expect(agenda.get_by_test_id("goto-poll-1")).to_contain_text("Hvor trygg føler du deg?")
    expect(agenda.get_by_test_id("goto-notes-2")).to_contain_text("Hva bør endres?")

    start.get_by_test_id("goto-poll-1").click()
    stage = start.locator("#stage")
    expect(stage.get_by_test_id("activity-title")).to_have_text("1. Hvor trygg føler du deg?")
    for option, label in [("o1", "Trygg"), ("o2", "Utrygg"), ("o3", "Vet ikke")]:
        expect(stage.get_by_test_id(f"tally-{option}")).to_contain_text(label)
    expect(stage.get_by_test_id("tally-none")).to_be_visible()  # "none of these" is on by default
