"""First run: the start page (a meeting from a shipped plan or an agenda written there, made
once, its links copied), the console's way to the hall's network, a phone's first status."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

from facilitate import network

from .axe import report, violations
from .helpers import LiveServer, Roles, goto_activity, tr, vote

# The plain http of a hall's network, where the Clipboard API is missing: 127.0.0.1 counts as
# a secure context, so the tests take it away to see the fallback.
NO_CLIPBOARD = "Object.defineProperty(navigator, 'clipboard', { value: undefined });"


def created_codes(page: Page) -> list[str]:
    """Collects the code of every meeting the page creates from now on."""
    codes: list[str] = []

    def seen(response: Response) -> None:
        if response.request.method == "POST" and response.url.endswith("/api/meetings"):
            if response.status == 201:
                codes.append(json.loads(response.body())["code"])

    page.on("response", seen)
    return codes


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
    expect(start.locator("#key-refused")).to_be_hidden()


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


def test_when_the_facilitator_double_clicks_start_then_one_meeting_is_made(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start")
    codes = created_codes(start)
    button = start.get_by_test_id("start-folkemote")

    button.dblclick()

    expect(start.get_by_test_id("created-code")).to_have_text(re.compile(r"^\d{6}$"))
    expect(button).to_be_enabled()  # disabled only while the meeting was made
    assert codes == [start.get_by_test_id("created-code").inner_text()]


def test_when_the_page_sends_the_same_click_again_then_the_server_makes_no_second_meeting(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start")
    # Two requests of one attempt (a resend after a lost answer) carry one Idempotency-Key.
    answers = start.evaluate(
        """async () => {
          const send = () => fetch("/api/meetings", { method: "POST",
            headers: { "Content-Type": "application/json", "Idempotency-Key": "one-click" },
            body: JSON.stringify({ plan: "folkemote" }) }).then((r) => r.json());
          return Promise.all([send(), send()]);
        }"""
    )
    assert answers[0]["code"] == answers[1]["code"]


def test_when_an_agenda_in_norwegian_has_a_mistake_then_it_is_said_once_in_words_at_its_field(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start?lang=nb")
    start.get_by_test_id("agenda-title").fill("Trygghet på Torget")
    start.get_by_test_id("add-poll").click()
    poll = start.locator("#activities > li").nth(0)
    poll.get_by_label(tr("nb", "Title or question")).fill("Hvor trygg føler du deg?")
    options = poll.get_by_label(tr("nb", "Options, one per line"))
    options.fill("Bare ett svar")

    start.get_by_test_id("create-agenda").click()

    wanted = tr("nb", "Activity %(n)s: %(problem)s") % {
        "n": 1,
        "problem": tr("nb", "give %(low)s to %(high)s options, one per line")
        % {"low": 2, "high": 20},
    }
    assert wanted == "Aktivitet 1: skriv 2 til 20 svaralternativer, ett per linje"
    problem = poll.get_by_test_id("field-problem")
    expect(problem).to_have_text(wanted)
    expect(start.get_by_text(wanted)).to_have_count(1)  # once, and nowhere else
    expect(options).to_have_attribute("aria-invalid", "true")
    expect(options).to_have_attribute("aria-describedby", problem.get_attribute("id") or "")
    expect(options).to_be_focused()
    expect(start.get_by_test_id("start-error")).to_have_text(
        tr("nb", "The meeting was not created: fix what is marked below.")
    )
    body = start.locator("body").inner_text()
    assert "activities[" not in body and "give a list" not in body  # no developer words
    expect(start.get_by_test_id("created")).to_be_hidden()
    found = violations(start)
    assert not found, report("the start page with a mistake marked", found)

    options.fill("Trygg\nUtrygg")  # fixed: the mark goes, and the meeting is made
    expect(problem).to_have_count(0)
    expect(options).not_to_have_attribute("aria-invalid", "true")
    start.get_by_test_id("create-agenda").click()
    expect(start.get_by_test_id("created-code")).to_have_text(re.compile(r"^\d{6}$"))
    expect(start.get_by_test_id("start-error")).to_be_hidden()


def test_when_the_meeting_is_made_then_focus_moves_to_it_and_it_is_announced(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start?lang=sv")
    start.get_by_test_id("start-youth-workshop").click()

    code = start.get_by_test_id("created-code")
    expect(code).to_have_text(re.compile(r"^\d{6}$"))
    expect(start.locator("#created-heading")).to_be_focused()
    expect(start.get_by_test_id("start-status")).to_have_attribute("role", "status")
    expect(start.get_by_test_id("start-status")).to_have_text(
        tr("sv", "Your meeting is ready. Join code: %(code)s") % {"code": code.inner_text()}
    )


@pytest.mark.parametrize("clipboard", [True, False], ids=["clipboard-api", "plain-http"])
def test_when_the_console_link_is_copied_then_the_page_says_copied(
    roles: Roles, server: LiveServer, clipboard: bool
) -> None:
    start = roles.blank_console()
    if clipboard:
        start.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base)
    else:
        start.context.add_init_script(NO_CLIPBOARD)
    start.goto(f"{server.base}/start?lang=nn")
    start.get_by_test_id("start-folkemote").click()
    link = start.get_by_test_id("console-url")
    expect(link).to_have_value(re.compile(r"/console#key="))

    start.get_by_test_id("copy-console-url").click()

    status = start.get_by_test_id("copy-status")
    expect(status).to_have_text(tr("nn", "Copied"))
    expect(status).to_have_attribute("role", "status")
    if clipboard:
        assert start.evaluate("navigator.clipboard.readText()") == link.input_value()
    else:  # selected, so that Ctrl+C would copy it too
        expect(link).to_be_focused()
        selected = start.evaluate(
            "() => { const i = document.activeElement; "
            "return i.value.slice(i.selectionStart, i.selectionEnd); }"
        )
        assert selected == link.input_value()


def test_when_the_console_is_opened_on_localhost_then_its_lan_links_keep_the_key(
    roles: Roles, make_meeting: Any
) -> None:
    lan = network.lan_addresses()
    if not lan:
        pytest.skip("this machine has no address on a network")
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    warning = console.get_by_test_id("lan-warning")
    expect(warning).to_be_visible()
    fragment = meeting["facilitator_url"].split("#", 1)[1]
    port = meeting["facilitator_url"].split("/")[2].rsplit(":", 1)[1]
    first = warning.get_by_test_id("lan-console").first
    expect(first).to_have_attribute(
        "href", f"http://{lan[0]}:{port}/{meeting['code']}/console#{fragment}"
    )


def test_when_a_phone_has_sent_nothing_yet_then_its_status_says_connected_not_saved(
    roles: Roles, make_meeting: Any
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    status = phone.get_by_test_id("status")
    expect(status).to_have_text(tr("nb", "Connected"))

    goto_activity(console, "young-here")
    vote(phone, "quite-good")

    expect(status).to_have_text(tr("nb", "Saved"))


def test_when_an_agenda_ranks_the_top_pain_points_then_the_meeting_takes_them_from_there(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start")
    start.get_by_test_id("agenda-title").fill("Trygghet på Torget")
    start.get_by_test_id("add-painjoy").click()
    painjoy = start.locator("#activities > li").nth(0)
    painjoy.get_by_label("Title or question").fill("Hva er bra og hva er vondt i sentrum?")
    start.get_by_test_id("add-ranking").click()
    ranking = start.locator("#activities > li").nth(1)
    ranking.get_by_label("Title or question").fill("Hva bør vi gjøre først?")
    typed = ranking.get_by_label("Items to put in order, one per line")
    expect(typed).to_be_visible()
    earlier = ranking.get_by_role("combobox")  # "Earlier activity"
    expect(earlier).to_be_hidden()

    # By keyboard: the arrow key moves along the radios, as in any radio group.
    ranking.get_by_label("Type them here").focus()
    start.keyboard.press("ArrowRight")
    expect(ranking.get_by_label("Take the top items of an earlier activity")).to_be_checked()
    expect(typed).to_be_hidden()
    expect(earlier).to_be_visible()
    expect(earlier.locator("option")).to_have_text(
        ["Choose an activity", "1. Hva er bra og hva er vondt i sentrum?"]
    )
    earlier.select_option(label="1. Hva er bra og hva er vondt i sentrum?")
    ranking.get_by_label("How many of its top items").fill("3")
    found = violations(start)
    assert not found, report("the start page, a ranking taking the top pain points", found)

    start.get_by_test_id("create-agenda").click()

    expect(start.get_by_test_id("created-code")).to_have_text(re.compile(r"^\d{6}$"))
    code = start.get_by_test_id("created-code").inner_text()
    key = re.search(r"#key=([\w-]+)", start.get_by_test_id("console-url").input_value())
    assert key is not None
    answer = start.request.get(
        f"{server.base}/api/meetings/{code}/record",
        headers={"Authorization": f"Bearer {key.group(1)}"},
    )
    assert answer.ok
    activities = answer.json()["activities"]
    assert [a["kind"] for a in activities] == ["painjoy", "ranking"]
    assert activities[1]["items_from"] == {"activity": activities[0]["id"], "top": 3}
    assert "items" not in activities[1] or not activities[1]["items"]  # none typed


def test_when_an_agenda_takes_items_from_no_activity_then_it_is_said_at_the_field(
    roles: Roles, server: LiveServer
) -> None:
    start = roles.blank_console()
    start.goto(f"{server.base}/start?lang=nb")
    start.get_by_test_id("agenda-title").fill("Trygghet på Torget")
    start.get_by_test_id("add-notes").click()
    notes = start.locator("#activities > li").nth(0)
    notes.get_by_label(tr("nb", "Title or question")).fill("Hva gjør deg utrygg?")
    start.get_by_test_id("add-scale").click()
    scale = start.locator("#activities > li").nth(1)
    scale.get_by_label(tr("nb", "Title or question")).fill("Hvor viktig er det?")
    scale.get_by_label(tr("nb", "Take the top items of an earlier activity")).check()
    earlier = scale.get_by_role("combobox")  # "Earlier activity", left unchosen
    expect(earlier).to_have_accessible_name(re.compile("^" + tr("nb", "Earlier activity")))

    start.get_by_test_id("create-agenda").click()

    how = "choose an earlier activity, and how many of its top items to take (1 to %(high)s)"
    wanted = tr("nb", "Activity %(n)s: %(problem)s") % {
        "n": 2,
        "problem": tr("nb", how) % {"high": 20},
    }
    problem = scale.get_by_test_id("field-problem")
    expect(problem).to_have_text(wanted)
    expect(earlier).to_have_attribute("aria-invalid", "true")
    expect(earlier).to_be_focused()
    expect(start.get_by_test_id("created")).to_be_hidden()

    earlier.select_option(index=1)  # the notes above: the mark goes, the meeting is made
    expect(problem).to_have_count(0)
    start.get_by_test_id("create-agenda").click()
    expect(start.get_by_test_id("created-code")).to_have_text(re.compile(r"^\d{6}$"))
