"""Statements under every sequence: one stance per phone and statement, proposals in
moderation never answered or seen, no opinion group under five people.

A Hypothesis state machine drives a statements activity through the pure core the way a hall
does: a crowd of phones answers in camps, a few phones answer anything (known ids or not,
good stances or not) and propose statements, the facilitator approves and hides proposals,
opens and closes input, reveals and conceals results, and the server restarts (the meeting is
rebuilt from its log). Like the server, it tells a phone its own input after each of its
commands and after every event whose `affected` names it. After every step it checks the
promises of docs/protocol.md ("Statements: answers, proposals and opinion groups"):

- a phone holds at most one stance per statement, the last one it gave, and the counts are
  the stances held; a statement waiting in moderation, or hidden, never gets one;
- the text of a proposal waiting or hidden is in no screen view, no phone's view, no other
  phone's `mine`, and not in the public results (nor, checked once per generated meeting, in
  any minutes format);
- every opinion group shown has at least five people, and no more are in groups than placed;
- what each phone was last told of its own input is what it is now (its group included);
- the state rebuilt from the log equals the live state.

The groups are recomputed both ways the server does it: in place when they come due
(`settle`), and from a snapshot handed out ahead (`prepare`), run apart and `adopt`ed later,
or dropped as if it failed, while other steps go on; a recompute from a snapshot gives exactly
the groups of the stances as they were when it was taken.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from budget import examples
from hypothesis import HealthCheck, event, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from facilitate.core import conversation, opinion, record, views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, Command, Event
from facilitate.core.kinds.base import Job
from facilitate.core.meeting import Meeting
from facilitate.export import FORMATS, export

from .helpers import T0, make_plan, statements
from .test_moderation_machine import text_of

AGENDA = tuple(f"s{n}" for n in range(1, 8))
CROWD = tuple(f"c{n:02d}" for n in range(22))  # enough to form groups
ACTIVE = ("p1", "p2", "p3")
PHONES = CROWD + ACTIVE
WORDS = ("agree", "disagree", "pass")
PRESENCE = views.Presence(phones=len(PHONES))


def token(number: int) -> str:
    """A proposal's text that no other text contains (qx1qx is not in qx11qx)."""
    return f"qx{number}qx"


def state_of(meeting: Meeting) -> dict[str, Any]:
    """What the statements activity holds, without its cache, to compare with a replay."""
    talk = conversation.of(meeting.activities["st"])
    return {
        "proposals": {p.id: vars(p) for p in talk.proposals.values()},
        "stances": talk.stances,
        "counts": talk.counts,
        "answers": talk.answers,
        "changes": talk.changes,
        "open": meeting.activities["st"].open,
        "shown": meeting.activities["st"].show_results,
    }


class Statements(RuleBasedStateMachine):
    wait_per_answer: float | None = None  # conversation.WAIT_PER_ANSWER, unless given

    @initialize(
        results=st.sampled_from(["live", "reveal"]),
        leanings=st.lists(
            st.lists(st.sampled_from((1, -1)), min_size=len(AGENDA), max_size=len(AGENDA)),
            min_size=1,
            max_size=3,
        ),
        gaps=st.sets(st.integers(0, len(CROWD) * len(AGENDA) - 1), max_size=30),
    )
    def start(self, results: str, leanings: list[list[int]], gaps: set[int]) -> None:
        self.usual = conversation.WAIT_PER_ANSWER
        if self.wait_per_answer is not None:
            conversation.WAIT_PER_ANSWER = self.wait_per_answer
        claims = tuple(f"Påstand {n}" for n in range(1, len(AGENDA) + 1))
        self.plan = make_plan(statements(claims=claims, allow_new=True, results=results))
        self.at = T0
        self.log: list[Event] = [Meeting.created("ABCD", self.plan, T0)]
        self.meeting = Meeting.replay(self.log)
        self.told: dict[str, dict[str, Any]] = {}  # what each phone last heard of its input
        self.expected: dict[str, dict[str, str]] = {}  # phone -> statement -> stance
        self.proposed = 0
        # Recomputes handed out and not yet adopted, with the stances as they were then.
        self.jobs: list[tuple[Job, dict[str, dict[str, int]]]] = []
        self.do(FACILITATOR, "goto", activity="st")
        for n, pid in enumerate(CROWD):
            camp = leanings[n % len(leanings)]
            for index, statement in enumerate(AGENDA):
                if n * len(AGENDA) + index in gaps:
                    continue
                word = "agree" if camp[index] == 1 else "disagree"
                self.answer(pid, statement, word)

    def do(self, actor: str, type: str, **data: Any) -> list[Event] | None:
        """Handle a command as the server does; None when it is refused (nothing changes).
        The phone that sent it hears its own input; so does everyone `affected` names."""
        self.at += 1
        before = (self.meeting.version, state_of(self.meeting))
        try:
            events = self.meeting.handle(Command(type, data), actor, self.at, present=2)
        except CommandError as refused:
            assert (self.meeting.version, state_of(self.meeting)) == before, refused.code
            return None
        self.log.extend(events)
        told = {actor} if actor != FACILITATOR else set()
        for done in events:
            told |= views.affected(self.meeting, done.type, done.data)
        for pid in told:
            self.told[pid] = views.own(self.meeting, pid, "st")
        return events

    def answer(self, pid: str, statement: str, word: str) -> None:
        proposal = conversation.of(self.meeting.activities["st"]).proposals.get(statement)
        known = statement in AGENDA or proposal is not None
        votable = statement in AGENDA or (proposal is not None and proposal.status == "approved")
        can = self.meeting.activities["st"].open and word in WORDS and votable
        events = self.do(pid, "stance", activity="st", statement=statement, stance=word)
        if not can:
            assert events is None, "a stance was taken on what cannot be answered"
            return
        assert events is not None and known
        self.expected.setdefault(pid, {})[statement] = word

    # -- phones ------------------------------------------------------------------------------

    @rule(
        pid=st.sampled_from(PHONES),
        statement=st.sampled_from([*AGENDA, "p1", "p2", "p3", "p4", "s0", "s8", "s01", "x"]),
        word=st.sampled_from([*WORDS, *WORDS, "maybe"]),
    )
    def stance(self, pid: str, statement: str, word: str) -> None:
        self.answer(pid, statement, word)

    @rule(pid=st.sampled_from(ACTIVE), again=st.booleans())
    def propose(self, pid: str, again: bool) -> None:
        if not again or not self.proposed:
            self.proposed += 1
        self.do(pid, "propose", activity="st", text=token(self.proposed))

    # -- the facilitator ---------------------------------------------------------------------

    @rule(number=st.integers(1, 4))
    def approve(self, number: int) -> None:
        self.do(FACILITATOR, "approve_statement", activity="st", statement=f"p{number}")

    @rule(number=st.integers(1, 4), reason=st.sampled_from(["", "peker ut en person"]))
    def hide(self, number: int, reason: str) -> None:
        self.do(FACILITATOR, "hide_statement", activity="st", statement=f"p{number}", reason=reason)

    @rule(command=st.sampled_from(["open", "close", "reveal", "conceal"]))
    def toggle(self, command: str) -> None:
        self.do(FACILITATOR, command, activity="st")

    @rule(seconds=st.sampled_from([0.5, 3.0]))
    def time_passes(self, seconds: float) -> None:
        """No input for a while: the server lets what came due settle, and tells the phones
        whose group changed (as meetings.py does when a recompute comes due)."""
        self.at += seconds
        if self.meeting.due() is None:
            return
        touched = self.meeting.settle(self.at)
        for pid in touched or ():
            self.told[pid] = views.own(self.meeting, pid, "st")
        due = self.meeting.due()
        assert due is None or due > self.at, "a recompute that came due was left waiting"

    @rule(
        answer=st.none() | st.tuples(st.sampled_from(PHONES), st.sampled_from(AGENDA)),
        seconds=st.sampled_from([0.0, 0.5, 3.0]),
        ahead=st.sampled_from([0.2, 10.0]),
    )
    def hand_out(self, answer: tuple[str, str] | None, seconds: float, ahead: float) -> None:
        """A phone may answer; time passes, and the server hands out the recomputes due by
        `ahead` seconds from now to its worker, then settles what must be done in place."""
        if answer is not None:
            self.answer(*answer, "disagree")
        self.at += seconds
        talk = conversation.of(self.meeting.activities["st"])
        stances = copy.deepcopy(talk.stances)
        self.jobs += [(job, stances) for job in self.meeting.prepare(self.at, self.at + ahead)]
        for pid in self.meeting.settle(self.at) or ():
            self.told[pid] = views.own(self.meeting, pid, "st")
        due = self.meeting.due()
        assert due is None or due > self.at, "a recompute that came due was left waiting"

    @rule(fail=st.booleans())
    def worker_finishes(self, fail: bool) -> None:
        """The worker is done with the oldest recompute handed out (or it failed): the
        server adopts the result and tells the phones whose group changed."""
        if not self.jobs:
            return
        job, stances = self.jobs.pop(0)
        if fail:
            self.meeting.drop(job)
            return
        done = job.run()
        assert done.opinions == opinion.groups(stances, job.token.statements)
        moved = self.meeting.adopt(job, done)
        event("groups adopted" if moved is not None else "groups no longer wanted")
        for pid in moved or ():
            self.told[pid] = views.own(self.meeting, pid, "st")

    @rule()
    def restart(self) -> None:
        """The server restarts: the meeting is rebuilt from its log, and every phone that
        comes back starts from a snapshot of its own input."""
        replayed = Meeting.replay(self.log)
        assert state_of(replayed) == state_of(self.meeting)
        self.meeting = replayed
        self.told = {pid: views.own(self.meeting, pid, "st") for pid in self.told}

    # -- what must hold after every step -----------------------------------------------------

    def withheld(self) -> dict[str, set[str]]:
        """Text -> authors of every proposal nobody else may read: waiting or hidden (two
        phones may propose the same text while neither is approved)."""
        talk = conversation.of(self.meeting.activities["st"])
        found: dict[str, set[str]] = {}
        for p in talk.proposals.values():
            if p.status != "approved":
                found.setdefault(p.text, set()).add(p.author)
        approved = {p.text for p in talk.proposals.values() if p.status == "approved"}
        return {text: authors for text, authors in found.items() if text not in approved}

    @invariant()
    def each_phone_holds_one_stance_per_statement_the_last_it_gave(self) -> None:
        talk = conversation.of(self.meeting.activities["st"])
        for pid in PHONES:
            own = views.own(self.meeting, pid, "st")
            assert own.get("stances", {}) == self.expected.get(pid, {})
        counted: dict[str, list[int]] = {}
        for given in self.expected.values():
            for statement, word in given.items():
                counted.setdefault(statement, [0, 0, 0])[WORDS.index(word)] += 1
        assert {s: c for s, c in talk.counts.items() if any(c)} == counted
        assert talk.answers == sum(len(given) for given in self.expected.values())

    @invariant()
    def a_proposal_not_approved_is_read_by_nobody_else(self) -> None:
        withheld = self.withheld()
        if not withheld:
            return
        for role in (views.screen, views.phone):
            seen = json.dumps(role(self.meeting, PRESENCE), ensure_ascii=False)
            assert not [t for t in withheld if t in seen], role.__name__
        for pid in PHONES:
            seen = json.dumps(views.own(self.meeting, pid, "st"), ensure_ascii=False)
            assert not [t for t, authors in withheld.items() if pid not in authors and t in seen]
        public = json.dumps(record.public(record.build(self.log)), ensure_ascii=False)
        assert not [t for t in withheld if t in public]

    @invariant()
    def no_group_has_fewer_than_five_people(self) -> None:
        views_shown = [views.screen(self.meeting, PRESENCE), views.console(self.meeting, PRESENCE)]
        for view in views_shown:
            found = view["activity"].get("opinions")
            if found is None:
                continue
            sizes = [group["size"] for group in found["groups"]]
            event(f"{len(sizes)} opinion groups")
            assert all(size >= opinion.MIN_GROUP for size in sizes), sizes
            assert sum(sizes) == found["placed"] <= len(PHONES)
            if sizes:
                assert found["placed"] >= opinion.MIN_PEOPLE

    @invariant()
    def each_phone_was_told_its_own_input_as_it_is(self) -> None:
        for pid, heard in self.told.items():
            assert heard == views.own(self.meeting, pid, "st"), pid

    def teardown(self) -> None:
        if hasattr(self, "usual"):
            conversation.WAIT_PER_ANSWER = self.usual
        if not hasattr(self, "meeting"):
            return
        assert state_of(Meeting.replay(self.log)) == state_of(self.meeting)
        withheld = self.withheld()
        built = record.build(self.log)
        for group in built["activities"][0]["opinions"]["groups"]:
            assert group["size"] >= opinion.MIN_GROUP
        for fmt in FORMATS:
            document = export(built, fmt, lambda s: s)
            if fmt == "json":  # the archive: withheld text only in the moderation section
                archived = json.loads(document)
                for activity in archived["activities"]:
                    activity.pop("moderation", None)
                document = json.dumps(archived, ensure_ascii=False).encode()
            seen = text_of(document, fmt)
            assert not [t for t in withheld if t in seen], fmt


Statements.TestCase.settings = settings(
    max_examples=examples(40),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestStatements = Statements.TestCase


class StatementsInABigRoom(Statements):
    """The same, with the groups lagging the answers by seconds of meeting time, as in a room
    of thousands: what a phone is told of its group still matches what it is shown."""

    wait_per_answer = 0.01  # about 1.5 s for the crowd's answers: a step is a second


StatementsInABigRoom.TestCase.settings = settings(
    Statements.TestCase.settings, max_examples=examples(20)
)
TestStatementsInABigRoom = StatementsInABigRoom.TestCase


class StatementsWithAWorker(Statements):
    """The same, with the groups lagging by the longest wait (five seconds of meeting time,
    five steps), so that recomputes are often handed out to the worker and adopted, dropped or
    outrun while answers, moderation, closing and restarts go on."""

    wait_per_answer = 1.0  # the wait stops at conversation.MAX_WAIT


StatementsWithAWorker.TestCase.settings = settings(
    Statements.TestCase.settings, max_examples=examples(30)
)
TestStatementsWithAWorker = StatementsWithAWorker.TestCase
