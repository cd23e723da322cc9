"""Every format from the web route (as the console downloads it) and from `facilitate export`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from web.helpers import Peers

from facilitate import export
from facilitate.cli import cli

from .helpers import Page, docx_texts, read_csv, sheet_rows, unzip, workbook

FORMATS = list(export.FORMATS)
NOTE = "=Mer lys ved <b>stasjonen</b> – æøå"


@pytest.fixture
def held(peers: Peers, meeting: dict[str, Any]) -> dict[str, Any]:
    """The folkemøte with a vote and a note, ended."""
    console = peers.console()
    phone = peers.phone(lang="nb")
    console.ok("goto", activity="safety-poll")
    phone.ok("vote", activity="safety-poll", choices=["neither"])
    console.ok("goto", activity="where-when")
    phone.ok("note", activity="where-when", text=NOTE, column=0)
    console.ok("end")
    return meeting


def url(meeting: dict[str, Any], fmt: str) -> str:
    return f"/api/meetings/{meeting['code']}/minutes.{fmt}"


def check(fmt: str, body: bytes, record: dict[str, Any]) -> None:
    """The document holds the meeting: its title, the vote, the note."""
    title = record["meeting"]["title"]["nb"]
    if fmt == "json":
        assert json.loads(body) == record
    elif fmt == "md":
        assert body.decode().startswith(f"# {title}\n") and "\\<b\\>stasjonen" in body.decode()
    elif fmt == "html":
        page = Page(body.decode())
        assert not page.problems and title in page.all_text and NOTE in page.all_text
    elif fmt == "docx":
        _, texts = docx_texts(body)
        assert texts[0] == title and NOTE in texts
    elif fmt == "xlsx":
        book = workbook(body)
        assert sheet_rows(book, book.sheetnames[0])[0][0] == title
        assert NOTE in [row[5] for row in sheet_rows(book, book.sheetnames[-1])]
    elif fmt == "csv":
        files = unzip(body)
        assert read_csv(files["meeting.csv"])[0] == [title]
        assert "'" + NOTE in [row[5] for row in read_csv(files["inputs.csv"])]
    else:
        assert "'" + NOTE in [row[5] for row in read_csv(body)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_console_downloads_every_format_after_the_meeting_ended(
    client: TestClient, held: dict[str, Any], auth: dict[str, str], fmt: str
) -> None:
    record = client.get(f"/api/meetings/{held['code']}/record", headers=auth).json()
    assert record["meeting"]["ended_at"]
    response = client.get(url(held, fmt), headers=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == export.FORMATS[fmt].media_type
    name = export.filename(fmt, held["code"])
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert response.headers["x-content-type-options"] == "nosniff"
    check(fmt, response.content, record)


def test_the_html_download_may_style_itself_and_nothing_else(
    client: TestClient, held: dict[str, Any], auth: dict[str, str]
) -> None:
    policy = client.get(url(held, "html"), headers=auth).headers["content-security-policy"]
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert "script-src" not in policy


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_minutes_need_the_facilitator_key(
    client: TestClient, meeting: dict[str, Any], fmt: str
) -> None:
    assert client.get(url(meeting, fmt)).status_code == 401
    for key in ("not-the-key", meeting["screen_key"]):
        response = client.get(url(meeting, fmt), headers={"authorization": f"Bearer {key}"})
        assert response.status_code == 403
        assert response.json() == {"error": "that key is not this meeting's facilitator key"}


def test_unknown_meetings_and_formats_are_404(
    client: TestClient, meeting: dict[str, Any], auth: dict[str, str]
) -> None:
    unknown = {**meeting, "code": "000000" if meeting["code"] != "000000" else "111111"}
    assert client.get(url(unknown, "docx"), headers=auth).status_code == 404
    response = client.get(url(meeting, "pdf"), headers=auth)
    assert response.status_code == 404
    assert "md, html, docx, xlsx, csv, csv-long, json" in response.json()["error"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_command_line_exports_every_format_like_the_console(
    client: TestClient,
    held: dict[str, Any],
    auth: dict[str, str],
    db_path: Path,
    tmp_path: Path,
    fmt: str,
) -> None:
    record = client.get(f"/api/meetings/{held['code']}/record", headers=auth).json()
    from_web = client.get(url(held, fmt), headers=auth).content
    out = tmp_path / export.filename(fmt, held["code"])
    result = CliRunner().invoke(
        cli, ["export", held["code"], "--format", fmt, "-o", str(out), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"
    data = out.read_bytes()
    check(fmt, data, record)
    if fmt not in ("docx", "xlsx"):  # zips with the time they were written in them
        assert data == from_web
    printed = CliRunner().invoke(
        cli, ["export", held["code"], "--format", fmt, "--db", str(db_path)]
    )
    assert printed.exit_code == 0
    check(fmt, printed.stdout_bytes, record)


def test_the_command_line_refuses_an_unknown_format(held: dict[str, Any], db_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", held["code"], "--format", "pdf", "--db", str(db_path)]
    )
    assert result.exit_code == 2 and "'pdf' is not one of" in result.stderr
