"""Every activity kind goes through the registry of kind modules (static/js/kinds.js) on every
page: the phone's input, the result on the screen, the console and the public results page."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from facilitate.core.kinds import KINDS
from facilitate.settings import ROOT

from .helpers import (
    Roles,
    change_dot,
    goto_activity,
    note_with_text,
    post_note,
    said,
    set_phase,
    tally,
    tap,
    vote,
)

MakeMeeting = Callable[..., dict[str, Any]]
NOTE = "Lys i parken"
PAIN = "Mørk undergang"

AGENDA = {
    "title": "Alle slag",
    "language": "nb",
    "activities": [
        {"kind": "info", "id": "welcome", "title": "Velkommen"},
        {
            "kind": "poll",
            "id": "safe",
            "title": "Trygg?",
            "options": ["Ja", "Nei"],
            "none_option": True,
        },
        {"kind": "notes", "id": "ideas", "title": "Hva bør endres?"},
        {"kind": "painjoy", "id": "points", "title": "Smerte og hjerte"},
        {
            "kind": "statements",
            "id": "claims",
            "title": "Enig?",
            "statements": ["Mer lys", "Flere vakter"],
        },
        {"kind": "scale", "id": "agree", "title": "Enig?", "items": ["Trygt her"]},
        {
            "kind": "matrix",
            "id": "effort",
            "title": "Innsats og effekt",
            "items_from": {"activity": "points", "top": 2},
            "x": {"label": "Innsats"},
            "y": {"label": "Effekt"},
        },
        {"kind": "qa", "id": "floor", "title": "Spørsmål fra salen", "moderated": False},
        {"kind": "ranking", "id": "order", "title": "Hva først?", "items": ["Lys", "Vakter"]},
        {"kind": "points", "id": "spend", "title": "Fordel", "items": ["Lys", "Vakter"]},
        {"kind": "wordcloud", "id": "words", "title": "Ett ord om sentrum", "max_words": 2},
        {
            "kind": "problem",
            "id": "cause",
            "title": "Problemet",
            "items_from": {"activity": "words", "top": 1},
            "whys": 2,
        },
        {"kind": "actions", "id": "how", "title": "Hva gjør vi?"},
        {
            "kind": "about",
            "id": "you",
            "title": "Litt om deg",
            "profile": [{"id": "age", "text": "Alder", "options": ["Under 30", "30 eller eldre"]}],
        },
    ],
}
QUESTION = "Hvem rydder gangstien?"
WORD = "Mørkt"
WHERE = "Ved Kiwi"
ACTION = "Natteravner fredag"


# The kinds with a module of their own in the front end. A kind without one is drawn as a plain
# activity (its title and text); each kind's module joins this test with an activity above.
DRAWN = {kind for kind in KINDS if (ROOT / "static" / "js" / "kinds" / f"{kind}.js").exists()}


def listed_kinds(page: Page) -> dict[str, str]:
    """The kind modules the page lists for the registry."""
    return dict(json.loads(page.locator("#kinds").text_content() or "{}"))


def test_every_kind_is_drawn_by_its_module_from_phone_to_results_page(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    assert {a["kind"] for a in AGENDA["activities"]} == DRAWN  # a new kind joins here
    meeting = make_meeting(**AGENDA)
    screen, console, phone = roles.screen(meeting), roles.console(meeting), roles.phone(meeting)
    for page in (screen, console, phone):
        assert set(listed_kinds(page)) == DRAWN
        for kind, url in listed_kinds(page).items():
            assert url.endswith(f"/static/js/kinds/{kind}.js")
            # The phone preloads none in the lobby: each comes when its activity is shown.
            preloads = 0 if page is phone else 1
            expect(page.locator(f'link[rel=modulepreload][href="{url}"]')).to_have_count(preloads)

    # info: a text slide; nothing to answer, no input controls, no results.
    goto_activity(console, "welcome")
    expect(phone.locator("[data-kind=info]")).to_contain_text(said("nb", "phone.info"))
    expect(console.get_by_test_id("toggle-open")).to_have_count(0)
    expect(screen.locator("[data-activity=welcome]")).to_be_visible()
    expect(screen.get_by_test_id("results-hidden")).to_have_count(0)

    # poll: the phone's answer, the bars on the screen and the console.
    goto_activity(console, "safe")
    vote(phone, "o1")
    for page in (screen, console, phone):
        expect(tally(page, "o1")).to_have_attribute("data-count", "1")
        expect(tally(page, "none")).to_have_attribute("data-count", "0")

    # notes: the phone's note form, the wall on the screen, the moderation list.
    goto_activity(console, "ideas")
    post_note(phone, NOTE)
    expect(note_with_text(screen, NOTE)).to_have_count(1)
    expect(note_with_text(console, NOTE, "mod-note")).to_have_count(1)

    # pain/joy points: a side on the phone, its wall, the phase switch, dots, the ranking.
    goto_activity(console, "points")
    post_note(phone, PAIN, side="pain")
    expect(note_with_text(screen.get_by_test_id("wall-pain"), PAIN)).to_have_count(1)
    expect(note_with_text(console, PAIN, "mod-note")).to_contain_text(said("nb", "phone.pain"))
    set_phase(console, "dots")
    change_dot(phone, PAIN, +1)
    for page in (screen, console):
        ranked = page.get_by_test_id("ranking-pain").locator("li", has_text=PAIN)
        expect(ranked.get_by_test_id("dots")).to_have_text(said("nb", "results.dots", n=1))

    # scale: a row of numbers per statement, a column chart per statement.
    goto_activity(console, "agree")
    tap(phone.get_by_test_id("rate-item").get_by_test_id("rate-4"))
    for page in (screen, console, phone):
        expect(page.get_by_test_id("score")).to_have_attribute("data-mean", "4")

    # matrix: the pain point carried over, placed on both scales, a point on the plot.
    goto_activity(console, "effort")
    item = phone.get_by_test_id("place-item")
    expect(item.locator("legend")).to_have_text(PAIN)
    tap(item.get_by_test_id("x-1"))
    tap(item.get_by_test_id("y-5"))
    for page in (screen, console, phone):
        expect(page.get_by_test_id("position")).to_have_attribute("data-quadrant", "top_left")

    # questions from the floor: asked on the phone, listed on the screen and in the console.
    goto_activity(console, "floor")
    area = phone.get_by_test_id("note-text")
    area.fill(QUESTION)
    tap(phone.get_by_test_id("post-note"))
    expect(area).to_have_value("")
    listed = screen.get_by_test_id("qa-question").filter(has_text=QUESTION)
    expect(listed.get_by_test_id("qa-votes")).to_have_text(said("nb", "results.qa_votes", n=0))
    expect(console.get_by_test_id("qa-list")).to_contain_text(QUESTION)
    # ranking: the phone's order, the Borda bars on the screen and the console.
    goto_activity(console, "order")
    tap(phone.get_by_test_id("rank-item").filter(has_text="Vakter").get_by_test_id("move-up"))
    expect(phone.get_by_test_id("ranked")).to_have_attribute("data-state", "saved")
    for page in (screen, console):
        expect(page.get_by_test_id("standing-i2")).to_have_attribute("data-rank", "1")

    # points: the phone's steppers, the totals on the screen and the console.
    goto_activity(console, "spend")
    tap(phone.get_by_test_id("points-item").filter(has_text="Lys").get_by_test_id("more"))
    expect(phone.get_by_test_id("allotted")).to_have_attribute("data-state", "saved")
    for page in (screen, console):
        expect(page.get_by_test_id("total-i1")).to_have_attribute("data-points", "5")

    # statements: one statement at a time on the phone, its answers on the screen and console.
    goto_activity(console, "claims")
    tap(phone.get_by_test_id("current-statement").get_by_test_id("stance-agree"))
    expect(phone.get_by_test_id("statement-text")).to_have_text("Flere vakter")
    for page in (screen, console):
        expect(page.get_by_test_id("opinions")).to_be_visible()
    answers = console.locator("[data-testid=statement-result][data-statement=s1]")
    expect(answers).to_have_attribute("data-agree", "1")

    # word cloud: a field per word on the phone, the cloud on the screen, the console's list.
    goto_activity(console, "words")
    field = phone.get_by_test_id("word-form").locator("input").first
    expect(field).to_be_enabled()
    field.fill(WORD)
    tap(phone.get_by_test_id("send-words"))
    expect(phone.get_by_test_id("words-state")).to_have_attribute("data-state", "saved")
    expect(screen.get_by_test_id("cloud-word")).to_have_text(WORD)
    expect(console.get_by_test_id("mod-word")).to_have_attribute("data-count", "1")

    # problem: the word cloud's top word is the starting point; one question at a time on the
    # phone, the triangle on the screen, the answer to agree on in the console.
    goto_activity(console, "cause")
    expect(phone.get_by_test_id("problem-phone")).to_contain_text(WORD)
    phone.get_by_test_id("problem-go").select_option("where")
    step = phone.locator("[data-testid=problem-step][data-field=where]")
    step.get_by_test_id("problem-text").fill(WHERE)
    tap(step.get_by_test_id("problem-add"))
    expect(step.get_by_test_id("problem-own")).to_have_attribute("data-status", "visible")
    place = screen.locator("[data-testid=problem-corner][data-corner=place]")
    expect(place.get_by_test_id("problem-suggested")).to_have_text(WHERE)
    where = console.locator("[data-testid=problem-field][data-field=where]")
    tap(where.get_by_test_id("problem-agree"))
    expect(place.get_by_test_id("problem-agreed")).to_contain_text(WHERE)
    # activities (SMART): proposed on the phone, a card on the screen, chosen in the console.
    goto_activity(console, "how")
    phone.get_by_test_id("action-what").fill(ACTION)
    phone.get_by_test_id("action-when").fill("mars–juni")
    tap(phone.get_by_test_id("action-submit"))
    expect(phone.get_by_test_id("action-what")).to_have_value("")
    card = screen.get_by_test_id("action").filter(has_text=ACTION)
    expect(card.locator("[data-criterion=time_bound]")).to_have_attribute("data-state", "met")
    expect(card.locator("[data-criterion=specific]")).to_have_attribute("data-state", "missing")
    tap(console.get_by_test_id("mod-action").filter(has_text=ACTION).get_by_test_id("choose"))
    expect(card.get_by_test_id("action-chosen")).to_be_visible()

    # about you: a tap answers; nothing is shown while open, and under five never.
    goto_activity(console, "you")
    option = phone.get_by_test_id("about-option").first
    tap(option)
    expect(option).to_have_attribute("aria-pressed", "true")
    expect(console.get_by_test_id("about-results")).to_have_count(0)
    tap(console.get_by_test_id("toggle-open"))
    for page in (screen, console):
        expect(page.get_by_test_id("about-too-few")).to_have_text(said("nb", "about.too_few", k=5))

    # The public results page draws the record with the same modules.
    tap(console.get_by_test_id("end-meeting"))
    tap(console.get_by_test_id("publish"))
    expect(phone.get_by_test_id("see-results")).to_be_visible()
    phone.get_by_test_id("see-results").click()
    expect(phone.get_by_test_id("results-title")).to_be_visible()
    assert set(listed_kinds(phone)) <= DRAWN
    expect(phone.get_by_test_id("result-welcome")).to_be_hidden()  # nothing counted there
    safe = phone.get_by_test_id("result-safe")
    expect(tally(phone, "o1")).to_have_attribute("data-count", "1")
    expect(safe.get_by_test_id("voters")).to_have_text(said("nb", "results.votes", n=1))
    note = note_with_text(phone.get_by_test_id("result-ideas"), NOTE)
    expect(note.locator(".sticky-text")).to_have_attribute("dir", "auto")
    ranked = phone.get_by_test_id("result-points").get_by_test_id("ranking-pain")
    expect(ranked.locator("li", has_text=PAIN).get_by_test_id("dots")).to_have_text(
        said("nb", "results.dots", n=1)
    )
    expect(phone.get_by_test_id("result-agree").get_by_test_id("score")).to_have_attribute(
        "data-mean", "4"
    )
    placed = phone.get_by_test_id("result-effort").get_by_test_id("position")
    expect(placed).to_contain_text(PAIN)
    expect(placed).to_have_attribute("data-quadrant", "top_left")
    expect(phone.get_by_test_id("result-claims").get_by_test_id("opinions")).to_be_visible()
    cloud = phone.get_by_test_id("result-words")
    expect(cloud.get_by_test_id("cloud-word")).to_have_text(WORD)
    expect(cloud.get_by_test_id("word-list")).to_contain_text(WORD)

    asked = phone.get_by_test_id("result-floor").get_by_test_id("qa-question")
    expect(asked.locator(".question-text")).to_have_text(QUESTION)
    expect(asked.locator(".question-text")).to_have_attribute("dir", "auto")
    order = phone.get_by_test_id("result-order").get_by_test_id("standing-i2")
    expect(order).to_contain_text(said("nb", "results.points", n=1))
    spend = phone.get_by_test_id("result-spend").get_by_test_id("total-i1")
    expect(spend).to_contain_text("100%")
    cause = phone.get_by_test_id("result-cause")
    expect(cause.locator("[data-corner=place]").get_by_test_id("problem-agreed")).to_contain_text(
        WHERE
    )
    you = phone.get_by_test_id("result-you")
    expect(you.get_by_test_id("about-too-few")).to_be_visible()
    expect(you).not_to_contain_text("Under 30")
    chosen = phone.get_by_test_id("result-how").get_by_test_id("actions-chosen")
    expect(chosen).to_contain_text(ACTION)
    expect(chosen.locator("td[dir=auto]").first).to_have_text(ACTION)


def test_without_scripts_the_results_page_still_lists_every_activity(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(**AGENDA)
    console = roles.console(meeting)
    tap(console.get_by_test_id("end-meeting"))
    tap(console.get_by_test_id("publish"))
    expect(console.get_by_test_id("account-state")).to_contain_text(meeting["join_url"])
    reader = roles.browser.new_context(java_script_enabled=False).new_page()
    reader.goto(f"{meeting['join_url']}/results")
    for activity in AGENDA["activities"]:
        expect(reader.get_by_test_id(f"result-{activity['id']}")).to_contain_text(
            str(activity["title"])
        )
    reader.context.close()
