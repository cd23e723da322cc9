"""JSON at the server's edge: orjson in place of the standard library's json.

The core stays standard-library only (facilitate.core.messages parses and names messages with
`json`); the server encodes every frame and event and decodes every client frame here, where
JSON was a fifth of its time in the notes flood. The output is the same as the core's: compact
separators, keys in insertion order, UTF-8 text with non-ASCII kept as is. orjson refuses lone
surrogates ("\\ud800") on the way in and on the way out, as the core's parse() does.
"""

from __future__ import annotations

from typing import Any

import orjson

from facilitate.core import messages
from facilitate.core.messages import Message

loads = orjson.loads  # JSON text (str or UTF-8 bytes) -> value; JSONDecodeError is a ValueError


def encode(message: dict[str, Any]) -> str:
    """One message (a frame, an event's data) as compact JSON text."""
    return orjson.dumps(message).decode()


def parse(raw: str | bytes) -> Message:
    """A client frame checked by the core's rules (see facilitate.core.messages.parse).

    Raises:
        CommandError: "too_big" or "bad_message", as the core's parse().
    """
    return messages.parse(raw, loads)
