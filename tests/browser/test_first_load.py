"""What a phone's first visit costs on the hall's Wi-Fi, counted by Chromium itself: in the
lobby, and when it first opens the meeting during an activity of each kind (people come late),
with that kind's module, sheet and strings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bench.weight import BUDGET
from facilitate.settings import ROOT

from .helpers import Roles, goto_activity
from .test_kinds import AGENDA, DRAWN

MakeMeeting = Callable[..., dict[str, Any]]
Loaded = dict[str, tuple[int, str]]  # url -> (bytes on the wire, content-encoding)


def first_load(phone: Page, url: str, drawn: Callable[[Page], Any]) -> Loaded:
    """Everything a fresh phone fetches to open `url`, until `drawn(phone)` holds and the
    network is idle: each response's status line, headers and body as sent."""
    devtools = phone.context.new_cdp_session(phone)
    urls: dict[str, str] = {}
    encodings: dict[str, str] = {}
    wire: dict[str, int] = {}
    failed: list[str] = []

    def response(event: dict[str, Any]) -> None:
        urls[event["requestId"]] = event["response"]["url"]
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        encodings[event["requestId"]] = headers.get("content-encoding", "identity")

    def finished(event: dict[str, Any]) -> None:
        wire[event["requestId"]] = int(event["encodedDataLength"])

    devtools.on("Network.responseReceived", response)
    devtools.on("Network.loadingFinished", finished)
    devtools.on("Network.loadingFailed", lambda event: failed.append(str(event)))
    devtools.send("Network.enable")
    phone.goto(url)
    drawn(phone)
    phone.wait_for_load_state("networkidle")
    # Every response has been counted (the websocket is not a fetch: Chromium reports no
    # loadingFinished for it).
    devtools.send("Network.disable")
    assert not failed, failed
    return {urls.get(rid, rid): (size, encodings.get(rid, "?")) for rid, size in wire.items()}


def breakdown(loaded: Loaded) -> str:
    return "\n".join(
        f"{size:>7,} {encoding:8} {url}" for url, (size, encoding) in sorted(loaded.items())
    )


def total(loaded: Loaded) -> int:
    return sum(size for size, _ in loaded.values())


def test_when_a_phone_first_opens_a_meeting_then_everything_it_loads_fits_the_budget(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="folkemote")

    def saved(phone: Page) -> None:
        expect(phone.get_by_test_id("status")).to_have_attribute("data-state", "saved")

    loaded = first_load(roles.blank_phone(), meeting["join_url"], saved)
    listing = breakdown(loaded)
    assert any(url.endswith("/static/js/participant.js") for url in loaded), listing
    assert any(url.endswith("/static/js/live.js") for url in loaded), listing  # imported
    assert any(url.endswith("/static/css/app.css") for url in loaded), listing
    assert not any("/kinds/" in url for url in loaded), listing  # in the lobby, no kind yet
    assert loaded[meeting["join_url"]][1] == "gzip", listing
    assert total(loaded) <= BUDGET, f"{total(loaded):,} bytes, over {BUDGET:,}:\n{listing}"
    print(f"first load: {total(loaded):,} bytes on the wire\n{listing}")


@pytest.mark.parametrize("lang", [None, "uk", "ar"], ids=["meeting's language", "uk", "ar"])
def test_when_a_phone_first_opens_the_meeting_during_any_kind_then_its_load_fits_the_budget(
    roles: Roles, make_meeting: MakeMeeting, lang: str | None
) -> None:
    """Many come late, in the middle of an activity: their first load carries its kind's
    module (with what it imports) and its sheet, and still fits the phone's budget, also in
    the languages whose letters take two bytes each (Ukrainian, Arabic)."""
    meeting = make_meeting(**AGENDA)
    address = meeting["join_url"] + (f"?lang={lang}" if lang else "")
    console = roles.console(meeting)
    over = []
    for kind in sorted(DRAWN):
        activity = next(a["id"] for a in AGENDA["activities"] if a["kind"] == kind)
        goto_activity(console, activity)

        def drawn(phone: Page, kind: str = kind) -> None:
            expect(phone.locator(f"[data-kind={kind}]")).to_be_visible()

        loaded = first_load(roles.blank_phone(), address, drawn)
        listing = breakdown(loaded)
        assert any(url.endswith(f"/static/js/kinds/{kind}.js") for url in loaded), listing
        if (ROOT / "static" / "css" / "kinds" / f"{kind}.css").is_file():
            assert any(url.endswith(f"/static/css/kinds/{kind}.css") for url in loaded), listing
        print(f"{kind} ({lang or 'nb'}): {total(loaded):,} bytes on the wire\n{listing}")
        if total(loaded) > BUDGET:
            over.append(f"{kind}: {total(loaded):,} bytes, over {BUDGET:,}:\n{listing}")
    assert not over, "\n".join(over)
