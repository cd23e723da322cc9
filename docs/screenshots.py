"""Screenshots of the real pages for the README: `make screenshots` (python -m docs.screenshots).

Starts `facilitate serve` on a free loopback port with a scratch database, runs a short meeting
with a few phones, and saves PNGs of the phone, the screen and the console in docs/img/.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from bench.server import api, app_server, free_port
from facilitate import demo as demos
from facilitate.meetings import Created
from facilitate.settings import Settings

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def post_note(page: Page, text: str, side: str) -> None:
    page.get_by_test_id(f"side-{side}").check()
    page.get_by_test_id("note-text").fill(text)
    page.get_by_test_id("post-note").click()


def shoot_demo(browser: Browser, base: str, made: Created, out: Path) -> None:
    """The demo meeting: forty phones' worth of dots on the projector, the console, results."""
    code = made.code
    console = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    console.goto(f"{base}/{code}/console#key={made.facilitator_key}&screen={made.screen_key}")
    console.get_by_test_id("goto-pain-joy").click()
    console.get_by_test_id("moderation").wait_for()
    screen = browser.new_context(viewport={"width": 1600, "height": 900}).new_page()
    screen.goto(f"{base}/{code}/screen#key={made.screen_key}")
    if console.get_by_test_id("toggle-results").get_attribute("data-shown") == "false":
        console.get_by_test_id("toggle-results").click()
    screen.get_by_test_id("ranking-pain").wait_for()
    screen.screenshot(path=str(out / "screen-ranking.png"))
    console.screenshot(path=str(out / "console.png"))
    console.get_by_test_id("end-meeting").click()
    phone = {"width": 390, "height": 1400}
    results = browser.new_context(viewport=phone, is_mobile=True).new_page()
    results.goto(f"{base}/{code}")
    results.get_by_test_id("results-title").wait_for()
    results.screenshot(path=str(out / "phone-results.png"))


def main(out: Path = HERE / "img") -> None:
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        # The finished demo meeting (facilitate demo) for the console, ranking and results.
        demo = demos.create(Path(tmp) / "shots.db", Settings().sessions_dir, "folkemote")
        server = app_server(port, Path(tmp) / "shots.db", core=None)
        try:
            server.start()
            meeting = api(port, "POST", "/api/meetings", {"plan": "youth-workshop"})
            code = meeting["code"]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                console = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
                console.goto(meeting["facilitator_url"].replace("http://testserver", base))
                screen = browser.new_context(viewport={"width": 1600, "height": 900}).new_page()
                screen.goto(meeting["screen_url"])
                screen.get_by_test_id("join-code").wait_for()
                screen.screenshot(path=str(out / "screen-join.png"))
                phones = [
                    browser.new_context(
                        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
                    ).new_page()
                    for _ in range(3)
                ]
                for phone in phones:
                    phone.goto(f"{base}/{code}")
                console.get_by_test_id("goto-young-here").click()
                for phone, option in zip(
                    phones, ["very-good", "quite-good", "quite-good"], strict=True
                ):
                    phone.get_by_test_id(f"option-{option}").click()
                    phone.get_by_test_id("voted").wait_for()
                console.get_by_test_id("toggle-results").click()
                screen.get_by_test_id("voters").filter(has_text="3 ").wait_for()
                screen.screenshot(path=str(out / "screen-poll.png"))
                phones[0].screenshot(path=str(out / "phone-poll.png"))
                console.get_by_test_id("goto-heart-pain").click()
                notes = [
                    ("Ungdomsklubben på fredager", "joy"),
                    ("Mørk gangvei ved skolen", "pain"),
                    ("Bussen går for sjelden på kvelden", "pain"),
                    ("Gode trenere i idrettslaget", "joy"),
                ]
                for (text, side), phone in zip(notes, [*phones, phones[0]], strict=False):
                    post_note(phone, text, side)
                    phone.get_by_test_id("my-note").first.wait_for()
                phones[1].screenshot(path=str(out / "phone-notes.png"))
                console.get_by_test_id("phase-dots").click()
                for phone in phones:
                    phone.get_by_test_id("dot-item").first.wait_for()
                    items = phone.get_by_test_id("dot-item")
                    items.nth(0).get_by_test_id("add-dot").click()
                    items.nth(1).get_by_test_id("add-dot").click()
                phones[2].screenshot(path=str(out / "phone-dots.png"))
                shoot_demo(browser, base, demo.created, out)
                browser.close()
        finally:
            server.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
