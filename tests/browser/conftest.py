"""Browser tests: a real `facilitate serve` process and Debian's Chromium driven by Playwright.

One server for the whole session (each test makes its own meeting), one browser, and a fresh
browser context per role in each test: every phone is its own context, so it has its own
localStorage and therefore its own anonymous participant token.

Never a downloaded browser: Chromium is Debian's /usr/bin/chromium (`make test` installs it).
If it is missing, every test fails (not skips) and says how to install it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright, expect, sync_playwright

from .helpers import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, LiveServer, Roles


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("server")
    server = LiveServer(folder / "browser.db", folder / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def server(live_server: LiveServer) -> LiveServer:
    """The session's server, started again if an earlier test left it down."""
    live_server.ensure_running()
    return live_server


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Debian's Chromium is missing at {CHROMIUM}: the browser tests need it. "
            "Install it with `make browser` (or `make test`, which does it); never "
            "with `playwright install`.",
            pytrace=False,
        )
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    chromium = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


def pytest_itemcollected(item: pytest.Item) -> None:
    """Every test here drives a real server process and a real Chromium: slow, as the marker
    means it (`make test-fast` leaves this folder out; so does `pytest -m "not slow"`)."""
    item.add_marker(pytest.mark.slow)


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Remember whether the test itself failed, for the `roles` fixture's teardown."""
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


@pytest.fixture
def roles(request: pytest.FixtureRequest, browser: Browser, server: LiveServer) -> Iterator[Roles]:
    """Pages for the test (see Roles); on failure, prints what their websockets said."""
    opened = Roles(browser, server)
    try:
        yield opened
    finally:
        _close(request, opened)


def _close(request: pytest.FixtureRequest, opened: Roles) -> None:
    opened.close()
    if request.node.stash.get(FAILED, False):
        print("websocket frames of each page (seconds since the test began):")
        print(opened.report())
        print("server output:", opened.server.output(), sep="\n")
    # The pages throw nothing: an uncaught error in a script is a bug even if the test passed.
    assert not opened.page_errors, "uncaught errors in the pages:\n" + "\n".join(opened.page_errors)


@pytest.fixture
def own_server(
    request: pytest.FixtureRequest, browser: Browser, tmp_path: Path
) -> Iterator[Callable[..., Roles]]:
    """A server of the test's own with FACILITATE_* settings the shared one must not have (a
    warning threshold of two phones would show in every other test), and pages on it:
    `own_server(FACILITATE_ALERT_JOINS_PER_MINUTE="2")` -> Roles. Killed after the test."""
    started: list[Roles] = []

    def start(**env: str) -> Roles:
        name = f"own-{len(started)}"
        server = LiveServer(tmp_path / f"{name}.db", tmp_path / f"{name}.log", env=env)
        server.start()
        started.append(Roles(browser, server))
        return started[-1]

    try:
        yield start
    finally:
        problems: list[AssertionError] = []
        for opened in started:
            try:
                _close(request, opened)
            except AssertionError as problem:
                problems.append(problem)
            finally:
                opened.server.kill()
        if problems:
            raise problems[0]


@pytest.fixture
def make_meeting(server: LiveServer) -> Callable[..., dict[str, Any]]:
    """Creates a fresh meeting (youth-workshop unless told otherwise)."""
    return server.create_meeting
