"""Nothing asks which kind an activity is: outside the kinds' own modules and partials
(facilitate/core/kinds/, static/js/kinds/, templates/kinds/), no script, stylesheet, template or
Python module names a kind to compare with or to switch on. A new kind is a new module, not an
edit to every page (docs/kinds.md)."""

from __future__ import annotations

import re
from pathlib import Path

from facilitate.core.kinds import KINDS
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


# Quoted kind names that are not a kind at all: a pain/joy board's first phase is called
# "notes" (`phase`), and so is the console's warning about a flood of notes (`alerts`).
NOT_A_KIND = re.compile(r"""phase: str = "notes"|\("notes", self\.notes_from""")


def offending_python() -> list[str]:
    found = []
    for path in sorted((ROOT / "facilitate").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.is_relative_to("facilitate/core/kinds"):
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if COMPARISON.search(line) and not NOT_A_KIND.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_python_module_compares_a_kind_name_outside_the_kinds() -> None:
    assert offending_python() == []


def test_the_python_check_finds_a_switch_and_lets_the_phase_be() -> None:
    assert COMPARISON.search('if spec.kind == "poll":')
    assert COMPARISON.search('    case "notes":')
    assert not NOT_A_KIND.search('if spec.kind == "poll":')
    assert NOT_A_KIND.search('    phase: str = "notes"  # pain and heart points')


DISTINCTIVE = ("painjoy", "qa", "wordcloud")


def naming_files(name: str) -> list[str]:
    """Source files that name a kind, quoted or in the file's name (catalogs and tests aside)."""
    quoted = re.compile(rf"""(["']){name}\1|\b{name}\b""")
    found = []
    for folder in ("facilitate", "static", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or "locales" in path.parts or path.suffix in (".pyc", ".gz"):
                continue
            if name in path.name or quoted.search(path.read_text("utf-8", errors="replace")):
                found.append(str(path.relative_to(ROOT)))
    return found


def test_a_kind_with_a_distinctive_name_is_named_in_at_most_five_files() -> None:
    for name in DISTINCTIVE:
        if name in KINDS:
            assert len(naming_files(name)) <= 5, (name, naming_files(name))
