"""The one error the core raises for a command it refuses. Pure."""

from __future__ import annotations

from typing import Any


class CommandError(ValueError):
    """A command that breaks a rule: `code` is stable (the UI translates it), `message` is English.

    `params` fill the placeholders of the translated message, e.g. `limit` for a too long note.
    """

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params
