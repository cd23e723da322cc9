"""Documentation that cannot drift: the protocol document names everything the code speaks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.routing import Mount, Route, WebSocketRoute

from facilitate.app import create_app
from facilitate.core.events import EVENT_TYPES
from facilitate.core.kinds import KINDS
from facilitate.core.messages import CLIENT_MESSAGES, SERVER_MESSAGES
from facilitate.core.process import EVENT_TYPES as PROCESS_EVENTS
from facilitate.settings import Settings
from facilitate.web import strings

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = (ROOT / "docs" / "protocol.md").read_text("utf-8")
README = (ROOT / "README.md").read_text("utf-8")


@pytest.mark.parametrize("message_type", sorted(CLIENT_MESSAGES))
def test_every_client_message_type_is_documented_with_an_example(message_type: str) -> None:
    assert f'"type": "{message_type}"' in PROTOCOL


@pytest.mark.parametrize("message_type", SERVER_MESSAGES)
def test_every_server_message_type_is_documented_with_an_example(message_type: str) -> None:
    assert f'{{"type": "{message_type}"' in PROTOCOL


@pytest.mark.parametrize(
    "field", sorted({f for fields in CLIENT_MESSAGES.values() for f in fields})
)
def test_every_message_field_is_documented(field: str) -> None:
    assert f"`{field}`" in PROTOCOL or f'"{field}"' in PROTOCOL


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_event_type_of_the_log_is_documented(event_type: str) -> None:
    assert f"`{event_type}`" in PROTOCOL


@pytest.mark.parametrize(
    "event_type", sorted({e for kind in KINDS.values() for e in kind.appliers}), ids=str
)
def test_every_event_a_kind_records_is_documented_in_the_log(event_type: str) -> None:
    log = PROTOCOL.split("## The log", 1)[1]
    assert f"`{event_type}`" in log


@pytest.mark.parametrize("event_type", PROCESS_EVENTS)
def test_every_event_type_of_a_process_log_is_documented(event_type: str) -> None:
    assert f"`{event_type}`" in PROTOCOL.split("### Processes", 1)[1]


@pytest.mark.parametrize("code", sorted(strings.ERRORS))
def test_every_error_code_is_documented(code: str) -> None:
    assert f"`{code}`" in PROTOCOL


def test_every_documented_error_code_exists() -> None:
    section = PROTOCOL.split("Error codes:", 1)[1].split("`message`", 1)[0]
    assert set(re.findall(r"`(\w+)`", section)) == set(strings.ERRORS)


def test_every_error_code_is_sent_somewhere() -> None:
    """A code nothing sends is dead text in the protocol and in every catalog."""
    sources = "\n".join(
        path.read_text("utf-8")
        for path in (ROOT / "facilitate").rglob("*.py")
        if path != ROOT / "facilitate" / "web" / "strings.py"
    )
    assert {code for code in strings.ERRORS if f'"{code}"' not in sources} == set()


def test_every_route_is_documented(tmp_path: Path) -> None:
    app = create_app(Settings(db_path=tmp_path / "docs.db"))
    for route in app.routes:
        if isinstance(route, Mount):
            assert f"`{route.path}/" in PROTOCOL
        else:
            assert isinstance(route, Route | WebSocketRoute)
            assert f"`{route.path}" in PROTOCOL, route.path


@pytest.mark.parametrize("command", ["make run", "make test"])
def test_readme_quick_start_has_the_two_commands(command: str) -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert command in quick_start


def test_readme_shows_screenshots_that_exist() -> None:
    images = re.findall(r"\]\((docs/img/[\w-]+\.png)\)", README)
    assert {"phone", "screen", "console"} <= {Path(i).stem.split("-")[0] for i in images}
    for image in images:
        assert (ROOT / image).is_file(), image


def test_every_agenda_problem_code_is_documented() -> None:
    # The plan's own problems and each activity kind's (facilitate/core/kinds).
    files = [
        ROOT / "facilitate" / "core" / "plan.py",
        ROOT / "facilitate" / "core" / "survey.py",
        *(ROOT / "facilitate/core/kinds").glob("*.py"),
    ]
    source = "\n".join(path.read_text("utf-8") for path in files)
    codes = set(re.findall(r'code="(\w+)"', source))
    codes |= set(re.findall(r'Problem\([^()]*(?:\([^()]*\))?[^()]*, "(\w+)"\)', source))
    assert {"toml", "shape", "required"} <= codes
    documented = PROTOCOL.split("Codes: ", 1)[1].split("Statuses:", 1)[0]
    assert set(re.findall(r"`(\w+)`", documented)) == codes
