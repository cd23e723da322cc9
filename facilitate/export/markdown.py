"""Readable minutes in Markdown, in the meeting's language. Pure over the record.

Participant text is escaped so a note can never become a link, a heading, a list or HTML when
the minutes are rendered.
"""

from __future__ import annotations

import re
from typing import Any

from facilitate.export.model import (
    TIMEZONE,
    Gettext,
    Minutes,
    Section,
    arrival_time,
    minutes,
    moderation_lines,
    paragraphs,
    participation_lines,
    ymd,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def escape(text: str) -> str:
    """Participant text as literal Markdown on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def block(text: str) -> str:
    """Escaped text that starts a paragraph: it cannot start a list or an underline either."""
    return _BLOCK_START.sub(
        lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escape(text), count=1
    )


def minutes_markdown(record: dict[str, Any], _: Gettext, timezone: str = TIMEZONE) -> str:
    """The minutes of a meeting as Markdown text."""
    return render(minutes(record, _, timezone))


def render(m: Minutes) -> str:
    w = m.words
    out: list[str] = [f"# {escape(m.title)}", ""]
    facts = [(w["date"], m.date)]
    if m.time:
        facts.append((w["time"], m.time))
    facts += [(label, value) for key, label, value in m.details if key != "date"]
    facts.append((w["code"], m.code))
    out += [f"{label}: {escape(value)}  " for label, value in facts]
    out[-1] = out[-1].rstrip()
    if m.description:
        out += _paragraphs(m.description)
    out += [
        "",
        "## " + w["participation"],
        "",
        *("- " + escape(line) for line in participation_lines(m)),
    ]
    if m.arrivals:
        out += ["", f"| {w['time']} | {w['arrived']} | {w['total']} |", "| --- | ---: | ---: |"]
        out += [f"| {arrival_time(m, a)} | {a.joined} | {a.total} |" for a in m.arrivals]
    out += [
        "",
        "## " + w["agenda"],
        "",
        f"| # | {w['activity']} | {w['when']} | {w['present']} |",
        "| ---: | --- | --- | ---: |",
    ]
    for s in m.sections:
        present = "" if s.present is None else s.present
        out.append(f"| {s.number} | {escape(s.title)} | {s.ran or w['not_shown']} | {present} |")
    for s in m.sections:
        out += ["", f"## {s.number}. {escape(s.title)}", ""]
        if s.text:
            out += _paragraphs(s.text)[1:] + [""]
        if not s.has_results:
            out.pop()
            continue
        out += [w["answered"] % {"n": s.responders or 0}, ""]
        if s.kind == "poll":
            out += _poll(s, w)
        elif s.kind == "notes":
            out += _notes(s, w)
        else:
            out += _painjoy(s, w)
        for line in moderation_lines(s.hidden, w):
            out += ["", escape(line)]
    for part in m.parts:
        if not part.entries:
            continue
        out += ["", f"## {part.heading}", ""]
        if part.key == "followups":
            for entry in part.entries:
                out += [
                    f"### {escape(entry.title)} ({ymd(entry.at)})",
                    *_paragraphs(entry.text),
                    "",
                ]
            out.pop()
        else:
            out += [f"- {block(entry.text)}" for entry in part.entries]
    out += ["", "---", "", escape(w["footer"] % {"n": m.events, "schema": m.schema})]
    return "\n".join(out).rstrip() + "\n"


def _paragraphs(text: str) -> list[str]:
    """Each paragraph of a longer text after a blank line."""
    return [line for p in paragraphs(text) for line in ("", block(p))]


def _poll(s: Section, w: dict[str, str]) -> list[str]:
    rows = [f"| {w['answer']} | {w['votes']} | % |", "| --- | ---: | ---: |"]
    rows += [f"| {escape(a.label)} | {a.votes} | {a.share} |" for a in s.answers]
    if s.multiple:
        rows += ["", w["multiple"]]
    return rows


def _similar(merged: tuple[str, ...]) -> str:
    return f" (+ {'; '.join(escape(t) for t in merged)})" if merged else ""


def _notes(s: Section, w: dict[str, str]) -> list[str]:
    if not any(g.notes for g in s.groups):
        return [w["no_notes"]]
    out: list[str] = []
    for group in s.groups:
        if group.heading is not None:
            out += [f"### {escape(group.heading)}", ""]
        out += [f"- {block(n.text)}{_similar(n.merged)}" for n in group.notes] or [
            "- (" + w["none"] + ")"
        ]
        out.append("")
    return out[:-1]


def _painjoy(s: Section, w: dict[str, str]) -> list[str]:
    out: list[str] = []
    for ranking in s.rankings:
        out += [
            f"### {ranking.heading}",
            "",
            f"| # | {w['point']} | {w['dots']} | % |",
            "| ---: | --- | ---: | ---: |",
        ]
        out += [
            f"| {n.rank} | {escape(n.text)}{_similar(n.merged)} | {n.dots} | {n.share} |"
            for n in ranking.points
        ]
        out.append("")
    if s.dots:
        out += [w["dots_placed"] % {"n": s.dots}, ""]
    return out[:-1]
