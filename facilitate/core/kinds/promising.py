"""Shared by the kinds' parts of a draft citizen promise (`Kind.promise`). Pure.

An activity gives a part of the promise a few blocks under its own title: the top priorities
with their counts, never a hidden input (a kind reads its entry in the *public* record).
"""

from __future__ import annotations

from typing import Any

from facilitate.core.blocks import Block, Context, Heading
from facilitate.core.kinds.base import PROMISE_PARTS, Contribution

TOP = 5  # the top priorities a promise names per activity


def titled(
    entry: dict[str, Any], context: Context, part: str, blocks: list[Block]
) -> list[Contribution]:
    """`blocks` for `part` under the activity's title; nothing when there are no blocks."""
    assert part in PROMISE_PARTS
    if not blocks:
        return []
    title = context.text(entry.get("title"))
    return [Contribution(part, (Heading(title, level=2), *blocks))]
