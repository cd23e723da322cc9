"""The meeting plans shipped in `sessions/`: each parses cleanly and speaks every UI language."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitate.core.plan import (
    ActivitySpec,
    Plan,
    PlanError,
    parse_plan,
    plan_from_dict,
)
from facilitate.core.text import UI_LANGUAGES, Text

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = ROOT / "sessions"
PLAN_FILES = sorted(SESSIONS.glob("*.toml"))
REQUIRED = ("youth-workshop.toml", "folkemote.toml")
MAIN_LANGUAGE = {
    "youth-workshop.toml": "nb",
    "folkemote.toml": "nb",
    "user-test.toml": "nb",
    "medborgardialog.toml": "sv",
    "medarbetardialog-vad.toml": "sv",
    "problemanalys.toml": "sv",
    "medarbetardialog-hur.toml": "sv",
    "dialogmote.toml": "nb",
    "namdal-workshop.toml": "nb",
    "folkemote-panel.toml": "nb",
}

every_plan = pytest.mark.parametrize("path", PLAN_FILES, ids=[p.name for p in PLAN_FILES])


def load(path: Path) -> Plan:
    try:
        return parse_plan(path.read_text(encoding="utf-8"))
    except PlanError as exc:  # show every problem, with its line
        pytest.fail(f"{path.name}:\n" + "\n".join(str(p) for p in exc.problems))


def texts(plan: Plan) -> Iterator[tuple[str, Text]]:
    """Every text in the plan, named by where it sits."""
    yield "title", plan.title
    if plan.description:
        yield "description", plan.description
    for spec in plan.activities:
        yield from activity_texts(spec)


def activity_texts(spec: ActivitySpec) -> Iterator[tuple[str, Text]]:
    yield f"{spec.id}.title", spec.title
    if spec.text:
        yield f"{spec.id}.text", spec.text
    for option in getattr(spec.settings, "options", ()):
        yield f"{spec.id}.options.{option.id}", option.text
    for number, column in enumerate(getattr(spec.settings, "columns", ())):
        yield f"{spec.id}.columns[{number}]", column


def test_the_required_plans_exist() -> None:
    names = {p.name for p in PLAN_FILES}
    for name in REQUIRED:
        assert name in names, f"sessions/{name} is missing"


@every_plan
def test_plan_parses_without_problems(path: Path) -> None:
    plan = load(path)
    assert plan.activities
    assert plan.description, "say in `description` who the plan is for and how long it takes"


@every_plan
def test_every_text_has_every_ui_language(path: Path) -> None:
    plan = load(path)
    missing = [
        f"{where}: no {', '.join(lang for lang in UI_LANGUAGES if not text.get(lang))}"
        for where, text in texts(plan)
        if not all(text.get(lang) for lang in UI_LANGUAGES)
    ]
    assert not missing, "\n".join(missing)


@every_plan
def test_texts_have_no_stray_whitespace_or_backslashes(path: Path) -> None:
    # A forgotten space before a line-continuing backslash glues words; a doubled one shows.
    plan = load(path)
    for where, text in texts(plan):
        for lang, value in text.items():
            assert "  " not in value, f"{where}.{lang} has a double space: {value!r}"
            assert "\\" not in value, f"{where}.{lang} has a backslash: {value!r}"


@every_plan
def test_main_language_is_set(path: Path) -> None:
    plan = load(path)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert "language" in data, "set the plan's main language explicitly"
    assert plan.language in UI_LANGUAGES
    if path.name in MAIN_LANGUAGE:
        assert plan.language == MAIN_LANGUAGE[path.name]


@every_plan
def test_every_activity_has_an_explicit_readable_id(path: Path) -> None:
    # Ids name the activities in the record and the minutes; the fallback "poll-3" would change
    # meaning whenever an activity is added above it.
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for index, item in enumerate(data["activities"]):
        assert "id" in item, f"activity {index + 1} ({item.get('kind')}) has no id"
    for spec in load(path).activities:
        for option in getattr(spec.settings, "options", ()):
            assert not (option.id.startswith("o") and option.id[1:].isdigit()), (
                f"{spec.id}: give option {option.id} a readable id"
            )


@every_plan
def test_painjoy_texts_state_the_dot_numbers(path: Path) -> None:
    # The text tells participants how many dots they have; it must match the settings.
    for spec in load(path).activities:
        if spec.kind != "painjoy":
            continue
        for lang, value in spec.text.items():
            for number in {spec.settings.pain_dots, spec.settings.joy_dots, spec.settings.dot_cap}:
                assert str(number) in value, f"{spec.id}.text.{lang} does not mention {number}"


@every_plan
def test_plan_survives_the_round_trip_through_the_record(path: Path) -> None:
    plan = load(path)
    assert plan_from_dict(plan.to_dict()) == plan


@every_plan
def test_plan_ends_by_saying_what_happens_next(path: Path) -> None:
    # Feedback is half of the product: the last slide tells people what comes of their input.
    plan = load(path)
    assert plan.activities[0].kind == "info"
    assert plan.activities[-1].kind == "info"
    assert plan.activities[-1].text


def kinds(plan: Plan) -> set[str]:
    return {spec.kind for spec in plan.activities}


def test_youth_workshop_has_the_workshop_steps() -> None:
    plan = load(SESSIONS / "youth-workshop.toml")
    assert plan.language == "nb"
    assert kinds(plan) == {"info", "poll", "notes", "painjoy", "ranking"}
    assert any(s.kind == "notes" and s.settings.columns for s in plan.activities), (
        "notes with columns"
    )
    painjoy = [s for s in plan.activities if s.kind == "painjoy"]
    assert painjoy
    for spec in painjoy:
        assert (spec.settings.pain_dots, spec.settings.joy_dots, spec.settings.dot_cap) == (3, 3, 2)
    future = plan.activity("future-dream")
    assert future is not None and future.kind == "notes"
    assert "tre år" in future.text["nb"]
    assert plan.activity("welcome") is not None
    assert "anonym" in plan.activity("welcome").text["nb"]
    # What should we do first: the pain points with most dots, ranked after the dots.
    first = plan.activity("do-first")
    assert first is not None and first.kind == "ranking"
    assert (first.settings.items_from.activity, first.settings.items_from.top) == ("heart-pain", 5)
    ids = [s.id for s in plan.activities]
    assert ids.index("do-first") == ids.index("heart-pain") + 1


def test_folkemote_has_the_meeting_steps() -> None:
    plan = load(SESSIONS / "folkemote.toml")
    assert plan.language == "nb"
    assert kinds(plan) == {"info", "poll", "notes", "painjoy", "matrix", "qa"}
    panel = plan.activity("panel")
    assert panel is not None and panel.kind == "qa" and panel.settings.moderated
    assert set(panel.text) == set(panel.title) == {"nb", "nn", "sv", "en"}
    reveal = [s for s in plan.activities if s.kind == "poll" and s.results == "reveal"]
    assert reveal, "a poll with results = reveal"
    safety = plan.activity("safety-poll")
    assert safety is not None and safety.kind == "poll"
    assert safety.results == "reveal"
    assert not safety.settings.multiple
    assert 4 <= len(safety.settings.options) <= 5
    assert any(
        s.kind == "painjoy" and s.settings.pain_dots and s.settings.joy_dots
        for s in plan.activities
    )
    closing = plan.activities[-1].text["nb"]
    assert "kommunen" in closing and "innbyggerløfter" in closing
    # Effort and effect: the five most dotted pain points, placed by the room.
    ids = [s.id for s in plan.activities]
    matrix = plan.activity("effort-effect")
    assert matrix is not None and matrix.kind == "matrix"
    assert ids.index("effort-effect") == ids.index("pain-joy") + 1
    assert (matrix.settings.items_from.activity, matrix.settings.items_from.top) == ("pain-joy", 5)
    assert matrix.settings.x.label["nb"] == "Innsats" and matrix.settings.y.label["nb"] == "Effekt"


def test_user_test_asks_for_three_words_shown_once_everyone_has_answered() -> None:
    plan = load(SESSIONS / "user-test.toml")
    words = plan.activity("first-words")
    assert words is not None and words.kind == "wordcloud"
    assert (words.settings.max_words, words.settings.hold_personal) == (3, True)
    assert words.results == "reveal"
    assert set(words.title) == set(words.text) == {"nb", "nn", "sv", "en"}
