"""A table's scribe phone: appointed in the facilitator's name, it writes its own table's agreed
answers in the commands its kind names for scribes, and nothing else; dismissing ends it."""

from __future__ import annotations

from typing import Any

from budget import examples
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from facilitate.core import record, views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR
from facilitate.core.plan import plan_from_dict

from .helpers import Run, notes

PROBLEM = {"id": "pr", "kind": "problem", "title": "Problemet", "scope": "table"}


def hall(*activities: dict[str, Any]) -> Run:
    plan = plan_from_dict(
        {"title": "Problemanalys", "language": "sv", "tables": 3, "activities": list(activities)}
    )
    run = Run(plan=plan)
    run.join("scribe", "p2", "p3")
    run.show(activities[0]["id"])
    return run


def appoint(run: Run, pid: str = "scribe", table: str = "t2") -> None:
    run.fac("appoint_scribe", table=table, participant=pid)


def test_when_a_phone_is_appointed_then_it_sits_at_its_table_and_knows_it_writes_for_it() -> None:
    run = hall(PROBLEM)
    appoint(run)
    assert run.meeting.seats["scribe"] == "t2" and run.meeting.scribes == {"scribe": "t2"}
    assert views.mine(run.meeting, "scribe")["_scribe"] == "t2"
    assert views.console(run.meeting, views.Presence())["scribes"] == {"t1": 0, "t2": 1, "t3": 0}
    assert run.fac("appoint_scribe", table="t2", participant="scribe") == []  # once is enough


def test_when_a_scribe_writes_the_agreed_answer_then_it_is_the_tables_and_marked_as_scribed() -> (
    None
):
    run = hall(PROBLEM)
    appoint(run)
    events = run.do(
        "scribe", "scribe", activity="pr", field="what", text="Skadegörelse", agreed=True
    )
    assert [e.type for e in events] == ["contribution_written", "contribution_agreed"]
    assert all(e.actor == FACILITATOR and e.data["scribe"] == "scribe" for e in events)
    assert all(e.data["table"] == "t2" for e in events)
    part = run.meeting.parts["pr"]["t2"]
    agreed = part.kind_state.agreed["what"]
    assert part.kind_state.contributions[agreed].text == "Skadegörelse"
    assert not run.meeting.parts["pr"]["t1"].kind_state.contributions
    entry = next(e for e in record.build(run.log)["activities"] if e["id"] == "pr")
    table = next(p for p in entry["parts"] if p["table"] == "t2")
    (what,) = (f for f in table["form"] if f["field"] == "what")
    assert [(c["text"], c["by"]) for c in what["contributions"]] == [("Skadegörelse", "scribe")]


def test_when_a_scribe_agrees_on_an_answer_at_its_table_then_the_table_has_it() -> None:
    run = hall(PROBLEM)
    appoint(run)
    run.do("p2", "sit", table="t2")
    (posted,) = run.do("p2", "contribute", activity="pr", field="where", text="Torget")
    run.do("scribe", "agree", activity="pr", contribution=posted.data["contribution"])
    assert run.meeting.parts["pr"]["t2"].kind_state.agreed == {"where": "c1"}
    run.do("scribe", "clear_agreed", activity="pr", field="where")
    assert run.meeting.parts["pr"]["t2"].kind_state.agreed == {}


def test_when_a_scribe_reaches_beyond_its_table_then_it_is_refused_and_nothing_changes() -> None:
    run = hall(PROBLEM, notes(scope="table"))
    appoint(run)
    run.do("p3", "sit", table="t3")
    (posted,) = run.do("p3", "contribute", activity="pr", field="what", text="Klotter")
    run.do("p2", "sit", table="t2")
    before = len(run.log)
    other_table = {"activity": "pr", "field": "what", "text": "Nej", "table": "t3"}
    assert run.refused("scribe", "scribe", **other_table).code == "forbidden"
    # Moderation stays the facilitator's, and so do the meeting's own commands.
    hide = {"activity": "pr", "contribution": posted.data["contribution"], "reason": "nej"}
    assert run.refused("scribe", "hide_contribution", **hide).code == "forbidden"
    assert run.refused("scribe", "goto", activity="ideas").code == "forbidden"
    assert run.refused("scribe", "dismiss_scribes", table="t2").code == "forbidden"
    assert run.refused("scribe", "appoint_scribe", table="t1", participant="p2").code == (
        "forbidden"
    )
    # A kind that names no scribe commands gives a scribe none.
    assert run.refused("scribe", "pause", activity="ideas").code == "forbidden"
    # A phone that is no scribe may not write in the facilitator's name either.
    assert run.refused("p2", "agree", activity="pr", contribution="c1").code == "forbidden"
    assert len(run.log) == before


def test_when_input_is_closed_then_a_scribe_writes_no_more() -> None:
    run = hall(PROBLEM)
    appoint(run)
    run.fac("close", activity="pr")
    refused = run.refused("scribe", "scribe", activity="pr", field="what", text="Sent")
    assert refused.code == "closed"


def test_when_a_scribe_moves_table_or_is_dismissed_then_it_writes_for_no_table() -> None:
    run = hall(PROBLEM)
    appoint(run)
    run.do("scribe", "sit", table="t1")
    assert "scribe" not in run.meeting.scribes and "_scribe" not in views.mine(
        run.meeting, "scribe"
    )
    appoint(run, table="t1")
    appoint(run, "p2", table="t1")
    assert run.meeting.scribe_round("t1") == 0
    (dismissed,) = run.fac("dismiss_scribes", table="t1")
    assert dismissed.data["participants"] == ["p2", "scribe"]
    assert views.affected(run.meeting, dismissed.type, dismissed.data) == {"p2", "scribe"}
    assert run.meeting.scribes == {} and run.meeting.scribe_round("t1") == 1
    assert run.meeting.seats["scribe"] == "t1"  # still sits there, as any phone
    assert run.refused("scribe", "scribe", activity="pr", field="what", text="x").code == (
        "forbidden"
    )


def test_when_an_appointment_names_no_phone_or_table_of_the_meeting_then_it_is_refused() -> None:
    run = hall(PROBLEM)
    unknown_phone = run.refused(FACILITATOR, "appoint_scribe", table="t1", participant="ghost")
    assert unknown_phone.code == "unknown_participant"
    unknown_table = run.refused(FACILITATOR, "appoint_scribe", table="t9", participant="p2")
    assert unknown_table.code == "unknown_table"
    assert run.refused(FACILITATOR, "dismiss_scribes", table="t9").code == "unknown_table"


def test_when_a_meeting_with_scribes_is_replayed_then_they_are_as_they_were() -> None:
    run = hall(PROBLEM)
    appoint(run)
    appoint(run, "p2", table="t3")
    run.fac("dismiss_scribes", table="t3")
    run.do("scribe", "scribe", activity="pr", field="what", text="Klotter", agreed=True)
    again = run.replayed()
    assert again.scribes == run.meeting.scribes == {"scribe": "t2"}
    assert again.scribe_rounds == {"t3": 1}
    assert again.parts["pr"]["t2"].kind_state.agreed == {"what": "c1"}


# -- the invariant ---------------------------------------------------------------------------

PEOPLE = ["p1", "p2", "p3"]
TABLES = ["t1", "t2", "t3"]


class ScribesMachine(RuleBasedStateMachine):
    """Whatever phones, scribes and the facilitator do, a contribution at a table is written
    by a phone of that table or in the facilitator's name (the console, or a scribe of that
    table at the time), and a scribe always sits at the table it writes for."""

    def __init__(self) -> None:
        super().__init__()
        self.run = hall(PROBLEM)
        self.run.join(*PEOPLE)
        self.written: dict[tuple[str, str], str | None] = {}  # (table, id) -> pid or scribe

    @rule(pid=st.sampled_from(PEOPLE), table=st.sampled_from(TABLES))
    def sit(self, pid: str, table: str) -> None:
        self.run.do(pid, "sit", table=table)

    @rule(pid=st.sampled_from(PEOPLE), table=st.sampled_from(TABLES))
    def appoint(self, pid: str, table: str) -> None:
        appoint(self.run, pid, table)

    @rule(table=st.sampled_from(TABLES))
    def dismiss(self, table: str) -> None:
        self.run.fac("dismiss_scribes", table=table)

    @rule(
        pid=st.sampled_from(PEOPLE),
        command=st.sampled_from(["contribute", "scribe"]),
        table=st.sampled_from([None, *TABLES]),
    )
    def write(self, pid: str, command: str, table: str | None) -> None:
        data: dict[str, Any] = {"activity": "pr", "field": "what", "text": "Klotter"}
        if table is not None:
            data["table"] = table
        scribe_of = self.run.meeting.scribes.get(pid)
        seat = self.run.meeting.seats.get(pid)
        try:
            events = self.run.do(pid, command, **data)
        except CommandError as error:  # refused only where it has to be
            if command == "scribe":
                assert scribe_of is None or table not in (None, scribe_of), error.code
            else:  # a phone's own: anywhere it sits, up to its limit in a field
                assert seat is None or error.code == "too_many_contributions", error.code
            return
        (event,) = events
        if command == "scribe":
            assert scribe_of is not None and event.data["table"] == scribe_of
            assert event.actor == FACILITATOR
        else:
            assert event.data["table"] == seat and event.actor == pid

    @invariant()
    def scribes_sit_where_they_write(self) -> None:
        meeting = self.run.meeting
        for pid, table in meeting.scribes.items():
            assert meeting.seats[pid] == table

    @invariant()
    def every_mine_says_the_same(self) -> None:
        for pid in PEOPLE:
            mine = views.mine(self.run.meeting, pid)
            assert mine.get("_scribe") == self.run.meeting.scribes.get(pid)


ScribesMachine.TestCase.settings = settings(
    max_examples=examples(60), stateful_step_count=25, deadline=None
)
test_scribes_write_only_for_the_table_they_sit_at = ScribesMachine.TestCase
