"""A Swedish citizen promise tried through in the browser, step by step as the police's method
runs it: the employees' WHAT dialogue at tables, a citizen dialogue, a problem analysis and the
employees' HOW dialogue join one process; the draft promise holds what they gave (and never a
hidden note), and the organiser's follow-up of the chosen activity reaches the public page."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect
from websockets.sync.client import connect

from .axe import Audit
from .helpers import (
    LiveServer,
    Roles,
    change_dot,
    dot_item,
    goto_activity,
    post_note,
    said,
    set_phase,
    tap,
    tr,
    vote,
)

TITLE = "Medborgarlöfte Torget 2027"
# The employees' WHAT dialogue: pain points at two tables, and the most dotted drawn to ranking.
DARK, MOPEDS, DEALING = (
    "Mörka gångtunneln vid stationen",
    "Mopedåkning på gångvägarna",
    "Narkotikaförsäljning vid skolan",
)
# The citizen dialogue: the note the facilitator hides after it got the most dots.
HIDDEN = "Killen i röda jackan på Torget säljer hasch"
BUS_STOP = "Mörkt vid busshållplatsen"
# The problem analysis: the focus its table voted for (the plan's option) and the agreed answers.
FOCUS = "Otrygghet i centrum på kvällar och helger"
WHAT = "Unga samlas och bråkar på Torget"
WHYS = [
    "De har ingenstans att vara på kvällen",
    "Fritidsgården är stängd på helgerna",
    "Kommunen har dragit ner på öppettiderna",
    "Budgeten för fritid har minskat",
    "Ingen har följt upp vad neddragningen ledde till",
]
# The HOW dialogue: one activity proposed and chosen, one proposed and left.
CHOSEN = "Nattvandring fredagar vid Torget"
CHOSEN_FIELDS = {
    "who": "Vuxna, för unga",
    "where": "Torget",
    "when": "mars–juni 2027",
    "indicator": "antal kvällar med vuxna ute",
    "responsible": "Föreningen Nattvandrarna",
}
LEFT = "Fler kameror i gångtunneln"
# The statement everyone agrees with (the plan's first), and the draft's seven parts in order.
AGREED = "Jag känner mig trygg i centrum på kvällen."
PARTS_SV = [
    tr("sv", heading)
    for heading in (
        "Introduction and purpose",
        "The joint situation picture",
        "Focus area and how it was produced",
        "Activities and period",
        "Effects sought",
        "How you can follow the work",
        "Signatures",
    )
]
UPDATE = "Första kvällen genomförd, tolv vuxna var ute."


def sv(key: str, **params: Any) -> str:
    return said("sv", key, **params)


def call(
    server: LiveServer, path: str, body: dict[str, Any] | None = None, key: str | None = None
) -> tuple[int, bytes]:
    """An HTTP request to the server: its status and body (a refusal too)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(
        f"{server.base}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers=headers,
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def by_heading(markdown: str) -> dict[str, str]:
    """A Markdown document's parts by their second-level headings."""
    parts: dict[str, str] = {}
    for chunk in markdown.split("\n## ")[1:]:
        heading, _, text = chunk.partition("\n")
        parts[heading] = text
    return parts


def seated(roles: Roles, meeting: dict[str, Any], table: str) -> Page:
    """A phone that joined and chose its table in the lobby."""
    phone = roles.phone(meeting)
    tap(phone.get_by_test_id(f"table-{table}"))
    expect(phone.get_by_test_id("table-picker")).to_have_count(0)
    return phone


def table_part(console: Page, table: str) -> Locator:
    return console.locator(f"[data-testid=table-part][data-table={table}]")


def end_and_publish(console: Page) -> None:
    tap(console.get_by_test_id("end-meeting"))
    expect(console.get_by_test_id("end-meeting")).to_be_disabled()
    tap(console.get_by_test_id("publish"))
    expect(console.get_by_test_id("publish")).to_have_text(sv("console.unpublish"))


def rank_row(phone: Page, text: str) -> Locator:
    return phone.get_by_test_id("rank-item").filter(has_text=text)


def more_people_agree(server: LiveServer, code: str, activity: str, statement: str, n: int) -> None:
    """`n` more people in the hall, over plain websockets: each agrees with one statement."""
    url = server.base.replace("http://", "ws://") + f"/{code}/ws"
    for _ in range(n):
        with connect(url) as socket:
            socket.send(json.dumps({"type": "hello", "role": "participant", "lang": "sv"}))
            assert json.loads(socket.recv())["type"] == "welcome"
            assert json.loads(socket.recv())["type"] == "snapshot"
            command = {"type": "stance", "id": "c1", "activity": activity}
            socket.send(json.dumps({**command, "statement": statement, "stance": "agree"}))
            while (message := json.loads(socket.recv()))["type"] != "ack":
                assert message["type"] != "error", message


def problem_step(phone: Page, field: str) -> Locator:
    return phone.locator(f"[data-testid=problem-step][data-field={field}]")


def answer_problem(phone: Page, field: str, text: str) -> None:
    """Open a question of the problem form on the phone and answer it."""
    phone.get_by_test_id("problem-go").select_option(field)
    part = problem_step(phone, field)
    area = part.get_by_test_id("problem-text")
    area.fill(text)
    tap(part.get_by_test_id("problem-add"))
    expect(area).to_have_value("")
    expect(part.get_by_test_id("problem-own").filter(has_text=text)).to_be_visible()


def agree(part: Locator, field: str) -> None:
    """The facilitator marks a table's answer to a question as the one the table agreed."""
    answered = part.locator(f"[data-testid=problem-field][data-field={field}]")
    tap(answered.get_by_test_id("problem-agree"))
    expect(answered.get_by_test_id("problem-contribution")).to_contain_text(sv("problem.agreed"))


def test_a_swedish_citizen_promise_goes_from_the_first_dialogue_to_its_public_follow_up(
    roles: Roles, server: LiveServer, tmp_path: Path
) -> None:
    status, body = call(server, "/api/processes", {"title": TITLE, "language": "sv"})
    assert status == 201
    process = json.loads(body)
    joins = {"id": process["id"], "key": process["key"]}

    # 1. Medarbetardialog VAD, joined to the process from its console.
    vad = server.create_meeting(plan="medarbetardialog-vad")
    console = roles.console(vad)
    console.get_by_test_id("process-id").fill(process["id"])
    console.get_by_test_id("process-key").fill(process["key"])
    console.get_by_test_id("process-step").select_option("vad")
    tap(console.get_by_test_id("process-submit"))
    expect(console.get_by_test_id("process-state")).to_contain_text(
        sv("console.process_in", title=TITLE, step=tr("sv", "Employee dialogue: WHAT"))
    )
    first, second = seated(roles, vad, "t1"), seated(roles, vad, "t2")
    goto_activity(console, "lagesbild")
    post_note(first, "Fler rån mot unga i centrum", column=0)
    expect(table_part(console, "t1")).to_contain_text("Fler rån mot unga i centrum")

    # Each table proposes focus areas and dots them.
    goto_activity(console, "fokusomraden")
    post_note(first, DARK, side="pain")
    post_note(first, MOPEDS, side="pain")
    post_note(first, "Bra samarbete med skolan", side="joy")
    post_note(second, DEALING, side="pain")
    expect(table_part(console, "t2")).not_to_contain_text(DARK)
    for table in ("t1", "t2"):  # each table goes on to the dots when it is ready
        set_phase(table_part(console, table), "dots")
    for phone, text in ((first, DARK), (first, DARK), (first, MOPEDS), (second, DEALING)):
        change_dot(phone, text, +1)

    # In plenary, everyone ranks the tables' points with most dots: the focus areas.
    goto_activity(console, "prioritera")
    for phone in (first, second):
        expect(phone.locator("[data-testid=rank-item] .rank-label")).to_have_text(
            [DARK, MOPEDS, DEALING]  # each table's, most dots first
        )
    tap(first.get_by_test_id("send-order"))  # as drawn
    for _ in range(2):
        tap(rank_row(second, DEALING).get_by_test_id("move-up"))
        expect(second.get_by_test_id("ranked")).to_have_attribute("data-state", "saved")
    expect(second.get_by_test_id("rank-item").first).to_contain_text(DEALING)
    # Borda: the dark tunnel 2 + 1 = 3, the dealing 0 + 2 = 2, the mopeds 1 + 0 = 1.
    expect(console.get_by_test_id("standing-i1")).to_have_attribute("data-score", "3")
    end_and_publish(console)

    # 2. Medborgardialog: pain and heart points with dots, statements; one note hidden.
    dialogue = server.create_meeting(plan="medborgardialog", process={**joins, "step": "dialogue"})
    console = roles.console(dialogue)
    one, two = roles.phone(dialogue), roles.phone(dialogue)
    goto_activity(console, "pain-joy")
    post_note(one, BUS_STOP, side="pain")
    post_note(two, HIDDEN, side="pain")
    post_note(two, "Fritidsgården på fredagar", side="joy")
    set_phase(console, "dots")
    for phone, text in ((one, HIDDEN), (one, HIDDEN), (one, BUS_STOP), (two, HIDDEN)):
        change_dot(phone, text, +1)
    change_dot(two, "Fritidsgården på fredagar", +1)
    console.on("dialog", lambda dialog: dialog.accept("Pekar ut en person"))
    hidden = console.get_by_test_id("mod-note").filter(has_text=HIDDEN)
    tap(hidden.get_by_test_id("hide"))
    expect(hidden).to_have_attribute("data-status", "hidden")
    for phone in (one, two):
        expect(dot_item(phone, HIDDEN)).to_have_count(0)

    goto_activity(console, "where-we-stand")
    for phone in (one, two):
        current = phone.get_by_test_id("current-statement")
        for n in range(1, 9):
            expect(current).to_have_attribute("data-statement", f"s{n}")
            tap(current.get_by_test_id("stance-agree" if n == 1 else "stance-pass"))
        expect(phone.get_by_test_id("statements-done")).to_be_visible()
    more_people_agree(server, dialogue["code"], "where-we-stand", "s1", 3)  # five answers
    end_and_publish(console)

    # 3. Problembeskrivning och orsaksanalys at one table: the form, whys one by one.
    analysis = server.create_meeting(plan="problemanalys", process={**joins, "step": "analysis"})
    console = roles.console(analysis)
    writer, other = seated(roles, analysis, "t1"), seated(roles, analysis, "t1")
    goto_activity(console, "fokus")
    vote(writer, "centrum")
    vote(other, "centrum")
    goto_activity(console, "analys")
    expect(writer.get_by_test_id("problem-phone")).to_contain_text(FOCUS)
    answer_problem(writer, "what", WHAT)
    answer_problem(writer, "where", "Torget och busstationen")
    answer_problem(writer, "when", "Fredag och lördag kväll")
    answer_problem(other, "offender", "Grupper av unga från hela kommunen")
    answer_problem(other, "target", "Handlarna och resenärer")
    options = writer.get_by_test_id("problem-go").locator("option")
    for level, why in enumerate(WHYS, start=1):
        expect(options).to_have_count(10 + level)  # the next why opens once this one is answered
        answer_problem(writer if level % 2 else other, f"why{level}", why)
    expect(options).to_have_count(15)  # five whys and no more
    answer_problem(other, "guardian", "Väktarna i köpcentret")
    answer_problem(other, "handler", "Fritidsledarna")
    answer_problem(other, "manager", "Fastighetsägaren och kommunen")
    at_table = table_part(console, "t1")
    for field in ("what", "where", "when", *(f"why{n}" for n in range(1, 6))):
        agree(at_table, field)
    end_and_publish(console)

    # 4. Medarbetardialog HUR: SMART activities proposed, supported and chosen at a table.
    hur = server.create_meeting(plan="medarbetardialog-hur", process={**joins, "step": "hur"})
    console = roles.console(hur)
    proposer, supporter = seated(roles, hur, "t1"), seated(roles, hur, "t1")
    goto_activity(console, "aktiviteter")
    for what, fields in ((CHOSEN, CHOSEN_FIELDS), (LEFT, {})):
        proposer.get_by_test_id("action-what").fill(what)
        for name, value in fields.items():
            proposer.get_by_test_id(f"action-{name}").fill(value)
        tap(proposer.get_by_test_id("action-submit"))
        expect(proposer.get_by_test_id("action-what")).to_have_value("")
    support = supporter.get_by_test_id("action").filter(has_text=CHOSEN)
    tap(support.get_by_test_id("action-support"))
    expect(support.get_by_test_id("action-support")).to_have_attribute("aria-pressed", "true")
    row = table_part(console, "t1").get_by_test_id("mod-action").filter(has_text=CHOSEN)
    tap(row.get_by_test_id("choose"))
    expect(support.get_by_test_id("action-chosen")).to_be_visible()
    end_and_publish(console)

    # 5. The draft citizen promise: with the process key only, its seven parts in Swedish.
    path = f"/api/processes/{process['id']}/promise.md"
    assert call(server, path)[0] == 401
    assert call(server, path, key="not-the-key")[0] == 403
    status, body = call(server, path, key=process["key"])
    assert status == 200
    promise = body.decode()
    parts = by_heading(promise)
    assert list(parts) == PARTS_SV
    situation, focus, activities, effects = (parts[heading] for heading in PARTS_SV[1:5])
    # The situation: each table's pain points and the citizens' with their dots, and the
    # statement all five agreed with; the hidden note nowhere, though it had the most dots.
    for point, dots in ((DARK, 2), (MOPEDS, 1), (DEALING, 1), (BUS_STOP, 1)):
        assert f"| {point} | {dots} |" in situation, point
    assert f"{AGREED} (100 %" in situation
    assert HIDDEN not in promise
    # The focus: the ranking's order with its Borda points, the agreed what and every why.
    for rank, point, score in ((1, DARK, 3), (2, DEALING, 2), (3, MOPEDS, 1)):
        assert f"| {rank} | {point} | {score} |" in focus, point
    assert WHAT in focus
    for level, why in enumerate(WHYS, start=1):
        assert f"| {level} | {why} |" in focus
    # The activities: the chosen one with its SMART fields; the one left is not in the promise.
    assert f"| {CHOSEN} | {' | '.join(CHOSEN_FIELDS.values())} |" in activities
    assert f"{CHOSEN}: {CHOSEN_FIELDS['indicator']}" in effects
    assert LEFT not in promise
    # The same draft from the HOW dialogue's console, as a download.
    with console.expect_download() as caught:
        tap(console.get_by_test_id("download-promise-md"))
    saved = tmp_path / "promise.md"
    caught.value.save_as(saved)
    assert saved.read_text(encoding="utf-8") == promise

    # 6. Follow-up: the organiser adds the chosen activity and a dated update.
    audit = Audit()
    organiser = roles.blank_console()
    organiser.goto(process["urls"]["organiser"])
    for step in ("vad", "dialogue", "analysis", "hur"):
        expect(
            organiser.get_by_test_id(f"step-{step}").get_by_test_id("process-meeting")
        ).to_have_count(1)
    expect(organiser.get_by_test_id("steps")).not_to_contain_text(HIDDEN)
    tap(organiser.get_by_test_id("import"))
    expect(organiser.get_by_test_id("import-said")).to_have_text(sv("process.imported", n=1))
    item = organiser.get_by_test_id("process-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(CHOSEN)
    tap(organiser.get_by_test_id("import"))  # each once
    expect(organiser.get_by_test_id("import-said")).to_have_text(sv("process.imported", n=0))
    expect(item).to_have_count(1)
    item.get_by_role("combobox").select_option("under_way")
    item.get_by_role("textbox").fill(UPDATE)
    tap(item.get_by_role("button", name=sv("process.save")))
    dated = re.escape(f" · {UPDATE}")  # after the day it was written
    expect(item.locator(".updates li")).to_have_text(re.compile(rf"^\d{{4}}-\d\d-\d\d{dated}$"))
    expect(item.locator(".status-badge")).to_have_text(tr("sv", "Under way"))
    audit.check("the process, followed up", organiser=organiser)
    # The promise's activities now name the follow-up's item too.
    activities = by_heading(call(server, path, key=process["key"])[1].decode())[PARTS_SV[3]]
    assert f"- {CHOSEN}\n" in activities

    # Everyone can see how it goes on the public follow-up page.
    follow = roles.blank_phone()
    follow.goto(process["urls"]["follow"])
    followed = follow.get_by_test_id("follow-item")
    expect(followed).to_contain_text(CHOSEN)
    expect(followed.get_by_test_id("follow-status")).to_have_text(tr("sv", "Under way"))
    expect(followed.locator(".updates li")).to_have_text(
        re.compile(rf"^\d\d\.\d\d\.\d{{4}}{dated}$")
    )
    expect(follow.get_by_test_id("follow-meeting")).to_have_count(4)
    expect(follow.locator("body")).not_to_contain_text(HIDDEN)
    audit.check("the public follow-up", follow=follow)
    audit.expect_none()
