"""The live protocol's vocabulary: parsing client messages, naming server messages. Pure.

`docs/protocol.md` documents every type listed here; a test keeps the two in step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from facilitate.core.errors import CommandError
from facilitate.core.events import record
from facilitate.core.kinds import MESSAGES
from facilitate.core.kinds.base import ACTIVITY, Fields, Ids, Step

# A frame holds any note an activity can accept, however the client writes its JSON: at most
# 1,000 characters (the highest max_length) of at most writing.MAX_CODE_POINTS_PER_CHARACTER
# code points each, at most 12 bytes a code point (an emoji's, escaped as two \uXXXX) is 120,000
# bytes. What a text may hold is then checked field by field, in characters as people see them.
MAX_MESSAGE_BYTES = 128 * 1024
MAX_CLIENT_ID = 64

# Field name -> (accepted types, required). `None` in the types means the field may be null.
_Fields = Fields
_ACTIVITY = ACTIVITY
CLIENT_MESSAGES: dict[str, _Fields] = {
    "hello": {
        "role": ((str,), True),
        "token": ((str, None), False),
        "key": ((str, None), False),
        "lang": ((str, None), False),
    },
    "goto": {"activity": ((str, None), True)},
    "open": _ACTIVITY,
    "close": _ACTIVITY,
    "reveal": _ACTIVITY,
    "conceal": _ACTIVITY,
    "rules": {"text": ((str,), True)},
    "details": {"fields": ((dict,), True)},
    "add_item": {"section": ((str,), True), "text": ((str,), True)},
    "remove_item": {"item": ((str,), True)},
    "publish": {},
    "unpublish": {},
    "follow_up": {"title": ((str,), True), "text": ((str,), True)},
    "remove_follow_up": {"followup": ((str,), True)},
    "end": {},
    "sit": {"table": ((str,), True)},
    "show_table": {"table": ((str, None), True)},
    "scribe_for": {"table": ((str,), True), "code": ((str,), True)},
    "dismiss_scribes": {"table": ((str,), True)},
    **MESSAGES,  # the commands of each activity kind (facilitate.core.kinds)
}

SERVER_MESSAGES = ("welcome", "snapshot", "view", "mine", "ack", "error")


# The table above as parse() uses it: name -> (classes for isinstance, null allowed, required).
def json_type(kind: type) -> type:
    """The JSON type behind a field type of the shapes (Ids is a list, Step an int)."""
    return list if issubclass(kind, Ids) else int if issubclass(kind, Step) else kind


_CHECKS = {
    message_type: [
        (
            name,
            tuple(json_type(t) for t in types if t is not None),
            None in types,
            required,
            next((t for t in types if t is not None and issubclass(t, Ids | Step)), None),
        )
        for name, (types, required) in fields.items()
    ]
    for message_type, fields in CLIENT_MESSAGES.items()
}


@record
class Message:
    """A client message whose shape has been checked: `id` is the client's id for it."""

    type: str
    id: str | None
    data: dict[str, Any]


_ABSENT = object()  # a field the message leaves out
Loads = Callable[[str | bytes], Any]  # JSON text -> value; ValueError if it is not JSON


def loads(raw: str | bytes) -> Any:
    """JSON text to a value with the standard library, refusing what no store can hold.

    Raises:
        ValueError: not JSON; UnicodeEncodeError (a ValueError too) for a lone surrogate.
    """
    obj = json.loads(raw)
    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    if "\\u" in text:  # only escapes can smuggle in a lone surrogate, which no store can hold
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return obj


def parse(raw: str | bytes, loads: Loads = loads) -> Message:
    """Check a client frame's shape: JSON object, known type, fields of the right types.

    `loads` turns JSON text into a value: the standard library's here; the server's edge passes
    a faster one (facilitate.codec) that refuses lone surrogates ("\\ud800") the same way.

    Raises:
        CommandError: "bad_message" with a message that says what is wrong.
    """
    if len(raw) > MAX_MESSAGE_BYTES or (  # a str's length counts characters, not bytes
        isinstance(raw, str)
        and len(raw) > MAX_MESSAGE_BYTES // 4  # else even 4 bytes a character fit
        and len(raw.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES
    ):
        raise CommandError("too_big", f"messages are limited to {MAX_MESSAGE_BYTES} bytes")
    try:
        obj = loads(raw)
    except UnicodeEncodeError as exc:
        raise CommandError("bad_message", "a message must be valid Unicode text") from exc
    except (ValueError, RecursionError) as exc:  # "[[[[…" nests too deep
        raise CommandError("bad_message", "a message must be JSON") from exc
    if not isinstance(obj, dict):
        raise CommandError("bad_message", "a message must be a JSON object with a type")
    message_type = obj.get("type")
    if not isinstance(message_type, str) or (checks := _CHECKS.get(message_type)) is None:
        raise CommandError("bad_message", f"unknown message type {message_type!r}")
    client_id = obj.get("id")
    if message_type != "hello" and (
        not isinstance(client_id, str) or not 0 < len(client_id) <= MAX_CLIENT_ID
    ):
        raise CommandError(
            "bad_message",
            f"a {message_type} message needs an id of 1 to {MAX_CLIENT_ID} characters",
        )
    data: dict[str, Any] = {}
    for name, classes, nullable, required, special in checks:
        value = obj.get(name, _ABSENT)
        if value is _ABSENT:
            if required:
                raise CommandError("bad_message", f"a {message_type} message needs {name!r}")
            continue
        # JSON gives values of exactly these classes, so their class is looked up, not
        # isinstance'd: and JSON true, a bool, is then not a number.
        if not (nullable if value is None else type(value) in classes):
            raise CommandError("bad_message", f"{message_type}.{name} has the wrong type")
        if special is not None and value is not None:
            _check_special(message_type, name, value, special)
        data[name] = value
    return Message(message_type, client_id if isinstance(client_id, str) else None, data)


def _check_special(message_type: str, name: str, value: Any, kind: type) -> None:
    if issubclass(kind, Step):
        if value not in (1, -1):
            raise CommandError("bad_message", f"{message_type}.{name} must be 1 or -1")
        return
    limit = kind.limit if issubclass(kind, Ids) else 0
    if len(value) > limit or not all(isinstance(i, str) and len(i) <= 64 for i in value):
        raise CommandError("bad_message", f"{message_type}.{name} must be a short list of ids")


# One encoder for every message: json.dumps with options builds a new encoder on every call.
compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def encode(message: dict[str, Any]) -> str:
    """One server message as compact JSON text; non-ASCII kept as is (smaller for nb/sv)."""
    return compact(message)
