"""The draft citizen promise as a model: its parts, the kinds' contributions, the marks."""

from __future__ import annotations

from typing import Any

import pytest
from babel.support import Translations

from facilitate import demo, plans
from facilitate.core import record as records
from facilitate.core.blocks import Context, Heading, Paragraph
from facilitate.core.kinds import KINDS
from facilitate.core.kinds.base import PROMISE_PARTS
from facilitate.export.model import words
from facilitate.export.promise import PARTS, Source, draft
from facilitate.export.promise_formats import promise_markdown
from facilitate.settings import Settings

SESSIONS = Settings().sessions_dir


def test_a_draft_without_meetings_has_every_part_with_what_to_write(
    catalogs: dict[str, Translations],
) -> None:
    made = draft("Löfte", "", "en", [], catalogs["en"].gettext)
    assert [part.key for part in made.parts] == list(PARTS)
    for part in made.parts:
        marks = [
            b for b in part.blocks if isinstance(b, Paragraph) and b.text.startswith("[Write: ")
        ]
        assert len(marks) == 1, part.key
    assert "[Skriv: " in promise_markdown(draft("Löfte", "", "sv", [], catalogs["sv"].gettext))


@pytest.mark.parametrize("plan_name", [s.name for s in plans.available(SESSIONS)])
def test_every_kinds_contribution_goes_to_a_promise_part_under_its_title(
    plan_name: str, catalogs: dict[str, Translations]
) -> None:
    plan = plans.load(SESSIONS, plan_name)
    assert plan is not None
    public = records.public(records.build(demo.build(plan, "123456", participants=15)))
    w = words(catalogs[plan.language].gettext)
    context = Context(w, lambda t: (t or {}).get(plan.language, ""), lambda iso: None)
    for entry in public["activities"]:
        for contribution in KINDS[entry["kind"]].promise(entry, context):
            assert contribution.part in PROMISE_PARTS
            first, *rest = contribution.blocks
            assert isinstance(first, Heading) and rest


def test_the_draft_of_a_demo_meeting_gives_the_situation_and_the_focus(
    catalogs: dict[str, Translations],
) -> None:
    plan = plans.load(SESSIONS, "youth-workshop")
    assert plan is not None
    public: dict[str, Any] = records.public(records.build(demo.build(plan, "123456")))
    made = draft("Löfte", "", "nb", [Source(public, "dialogue")], catalogs["nb"].gettext)
    parts = {part.key: part for part in made.parts}
    assert any(isinstance(b, Heading) and b.level == 1 for b in parts["situation"].blocks)


def test_the_draft_of_a_round_table_meeting_gives_each_tables_top_priorities(
    catalogs: dict[str, Translations],
) -> None:
    plan = plans.load(SESSIONS, "dialogmote")
    assert plan is not None and plan.tables
    built = records.build(demo.build(plan, "123456"))
    public: dict[str, Any] = records.public(built)
    made = draft("Løfte", "", "nb", [Source(public, "dialogue")], catalogs["nb"].gettext)
    situation = promise_markdown(made)
    tabled = [a for a in public["activities"] if "parts" in a and a["kind"] == "painjoy"]
    assert tabled, "the plan has pain and heart points per table"
    title = tabled[0]["title"]["nb"]
    for number, part in enumerate(tabled[0]["parts"], start=1):
        top = part["ranking"]["pain"][0]["text"]
        assert top in situation  # every table's top pain point reaches the draft
        assert f"{title} – Bord {number}" in situation  # said which table's it is


def test_the_draft_takes_the_focus_area_and_the_chosen_activities_with_their_indicators(
    record: dict[str, Any], catalogs: dict[str, Translations]
) -> None:
    """The sample meeting's problem description gives the focus area (its agreed what, where,
    when and whys) and its SMART builder the chosen activity with its period, indicator and who
    is responsible; a proposal not chosen, or hidden, is not in the draft."""
    public: dict[str, Any] = records.public(record)
    made = draft("Löfte", "", "nb", [Source(public, "dialogue")], catalogs["nb"].gettext)
    text = promise_markdown(made)
    parts = {part.key: promise_markdown_part(part) for part in made.parts}
    assert "Gangveiene rundt skolen er for dårlig opplyst" in parts["focus"]
    assert "Lyktene er ødelagt" in parts["focus"]  # the first agreed why
    for value in ("Nattvandring fredagar vid Torget", "mars–juni 2027", "Föreningen Nattvandrarna"):
        assert value in parts["activities"]
    assert "antal kvällar med vuxna ute" in parts["effects"]
    assert "Mer lys" not in parts["activities"]  # proposed, not chosen
    assert "SKJULT aktivitet" not in text and "Ring Ola Nordmann" not in text
    entry = next(a for a in public["activities"] if a["kind"] == "actions")
    context = Context(
        words(catalogs["nb"].gettext), lambda value: (value or {}).get("nb", ""), lambda _: None
    )
    assert KINDS["actions"].commitments(entry, context) == ["Nattvandring fredagar vid Torget"]


def promise_markdown_part(part: Any) -> str:
    """One part of a draft as text: its blocks' words, for looking things up."""
    return repr(part.blocks)
