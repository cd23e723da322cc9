"""The pages never ask which kind an activity is: outside the kinds' own modules and partials
(static/js/kinds/, templates/kinds/), no script, stylesheet or template names a kind to compare
with or to switch on. A new kind is a new module, not an edit to every page (docs/kinds.md)."""

from __future__ import annotations

import re
from pathlib import Path

from facilitate.core.plan import KINDS
from facilitate.settings import ROOT

NAMES = "|".join(KINDS)
# A kind's name as a quoted string ("poll", 'notes'), as a class (kind-painjoy), in a
# comparison (activity.kind === …, {% if activity.kind == … %}), in a data attribute listing
# kinds (data-for="poll notes") or as the key of a per-kind dispatch ({info: infoPart}).
COMPARISON = re.compile(
    rf"""(["'])(?:{NAMES})\1"""
    rf"|\bkind-(?:{NAMES})\b"
    r"|\bkind\s*(?:===?|!==?)"
    rf"""|\bdata-[\w-]+="[^"{{]*\b(?:{NAMES})\b"""
    rf"|\b(?:{NAMES})\s*:\s*\w*(?:Part|part)\b"
)
OWN = (Path("static/js/kinds"), Path("templates/kinds"))


def offending_lines() -> list[str]:
    found = []
    for folder in ("static", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT)
            if path.suffix not in (".js", ".css", ".html") or relative.parent in OWN:
                continue
            for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
                if COMPARISON.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_page_compares_a_kind_name_outside_the_kinds_own_files() -> None:
    assert offending_lines() == []


def test_the_check_finds_what_it_looks_for() -> None:
    for line in (
        'if (activity.kind === "poll") parts.push(bars);',
        "{% if activity.kind == 'painjoy' %}",
        '<p data-for="poll notes">',
        'const BOARDS = new Set(["notes", "painjoy"]);',
        "const renderers = { info: infoPart, poll: pollPart };",
        ".kind-info .muted { color: red; }",
        "if (activity.kind !== kinds.info) return;",
    ):
        assert COMPARISON.search(line), line
    for line in (
        '<button data-add="{{ kind }}">',
        "parts.push(kindOf(activity).results?.(activity, context));",
        'send("hide_many", { activity: activity.id, notes: ticked });',
    ):
        assert not COMPARISON.search(line), line
