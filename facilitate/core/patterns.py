"""Patterns of the `regex` module (Unicode properties, grapheme clusters) that keep the GIL.

`regex` lets go of the GIL for every match unless told not to. In the server the event loop
shares the interpreter with the log's writer thread, and a thread that lets go of the GIL while
the other one is runnable waits a switch interval (5 ms) to get it back: measured here, a match
that takes 0.3 µs alone took 50 µs with a busy second thread, and a notes flood lost a third of
its inputs per second to it. Our texts are short (a note is at most 280 characters), so there
is nothing to win by matching in parallel. Every `regex` pattern in facilitate is made here.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

Match = regex.Match


class Pattern:
    """A compiled `regex` pattern whose matching never releases the GIL."""

    __slots__ = ("_compiled",)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._compiled = regex.compile(pattern, flags)

    def search(
        self, text: str, pos: int | None = None, endpos: int | None = None
    ) -> Match[str] | None:
        return self._compiled.search(text, pos, endpos, concurrent=False)

    def match(
        self, text: str, pos: int | None = None, endpos: int | None = None
    ) -> Match[str] | None:
        return self._compiled.match(text, pos, endpos, concurrent=False)

    def fullmatch(
        self, text: str, pos: int | None = None, endpos: int | None = None
    ) -> Match[str] | None:
        return self._compiled.fullmatch(text, pos, endpos, concurrent=False)

    def finditer(
        self, text: str, pos: int | None = None, endpos: int | None = None
    ) -> Iterator[Match[str]]:
        return self._compiled.finditer(text, pos, endpos, concurrent=False)


def compile(pattern: str, flags: int = 0) -> Pattern:
    return Pattern(pattern, flags)
