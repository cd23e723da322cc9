"""A draft citizen promise (medborgarlöfte) from the public records of meetings. Pure.

The Swedish method (seed 004) says what a citizen promise holds: an introduction with its
purpose (syfte), the joint situation picture (gemensam lägesbild), the focus area and how it
was produced (fokusområde), the activities and their period (aktiviteter), the effects sought
(effekter), how citizens can follow the work (följa arbetet), and the signatures (underskrift).
The draft fills in what the meetings said — each activity's part comes from its kind
(`Kind.promise`), from the *public* record only — and marks what the organiser still has to
write ("[Skriv: …]" in the draft's language). Parts nothing filled get only that mark.

The blocks are the minutes' blocks (facilitate.core.blocks), so Markdown, HTML and DOCX render
them with the minutes' own renderers (promise_formats.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from facilitate.core import tables
from facilitate.core.blocks import (
    Block,
    BulletList,
    Column,
    Context,
    Heading,
    Item,
    Links,
    Paragraph,
    Table,
    safe,
)
from facilitate.core.kinds import KINDS
from facilitate.core.kinds.base import PROMISE_PARTS
from facilitate.core.process import STEP_LABELS
from facilitate.core.text import localize
from facilitate.export.model import TIMEZONE, Gettext, moment, words, ymd, zone

# The seven parts of a citizen promise, in order: the kinds give to the middle four.
PARTS = ("intro", *PROMISE_PARTS, "follow", "signatures")


@dataclass(frozen=True)
class Source:
    """A meeting the draft draws on: its public record (records.public), the process step it
    was (None outside a process) and its results page, if the results are published."""

    record: dict[str, Any]
    step: str | None = None
    results_url: str | None = None


@dataclass(frozen=True)
class Part:
    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Draft:
    """The draft: a title, its language and words, and the seven parts in order."""

    title: str
    language: str
    words: dict[str, str]
    parts: tuple[Part, ...]


def promise_words(_: Gettext) -> dict[str, str]:
    """The draft's own headings and marks, in the catalog's language."""
    return {
        "promise": _("Citizen promise – draft"),
        "intro": _("Introduction and purpose"),
        "situation": _("The joint situation picture"),
        "focus": _("Focus area and how it was produced"),
        "activities": _("Activities and period"),
        "effects": _("Effects sought"),
        "follow": _("How you can follow the work"),
        "signatures": _("Signatures"),
        "write": _("[Write: %(what)s]"),
        "write_intro": _("why this promise is made, for which area, and who stands behind it"),
        "write_situation": _(
            "the joint situation picture of the police, the municipality and the citizens, "
            "in a few sentences"
        ),
        "write_focus": _("the focus area chosen, and the goal"),
        "write_activities": _("the activities, who does them, and from when to when"),
        "write_effects": _("the effects sought, and how they will be followed up"),
        "write_follow": _("when and where you will report back"),
        "write_signatures": _("names and dates once the promise is agreed"),
        "draft_note": _(
            "A draft made by facilitate from the public record of the meetings. Everything in "
            "square brackets is for you to write; the rest you may change as you see fit."
        ),
        "produced": _(
            "This was produced at the meetings below; in all, %(people)s people took part on "
            "their phones."
        ),
        "meeting": _("Meeting"),
        "step": _("Step"),
        "took_part": _("Took part"),
        "results_of": _("Results of “%(title)s”"),
        "follow_page": _("Follow-up: what is done and how it goes"),
        "follow_text": _(
            "The results of the meetings and the follow-up of every activity are published "
            "here, and updated as the work goes on."
        ),
        "role": _("Role"),
        "name": _("Name"),
        "signature": _("Signature"),
        "police_chief": _("Local police chief"),
        "municipality": _("The municipality"),
        "other_actor": _("Other actor"),
    }


def draft(
    title: str,
    description: str,
    language: str,
    sources: Sequence[Source],
    _: Gettext,
    follow_url: str | None = None,
    timezone: str = TIMEZONE,
    activities: Sequence[str] = (),
) -> Draft:
    """The draft citizen promise drawn from `sources`, in `language` (the catalog of `_`);
    `activities` are the titles of the process's follow-up items, if it has any yet."""
    tz = zone(timezone)
    w = {**words(_), **promise_words(_), **{f"step:{k}": _(v) for k, v in STEP_LABELS.items()}}

    def text(value: dict[str, str] | None) -> str:
        return safe(localize(value or {}, language, language))

    context = Context(w, text, lambda iso: moment(iso, tz))
    given: dict[str, list[Block]] = {part: [] for part in PROMISE_PARTS}
    for source in sources:
        record = source.record
        by_part: dict[str, list[Block]] = {part: [] for part in PROMISE_PARTS}
        for entry in record["activities"]:
            kind = KINDS.get(entry["kind"])
            if kind is None:
                continue
            for piece in tables.each_part(entry):  # each table's, for one answered per table
                if "parts" in entry:  # said which table: "Vad är problemet? – Bord 2"
                    name = tables.table_name(piece, context)
                    titled = {lang: f"{t} – {name}" for lang, t in piece["title"].items()}
                    piece = {**piece, "title": titled}
                for contribution in kind.promise(piece, context):
                    by_part[contribution.part] += contribution.blocks
        for part, blocks in by_part.items():
            if blocks:
                given[part] += [Heading(_meeting_title(source, text, tz), level=1), *blocks]

    def write(key: str) -> Paragraph:
        return Paragraph(w["write"] % {"what": w[f"write_{key}"]})

    intro: list[Block] = [Paragraph(p) for p in _paragraphs(description)]
    parts: dict[str, list[Block]] = {
        "intro": [*intro, write("intro"), Paragraph(w["draft_note"], muted=True)],
        "situation": [write("situation"), *given["situation"]],
        "focus": [write("focus"), *given["focus"], *_produced(sources, w, text, tz)],
        "activities": [
            write("activities"),
            *([BulletList(tuple(Item(safe(t)) for t in activities))] if activities else []),
            *given["activities"],
        ],
        "effects": [write("effects"), *given["effects"]],
        "follow": [*_follow(sources, w, text, follow_url), write("follow")],
        "signatures": [_signatures(w), write("signatures")],
    }
    return Draft(
        title=safe(title),
        language=language,
        words=w,
        parts=tuple(Part(key, w[key], tuple(parts[key])) for key in PARTS),
    )


def _meeting_title(source: Source, text: Any, tz: Any) -> str:
    meeting = source.record["meeting"]
    date = (meeting.get("details") or {}).get("date") or ymd(moment(meeting["created_at"], tz))
    return f"{text(meeting['title'])} ({safe(date)})"


def _produced(sources: Sequence[Source], w: dict[str, str], text: Any, tz: Any) -> list[Block]:
    """How the focus was produced: which meetings, at which step, how many took part."""
    if not sources:
        return []
    rows = tuple(
        (
            text(s.record["meeting"]["title"]),
            w[f"step:{s.step}"] if s.step else "",
            safe((s.record["meeting"].get("details") or {}).get("date"))
            or ymd(moment(s.record["meeting"]["created_at"], tz)),
            s.record["participants"]["joined"],
        )
        for s in sources
    )
    people = sum(s.record["participants"]["joined"] for s in sources)
    columns = (
        Column(w["meeting"]),
        Column(w["step"]),
        Column(w["date"]),
        Column(w["took_part"], "number"),
    )
    return [Paragraph(w["produced"] % {"people": people}), Table(columns, rows)]


def _follow(
    sources: Sequence[Source], w: dict[str, str], text: Any, follow_url: str | None
) -> list[Block]:
    links = [(w["follow_page"], follow_url)] if follow_url else []
    links += [
        (w["results_of"] % {"title": text(s.record["meeting"]["title"])}, s.results_url)
        for s in sources
        if s.results_url
    ]
    if not links:
        return []
    return [Paragraph(w["follow_text"]), Links(tuple((label, url) for label, url in links if url))]


def _signatures(w: dict[str, str]) -> Table:
    columns = (Column(w["role"]), Column(w["name"]), Column(w["signature"]), Column(w["date"]))
    roles = ("police_chief", "municipality", "other_actor")
    return Table(columns, tuple((w[role], "", "", "") for role in roles))


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in safe(text).split("\n\n") if p.strip()]
