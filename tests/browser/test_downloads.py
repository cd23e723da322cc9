"""The console's Record section downloads every format with the server's file name."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from facilitate.export import FORMATS, filename

from .helpers import Roles, tap


def test_when_the_facilitator_downloads_the_minutes_then_every_format_arrives_named(
    roles: Roles, make_meeting: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    meeting = make_meeting(plan="folkemote")
    console = roles.console(meeting)
    for fmt in FORMATS:
        button = console.get_by_test_id(f"download-{fmt}")
        expect(button).to_have_attribute("data-download", f"minutes.{fmt}")
        with console.expect_download() as caught:
            tap(button)
        download = caught.value
        assert download.suggested_filename == filename(fmt, meeting["code"])
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        data = saved.read_bytes()
        if fmt == "json":
            assert json.loads(data)["meeting"]["code"] == meeting["code"]
        elif fmt == "html":
            assert data.startswith(b"<!DOCTYPE html>") and b"<script" not in data
        elif fmt in ("docx", "xlsx", "csv"):
            assert data.startswith(b"PK")  # a zip, as all three are
        else:
            assert data
    expect(console.locator("#key-refused")).to_be_hidden()
