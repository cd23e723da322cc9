"""The core stays pure: no I/O, no event loop, no clock, no randomness, nothing but the standard
library's pure modules, the pure third-party `regex` and `numpy`, and facilitate.core itself.
Read from the source, so nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "facilitate" / "core"
FILES = sorted(CORE.rglob("*.py"))

# Standard-library modules that compute and nothing else.
ALLOWED = {
    "__future__",
    "abc",
    "bisect",
    "collections",
    "copy",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "fractions",
    "functools",
    "heapq",
    "itertools",
    "json",
    "math",
    "numbers",
    "operator",
    "re",
    "string",
    "textwrap",
    "tomllib",
    "types",
    "typing",
    "unicodedata",
    # Third-party, and as pure: `re` with grapheme clusters (`\X`), for core/writing.py.
    "regex",
    # Third-party arrays: computes and does no I/O (PCA, k-means: core/opinion.py, clusters.py).
    "numpy",
}
# Named so the message says why, even for a module someone might think harmless.
FORBIDDEN = {
    "asyncio",
    "anyio",
    "starlette",
    "uvicorn",
    "websockets",
    "sqlite3",
    "sqlite_utils",
    "time",
    "random",
    "secrets",
    "os",
    "socket",
    "threading",
    "uuid",
    "subprocess",
    "multiprocessing",
    "concurrent",
    "signal",
    "select",
    "selectors",
    "io",
    "sys",
    "pathlib",
    "shutil",
    "tempfile",
    "logging",
    "importlib",
    "urllib",
    "http",
    "jinja2",
    "click",
    "babel",
    "segno",
    "httpx",
}
# A clock or an id generator read by a call cannot be caught by imports alone.
FORBIDDEN_TEXT = (
    ".now(",
    ".utcnow(",
    ".today(",
    "time.time",
    "monotonic(",
    "perf_counter(",
    "uuid",
)


def imported_modules(source: str, package: str = "facilitate.core") -> list[str]:
    """Every module a source imports, relative imports resolved against `package`."""
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1] if node.level <= len(parts) else []
                name = ".".join([*base, node.module] if node.module else base)
                modules.append(name or "." * node.level)
            else:
                modules.append(node.module or "")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
        ):
            modules.append("__import__")
    return modules


def impurities(source: str) -> list[str]:
    """What makes a source impure: forbidden or unknown imports, clock or uuid calls."""
    found = []
    for module in imported_modules(source):
        root = module.split(".")[0]
        if module == "facilitate.core" or module.startswith("facilitate.core."):
            continue
        if root in FORBIDDEN:
            found.append(f"imports {module} (forbidden)")
        elif module not in ALLOWED and root not in ALLOWED:
            found.append(f"imports {module} (not a pure standard-library module)")
    found.extend(f"mentions {text!r}" for text in FORBIDDEN_TEXT if text in source)
    return found


def test_the_core_package_has_the_modules_this_test_guards():
    names = {path.name for path in FILES}
    assert names >= {
        "__init__.py",
        "plan.py",
        "meeting.py",
        "events.py",
        "activity.py",
        "poll.py",
        "board.py",
        "dots.py",
        "views.py",
        "record.py",
        "messages.py",
        "errors.py",
        "text.py",
        "writing.py",
        "personal.py",
        "personal_numbers.py",
        "personal_words.py",
        "names.py",
        "opinion.py",
        "clusters.py",
    }


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(CORE)))
def test_a_core_module_imports_only_pure_modules_and_reads_no_clock(path):
    assert impurities(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import asyncio",
        "import os.path",
        "from time import time",
        "import random as r",
        "from secrets import token_hex",
        "import sqlite3",
        "from sqlite_utils import Database",
        "from starlette.requests import Request",
        "import threading",
        "from facilitate.web import app",
        "from ..web import app",
        "from facilitate import cli",
        "import requests",
        "def f():\n    import socket\n",
        "if False:\n    from uvicorn import run\n",
        "__import__('os')",
        "from datetime import datetime\nstamp = datetime.now()",
        "import datetime\nstamp = datetime.datetime.utcnow()",
        "from datetime import date\nday = date.today()",
        "from uuid import uuid4",
    ],
)
def test_the_purity_check_catches_impure_code(source):
    assert impurities(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "from __future__ import annotations",
        "from collections.abc import Mapping",
        "from datetime import UTC, datetime\nstamp = datetime.fromtimestamp(0, UTC)",
        "from facilitate.core.plan import Plan",
        "from facilitate.core import board, dots",
        "from . import board",
        "from .plan import Plan",
        "import json, re, tomllib, unicodedata",
        "import regex",
        "import numpy as np\nimport numpy.typing as npt",
    ],
)
def test_the_purity_check_lets_pure_code_through(source):
    assert impurities(source) == []
