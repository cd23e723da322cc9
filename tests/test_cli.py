"""The command line: listing and checking plans, exporting a meeting's record or minutes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from facilitate.cli import cli, printable
from facilitate.settings import ROOT, Settings

SESSIONS = ROOT / "sessions"
BAD_PLAN = """\
title = "Nabolagsmøte"
language = "nb"

[[activities]]
id = "park"
kind = "poll"
title = "Skal parken bli større?"
options = ["Ja"]

[[activities]]
id = "ideas"
kind = "notes"
title = "Hva mangler?"
max_length = 5
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_when_plans_are_listed_then_the_shipped_ones_appear(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["plans"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    folkemote = next(line for line in lines if line.startswith("folkemote "))
    assert folkemote.split() == [
        "folkemote",
        "nb",
        "8",
        "activities",
        *"Folkemøte om trygghet i sentrum".split(),
    ]
    assert any(line.startswith("youth-workshop ") for line in lines)


def test_when_plans_are_listed_from_a_folder_then_broken_ones_say_why(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "good.toml").write_text((SESSIONS / "folkemote.toml").read_text("utf-8"), "utf-8")
    (tmp_path / "broken.toml").write_text(BAD_PLAN, "utf-8")
    result = runner.invoke(cli, ["plans", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("broken ") and "BROKEN:" in lines[0]
    assert "activities[0].options" in lines[0]
    assert lines[1].startswith("good ")


def test_when_a_good_plan_is_checked_then_it_passes(runner: CliRunner) -> None:
    path = SESSIONS / "folkemote.toml"
    result = runner.invoke(cli, ["plans", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{path}: ok (8 activities)\n"


def test_when_every_shipped_plan_is_checked_then_all_pass(runner: CliRunner) -> None:
    paths = sorted(str(p) for p in SESSIONS.glob("*.toml"))
    result = runner.invoke(cli, ["plans", "check", *paths])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == len(paths)


def test_when_a_bad_plan_is_checked_then_it_fails_naming_field_and_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BAD_PLAN, "utf-8")
    result = runner.invoke(cli, ["plans", "check", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:8: activities[0].options: give a list of 2 to 20 options",
        f"{path}:14: activities[1].max_length: must be a whole number from 20 to 1000",
    ]
    assert result.stdout == ""


def test_when_a_plan_is_not_toml_then_the_line_is_named(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('title = "x"\nlanguage = \n', "utf-8")
    result = runner.invoke(cli, ["plans", "check", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:2: (file): not valid TOML")


def test_when_a_plan_is_not_utf8_then_it_says_so(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "Møte"\n'.encode("latin-1"))
    result = runner.invoke(cli, ["plans", "check", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: not UTF-8 text\n"


def test_when_good_and_bad_plans_are_checked_together_then_it_fails(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_PLAN, "utf-8")
    good = SESSIONS / "folkemote.toml"
    result = runner.invoke(cli, ["plans", "check", str(good), str(bad)])
    assert result.exit_code == 1
    assert result.stdout == f"{good}: ok (8 activities)\n"


# What a plan can smuggle to the operator's terminal: an OSC sequence retitles the window, a
# one-byte CSI (0x9b) clears the screen, an override turns the line around.
HOSTILE_PLAN = r"""
title = "Møte\u001b]0;pwned\u0007 i dag"
"\u001b[2Jkey\u009b" = 1

[[activities]]
kind = "info"
title = "Velkommen\u202e"
"""
GOOD_HOSTILE_PLAN = HOSTILE_PLAN.replace('"\\u001b[2Jkey\\u009b" = 1\n', "")


def test_when_plans_hold_terminal_controls_then_listing_and_checking_print_them_escaped(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "broken\x1b[2J.toml").write_text(HOSTILE_PLAN, "utf-8")
    (tmp_path / "good.toml").write_text(GOOD_HOSTILE_PLAN, "utf-8")
    listed = runner.invoke(cli, ["plans", "--dir", str(tmp_path)])
    assert listed.exit_code == 0, listed.output
    broken, good = listed.output.splitlines()
    assert broken.startswith("broken\\x1b[2J ") and "\\x1b[2Jkey\\x9b: unknown field" in broken
    assert good.split(None, 4)[-1] == "Møte]0;pwned i dag"  # the plan's texts are cleaned
    checked = runner.invoke(cli, ["plans", "check", *sorted(map(str, tmp_path.iterdir()))])
    assert checked.exit_code == 1
    assert "\\x1b[2J.toml: \\x1b[2Jkey\\x9b: unknown field" in checked.stderr
    for output in (listed.output, checked.stdout, checked.stderr):
        assert not any(c in output for c in "\x1b\x07\x9b\u202e"), output


def test_printable_escapes_controls_and_keeps_writing() -> None:
    writing = "Æ ø å, می\u200cخواهم, 👨\u200d👩\u200d👧, עברית \u200f!"  # joiners, marks kept
    assert printable(writing) == writing
    assert printable("a\tb\nc\x1b[31m\x7f\x85\u2028\u202e") == (
        "a\\tb\\nc\\x1b[31m\\x7f\\x85\\u2028\\u202e"
    )


def test_when_a_plan_file_is_missing_then_click_says_so(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["plans", "check", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


@pytest.fixture
def held(client: TestClient, meeting: dict[str, Any], db_path: Path) -> dict[str, Any]:
    """A meeting with one vote, in a database the server has written."""
    with client.websocket_connect(f"/{meeting['code']}/ws") as console:
        console.send_json(
            {"type": "hello", "role": "facilitator", "key": meeting["facilitator_key"]}
        )
        assert console.receive_json()["type"] == "welcome"
        assert console.receive_json()["type"] == "snapshot"
        console.send_json({"type": "goto", "id": "g1", "activity": "safety-poll"})
        while (message := console.receive_json())["type"] != "ack":
            assert message["type"] == "view", message
    with client.websocket_connect(f"/{meeting['code']}/ws") as phone:
        phone.send_json({"type": "hello", "role": "participant"})
        assert phone.receive_json()["type"] == "welcome"
        assert phone.receive_json()["type"] == "snapshot"
        phone.send_json(
            {"type": "vote", "id": "v1", "activity": "safety-poll", "choices": ["neither"]}
        )
        while (message := phone.receive_json())["type"] != "ack":
            assert message["type"] in ("view", "mine"), message
    return meeting


def test_when_a_meeting_is_exported_as_json_then_it_is_the_record(
    runner: CliRunner,
    client: TestClient,
    held: dict[str, Any],
    db_path: Path,
    tmp_path: Path,
    auth: dict[str, str],
) -> None:
    from_api = client.get(f"/api/meetings/{held['code']}/record", headers=auth).json()
    out = tmp_path / "record.json"
    result = runner.invoke(
        cli, ["export", held["code"], "--format", "json", "-o", str(out), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"
    exported = json.loads(out.read_text("utf-8"))
    assert exported == from_api
    assert exported["schema"] == "facilitate.record/2"
    poll = next(a for a in exported["activities"] if a["id"] == "safety-poll")
    assert poll["tally"]["voters"] == 1 and poll["tally"]["counts"]["neither"] == 1


def test_when_a_meeting_is_exported_as_markdown_then_it_is_the_minutes(
    runner: CliRunner,
    client: TestClient,
    held: dict[str, Any],
    db_path: Path,
    tmp_path: Path,
    auth: dict[str, str],
) -> None:
    from_api = client.get(f"/api/meetings/{held['code']}/minutes.md", headers=auth).text
    out = tmp_path / "minutes.md"
    result = runner.invoke(
        cli, ["export", held["code"], "--format", "md", "-o", str(out), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert text == from_api
    assert text.startswith("# Folkemøte om trygghet i sentrum\n")


def test_when_export_has_no_output_file_then_it_prints(
    runner: CliRunner, held: dict[str, Any], db_path: Path
) -> None:
    result = runner.invoke(cli, ["export", held["code"], "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Folkemøte om trygghet i sentrum\n")


def test_when_the_code_is_unknown_then_export_says_so(
    runner: CliRunner, held: dict[str, Any], db_path: Path
) -> None:
    unknown = "000000" if held["code"] != "000000" else "111111"
    result = runner.invoke(cli, ["export", unknown, "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: no meeting with code '{unknown}' in {db_path}\n"


def test_when_the_database_is_missing_then_export_says_so(
    runner: CliRunner, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.db"
    result = runner.invoke(cli, ["export", "123456", "--db", str(missing)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: no database at {missing}\n"
    assert not missing.exists()  # not created by looking


def test_when_the_version_is_asked_then_it_is_printed(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("facilitate, version ")


class Served:
    """What `facilitate serve` handed to uvicorn, with uvicorn replaced by a recorder."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import uvicorn

        import facilitate.app
        from facilitate import descriptors, runtime

        self.settings: Settings | None = None
        self.options: dict[str, Any] = {}
        self.collector = runtime.Collector()  # the server's GC policy, kept out of this process
        self.collecting = False
        # The open-file limit serve would raise: this process's is left as it is.
        self.file_limit: descriptors.Limit | None = descriptors.Limit(65536, 65536)
        monkeypatch.setattr(facilitate.app, "create_app", self.create_app)
        monkeypatch.setattr(uvicorn, "run", self.run)
        monkeypatch.setattr(runtime, "collector", self.collector)
        monkeypatch.setattr(descriptors, "raise_limit", lambda: self.file_limit)

    def create_app(self, settings: Settings) -> str:
        self.settings = settings
        return "app"

    def run(self, app: str, **options: Any) -> None:
        assert app == "app"
        self.options = options
        self.collecting = self.collector.installed
        self.collector.uninstall()


def test_when_serve_is_started_then_it_listens_where_told_on_the_given_database(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    served = Served(monkeypatch)
    db = tmp_path / "meetings.db"
    result = runner.invoke(cli, ["serve", "--port", "8123", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert served.settings is not None and served.settings.db_path == db
    assert (served.options["host"], served.options["port"]) == ("127.0.0.1", 8123)
    assert served.collecting  # the garbage collector's policy for a hall full of phones
    assert "http://127.0.0.1:8123/start" in result.output
    assert "cannot reach this address" in result.output
    assert "Stop with Ctrl+C" in result.output


def test_when_serve_listens_on_the_hall_network_then_the_lan_start_link_comes_first(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from facilitate import network

    Served(monkeypatch)
    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.1.20", "10.0.0.7"])
    result = runner.invoke(
        cli, ["serve", "--host", "0.0.0.0", "--port", "8123", "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 0, result.output
    links = [line for line in result.output.splitlines() if "http://" in line]
    assert links == [
        "Start a meeting:   http://192.168.1.20:8123/start",
        "Phones join at:    http://192.168.1.20:8123",
        "Phones join at:    http://10.0.0.7:8123",
        "On this laptop:    http://127.0.0.1:8123/start (phones cannot reach it)",
    ]


def test_when_serve_has_a_public_url_then_its_start_link_comes_first() -> None:
    from facilitate.cli import start_lines

    lines = start_lines("0.0.0.0", 8000, "http://hall.local:8000/", ["192.168.1.20"])
    assert lines == [
        "Start a meeting:   http://hall.local:8000/start",
        "Phones join at:    http://hall.local:8000",
        "On this laptop:    http://127.0.0.1:8000/start",
    ]


def test_when_no_network_is_found_then_serve_says_to_join_the_wifi() -> None:
    from facilitate.cli import start_lines

    lines = start_lines("0.0.0.0", 8000, None, [])
    assert lines[0] == "Start a meeting:   http://127.0.0.1:8000/start"
    assert "hall's Wi-Fi" in lines[1]


@pytest.mark.parametrize(
    ("variables", "expected"),
    [({}, None), ({"PUBLIC_URL": "http://192.168.1.20:8000"}, "http://192.168.1.20:8000")],
)
def test_when_make_run_is_given_public_url_then_serve_gets_it(
    variables: dict[str, str], expected: str | None
) -> None:
    import os
    import shutil
    import subprocess

    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if k != "PUBLIC_URL"} | variables
    # -n prints what `make run` would do (setting up included) without doing any of it.
    result = subprocess.run(
        [make, "-n", "-s", "run"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    serve = [line for line in result.stdout.splitlines() if " serve " in line]
    assert len(serve) == 1, result.stdout
    assert ("--public-url" in serve[0]) == (expected is not None)
    if expected:
        assert f"--public-url '{expected}'" in serve[0]


@pytest.mark.parametrize(
    ("host", "token", "warned"),
    [("0.0.0.0", None, True), ("0.0.0.0", "s3cret", False), ("127.0.0.1", None, False)],
)
def test_when_serve_listens_beyond_the_laptop_without_an_admin_token_then_it_says_so(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    host: str,
    token: str | None,
    warned: bool,
) -> None:
    Served(monkeypatch)
    if token:
        monkeypatch.setenv("FACILITATE_ADMIN_TOKEN", token)
    else:
        monkeypatch.delenv("FACILITATE_ADMIN_TOKEN", raising=False)
    result = runner.invoke(cli, ["serve", "--host", host, "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 0, result.output
    assert ("FACILITATE_ADMIN_TOKEN" in result.output) == warned


def test_when_serve_has_a_public_url_then_it_tells_where_phones_join(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    served = Served(monkeypatch)
    result = runner.invoke(
        cli,
        [
            "serve",
            "--host",
            "0.0.0.0",
            "--db",
            str(tmp_path / "x.db"),
            "--public-url",
            "http://192.168.1.20:8000",
        ],
    )
    assert result.exit_code == 0, result.output
    assert served.settings is not None
    assert served.settings.public_url == "http://192.168.1.20:8000"
    assert "Phones join at:    http://192.168.1.20:8000" in result.output


def test_when_serve_is_started_then_connections_are_gated_by_the_per_address_limit(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from facilitate.web.gate import HEAD_TIMEOUT, GatedProtocol

    served = Served(monkeypatch)
    db = str(tmp_path / "x.db")
    variable = "FACILITATE_MAX_CONNECTIONS_PER_ADDRESS"
    for env, limit in [({variable: None}, 100), ({variable: "0"}, 0)]:
        result = runner.invoke(cli, ["serve", "--db", db], env=env)
        assert result.exit_code == 0, result.output
        http = served.options["http"]
        assert issubclass(http, GatedProtocol)
        assert (http.gate.addresses.limit, http.gate.head_timeout) == (limit, HEAD_TIMEOUT)


def test_when_the_open_file_limit_stays_low_then_serve_says_how_many_phones_it_allows(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from facilitate.descriptors import Limit

    served = Served(monkeypatch)
    served.file_limit = Limit(1024, 1024)
    result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 0, result.output
    assert "may hold 1,024 at once, enough for about 480 phones" in result.output
    assert "LimitNOFILE=" in result.output

    served.file_limit = Limit(65536, None)
    result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "x.db")])
    assert "Open files" not in result.output


def test_when_facilitate_db_is_set_then_serve_uses_that_database(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    served = Served(monkeypatch)
    db = tmp_path / "from-env.db"
    result = runner.invoke(cli, ["serve"], env={"FACILITATE_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert served.settings is not None and served.settings.db_path == db


def test_when_the_database_file_is_not_a_database_then_export_says_so(
    runner: CliRunner, tmp_path: Path
) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("these are my notes, not a database\n" * 10, "utf-8")
    result = runner.invoke(cli, ["export", "123456", "--db", str(junk)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert str(junk) in result.stderr
