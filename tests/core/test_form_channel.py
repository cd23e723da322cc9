"""Input that came through the plain forms (the phone page without scripts) is marked by its
channel: each note, question, proposal or contribution in the record and the minutes, and for
input kept per phone (votes, ratings, orders) a count of the phones that used the forms."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from facilitate.core import record, views
from facilitate.core.events import FORM
from facilitate.core.plan import plan_from_dict
from facilitate.export.model import minutes

from .helpers import Run, entry, identity, markdown, notes, painjoy, poll, qa, statements

ROOT = Path(__file__).resolve().parents[2]


def listed(run: Run) -> list[str]:
    """The texts of the minutes' table of every input (the sheets and csv-long)."""
    built = minutes(record.build(run.log), identity)
    return [i.text for section in built.sections for i in section.inputs]


def test_when_a_note_comes_by_form_then_the_record_and_the_minutes_mark_it() -> None:
    run = Run(notes())
    run.join("p1", "p2")
    run.show("ideas")
    (posted,) = run.do("p1", "note", activity="ideas", text="Mer lys ved skolen", channel=FORM)
    run.post("p2", "ideas", "Flere benker")
    assert posted.data["channel"] == "form" and posted.actor == "p1"
    by_form, live = entry(run, "ideas")["notes"]
    assert by_form["channel"] == "form" and "channel" not in live
    assert "- Mer lys ved skolen (form)" in markdown(run)
    assert "- Flere benker\n" in markdown(run)
    # A phone like any other: it took part, and the views carry no channel for it.
    assert run.meeting.contributors == {"p1", "p2"}
    screen = views.screen(run.meeting, views.Presence())["activity"]
    assert all("channel" not in n for n in screen["notes"])
    assert entry(run, "ideas")["by_form"] == 1


def test_when_a_phone_claims_to_be_paper_then_its_note_is_a_phone_s_like_any() -> None:
    run = Run(notes())
    run.join("p1")
    run.show("ideas")
    (posted,) = run.do("p1", "note", activity="ideas", text="Lys", channel="paper")
    assert "channel" not in posted.data
    (recorded,) = entry(run, "ideas")["notes"]
    assert "channel" not in recorded
    assert "by_form" not in entry(run, "ideas")


def test_when_votes_come_by_form_then_the_record_counts_the_phones_and_the_public_one_not() -> None:
    run = Run(poll())
    run.join("p1", "p2", "p3")
    run.show("poll")
    (cast,) = run.do("p1", "vote", activity="poll", choices=["a"], channel=FORM)
    assert cast.data == {"activity": "poll", "choices": ["a"], "channel": "form"}
    run.do("p1", "vote", activity="poll", choices=["b"], channel=FORM)
    run.do("p2", "vote", activity="poll", choices=["b"])
    run.do("p3", "vote", activity="poll", choices=["c"], channel=FORM)
    run.do("p3", "vote", activity="poll", choices=[], channel=FORM)  # withdrawn: no responder
    found = entry(run, "poll")
    assert (found["responders"], found["by_form"]) == (2, 1)
    assert found["tally"]["counts"] == {"a": 0, "b": 2, "c": 0}
    public = record.public(record.build(run.log))
    assert "by_form" not in public["activities"][0]
    # Replayed from the log, the meeting counts the same.
    assert run.replayed().by_form(run.replayed().activities["poll"]) == {"p1"}


def test_when_phones_at_tables_answer_by_form_then_every_table_s_count_adds_up() -> None:
    plan = plan_from_dict({"title": "M", "tables": 2, "activities": [poll(scope="table")]})
    run = Run(plan=plan)
    run.join("p1", "p2")
    run.do("p1", "sit", table="t1", channel=FORM)
    run.do("p2", "sit", table="t2")
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["a"], channel=FORM)
    run.do("p2", "vote", activity="poll", choices=["a"], channel=FORM)
    assert entry(run, "poll")["by_form"] == 2


def test_when_dots_and_questions_come_by_form_then_the_board_marks_the_notes_only() -> None:
    run = Run(painjoy(), qa(moderated=False))
    run.join("p1", "p2")
    run.show("pj")
    note = run.post("p1", "pj", "Mørk undergang", kind="pain", channel=FORM)
    run.fac("phase", activity="pj", phase="dots")
    (dot,) = run.do("p2", "dot", activity="pj", note=note, delta=1, channel=FORM)
    assert dot.data["channel"] == "form"
    (recorded,) = entry(run, "pj")["notes"]
    assert (recorded["channel"], recorded["dots"]) == ("form", 1)
    assert entry(run, "pj")["by_form"] == 2
    assert "Mørk undergang (form)" in markdown(run)
    run.show("qa")
    run.post("p2", "qa", "Hvorfor er det mørkt?", channel=FORM)
    (question,) = entry(run, "qa")["questions"]
    assert question["channel"] == "form"
    assert "Hvorfor er det mørkt? (form)" in markdown(run)


def test_when_a_statement_is_proposed_by_form_then_the_record_and_the_minutes_mark_it() -> None:
    run = Run(statements(allow_new=True))
    run.join("p1")
    run.show("st")
    (proposed,) = run.do("p1", "propose", activity="st", text="Mer lys i parken", channel=FORM)
    waiting = entry(run, "st")["moderation"]
    assert [(p["text"], p["channel"]) for p in waiting] == [("Mer lys i parken", "form")]
    run.fac("approve_statement", activity="st", statement=proposed.data["statement"])
    proposed_ones = [s for s in entry(run, "st")["statements"] if s.get("proposed")]
    assert [s["channel"] for s in proposed_ones] == ["form"]
    assert "Mer lys i parken (form)" in listed(run)


def test_when_a_contribution_and_an_action_come_by_form_then_the_record_marks_them() -> None:
    run = Run(
        {"id": "pr", "kind": "problem", "title": "Problemet"},
        {"id": "ac", "kind": "actions", "title": "Tiltak"},
    )
    run.join("p1")
    run.show("pr")
    run.do("p1", "contribute", activity="pr", field="what", text="Mørkt", channel=FORM)
    (what,) = entry(run, "pr")["form"][0]["contributions"]
    assert (what["text"], what["channel"]) == ("Mørkt", "form")
    assert "Mørkt (form)" in listed(run)
    assert "Mørkt (form)" in markdown(run)  # among the answers to the question
    run.show("ac")
    run.do("p1", "propose_action", activity="ac", what="Lys i parken", channel=FORM)
    (action,) = entry(run, "ac")["actions"]
    assert (action["what"], action["channel"]) == ("Lys i parken", "form")
    assert "Lys i parken (form)" in listed(run)


def test_when_input_comes_by_form_then_the_record_still_follows_its_schema() -> None:
    schema = json.loads((ROOT / "docs" / "record-schema.json").read_text("utf-8"))
    run = Run(
        notes(),
        statements(allow_new=True),
        {"id": "pr", "kind": "problem", "title": "Problemet"},
        {"id": "ac", "kind": "actions", "title": "Tiltak"},
    )
    run.join("p1")
    for activity, command, data in (
        ("ideas", "note", {"text": "Lys"}),
        ("st", "propose", {"text": "Mer lys i parken"}),
        ("st", "propose", {"text": "Færre biler"}),
        ("pr", "contribute", {"field": "what", "text": "Mørkt"}),
        ("pr", "contribute", {"field": "what", "text": "Ring 98765432"}),  # held
        ("ac", "propose_action", {"what": "Lys i parken"}),
    ):
        run.show(activity)
        run.do("p1", command, activity=activity, channel=FORM, **data)
    run.fac("approve_statement", activity="st", statement="p1")
    jsonschema.validate(record.build(run.log), schema)
