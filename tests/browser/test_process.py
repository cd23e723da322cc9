"""A citizen promise process in the browser: a console joins its meeting to a step, the
organiser's process page shows the step and keeps the follow-up, and the public follow-up page
shows it to everyone, with or without scripts; axe finds nothing on either page."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from facilitate.core.process import STATUS_LABELS, STEP_LABELS

from .axe import Audit
from .helpers import PHONE, LiveServer, Roles, goto_activity, said, tap, tr, vote


def create_process(server: LiveServer, title: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{server.base}/api/processes",
        data=json.dumps({"title": title, "language": "nb"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        created: dict[str, Any] = json.loads(response.read())
    return created


def test_when_a_console_joins_a_process_then_the_process_and_follow_up_pages_show_it(
    roles: Roles, server: LiveServer, make_meeting: Callable[..., dict[str, Any]]
) -> None:
    audit = Audit()
    process = create_process(server, "Innbyggerløfte Torget 2027")
    meeting = make_meeting(plan="folkemote")
    console, phone = roles.console(meeting), roles.phone(meeting)

    # The console speaks the meeting's language (nb); so do the process's pages.
    expect(console.get_by_test_id("process-state")).to_have_text(said("nb", "console.process_none"))
    console.get_by_test_id("process-id").fill(process["id"])
    console.get_by_test_id("process-key").fill(process["key"])
    console.get_by_test_id("process-step").select_option("dialogue")
    tap(console.get_by_test_id("process-submit"))
    step_name = tr("nb", "Citizen dialogue")
    expect(console.get_by_test_id("process-state")).to_contain_text(
        said("nb", "console.process_in", title="Innbyggerløfte Torget 2027", step=step_name)
    )
    expect(console.get_by_test_id("process-join")).to_be_hidden()

    goto_activity(console, "safety-poll")
    vote(phone, "fairly-safe")
    tap(console.get_by_test_id("end-meeting"))
    tap(console.get_by_test_id("publish"))
    expect(console.get_by_test_id("account-state")).not_to_be_empty()

    organiser = roles.blank_console()
    organiser.goto(process["urls"]["organiser"])
    expect(organiser.get_by_test_id("process-title")).to_have_text("Innbyggerløfte Torget 2027")
    step = organiser.get_by_test_id("step-dialogue")
    expect(step.get_by_test_id("process-meeting")).to_have_count(1)
    results_link = step.get_by_role("link", name=said("nb", "process.results"))
    expect(results_link).to_have_attribute("href", f"{meeting['join_url']}/results")

    organiser.get_by_test_id("item-title").fill("Bedre lys i undergangen <b>før jul</b>")
    organiser.get_by_test_id("item-note").fill("Kommunen har bestilt lysene.")
    tap(organiser.get_by_test_id("item-submit"))
    item = organiser.get_by_test_id("process-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Bedre lys i undergangen <b>før jul</b>")  # text, not markup
    item.get_by_role("combobox").select_option("done")
    item.get_by_role("textbox").fill("Lysene er på plass.")
    tap(item.get_by_role("button", name=said("nb", "process.save")))
    expect(item).to_contain_text("Lysene er på plass.")
    expect(item.locator(".status-badge")).to_have_text(tr("nb", "Done"))
    audit.check("with a meeting and a follow-up item", organiser=organiser)

    # A meeting joins only with its facilitator key; the refusal is in the page's language.
    other = make_meeting(plan="folkemote")
    organiser.get_by_test_id("join-code").fill(other["code"])
    organiser.get_by_test_id("join-key").fill("not-the-key")
    tap(organiser.get_by_test_id("join-submit"))
    expect(organiser.get_by_test_id("join-error")).to_have_text(
        said("nb", "process.error.wrong_key")
    )

    # The key is in the fragment: the page without it, or with a wrong one, shows nothing.
    stranger = roles.blank_console()
    stranger.goto(process["urls"]["page"])
    expect(stranger.get_by_test_id("key-refused")).to_have_text(said("nb", "process.no_key"))
    stranger.goto(process["urls"]["page"] + "#key=wrong")
    stranger.reload()
    expect(stranger.get_by_test_id("key-refused")).to_have_text(said("nb", "process.wrong_key"))
    expect(stranger.get_by_test_id("process-meeting")).to_have_count(0)

    follow = roles.blank_phone()
    follow.goto(process["urls"]["follow"])
    expect(follow.get_by_test_id("follow-title")).to_have_text("Innbyggerløfte Torget 2027")
    followed = follow.get_by_test_id("follow-item")
    expect(followed).to_contain_text("Bedre lys i undergangen <b>før jul</b>")
    expect(followed.get_by_test_id("follow-status")).to_have_text(tr("nb", "Done"))
    expect(followed).to_contain_text("Lysene er på plass.")
    expect(follow.get_by_test_id("follow-meeting")).to_have_count(1)
    audit.check("public, phone-sized", follow=follow)

    # Printable and readable without scripts.
    context = roles.browser.new_context(java_script_enabled=False, **PHONE)
    roles.contexts.append(context)
    plain = context.new_page()
    plain.goto(process["urls"]["follow"])
    expect(plain.get_by_test_id("follow-item")).to_contain_text("Lysene er på plass.")

    # Whoever opens the ended meeting's code reaches its results, and the follow-up from there.
    phone.goto(meeting["join_url"])
    banner = phone.get_by_test_id("follow-banner")
    expect(banner).to_be_visible()
    banner.get_by_role("link").click()
    expect(phone.get_by_test_id("follow-title")).to_have_text("Innbyggerløfte Torget 2027")
    audit.expect_none()


def test_the_organiser_updates_an_item_again_and_again_and_chooses_in_the_methods_order(
    roles: Roles, server: LiveServer, make_meeting: Callable[..., dict[str, Any]]
) -> None:
    process = create_process(server, "Innbyggerløfte Sentrum")
    joins = {"id": process["id"], "key": process["key"], "step": "dialogue"}
    make_meeting(plan="folkemote", process=joins)
    organiser = roles.blank_console()
    organiser.goto(process["urls"]["organiser"])
    move = organiser.get_by_test_id("process-meeting").get_by_role("combobox")
    steps = [tr("nb", label) for label in STEP_LABELS.values()]
    expect(move.locator("option")).to_have_text(steps)
    expect(move).to_have_value("dialogue")
    organiser.get_by_test_id("item-title").fill("Lys i undergangen")
    tap(organiser.get_by_test_id("item-submit"))
    item = organiser.get_by_test_id("process-item")
    status = item.get_by_role("combobox")
    expect(status.locator("option")).to_have_text([tr("nb", s) for s in STATUS_LABELS.values()])

    # Each save draws the page again; the next update is read from the form as it is now.
    for n, (chosen, text) in enumerate((("under_way", "Bestilt."), ("done", "Montert.")), 1):
        status.select_option(chosen)
        item.get_by_role("textbox").fill(text)
        tap(item.get_by_role("button", name=said("nb", "process.save")))
        expect(item.locator(".updates li")).to_have_count(n)
        expect(item.locator(".updates")).to_contain_text(text)
        expect(item.locator(".status-badge")).to_have_text(tr("nb", STATUS_LABELS[chosen]))
