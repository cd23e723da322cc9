"""Statements to agree or disagree with, and the opinion groups they reveal (after Pol.is). Pure.

Phones answer the statements one by one: agree, disagree or pass; a later answer replaces the
earlier one. With `allow_new`, phones propose statements of their own, which wait for the
facilitator to approve them (then everyone can answer them) or hide them with a reason; until
approved, a proposal's text reaches only the console and its author's phone.

Fields: `statements` (2 to 60 texts; none needed with `allow_new`), `allow_new`, `max_length`
(of a proposal). Ids are fixed, so other tools and replays of public Pol.is data can drive it:
`s1`, `s2`, … in agenda order, `p1`, `p2`, … for proposals in the order they came.

The results (facilitate.core.opinion): each statement's agree/disagree/pass shares, the
statements of consensus and the divisive ones, and, once 20 people have answered enough, the
opinion groups (none smaller than 5) with the statements that set each apart. A phone's `mine`
holds its stances and, while results are shown, its group's label. The groups are a cached
value (facilitate.core.conversation); what the results say in the views, the record and the
minutes is in statements_results.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.core import conversation, writing
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import Block, Context
from facilitate.core.conversation import STANCES, WORDS, Conversation, Proposal
from facilitate.core.errors import CommandError
from facilitate.core.kinds import statements_results
from facilitate.core.kinds.base import (
    ACTIVITY,
    N_,
    Commands,
    Contribution,
    Decided,
    Demo,
    Form,
    Job,
    Kind,
    Settings,
)
from facilitate.core.kinds.forms import first
from facilitate.core.kinds.promising import titled
from facilitate.core.opinion import Opinions
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

_AGENDA_ID = re.compile(r"s([1-9][0-9]{0,2})")  # with fullmatch: s1, s2, … (never s01)
MAX_STATEMENTS = 60  # votable at once: the agenda's and the approved proposals
PROPOSALS_PER_PHONE = 10
MAX_PROPOSALS = 1000  # per activity: the console's moderation list stays workable
MAX_REASON = 200
CONSOLE_PROPOSALS = 400  # the newest proposals the console lists (the record keeps them all)
APART = 3  # statements per group that the screen and phones show as setting it apart

# What phones propose in the demo, and which of them the facilitator approves or hides.
PROPOSED = [
    ("Politiet bør ha faste kontortider på biblioteket én kveld i uka", "approve"),
    ("Gatelysene i parken må stå på hele natta, ikke bare til midnatt", "approve"),
    ("Ungdommen bør få være med og bestemme hva trygghetsmidlene brukes på", "approve"),
    ("Han som bor i blokka ved Coop selger hasj til ungdom", "hide"),
    ("Flere voksne bør gå natteravn i helgene", "wait"),
]


@dataclass(frozen=True)
class StatementsSettings(Settings):
    statements: tuple[Text, ...] = ()
    allow_new: bool = False
    max_length: int = 140  # Pol.is's length for a comment


def settings(state: ActivityState) -> StatementsSettings:
    found: StatementsSettings = state.spec.settings
    return found


@functools.cache
def agenda_ids(count: int) -> tuple[str, ...]:
    """The ids of an agenda's `count` statements: s1, s2, …"""
    return tuple(f"s{n}" for n in range(1, count + 1))


def votable(state: ActivityState) -> tuple[str, ...]:
    """The ids of the statements people can answer: the agenda's, then approved proposals."""
    return agenda_ids(len(settings(state).statements)) + conversation.of(state).approved


def statement_list(state: ActivityState) -> list[dict[str, Any]]:
    """The statements people can answer, in order: an agenda statement's text is a plan text
    ({"nb": …}), a proposal's the text its author wrote (`proposed`)."""
    agenda: list[dict[str, Any]] = [
        {"id": f"s{n}", "text": dict(text)}
        for n, text in enumerate(settings(state).statements, start=1)
    ]
    talk = conversation.of(state)
    return agenda + [
        {"id": p, "text": talk.proposals[p].text, "proposed": True} for p in talk.approved
    ]


def current_groups(state: ActivityState, ids: tuple[str, ...]) -> Opinions | None:
    """The opinion groups as the live views show them (cached; see conversation.py)."""
    return conversation.of(state).groups(ids, settled=not state.open)


def results(state: ActivityState) -> dict[str, Any]:
    """What every role sees of the results: per statement its answers, the consensus and
    divisive statements, and the opinion groups with what sets each apart (`APART` each)."""
    ids = votable(state)
    found = current_groups(state, ids)
    return statements_results.results(conversation.of(state), ids, found, APART)


# -- deciding ---------------------------------------------------------------------------------


def _check_votable(state: ActivityState, statement: str) -> None:
    proposal = conversation.of(state).proposals.get(statement)
    if proposal is not None:
        if proposal.status == "pending":
            raise CommandError("statement_pending", "this statement waits for the facilitator")
        if proposal.status == "hidden":
            raise CommandError("statement_hidden", "this statement was taken off")
        return
    agenda = _AGENDA_ID.fullmatch(statement)
    if agenda is None or int(agenda.group(1)) > len(settings(state).statements):
        raise CommandError("unknown_statement", f"no statement {statement!r} in this activity")


def _stance(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    statement, word = data["statement"], data["stance"]
    _check_votable(state, statement)
    if word not in STANCES:
        raise CommandError("bad_stance", "a stance is agree, disagree or pass")
    if conversation.of(state).stances.get(pid, {}).get(statement) == STANCES[word]:
        return []  # the same answer again changes nothing
    return [("stance_given", {"activity": state.spec.id, "statement": statement, "stance": word})]


def _propose(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    rules, talk = settings(state), conversation.of(state)
    if not rules.allow_new:
        raise CommandError("no_proposals", "this activity takes no new statements")
    text = writing.clean_text(data["text"], multiline=False)
    if writing.blank(text):
        raise CommandError("empty_text", "write something first")
    if not writing.fits(text, rules.max_length):
        limit = rules.max_length
        raise CommandError("too_long_text", f"at most {limit} characters", limit=limit)
    if len(talk.authored.get(pid, ())) >= PROPOSALS_PER_PHONE:
        raise CommandError(
            "too_many_proposals",
            f"at most {PROPOSALS_PER_PHONE} statements from one phone",
            limit=PROPOSALS_PER_PHONE,
        )
    if len(talk.proposals) >= MAX_PROPOSALS:
        raise CommandError("proposals_full", "this activity takes no more new statements")
    # Only statements everyone can read are compared: a duplicate of a pending or hidden one
    # would tell the phone that someone else wrote it.
    public = {t.casefold() for s in settings(state).statements for t in s.values()}
    public.update(talk.proposals[p].text.casefold() for p in talk.approved)
    if text.casefold() in public:
        raise CommandError("duplicate_statement", "that statement is there already")
    number = f"p{len(talk.proposals) + 1}"
    return [("statement_proposed", {"activity": state.spec.id, "statement": number, "text": text})]


def _proposal(state: ActivityState, statement: str) -> Proposal:
    proposal = conversation.of(state).proposals.get(statement)
    if proposal is None:
        if statement.startswith("s"):
            raise CommandError("not_a_proposal", "only statements from phones are moderated")
        raise CommandError("unknown_statement", f"no statement {statement!r} in this activity")
    return proposal


def _approve(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    proposal = _proposal(state, data["statement"])
    if proposal.status == "approved":
        return []
    if len(votable(state)) >= MAX_STATEMENTS:
        raise CommandError(
            "statements_full",
            f"at most {MAX_STATEMENTS} statements in one activity",
            limit=MAX_STATEMENTS,
        )
    return [("statement_approved", {"activity": state.spec.id, "statement": proposal.id})]


def _hide(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    proposal = _proposal(state, data["statement"])
    if proposal.status == "hidden":
        return []
    reason = writing.truncate(
        writing.clean_text(data.get("reason", ""), multiline=False), MAX_REASON
    )
    return [
        (
            "statement_hidden",
            {"activity": state.spec.id, "statement": proposal.id, "reason": reason},
        )
    ]


# -- applying ---------------------------------------------------------------------------------


def _given(meeting: Meeting, state: ActivityState, event: Event) -> None:
    data = event.data
    conversation.of(state).take(event.actor, data["statement"], STANCES[data["stance"]], event.at)


def _proposed(meeting: Meeting, state: ActivityState, event: Event) -> None:
    data = event.data
    channel = data.get("channel", "phone")
    proposal = Proposal(data["statement"], event.actor, data["text"], event.at, channel=channel)
    conversation.of(state).propose(proposal)


def _moderated(status: str) -> Any:
    def apply(meeting: Meeting, state: ActivityState, event: Event) -> None:
        data = event.data
        conversation.of(state).moderate(data["statement"], status, data.get("reason", ""), event.at)

    return apply


# -- the kind ---------------------------------------------------------------------------------


def own_proposal(proposal: Proposal) -> dict[str, Any]:
    """A proposal as its author's phone lists it: with its status, and why, if hidden."""
    item = {"id": proposal.id, "text": proposal.text, "status": proposal.status}
    if proposal.status == "hidden":
        item["reason"] = proposal.reason
    return item


class Statements(Kind):
    name = "statements"
    gives_items = True
    label = N_("Statements")
    example = {
        "kind": "statements",
        "title": "Hva mener du om tryggheten i sentrum?",
        "text": "Svar enig, uenig eller stå over. Du kan også foreslå egne påstander.",
        "statements": [
            "Jeg føler meg trygg i sentrum om kvelden",
            "Politiet bør være mer synlig i helgene",
            "Flere lys i parken ville gjort meg tryggere",
        ],
        "allow_new": True,
        "max_length": 140,
        "results": "live",
    }
    fields = frozenset({"statements", "allow_new", "max_length"})
    messages = {
        "stance": {**ACTIVITY, "statement": ((str,), True), "stance": ((str,), True)},
        "propose": {**ACTIVITY, "text": ((str,), True)},
        "approve_statement": {**ACTIVITY, "statement": ((str,), True)},
        "hide_statement": {
            **ACTIVITY,
            "statement": ((str,), True),
            "reason": ((str,), False),
        },
    }
    participant = {"stance": _stance, "propose": _propose}
    facilitator = {"approve_statement": _approve, "hide_statement": _hide}
    appliers = {
        "stance_given": _given,
        "statement_proposed": _proposed,
        "statement_approved": _moderated("approved"),
        "statement_hidden": _moderated("hidden"),
    }
    input_events = frozenset({"stance_given", "statement_proposed"})
    events_for_people = frozenset({"statement_approved", "statement_hidden"})

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        allow_new = reader.flag(item, "allow_new", index)
        low = 0 if allow_new else 2
        where = reader.where(index, "statements")
        raw = item.get("statements", [])
        if not isinstance(raw, list) or not low <= len(raw) <= MAX_STATEMENTS:
            reader.problem(
                where,
                f"give a list of {low} to {MAX_STATEMENTS} statements",
                index,
                "statements",
                code="statements_count",
                low=low,
                high=MAX_STATEMENTS,
            )
            raw = []
        texts = tuple(
            reader.value_text(value, f"{where}[{n}]", language, index, "statements", item=n + 1)
            for n, value in enumerate(raw)
        )
        return StatementsSettings(
            statements=texts,
            allow_new=allow_new,
            max_length=reader.integer(item, "max_length", 140, 20, 280, index),
        )

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        return {
            "statements": [dict(text) for text in settings.statements],
            "allow_new": settings.allow_new,
            "max_length": settings.max_length,
        }

    def new_state(self) -> Conversation:
        return Conversation()

    def responders(self, state: ActivityState) -> set[str]:
        talk = conversation.of(state)
        return set(talk.stances) | set(talk.authored)

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The statements most people agree with (by share of those who answered; in order
        when equal), for a later activity to work on."""
        texts = {s["id"]: s["text"] for s in statement_list(state)}
        tallies = conversation.of(state).tallies(tuple(texts))
        ranked = sorted(tallies, key=lambda t: -t.share("agree"))[:count]
        return [
            {language: text} if isinstance(text := texts[t.statement], str) else text
            for t in ranked
        ]

    # -- views ---------------------------------------------------------------------------

    def head(self, state: ActivityState) -> dict[str, Any]:
        rules = settings(state)
        return {
            "statements": statement_list(state),
            "allow_new": rules.allow_new,
            "max_length": rules.max_length,
        }

    def phone(self, state: ActivityState) -> dict[str, Any]:
        return {"opinions": results(state)} if state.show_results else {}

    screen = phone

    def console(self, state: ActivityState) -> dict[str, Any]:
        proposals = list(conversation.of(state).proposals.values())
        shown = proposals[-CONSOLE_PROPOSALS:]
        return {
            "opinions": results(state),  # the facilitator always sees them
            "proposals": [{**own_proposal(p), "reason": p.reason} for p in shown],
            "total_proposals": len(proposals),
            "pending": sum(1 for p in proposals if p.status == "pending"),
        }

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        # A phone's proposals are few (PROPOSALS_PER_PHONE): an ack carries them all.
        talk = conversation.of(state)
        entry: dict[str, Any] = {}
        stances = talk.stances.get(pid)
        if stances:
            entry["stances"] = {s: WORDS[v] for s, v in stances.items()}
            if state.show_results:
                found = current_groups(state, votable(state))
                placement = None if found is None else found.placed.get(pid)
                if placement is not None:
                    entry["group"] = placement.group
        if pid in talk.authored:
            entry["proposals"] = [own_proposal(talk.proposals[p]) for p in talk.authored[pid]]
        return entry

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """A button `stance` whose value is a statement's id and the answer ("s3 agree"), or
        a proposal's `text`."""
        if "stance" in form:
            statement, _, stance = first(form, "stance").partition(" ")
            data = {"activity": state.spec.id, "statement": statement, "stance": stance}
            return [("stance", data)]
        return [("propose", {"activity": state.spec.id, "text": first(form, "text")})]

    def affected(self, state: ActivityState, event_type: str, data: dict[str, Any]) -> set[str]:
        """The author of a proposal the facilitator approved or hid; everyone placed in a
        group when results are revealed or concealed; and, after any event, those whose group
        changed when the groups were last recomputed."""
        talk = conversation.of(state)
        people: set[str] = set()
        if event_type in self.events_for_people:
            proposal = talk.proposals.get(data.get("statement", ""))
            if proposal is not None:
                people.add(proposal.author)
        found = current_groups(state, votable(state))
        moved = talk.take_regrouped()
        if event_type in ("results_revealed", "results_concealed") and found is not None:
            people.update(found.placed)
        if state.show_results:
            people |= moved
        return people

    def due(self, state: ActivityState) -> float | None:
        return conversation.of(state).due(votable(state))

    def settle(self, state: ActivityState, now: float) -> set[str] | None:
        talk = conversation.of(state)
        before = talk.cache
        talk.groups(votable(state), settled=not state.open, now=now)
        if talk.cache is before:
            return None
        moved = talk.take_regrouped()
        return moved if state.show_results else set()

    def prepare(self, state: ActivityState, now: float) -> Job | None:
        """The opinion groups' recompute from a snapshot of the answers, while input is
        open; closed, they are computed in place (`settle`): the final groups."""
        if not state.open:
            return None
        talk = conversation.of(state)
        snapshot = talk.snapshot(votable(state), now)
        if snapshot is None:
            return None
        work = functools.partial(conversation.regroup, snapshot, talk.cache)
        return Job(state.spec.id, work, snapshot)

    def adopt(self, state: ActivityState, job: Job, result: Any) -> set[str] | None:
        talk = conversation.of(state)
        if not talk.adopt(job.token, result, votable(state)):
            return None
        moved = talk.take_regrouped()
        return moved if state.show_results else set()

    def drop(self, state: ActivityState, job: Job) -> None:
        conversation.of(state).drop(job.token)

    # -- the record ----------------------------------------------------------------------

    def record(self, state: ActivityState) -> dict[str, Any]:
        ids, talk = votable(state), conversation.of(state)
        found = talk.groups(ids, settled=True)  # every answer, whatever the cache holds
        shown = statements_results.results(talk, ids, found, None)
        return statements_results.record(talk, statement_list(state), shown, found)

    def public(self, entry: dict[str, Any]) -> dict[str, Any]:
        """The statements everyone could answer and the results; never a hidden or pending
        proposal's text or the reasons."""
        return {k: v for k, v in entry.items() if k not in ("moderation", "reasons")}

    def promise(self, entry: dict[str, Any], context: Context) -> list[Contribution]:
        """The situation picture: the statements most agree (or most disagree) with."""
        return titled(entry, context, "situation", statements_results.consensus(entry, context))

    def minutes(self, entry: dict[str, Any], context: Context) -> list[Block]:
        return statements_results.minutes(entry, context)

    # -- demo ----------------------------------------------------------------------------

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        rules: StatementsSettings = spec.settings
        ids = [f"s{n}" for n in range(1, len(rules.statements) + 1)]
        for text, decision in PROPOSED if rules.allow_new else []:
            (event,) = demo.act(
                demo.chance.choice(demo.people), "propose", activity=spec.id, text=text
            )
            statement = event.data["statement"]
            if decision == "approve" and len(ids) < MAX_STATEMENTS:
                demo.fac("approve_statement", activity=spec.id, statement=statement)
                ids.append(statement)
            elif decision == "hide":
                reason = "Peker ut en person"
                demo.fac("hide_statement", activity=spec.id, statement=statement, reason=reason)
        # Three camps that lean their own ways; everyone agrees with the first statement.
        leaning = [
            [1 if n == 0 else demo.chance.choice((1, -1)) for n in range(len(ids))]
            for _ in range(3)
        ]
        words = {1: "agree", -1: "disagree"}
        for n, pid in enumerate(demo.people):
            for statement, lean in zip(ids, leaning[n % 3], strict=True):
                draw = demo.chance.random()
                if draw < 0.1:
                    continue  # not answered
                stance = "pass" if draw < 0.2 else words[lean if draw < 0.85 else -lean]
                demo.act(pid, "stance", activity=spec.id, statement=statement, stance=stance)
        if spec.results == "reveal":
            demo.fac("reveal", activity=spec.id)


KIND = Statements()
