"""Open questions answered with sticky notes, optionally in columns. Pure.

Fields: `columns` (none, or 2 to 6 headings: a note then goes in one of them), `max_length`,
`hold_personal`. Moderation (hold, hide, merge, pause) is every board's: see boards.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.core import board
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import (
    Bar,
    Bars,
    Block,
    BulletList,
    Column,
    Context,
    Heading,
    Item,
    Paragraph,
    Table,
    percent,
    safe,
)
from facilitate.core.errors import CommandError
from facilitate.core.kinds.base import N_, Contribution, Demo
from facilitate.core.kinds.boards import (
    BoardKind,
    BoardSettings,
    inputs,
    merged_texts,
    note_text,
    read_board,
    withheld,
)
from facilitate.core.kinds.promising import TOP, titled
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.plan import ActivitySpec, Reader

MAX_COLUMNS = 6
GENERIC = ["Mer lys", "Flere møteplasser", "Synlig politi", "Bedre busstilbud", "Trygge snarveier"]


@dataclass(frozen=True)
class NotesSettings(BoardSettings):
    columns: tuple[Text, ...] = ()


class Notes(BoardKind):
    name = "notes"
    gives_items = True
    label = N_("Notes")
    example = {
        "kind": "notes",
        "title": "Hvor og når føler du deg utrygg?",
        "columns": ["Hvor", "Når"],
        "max_length": 200,
        "hold_personal": True,
        "results": "live",
    }
    fields = BoardKind.fields | {"columns"}

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        return NotesSettings(
            columns=self._columns(reader, item, index, language), **read_board(reader, item, index)
        )

    @staticmethod
    def _columns(
        reader: Reader, item: Mapping[str, Any], index: int, language: str
    ) -> tuple[Text, ...]:
        raw = item.get("columns", [])
        if not isinstance(raw, list) or len(raw) > MAX_COLUMNS or len(raw) == 1:
            reader.problem(
                reader.where(index, "columns"),
                f"give none, or a list of 2 to {MAX_COLUMNS} column headings",
                index,
                "columns",
                code="columns_count",
                low=2,
                high=MAX_COLUMNS,
            )
            return ()
        return tuple(
            reader.value_text(
                value,
                f"{reader.where(index, 'columns')}[{n}]",
                language,
                index,
                "columns",
                item=n + 1,
            )
            for n, value in enumerate(raw)
        )

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        return {
            "max_length": settings.max_length,
            "hold_personal": settings.hold_personal,
            "columns": [dict(c) for c in settings.columns],
        }

    def note_fields(self, state: ActivityState, data: dict[str, Any]) -> dict[str, Any]:
        columns = state.spec.settings.columns
        column = data.get("column")
        if columns and (column is None or not 0 <= column < len(columns)):
            raise CommandError("bad_column", "choose one of the columns")
        if not columns and column is not None:
            raise CommandError("bad_column", "this question has no columns")
        return {"column": column} if columns else {}

    def head(self, state: ActivityState) -> dict[str, Any]:
        return {"columns": [dict(c) for c in state.spec.settings.columns], **super().head(state)}

    def promise(self, entry: dict[str, Any], context: Context) -> list[Contribution]:
        """The situation picture: the notes with most dots, or else the first few posted (the
        public record holds only the notes everyone could see)."""
        notes = [n for n in entry.get("notes", []) if n.get("status", "visible") == "visible"]
        if any(n.get("dots") for n in notes):
            notes = sorted((n for n in notes if n.get("dots")), key=lambda n: -n["dots"])
            w = context.words
            total = sum(n["dots"] for n in notes)
            bars = tuple(
                Bar(safe(n["text"]), n["dots"], percent(n["dots"], total)) for n in notes[:TOP]
            )
            return titled(entry, context, "situation", [Bars(w["note"], w["dots"], bars)])
        items = tuple(Item(safe(n["text"])) for n in notes[:TOP])
        return titled(entry, context, "situation", [BulletList(items)] if items else [])

    def minutes(self, activity: dict[str, Any], context: Context) -> list[Block]:
        """The visible notes under their columns, with the similar notes merged into each; in a
        sheet one table of them with the time each was posted. Hidden ones only counted."""
        w = context.words
        all_notes = activity.get("notes", [])
        by_id = {n["id"]: n for n in all_notes}
        visible = [n for n in all_notes if n["status"] == "visible"]
        columns = [context.text(c) for c in activity.get("columns") or []]
        groups: list[tuple[str | None, list[dict[str, Any]]]]
        if columns:
            groups = [
                (heading, [n for n in visible if n["column"] == index])
                for index, heading in enumerate(columns)
            ]
            stray = [n for n in visible if n["column"] not in range(len(columns))]
            if stray:
                groups.append((w["none"], stray))
        else:
            groups = [(None, visible)]

        result: list[Block] = []
        if not visible:
            result.append(Paragraph(w["no_notes"], show="documents"))
        else:
            for heading, group in groups:
                if heading is not None:
                    result.append(Heading(heading, show="documents"))
                items = tuple(Item(note_text(n, w), merged_texts(n, by_id)) for n in group)
                result.append(BulletList(items, empty=f"({w['none']})", show="documents"))
        table = Table(
            (
                Column(w["column"]),
                Column(w["note"]),
                Column(w["merged_with"]),
                Column(w["posted"], "time"),
            ),
            tuple(
                (
                    heading,
                    note_text(n, w),
                    "; ".join(merged_texts(n, by_id)) or None,
                    context.at(n.get("posted_at")),
                )
                for heading, group in groups
                for n in group
            ),
            show="sheets",
        )
        result += [table, withheld(activity, w), inputs(activity, context, dots=False)]
        return result

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The visible notes most people wrote (with the most merged into them), in the order
        they were posted when equal."""
        shown = board.visible(state)
        shown.sort(key=lambda note: -len(state.merged.get(note.id, ())))
        return [{language: note.text} for note in shown[:count]]

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        columns = spec.settings.columns
        bank = demo.texts or [(None, text) for text in GENERIC]
        posted: list[str] = []
        for column, text in bank:
            data: dict[str, object] = {"activity": spec.id, "text": text}
            if columns:
                data["column"] = min(column or 0, len(columns) - 1)
            posted += self.posted(demo.act(demo.chance.choice(demo.people), "note", **data))
        if len(posted) > 3:
            demo.fac("hide", activity=spec.id, note=posted[-1], reason="Navngir en person")


KIND = Notes()
