"""Statements (after Pol.is) in the browser: a phone answers one statement at a time and
proposes its own, the facilitator approves or hides proposals, and the projector shows where
most agree, where opinions split and the opinion groups, once a crowd has answered."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect
from websockets.sync.client import connect

from .axe import Audit
from .helpers import Roles, goto_activity, said, tap

MakeMeeting = Callable[..., dict[str, Any]]
CLAIMS = [
    "Jeg føler meg trygg i sentrum om kvelden",
    "Politiet er for lite synlig der jeg bor",
    "Flere kameraer på torget gjør meg tryggere",
    "Bedre lys er viktigere enn flere politifolk",
    "Ungdom som samles om kvelden er ikke noe problem",
    "Jeg vet hvordan jeg når nærpolitiet",
    "Det er ingen vits i å anmelde småting",
    "Råkjøring er et større problem enn narkotika",
]
AGENDA = {
    "title": "Hva mener du?",
    "language": "nb",
    "activities": [
        {
            "kind": "statements",
            "id": "opinions",
            "title": "Hva mener du om tryggheten?",
            "statements": CLAIMS,
            "allow_new": True,
        }
    ],
}
IDS = [f"s{n}" for n in range(1, len(CLAIMS) + 1)]


def crowd(server_base: str, code: str, size: int = 22) -> None:
    """`size` phones over plain websockets, in two camps: everyone agrees with s1, one camp
    agrees with s2-s4 and disagrees with s5-s8, the other the other way round."""
    url = server_base.replace("http://", "ws://") + f"/{code}/ws"
    for n in range(size):
        sign = 1 if n % 2 else -1
        with connect(url) as socket:
            socket.send(json.dumps({"type": "hello", "role": "participant", "lang": "nb"}))
            assert json.loads(socket.recv())["type"] == "welcome"
            assert json.loads(socket.recv())["type"] == "snapshot"
            for index, statement in enumerate(IDS):
                lean = 1 if index == 0 else (sign if index < 4 else -sign)
                stance = "agree" if lean == 1 else "disagree"
                command = {"type": "stance", "id": f"c{index}", "activity": "opinions"}
                socket.send(json.dumps({**command, "statement": statement, "stance": stance}))
            acked = 0
            while acked < len(IDS):
                message = json.loads(socket.recv())
                assert message["type"] != "error", message
                acked += message["type"] == "ack"


def answer(phone: Page, stance: str) -> None:
    """Answer the statement the phone shows now; the next one (or the end) comes up."""
    shown = phone.get_by_test_id("current-statement")
    before = shown.get_attribute("data-statement")
    tap(shown.get_by_test_id(f"stance-{stance}"))
    expect(
        phone.locator(f"[data-testid=current-statement][data-statement='{before}']")
    ).to_have_count(0)


def test_when_phones_answer_then_the_screen_shows_where_most_agree_and_the_groups(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    audit = Audit()
    goto_activity(console, "opinions")
    current = phone.get_by_test_id("current-statement")
    expect(current.get_by_test_id("statement-text")).to_have_text(CLAIMS[0])
    expect(current).to_contain_text(said("nb", "statements.progress", n=1, total=8))
    for stance in ("agree", "agree", "pass", "agree", "disagree", "disagree", "disagree"):
        answer(phone, stance)
    expect(current.get_by_test_id("statement-text")).to_have_text(CLAIMS[7])
    audit.check("statements, one left", phone=phone, screen=screen, console=console)
    answer(phone, "disagree")
    expect(phone.get_by_test_id("statements-done")).to_be_visible()
    expect(phone.get_by_test_id("stance-state")).to_have_count(0)  # every answer saved

    # A changed answer: the list of answers opens, and the later answer replaces the earlier.
    phone.get_by_test_id("answered").locator("summary").click()
    third = phone.locator("[data-testid=answered-statement][data-statement=s3]")
    tap(third.get_by_test_id("stance-agree"))
    expect(third.get_by_test_id("stance-agree")).to_have_attribute("aria-pressed", "true")
    expect(third.get_by_test_id("stance-pass")).to_have_attribute("aria-pressed", "false")
    row = console.locator("[data-testid=statement-result][data-statement=s3]").last
    expect(row).to_have_attribute("data-agree", "1")
    expect(row).to_have_attribute("data-pass", "0")

    crowd(roles.server.base, meeting["code"])
    opinions = screen.get_by_test_id("opinions")
    consensus = opinions.get_by_test_id("consensus")
    expect(consensus.locator("[data-statement=s1]")).to_contain_text(CLAIMS[0])
    expect(opinions.get_by_test_id("divisive").locator("[data-statement=s2]")).to_be_visible()
    for label in ("A", "B"):
        group = opinions.get_by_test_id(f"group-{label}")
        expect(group).to_be_visible()
        assert int(group.get_attribute("data-size") or 0) >= 5
    # The phone is told its group (it answered with one camp) and what sets the group apart.
    mine = phone.get_by_test_id("my-group")
    expect(mine).to_be_visible()
    label = mine.get_attribute("data-group")
    expect(mine).to_contain_text(said("nb", "statements.your_group", label=label))
    audit.check("statements, groups formed", phone=phone, screen=screen, console=console)
    audit.expect_none()


def test_when_a_phone_proposes_then_the_facilitator_decides_before_anyone_answers_it(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    screen, console = roles.screen(meeting), roles.console(meeting)
    author, other = roles.phone(meeting), roles.phone(meeting)
    goto_activity(console, "opinions")
    proposed, rude = "Flere voksne ute i helgene", "Naboen i nr. 12 selger hasj"
    for text in (proposed, rude):
        author.get_by_test_id("propose-text").fill(text)
        tap(author.get_by_test_id("propose"))
    mine = author.get_by_test_id("my-proposal")
    expect(mine).to_have_count(2)
    expect(mine.first).to_have_attribute("data-status", "pending")
    expect(mine.first).to_contain_text(said("nb", "phone.held"))
    waiting = console.locator("[data-testid=mod-statement][data-status=pending]")
    expect(waiting).to_have_count(2)
    for page in (screen, other):
        expect(page.get_by_text(proposed)).to_have_count(0)

    tap(waiting.filter(has_text=proposed).get_by_test_id("approve"))
    expect(mine.filter(has_text=proposed)).to_have_attribute("data-status", "approved")
    console.once("dialog", lambda dialog: dialog.accept("peker ut en person"))
    tap(waiting.filter(has_text=rude).get_by_test_id("hide-statement"))
    hidden = mine.filter(has_text=rude)
    expect(hidden).to_have_attribute("data-status", "hidden")
    expect(hidden.get_by_test_id("proposal-reason")).to_have_text("peker ut en person")

    # The approved statement comes last, after the agenda's; the hidden one never comes.
    for _ in CLAIMS:
        answer(other, "pass")
    expect(other.get_by_test_id("statement-text")).to_have_text(proposed)
    answer(other, "agree")
    expect(other.get_by_test_id("statements-done")).to_be_visible()
    for page in (screen, other):
        expect(page.get_by_text(rude)).to_have_count(0)


def test_a_statement_is_answered_with_the_keyboard_and_the_focus_stays_on_the_answers(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console, phone = roles.console(meeting), roles.phone(meeting)
    goto_activity(console, "opinions")
    agree = phone.get_by_test_id("current-statement").get_by_test_id("stance-agree")
    agree.focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_test_id("statement-text")).to_have_text(CLAIMS[1])
    expect(agree).to_be_focused()
    box = agree.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")  # disagree
    expect(phone.get_by_test_id("statement-text")).to_have_text(CLAIMS[2])
    expect(phone.locator("[data-testid=answered] summary")).to_contain_text("(2)")
