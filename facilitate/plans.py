"""The shipped meeting plans in `sessions/`: listing and loading them by name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from facilitate.core.plan import Plan, parse_plan

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,60}")  # with fullmatch: `$` lets "name\n" through


@dataclass(frozen=True)
class Shipped:
    """A plan file and what it holds (or why it cannot be used)."""

    name: str
    path: Path
    plan: Plan | None
    error: str | None = None


def available(directory: Path) -> list[Shipped]:
    """Every plan in the folder, sorted by name; broken ones carry their error."""
    result = []
    for path in sorted(directory.glob("*.toml"), key=lambda path: path.stem):
        try:
            result.append(Shipped(path.stem, path, parse_plan(path.read_text("utf-8"))))
        except ValueError as exc:
            result.append(Shipped(path.stem, path, None, str(exc)))
    return result


def load(directory: Path, name: str) -> Plan | None:
    """The plan called `name` (without .toml), or None when there is no such plan.

    Raises:
        PlanError: the file exists but is not a valid plan.
    """
    if not _NAME.fullmatch(name):
        return None
    path = directory / f"{name}.toml"
    if not path.is_file():
        return None
    return parse_plan(path.read_text("utf-8"))
