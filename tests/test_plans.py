"""The shipped plans by name: only a plain name ever becomes a file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate import plans
from facilitate.settings import ROOT

PLAN = '[[activities]]\nkind = "info"\ntitle = "Hei"\n'


def test_when_a_plan_is_loaded_by_name_then_it_is_the_file(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text(f'title = "Godt"\n{PLAN}', "utf-8")
    plan = plans.load(tmp_path, "good")
    assert plan is not None and plan.title == {"nb": "Godt"}
    assert plans.load(ROOT / "sessions", "folkemote") is not None


@pytest.mark.parametrize("name", ["good\n", "../good", "Good", "good.toml", "", "-good"])
def test_when_a_name_is_not_a_plain_plan_name_then_no_file_is_read(
    tmp_path: Path, name: str
) -> None:
    """`$` matches before a trailing newline: "good\\n" passed for a name, and a file of
    that name was read."""
    for stem in ("good\n", "good", "Good", "-good"):
        (tmp_path / f"{stem}.toml").write_text(f'title = "Fil"\n{PLAN}', "utf-8")
    assert plans.load(tmp_path, name) is None
