"""The shipped plans by name: only a plain name ever becomes a file name; and the plans for the
steps of the dialogue-to-promise process, the round-table ones run table by table."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate import plans
from facilitate.core import views
from facilitate.settings import ROOT
from tests.core.helpers import Run

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


# -- the plans for the steps of the dialogue-to-promise process --------------------------------

STEPS = {
    "medarbetardialog-vad": "sv",
    "problemanalys": "sv",
    "medarbetardialog-hur": "sv",
    "dialogmote": "nb",
    "namdal-workshop": "nb",
    "folkemote-panel": "nb",
}
# Plans seated at round tables, and the plenary activity that takes each table's top.
PLENARY = {
    "medarbetardialog-vad": ("prioritera", "ranking", "fokusomraden"),
    "dialogmote": ("prioritering", "points", "hjerte-smerte"),
    "namdal-workshop": ("prioritering", "points", "tema"),
}


@pytest.mark.parametrize("name", sorted(STEPS))
def test_when_a_process_step_plan_is_loaded_by_name_then_it_is_in_its_language(name: str) -> None:
    plan = plans.load(ROOT / "sessions", name)
    assert plan is not None and plan.language == STEPS[name]
    assert plan.activities[0].kind == "info" and plan.activities[-1].kind == "info"
    assert all(set(spec.title) == {"nb", "nn", "sv", "en"} for spec in plan.activities)


@pytest.mark.parametrize("name", sorted(PLENARY))
def test_a_round_table_plan_works_per_table_and_brings_each_tables_top_to_the_plenary(
    name: str,
) -> None:
    plan = plans.load(ROOT / "sessions", name)
    assert plan is not None and len(plan.tables) >= 2
    plenary_id, kind, source_id = PLENARY[name]
    ids = [spec.id for spec in plan.activities]
    plenary, source = plan.activity(plenary_id), plan.activity(source_id)
    assert plenary is not None and source is not None
    assert (plenary.kind, plenary.scope, source.scope) == (kind, "room", "table")
    assert plenary.settings.items_from.activity == source_id
    assert ids.index(source_id) < ids.index(plenary_id)
    # Each table brings its top: at most 20 items reach the phones in the plenary.
    assert len(plan.tables) * plenary.settings.items_from.top <= 20


@pytest.mark.parametrize("name", sorted(PLENARY))
def test_when_a_round_table_plan_is_run_then_the_plenary_gets_every_tables_top(name: str) -> None:
    """The whole plan, run the way the server runs it: two phones at each table write at their
    table (and dot, on a pain/joy board); the plenary draws each table's top when it opens, and
    everyone answers it."""
    plan = plans.load(ROOT / "sessions", name)
    assert plan is not None
    run = Run(plan=plan)
    seats = {f"p{n}": plan.tables[n % len(plan.tables)].id for n in range(2 * len(plan.tables))}
    run.join(*seats)
    for pid, table in seats.items():
        run.do(pid, "sit", table=table)
    plenary_id, kind, source_id = PLENARY[name]
    for spec in plan.activities:
        run.show(spec.id)
        if spec.id == plenary_id:
            break
        if spec.scope != "table":
            continue
        for pid, table in seats.items():
            extra = {"column": 0} if getattr(spec.settings, "columns", ()) else {}
            if spec.kind == "painjoy":
                extra = {"side": "pain"}
            run.post(pid, spec.id, f"{spec.id} ved {table} fra {pid}", **extra)
        if spec.kind == "painjoy":
            for table in {t for t in seats.values()}:
                run.fac("phase", activity=spec.id, phase="dots", table=table)
            for pid in seats:  # each phone dots the other phone's note at its table
                other = next(o for o, t in seats.items() if t == seats[pid] and o != pid)
                part = run.meeting.parts[spec.id][seats[pid]]
                (note,) = [n.id for n in part.notes.values() if n.text.endswith(f" {other}")]
                run.dot(pid, spec.id, note)
        run.fac("close", activity=spec.id)
    items = views.phone(run.meeting, views.Presence())["activity"]["items"]
    top = plan.activity(plenary_id).settings.items_from.top
    assert len(items) == min(top, 2) * len(plan.tables)
    brought = {item["text"][plan.language].split(" ved ")[1].split(" ")[0] for item in items}
    assert brought == {table.id for table in plan.tables}
    ids = [item["id"] for item in items]
    if kind == "ranking":
        run.do("p0", "rank", activity=plenary_id, order=ids)
    else:
        budget = plan.activity(plenary_id).settings.budget
        run.do("p0", "allot", activity=plenary_id, points={ids[0]: budget})
    assert run.meeting.responders(run.state(plenary_id)) == {"p0"}
