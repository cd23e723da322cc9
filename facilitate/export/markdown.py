"""Readable minutes in Markdown, in the meeting's language. Pure over the record.

Participant text is escaped so a note can never become a link, a heading or HTML when the
minutes are rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from facilitate.core.text import localize

Gettext = Callable[[str], str]
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def escape(text: str) -> str:
    """Participant text as literal Markdown on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _time(iso: str | None, zone: ZoneInfo | None, with_date: bool = False) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if zone is not None:
        moment = moment.astimezone(zone)
    return moment.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def minutes_markdown(record: dict[str, Any], _: Gettext, timezone: str = "Europe/Oslo") -> str:
    """The minutes of a meeting as Markdown text."""
    zone = _zone(timezone)
    meeting = record["meeting"]
    lang = meeting["language"]

    def text(value: dict[str, str]) -> str:
        return localize(value, lang, lang)

    out: list[str] = [f"# {escape(text(meeting['title']))}", ""]
    out.append(_("Date: %(date)s") % {"date": _time(meeting["created_at"], zone, True)} + "  ")
    out.append(_("Meeting code: %(code)s") % {"code": meeting["code"]})
    if meeting.get("description"):
        out += ["", escape(text(meeting["description"]))]
    people = record["participants"]
    out += [
        "",
        "## " + _("Participation"),
        "",
        "- " + _("Phones that joined: %(n)s") % {"n": people["joined"]},
        "- " + _("Most phones connected at once: %(n)s") % {"n": people["peak_connected"]},
        "",
        "## " + _("Agenda"),
        "",
    ]
    for number, activity in enumerate(record["activities"], start=1):
        shown = _time(activity["shown_at"][0], zone) if activity["shown_at"] else _("not shown")
        out.append(f"{number}. {escape(text(activity['title']))} ({shown})")
    for number, activity in enumerate(record["activities"], start=1):
        out += ["", f"## {number}. {escape(text(activity['title']))}", ""]
        if activity.get("text"):
            out += [escape(text(activity["text"])), ""]
        if activity["kind"] == "info":
            continue
        out.append(_("Answered by: %(n)s") % {"n": activity["responders"]})
        out.append("")
        if activity["kind"] == "poll":
            out += _poll(activity, text, _)
        elif activity["kind"] == "notes":
            out += _notes(activity, text, _)
        else:
            out += _painjoy(activity, _)
        if activity.get("hidden"):
            reasons = [n["reason"] for n in activity["notes"] if n["status"] == "hidden"]
            listed = "; ".join(escape(r) for r in reasons if r)
            line = _("Notes hidden by the facilitator: %(n)s") % {"n": activity["hidden"]}
            if listed:
                line += " (" + _("reasons: %(reasons)s") % {"reasons": listed} + ")"
            out += ["", line]
    return "\n".join(out).rstrip() + "\n"


def _poll(activity: dict[str, Any], text: Callable[[dict[str, str]], str], _: Gettext) -> list[str]:
    tally = activity["tally"]
    voters = tally["voters"]
    labels = {o["id"]: text(o["text"]) for o in activity["options"]}
    labels["none"] = _("None of these")
    rows = ["| " + _("Answer") + " | " + _("Votes") + " | % |", "| --- | ---: | ---: |"]
    for option_id, count in tally["counts"].items():
        share = round(100 * count / voters) if voters else 0
        rows.append(f"| {escape(labels.get(option_id, option_id))} | {count} | {share} |")
    return rows


def _merged(activity: dict[str, Any], note: dict[str, Any]) -> str:
    by_id = {n["id"]: n for n in activity["notes"]}
    similar = [escape(by_id[i]["text"]) for i in note["merged"] if i in by_id]
    return f" (+ {'; '.join(similar)})" if similar else ""


def _notes(
    activity: dict[str, Any], text: Callable[[dict[str, str]], str], _: Gettext
) -> list[str]:
    visible = [n for n in activity["notes"] if n["status"] == "visible"]
    if not visible:
        return [_("No notes.")]
    columns = activity.get("columns") or []
    groups: list[tuple[str | None, list[dict[str, Any]]]] = (
        [(text(c), [n for n in visible if n["column"] == i]) for i, c in enumerate(columns)]
        if columns
        else [(None, visible)]
    )
    out: list[str] = []
    for heading, notes in groups:
        if heading is not None:
            out += [f"### {escape(heading)}", ""]
        out += [f"- {escape(n['text'])}{_merged(activity, n)}" for n in notes] or [
            "- (" + _("none") + ")"
        ]
        out.append("")
    return out[:-1]


def _painjoy(activity: dict[str, Any], _: Gettext) -> list[str]:
    out: list[str] = []
    titles = {"pain": _("Pain points"), "joy": _("Heart points")}
    for kind in ("pain", "joy"):
        out += [
            f"### {titles[kind]}",
            "",
            "| # | " + _("Point") + " | " + _("Dots") + " |",
            "| ---: | --- | ---: |",
        ]
        for rank, item in enumerate(activity["ranking"][kind], start=1):
            note = next(n for n in activity["notes"] if n["id"] == item["id"])
            out.append(
                f"| {rank} | {escape(item['text'])}{_merged(activity, note)} | {item['dots']} |"
            )
        out.append("")
    return out[:-1]
