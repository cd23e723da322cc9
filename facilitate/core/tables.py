"""Activities answered per table: their part of the record, of the public record and of the
minutes, made from what the kind makes of each table's part. Pure.

An activity with `scope = "table"` keeps one state per table (facilitate.core.meeting); its
record entry holds the activity's own fields and, under `parts`, each table's entry as the
kind records a whole room's, with the table's id and name. Every exporter renders the blocks
below without knowing about tables: a heading per table, then the kind's blocks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from facilitate.core.blocks import Block, BulletList, Context, Heading, Item, Paragraph, safe

Minutes = Callable[[dict[str, Any], Context], list[Block]]


def table_name(part: dict[str, Any], context: Context) -> str:
    """A table as the minutes name it: its name in the meeting's language, else "Table 3"."""
    return context.text(part.get("name")) or context.words["table_numbered"] % {
        "n": int(str(part["table"])[1:])
    }


def part_entry(entry: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """One table's part read as an entry of its own: the activity's fields with the part's."""
    common = {k: v for k, v in entry.items() if k not in ("parts", "responders")}
    return {**common, **part}


def each_part(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """An entry as the kind reads a room's: itself, or each table's part of it."""
    if "parts" not in entry:
        return [entry]
    return [part_entry(entry, part) for part in entry["parts"]]


def minutes(build: Minutes) -> Minutes:
    """A kind's minutes for an entry that may be answered per table: a heading per table with
    the kind's blocks for that table; the kind's own blocks when it is not."""

    def by_table(entry: dict[str, Any], context: Context) -> list[Block]:
        if "parts" not in entry:
            return [*brought(entry, context), *build(entry, context)]
        blocks: list[Block] = []
        for part in entry["parts"]:
            blocks.append(Heading(table_name(part, context)))
            blocks.extend(_deeper(b) for b in build(part_entry(entry, part), context))
        return blocks

    return by_table


def brought(entry: dict[str, Any], context: Context) -> list[Block]:
    """Which table brought each item of an activity that took each table's top items."""
    if not entry.get("brought"):
        return []
    items = tuple(
        Item(f"{safe(context.text(b['text']))} – {table_name(b, context)}")
        for b in entry["brought"]
    )
    return [Paragraph(context.words["brought"]), BulletList(items)]


def public(hide: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """A kind's `public` for an entry that may be answered per table: each table's part as the
    kind shows a room's entry."""

    def by_table(entry: dict[str, Any]) -> dict[str, Any]:
        if "parts" not in entry:
            return hide(entry)
        common = {k for k in entry if k != "parts"}
        shown_parts = [hide(part_entry(entry, part)) for part in entry["parts"]]
        kept = set(shown_parts[0]) if shown_parts else set()
        shown = {k: entry[k] for k in common if k in kept or k == "responders"}
        shown["parts"] = [
            {k: v for k, v in part.items() if k not in common or k == "responders"}
            for part in shown_parts
        ]
        return shown

    return by_table


def _deeper(block: Block) -> Block:
    """A kind's heading one level below its table's."""
    if isinstance(block, Heading):
        return Heading(block.text, block.level + 1, block.show)
    return block
