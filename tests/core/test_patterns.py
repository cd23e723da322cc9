"""Every `regex` pattern keeps the GIL while it matches (facilitate.core.patterns): a match that
let go of it would wait a switch interval to get it back whenever the log's writer thread runs."""

from __future__ import annotations

import ast
import sys
import threading
from pathlib import Path

import pytest

from facilitate.core import patterns

PACKAGE = Path(__file__).resolve().parents[2] / "facilitate"


def _imports_regex(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name == "regex" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "regex":
            return True
    return False


def test_only_the_patterns_module_imports_regex() -> None:
    importers = sorted(
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if _imports_regex(p)
    )
    assert importers == ["core/patterns.py"], "make `regex` patterns with core.patterns.compile"


@pytest.mark.parametrize("method", ["search", "match", "fullmatch", "finditer"])
def test_when_another_thread_is_runnable_then_matching_does_not_hand_it_the_gil(
    method: str,
) -> None:
    pattern = patterns.compile(r"\p{L}+\X")
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.05)  # the spinner gets the GIL only when we let go of it, or 50 ms on
    spinner = threading.Thread(target=spin, daemon=True)
    try:
        spinner.start()
        before = ticks
        for _ in range(20):  # 20 matches take microseconds; 20 hand-overs would take a second
            found = getattr(pattern, method)("Grünerløkka")
            if method == "finditer":
                list(found)
        during = ticks - before
    finally:
        stop.set()
        spinner.join()
        sys.setswitchinterval(interval)
    assert during == 0
