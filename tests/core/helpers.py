"""Small plan factories, and a driver running a meeting the way the server does, with its log."""

from __future__ import annotations

from typing import Any

import pytest

from facilitate.core.activity import ActivityState
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, Command, Event
from facilitate.core.meeting import Meeting
from facilitate.core.plan import Plan, plan_from_dict
from facilitate.core.record import build
from facilitate.export.markdown import render as render_markdown
from facilitate.export.model import minutes

T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z
T0_ISO = "2023-11-14T22:13:20Z"


def info(id: str = "welcome", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": "info", "title": "Velkommen", **extra}


def poll(
    id: str = "poll", options: tuple[str, ...] = ("a", "b", "c"), **extra: Any
) -> dict[str, Any]:
    """A poll whose options have the given ids and upper-case texts ("a" -> "A")."""
    return {
        "id": id,
        "kind": "poll",
        "title": "Hva mener du?",
        "options": [{"id": o, "text": o.upper()} for o in options],
        **extra,
    }


def notes(id: str = "ideas", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": "notes", "title": "Ideer", **extra}


def painjoy(id: str = "pj", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": "painjoy", "title": "Smerte og glede", **extra}


def statements(
    id: str = "st", claims: tuple[str, ...] = ("Trygt", "Mørkt", "Fart"), **extra: Any
) -> dict[str, Any]:
    """A statements activity whose agenda statements s1, s2, … have the given texts."""
    claimed = {"statements": list(claims)}
    return {"id": id, "kind": "statements", "title": "Hva mener du?", **claimed, **extra}


def qa(id: str = "qa", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": "qa", "title": "Spørsmål til panelet", **extra}


def make_plan(
    *activities: dict[str, Any], title: str = "Nabolagsmøte", language: str = "nb"
) -> Plan:
    return plan_from_dict(
        {"title": title, "language": language, "activities": list(activities) or [info()]}
    )


class Run:
    """A meeting driven through `handle`, with its whole log and a clock ticking 1 s a step."""

    def __init__(
        self, *activities: dict[str, Any], code: str = "ABCD", plan: Plan | None = None
    ) -> None:
        self.plan = plan or make_plan(*activities)
        self.at = T0
        self.log: list[Event] = [Meeting.created(code, self.plan, T0)]
        self.meeting = Meeting.replay(self.log)

    def tick(self) -> float:
        self.at += 1
        return self.at

    def do(self, actor: str, type: str, present: int = 0, **data: Any) -> list[Event]:
        events = self.meeting.handle(Command(type, data), actor, self.tick(), present)
        self.log.extend(events)
        return events

    def fac(self, type: str, present: int = 0, **data: Any) -> list[Event]:
        return self.do(FACILITATOR, type, present, **data)

    def refused(self, actor: str, type: str, **data: Any) -> CommandError:
        """The error a command is refused with (the test fails if it is accepted)."""
        with pytest.raises(CommandError) as caught:
            self.do(actor, type, **data)
        return caught.value

    def join(self, *pids: str) -> None:
        for pid in pids:
            self.log.extend(self.meeting.join(pid, self.tick()))

    def show(self, activity: str | None, present: int = 0) -> list[Event]:
        return self.fac("goto", present, activity=activity)

    def post(self, pid: str, activity: str, text: str, **extra: Any) -> str:
        """Post a note and return its id."""
        (event,) = self.do(pid, "note", activity=activity, text=text, **extra)
        return event.data["note"]

    def dot(self, pid: str, activity: str, note: str, delta: int = 1) -> list[Event]:
        return self.do(pid, "dot", activity=activity, note=note, delta=delta)

    def state(self, activity: str) -> ActivityState:
        return self.meeting.activities[activity]

    def replayed(self) -> Meeting:
        return Meeting.replay(self.log)


def identity(message: str) -> str:
    """A gettext that leaves every text in English."""
    return message


def entry(run: Run, activity: str) -> dict[str, Any]:
    """One activity's entry in the run's record."""
    found: dict[str, Any] = next(a for a in build(run.log)["activities"] if a["id"] == activity)
    return found


def markdown(run: Run) -> str:
    """The run's minutes in Markdown, in English."""
    return render_markdown(minutes(build(run.log), identity))
