"""static/js/cloud.js in Chromium: the word cloud's layout and its rendering, on a blank page.

No server: the page and the module come from Playwright's router under an origin of their own,
so the module is loaded as the screen will load it (an ES module over HTTP).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from .helpers import ROOT

ORIGIN = "http://cloud.test"
BOX = {"width": 1280, "height": 720}

# The projector's colours (static/css/app.css, .page-screen); the words take the container's font.
PAGE = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Ordsky</title>
<style>
  body { margin: 0; background: #0f2236; }
  #cloud { position: relative; width: 1280px; height: 720px; overflow: hidden; color: #fff;
    font-family: system-ui, "Noto Sans", "DejaVu Sans", sans-serif; font-weight: 600; }
  .cloud-word:nth-child(3n+2) { color: #f2c14e; }
  .cloud-word:nth-child(3n+3) { color: #8fe0b6; }
</style></head>
<body><div id="cloud" data-testid="cloud"></div>
<script type="module">
  import * as cloud from "/static/js/cloud.js";
  window.cloud = cloud;
  window.measure = cloud.canvasMeasure(document.getElementById("cloud"));
  // Font-free sizes (0.6 em a character), for layouts that must not depend on installed fonts.
  window.plainMeasure = (text, size) => ({ width: [...text].length * size * 0.6, height: size });
  window.ready = true;
</script></body></html>
"""

# What a hall in a Norwegian municipality might answer "What makes a good place to live?" with.
NORWEGIAN = (
    "fellesskap trygghet natur dugnad bibliotek kollektivtransport skole barnehage "
    "idrettslag turstier møteplasser ungdomsklubb helsestasjon sykkelvei nærbutikk "
    "kulturhus badeplass lekeplass frivillighet inkludering naboer fjellet sjøen "
    "arbeidsplasser boliger eldresenter kafé fotballbane skiløype gatelys fortau "
    "hurtigbåt legevakt tannlege svømmehall kirke museum festival konserter marked "
    "torget parkering ladestasjon bredbånd mobildekning renhold søppeltømming snømåking "
    "brøyting vedlikehold medvirkning åpenhet tillit samhold gründere reiseliv fiske "
    "landbruk stillhet mangfold"
).split()
assert len(NORWEGIAN) == 60


def counted(texts: list[str], top: int = 40) -> list[dict[str, Any]]:
    """Counts as a hall gives them: a few words said often, most said once or twice."""
    return [
        {"text": text, "count": max(1, round(top / (rank + 1)))} for rank, text in enumerate(texts)
    ]


def serve(route: Route) -> None:
    """The blank page and the module, from the files as they are."""
    path = route.request.url.removeprefix(ORIGIN)
    if path == "/":
        route.fulfill(body=PAGE, content_type="text/html; charset=utf-8")
    elif path == "/static/js/cloud.js":
        body = (ROOT / "static" / "js" / "cloud.js").read_text("utf-8")
        route.fulfill(body=body, content_type="text/javascript; charset=utf-8")
    else:
        route.fulfill(status=404, body="")


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Opens the blank page with the module loaded, in a context of its own; none may throw."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def opened() -> Page:
        context = browser.new_context(viewport={"width": BOX["width"], "height": BOX["height"]})
        contexts.append(context)
        context.route(f"{ORIGIN}/**", serve)
        new = context.new_page()
        new.on("pageerror", lambda error: errors.append(str(error)))
        new.goto(f"{ORIGIN}/")
        new.wait_for_function("window.ready === true")
        return new

    yield opened
    for context in contexts:
        context.close()
    assert not errors, errors


@pytest.fixture
def page(open_page: Callable[[], Page]) -> Page:
    return open_page()


def layout(
    page: Page, words: list[dict[str, Any]], measure: str = "measure", **options: Any
) -> Any:
    """cloud.layout(words, BOX, options) in the page, with the page's measure of that name."""
    return page.evaluate(
        f"([words, box, options]) => cloud.layout(words, box, {{...options, measure: {measure}}})",
        [words, options.pop("box", BOX), options],
    )


def overlapping(placements: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for a, b in itertools.combinations(placements, 2)
        if a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    ]


def outside(placements: list[dict[str, Any]], box: dict[str, int]) -> list[str]:
    return [
        p["text"]
        for p in placements
        if p["x"] < 0
        or p["y"] < 0
        or p["x"] + p["width"] > box["width"]
        or p["y"] + p["height"] > box["height"]
    ]


@pytest.mark.parametrize("how_many", [60, 200])
def test_no_two_words_overlap_and_every_word_lies_inside_the_box(page: Page, how_many: int) -> None:
    words = counted([f"{text}{n or ''}" for n in range(4) for text in NORWEGIAN][:how_many])
    result = layout(page, words)
    placed = result["placements"]
    assert len(placed) + len(result["dropped"]) == how_many
    assert len(placed) >= 60
    assert overlapping(placed) == []
    assert outside(placed, BOX) == []


def test_a_word_said_more_never_gets_a_smaller_font(page: Page) -> None:
    placed = layout(page, counted(NORWEGIAN))["placements"]
    by_count = sorted(placed, key=lambda p: p["count"])
    sizes = [p["fontSize"] for p in by_count]
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[-1]
    # Equal counts, equal sizes.
    for _, same in itertools.groupby(by_count, key=lambda p: p["count"]):
        assert len({p["fontSize"] for p in same}) == 1


def test_the_same_words_give_the_same_layout_without_randomness(
    page: Page, open_page: Callable[[], Page]
) -> None:
    words = counted(NORWEGIAN)
    page.evaluate("() => { Math.random = () => { throw new Error('layout used Math.random'); }; }")
    first = layout(page, words)
    again = layout(page, words)
    assert again == first
    # Another page (its own module, its own canvas) agrees too.
    assert layout(open_page(), words) == first


def test_words_in_any_script_are_placed_and_shown_as_text(page: Page) -> None:
    words: list[dict[str, Any]] = [
        {"text": "مدرسة", "count": 5},  # Arabic: school
        {"text": "Waxbarasho", "count": 4},  # Somali: education
        {"text": "🌲🏔️", "count": 3},
        {"text": "Tromsø", "count": 2},
        {"text": '<img src=x onerror="injected=1">', "count": 1},
    ]
    result = layout(page, words)
    assert [p["text"] for p in result["placements"]] == [w["text"] for w in words]
    assert all(p["width"] > 0 and p["height"] > 0 for p in result["placements"])
    page.evaluate(
        "(placements) => cloud.renderCloud(document.getElementById('cloud'), placements)",
        result["placements"],
    )

    shown = page.get_by_test_id("cloud").get_by_test_id("cloud-word")
    expect(shown).to_have_text([w["text"] for w in words])
    assert shown.evaluate_all("(nodes) => nodes.map((node) => node.dir)") == ["auto"] * len(words)
    assert page.get_by_test_id("cloud").locator("*").count() == len(words)  # no <img>, only spans
    assert page.evaluate("window.injected") is None
    # The Arabic word is laid out right to left in its own box.
    arabic = shown.filter(has_text="مدرسة")
    assert arabic.evaluate("(node) => getComputedStyle(node).direction") == "rtl"


def test_when_words_do_not_fit_then_the_rest_are_reported_as_dropped(page: Page) -> None:
    texts = [f"{text}{n or ''}" for n in range(5) for text in NORWEGIAN]
    words = [*counted(texts), {"text": "   ", "count": 2}, {"text": "borte", "count": 0}]
    box = {"width": 640, "height": 360}
    result = layout(page, words, box=box)
    placed = {p["text"] for p in result["placements"]}
    dropped = [d["text"] for d in result["dropped"]]
    assert len(dropped) > 100
    # Nothing lost, nothing twice: every word said at least once is placed or dropped.
    assert sorted([*placed, *dropped]) == sorted([*texts, "   "])
    assert len(dropped) == len(set(dropped)) and not placed & set(dropped)
    counts = [d["count"] for d in result["dropped"]]
    assert counts == sorted(counts, reverse=True)  # most said first
    assert result["scale"] < 1  # the words shrank before any was dropped
    assert overlapping(result["placements"]) == []
    assert outside(result["placements"], box) == []


def test_a_word_said_twice_in_the_input_is_one_word(page: Page) -> None:
    result = layout(
        page,
        [{"text": "skog", "count": 2}, {"text": "hav", "count": 2}, {"text": "skog", "count": 1}],
    )
    assert [(p["text"], p["count"]) for p in result["placements"]] == [("skog", 3), ("hav", 2)]


def test_no_words_make_an_empty_cloud(page: Page) -> None:
    assert layout(page, []) == {"placements": [], "dropped": [], "scale": 1}


def test_without_a_measure_the_layout_says_what_it_needs(page: Page) -> None:
    message = page.evaluate(
        "() => { try { cloud.layout([], {width: 9, height: 9}); } catch (e) { return e.message; } }"
    )
    assert "measure" in message


def centres(placements: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    return {p["text"]: (p["x"] + p["width"] / 2, p["y"] + p["height"] / 2) for p in placements}


def moved(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The words of both layouts whose centre moved by more than a pixel."""
    old, new = centres(before["placements"]), centres(after["placements"])
    return {
        text
        for text in old.keys() & new.keys()
        if abs(old[text][0] - new[text][0]) > 1 or abs(old[text][1] - new[text][1]) > 1
    }


@pytest.mark.parametrize("rank", [1, 20, 59])
def test_when_one_word_gets_one_more_vote_then_the_others_stay_where_they_were(
    page: Page, rank: int
) -> None:
    words = counted(NORWEGIAN)
    before = layout(page, words)
    words[rank]["count"] += 1
    after = layout(page, words, previous=before)
    assert after["dropped"] == []
    assert moved(before, after) - {words[rank]["text"]} == set()
    # Without the previous layout the same words would be laid out afresh: most of them move.
    assert len(moved(before, layout(page, words))) > 10


def test_when_the_most_said_word_gets_one_more_vote_then_only_its_neighbours_may_move(
    page: Page,
) -> None:
    """Every other word shrinks a little (sizes are relative to the most said word's count)."""
    words = counted(NORWEGIAN)
    before = layout(page, words)
    words[0]["count"] += 1
    after = layout(page, words, previous=before)
    assert after["dropped"] == []
    assert len(moved(before, after) - {words[0]["text"]}) <= 3
    assert all(
        a["fontSize"] <= b["fontSize"]
        for a, b in zip(after["placements"][1:], before["placements"][1:], strict=True)
    )


def test_when_a_new_word_arrives_then_the_others_stay_where_they_were(page: Page) -> None:
    words = counted(NORWEGIAN)
    before = layout(page, words)
    after = layout(page, [*words, {"text": "tusenfryd", "count": 1}], previous=before)
    assert "tusenfryd" in {p["text"] for p in after["placements"]}
    assert moved(before, after) == set()
    assert after["scale"] == before["scale"]


RENDER_TWICE = """([words, box]) => {
  const container = document.getElementById("cloud");
  const first = cloud.layout(words, box, { measure });
  cloud.renderCloud(container, first.placements);
  const nodes = new Map([...container.children].map((node) => [node.textContent, node]));
  const sizes = new Map([...nodes].map(([text, node]) => [text, node.style.fontSize]));
  const [grown, gone] = [words[5].text, words[words.length - 1].text];
  const next = words.slice(0, -1).map((w) => (w.text === grown ? { ...w, count: 30 } : w));
  next.push({ text: "nyhet", count: 1 });
  const second = cloud.layout(next, box, { measure, previous: first });
  cloud.renderCloud(container, second.placements);
  const shown = [...container.children];
  return {
    kept: shown.filter((node) => nodes.get(node.textContent) === node).map((n) => n.textContent),
    fresh: shown.filter((node) => !nodes.has(node.textContent)).map((n) => n.textContent),
    goneAttached: nodes.get(gone).isConnected,
    grownSize: [sizes.get(grown), nodes.get(grown).style.fontSize],
    order: shown.map((node) => node.textContent),
    placed: second.placements.map((p) => p.text),
    styles: shown.map((node) => [node.style.left, node.style.top]),
    wanted: second.placements.map((p) => [`${p.x}px`, `${p.y}px`]),
  };
}"""


def test_rendering_again_keeps_each_word_node_and_only_moves_or_resizes_it(page: Page) -> None:
    words = counted(NORWEGIAN[:20])
    seen = page.evaluate(RENDER_TWICE, [words, BOX])
    assert sorted(seen["kept"]) == sorted(w["text"] for w in words[:-1])
    assert seen["fresh"] == ["nyhet"]
    assert seen["goneAttached"] is False
    before, after = seen["grownSize"]
    assert float(after.removesuffix("px")) > float(before.removesuffix("px"))
    assert seen["order"] == seen["placed"]  # most said first in the page too
    assert seen["styles"] == seen["wanted"]


def test_two_hundred_words_are_laid_out_quickly_enough_for_a_live_screen(page: Page) -> None:
    """Prints the time in Chromium (no assertion on it: machines differ)."""
    words = counted([f"{text}{n or ''}" for n in range(4) for text in NORWEGIAN][:200])
    timed = page.evaluate(
        """([words, box]) => {
          const time = (run) => {
            const t0 = performance.now();
            const out = run();
            return [performance.now() - t0, out];
          };
          const tenTimes = (run) => Array.from({ length: 10 }, () => time(run)[0]);
          const [cold, first] = time(() => cloud.layout(words, box, { measure }));
          const warm = tenTimes(() => cloud.layout(words, box, { measure }));
          const more = words.map((w, i) => (i === 7 ? { ...w, count: w.count + 1 } : w));
          const update = tenTimes(() => cloud.layout(more, box, { measure, previous: first }));
          return { cold, warm, update, first };
        }""",
        [words, BOX],
    )
    first = timed["first"]
    assert overlapping(first["placements"]) == []
    assert len(first["placements"]) + len(first["dropped"]) == 200

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    print(
        f"layout of 200 words in {BOX['width']}x{BOX['height']}: first {timed['cold']:.1f} ms, "
        f"then a median of {median(timed['warm']):.1f} ms (max {max(timed['warm']):.1f}); "
        f"one more vote with the previous layout: {median(timed['update']):.1f} ms; "
        f"{len(first['placements'])} placed, {len(first['dropped'])} dropped"
    )


def test_sixty_norwegian_words_fill_a_projector_screen_without_overlapping(
    page: Page, tmp_path: Path
) -> None:
    """Also leaves a screenshot to look at (its path is printed)."""
    result = layout(page, counted(NORWEGIAN))
    assert result["dropped"] == []
    page.evaluate(
        "(placements) => cloud.renderCloud(document.getElementById('cloud'), placements)",
        result["placements"],
    )
    # What the browser drew, not what the layout planned: the canvas measured the same font.
    drawn = page.get_by_test_id("cloud-word").evaluate_all(
        """(nodes) => nodes.map((node) => {
          const r = node.getBoundingClientRect();
          return { text: node.textContent, x: r.x, y: r.y, width: r.width, height: r.height };
        })"""
    )
    assert overlapping(drawn) == []
    assert outside(drawn, BOX) == []
    planned = {p["text"]: p for p in result["placements"]}
    for box in drawn:
        assert box["width"] <= planned[box["text"]]["width"] + 0.5, box
    shot = tmp_path / "cloud-60-norwegian-words.png"
    page.screenshot(path=shot)
    print(f"screenshot: {shot}")
