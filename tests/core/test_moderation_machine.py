"""Moderation under every sequence: dot budgets and caps hold, hidden text stays hidden.

A Hypothesis state machine drives a meeting through the pure core the way a hall does:
phones post notes and place or take back dots, the facilitator hides, restores and merges
notes, switches phases, opens and closes input, and the server restarts (the meeting is rebuilt
from its log). After every step it checks the promises of docs/protocol.md ("Hiding,
restoring, merging"):

- every phone, every side: dots placed ≤ that side's budget; dots on one note ≤ the cap; dots
  only on visible notes; `remaining` in the phone's `mine` says the same;
- the state rebuilt from the log equals the live state;
- the text of every note hidden (or merged into a hidden one) is in no screen view, no phone's
  view, no other phone's `mine`, the public results, and — checked once per generated meeting,
  since they are slower — no minutes format; in the JSON record only in `moderation`.
"""

from __future__ import annotations

import collections
import dataclasses
import io
import json
import zipfile
from typing import Any

from budget import examples
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)

from facilitate.core import board, dots, record, views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, Command, Event
from facilitate.core.meeting import Meeting
from facilitate.export import FORMATS, export

from .helpers import T0, make_plan

PHONES = ("p1", "p2", "p3")
BOARDS = ("pj", "ideas")  # pain/joy points (with dots) and a plain notes wall
PRESENCE = views.Presence(phones=len(PHONES))


def token(number: int) -> str:
    """A note's text that no other text contains (qx1qx is not in qx11qx)."""
    return f"qx{number}qx"


def snapshot(meeting: Meeting) -> dict[str, Any]:
    """Everything a meeting holds, as plain data, to compare a live meeting with its replay."""
    state = {
        k: v
        for k, v in vars(meeting).items()
        if k not in ("activities", "plan", "report") and not k.startswith("_")
    }
    state["report"] = dataclasses.asdict(meeting.report)
    state["activities"] = {
        activity_id: {k: v for k, v in vars(a).items() if k not in ("spec", "kind")}
        for activity_id, a in meeting.activities.items()
    }
    return json.loads(json.dumps(state, default=plain))


def plain(value: Any) -> Any:
    return sorted(value) if isinstance(value, set | frozenset) else dataclasses.asdict(value)


def text_of(document: bytes, fmt: str) -> str:
    """Every text in an exported document, for searching: archives are opened."""
    if fmt in ("docx", "xlsx", "csv"):
        with zipfile.ZipFile(io.BytesIO(document)) as archive:
            return "\n".join(
                decoded(archive.read(name))
                for name in archive.namelist()
                if name.endswith((".xml", ".rels", ".csv", ".txt"))
            )
    return document.decode("utf-8")


def decoded(data: bytes) -> str:
    """A file of an archive as text: CSV for Excel is UTF-16 with a byte order mark."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


class Driven(RuleBasedStateMachine):
    """A machine driving one meeting as the server does: `do` handles a command at the next
    second of its clock and logs its events; a refused command must change nothing."""

    meeting: Meeting
    log: list[Event]
    at: float

    def do(self, actor: str, type: str, **data: Any) -> list[Event] | None:
        """Handle a command as the server does; None when it is refused (nothing changes)."""
        self.at += 1
        before = (self.meeting.version, snapshot(self.meeting))
        try:
            events = self.meeting.handle(Command(type, data), actor, self.at, present=3)
        except CommandError:
            assert (self.meeting.version, snapshot(self.meeting)) == before
            return None
        self.log.extend(events)
        return events


class Moderation(RuleBasedStateMachine):
    # Every format but Word at the end of each generated meeting; Word (60 ms a document) in
    # fewer meetings below: it renders the same model as the others.
    checked = tuple(fmt for fmt in FORMATS if fmt != "docx")
    points = Bundle("points")  # pain and joy points, on the board with dots
    stickies = Bundle("stickies")  # notes on the plain wall

    @initialize(
        target=points,
        pain=st.integers(0, 3),
        joy=st.integers(0, 3),
        cap=st.integers(1, 3),
    )
    def start(self, pain: int, joy: int, cap: int) -> Any:
        pain = pain or (0 if joy else 1)  # a board needs a dot on at least one side
        self.plan = make_plan(
            {"id": "pj", "kind": "painjoy", "title": "Smerte og glede", "pain_dots": pain,
             "joy_dots": joy, "dot_cap": cap},
            {"id": "ideas", "kind": "notes", "title": "Ideer", "columns": ["Hvor", "Når"]},
        )  # fmt: skip
        self.at = T0
        self.log: list[Event] = [Meeting.created("ABCD", self.plan, T0)]
        self.meeting = Meeting.replay(self.log)
        self.posted = 0
        self.do(FACILITATOR, "goto", activity="ideas")
        self.do(FACILITATOR, "goto", activity="pj")
        sides = ["pain", "joy", "pain"]
        first = [self.post_point(pid, side) for pid, side in zip(PHONES, sides, strict=True)]
        self.do(FACILITATOR, "phase", activity="pj", phase="dots")
        return multiple(*first)

    def post_point(self, pid: str, side: str) -> str:
        self.posted += 1
        events = self.do(pid, "note", activity="pj", text=token(self.posted), side=side)
        return "n0" if events is None else events[0].data["note"]  # n0 is never there

    def do(self, actor: str, type: str, **data: Any) -> list[Event] | None:
        """Handle a command as the server does; None when it is refused (nothing changes)."""
        self.at += 1
        before = self.meeting.version
        try:
            events = self.meeting.handle(Command(type, data), actor, self.at, present=2)
        except CommandError:
            assert self.meeting.version == before  # a refusal changes nothing
            return None
        self.log.extend(events)
        return events

    # -- phones ------------------------------------------------------------------------------

    @rule(target=points, pid=st.sampled_from(PHONES), side=st.sampled_from(["pain", "joy"]))
    def point(self, pid: str, side: str) -> str:
        return self.post_point(pid, side)

    @rule(target=stickies, pid=st.sampled_from(PHONES), column=st.integers(0, 1))
    def sticky(self, pid: str, column: int) -> str:
        self.posted += 1
        events = self.do(pid, "note", activity="ideas", text=token(self.posted), column=column)
        return "n0" if events is None else events[0].data["note"]

    @rule(
        steps=st.lists(
            st.tuples(st.sampled_from(PHONES), points, st.sampled_from([1, 1, 1, -1])),
            min_size=1,
            max_size=6,
        )
    )
    def dot(self, steps: list[tuple[str, str, int]]) -> None:
        for pid, note_id, delta in steps:
            self.do(pid, "dot", activity="pj", note=note_id, delta=delta)

    @rule(pid=st.sampled_from(PHONES), data=st.data())
    def spend(self, pid: str, data: st.DataObject) -> None:
        """A phone places every dot it has left, as most people do."""
        state = self.meeting.activities["pj"]
        for _ in range(8):
            mine = state.dots.get(pid, {})
            room = [
                n.id
                for n in board.visible(state)
                if mine.get(n.id, 0) < state.spec.settings.dot_cap
                and n.side is not None
                and dots.remaining(state, pid)[n.side] > 0
            ]
            if not room:
                return
            self.do(pid, "dot", activity="pj", note=data.draw(st.sampled_from(room)), delta=1)

    @rule(pid=st.sampled_from(PHONES), note=stickies)
    def dot_on_a_wall(self, pid: str, note: str) -> None:
        assert self.do(pid, "dot", activity="ideas", note=note, delta=1) is None

    # -- the facilitator ---------------------------------------------------------------------

    @rule(
        where=st.sampled_from(BOARDS),
        data=st.data(),
        reason=st.sampled_from(["", "names a neighbour", "off topic"]),
    )
    def hide_any(self, where: str, data: st.DataObject, reason: str) -> None:
        note_id = data.draw(self.bundle_of(where))
        self.do(FACILITATOR, "hide", activity=where, note=note_id, reason=reason)

    @rule(
        where=st.sampled_from(BOARDS),
        data=st.data(),
        reason=st.sampled_from(["", "names a neighbour", "off topic"]),
    )
    def hide(self, where: str, data: st.DataObject, reason: str) -> None:
        dotted = sorted(dots.totals(self.meeting.activities[where]))  # the interesting ones
        note_id = data.draw(st.sampled_from(dotted) if dotted else self.bundle_of(where))
        self.do(FACILITATOR, "hide", activity=where, note=note_id, reason=reason)

    @rule(where=st.sampled_from(BOARDS), data=st.data())
    def restore(self, where: str, data: st.DataObject) -> None:
        hidden = [
            n.id for n in self.meeting.activities[where].notes.values() if n.status == "hidden"
        ]
        note_id = data.draw(st.sampled_from(hidden) if hidden else self.bundle_of(where))
        self.do(FACILITATOR, "restore", activity=where, note=note_id)

    @rule(where=st.sampled_from(BOARDS), data=st.data())
    def merge(self, where: str, data: st.DataObject) -> None:
        target = data.draw(self.bundle_of(where))
        sources = data.draw(st.lists(self.bundle_of(where), min_size=1, max_size=3))
        hidden = [n for n in sources if self.status(where, n) == "hidden"]
        events = self.do(FACILITATOR, "merge", activity=where, into=target, notes=sources)
        if hidden:
            assert events is None, "a hidden note was merged"

    @rule(where=st.sampled_from(BOARDS), command=st.sampled_from(["pause", "resume"]))
    def pause(self, where: str, command: str) -> None:
        """While paused, every new note waits for the facilitator (held)."""
        self.do(FACILITATOR, command, activity=where)

    @rule(where=st.sampled_from(BOARDS), data=st.data())
    def release(self, where: str, data: st.DataObject) -> None:
        held = [n.id for n in self.meeting.activities[where].notes.values() if n.status == "held"]
        note_id = data.draw(st.sampled_from(held) if held else self.bundle_of(where))
        self.do(FACILITATOR, "release", activity=where, note=note_id)

    @rule(
        where=st.sampled_from(BOARDS),
        data=st.data(),
        how=st.sampled_from(["notes", "since", "held"]),
    )
    def hide_many(self, where: str, data: st.DataObject, how: str) -> None:
        if how == "notes":
            choice: dict[str, Any] = {
                "notes": data.draw(st.lists(self.bundle_of(where), min_size=1, max_size=4))
            }
        elif how == "since":
            choice = {"since": data.draw(st.sampled_from([1, 5, 30, 3600]))}
        else:
            choice = {"held": True}
        self.do(FACILITATOR, "hide_many", activity=where, reason="spam", **choice)

    def bundle_of(self, where: str) -> Bundle:
        return self.points if where == "pj" else self.stickies  # type: ignore[return-value]

    @rule(phase=st.sampled_from(["notes", "dots", "dots"]))
    def phase(self, phase: str) -> None:
        self.do(FACILITATOR, "phase", activity="pj", phase=phase)

    @rule(
        where=st.sampled_from(BOARDS),
        command=st.sampled_from(["open", "open", "close", "goto", "reveal", "conceal"]),
    )
    def toggle(self, where: str, command: str) -> None:
        self.do(FACILITATOR, command, activity=where)

    @rule()
    def restart(self) -> None:
        """The server restarts: the meeting is rebuilt from its log and carries on."""
        replayed = Meeting.replay(self.log)
        assert snapshot(replayed) == snapshot(self.meeting)
        self.meeting = replayed

    @precondition(lambda self: len(self.log) > 3)
    @rule(pid=st.sampled_from(PHONES))
    def resend(self, pid: str) -> None:
        """A phone resends its last command after a reconnect. The server acknowledges a
        repeated id without applying it (tests/web); a command that never arrived is applied
        now, and must obey the same rules as if it were new."""
        last = next((e for e in reversed(self.log) if e.actor == pid), None)
        if last is not None and last.type in ("dot_placed", "dot_removed"):
            delta = 1 if last.type == "dot_placed" else -1
            self.do(pid, "dot", activity=last.data["activity"], note=last.data["note"], delta=delta)

    # -- what must hold after every step -----------------------------------------------------

    def status(self, where: str, note_id: str) -> str | None:
        note = self.meeting.activities[where].notes.get(note_id)
        return None if note is None else note.status

    def withheld(self) -> dict[str, str]:
        """Text -> author of every note only the facilitator may read now: hidden, or merged
        into a hidden note (the rule written out here, not board.is_public, so that a mistake
        there cannot hide itself)."""
        result = {}
        for state in self.meeting.activities.values():
            for note in state.notes.values():
                target = state.notes.get(note.merged_into or "")
                if note.status in ("hidden", "held") or (
                    target is not None and target.status in ("hidden", "held")
                ):
                    result[note.text] = note.author
        return result

    @invariant()
    def budgets_and_caps_hold(self) -> None:
        state = self.meeting.activities["pj"]
        for pid in PHONES:
            placed = state.dots.get(pid, {})
            for side in ("pain", "joy"):
                assert dots.used(state, pid, side) <= dots.budget(state, side)
            assert all(0 < n <= state.spec.settings.dot_cap for n in placed.values())
            assert all(state.notes[n].status == "visible" for n in placed)
            own = views.mine(self.meeting, pid).get("pj", {})
            if "remaining" in own:
                assert own["remaining"] == {
                    side: dots.budget(state, side) - dots.used(state, pid, side)
                    for side in ("pain", "joy")
                }
        ideas = self.meeting.activities["ideas"]
        assert not any(ideas.dots.values()), "a notes wall takes no dots"

    @invariant()
    def the_kept_status_counts_match_the_notes(self) -> None:
        state = self.meeting.activities["pj"]
        counted = collections.Counter(note.status for note in state.notes.values())
        assert +state.statuses == counted  # `+` drops the statuses no note has any more

    @invariant()
    def every_view_counts_the_same_dots(self) -> None:
        state = self.meeting.activities["pj"]
        totals = dots.totals(state)
        console = views.console(self.meeting, PRESENCE)["activity"]
        if console and console["id"] == "pj":
            assert {n["id"]: n["dots"] for n in console["notes"] if n["dots"]} == totals
        ranked = dots.ranking(state)
        assert {i["id"]: i["dots"] for side in ranked.values() for i in side if i["dots"]} == totals

    @invariant()
    def hidden_text_reaches_nobody_else(self) -> None:
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
            if fmt == "json":  # the archive: hidden text only in the moderation sections
                archived = json.loads(document)
                for activity in archived["activities"]:
                    activity.pop("moderation", None)
                document = json.dumps(archived, ensure_ascii=False).encode()
            seen = text_of(document, fmt)
            assert not [t for t in withheld if t in seen], fmt


Moderation.TestCase.settings = settings(
    max_examples=examples(150),
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestModeration = Moderation.TestCase


class ModerationInWord(Moderation):
    checked = ("docx",)


ModerationInWord.TestCase.settings = settings(
    Moderation.TestCase.settings, max_examples=examples(25)
)
TestModerationInWord = ModerationInWord.TestCase
