"""Readable minutes in Markdown, in the meeting's language. Pure over the record.

Participant text is escaped so a note can never become a link, a heading, a list or HTML when
the minutes are rendered. That includes the links GitHub, GitLab and most renderers make of bare
addresses (the GFM autolink extension): an address someone wrote is kept as code, `like this`,
which reads as itself in the raw file, renders as itself, and is never a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from facilitate.core.blocks import (
    Bars,
    Block,
    BulletList,
    Cell,
    Facts,
    Heading,
    Item,
    Links,
    Moderation,
    Paragraph,
    Table,
    decimal_mark,
    for_documents,
    number,
)
from facilitate.export.model import (
    TIMEZONE,
    Gettext,
    Minutes,
    Voice,
    arrival_time,
    minutes,
    moderation_lines,
    paragraphs,
    participation_lines,
    ymd,
    ymd_hm,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")  # & too: "name&#64;example.org" is an address
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=])")
# Where a GFM renderer starts a link of its own (the autolink extension): a scheme's "://"
# (https, ftp, …; any scheme, to be safe), "www." starting a word, the "@" of an e-mail address
# (mailto: and xmpp: too). A backslash does not stop the e-mail ones, so addresses become code.
# cmark-gfm also links a domain that starts with a dot ("a@.b"), so any dot after the @ counts.
_TRIGGER = re.compile(r"://|(?<![^\W_])www\.|@(?=[\w.-]*\.[\w-])", re.IGNORECASE)
_SCHEME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_PREFIXES = ("mailto:", "xmpp:")
# An address runs to a space or to a character a code span here cannot hold (` and | end it,
# < > " read better outside); trailing punctuation stays outside, as renderers leave it.
_ADDRESS_END = re.compile(r"[\s`|<>\"]|\Z")
_TRAILING = frozenset("?!.,:;*_~')]")


def _addresses(text: str) -> list[tuple[int, int]]:
    """Where the text holds something a renderer would link: (start, end) pairs, in order."""
    spans: list[tuple[int, int]] = []
    end = 0
    for trigger in _TRIGGER.finditer(text):
        start = trigger.start()
        if start < end:
            continue  # inside the address before it
        if trigger.group() == "@":
            start = _rewind(text, start, end, lambda c: c.isalnum() or c in "_.+-")
            if start == trigger.start():
                continue  # nothing before the @: not an address
            for prefix in _PREFIXES:
                if (
                    start - len(prefix) >= end
                    and text[start - len(prefix) : start].lower() == prefix
                ):
                    start -= len(prefix)
        elif trigger.group() == "://":
            start = _rewind(text, start, end, _SCHEME.__contains__)
        stop = _ADDRESS_END.search(text, trigger.end())
        assert stop is not None  # \Z always matches
        end = stop.start()
        while end > trigger.end() and text[end - 1] in _TRAILING:
            end -= 1
        spans.append((start, end))
    return spans


def _rewind(text: str, at: int, limit: int, belongs: Callable[[str], bool]) -> int:
    """Where the run of characters that belong, ending at `at`, starts (not before `limit`)."""
    while at > limit and belongs(text[at - 1]):
        at -= 1
    return at


def escape(text: str) -> str:
    """Participant text as literal Markdown on one line; addresses as code, never links."""
    text = " ".join(text.split())
    out: list[str] = []
    end = 0
    for start, stop in _addresses(text):
        out += [_SPECIAL.sub(r"\\\1", text[end:start]), f"`{text[start:stop]}`"]
        end = stop
    out.append(_SPECIAL.sub(r"\\\1", text[end:]))
    return "".join(out)


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
    if m.follow:
        out += ["", *render_block(Links((m.follow,)), m)]
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
        chunks = [lines for b in for_documents(s.blocks) if (lines := render_block(b, m))]
        for lines in chunks:
            out += [*lines, ""]
        out.pop()
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


def render_block(b: Block, m: Voice) -> list[str]:
    """Any block as Markdown lines; participant text escaped. Nothing for a sheet's block."""
    w, mark = m.words, decimal_mark(m.language)
    if isinstance(b, Heading):
        return [f"{'#' * (b.level + 2)} {escape(b.text)}"]
    if isinstance(b, Paragraph):
        return [block(b.text)]
    if isinstance(b, Facts):
        lines = [f"{escape(label)}: {_cell(value, None, mark)}  " for label, value in b.pairs]
        return [*lines[:-1], lines[-1].rstrip()] if lines else []
    if isinstance(b, BulletList):
        items = [f"- {block(i.text)}{_similar(i.merged)}" for i in b.items]
        return items or ([f"- {escape(b.empty)}"] if b.empty else [])
    if isinstance(b, Moderation):
        lines = [escape(line) for line in moderation_lines(b, w)]
        return [x for line in lines for x in ("", line)][1:]
    if isinstance(b, Table | Bars):
        return _table(b, mark)
    if isinstance(b, Links):
        # Our own addresses (a results page, the follow-up page): links, with escaped labels.
        return [f"- [{escape(label)}](<{address}>)" for label, address in b.items]
    return []  # Inputs: the long table's


def _table(b: Table | Bars, mark: str) -> list[str]:
    if isinstance(b, Bars):
        header = [escape(b.label), escape(b.value), "%"]
        align = ["---", "---:", "---:"]
        rows = [
            [_cell(Item(bar.label, bar.merged), 0, mark), number(bar.value, b.places, mark)]
            + [str(bar.share)]
            for bar in b.bars
        ]
        if b.grouped:
            header, align = [" ", *header], ["---", *align]
            rows = [[escape(bar.group or ""), *r] for bar, r in zip(b.bars, rows, strict=True)]
        if b.ranked:
            header, align = ["#", *header], ["---:", *align]
            rows = [[str(bar.rank or ""), *r] for bar, r in zip(b.bars, rows, strict=True)]
    else:
        header = [escape(c.label) for c in b.columns]
        align = ["---:" if c.numeric else "---" for c in b.columns]
        rows = [
            [_cell(value, c.places, mark) for c, value in zip(b.columns, row, strict=True)]
            for row in b.rows
        ]
    if not rows and b.empty:
        return [escape(b.empty)]
    caption = [escape(b.caption), ""] if isinstance(b, Table) and b.caption else []
    lines = [f"| {' | '.join(header)} |", f"| {' | '.join(align)} |"]
    return caption + lines + [f"| {' | '.join(row)} |" for row in rows]


def _cell(value: Cell, places: int | None, mark: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Item):
        return escape(value.text) + _similar(value.merged)
    if isinstance(value, datetime):
        return ymd_hm(value)
    if isinstance(value, int | float):
        return number(value, places, mark)
    return escape(value)


def _similar(merged: tuple[str, ...]) -> str:
    return f" (+ {'; '.join(escape(t) for t in merged)})" if merged else ""
