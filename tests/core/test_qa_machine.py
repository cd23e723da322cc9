"""Questions from the floor under every sequence: one upvote per phone per question, counts that
agree everywhere, withheld questions that reach nobody else.

A Hypothesis state machine drives a questions activity through the pure core the way a hall
does: phones ask, upvote, take upvotes back and withdraw their questions; the facilitator
approves, hides, restores, highlights, marks answered and undoes it, pauses, opens and closes;
the server restarts. After every step it checks the promises of docs/protocol.md ("Questions
from the floor"):

- the log never holds two standing upvotes of one phone on one question, nor one on its own
  question; the count every view, the record and each phone's `mine` give a question is the
  number of phones whose upvote stands on it;
- `waiting` is the number of questions waiting; the highlight is none, or an approved question
  not yet answered;
- the state rebuilt from the log equals the live state; a refused command changes nothing;
- the text of every question waiting, hidden or withdrawn is in no screen view, no phone's view,
  no other phone's `mine`, the public results, and — once per generated meeting — no minutes
  format; in the JSON record only in `moderation`.
"""

from __future__ import annotations

import collections
import json
from typing import Any

from budget import examples
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import (
    Bundle,
    initialize,
    invariant,
    precondition,
    rule,
)

from facilitate.core import questions, record, views
from facilitate.core.events import FACILITATOR, Event
from facilitate.core.meeting import Meeting
from facilitate.export import FORMATS, export

from .helpers import T0, make_plan
from .test_moderation_machine import Driven, snapshot, text_of, token

PHONES = ("p1", "p2", "p3", "p4")
PRESENCE = views.Presence(phones=len(PHONES))
REASONS = ["", "spurt før", "navngir en person"]


class Questions(Driven):
    checked = tuple(FORMATS)
    asked = Bundle("asked")

    @initialize(moderated=st.booleans(), results=st.sampled_from(["live", "reveal"]))
    def start(self, moderated: bool, results: str) -> None:
        self.plan = make_plan(
            {"id": "qa", "kind": "qa", "title": "Spørsmål", "moderated": moderated,
             "results": results},
        )  # fmt: skip
        self.at = T0
        self.log: list[Event] = [Meeting.created("ABCD", self.plan, T0)]
        self.meeting = Meeting.replay(self.log)
        self.posted = 0
        self.answers = 0
        self.do(FACILITATOR, "goto", activity="qa")

    @property
    def state(self) -> Any:
        return self.meeting.activities["qa"]

    # -- phones ------------------------------------------------------------------------------

    @rule(target=asked, pid=st.sampled_from(PHONES), personal=st.booleans())
    def ask(self, pid: str, personal: bool) -> str:
        self.posted += 1
        text = token(self.posted) + (" ring 912 34 567" if personal else "")
        events = self.do(pid, "note", activity="qa", text=text)
        return "n0" if events is None else events[0].data["note"]  # n0 is never there

    @rule(
        steps=st.lists(
            st.tuples(st.sampled_from(PHONES), asked, st.sampled_from([True, True, False])),
            min_size=1,
            max_size=6,
        )
    )
    def upvote(self, steps: list[tuple[str, str, bool]]) -> None:
        for pid, note, up in steps:
            self.do(pid, "upvote", activity="qa", note=note, up=up)

    @rule(pid=st.sampled_from(PHONES), note=asked)
    def withdraw(self, pid: str, note: str) -> None:
        self.do(pid, "withdraw_question", activity="qa", note=note)

    @rule(pid=st.sampled_from(PHONES), note=asked)
    def withdraw_own(self, pid: str, note: str) -> None:
        """The asker withdraws: the interesting case, drawn more often than a stranger's try."""
        found = self.state.notes.get(note)
        if found is None:
            return
        allowed = found.status in ("visible", "held") and self.state.open
        allowed = allowed and note not in questions.of(self.state).answered
        events = self.do(found.author, "withdraw_question", activity="qa", note=note)
        assert (events is not None) == allowed

    @precondition(lambda self: len(self.log) > 3)
    @rule(pid=st.sampled_from(PHONES))
    def resend(self, pid: str) -> None:
        """A phone's last upvote again, as a command the server never saw: refused, since a
        second upvote never toggles the first off."""
        last = next((e for e in reversed(self.log) if e.actor == pid), None)
        if last is not None and last.type == "question_upvoted":
            assert self.do(pid, "upvote", activity="qa", note=last.data["note"]) is None

    # -- the facilitator ---------------------------------------------------------------------

    @rule(data=st.data())
    def approve(self, data: st.DataObject) -> None:
        held = [n.id for n in self.state.notes.values() if n.status == "held"]
        note = data.draw(st.sampled_from(held) if held else self.asked)
        self.do(FACILITATOR, "release", activity="qa", note=note)

    @rule(note=asked, reason=st.sampled_from(REASONS))
    def hide(self, note: str, reason: str) -> None:
        self.do(FACILITATOR, "hide", activity="qa", note=note, reason=reason)

    @rule(how=st.sampled_from(["held", "since"]))
    def hide_many(self, how: str) -> None:
        choice: dict[str, Any] = {"held": True} if how == "held" else {"since": 5}
        self.do(FACILITATOR, "hide_many", activity="qa", reason="spam", **choice)

    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        hidden = [n.id for n in self.state.notes.values() if n.status == "hidden"]
        note = data.draw(st.sampled_from(hidden) if hidden else self.asked)
        self.do(FACILITATOR, "restore", activity="qa", note=note)

    @rule(note=st.one_of(st.none(), asked))
    def highlight(self, note: str | None) -> None:
        self.do(FACILITATOR, "highlight", activity="qa", note=note)

    @rule(note=asked, with_note=st.booleans())
    def answer(self, note: str, with_note: bool) -> None:
        self.answers += 1
        answer = f"ax{self.answers}ax" if with_note else ""
        self.do(FACILITATOR, "mark_answered", activity="qa", note=note, answer=answer)

    @rule(note=asked)
    def unanswer(self, note: str) -> None:
        self.do(FACILITATOR, "unmark_answered", activity="qa", note=note)

    @rule(command=st.sampled_from(["open", "close", "reveal", "conceal", "pause", "resume"]))
    def toggle(self, command: str) -> None:
        self.do(FACILITATOR, command, activity="qa")

    @rule()
    def restart(self) -> None:
        """The server restarts: the meeting is rebuilt from its log and carries on."""
        replayed = Meeting.replay(self.log)
        assert snapshot(replayed) == snapshot(self.meeting)
        self.meeting = replayed

    # -- what must hold after every step -----------------------------------------------------

    def standing(self) -> collections.Counter[tuple[str, str]]:
        """Upvotes standing per (phone, question), counted from the log alone."""
        count: collections.Counter[tuple[str, str]] = collections.Counter()
        for event in self.log:
            if event.type == "question_upvoted":
                count[(event.actor, event.data["note"])] += 1
            elif event.type == "upvote_withdrawn":
                count[(event.actor, event.data["note"])] -= 1
        return count

    @invariant()
    def one_upvote_per_phone_per_question_and_never_ones_own(self) -> None:
        standing = self.standing()
        assert set(standing.values()) <= {0, 1}
        for (pid, note), n in standing.items():
            assert not (n and self.state.notes[note].author == pid), "upvoted own question"

    @invariant()
    def every_count_is_the_phones_whose_upvote_stands(self) -> None:
        standing = self.standing()
        expected = collections.Counter(note for (_, note), n in standing.items() if n)
        for note in self.state.notes:
            assert questions.votes(self.state, note) == expected[note]
        for pid in PHONES:
            mine = views.mine(self.meeting, pid).get("qa", {})
            assert mine.get("upvoted", []) == sorted(
                (note for (who, note), n in standing.items() if who == pid and n),
                key=lambda note: int(note[1:]),
            )
        console = views.console(self.meeting, PRESENCE)["activity"]
        listed = [*console["queue"], *console["questions"], *console["answered"]]
        assert all(q["votes"] == expected[q["id"]] for q in [*listed, *console["hidden"]])
        shown = [views.screen(self.meeting, PRESENCE)["activity"]]
        shown.append(views.phone(self.meeting, PRESENCE)["activity"])
        for view in shown:
            for q in [*view.get("questions", []), *view.get("answered", [])]:
                if isinstance(q, dict) and "votes" in q:
                    assert q["votes"] == expected[q["id"]]
        entry = record.build(self.log)["activities"][0]
        for q in [*entry["questions"], *entry["moderation"]]:
            assert q["votes"] == expected[q["id"]]

    @invariant()
    def the_room_sees_how_many_wait_and_one_highlight_at_most(self) -> None:
        waiting = sum(1 for n in self.state.notes.values() if n.status == "held")
        assert views.screen(self.meeting, PRESENCE)["activity"]["waiting"] == waiting
        assert views.phone(self.meeting, PRESENCE)["activity"]["waiting"] == waiting
        assert +self.state.statuses == collections.Counter(
            n.status for n in self.state.notes.values()
        )
        highlighted = questions.of(self.state).highlighted
        if highlighted is not None:
            assert self.state.notes[highlighted].status == "visible"
            assert highlighted not in questions.of(self.state).answered

    def withheld(self) -> dict[str, str]:
        """Text -> asker of every question only the facilitator may read now (the rule
        written out here, not taken from the code under test)."""
        return {
            n.text: n.author
            for n in self.state.notes.values()
            if n.status in ("held", "hidden", "withdrawn")
        }

    @invariant()
    def withheld_text_reaches_nobody_else(self) -> None:
        withheld = self.withheld()
        if not withheld:
            return
        for role in (views.screen, views.phone):
            seen = json.dumps(role(self.meeting, PRESENCE), ensure_ascii=False)
            assert not [t for t in withheld if t in seen], role.__name__
        for pid in PHONES:
            seen = json.dumps(views.mine(self.meeting, pid), ensure_ascii=False)
            assert not [t for t, author in withheld.items() if author != pid and t in seen]
        public = json.dumps(record.public(record.build(self.log)), ensure_ascii=False)
        assert not [t for t in withheld if t in public]

    def teardown(self) -> None:
        if not hasattr(self, "meeting"):
            return
        assert snapshot(Meeting.replay(self.log)) == snapshot(self.meeting)
        withheld = self.withheld()
        built = record.build(self.log)
        for fmt in self.checked:
            document = export(built, fmt, lambda s: s)
            if fmt == "json":  # the archive: withheld text only in the moderation section
                archived = json.loads(document)
                for activity in archived["activities"]:
                    activity.pop("moderation", None)
                document = json.dumps(archived, ensure_ascii=False).encode()
            seen = text_of(document, fmt)
            assert not [t for t in withheld if t in seen], fmt


Questions.TestCase.settings = settings(
    max_examples=examples(120),
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestQuestions = Questions.TestCase
