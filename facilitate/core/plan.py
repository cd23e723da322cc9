"""Meeting plans: the agenda files in `sessions/` and agendas written in the browser. Pure.

A plan is parsed into frozen dataclasses. Every problem is collected (not just the first), each
naming its field and, for TOML files, its line, so a facilitator can fix a plan in one go.

Plan texts are cleaned by the same rules as what participants write (`writing.clean_text`):
a plan can come from anyone who may create a meeting, and its texts reach the screen, every
phone, the minutes and the operator's terminal. Titles, options and column headings are one
line; descriptions and activity texts keep their line breaks.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from facilitate.core.survey import Survey, read_survey
from facilitate.core.text import UI_LANGUAGES, Text
from facilitate.core.writing import blank, clean_text

RESULTS = ("live", "reveal")
SCOPES = ("room", "table")  # an activity answered by the whole room, or by each table apart
MAX_TABLES = 60
NONE_OPTION = "none"  # the id of a poll's "none of these" option

# Always used with fullmatch: `$` also matches before a trailing newline ("p\n").
ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_LANG = re.compile(r"[a-z]{2,3}")
_MAX_TITLE = 200
_MAX_TEXT = 4000
_MAX_ACTIVITIES = 60

_TOP_KEYS = {"title", "language", "description", "tables", "survey", "activities"}
_COMMON_KEYS = frozenset({"id", "kind", "title", "text"})


@dataclass(frozen=True)
class ActivitySpec:
    """One step of the agenda, as planned: the fields every kind has, and the kind's own
    `settings` (see facilitate.core.kinds)."""

    id: str
    kind: str
    title: Text
    text: Text = field(default_factory=dict)
    results: str = "live"
    settings: Any = None
    scope: str = "room"

    def to_dict(self) -> dict[str, Any]:
        """The spec as plain data, as stored in the record."""
        from facilitate.core.kinds import kind_of  # the kinds' modules import this one

        kind = kind_of(self.kind)
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "title": dict(self.title)}
        if self.text:
            data["text"] = dict(self.text)
        data.update(kind.settings_dict(self.settings))
        if kind.takes_input:
            data["results"] = self.results
        if self.scope != "room":
            data["scope"] = self.scope
        return data


@dataclass(frozen=True)
class Table:
    """A table people sit at: `t1`, `t2`, … in order, with a name or none (then it is called
    "Table 1" in each reader's language)."""

    id: str
    name: Text = field(default_factory=dict)

    @property
    def number(self) -> int:
        return int(self.id[1:])


@dataclass(frozen=True)
class Plan:
    """A whole agenda: title, default language and activities in order."""

    title: Text
    language: str
    activities: tuple[ActivitySpec, ...]
    description: Text = field(default_factory=dict)
    tables: tuple[Table, ...] = ()
    survey: Survey | None = None  # self-paced between two times (core/survey.py)

    def activity(self, activity_id: str) -> ActivitySpec | None:
        """The activity with this id, or None."""
        for spec in self.activities:
            if spec.id == activity_id:
                return spec
        return None

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data; `plan_from_dict(plan.to_dict())` gives the plan back."""
        data: dict[str, Any] = {"title": dict(self.title), "language": self.language}
        if self.description:
            data["description"] = dict(self.description)
        if self.tables:
            named = any(table.name for table in self.tables)
            data["tables"] = (
                [dict(table.name) for table in self.tables] if named else len(self.tables)
            )
        if self.survey is not None:
            data["survey"] = self.survey.to_dict() or True
        data["activities"] = [spec.to_dict() for spec in self.activities]
        return data


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan: where, and what to do about it.

    `message` says it in English for the API and the command line; `code` and `params` say the
    same for a page to put in its own words and next to its own field: `activity` (1-based)
    and `key` (the field in that activity, or at the top), `item` (1-based, an option or a
    column), and the numbers the message quotes (`low`, `high`, `limit`, `length`).
    """

    field: str
    message: str
    line: int | None = None
    # The message says the same in words: equal problems have equal messages.
    code: str = dataclasses.field(default="invalid", compare=False)
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.field}: {self.message}"


class PlanError(ValueError):
    """A plan that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def parse_plan(source: str) -> Plan:
    """Parse a plan written in TOML.

    Raises:
        PlanError: naming the field and line of every problem.
    """
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise PlanError([Problem("(file)", f"not valid TOML: {exc}", line, "toml")]) from exc
    return plan_from_dict(data, _LineFinder(source))


def plan_from_dict(data: Any, lines: _LineFinder | None = None) -> Plan:
    """Build a plan from plain data (a parsed TOML file or a JSON body).

    Plain strings are taken to be in the plan's `language`.

    Raises:
        PlanError: naming the field of every problem.
    """
    reader = Reader(lines or _LineFinder(""))
    if not isinstance(data, Mapping):
        raise PlanError(
            [Problem("(plan)", "must be a table/object with title and activities", None, "shape")]
        )
    for key in data:
        if key not in _TOP_KEYS:
            reader.problem(
                str(key),
                f"unknown field; expected one of {sorted(_TOP_KEYS)}",
                code="unknown_field",
            )
    language = data.get("language", "nb")
    if language not in UI_LANGUAGES:
        reader.problem(
            "language",
            f"must be one of {', '.join(UI_LANGUAGES)}, not {language!r}",
            code="bad_language",
        )
        language = "nb"
    title = reader.text(data, "title", language, required=True)
    description = reader.text(data, "description", language, long=True)
    tables = reader.tables(data.get("tables"), language)
    survey = read_survey(reader, data.get("survey"))
    raw = data.get("activities")
    activities: list[ActivitySpec] = []
    if not isinstance(raw, list) or not raw:
        reader.problem(
            "activities",
            "give at least one activity ([[activities]] in TOML)",
            code="no_activities",
        )
        raw = []
    if len(raw) > _MAX_ACTIVITIES:
        reader.problem(
            "activities",
            f"at most {_MAX_ACTIVITIES} activities per plan",
            code="too_many_activities",
            limit=_MAX_ACTIVITIES,
        )
    seen: set[str] = set()
    for index, item in enumerate(raw[:_MAX_ACTIVITIES]):
        spec = reader.activity(item, index, language)
        if spec is None:
            continue
        if spec.id in seen:
            reader.problem(
                f"activities[{index}].id",
                f"{spec.id!r} is used twice",
                index,
                "id",
                code="duplicate_id",
            )
            continue
        seen.add(spec.id)
        if spec.scope == "table" and not tables:
            reader.problem(
                f"activities[{index}].scope",
                "an activity answered per table needs the meeting's tables (tables = 6)",
                index,
                "scope",
                code="scope_without_tables",
            )
        if survey is not None and _takes_items(spec):
            reader.problem(
                f"activities[{index}].items_from",
                "a survey has no moment to draw items from an earlier activity: give items",
                index,
                "items_from",
                code="survey_items_from",
            )
        activities.append(spec)
        reader.sources(spec, activities[:-1], index)
    reader.drawn_per_table(activities, len(tables))
    if reader.problems:
        raise PlanError(reader.problems)
    return Plan(
        title=title,
        language=language,
        activities=tuple(activities),
        description=description,
        tables=tables,
        survey=survey,
    )


def _takes_items(spec: ActivitySpec) -> bool:
    from facilitate.core.kinds import kind_of  # the kinds' modules import this one

    return bool(kind_of(spec.kind).sources(spec.settings))


class _LineFinder:
    """Finds the line of a key in TOML source: top level, or inside the n-th [[activities]]."""

    def __init__(self, source: str) -> None:
        self.top: dict[str, int] = {}
        self.sections: list[tuple[int, dict[str, int]]] = []
        current = self.top
        for number, raw in enumerate(source.splitlines(), start=1):
            line = raw.strip()
            if line.startswith("[[activities]]"):
                current = {}
                self.sections.append((number, current))
            elif line.startswith("["):
                current = {}
            else:
                match = re.match(r"^([A-Za-z0-9_-]+)\s*[=.]", line)  # `x = …`, `x.min = …`
                if match and match.group(1) not in current:
                    current[match.group(1)] = number

    def find(self, index: int | None, key: str | None) -> int | None:
        if index is None:
            return self.top.get(key or "")
        if index >= len(self.sections):
            return None
        start, keys = self.sections[index]
        return keys.get(key or "", start)


class Reader:
    """Collects problems while reading fields."""

    def __init__(self, lines: _LineFinder) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(
        self,
        name: str,
        message: str,
        index: int | None = None,
        key: str | None = None,
        *,
        code: str,
        item: int | None = None,
        **numbers: int,
    ) -> None:
        top = name.split(".")[0]
        line = self.lines.find(index, key if index is not None else top)
        params: dict[str, Any] = {"key": key if index is not None else top, **numbers}
        if index is not None:
            params["activity"] = index + 1
        if item is not None:
            params["item"] = item
        self.problems.append(Problem(name, message, line, code, params))

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        language: str,
        *,
        required: bool = False,
        long: bool = False,
        index: int | None = None,
        name: str | None = None,
    ) -> Text:
        name = name or key
        value = data.get(key)
        if value is None or value == "" or value == {}:
            if required:
                self.problem(name, "is required", index, key, code="required")
            return {}
        return self.value_text(value, name, language, index, key, long=long)

    def value_text(
        self,
        value: Any,
        name: str,
        language: str,
        index: int | None,
        key: str,
        *,
        long: bool = False,
        item: int | None = None,
    ) -> Text:
        """A text or a table of texts by language, cleaned: one line, unless it is a long text
        (a description, an activity's text) that keeps its line breaks."""
        limit = _MAX_TEXT if long else _MAX_TITLE
        if isinstance(value, str):
            value = {language: value}
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            self.problem(
                name,
                'must be text, or a table of texts by language ({ nb = "…" })',
                index,
                key,
                code="not_text",
                item=item,
            )
            return {}
        result: dict[str, str] = {}
        for lang, text in value.items():
            if not _LANG.fullmatch(lang):
                self.problem(
                    f"{name}.{lang}",
                    "is not a language code like nb, sv or en",
                    index,
                    key,
                    code="bad_language_code",
                    item=item,
                )
            elif len(text) > limit:
                self.problem(
                    name,
                    f"is {len(text)} characters; at most {limit}",
                    index,
                    key,
                    code="too_long",
                    item=item,
                    length=len(text),
                    limit=limit,
                )
            elif not blank(cleaned := clean_text(text, multiline=long)):
                result[lang] = cleaned
        if value and not result and not any(p.field.startswith(name) for p in self.problems):
            self.problem(name, "is empty", index, key, code="empty", item=item)
        return result

    def integer(
        self, item: Mapping[str, Any], key: str, default: int, low: int, high: int, index: int
    ) -> int:
        value = item.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(
                f"activities[{index}].{key}",
                f"must be a whole number from {low} to {high}",
                index,
                key,
                code="whole_number",
                low=low,
                high=high,
            )
            return default
        return value

    def flag(self, item: Mapping[str, Any], key: str, index: int, default: bool = False) -> bool:
        value = item.get(key, default)
        if not isinstance(value, bool):
            self.problem(
                f"activities[{index}].{key}", "must be true or false", index, key, code="true_false"
            )
            return False
        return value

    def sources(self, spec: ActivitySpec, earlier: list[ActivitySpec], index: int) -> None:
        """An activity that takes items from others takes them from earlier ones that have
        items to give."""
        from facilitate.core.kinds import kind_of  # the kinds' modules import this one

        for source in kind_of(spec.kind).sources(spec.settings):
            found = next((s for s in earlier if s.id == source), None)
            if found is None or not kind_of(found.kind).gives_items:
                self.problem(
                    self.where(index, "items_from"),
                    f"{source!r} is not an earlier activity with items to carry over "
                    "(a poll, notes, pain points, a word cloud, questions)",
                    index,
                    "items_from",
                    code="items_from_unknown",
                )

    def tables(self, value: Any, language: str) -> tuple[Table, ...]:
        """The meeting's tables: a number (2 to MAX_TABLES), or their names in order."""
        if value is None:
            return ()
        if isinstance(value, int) and not isinstance(value, bool):
            if not 2 <= value <= MAX_TABLES:
                self.problem(
                    "tables",
                    f"must be a number of tables from 2 to {MAX_TABLES}, or their names",
                    code="bad_tables",
                    low=2,
                    high=MAX_TABLES,
                )
                return ()
            return tuple(Table(f"t{n}") for n in range(1, value + 1))
        if not isinstance(value, list) or not 2 <= len(value) <= MAX_TABLES:
            self.problem(
                "tables",
                f"must be a number of tables from 2 to {MAX_TABLES}, or their names",
                code="bad_tables",
                low=2,
                high=MAX_TABLES,
            )
            return ()
        found = []
        for number, name in enumerate(value, start=1):
            text = self.value_text(name, "tables", language, None, "tables", item=number)
            found.append(Table(f"t{number}", text))
        return tuple(found)

    def drawn_per_table(self, activities: list[ActivitySpec], tables: int) -> None:
        """An activity of the whole room taking the top N of an activity answered per table
        takes N from each table: no more than a list of items holds in all."""
        from facilitate.core.kinds.items import MAX_ITEMS  # the kinds' modules import this one

        scopes = {spec.id: spec.scope for spec in activities}
        for index, spec in enumerate(activities):
            source = getattr(spec.settings, "items_from", None)
            if source is None or spec.scope == "table" or scopes.get(source.activity) != "table":
                continue
            if source.top * tables > MAX_ITEMS:
                self.problem(
                    self.where(index, "items_from"),
                    f"takes the top {source.top} of each of {tables} tables: "
                    f"at most {MAX_ITEMS} items in all",
                    index,
                    "items_from",
                    code="too_many_drawn",
                    limit=MAX_ITEMS,
                )

    def where(self, index: int, key: str) -> str:
        return f"activities[{index}].{key}"

    def activity(self, item: Any, index: int, language: str) -> ActivitySpec | None:
        where = f"activities[{index}]"
        if not isinstance(item, Mapping):
            self.problem(
                where, "must be a table with at least kind and title", index, code="not_table"
            )
            return None
        from facilitate.core.kinds import KINDS  # the kinds' modules import this one

        name = item.get("kind")
        kind = KINDS.get(name) if isinstance(name, str) else None
        if kind is None:
            self.problem(
                f"{where}.kind",
                f"must be one of {', '.join(KINDS)}, not {name!r}",
                index,
                "kind",
                code="bad_kind",
            )
            return None
        keys = _COMMON_KEYS | kind.fields | ({"results", "scope"} if kind.takes_input else set())
        for key in item:
            if key not in keys:
                self.problem(
                    f"{where}.{key}",
                    f"unknown field for a {kind.name} activity; "
                    f"expected one of {', '.join(sorted(keys))}",
                    index,
                    key,
                    code="unknown_field",
                )
        activity_id = item.get("id", f"{kind.name}-{index + 1}")
        if not isinstance(activity_id, str) or not ID.fullmatch(activity_id):
            self.problem(
                f"{where}.id",
                "must be lowercase letters, digits, - or _ "
                "(at most 40), starting with a letter or digit",
                index,
                "id",
                code="bad_id",
            )
            activity_id = f"{kind.name}-{index + 1}"
        title = self.text(
            item,
            "title",
            language,
            required=True,
            index=index,
            name=f"{where}.title",
        )
        text = self.text(item, "text", language, long=True, index=index, name=f"{where}.text")
        results = item.get("results", "live")
        if results not in RESULTS:
            self.problem(
                f"{where}.results", "must be live or reveal", index, "results", code="bad_results"
            )
            results = "live"
        scope = item.get("scope", "room") if kind.takes_input else "room"
        if scope not in SCOPES:
            self.problem(
                f"{where}.scope", "must be room or table", index, "scope", code="bad_scope"
            )
            scope = "room"
        return ActivitySpec(
            id=activity_id,
            kind=kind.name,
            title=title,
            text=text,
            results=results,
            settings=kind.read(self, item, index, language),
            scope=scope,
        )
