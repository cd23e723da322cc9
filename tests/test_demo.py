"""`facilitate demo`: a realistic meeting in the log, so every screen and export has content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitate import demo, plans, store
from facilitate.cli import cli
from facilitate.core import record
from facilitate.export.model import minutes
from facilitate.settings import Settings


def _log(db_path: Path, code: str) -> list:  # type: ignore[type-arg]
    db = store.open_database(db_path)
    try:
        return [item.event for item in db.events(code)]
    finally:
        db.close()


def test_when_a_demo_is_made_then_it_shows_every_part_of_a_meeting(tmp_path: Path) -> None:
    made = demo.create(tmp_path / "demo.db", Settings().sessions_dir, "folkemote")
    built = record.build(_log(tmp_path / "demo.db", made.created.code))
    assert built["participants"]["joined"] == 40
    kinds = {a["kind"] for a in built["activities"]}
    assert kinds == {"info", "poll", "notes", "painjoy", "matrix", "qa"}
    notes = [n for a in built["activities"] for n in a.get("notes", [])]
    withheld = [n for a in built["activities"] for n in a.get("moderation", [])]
    assert any(n["status"] == "hidden" and n["reason"] for n in withheld)
    assert any(n["status"] == "merged" for n in notes)
    pain_joy = next(a for a in built["activities"] if a["kind"] == "painjoy")
    assert pain_joy["dots_placed"] > 100
    matrix = next(a for a in built["activities"] if a["kind"] == "matrix")
    top_pain = [i["text"] for i in pain_joy["ranking"]["pain"][:5]]
    assert [p["text"]["nb"] for p in matrix["positions"]] == top_pain
    assert matrix["raters"] > 20 and all(p["n"] > 10 for p in matrix["positions"])
    poll = next(a for a in built["activities"] if a["kind"] == "poll")
    assert poll["tally"]["voters"] > 20
    panel = next(a for a in built["activities"] if a["kind"] == "qa")
    assert sum(q["votes"] for q in panel["questions"]) > 20
    assert [q["answer"] for q in panel["questions"] if q["answered"]][:1] != [""]
    assert {q["status"] for q in panel["moderation"]} == {"hidden", "withdrawn"}
    assert built["decisions"] and built["questions"] and built["next_steps"]
    assert len(built["followups"]) == 2
    assert built["meeting"]["published"] and built["meeting"]["ended_at"]


def test_when_the_same_seed_is_used_then_the_same_meeting_is_made() -> None:
    plan = plans.load(Settings().sessions_dir, "youth-workshop")
    assert plan is not None
    first, second = demo.build(plan, "123456", seed=7), demo.build(plan, "123456", seed=7)
    assert [e.to_dict() for e in first] == [e.to_dict() for e in second]


def test_when_demo_runs_from_the_command_line_then_it_prints_the_links(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "demo",
            "--db",
            str(tmp_path / "d.db"),
            "--plan",
            "youth-workshop",
            "--participants",
            "12",
        ],
    )
    assert result.exit_code == 0, result.output
    code = re.search(r"Demo meeting (\d{6})", result.output).group(1)  # type: ignore[union-attr]
    assert f"/{code}/console#key=" in result.output
    exported = CliRunner().invoke(cli, ["export", code, "--db", str(tmp_path / "d.db")])
    assert exported.exit_code == 0 and "Ungdomsklubben på fredager" in exported.output


def test_when_the_plan_does_not_exist_then_demo_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--db", str(tmp_path / "d.db"), "--plan", "nope"])
    assert result.exit_code != 0 and "no plan called 'nope'" in result.output


def test_when_the_user_test_is_demonstrated_then_its_word_cloud_hides_a_name() -> None:
    plan = plans.load(Settings().sessions_dir, "user-test")
    assert plan is not None
    built = record.build(demo.build(plan, "123456", seed=7))
    cloud = next(a for a in built["activities"] if a["kind"] == "wordcloud")
    assert cloud["responders"] > 20 and cloud["words"][0]["count"] > 5
    assert {w["text"] for w in cloud["words"]} <= {word for word, _ in demo.FIRST_WORDS}
    assert [(w["text"], w["status"]) for w in cloud["moderation"]] == [
        ("Kari Hansen", "hidden"),
        ("Dritt", "hidden"),
    ]


@pytest.mark.parametrize(
    "name", [s.name for s in plans.available(Settings().sessions_dir)], ids=str
)
def test_when_any_shipped_plan_is_demonstrated_then_every_activity_gets_input(
    tmp_path: Path, name: str
) -> None:
    """Round-table plans too: the demo's people sit round the tables, and each table's part of
    an activity answered per table gets its own input."""
    made = demo.create(tmp_path / "demo.db", Settings().sessions_dir, name)
    built = record.build(_log(tmp_path / "demo.db", made.created.code))
    for activity in built["activities"]:
        if "responders" in activity:
            assert activity["responders"] > 0, activity["id"]
        for part in activity.get("parts", []):
            assert part["responders"] > 0, (activity["id"], part["table"])
    minutes(built, lambda message: message)  # every part renders
