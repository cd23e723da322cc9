"""About you: who was in the room, anonymously (age band, area, how you came). Pure.

Fields: `profile`, 1 to 5 questions, each `{ id, text, options }` with 2 to 12 options (texts, or
tables with `id` and `text`). A phone answers any of them with `describe` (`answers`: question
id -> option id, or null to take one back); a later answer replaces the earlier.

Nobody can be picked out (facilitate.core.anonymity): every view, the record and the minutes
show the answers only as groups of at least five people, the smaller groups merged into
"others", and a phone that answered some questions and not others counts as "not said" there.
The groups are shown only once input is closed: while it is open, a group that grows by one
as someone taps would say what that person answered. The record keeps the merged groups only,
never one phone's answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.core import anonymity
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import Bar, Bars, Block, Context, Heading, Paragraph, percent, safe
from facilitate.core.errors import CommandError
from facilitate.core.kinds.base import (
    ACTIVITY,
    N_,
    Commands,
    Decided,
    Demo,
    Form,
    Kind,
    Settings,
)
from facilitate.core.kinds.forms import first
from facilitate.core.plan import ID
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

MAX_QUESTIONS = 5
MAX_OPTIONS = 12
NOT_SAID = "not_said"  # the group of those who answered other questions but not this one


@dataclass(frozen=True)
class Question:
    id: str
    text: Text
    options: tuple[tuple[str, Text], ...]  # (option id, text)


@dataclass(frozen=True)
class AboutSettings(Settings):
    questions: tuple[Question, ...] = ()


def settings(state: ActivityState) -> AboutSettings:
    found: AboutSettings = state.spec.settings
    return found


def answers(state: ActivityState) -> dict[str, dict[str, str]]:
    """Each phone's answers: participant -> question id -> option id."""
    found: dict[str, dict[str, str]] = state.kind_state
    return found


def counts(state: ActivityState, question: Question) -> dict[str, int]:
    """How many chose each option of a question, and how many answered others but not it."""
    result = {option: 0 for option, _ in question.options}
    result[NOT_SAID] = 0
    for given in answers(state).values():
        result[given.get(question.id, NOT_SAID)] += 1
    return result


def groups(state: ActivityState) -> list[dict[str, Any]]:
    """Every question's answers as they may be shown: groups of at least five (see the
    module's doc); `too_few` when fewer than five answered at all."""
    result = []
    for question in settings(state).questions:
        shown = anonymity.shown(counts(state, question))
        result.append(
            {
                "question": question.id,
                "groups": [{"option": option, "count": n} for option, n in shown.groups],
                "others": shown.others,
                "total": shown.total,
            }
        )
    return result


# -- deciding and applying ----------------------------------------------------------------------


def _describe(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    given = data["answers"]
    questions = {q.id: {o for o, _ in q.options} for q in settings(state).questions}
    for question, option in given.items():
        if question not in questions:
            raise CommandError("unknown_question", f"no question {question!r} here")
        if option is not None and option not in questions[question]:
            raise CommandError("unknown_option", f"no option {option!r} in that question")
    own = answers(state).get(pid, {})
    changed = {q: o for q, o in given.items() if own.get(q) != o}
    if not changed:
        return []
    return [("described", {"activity": state.spec.id, "answers": changed})]


def _described(meeting: Meeting, state: ActivityState, event: Event) -> None:
    own = answers(state).setdefault(event.actor, {})
    for question, option in event.data["answers"].items():
        if option is None:
            own.pop(question, None)
        else:
            own[question] = option
    if not own:
        del answers(state)[event.actor]


# -- reading the agenda ------------------------------------------------------------------------


def _options(reader: Reader, raw: Any, where: str, index: int, language: str) -> list[Any]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_OPTIONS:
        reader.problem(
            where,
            f"give a list of 2 to {MAX_OPTIONS} options",
            index,
            "profile",
            code="options_count",
            low=2,
            high=MAX_OPTIONS,
        )
        return []
    options: list[tuple[str, Text]] = []
    for number, value in enumerate(raw, start=1):
        option_id = f"o{number}"
        if isinstance(value, Mapping) and "text" in value:
            option_id = value.get("id", option_id)
            if not isinstance(option_id, str) or not ID.fullmatch(option_id):
                reader.problem(
                    f"{where}[{number - 1}].id",
                    "must be a short lowercase id",
                    index,
                    "profile",
                    code="bad_id",
                    item=number,
                )
                option_id = f"o{number}"
            value = value["text"]
        text = reader.value_text(value, f"{where}[{number - 1}]", language, index, "profile")
        if option_id == NOT_SAID or any(o == option_id for o, _ in options):
            reader.problem(
                f"{where}[{number - 1}].id",
                f"{option_id!r} is used twice or kept for those who did not say",
                index,
                "profile",
                code="duplicate_id",
                item=number,
            )
        options.append((option_id, text))
    return options


class About(Kind):
    name = "about"
    label = N_("About you")
    example = {
        "kind": "about",
        "title": "Litt om deg",
        "text": "Frivillig og anonymt: vi viser bare grupper på minst fem.",
        "profile": [
            {
                "id": "age",
                "text": "Alder",
                "options": ["Under 18", "18–29", "30–49", "50–66", "67 eller eldre"],
            },
            {"id": "area", "text": "Hvor bor du?", "options": ["Sentrum", "Nord", "Sør"]},
            {
                "id": "came",
                "text": "Hvordan hørte du om møtet?",
                "options": ["Avisa", "Sosiale medier", "Noen sa det", "Annet"],
            },
        ],
        "results": "reveal",
    }
    fields = frozenset({"profile"})
    messages = {"describe": {**ACTIVITY, "answers": ((dict,), True)}}
    participant = {"describe": _describe}
    appliers = {"described": _described}
    input_events = frozenset({"described"})

    def new_state(self) -> dict[str, dict[str, str]]:
        return {}

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        where = reader.where(index, "profile")
        raw = item.get("profile")
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_QUESTIONS:
            reader.problem(
                where,
                f"give a list of 1 to {MAX_QUESTIONS} questions",
                index,
                "profile",
                code="questions_count",
                low=1,
                high=MAX_QUESTIONS,
            )
            return AboutSettings()
        questions: list[Question] = []
        for number, value in enumerate(raw, start=1):
            here = f"{where}[{number - 1}]"
            if not isinstance(value, Mapping) or "text" not in value:
                reader.problem(
                    here,
                    "must be { id, text, options }",
                    index,
                    "profile",
                    code="shape",
                    item=number,
                )
                continue
            question_id = value.get("id", f"q{number}")
            if (
                not isinstance(question_id, str)
                or not ID.fullmatch(question_id)
                or any(q.id == question_id for q in questions)
            ):
                reader.problem(
                    f"{here}.id",
                    "must be a short lowercase id, used once",
                    index,
                    "profile",
                    code="bad_id",
                    item=number,
                )
                question_id = f"q{number}"
            text = reader.value_text(value["text"], f"{here}.text", language, index, "profile")
            options = _options(reader, value.get("options"), f"{here}.options", index, language)
            questions.append(Question(question_id, text, tuple(options)))
        return AboutSettings(tuple(questions))

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        return {
            "profile": [
                {
                    "id": q.id,
                    "text": dict(q.text),
                    "options": [{"id": o, "text": dict(t)} for o, t in q.options],
                }
                for q in settings.questions
            ]
        }

    def responders(self, state: ActivityState) -> set[str]:
        return set(answers(state))

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """A radio group per question, named `q.<id>`; the empty choice takes an answer back."""
        given = {q.id: first(form, f"q.{q.id}") or None for q in settings(state).questions}
        if not any(given.values()) and pid not in answers(state):
            raise CommandError("nothing_chosen", "choose an answer first")
        return [("describe", {"activity": state.spec.id, "answers": given})]

    # -- views ------------------------------------------------------------------------------

    def head(self, state: ActivityState) -> dict[str, Any]:
        return {**self.settings_dict(settings(state)), "k": anonymity.K}

    def _results(self, state: ActivityState) -> dict[str, Any]:
        """The groups, once input is closed (see the module's doc)."""
        return {} if state.open or not state.timeline.closed else {"groups": groups(state)}

    def phone(self, state: ActivityState) -> dict[str, Any]:
        return self._results(state) if state.show_results else {}

    screen = phone

    def console(self, state: ActivityState) -> dict[str, Any]:
        return self._results(state)

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        own = answers(state).get(pid)
        return {"answers": dict(own)} if own else {}

    def record(self, state: ActivityState) -> dict[str, Any]:
        return {"groups": groups(state)}  # never a phone's own answers

    # -- the minutes ------------------------------------------------------------------------

    def minutes(self, activity: dict[str, Any], context: Context) -> list[Block]:
        """Each question's groups of at least five, the smaller ones merged into others."""
        w = context.words
        result: list[Block] = []
        texts = {q["id"]: q for q in activity.get("profile", [])}
        for entry in activity.get("groups", []):
            question = texts.get(entry["question"], {"text": {}, "options": []})
            result.append(Heading(context.text(question["text"]) or safe(entry["question"])))
            if not entry["total"]:
                result.append(Paragraph(w["about_too_few"] % {"k": anonymity.K}))
                continue
            labels = {o["id"]: context.text(o["text"]) for o in question["options"]}
            labels[NOT_SAID] = w["about_not_said"]
            rows = [
                (labels.get(g["option"], safe(g["option"])), g["count"]) for g in entry["groups"]
            ]
            if entry["others"]:
                rows.append((w["about_others"], entry["others"]))
            total = entry["total"]
            bars = tuple(Bar(label, n, percent(n, total)) for label, n in rows)
            result.append(Bars(w["answer"], w["people"], bars, whole=total))
        result.append(Paragraph(w["about_k"] % {"k": anonymity.K}, muted=True))
        return result

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        about: AboutSettings = spec.settings
        for pid in demo.people:
            if demo.chance.random() < 0.8:
                given = {
                    q.id: demo.chance.choice(q.options)[0]
                    for q in about.questions
                    if demo.chance.random() < 0.9
                }
                if given:
                    demo.act(pid, "describe", activity=spec.id, answers=given)
        demo.fac("close", activity=spec.id)
        if spec.results == "reveal":
            demo.fac("reveal", activity=spec.id)


KIND = About()
