"""Phones reload, lose the Wi-Fi, and the laptop's server crashes: nothing acknowledged is lost,
nothing is counted twice, and every page finds its way back by itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import WebSocketRoute, expect

from .helpers import (
    LiveServer,
    Roles,
    change_dot,
    dot_item,
    goto_activity,
    my_note,
    note_with_text,
    post_note,
    set_phase,
    tally,
    tap,
    tr,
    trn,
    vote,
)

MakeMeeting = Callable[..., dict[str, Any]]
RECONNECT_MS = 25_000  # backoff doubles from 0.5 s while the server is down


def test_when_a_phone_reloads_then_it_keeps_its_vote_and_its_dots(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "young-here")
    vote(phone, "so-so")
    expect(phone.get_by_test_id("status")).to_have_attribute("data-state", "saved")

    phone.reload()

    expect(phone.get_by_test_id("option-so-so")).to_have_attribute("aria-pressed", "true")
    expect(phone.get_by_test_id("voted")).to_be_visible()
    expect(phone.locator("[aria-pressed=true]")).to_have_count(1)
    expect(console.get_by_test_id("tally-so-so")).to_have_attribute("data-count", "1")

    goto_activity(console, "heart-pain")
    post_note(phone, "Lite lys i parken", side="pain")
    post_note(phone, "Biblioteket", side="joy")
    set_phase(console, "dots")
    item = dot_item(phone, "Lite lys i parken")
    change_dot(phone, "Lite lys i parken", +1)
    change_dot(phone, "Lite lys i parken", +1)
    change_dot(phone, "Biblioteket", +1)
    expect(phone.get_by_test_id("status")).to_have_attribute("data-state", "saved")

    phone.reload()

    expect(item.get_by_test_id("my-dots")).to_have_text("●●")
    expect(item.get_by_test_id("add-dot")).to_be_disabled()
    expect(item.get_by_test_id("remove-dot")).to_be_enabled()
    expect(dot_item(phone, "Biblioteket").get_by_test_id("my-dots")).to_have_text("●")
    expect(phone.get_by_test_id("left-pain")).to_have_text(tr("nb", "%(n)s left") % {"n": 1})
    expect(phone.get_by_test_id("left-joy")).to_have_text(tr("nb", "%(n)s left") % {"n": 2})
    expect(console.get_by_test_id("phones")).to_contain_text("1")  # the same participant


def test_when_a_phone_posts_offline_then_the_note_arrives_once_when_it_is_back(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    screen = roles.screen(meeting)
    console = roles.console(meeting)
    phone = roles.phone(meeting)
    goto_activity(console, "best-here")
    post_note(phone, "Før nettet falt")
    # Saved before the Wi-Fi goes: only the second note is left to send.
    expect(my_note(phone, "Før nettet falt")).not_to_have_attribute("data-status", "waiting")
    status = phone.get_by_test_id("status")

    phone.context.set_offline(True)
    expect(status).to_have_attribute("data-state", "offline")
    expect(status).to_have_text(tr("nb", "Offline – reconnecting…"))
    text = "Skrevet uten nett"
    phone.get_by_test_id("note-text").fill(text)
    phone.get_by_test_id("post-note").click()

    expect(status).to_contain_text(tr("nb", "Offline – reconnecting…"))
    expect(status).to_contain_text(
        tr("nb", "%(n)s not sent yet – will be sent when the connection is back") % {"n": 1}
    )
    expect(phone.get_by_test_id("note-text")).to_have_value("")
    expect(note_with_text(screen, "Før nettet falt")).to_be_visible()
    expect(note_with_text(screen, text)).to_have_count(0)

    phone.context.set_offline(False)

    expect(status).to_have_attribute("data-state", "saved", timeout=RECONNECT_MS)
    expect(status).to_have_text(tr("nb", "Saved"))
    expect(my_note(phone, text)).to_have_count(1)
    expect(note_with_text(screen, text)).to_have_count(1)
    expect(screen.get_by_test_id("note")).to_have_count(2)
    expect(note_with_text(console, text, "mod-note")).to_have_count(1)
    phone.reload()  # nothing left in the outbox to send again
    expect(status).to_have_attribute("data-state", "saved")
    expect(my_note(phone, text)).to_have_count(1)
    expect(screen.get_by_test_id("note")).to_have_count(2)

    record = server.record(meeting)
    notes = next(a for a in record["activities"] if a["id"] == "best-here")["notes"]
    assert [note["text"] for note in notes].count(text) == 1
    assert len(notes) == 2


def test_when_the_server_is_killed_and_restarted_then_every_page_reconnects_by_itself(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="youth-workshop")
    screen = roles.screen(meeting)
    console = roles.console(meeting)
    phones = [roles.phone(meeting) for _ in range(3)]
    goto_activity(console, "young-here")
    tap(console.get_by_test_id("toggle-results"))
    vote(phones[0], "very-good")
    vote(phones[1], "bad")
    expect(tally(screen, "very-good")).to_have_attribute("data-count", "1")
    expect(tally(screen, "bad")).to_have_attribute("data-count", "1")
    expect(screen.get_by_test_id("participants")).to_have_attribute("data-count", "3")
    statuses = [page.get_by_test_id("status") for page in [screen, console, *phones]]
    for status in statuses:
        expect(status).to_have_attribute("data-state", "saved")

    server.kill()
    for status in statuses:
        expect(status).to_have_attribute("data-state", "offline")
    server.start()

    for status in statuses:
        expect(status).to_have_attribute("data-state", "saved", timeout=RECONNECT_MS)
    expect(screen.get_by_test_id("participants")).to_have_attribute("data-count", "3")
    expect(console.get_by_test_id("phones")).to_contain_text("3")
    for page in (screen, console):
        expect(tally(page, "very-good")).to_have_attribute("data-count", "1")
        expect(tally(page, "bad")).to_have_attribute("data-count", "1")
        expect(page.get_by_test_id("voters")).to_have_text(
            trn("nb", "%(n)s answer", "%(n)s answers", 2)
        )
    expect(phones[0].get_by_test_id("option-very-good")).to_have_attribute("aria-pressed", "true")
    expect(phones[1].get_by_test_id("option-bad")).to_have_attribute("aria-pressed", "true")
    expect(console.locator("#stage [data-activity='young-here']")).to_be_visible()

    vote(phones[2], "so-so")

    expect(phones[2].get_by_test_id("status")).to_have_attribute("data-state", "saved")
    expect(tally(screen, "so-so")).to_have_attribute("data-count", "1")
    expect(screen.get_by_test_id("voters")).to_have_text(
        trn("nb", "%(n)s answer", "%(n)s answers", 3)
    )
    tallied = next(a for a in server.record(meeting)["activities"] if a["id"] == "young-here")
    assert tallied["tally"]["counts"]["so-so"] == 1
    assert tallied["tally"]["voters"] == 3


def test_when_the_wifi_stops_carrying_anything_then_the_phone_starts_over_and_the_note_arrives(
    roles: Roles, server: LiveServer, make_meeting: MakeMeeting
) -> None:
    """A venue's Wi-Fi can drop a connection silently: the socket looks open, nothing goes
    through, and its close never completes. The phone gives up on it when a command waits too
    long for its ack, without waiting for the close, and sends the command again."""
    meeting = make_meeting(plan="youth-workshop")
    console = roles.console(meeting)
    goto_activity(console, "best-here")
    routes: list[WebSocketRoute] = []
    dead: list[WebSocketRoute] = []

    def through(page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()
        routes.append(page_side)
        page_side.on_message(lambda m: None if page_side in dead else server_side.send(m))
        server_side.on_message(lambda m: None if page_side in dead else page_side.send(m))
        # A dead link carries no close either way: the page's close() gets no answer.
        page_side.on_close(lambda code, reason: None if page_side in dead else server_side.close())

    phone = roles.blank_phone()
    phone.route_web_socket(re.compile(r"/ws$"), through)
    phone.goto(meeting["join_url"])
    status = phone.get_by_test_id("status")
    expect(status).to_have_attribute("data-state", "saved")
    assert len(routes) == 1

    dead.append(routes[0])
    text = "Sendt inn i et dødt nett"
    post_note(phone, text)
    expect(status).to_have_attribute("data-state", "saving")
    # After the ack timeout (8 s) the phone starts over on a new connection and resends.
    expect(status).to_have_attribute("data-state", "saved", timeout=RECONNECT_MS)
    assert len(routes) >= 2
    expect(my_note(phone, text)).to_have_count(1)
    expect(note_with_text(console, text, "mod-note")).to_have_count(1)
    notes = next(a for a in server.record(meeting)["activities"] if a["id"] == "best-here")
    assert [note["text"] for note in notes["notes"]] == [text]
