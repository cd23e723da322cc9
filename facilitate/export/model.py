"""What every format of the minutes says, worked out once from the record. Pure.

`minutes(record, _)` turns the record into plain data in the meeting's language: the details,
attendance, the agenda with the times each activity ran, each activity's results as blocks
(`blocks.py`, made by its kind's builder in `kind_blocks.py`), and the organisers' own
sections. Every format (Markdown, HTML, DOCX, XLSX, CSV) renders this one model, so they cannot
disagree; none of them knows the kinds.

Times are kept as aware datetimes in the meeting's time zone (Europe/Oslo unless told), and every
text is made safe for XML (no control characters, no lone surrogates), which DOCX and XLSX need.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from facilitate.core import tables
from facilitate.core.blocks import Block, Builder, Context, Input, Inputs, Moderation, safe
from facilitate.core.kinds import KINDS
from facilitate.core.text import localize

Gettext = Callable[[str], str]
TIMEZONE = "Europe/Oslo"
DETAILS = ("date", "place", "organisers", "facilitators", "purpose")

# Buckets for "joined over time": the narrowest that keeps the table short.
_BUCKETS = (1, 5, 10, 15, 30, 60, 120, 360, 1440)
_MAX_BUCKETS = 24


def zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def moment(iso: str | None, tz: ZoneInfo | None) -> datetime | None:
    """An ISO 8601 timestamp of the record in the meeting's time zone (UTC if unknown)."""
    if not iso:
        return None
    at = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return at.astimezone(tz) if tz is not None else at.astimezone(UTC)


def hm(at: datetime | None) -> str:
    return at.strftime("%H:%M") if at else ""


def ymd(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d") if at else ""


def ymd_hm(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else ""


def span(start: datetime | None, end: datetime | None) -> str:
    """A time span: "19:02–19:10", with dates when it ends on another day, "19:02–" if open."""
    if start is None:
        return ""
    if end is None:
        return f"{hm(start)}–"
    if end.date() != start.date():
        return f"{ymd_hm(start)}–{ymd_hm(end)}"
    if hm(end) == hm(start):
        return hm(start)
    return f"{hm(start)}–{hm(end)}"


# -- the model ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    start: datetime | None
    end: datetime | None

    def __str__(self) -> str:
        return span(self.start, self.end)


@dataclass(frozen=True)
class Section:
    """One activity of the agenda and, when its kind has minutes, its results as blocks."""

    number: int
    id: str
    kind_label: str
    title: str
    text: str
    runs: tuple[Run, ...]
    present: int | None  # phones connected when it was first shown
    responders: int | None
    has_results: bool = False
    blocks: tuple[Block, ...] = ()

    @property
    def ran(self) -> str:
        return ", ".join(str(run) for run in self.runs)

    @property
    def moderation(self) -> Moderation | None:
        """The activity's moderation in numbers, if it takes inputs that can be withheld."""
        return next((b for b in self.blocks if isinstance(b, Moderation)), None)

    @property
    def inputs(self) -> tuple[Input, ...]:
        """The activity's rows of the long table of every input."""
        return tuple(row for b in self.blocks if isinstance(b, Inputs) for row in b.rows)


@dataclass(frozen=True)
class Arrival:
    at: datetime | None
    joined: int
    total: int


@dataclass(frozen=True)
class Entry:
    """A decision, a question taken back, a next step, or a follow-up."""

    text: str
    at: datetime | None
    title: str = ""


@dataclass(frozen=True)
class Part:
    """One of the organisers' sections: its heading and its entries (removed ones left out)."""

    key: str
    heading: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Minutes:
    title: str
    language: str
    code: str
    description: str
    date: str
    time: str
    started: datetime | None
    details: tuple[tuple[str, str, str], ...]  # key, label, value: only those filled in
    joined: int  # phones that took part (gave any input)
    opened: int  # phones that opened the meeting
    kiosk: int  # of `joined`, the people who took part at a kiosk (one tablet, one after another)
    peak: int
    arrivals: tuple[Arrival, ...]
    arrivals_per: int  # minutes per row of `arrivals`
    sections: tuple[Section, ...]
    parts: tuple[Part, ...]
    events: int
    schema: str
    words: dict[str, str]
    # The process's public follow-up page, for a meeting in a process: (label, address).
    follow: tuple[str, str] | None = None


class Voice(Protocol):
    """What renders a block besides the block: the words and the language of the document
    (the minutes, a draft citizen promise)."""

    @property
    def language(self) -> str: ...

    @property
    def words(self) -> dict[str, str]: ...


# -- words ---------------------------------------------------------------------------------


def words(_: Gettext) -> dict[str, str]:
    """Every heading and label the formats use, in the catalog's language.

    Texts with %(…)s placeholders are filled in by the caller with the % operator.
    """
    return {
        "minutes": _("Minutes"),
        "table_numbered": _("Table %(n)s"),
        "date": _("Date"),
        "time": _("Time"),
        "place": _("Place"),
        "organisers": _("Organisers"),
        "facilitators": _("Facilitators"),
        "purpose": _("Purpose"),
        "code": _("Meeting code"),
        "participation": _("Participation"),
        "joined": _("Phones that took part: %(n)s"),
        "opened": _("Phones that opened the meeting: %(n)s"),
        "kiosk": _("Of them at a kiosk (a shared tablet, one person after another): %(n)s"),
        "peak": _("Most phones connected at once: %(n)s"),
        "joined_label": _("Phones that took part"),
        "opened_label": _("Phones that opened the meeting"),
        "kiosk_label": _("Of them at a kiosk"),
        "peak_label": _("Most phones connected at once"),
        "arrivals": _("Phones joining over time"),
        "arrived": _("Joined"),
        "total": _("In total"),
        "agenda": _("Agenda"),
        "number": _("No."),
        "activity": _("Activity"),
        "kind": _("Type"),
        "when": _("When"),
        "present": _("Phones present"),
        "not_shown": _("not shown"),
        "answered": _("Answered by: %(n)s"),
        "answered_label": _("Answered by"),
        "answer": _("Answer"),
        "votes": _("Votes"),
        "none_of_these": _("None of these"),
        "multiple": _("Several answers were allowed; the percentages are of those who answered."),
        "no_notes": _("No notes."),
        "none": _("none"),
        "note": _("Note"),
        "column": _("Column"),
        "posted": _("Posted"),
        "merged_with": _("Similar notes merged into it"),
        "pain": _("Pain points"),
        "joy": _("Heart points"),
        "pain_one": _("Pain point"),
        "joy_one": _("Heart point"),
        "rank": _("Rank"),
        "point": _("Point"),
        "dots": _("Dots"),
        "dot_share": _("% of the dots"),
        "dots_placed": _("Dots placed: %(n)s"),
        "statement": _("Statement"),
        "rating": _("Rating"),
        "answers": _("Answers"),
        "mean": _("Mean"),
        "median": _("Median"),
        "sd": _("Standard deviation"),
        "dont_know": _("Don't know"),
        "dont_know_n": _("Don't know: %(n)s"),
        "dont_know_apart": _(
            "“Don't know” is counted apart: it is not part of the mean or the median."
        ),
        "scale_range": _("Scale from %(low)s to %(high)s."),
        "placement": _("Placement"),
        "axis_range": _("%(axis)s: from %(low)s to %(high)s."),
        "mean_of": _("%(axis)s, mean"),
        "sd_of": _("%(axis)s, spread"),
        "quadrant": _("Quadrant"),
        "quadrant_top_left": _("Quick wins"),
        "quadrant_top_right": _("Major projects"),
        "quadrant_bottom_left": _("Fill-ins"),
        "quadrant_bottom_right": _("Thankless tasks"),
        "on_a_line": _("On a dividing line"),
        "matrix_note": _(
            "Each item is placed at the mean of the answers. The spread is their standard "
            "deviation on each scale: the larger it is, the more people disagreed."
        ),
        "qa_question": _("Question"),
        "qa_answer": _("Answer note"),
        "qa_answered": _("answered"),
        "qa_open": _("not answered"),
        "qa_none": _("No questions."),
        "qa_count": _("Questions on the list: %(n)s; answered: %(answered)s"),
        "qa_withdrawn": _("Questions withdrawn by the person who asked: %(n)s"),
        "qa_withdrawn_one": _("withdrawn"),
        "qa_waiting": _("waiting for review"),
        "item": _("Item"),
        "no_items": _("No items."),
        "borda": _("Borda score"),
        "average_position": _("Average position"),
        "borda_how": _(
            "Borda score: in a ranking of %(n)s items, a first place gives %(top)s points, each "
            "place below it one point fewer, and the last place none. Average position: 1 is "
            "first."
        ),
        "points_column": _("Points"),
        "budget": _("Points per phone"),
        "points_given": _("Points given"),
        "points_how": _(
            "Each phone had %(budget)s points to spread over the items; %(n)s points were given "
            "in all. The percentages are shares of those."
        ),
        "hidden": _("Notes hidden by the facilitator: %(n)s"),
        "reasons": _("reasons: %(reasons)s"),
        "hidden_label": _("Hidden by the facilitator"),
        "held": _("Notes that waited for review: %(n)s; let through: %(released)s"),
        "held_label": _("Waited for review"),
        "released_label": _("Let through"),
        "hidden_why": _("Why they were hidden"),
        "no_reason": _("no reason given"),
        "moderation": _("The texts of hidden notes are kept in the record, not in the minutes."),
        "word": _("Word"),
        "phones": _("Phones"),
        "phone_share": _("% of the phones"),
        "no_words": _("No words."),
        "more_words": _("%(n)s more words, each sent by fewer phones, are in the spreadsheet."),
        "hidden_words": _("Words hidden by the facilitator: %(n)s"),
        "held_words": _("Words that waited for review: %(n)s; let through: %(released)s"),
        "moderation_words": _("Hidden words are kept in the record, not in the minutes."),
        "status_held": _("waiting for review"),
        # proposed activities of a citizen promise, with their SMART criteria
        "action_one": _("Proposed activity"),
        "action_what": _("What"),
        "action_who": _("For or by whom"),
        "action_where": _("Where"),
        "action_when": _("When"),
        "action_indicator": _("Indicator"),
        "action_responsible": _("Responsible"),
        "action_smart": _("SMART"),
        "action_supports": _("Support"),
        "action_questions": _("Questioned"),
        "action_chosen_one": _("chosen"),
        "actions_chosen": _("Chosen activities"),
        "actions_other": _("Other proposals"),
        "actions_none_chosen": _("No activity was chosen."),
        "actions_none": _("No other proposals."),
        "actions_smart_how": _(
            "SMART as read here: specific when what, for or by whom and where are given; "
            "measurable with an indicator; accepted when at least one phone supports it and "
            "more support than question it; realistic when someone is responsible; time-bound "
            "with a period. A dash marks a criterion not met."
        ),
        "brought": _("The items each table brought:"),
        "hands": _("Hands"),
        "paper_mark": _("(paper)"),
        "about_others": _("Others (smaller groups together)"),
        "about_not_said": _("Did not say"),
        "about_too_few": _(
            "Fewer than %(k)s answered this: nothing is shown, so that nobody can be picked out."
        ),
        "about_k": _(
            "Shown only as groups of at least %(k)s people: smaller groups are merged into "
            "“others”, so that nobody can be picked out."
        ),
        "form_mark": _("(form)"),
        "hands_counted": _("Counted by a show of hands, for people without a phone: %(counts)s"),
        "hidden_questions": _("Questions hidden by the facilitator: %(n)s"),
        "held_questions": _("Questions that waited for review: %(n)s; let through: %(released)s"),
        "moderation_questions": _(
            "The texts of hidden questions are kept in the record, not in the minutes."
        ),
        "hidden_proposals": _("Proposals hidden by the facilitator: %(n)s"),
        "held_proposals": _("Proposals that waited for review: %(n)s; let through: %(released)s"),
        "moderation_proposals": _(
            "The texts of hidden proposals are kept in the record, not in the minutes."
        ),
        # statements: agree, disagree or pass, and the opinion groups
        "proposal": _("Statement from a participant"),
        "agree": _("Agree"),
        "disagree": _("Disagree"),
        "pass": _("Pass"),
        "agree_share": _("% agree"),
        "disagree_share": _("% disagree"),
        "result": _("Result"),
        "all_statements": _("All statements"),
        "consensus": _("Where most agree"),
        "answers_total": _("Answers in all"),
        "consensus_agree_item": _("%(text)s (%(share)s %% agree)"),
        "consensus_disagree_item": _("%(text)s (%(share)s %% disagree)"),
        "consensus_agree": _("most agree"),
        "consensus_disagree": _("most disagree"),
        "divisive": _("Where opinions split"),
        "divisive_item": _("%(text)s (%(agree)s %% agree, %(disagree)s %% disagree)"),
        "divisive_one": _("opinions split"),
        "groups": _("Opinion groups"),
        "no_groups": _(
            "No opinion groups: they are formed once %(n)s people have answered at least "
            "%(k)s statements each."
        ),
        "groups_how": _(
            "Formed from the answers of the %(n)s people who answered at least %(k)s "
            "statements; no group has fewer than %(min)s people."
        ),
        "group_people": _("Group %(label)s: %(n)s people"),
        "apart_agree": _(
            "Agree more than the others: %(text)s (%(group)s %% of the group, %(rest)s %% of "
            "the others)"
        ),
        "apart_disagree": _(
            "Disagree more than the others: %(text)s (%(group)s %% of the group, %(rest)s %% of "
            "the others)"
        ),
        "group": _("Group"),
        "people": _("People"),
        "side": _("Side"),
        "group_share": _("% of the group"),
        "others_share": _("% of the others"),
        "proposed": _("Statements proposed by participants"),
        "approved": _("Approved"),
        "statements_hidden": _("Hidden by the facilitator"),
        "never_approved": _("Never approved"),
        "statement_moderation": _(
            "The texts of statements that were hidden or never approved are kept in the record, "
            "not in the minutes."
        ),
        "status_waiting": _("waiting"),
        # problem description and cause analysis (problembeskrivning och orsaksanalys)
        "problem_starting_point": _("Starting point"),
        "problem_description": _("Problem description"),
        "problem_question": _("Question"),
        "problem_role": _("Role"),
        "problem_agreed": _("Agreed"),
        "problem_others": _("Other contributions"),
        "problem_what": _("What is the problem?"),
        "problem_where": _("Where?"),
        "problem_when": _("When?"),
        "problem_offender": _("Who causes it?"),
        "problem_target": _("Who or what is hit?"),
        "problem_consequences": _("Consequences"),
        "problem_fixer": _("Who can fix it?"),
        "problem_guardian": _("Who watches over the target?"),
        "problem_handler": _("Who has influence over the one who causes it?"),
        "problem_manager": _("Who is responsible for the place?"),
        "problem_whys": _("Why? Asked again and again"),
        "problem_why": _("Why?"),
        "problem_why_n": _("Why? (%(n)s)"),
        "problem_triangle": _("The problem triangle"),
        "problem_offender_corner": _("Offender (who causes it)"),
        "problem_handler_corner": _("Handler (influence over the offender)"),
        "problem_target_corner": _("Target (who or what is hit)"),
        "problem_guardian_corner": _("Guardian (watches over the target)"),
        "problem_place_corner": _("Place"),
        "problem_manager_corner": _("Place manager (responsible for the place)"),
        "problem_none_agreed": _("No answer was marked as agreed."),
        "problem_contribution": _("Contribution"),
        "problem_scribe": _("Written down by the scribe"),
        "hidden_contributions": _("Contributions hidden by the facilitator: %(n)s"),
        "held_contributions": _(
            "Contributions that waited for review: %(n)s; let through: %(released)s"
        ),
        "moderation_contributions": _(
            "The texts of hidden contributions are kept in the record, not in the minutes."
        ),
        "decisions": _("Decisions"),
        "questions": _("Questions we took back"),
        "next_steps": _("Next steps"),
        "followups": _("Follow-ups to the participants"),
        "summary": _("Summary"),
        "follow_process": _("Follow-up of “%(title)s”: what is done with the input"),
        "inputs": _("All inputs"),
        "text": _("Text"),
        "status": _("Status"),
        "merged_into": _("Merged into"),
        "reason": _("Why hidden"),
        "status_visible": _("shown"),
        "status_merged": _("merged"),
        "status_hidden": _("hidden"),
        "footer": _(
            "Made by facilitate from the meeting's log of %(n)s events (record format %(schema)s)."
        ),
    }


# -- building ------------------------------------------------------------------------------


def minutes(
    record: dict[str, Any],
    _: Gettext,
    timezone: str = TIMEZONE,
    builders: Mapping[str, Builder] | None = None,
) -> Minutes:
    """The model of the minutes of one meeting record; `builders` maps a kind to what makes
    its blocks (each kind's own `minutes`, facilitate.core.kinds, unless given)."""
    if builders is None:
        builders = {name: kind.minutes for name, kind in KINDS.items() if kind.takes_input}
    builders = {name: tables.minutes(build) for name, build in builders.items()}
    tz = zone(timezone)
    meeting = record["meeting"]
    lang = meeting["language"]
    w = {**words(_), **{f"kind:{name}": _(kind.label) for name, kind in KINDS.items()}}

    def text(value: dict[str, str] | None) -> str:
        return safe(localize(value or {}, lang, lang))

    def at(iso: str | None) -> datetime | None:
        return moment(iso, tz)

    activities = record["activities"]
    ended = at(meeting.get("ended_at"))
    runs = _runs(activities, at, ended)
    context = Context(w, text, at)
    sections = tuple(
        _section(number, activity, runs[number - 1], context, builders)
        for number, activity in enumerate(activities, start=1)
    )
    first = min((r.start for s in sections for r in s.runs if r.start), default=None)
    started = first or at(meeting.get("created_at"))
    details = meeting.get("details") or {}
    filled = tuple(
        (key, w[key], safe(details[key])) for key in DETAILS if safe(details.get(key)).strip()
    )
    people = record["participants"]
    arrivals, per = _arrivals(people.get("joins", []), at)
    parts = tuple(
        Part(key, w[key], _entries(record.get(key, ()), at))
        for key in ("decisions", "questions", "next_steps", "followups")
    )
    return Minutes(
        title=text(meeting["title"]),
        language=lang,
        code=safe(meeting["code"]),
        description=text(meeting.get("description")),
        date=safe(details.get("date", "")).strip() or ymd(started),
        time=span(started, ended) if started else "",
        started=started,
        details=filled,
        joined=people["joined"],
        opened=people.get("opened", people["joined"]),
        kiosk=people.get("kiosk", 0),
        peak=people["peak_connected"],
        arrivals=arrivals,
        arrivals_per=per,
        sections=sections,
        parts=parts,
        events=record.get("events", 0),
        schema=record.get("schema", ""),
        words=w,
        follow=_follow(record.get("process"), w),
    )


def _follow(process: dict[str, Any] | None, w: dict[str, str]) -> tuple[str, str] | None:
    if not process:
        return None
    return (w["follow_process"] % {"title": safe(process["title"])}, safe(process["follow_url"]))


def _runs(
    activities: list[dict[str, Any]],
    at: Callable[[str | None], datetime | None],
    ended: datetime | None,
) -> list[tuple[Run, ...]]:
    """When each activity was on the screen: from each time it was shown until the next
    activity was shown, or the meeting ended (open-ended while it is still current)."""
    shows = sorted(
        (when, index)
        for index, activity in enumerate(activities)
        for iso in activity.get("shown_at", [])
        if (when := at(iso)) is not None
    )
    result: list[list[Run]] = [[] for _ in activities]
    for position, (start, index) in enumerate(shows):
        later = [when for when, _ in shows[position + 1 :] if when >= start]
        end = later[0] if later else (ended if ended and ended >= start else None)
        result[index].append(Run(start, end))
    return [tuple(runs) for runs in result]


def _section(
    number: int,
    activity: dict[str, Any],
    runs: tuple[Run, ...],
    context: Context,
    builders: Mapping[str, Builder],
) -> Section:
    kind = activity["kind"]
    present = activity.get("present_when_shown") or [None]
    build = builders.get(kind)
    return Section(
        number=number,
        id=safe(activity["id"]),
        kind_label=context.words[f"kind:{kind}"],
        title=context.text(activity.get("title")),
        text=context.text(activity.get("text")),
        runs=runs,
        present=present[0],
        responders=activity.get("responders"),
        has_results=build is not None,
        blocks=tuple(build(activity, context)) if build is not None else (),
    )


def _arrivals(
    joins: Iterable[dict[str, Any]], at: Callable[[str | None], datetime | None]
) -> tuple[tuple[Arrival, ...], int]:
    """Phones joining over time, in buckets wide enough to keep the table short, on the local
    clock (a six-hour step starts at 00, 06, 12 and 18 o'clock)."""
    epoch = datetime(1970, 1, 1)
    local = [
        (when, int((when.replace(tzinfo=None) - epoch).total_seconds() // 60), item["joined"])
        for item in joins
        if (when := at(item["minute"])) is not None
    ]
    if not local:
        return (), 1
    first, last = local[0][1], local[-1][1]
    width = next((b for b in _BUCKETS if (last - first) // b + 1 <= _MAX_BUCKETS), _BUCKETS[-1])
    buckets: dict[int, int] = {}
    for _, minute, joined in local:
        start = minute - minute % width
        buckets[start] = buckets.get(start, 0) + joined
    tz = local[0][0].tzinfo
    total = 0
    rows = []
    for start in sorted(buckets):
        total += buckets[start]
        when = (epoch + timedelta(minutes=start)).replace(tzinfo=tz)
        rows.append(Arrival(when, buckets[start], total))
    return tuple(rows), width


def _entries(
    items: Iterable[dict[str, Any]], at: Callable[[str | None], datetime | None]
) -> tuple[Entry, ...]:
    return tuple(
        Entry(safe(e.get("text", "")), at(e.get("at")), safe(e.get("title", "")))
        for e in items
        if not e.get("removed")
    )


def arrival_time(minutes_: Minutes, arrival: Arrival) -> str:
    """A row's time: with the date when the joins span more than a day."""
    if not minutes_.arrivals or arrival.at is None:
        return ""
    first, last = minutes_.arrivals[0].at, minutes_.arrivals[-1].at
    if first and last and last - first >= timedelta(days=1):
        return ymd_hm(arrival.at)
    return hm(arrival.at)


# The words a moderation block uses, by what was moderated: "hidden", "hidden_words", …
_SUFFIXES = {
    "note": "",
    "word": "_words",
    "question": "_questions",
    "contribution": "_contributions",
    "proposal": "_proposals",
}


def moderation_lines(hidden: Moderation, w: dict[str, str]) -> list[str]:
    """Moderation in the open, in words: how many notes were hidden and why, how many waited
    for review and how many of those were let through. Never a note's text."""
    lines = []
    suffix = _SUFFIXES[hidden.noun]
    if hidden.hidden:
        line = w[f"hidden{suffix}"] % {"n": hidden.hidden}
        if hidden.reasons:
            line += " (" + w["reasons"] % {"reasons": reasons_text(hidden)} + ")"
        lines.append(line)
    if hidden.held:
        lines.append(w[f"held{suffix}"] % {"n": hidden.held, "released": hidden.released})
    return lines


def kept_in_record(hidden: Moderation, w: dict[str, str]) -> str:
    """Where the texts of hidden inputs are (said after the line counting them)."""
    return w[f"moderation{_SUFFIXES[hidden.noun]}"]


def participation_lines(m: Minutes) -> list[str]:
    """Who took part: phones that gave input, those that only opened the page, the peak."""
    w = m.words
    lines = [w["joined"] % {"n": m.joined}]
    if m.kiosk:
        lines.append(w["kiosk"] % {"n": m.kiosk})
    if m.opened > m.joined:
        lines.append(w["opened"] % {"n": m.opened})
    lines.append(w["peak"] % {"n": m.peak})
    return lines


def reasons_text(hidden: Moderation) -> str:
    """Each reason once, with how many when more than one: "off topic; personal data (2)"."""
    return "; ".join(f"{reason} ({n})" if n > 1 else reason for reason, n in hidden.reasons)


def paragraphs(text: str) -> list[str]:
    """A longer text split at blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
