"""Self-paced meetings (survey mode): phones go through the activities on their own, between an
opening and a closing time. Pure.

A plan with `survey = { opens = "2027-03-01T08:00:00+01:00", closes = "2027-03-14T20:00+01:00" }`
(either or both may be left out; `survey = true` for neither) runs as a survey, as the Tøyen
and Stryn surveys ran for days by QR code: every activity that takes input is open from the
start, each phone moves through them at its own pace, and input before `opens` or from
`closes` on is refused. The times carry their offset from UTC, so the core needs no time-zone
database and no clock: it compares them with the time each command comes with. Results show
live or when the facilitator reveals them, as the plan says per activity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from facilitate.core.errors import CommandError

if TYPE_CHECKING:
    from facilitate.core.plan import Reader


@dataclass(frozen=True)
class Survey:
    """When a self-paced meeting takes input: ISO 8601 times with their offset, or None."""

    opens: str | None = None
    closes: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in (("opens", self.opens), ("closes", self.closes)) if v}

    def check(self, at: float) -> None:
        """Refuse input that comes before the survey opens or once it has closed."""
        if self.opens is not None and at < moment(self.opens):
            raise CommandError("survey_not_open", f"the survey opens at {self.opens}")
        if self.closes is not None and at >= moment(self.closes):
            raise CommandError("survey_closed", f"the survey closed at {self.closes}")


def moment(iso: str) -> float:
    """An ISO 8601 time with its offset, as seconds since the epoch."""
    return datetime.fromisoformat(iso).timestamp()


def read_survey(reader: Reader, raw: Any) -> Survey | None:
    """`survey` from a plan: true, or a table with `opens` and/or `closes`; problems located."""
    if raw is None or raw is False:
        return None
    if raw is True:
        return Survey()
    if not isinstance(raw, Mapping) or set(raw) - {"opens", "closes"}:
        reader.problem(
            "survey",
            'must be true or { opens = "…", closes = "…" }',
            code="bad_survey",
        )
        return None
    times: dict[str, str | None] = {}
    for key in ("opens", "closes"):
        value = raw.get(key)
        times[key] = None
        if value is None:
            continue
        parsed = _parse(value)
        if parsed is None:
            reader.problem(
                f"survey.{key}",
                "give a date and time with its offset from UTC: 2027-03-01T08:00+01:00",
                code="survey_time",
            )
            continue
        times[key] = parsed.isoformat()
    opens, closes = times["opens"], times["closes"]
    if opens and closes and moment(closes) <= moment(opens):
        reader.problem("survey.closes", "must come after opens", code="survey_time")
    return Survey(opens, closes)


def _parse(value: Any) -> datetime | None:
    if isinstance(value, datetime):  # TOML writes a time with its offset as one
        found = value
    elif isinstance(value, str):
        try:
            found = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return found if found.tzinfo is not None else None
