"""Round tables: a phone sits at a table, and an activity answered per table keeps each table's
input apart, in the views, the record, the public record and the minutes."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from budget import examples
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from facilitate.core import record, views
from facilitate.core.plan import PlanError, plan_from_dict
from facilitate.export.markdown import render as render_markdown
from facilitate.export.model import minutes
from facilitate.settings import ROOT

from .helpers import Run, notes, painjoy


def tabled(*activities: dict[str, Any], tables: Any = 3) -> Run:
    plan = plan_from_dict(
        {"title": "Dialogmøte", "language": "nb", "tables": tables, "activities": list(activities)}
    )
    return Run(plan=plan)


def gettext(message: str) -> str:
    return message


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(PlanError) as caught:
        plan_from_dict(data)
    return [(p.field, p.code) for p in caught.value.problems]


# -- the plan ------------------------------------------------------------------------------


def test_when_a_plan_gives_a_number_or_names_of_tables_then_they_are_t1_to_tn() -> None:
    counted = plan_from_dict({"title": "M", "tables": 4, "activities": [notes(scope="table")]})
    assert [t.id for t in counted.tables] == ["t1", "t2", "t3", "t4"]
    assert all(t.name == {} for t in counted.tables)
    named = plan_from_dict({"title": "M", "tables": ["Bord A", "Bord B"], "activities": [notes()]})
    assert [(t.id, t.name) for t in named.tables] == [
        ("t1", {"nb": "Bord A"}),
        ("t2", {"nb": "Bord B"}),
    ]
    for plan in (counted, named):
        assert plan_from_dict(plan.to_dict()) == plan


@pytest.mark.parametrize("tables", [1, 61, 0, True, "6", [], ["Alene"], {"a": 1}])
def test_when_tables_are_not_two_to_sixty_then_the_plan_says_so(tables: Any) -> None:
    found = problems({"title": "M", "tables": tables, "activities": [notes()]})
    assert ("tables", "bad_tables") in found


def test_when_an_activity_is_per_table_without_tables_then_the_plan_says_so() -> None:
    found = problems({"title": "M", "activities": [notes(scope="table")]})
    assert found == [("activities[0].scope", "scope_without_tables")]
    found = problems({"title": "M", "tables": 2, "activities": [notes(scope="corner")]})
    assert found == [("activities[0].scope", "bad_scope")]
    slide = {"id": "hi", "kind": "info", "title": "Hei", "scope": "table"}
    found = problems({"title": "M", "tables": 2, "activities": [slide]})
    assert found == [("activities[0].scope", "unknown_field")]  # a slide takes no input


def test_when_each_tables_top_would_make_too_many_items_then_the_plan_says_so() -> None:
    rank = {
        "id": "rank",
        "kind": "ranking",
        "title": "Hva først?",
        "items_from": {"activity": "pj", "top": 4},
    }
    found = problems({"title": "M", "tables": 6, "activities": [painjoy(scope="table"), rank]})
    assert found == [("activities[1].items_from", "too_many_drawn")]
    five = plan_from_dict({"title": "M", "tables": 5, "activities": [painjoy(scope="table"), rank]})
    assert five.activities[1].settings.items_from.top == 4  # 5 tables x 4 = 20 fits


# -- seats and input -----------------------------------------------------------------------


def test_when_phones_sit_at_tables_then_their_notes_stay_with_their_table() -> None:
    run = tabled(notes(scope="table"))
    run.join("p1", "p2", "p3")
    run.show("ideas")
    run.do("p1", "sit", table="t1")
    run.do("p2", "sit", table="t2")
    run.do("p3", "sit", table="t2")
    light = run.post("p1", "ideas", "Mer lys i parken")
    run.post("p2", "ideas", "Vakter ved stasjonen")
    run.post("p3", "ideas", "Busser om natta")
    parts = run.meeting.parts["ideas"]
    assert [n.text for n in parts["t1"].notes.values()] == ["Mer lys i parken"]
    assert len(parts["t2"].notes) == 2 and not parts["t3"].notes
    assert run.state("ideas").notes == {}  # the room's own state holds none
    assert views.mine(run.meeting, "p1")["_table"] == "t1"
    assert [n["id"] for n in views.mine(run.meeting, "p1")["ideas"]["notes"]] == [light]
    assert len(run.meeting.responders(run.state("ideas"))) == 3


def test_when_a_phone_has_not_sat_down_then_its_input_is_refused_and_nothing_changes() -> None:
    run = tabled(notes(scope="table"))
    run.join("p1")
    run.show("ideas")
    assert run.refused("p1", "note", activity="ideas", text="Hei").code == "no_table"
    assert run.refused("p1", "sit", table="t9").code == "unknown_table"
    assert run.refused("p1", "sit", table=3).code == "unknown_table"
    assert all(not part.notes for part in run.meeting.parts["ideas"].values())
    assert "p1" not in run.meeting.seats


def test_when_a_phone_sits_again_at_its_table_then_nothing_is_logged() -> None:
    run = tabled(notes(scope="table"))
    assert run.do("p1", "sit", table="t2") and run.do("p1", "sit", table="t2") == []


def test_when_the_facilitator_moderates_a_table_then_the_command_names_the_table() -> None:
    run = tabled(notes(scope="table"))
    run.show("ideas")
    run.do("p1", "sit", table="t2")
    note = run.post("p1", "ideas", "Ring meg på 98765432")  # held: looks personal
    assert run.refused("facilitator", "release", activity="ideas", note=note).code == (
        "unknown_table"
    )
    run.fac("hide", activity="ideas", note=note, reason="telefonnummer", table="t2")
    assert run.meeting.parts["ideas"]["t2"].notes[note].status == "hidden"


def test_when_an_activity_opens_or_closes_then_every_table_does() -> None:
    run = tabled(notes(scope="table"))
    run.show("ideas")
    run.do("p1", "sit", table="t3")
    run.fac("close", activity="ideas")
    assert run.refused("p1", "note", activity="ideas", text="Sent").code == "closed"
    assert not any(part.open for part in run.meeting.parts["ideas"].values())
    run.fac("open", activity="ideas")
    run.fac("reveal", activity="ideas")
    assert all(p.open and p.show_results for p in run.meeting.parts["ideas"].values())
    run.post("p1", "ideas", "Nå går det")


def test_when_a_later_activity_takes_items_from_one_per_table_then_each_table_brings_its_top() -> (
    None
):
    run = tabled(
        painjoy(scope="table"),
        {
            "id": "rank",
            "kind": "ranking",
            "title": "Hva først?",
            "items_from": {"activity": "pj", "top": 1},
        },
        tables=2,
    )
    run.show("pj")
    for pid, table, text in (("p1", "t1", "Mørk undergang"), ("p2", "t2", "Fart i gata")):
        run.do(pid, "sit", table=table)
        note = run.post(pid, "pj", text, side="pain")
        run.post(pid, "pj", f"Ikke så viktig ved {table}", side="pain")
        run.fac("phase", activity="pj", phase="dots", table=table)
        run.dot(pid, "pj", note)
    run.show("rank")
    texts = [
        item["text"]["nb"]
        for item in views.phone(run.meeting, views.Presence())["activity"]["items"]
    ]
    assert texts == ["Mørk undergang", "Fart i gata"]
    # The record and the minutes say which table brought each item, the public record too.
    built = record.build(run.log)
    entry = next(a for a in built["activities"] if a["id"] == "rank")
    assert [(b["text"]["nb"], b["table"]) for b in entry["brought"]] == [
        ("Mørk undergang", "t1"),
        ("Fart i gata", "t2"),
    ]
    shown = next(a for a in record.public(built)["activities"] if a["id"] == "rank")
    assert shown["brought"] == entry["brought"]
    markdown = render_markdown(minutes(built, gettext))
    assert "- Mørk undergang – Table 1\n- Fart i gata – Table 2" in markdown
    jsonschema.validate(built, json.loads((ROOT / "docs" / "record-schema.json").read_text()))


# -- views, record and minutes ---------------------------------------------------------------


def pain_then_ranking_per_table() -> Run:
    """Two tables' pain points, then a ranking per table of each table's top one."""
    run = tabled(
        painjoy(scope="table"),
        {
            "id": "rank",
            "kind": "ranking",
            "title": "Hva først?",
            "items_from": {"activity": "pj", "top": 1},
            "scope": "table",
        },
        tables=2,
    )
    run.show("pj")
    for pid, table, text in (("p1", "t1", "Mørk undergang"), ("p2", "t2", "Fart i gata")):
        run.do(pid, "sit", table=table)
        run.post(pid, "pj", text, side="pain")
    return run


def test_when_an_activity_per_table_takes_items_from_one_per_table_then_each_table_its_own() -> (
    None
):
    run = pain_then_ranking_per_table()
    run.show("rank")
    drawn = {t: part.drawn for t, part in run.meeting.parts["rank"].items()}
    assert drawn == {"t1": ({"nb": "Mørk undergang"},), "t2": ({"nb": "Fart i gata"},)}


def test_when_one_table_moves_on_then_every_role_sees_that_in_its_part_only() -> None:
    """What the kind's head says of a table (the pain points' phase, the items drawn for it) is
    in that table's part of every view, over the whole activity's: read as each page reads it."""
    run = pain_then_ranking_per_table()
    run.fac("phase", activity="pj", phase="dots", table="t1")
    presence = views.Presence()

    def parts(activity: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {p["table"]: {**activity, **p} for p in activity["parts"]}

    for view in (views.phone, views.screen, views.console):
        seen = parts(view(run.meeting, presence)["activity"])
        assert (seen["t1"]["phase"], seen["t2"]["phase"]) == ("dots", "notes")
    run.show("rank")
    for view in (views.phone, views.screen, views.console):
        seen = parts(view(run.meeting, presence)["activity"])
        assert {t: [i["text"]["nb"] for i in seen[t]["items"]] for t in seen} == {
            "t1": ["Mørk undergang"],
            "t2": ["Fart i gata"],
        }


def test_when_an_activity_is_per_table_then_each_role_sees_every_tables_part() -> None:
    run = tabled(notes(scope="table"), tables=["Bord A", "Bord B"])
    run.show("ideas")
    run.do("p1", "sit", table="t2")
    run.post("p1", "ideas", "Benker ved elva")
    presence = views.Presence()
    for view in (views.phone(run.meeting, presence), views.console(run.meeting, presence)):
        assert view["tables"] == [
            {"id": "t1", "name": {"nb": "Bord A"}},
            {"id": "t2", "name": {"nb": "Bord B"}},
        ]
        activity = view["activity"]
        assert activity["scope"] == "table"
        assert [(p["table"], p["responders"]) for p in activity["parts"]] == [("t1", 0), ("t2", 1)]
    console = views.console(run.meeting, presence)["activity"]
    assert [len(p["notes"]) for p in console["parts"]] == [0, 1]
    run.fac("show_table", table="t2")
    assert views.screen(run.meeting, presence)["activity"]["shown_table"] == "t2"
    assert views.console(run.meeting, presence)["screen_table"] == "t2"
    assert run.refused("facilitator", "show_table", table="t7").code == "unknown_table"


def test_when_the_record_is_built_then_each_table_is_a_part_and_hidden_text_stays_private() -> None:
    run = tabled(notes(scope="table"), tables=["Bord A", "Bord B"])
    run.show("ideas")
    run.do("p1", "sit", table="t1")
    run.do("p2", "sit", table="t2")
    run.post("p1", "ideas", "Lys i parken")
    secret = run.post("p2", "ideas", "Naboen min er kjeltring")
    run.fac("hide", activity="ideas", note=secret, reason="om en person", table="t2")
    built = record.build(run.log)
    (entry,) = built["activities"]
    assert entry["scope"] == "table" and entry["responders"] == 2
    assert [(p["table"], p["name"], p["responders"]) for p in entry["parts"]] == [
        ("t1", {"nb": "Bord A"}, 1),
        ("t2", {"nb": "Bord B"}, 1),
    ]
    shown = record.public(built)
    assert "kjeltring" not in str(shown) and "Lys i parken" in str(shown)
    assert "kjeltring" in str(built)  # the record itself hides nothing
    text = render_markdown(minutes(built, gettext))
    assert text.index("Bord A") < text.index("Lys i parken") < text.index("Bord B")


def test_when_a_meeting_has_tables_then_its_record_follows_the_published_schema() -> None:
    run = tabled(notes(scope="table"), painjoy(), tables=["Bord A", "Bord B"])
    run.show("ideas")
    run.do("p1", "sit", table="t2")
    run.post("p1", "ideas", "Benker ved elva")
    schema = json.loads((ROOT / "docs" / "record-schema.json").read_text("utf-8"))
    jsonschema.validate(record.build(run.log), schema)


def test_when_tables_are_unnamed_then_the_minutes_number_them() -> None:
    run = tabled(notes(scope="table"), tables=2)
    run.show("ideas")
    run.do("p1", "sit", table="t2")
    run.post("p1", "ideas", "Gatelys")
    text = render_markdown(minutes(record.build(run.log), gettext))
    assert "Table 1" in text and text.index("Table 2") < text.index("Gatelys")


def test_when_a_meeting_with_tables_is_replayed_then_it_is_as_it_was() -> None:
    run = tabled(notes(scope="table"), painjoy())
    run.show("ideas")
    for n, table in enumerate(("t1", "t2", "t3", "t1"), start=1):
        run.do(f"p{n}", "sit", table=table)
        run.post(f"p{n}", "ideas", f"Idé {n}")
    run.fac("show_table", table="t3")
    again = run.replayed()
    assert again.seats == run.meeting.seats and again.screen_table == "t3"
    assert again.parts == run.meeting.parts
    assert record.build(run.log) == record.build(list(run.log))


# -- the invariant: input never crosses tables ------------------------------------------------

PEOPLE = ("p1", "p2", "p3", "p4")
TABLES = ("t1", "t2", "t3")


class TablesMachine(RuleBasedStateMachine):
    """Phones sit down, move, post and withdraw; the facilitator hides and closes. Every note
    is at the table its author sat at when posting it, and only there."""

    def __init__(self) -> None:
        super().__init__()
        self.run = tabled(notes(scope="table"))
        self.run.show("ideas")
        self.where: dict[str, str] = {}  # note id -> the table it was posted at
        self.seat: dict[str, str] = {}

    @rule(pid=st.sampled_from(PEOPLE), table=st.sampled_from(TABLES))
    def sit(self, pid: str, table: str) -> None:
        self.run.do(pid, "sit", table=table)
        self.seat[pid] = table

    @rule(pid=st.sampled_from(PEOPLE), text=st.sampled_from(["Lys", "Benker", "Vakter"]))
    def post(self, pid: str, text: str) -> None:
        if not self.run.state("ideas").open:
            assert self.run.refused(pid, "note", activity="ideas", text=text).code == "closed"
        elif pid not in self.seat:
            assert self.run.refused(pid, "note", activity="ideas", text=text).code == "no_table"
        else:
            self.where[self.run.post(pid, "ideas", text)] = self.seat[pid]

    @rule(data=st.data())
    def hide(self, data: st.DataObject) -> None:
        if not self.where:
            return
        note = data.draw(st.sampled_from(sorted(self.where)))
        wrong = data.draw(st.sampled_from(TABLES))
        if wrong != self.where[note]:
            assert self.run.refused(
                "facilitator", "hide", activity="ideas", note=note, reason="x", table=wrong
            ).code in ("unknown_note", "note_gone")
        part = self.run.meeting.parts["ideas"][self.where[note]]
        if part.notes[note].status != "hidden":
            self.run.fac("hide", activity="ideas", note=note, reason="x", table=self.where[note])

    @rule(want=st.booleans())
    def toggle(self, want: bool) -> None:
        self.run.fac("open" if want else "close", activity="ideas")

    @invariant()
    def each_note_is_at_its_table_only(self) -> None:
        for table, part in self.run.meeting.parts["ideas"].items():
            assert {n for n in part.notes} == {n for n, t in self.where.items() if t == table}
            assert part.open == self.run.state("ideas").open

    @invariant()
    def the_record_and_a_replay_agree(self) -> None:
        assert self.run.replayed().parts == self.run.meeting.parts


TablesMachine.TestCase.settings = settings(
    max_examples=examples(40), stateful_step_count=25, deadline=None
)
test_input_never_crosses_tables = TablesMachine.TestCase
