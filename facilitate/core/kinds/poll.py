"""Polls: single or multiple choice, optionally "none of these". Pure.

Fields: `options` (2 to 20 texts, or tables with `id` and `text`), `multiple`, `none_option`.
A phone's vote replaces its earlier one; an empty vote withdraws it.

Hands: the helper (or the console) counts a show of hands per answer for the people without a
phone (`hands`, "14 hands for B"); a count replaces the one before, 0 takes it back. The tally
counts them with the phones' votes and says how many were hands, so they stay apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.core.activity import ActivityState
from facilitate.core.blocks import (
    Bar,
    Bars,
    Block,
    Context,
    Input,
    Inputs,
    Paragraph,
    percent,
    safe,
)
from facilitate.core.errors import CommandError
from facilitate.core.kinds.base import (
    ACTIVITY,
    N_,
    Commands,
    Contribution,
    Decided,
    Demo,
    Form,
    Ids,
    Kind,
    Settings,
)
from facilitate.core.kinds.forms import first
from facilitate.core.kinds.promising import TOP, titled
from facilitate.core.plan import ID, NONE_OPTION
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

MAX_OPTIONS = 20


@dataclass(frozen=True)
class Option:
    """One answer a poll offers."""

    id: str
    text: Text


@dataclass(frozen=True)
class PollSettings(Settings):
    options: tuple[Option, ...] = ()
    multiple: bool = False
    none_option: bool = False

    def choice_ids(self) -> tuple[str, ...]:
        """Every option id a vote may name, "none of these" included when offered."""
        ids = tuple(option.id for option in self.options)
        return (*ids, NONE_OPTION) if self.none_option else ids


def settings(state: ActivityState) -> PollSettings:
    found: PollSettings = state.spec.settings
    return found


def check_vote(poll: PollSettings, choices: Sequence[str]) -> tuple[str, ...]:
    """The choices in plan order, or a CommandError saying what is wrong with them.

    An empty list withdraws the vote. "None of these" cannot be combined with an option.
    """
    allowed = poll.choice_ids()
    unknown = [c for c in choices if c not in allowed]
    if unknown:
        raise CommandError("unknown_option", f"no option {unknown[0]!r} in this poll")
    chosen = set(choices)
    if len(chosen) > 1 and not poll.multiple:
        raise CommandError("single_choice", "this poll takes one answer")
    if NONE_OPTION in chosen and len(chosen) > 1:
        raise CommandError("none_alone", '"none of these" cannot be combined with an option')
    return tuple(c for c in allowed if c in chosen)


MAX_HANDS = 10_000  # the biggest hall's show of hands, and then some


def hands(state: ActivityState) -> dict[str, int]:
    """The hands counted per option (options without any left out)."""
    counted: dict[str, int] = state.kind_state
    return counted


def tally(state: ActivityState) -> dict[str, Any]:
    """Counts per option (every option present, zero or not) and the number of voters: the
    phones', and the hands counted (`hands`, per option, only when there are any). In a
    single-choice poll each hand is a person; in a multiple-choice one the people who raised
    hands are at least as many as the biggest count, and that is what `voters` adds."""
    counts = dict.fromkeys(settings(state).choice_ids(), 0)
    for choices in state.votes.values():
        for choice in choices:
            counts[choice] += 1
    raised = hands(state)
    for option, n in raised.items():
        counts[option] += n
    people = max(raised.values(), default=0) if settings(state).multiple else sum(raised.values())
    result: dict[str, Any] = {"counts": counts, "voters": len(state.votes) + people}
    if raised:
        result["hands"] = dict(raised)
    return result


def _vote(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    choices = check_vote(settings(state), data["choices"])
    if state.votes.get(pid, ()) == choices:
        return []  # the same vote again changes nothing
    return [("vote_cast", {"activity": state.spec.id, "choices": list(choices)})]


def _hands(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    (option,) = check_vote(settings(state), [data["option"]])
    count = data["count"]
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_HANDS:
        raise CommandError(
            "bad_count", f"give the hands as a whole number, 0 to {MAX_HANDS}", high=MAX_HANDS
        )
    if hands(state).get(option, 0) == count:
        return []
    return [("hands_counted", {"activity": state.spec.id, "option": option, "count": count})]


def _counted(meeting: Meeting, state: ActivityState, event: Event) -> None:
    if event.data["count"]:
        hands(state)[event.data["option"]] = event.data["count"]
    else:
        hands(state).pop(event.data["option"], None)


def _cast(meeting: Meeting, state: ActivityState, event: Event) -> None:
    if event.data["choices"]:
        state.votes[event.actor] = tuple(event.data["choices"])
    else:
        state.votes.pop(event.actor, None)


class Poll(Kind):
    name = "poll"
    gives_items = True
    label = N_("Poll")
    example = {
        "kind": "poll",
        "title": "Hvor trygg føler du deg i sentrum om kvelden?",
        "options": ["Svært trygg", "Ganske trygg", "Ganske utrygg", "Svært utrygg"],
        "multiple": False,
        "none_option": True,
        "results": "reveal",
    }
    fields = frozenset({"options", "multiple", "none_option"})
    messages = {
        "vote": {**ACTIVITY, "choices": ((Ids,), True)},
        "hands": {**ACTIVITY, "option": ((str,), True), "count": ((int,), True)},
    }
    participant = {"vote": _vote}
    helper = {"hands": _hands}
    appliers = {"vote_cast": _cast, "hands_counted": _counted}
    input_events = frozenset({"vote_cast"})

    def new_state(self) -> dict[str, int]:
        return {}  # option -> hands counted

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        where = reader.where(index, "options")
        raw = item.get("options")
        options: list[Option] = []
        if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_OPTIONS:
            reader.problem(
                where,
                f"give a list of 2 to {MAX_OPTIONS} options",
                index,
                "options",
                code="options_count",
                low=2,
                high=MAX_OPTIONS,
            )
            raw = []
        for number, value in enumerate(raw[:MAX_OPTIONS], start=1):
            option_id = f"o{number}"
            if isinstance(value, Mapping) and "text" in value:
                option_id = value.get("id", option_id)
                if (
                    not isinstance(option_id, str)
                    or not ID.fullmatch(option_id)
                    or option_id == NONE_OPTION
                ):
                    reader.problem(
                        f"{where}[{number - 1}].id",
                        f"must be a short lowercase id, not {NONE_OPTION!r}",
                        index,
                        "options",
                        code="bad_id",
                        item=number,
                    )
                    option_id = f"o{number}"
                value = value["text"]
            text = reader.value_text(
                value, f"{where}[{number - 1}]", language, index, "options", item=number
            )
            if any(o.id == option_id for o in options):
                reader.problem(
                    f"{where}[{number - 1}].id",
                    f"{option_id!r} is used twice",
                    index,
                    "options",
                    code="duplicate_id",
                    item=number,
                )
            options.append(Option(option_id, text))
        return PollSettings(
            options=tuple(options),
            multiple=reader.flag(item, "multiple", index),
            none_option=reader.flag(item, "none_option", index),
        )

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        return {
            "options": [{"id": o.id, "text": dict(o.text)} for o in settings.options],
            "multiple": settings.multiple,
            "none_option": settings.none_option,
        }

    def head(self, state: ActivityState) -> dict[str, Any]:
        poll = settings(state)
        return {
            "options": [{"id": o.id, "text": dict(o.text)} for o in poll.options],
            "multiple": poll.multiple,
            "none_option": poll.none_option,
        }

    def phone(self, state: ActivityState) -> dict[str, Any]:
        return {"tally": tally(state)} if state.show_results else {}

    screen = phone

    def helper_view(self, state: ActivityState) -> dict[str, Any]:
        return {"hands": dict(hands(state))}

    def console(self, state: ActivityState) -> dict[str, Any]:
        return {"tally": tally(state)}  # the facilitator always sees the count

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        return {"choices": list(state.votes[pid])} if pid in state.votes else {}

    def record(self, state: ActivityState) -> dict[str, Any]:
        return {"tally": tally(state)}

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """Radio buttons or boxes named `choice`; the button `do=withdraw` takes the vote back,
        and a vote with nothing chosen is refused (`nothing_chosen`), not read as one."""
        if first(form, "do") == "withdraw":
            return [("vote", {"activity": state.spec.id, "choices": []})]
        chosen = list(form.get("choice") or ())
        if not chosen:
            raise CommandError("nothing_chosen", "choose an answer first")
        return [("vote", {"activity": state.spec.id, "choices": chosen})]

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The options with most votes (in the agenda's order when votes are equal)."""
        counts = tally(state)["counts"]
        options = sorted(settings(state).options, key=lambda o: -counts[o.id])
        return [dict(option.text) for option in options[:count]]

    def promise(self, entry: dict[str, Any], context: Context) -> list[Contribution]:
        """The situation picture: the answers most chose, with their votes."""
        w = context.words
        tally = entry.get("tally") or {"counts": {}, "voters": 0}
        labels = {o["id"]: context.text(o["text"]) for o in entry.get("options", [])}
        labels["none"] = w["none_of_these"]
        counts = sorted(
            ((labels.get(option, safe(option)), n) for option, n in tally["counts"].items() if n),
            key=lambda pair: -pair[1],
        )[:TOP]
        bars = tuple(Bar(label, n, percent(n, tally["voters"])) for label, n in counts)
        blocks: list[Block] = [Bars(w["answer"], w["votes"], bars, whole=tally["voters"])]
        return titled(entry, context, "situation", blocks if bars else [])

    def minutes(self, activity: dict[str, Any], context: Context) -> list[Block]:
        """The votes per answer with their share of those who answered."""
        w = context.words
        tally = activity["tally"]
        voters = tally["voters"]
        labels = {o["id"]: context.text(o["text"]) for o in activity.get("options", [])}
        labels["none"] = w["none_of_these"]
        counts = [(labels.get(option, safe(option)), n) for option, n in tally["counts"].items()]
        raised = {labels.get(o, safe(o)): n for o, n in tally.get("hands", {}).items()}
        result: list[Block] = [
            Bars(
                w["answer"],
                w["votes"],
                tuple(Bar(label, n, percent(n, voters)) for label, n in counts),
                whole=voters,
            )
        ]
        if raised:  # counted apart from the phones' votes, and said so
            listed = ", ".join(f"{label}: {n}" for label, n in raised.items())
            result.append(Paragraph(w["hands_counted"] % {"counts": listed}))
        if activity.get("multiple"):
            result.append(Paragraph(w["multiple"], muted=True))
        phones = tuple(
            Input(None, w["answer"], text=t, votes=n - raised.get(t, 0)) for t, n in counts
        )
        shown = tuple(Input(None, w["hands"], text=t, votes=n) for t, n in raised.items())
        result.append(Inputs(phones + shown))
        return result

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        poll: PollSettings = spec.settings
        choices = list(poll.choice_ids())
        weights = [demo.chance.uniform(0.3, 3) for _ in choices]
        for pid in demo.people:
            if demo.chance.random() < 0.9:
                pick = demo.chance.choices(choices, weights)[0]
                chosen = [pick]
                if poll.multiple and pick != NONE_OPTION and demo.chance.random() < 0.5:
                    extra = demo.chance.choice([c for c in choices if c != NONE_OPTION])
                    chosen = list(dict.fromkeys([pick, extra]))
                demo.act(pid, "vote", activity=spec.id, choices=chosen)
        if spec.results == "reveal":
            demo.fac("reveal", activity=spec.id)


KIND = Poll()
