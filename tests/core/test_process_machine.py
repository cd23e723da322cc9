"""Processes under every sequence of commands (a Hypothesis state machine).

Organisers join meetings to processes (again and again, at the same or another step), move
them between steps, add follow-up items and change their status with dated notes, and the
server restarts (each process is rebuilt from its log). After every step:

- a meeting is in at most one process, and joining again changes nothing but its step;
- every follow-up item's status is the last one set, and each note is kept with its date;
- a refused command changed nothing; replaying a log gives the same process.
"""

from __future__ import annotations

from typing import Any

from budget import examples
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from facilitate.core.errors import CommandError
from facilitate.core.events import Command, Event
from facilitate.core.process import STATUSES, STEPS, Process, joinable

PROCESSES = ("p1", "p2")
MEETINGS = ("111111", "222222", "333333")
T0 = 1_800_000_000.0


class ProcessMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.logs: dict[str, list[Event]] = {
            pid: [Process.created(pid, {"title": f"Löfte {pid}", "language": "sv"}, T0)]
            for pid in PROCESSES
        }
        self.processes = {pid: Process.replay(log) for pid, log in self.logs.items()}
        self.at = T0
        # The model: meeting -> (process, step); item -> (status, notes)
        self.owner: dict[str, tuple[str, str]] = {}
        self.items: dict[tuple[str, str], tuple[str, list[tuple[float, str]]]] = {}

    def do(self, pid: str, type: str, **data: Any) -> list[Event] | str:
        self.at += 60
        process = self.processes[pid]
        before = (process.version, repr(process.members), repr(process.items))
        try:
            if type == "join":
                owner = self.owner.get(data["meeting"])
                joinable(pid, data["meeting"], owner[0] if owner else None)
            events = process.handle(Command(type, data), self.at)
        except CommandError as exc:
            assert (process.version, repr(process.members), repr(process.items)) == before
            return exc.code
        self.logs[pid] += events
        return events

    @rule(
        pid=st.sampled_from(PROCESSES),
        meeting=st.sampled_from(MEETINGS),
        step=st.sampled_from(STEPS),
    )
    def join(self, pid: str, meeting: str, step: str) -> None:
        result = self.do(pid, "join", meeting=meeting, step=step)
        owner = self.owner.get(meeting)
        if owner is not None and owner[0] != pid:
            assert result == "in_another_process"
            return
        assert not isinstance(result, str)
        if owner == (pid, step):
            assert result == []  # joining again at the same step: idempotent
        self.owner[meeting] = (pid, step)

    @rule(
        pid=st.sampled_from(PROCESSES),
        meeting=st.sampled_from(MEETINGS),
        step=st.sampled_from((*STEPS, "party")),
    )
    def move(self, pid: str, meeting: str, step: str) -> None:
        result = self.do(pid, "move", meeting=meeting, step=step)
        owner = self.owner.get(meeting)
        if step == "party":
            assert result == "unknown_step"
        elif owner is None or owner[0] != pid:
            assert result == "not_in_process"
        else:
            self.owner[meeting] = (pid, step)

    @rule(pid=st.sampled_from(PROCESSES), title=st.sampled_from(("Belysning", "Vandring", " ")))
    def add_item(self, pid: str, title: str) -> None:
        result = self.do(pid, "add_item", title=title)
        if not title.strip():
            assert result == "empty_text"
            return
        assert not isinstance(result, str)
        self.items[(pid, result[0].data["item"])] = ("planned", [])

    @rule(
        data=st.data(),
        status=st.sampled_from((*STATUSES, "lost")),
        note=st.sampled_from(("", "Klart i maj", "Startat")),
    )
    def update_item(self, data: st.DataObject, status: str, note: str) -> None:
        if not self.items:
            return
        pid, item = data.draw(st.sampled_from(sorted(self.items)))
        result = self.do(pid, "update_item", item=item, status=status, note=note)
        if status == "lost":
            assert result == "unknown_status"
            return
        old, notes = self.items[(pid, item)]
        if note:
            notes = [*notes, (self.at, note)]
        self.items[(pid, item)] = (status, notes)
        assert result == [] if (status == old and not note) else len(result) == 1

    @rule(pid=st.sampled_from(PROCESSES))
    def restart(self, pid: str) -> None:
        self.processes[pid] = Process.replay(self.logs[pid])

    @invariant()
    def a_meeting_is_in_at_most_one_process(self) -> None:
        for meeting in MEETINGS:
            holders = [pid for pid, p in self.processes.items() if meeting in p.members]
            assert len(holders) <= 1
            owner = self.owner.get(meeting)
            assert holders == ([owner[0]] if owner else [])
            if owner:
                assert self.processes[owner[0]].members[meeting].step == owner[1]

    @invariant()
    def items_have_the_last_status_and_every_dated_note(self) -> None:
        for (pid, item_id), (status, notes) in self.items.items():
            item = self.processes[pid].items[item_id]
            assert item.status == status
            assert [(u.at, u.text) for u in item.updates] == notes

    @invariant()
    def replay_equals_live(self) -> None:
        for pid, log in self.logs.items():
            again = Process.replay(log)
            assert again.members == self.processes[pid].members
            assert again.items == self.processes[pid].items


ProcessMachine.TestCase.settings = settings(
    max_examples=examples(100), stateful_step_count=30, deadline=None
)
TestProcessMachine = ProcessMachine.TestCase
