"""The live server process, the pages of each role, and what people do on them."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections import deque
from pathlib import Path
from typing import IO, Any

from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    WebSocket,
    expect,
)

from bench.server import serve_command
from facilitate.i18n import load_catalogs

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000  # the default for expect() and for actions
FRAMES_KEPT = 60  # websocket frames kept per page for a failure's report
ROOT = Path(__file__).resolve().parents[2]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SCREEN = {"viewport": {"width": 1600, "height": 900}}
CONSOLE = {"viewport": {"width": 1280, "height": 860}}
TABLET = {"viewport": {"width": 800, "height": 1100}, "is_mobile": True, "has_touch": True}

CATALOGS = load_catalogs()


def tr(lang: str, message: str) -> str:
    """A UI string as the app shows it in `lang` (read from the same catalogs)."""
    return CATALOGS[lang].gettext(message)


def trn(lang: str, singular: str, plural: str, n: int, **params: Any) -> str:
    """A counted UI string as the app shows it in `lang` for `n`."""
    return str(CATALOGS[lang].ngettext(singular, plural, n) % {"n": n, **params})


def said(lang: str, key: str, **params: Any) -> str:
    """A script string (by its key) as the pages show it in `lang`; a counted one for n."""
    from facilitate.web.strings import SCRIPT

    message = SCRIPT[key]
    if isinstance(message, tuple):
        count = int(params.pop("n", 2))
        return trn(lang, *message, count, **params)
    text = tr(lang, message)
    return text % params if params else text


# Every view a page receives rebuilds its content: a field loses the focus (text typed then is
# lost) and a tap whose press and release straddle the rebuild never becomes a click. Two tests
# in test_meeting_flow.py show it (test_when_others_post_while_a_phone_is_typing_... and
# test_when_a_view_arrives_during_a_tap_...). The other tests are about other things, so their
# helpers make sure each tap and each text really arrived, and repeat it if it did not.
ATTEMPTS = 5
COUNT_CLICKS = """
window.__clicks = {};
document.addEventListener("click", (event) => {
  const node = event.target instanceof Element ? event.target.closest("[data-testid]") : null;
  if (node) window.__clicks[node.dataset.testid] = (window.__clicks[node.dataset.testid] || 0) + 1;
}, true);
"""
CLICKS = "key => (window.__clicks || {})[key] || 0"


# -- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """`python -m facilitate serve` on a loopback port; can be SIGKILLed and started again.

    `env`: FACILITATE_* settings of its own (a low limit or warning threshold for one test).
    """

    def __init__(self, db: Path, log: Path, env: dict[str, str] | None = None) -> None:
        self.db = db
        self.log_path = log
        self.env = env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        assert self.process is None, "the server is already running"
        self._log = self.log_path.open("ab")
        # Not the caller's FACILITATE_* settings (an admin token would refuse our meetings).
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATE_")}
        # Every test starts its own meetings from 127.0.0.1: more than an address's hour allows.
        env["FACILITATE_MEETINGS_PER_HOUR"] = "0"
        env.update(self.env)
        self.process = subprocess.Popen(
            serve_command(self.port, self.db),
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.wait_healthy()

    def wait_healthy(self, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(
            f"the server did not answer at {self.base}/healthz; its output:\n{self.output()}"
        )

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, as when the laptop's server crashes."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self) -> None:
        """SIGKILL and start again on the same database and port."""
        self.kill()
        self.start()

    def ensure_running(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.process = None
            if self._log is not None:
                self._log.close()
                self._log = None
            self.start()

    def output(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return "(no output)"

    # -- HTTP helpers ----------------------------------------------------------------------

    def create_meeting(self, **body: Any) -> dict[str, Any]:
        """POST /api/meetings; the 201 answer (code, keys, urls)."""
        request = urllib.request.Request(
            f"{self.base}/api/meetings",
            data=json.dumps(body or {"plan": "youth-workshop"}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201
            created: dict[str, Any] = json.loads(response.read())
        return created

    def record(self, meeting: dict[str, Any]) -> dict[str, Any]:
        """GET the structured record with the facilitator key."""
        request = urllib.request.Request(
            f"{self.base}/api/meetings/{meeting['code']}/record",
            headers={"Authorization": f"Bearer {meeting['facilitator_key']}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            data: dict[str, Any] = json.loads(response.read())
        return data


# -- the browser -----------------------------------------------------------------------------


class Roles:
    """Opens pages, one browser context each, and closes them all after the test.

    Keeps what each page's websocket said (the last frames), to explain a failure.
    """

    def __init__(self, browser: Browser, server: LiveServer) -> None:
        self.browser = browser
        self.server = server
        self.contexts: list[BrowserContext] = []
        self.page_errors: list[str] = []
        self.frames: dict[str, deque[str]] = {}
        self.started = time.monotonic()

    def _page(self, name: str, options: dict[str, Any], locale: str = "en-US") -> Page:
        context = self.browser.new_context(locale=locale, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(COUNT_CLICKS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        name = f"{name}-{len(self.contexts)}"
        frames = self.frames[name] = deque(maxlen=FRAMES_KEPT)

        def note(what: str, payload: str | bytes = "") -> None:
            text = payload if isinstance(payload, str) else repr(payload)
            frames.append(f"{time.monotonic() - self.started:7.3f} {what} {text[:600]}")

        def watch(socket: WebSocket) -> None:
            note("open", socket.url)
            socket.on("framesent", lambda payload: note(">", payload))
            socket.on("framereceived", lambda payload: note("<", payload))
            socket.on("close", lambda _: note("closed"))

        page.on("websocket", watch)
        page.on("console", lambda message: note(f"console.{message.type}", message.text))
        return page

    def report(self) -> str:
        """The websocket frames of every page, for a failed test's output."""
        return "\n".join(
            f"--- {name}\n" + "\n".join(frames) for name, frames in self.frames.items()
        )

    def blank_console(self) -> Page:
        return self._page("console", CONSOLE)

    def console(self, meeting: dict[str, Any]) -> Page:
        page = self._page("console", CONSOLE)
        page.goto(meeting["facilitator_url"])
        expect(page.get_by_test_id("console-code")).to_have_text(meeting["code"])
        expect(page.get_by_test_id("agenda").get_by_test_id("goto-lobby")).to_be_visible()
        return page

    def screen(self, meeting: dict[str, Any]) -> Page:
        page = self._page("screen", SCREEN)
        page.goto(meeting["screen_url"])
        expect(page.get_by_test_id("participants")).to_have_attribute(
            "data-count", re.compile(r"\d+")
        )
        return page

    def blank_phone(self) -> Page:
        return self._page("phone", PHONE)

    def phone(self, meeting: dict[str, Any]) -> Page:
        """A phone that opened the QR code's address and is connected."""
        page = self._page("phone", PHONE)
        page.goto(meeting["join_url"])
        expect(page.get_by_test_id("status")).to_have_attribute("data-state", "saved")
        return page

    def blank_tablet(self) -> Page:
        """A tablet at a stand, for the kiosk page (docs/without-a-phone.md)."""
        return self._page("kiosk", TABLET)

    def blank_reader(self) -> Page:
        """A browser with JavaScript off, for the pages that must work without it."""
        return self._page("reader", {**CONSOLE, "java_script_enabled": False})

    def close(self) -> None:
        for context in self.contexts:
            try:
                context.close()
            except Exception:  # the browser may already be gone
                pass


# -- page helpers ----------------------------------------------------------------------------


def choose_language(phone: Page, lang: str) -> None:
    """What a participant does to read the phone in another language: open the picker at the
    top (the globe) and tap the language's name."""
    picker = phone.get_by_test_id("languages")
    if picker.evaluate("node => !node.parentElement.open"):
        picker.click()
    phone.get_by_test_id(f"lang-{lang}").click()
    expect(phone.locator("html")).to_have_attribute("lang", lang)


def join_by_typing(phone: Page, base: str, code: str) -> None:
    """What a participant does: open the address on the screen, type the code, press Join."""
    phone.goto(f"{base}/")
    field = phone.get_by_label("Meeting code")
    field.click()
    field.press_sequentially(code)
    phone.get_by_role("button", name="Join").click()
    expect(phone).to_have_url(f"{base}/{code}")
    expect(phone.get_by_test_id("status")).to_have_attribute("data-state", "saved")


def tap(target: Locator) -> None:
    """Click, and click again if the click never reached the element (see ATTEMPTS)."""
    page = target.page
    key = target.evaluate("node => node.closest('[data-testid]')?.dataset.testid ?? ''")
    assert key, "tap() needs an element with a data-testid (or inside one)"
    for _ in range(ATTEMPTS):
        before = page.evaluate(CLICKS, key)
        target.click()
        if page.evaluate(CLICKS, key) > before:
            return
    raise AssertionError(f"{ATTEMPTS} clicks on {key} never arrived")


def goto_activity(console: Page, activity: str) -> None:
    """The facilitator moves to an activity; the console shows it."""
    tap(console.get_by_test_id(f"goto-{activity}"))
    expect(console.locator(f"#stage [data-activity='{activity}']")).to_be_visible()


def set_phase(console: Page | Locator, phase: str) -> None:
    """Pain/joy points: the notes phase or the dots phase (in a console, or one table's part
    of it for an activity answered per table)."""
    tap(console.get_by_test_id(f"phase-{phase}"))
    expect(console.get_by_test_id(f"phase-{phase}")).to_have_attribute("aria-pressed", "true")


def vote(phone: Page, option: str) -> None:
    tap(phone.get_by_test_id(f"option-{option}"))
    expect(phone.get_by_test_id(f"option-{option}")).to_have_attribute("aria-pressed", "true")


def post_note(
    phone: Page, text: str, *, side: str | None = None, column: int | None = None
) -> None:
    picked = phone.get_by_test_id(f"side-{side}" if side else f"column-{column}")
    if (side is not None or column is not None) and not picked.is_checked():
        tap(picked)
        expect(picked).to_be_checked()
    area = phone.get_by_test_id("note-text")
    for _ in range(ATTEMPTS):
        area.fill(text)
        if area.input_value() == text:
            break
    expect(area).to_have_value(text)
    tap(phone.get_by_test_id("post-note"))
    expect(area).to_have_value("")
    expect(my_note(phone, text)).to_be_visible()


def change_dot(phone: Page, text: str, delta: int) -> None:
    """Place a dot on the note with this text (delta 1) or take one back (-1)."""
    item = dot_item(phone, text)
    mine = item.get_by_test_id("my-dots")
    before = mine.inner_text().count("●")
    tap(item.get_by_test_id("add-dot" if delta > 0 else "remove-dot"))
    expect(mine).to_have_text("●" * (before + delta) or "○")


def my_note(phone: Page, text: str) -> Locator:
    return note_with_text(phone, text, "my-note")


def note_with_text(scope: Page | Locator, text: str, testid: str = "note") -> Locator:
    """Notes (by test id) whose own text is exactly `text`."""
    page = scope if isinstance(scope, Page) else scope.page
    return scope.get_by_test_id(testid).filter(
        has=page.locator(".sticky-text", has_text=re.compile(f"^{re.escape(text)}$"))
    )


def dot_item(phone: Page, text: str) -> Locator:
    return note_with_text(phone, text, "dot-item")


def tally(page: Page, option: str) -> Locator:
    return page.get_by_test_id(f"tally-{option}")
