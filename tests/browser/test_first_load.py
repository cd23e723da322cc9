"""What a phone's first visit costs on the hall's Wi-Fi, counted by Chromium itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from bench.weight import BUDGET

from .helpers import Roles

MakeMeeting = Callable[..., dict[str, Any]]


def test_when_a_phone_first_opens_a_meeting_then_everything_it_loads_fits_the_budget(
    roles: Roles, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(plan="folkemote")
    phone = roles.blank_phone()  # a fresh context: nothing cached
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
        # Everything received for the request: status line, headers and the body as sent.
        wire[event["requestId"]] = int(event["encodedDataLength"])

    devtools.on("Network.responseReceived", response)
    devtools.on("Network.loadingFinished", finished)
    devtools.on("Network.loadingFailed", lambda event: failed.append(str(event)))
    devtools.send("Network.enable")

    phone.goto(meeting["join_url"])
    expect(phone.get_by_test_id("status")).to_have_attribute("data-state", "saved")
    phone.wait_for_load_state("networkidle")  # the icon, if the browser fetches it
    # Every response has been counted (the websocket is not a fetch: Chromium reports no
    # loadingFinished for it).
    devtools.send("Network.disable")

    loaded = {urls.get(rid, rid): (size, encodings.get(rid, "?")) for rid, size in wire.items()}
    breakdown = "\n".join(
        f"{size:>7,} {encoding:8} {url}" for url, (size, encoding) in sorted(loaded.items())
    )
    total = sum(size for size, _ in loaded.values())
    assert not failed, failed
    assert any(url.endswith("/static/js/participant.js") for url in loaded), breakdown
    assert any(url.endswith("/static/js/live.js") for url in loaded), breakdown  # imported
    assert any(url.endswith("/static/css/app.css") for url in loaded), breakdown
    assert loaded[meeting["join_url"]][1] == "gzip", breakdown
    assert total <= BUDGET, f"{total:,} bytes on the wire, over {BUDGET:,}:\n{breakdown}"
    print(f"first load: {total:,} bytes on the wire\n{breakdown}")
