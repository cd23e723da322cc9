"""A demo meeting: a shipped plan run with realistic simulated input, straight into the log.

`facilitate demo` shows a newcomer the whole flow and every export at once: dozens of phones,
votes, notes in Norwegian, dots, a merge, a hidden note, decisions and follow-ups. The input is
made by the same core rules as a live meeting, so it is exactly what a real one would record.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from pathlib import Path

from facilitate import plans, store
from facilitate.core import kinds
from facilitate.core.events import FACILITATOR, Command, Event
from facilitate.core.meeting import Meeting
from facilitate.core.plan import Plan
from facilitate.meetings import Created, digest

# Words pupils send to the user test's word cloud, with how often.
FIRST_WORDS = (
    ("Viktig", 6), ("Skummelt", 5), ("Troverdig", 3), ("Catfish", 4), ("Fake", 4),
    ("Forvirrende", 2), ("Kjedelig", 2), ("Ekte", 2), ("Nyttig", 3), ("Flørting", 2),
    ("For lang", 1), ("Snapchat", 2),
)  # fmt: skip
# Notes as people write them, per activity of the shipped plans (column, text); for a word
# cloud, the words (each as often as people send it).
NOTES: dict[str, list[tuple[int | None, str]]] = {
    "where-when": [
        (0, "Busstasjonen etter kl. 22 i helgene"),
        (0, "Undergangen ved jernbanen, hele døgnet"),
        (0, "Parken bak biblioteket når det er mørkt"),
        (0, "Torget fredag og lørdag natt"),
        (0, "Gangstien langs elva om vinteren"),
        (0, "Parkeringshuset sent på kvelden"),
        (1, "Dårlig belysning, man ser ikke hvem som kommer"),
        (1, "Grupper som henger og roper etter folk"),
        (1, "Råkjøring og høy musikk fra biler"),
        (1, "Ingen voksne ute, ingen å spørre om hjelp"),
        (1, "Fulle folk når utestedene stenger"),
        (1, "Det er mørkt og øde"),
    ],
    "priorities": [
        (0, "Mer synlig politi i sentrum i helgene"),
        (0, "Politiet bør snakke med ungdommen, ikke bare jage dem"),
        (0, "Følge opp råkjøringen på Storgata"),
        (1, "Bedre lys i undergangen og i parken"),
        (1, "Åpne ungdomsklubben fredag kveld"),
        (1, "Flere benker og aktiviteter på torget"),
        (1, "Klippe buskene langs gangstien"),
        (2, "Natteravner – jeg kan være med"),
        (2, "Si hei til hverandre, vi kjenner for lite til naboene"),
        (2, "Følge hverandre hjem"),
    ],
    "best-here": [
        (0, "Naturen og fjellet rett utenfor døra"),
        (0, "Alle kjenner alle"),
        (0, "Idrettslaget og trenerne"),
        (0, "Det er trygt å gå ute"),
        (1, "Et sted å være på kvelden som ikke koster penger"),
        (1, "Flere busser til byen"),
        (1, "Konserter og arrangementer for ungdom"),
        (1, "Kafé for ungdom"),
    ],
    "future-dream": [
        (0, "Et ungdomshus med studio og gaming"),
        (0, "Folk flytter hit i stedet for herfra"),
        (0, "Sentrum er levende også på kvelden"),
        (1, "Ungdomsrådet får bestemme over egne penger"),
        (1, "Vi lager arrangementene selv"),
    ],
    "first-words": [(None, word) for word, times in FIRST_WORDS for _ in range(times)],
}


@dataclass(frozen=True)
class Demo:
    """A demo meeting in the database, with the keys to open it."""

    created: Created
    title: str
    participants: int


def build(
    plan: Plan,
    code: str,
    *,
    participants: int = 40,
    seed: int = 2014,
    start: float = 1_763_740_800.0,
) -> list[Event]:
    """The whole log of a demo meeting (deterministic for a seed)."""
    rng = random.Random(seed)
    log = [Meeting.created(code, plan, start)]
    meeting = Meeting.replay(log)
    clock = [start]

    def at(step: float) -> float:
        clock[0] += step * rng.uniform(0.5, 1.5)
        return clock[0]

    def fac(command: str, **data: object) -> list[Event]:
        events = meeting.handle(
            Command(command, dict(data)), FACILITATOR, at(20), present=len(people)
        )
        log.extend(events)
        return events

    def act(pid: str, command: str, **data: object) -> list[Event]:
        events = meeting.handle(Command(command, dict(data)), pid, at(2))
        log.extend(events)
        return events

    people = [f"demo{n:03d}" for n in range(participants)]
    tables = list(meeting.tables)
    for number, pid in enumerate(people):
        log.extend(meeting.join(pid, at(5)))
        if tables:  # people sit down round the tables in turn
            act(pid, "sit", table=tables[number % len(tables)])
    fac(
        "details",
        fields={
            "place": "Kulturhuset, storsalen",
            "organisers": "Politiet og kommunen",
            "facilitators": "Nærpolitiet og kommunens SLT-koordinator",
            "purpose": "Høre hva som gjør folk trygge og utrygge, og hva vi "
            "skal prioritere det neste året.",
        },
    )
    for spec in plan.activities:
        fac("goto", activity=spec.id)
        state = meeting.activities[spec.id]
        texts = NOTES.get(spec.id, [])
        parts = meeting.parts.get(spec.id, {})
        if not parts:
            state.kind.demo(spec, kinds.base.Demo(people, rng, act, fac, texts, state))
        for number, (table, part) in enumerate(parts.items()):
            # Each table on its own: its people, its share of the texts, the facilitator's
            # commands naming the table.
            here = [pid for pid in people if meeting.seats.get(pid) == table]
            share = texts[number :: len(parts)]
            at_table = functools.partial(fac, table=table)
            part.kind.demo(spec, kinds.base.Demo(here, rng, act, at_table, share, part))
        if state.kind.takes_input:
            fac("close", activity=spec.id)
    fac(
        "add_item",
        section="decision",
        text="Kommunen setter opp bedre lys i undergangen og i parken før jul.",
    )
    fac(
        "add_item",
        section="question",
        text="Hvem eier gangstien langs elva? Vi finner ut hvem som kan rydde og lyse den opp.",
    )
    fac(
        "add_item",
        section="next_step",
        text="Oppsummeringen sendes til kommunestyret og politirådet innen to uker.",
    )
    fac("end")
    fac("publish")
    fac(
        "follow_up",
        title="Lyset er på plass",
        text="Kommunen har satt opp nye lys i undergangen og i parken bak biblioteket.",
    )
    fac(
        "follow_up",
        title="Innbyggerløftet er signert",
        text="Politiet og kommunen har signert et innbyggerløfte om trygghet i sentrum. "
        "Det gjelder i ett år, og vi forteller hvordan det går.",
    )
    return log


def create(
    db_path: str | Path,
    sessions: Path,
    plan_name: str = "folkemote",
    participants: int = 40,
    seed: int = 2014,
) -> Demo:
    """Write a demo meeting into the database; returns its code and keys."""
    import secrets

    plan = plans.load(sessions, plan_name)
    if plan is None:
        raise ValueError(f"no plan called {plan_name!r} in {sessions}")
    db = store.open_database(db_path)
    try:
        while True:
            code = f"{secrets.randbelow(1_000_000):06d}"
            if db.meeting(code) is None:
                break
        key, screen_key = secrets.token_urlsafe(24), secrets.token_urlsafe(18)
        log = build(plan, code, participants=participants, seed=seed)
        title = plan.title.get(plan.language, next(iter(plan.title.values())))
        with store.transaction(db):
            db.insert_meeting(
                store.MeetingRow(code, digest(key), digest(screen_key), log[0].at, title), log[0]
            )
            db.append(code, [(seq, event, None) for seq, event in enumerate(log[1:], start=2)])
    finally:
        db.close()
    return Demo(Created(code, key, screen_key), title, participants)
