"""People without a phone: the helper types in notes from paper and counts hands. Their input
counts in the results, always apart (by channel), and is nobody's phone."""

from __future__ import annotations

from budget import examples
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from facilitate.core import record, views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, HELPER
from facilitate.core.plan import plan_from_dict
from facilitate.export.model import minutes

from .helpers import Run, entry, identity, markdown, notes, painjoy, poll

# -- hands -------------------------------------------------------------------------------------


def test_when_the_helper_counts_hands_then_the_tally_counts_them_apart_from_the_phones() -> None:
    run = Run(poll())
    run.join("p1", "p2")
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["a"])
    run.do("p2", "vote", activity="poll", choices=["b"])
    (counted,) = run.do(HELPER, "hands", activity="poll", option="b", count=14)
    assert counted.type == "hands_counted" and counted.actor == HELPER
    tally = entry(run, "poll")["tally"]
    assert tally["counts"]["b"] == 15 and tally["hands"] == {"b": 14}
    assert tally["voters"] == 16  # two phones and fourteen hands
    # A count replaces the one before; the same count again changes nothing; 0 takes it back.
    run.fac("hands", activity="poll", option="b", count=12)
    assert run.do(HELPER, "hands", activity="poll", option="b", count=12) == []
    assert entry(run, "poll")["tally"]["counts"]["b"] == 13
    run.do(HELPER, "hands", activity="poll", option="b", count=0)
    assert "hands" not in entry(run, "poll")["tally"]
    # Hands are nobody's phone: they do not count as phones that took part.
    assert run.meeting.contributors == {"p1", "p2"}
    assert run.meeting.responders(run.state("poll")) == {"p1", "p2"}


def test_when_hands_are_counted_then_the_minutes_say_so_and_list_them_apart() -> None:
    run = Run(poll())
    run.join("p1")
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["b"])
    run.do(HELPER, "hands", activity="poll", option="b", count=14)
    text = markdown(run)
    assert "Counted by a show of hands, for people without a phone: B: 14" in text
    built = minutes(record.build(run.log), identity)
    inputs = [i for s in built.sections for i in s.inputs]
    assert ("Answer", "B", 1) in [(i.kind, i.text, i.votes) for i in inputs]
    assert ("Hands", "B", 14) in [(i.kind, i.text, i.votes) for i in inputs]


def test_when_a_multiple_choice_poll_gets_hands_then_the_people_are_the_biggest_count() -> None:
    run = Run(poll(multiple=True))
    run.show("poll")
    run.do(HELPER, "hands", activity="poll", option="a", count=5)
    run.do(HELPER, "hands", activity="poll", option="b", count=8)
    assert entry(run, "poll")["tally"]["voters"] == 8  # at least eight people raised hands


def test_when_hands_are_not_a_count_of_an_option_then_they_are_refused() -> None:
    run = Run(poll())
    run.join("p1")
    run.show("poll")
    for option, count, code in [
        ("x", 3, "unknown_option"),
        ("a", -1, "bad_count"),
        ("a", 10_001, "bad_count"),
        ("a", True, "bad_count"),
        ("a", 2.5, "bad_count"),
    ]:
        refused = run.refused(HELPER, "hands", activity="poll", option=option, count=count)
        assert refused.code == code
    # Only the helper and the console count hands; the helper does nothing else.
    assert run.refused("p1", "hands", activity="poll", option="a", count=3).code == "forbidden"
    assert run.refused(HELPER, "close", activity="poll").code == "forbidden"
    assert run.refused(HELPER, "vote", activity="poll", choices=["a"]).code == "forbidden"
    assert run.refused(HELPER, "hands", activity="welcome", option="a", count=1).code == (
        "unknown_activity"
    )


# -- paper notes -------------------------------------------------------------------------------


def test_when_the_helper_types_a_paper_note_then_it_is_a_note_marked_as_paper() -> None:
    run = Run(notes())
    run.join("p1")
    run.show("ideas")
    (posted,) = run.do(HELPER, "paper_note", activity="ideas", text="Mer lys ved skolen")
    assert posted.data["channel"] == "paper" and posted.actor == HELPER
    note = posted.data["note"]
    screen = views.screen(run.meeting, views.Presence())["activity"]
    assert [n.get("channel") for n in screen.get("notes", [])] in ([], ["paper"])
    (recorded,) = entry(run, "ideas")["notes"]
    assert recorded["channel"] == "paper" and recorded["id"] == note
    assert run.meeting.contributors == set()  # no phone took part
    assert "- Mer lys ved skolen (paper)" in markdown(run)
    assert views.helper(run.meeting, views.Presence())["activity"]["paper"] == [
        {"id": note, "text": "Mer lys ved skolen", "status": "visible"}
    ]
    assert views.helper(run.meeting, views.Presence())["activity"]["helps"] == ["paper_note"]


def test_when_a_paper_note_looks_personal_or_is_hidden_then_it_is_moderated_as_any_note() -> None:
    run = Run(notes())
    run.show("ideas")
    (held,) = run.do(HELPER, "paper_note", activity="ideas", text="Ring Per på 98765432")
    assert held.data["held"]  # waits for the facilitator, as a phone's would
    (posted,) = run.do(HELPER, "paper_note", activity="ideas", text="Naboen i nr. 4 er slem")
    run.fac("hide", activity="ideas", note=posted.data["note"], reason="navngir")
    paper = views.helper(run.meeting, views.Presence())["activity"]["paper"]
    assert [p["status"] for p in paper] == ["held"]  # a hidden note's text stays the console's
    moderated = entry(run, "ideas")["moderation"]
    assert {n["channel"] for n in moderated} == {"paper"}


def test_when_a_paper_pain_point_is_up_then_phones_put_dots_on_it() -> None:
    run = Run(painjoy())
    run.join("p1")
    run.show("pj")
    (posted,) = run.do(HELPER, "paper_note", activity="pj", text="Mørk undergang", kind="pain")
    run.fac("phase", activity="pj", phase="dots")
    run.dot("p1", "pj", posted.data["note"])
    (recorded,) = entry(run, "pj")["notes"]
    assert (recorded["side"], recorded["dots"], recorded["channel"]) == ("pain", 1, "paper")
    assert views.helper(run.meeting, views.Presence())["activity"]["sides"] == ["pain", "joy"]
    assert "Mørk undergang (paper)" in markdown(run)


def test_when_an_activity_is_answered_per_table_then_the_helper_names_the_table() -> None:
    plan = plan_from_dict(
        {"title": "M", "tables": 2, "activities": [notes(scope="table"), poll(scope="table")]}
    )
    run = Run(plan=plan)
    run.show("ideas")
    refused = run.refused(HELPER, "paper_note", activity="ideas", text="Lys")
    assert refused.code == "unknown_table"
    run.do(HELPER, "paper_note", activity="ideas", text="Lys", table="t2")
    assert [n.text for n in run.meeting.parts["ideas"]["t2"].notes.values()] == ["Lys"]
    run.do(HELPER, "hands", activity="poll", option="a", count=4, table="t1")
    tally = next(p for p in entry(run, "poll")["parts"] if p["table"] == "t1")["tally"]
    assert tally["hands"] == {"a": 4}


# -- the invariant -----------------------------------------------------------------------------

PEOPLE = ["p1", "p2", "p3"]
OPTIONS = ["a", "b", "none"]


class HandsMachine(RuleBasedStateMachine):
    """Whatever phones vote and helpers count, in any order, each option's count is its phones'
    votes plus its hands, and the hands stay apart in the tally."""

    def __init__(self) -> None:
        super().__init__()
        self.run = Run(poll(none_option=True))
        self.run.join(*PEOPLE)
        self.run.show("poll")
        self.votes: dict[str, str] = {}
        self.hands: dict[str, int] = {}

    @rule(pid=st.sampled_from(PEOPLE), option=st.sampled_from([*OPTIONS, None]))
    def vote(self, pid: str, option: str | None) -> None:
        self.run.do(pid, "vote", activity="poll", choices=[option] if option else [])
        if option:
            self.votes[pid] = option
        else:
            self.votes.pop(pid, None)

    @rule(
        who=st.sampled_from([HELPER, FACILITATOR]),
        option=st.sampled_from(OPTIONS),
        count=st.integers(-2, 30),
    )
    def count(self, who: str, option: str, count: int) -> None:
        try:
            self.run.do(who, "hands", activity="poll", option=option, count=count)
        except CommandError as error:
            assert count < 0 and error.code == "bad_count"
            return
        if count:
            self.hands[option] = count
        else:
            self.hands.pop(option, None)

    @invariant()
    def counts_are_votes_plus_hands(self) -> None:
        tally = entry(self.run, "poll")["tally"]
        for option in OPTIONS:
            phones = sum(1 for chosen in self.votes.values() if chosen == option)
            assert tally["counts"][option] == phones + self.hands.get(option, 0)
        assert tally.get("hands", {}) == self.hands
        assert tally["voters"] == len(self.votes) + sum(self.hands.values())


HandsMachine.TestCase.settings = settings(
    max_examples=examples(50), stateful_step_count=20, deadline=None
)
test_hands_and_votes_always_add_up = HandsMachine.TestCase
