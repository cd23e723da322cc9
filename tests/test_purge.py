"""`facilitate purge --older-than DAYS [--dry-run] --db PATH` on a database the app has written.

Meetings are held through the app with its clock turned back, so their events carry old times;
the server is stopped before purging, as the command's help asks.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import create_meeting
from starlette.testclient import TestClient
from web.helpers import Peers

from facilitate.app import create_app
from facilitate.cli import cli
from facilitate.settings import Settings

DAY = 86400.0


def turned_back(client: TestClient, days: float) -> None:
    """From now on the app's meetings think it is `days` days ago."""

    def clock() -> float:
        return time.time() - days * DAY

    client.app_state["meetings"].clock = clock


def hold(client: TestClient, title: str, note: str, meeting: dict[str, Any] | None = None) -> Any:
    """Create a meeting (unless given one), show the notes question and post a note."""
    created = meeting or create_meeting(client, plan="folkemote", title=title)
    peers = Peers(client, created)
    try:
        console = peers.console()
        console.ok("goto", activity="where-when")
        peers.phone().ok("note", activity="where-when", text=note, column=0)
    finally:
        peers.close_all()
    return created


@pytest.fixture
def held(settings: Settings) -> dict[str, dict[str, Any]]:
    """Four meetings: two idle for long, one old but used today, one new; the server stopped."""
    with TestClient(create_app(settings)) as client:
        turned_back(client, 200)
        ancient = hold(client, "Gammelt møte", "Hemmelig lapp fra i fjor")
        revived = hold(client, "Gammelt, men levende", "Første lapp")
        turned_back(client, 100)
        stale = hold(client, "Halvgammelt møte", "Lapp fra i vår")
        turned_back(client, 0)
        hold(client, "", "Lapp fra i dag", meeting=revived)
        fresh = hold(client, "Nytt møte", "Ny lapp")
    return {"ancient": ancient, "stale": stale, "revived": revived, "fresh": fresh}


def purge(db_path: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["purge", *args, "--db", str(db_path)])


def export(db_path: Path, code: str) -> Any:
    return CliRunner().invoke(cli, ["export", code, "--format", "json", "--db", str(db_path)])


def exported(db_path: Path, code: str) -> dict[str, Any]:
    result = export(db_path, code)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def on_disk(db_path: Path) -> bytes:
    """Every byte of the database, its write-ahead log and shared memory included."""
    return b"".join(
        path.read_bytes()
        for path in (db_path, db_path.with_name(db_path.name + "-wal"))
        if path.exists()
    )


def test_when_purge_is_a_dry_run_then_it_lists_the_idle_meetings_and_keeps_them(
    held: dict[str, dict[str, Any]], db_path: Path
) -> None:
    before = {name: exported(db_path, m["code"]) for name, m in held.items()}
    result = purge(db_path, "--older-than", "90", "--dry-run")
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.splitlines()) == sorted(
        [
            f"would delete {held['ancient']['code']}  Gammelt møte",
            f"would delete {held['stale']['code']}  Halvgammelt møte",
        ]
    )
    assert result.stderr == "2 meeting(s) to delete\n"
    assert {name: exported(db_path, m["code"]) for name, m in held.items()} == before


def test_when_purge_runs_then_only_meetings_idle_for_longer_are_deleted(
    held: dict[str, dict[str, Any]], db_path: Path
) -> None:
    kept = {name: exported(db_path, held[name]["code"]) for name in ("revived", "fresh")}
    assert b"Hemmelig lapp fra i fjor" in on_disk(db_path)

    result = purge(db_path, "--older-than", "90")
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.splitlines()) == sorted(
        [
            f"deleted {held['ancient']['code']}  Gammelt møte",
            f"deleted {held['stale']['code']}  Halvgammelt møte",
        ]
    )
    assert result.stderr == "2 meeting(s) deleted\n"

    for name in ("ancient", "stale"):
        code = held[name]["code"]
        gone = export(db_path, code)
        assert gone.exit_code == 1, gone.output
        assert gone.stderr == f"Error: no meeting with code '{code}' in {db_path}\n"
    # the old but revived meeting counts from its last input, not from its creation
    assert {name: exported(db_path, held[name]["code"]) for name in kept} == kept
    texts = [n["text"] for a in kept["revived"]["activities"] for n in a.get("notes", [])]
    assert texts == ["Første lapp", "Lapp fra i dag"]
    # the deleted text has left the file (VACUUM), not just the index
    assert b"Hemmelig lapp fra i fjor" not in on_disk(db_path)
    assert "Gammelt møte".encode() not in on_disk(db_path)


def test_when_purge_runs_again_then_there_is_nothing_left_to_delete(
    held: dict[str, dict[str, Any]], db_path: Path
) -> None:
    assert purge(db_path, "--older-than", "90").exit_code == 0
    again = purge(db_path, "--older-than", "90")
    assert again.exit_code == 0, again.output
    assert (again.stdout, again.stderr) == ("", "0 meeting(s) deleted\n")
    # the two left had input today: 150 days keeps them, 0 days (idle since now) takes them
    assert purge(db_path, "--older-than", "150", "--dry-run").stderr == "0 meeting(s) to delete\n"
    zero = purge(db_path, "--older-than", "0")
    assert zero.exit_code == 0 and zero.stderr == "2 meeting(s) deleted\n"


def test_when_the_server_starts_on_a_purged_database_then_kept_meetings_work_and_purged_are_gone(
    held: dict[str, dict[str, Any]], settings: Settings
) -> None:
    assert purge(settings.db_path, "--older-than", "90").exit_code == 0
    with TestClient(create_app(settings)) as client:
        assert client.get(f"/{held['ancient']['code']}").status_code == 404
        assert client.get(f"/{held['fresh']['code']}").status_code == 200
        hold(client, "", "Enda en lapp", meeting=held["fresh"])


def test_when_the_database_is_missing_then_purge_says_so_and_creates_nothing(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "nope.db"
    result = purge(missing, "--older-than", "90")
    assert result.exit_code == 1
    assert result.stderr == f"Error: no database at {missing}\n"
    assert not missing.exists()


@pytest.mark.parametrize("days", ["-1", "soon", ""])
def test_when_the_age_is_not_a_number_of_days_then_click_refuses_it(
    held: dict[str, dict[str, Any]], db_path: Path, days: str
) -> None:
    result = purge(db_path, "--older-than", days)
    assert result.exit_code == 2
    assert "--older-than" in result.stderr
    assert exported(db_path, held["ancient"]["code"])["meeting"]["code"] == held["ancient"]["code"]


def test_when_a_title_holds_terminal_controls_then_purge_prints_them_harmlessly(
    settings: Settings, db_path: Path
) -> None:
    """A title that reached the database before plans were cleaned (or any other way) must not
    retitle, clear or turn around the operator's terminal: every control is shown escaped."""
    with TestClient(create_app(settings)) as client:
        turned_back(client, 200)
        cleaned = hold(client, "Møte\x1b]0;pwned\x07 i dag", "Lapp")
        old = hold(client, "Annet møte", "Lapp")
    with sqlite3.connect(db_path) as db:
        db.execute(
            "UPDATE meetings SET title = ? WHERE code = ?",
            ("Gammelt\x1b]0;pwned\x07\x9b2J\u202e møte\n", old["code"]),
        )
    db.close()
    result = purge(db_path, "--older-than", "90", "--dry-run")
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.splitlines()) == sorted(
        [
            f"would delete {cleaned['code']}  Møte]0;pwned i dag",  # cleaned when created
            f"would delete {old['code']}  Gammelt\\x1b]0;pwned\\x07\\x9b2J\\u202e møte\\n",
        ]
    )
