"""Word clouds: a phone's words, checked and normalised, and how many phones sent each. Pure.

Each phone sends up to a few words (or short phrases: "mer lys" is one word here), and sends
them all at once: its newest list replaces the one before. A word is counted once per phone
that sends it, whatever its spelling, so the counts are always those of the phones' current
words, and hiding a word never needs to touch anyone's input.

Two spellings are one word when they are the same after normalising (`key`): case-folded,
NFC, the ends trimmed of white space and punctuation (quotes, a full stop the keyboard added),
inner white space collapsed to one space, and invisible characters left out (a zero-width space,
a mark of direction, an emoji's variation selector) except the joiners that spell Persian words
and emoji. The cloud shows a word as most of its phones wrote it; when two spellings are as
common, the one sent first.

Words are not split, so there is no list of stop words: a phone sends "og" only if it means it,
and a facilitator can hide it like any other word.

A word cloud's `Cloud` is its kind's own state (ActivityState.kind_state), read with `of`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from facilitate.core import patterns, writing
from facilitate.core.activity import ActivityState
from facilitate.core.errors import CommandError

MAX_LENGTH = 40  # characters a word may hold, counted as people see them (writing.length)
MAX_WORDS = 3  # the most words an agenda may ask each phone for

_SPACES = re.compile(r"\s+")
# Invisible characters, except the zero-width non-joiner and joiner (U+200C, U+200D): a Persian
# word and a family emoji are spelled with them.
_INVISIBLE = patterns.compile(r"(?:(?![\u200c\u200d])\p{Default_Ignorable_Code_Point})+")


def clean(word: str) -> str:
    """A word as it is stored and shown: cleaned as every text is (writing.clean_text), one
    line, inner white space collapsed to one space."""
    return _SPACES.sub(" ", writing.clean_text(word, multiline=False))


def key(word: str) -> str:
    """The normalised form two spellings of one word share (see the module's doc)."""
    folded = clean(word).casefold()
    if not folded.isascii():  # quicker than searching: most words are plain letters
        folded = _visible(folded)
    folded = _SPACES.sub(" ", folded).strip()
    return unicodedata.normalize("NFC", _trimmed(folded) or folded)


def _visible(text: str) -> str:
    """The text without its invisible characters (but for the joiners)."""
    pieces, start = [], 0
    for match in _INVISIBLE.finditer(text):
        pieces.append(text[start : match.start()])
        start = match.end()
    return "".join(pieces) + text[start:] if pieces else text


def _trimmed(text: str) -> str:
    """The text without punctuation (Unicode categories P*) or white space at its ends."""
    start, end = 0, len(text)
    while start < end and _edge(text[start]):
        start += 1
    while end > start and _edge(text[end - 1]):
        end -= 1
    return text[start:end]


def _edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def check(words: Sequence[Any], limit: int) -> tuple[str, ...]:
    """A phone's words, cleaned, in the order given; or a CommandError saying what is wrong.

    An empty list withdraws the phone's words.
    """
    if not all(isinstance(word, str) for word in words):
        raise CommandError("bad_message", "words must be a list of texts")
    if len(words) > limit:
        raise CommandError("too_many_words", f"at most {limit} words", limit=limit)
    cleaned = tuple(clean(word) for word in words)
    for word in cleaned:
        if writing.blank(word):
            raise CommandError("empty_word", "a word is empty")
        if not writing.fits(word, MAX_LENGTH):
            raise CommandError(
                "word_too_long", f"a word holds at most {MAX_LENGTH} characters", limit=MAX_LENGTH
            )
    if len({key(word) for word in cleaned}) < len(cleaned):
        raise CommandError("same_word", "the same word twice")
    return cleaned


@dataclass(frozen=True)
class Word:
    """One word of a cloud: its normalised form, the spelling shown, how many phones sent it
    now, and whether it is visible, held for review or hidden by the facilitator."""

    key: str
    text: str
    count: int
    status: str


@dataclass
class Cloud:
    """What phones have sent to a word cloud, and what the facilitator did with the words.

    The counts are kept as words come and go, so that a view costs the same with 40 phones or
    4,000: it goes through the words, not through every phone's.
    """

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # phone -> its words now
    keys: dict[str, str] = field(default_factory=dict)  # spelling -> key, first sent first
    spellings: dict[str, list[str]] = field(default_factory=dict)  # key -> spellings, in order
    # Plain dicts, not Counters: dataclasses.asdict() cannot copy a Counter.
    counts: dict[str, int] = field(default_factory=dict)  # key -> phones sending it now
    spelled: dict[str, int] = field(default_factory=dict)  # spelling -> phones sending it now
    flagged: dict[str, str] = field(default_factory=dict)  # key -> why it looks personal
    hidden: dict[str, str] = field(default_factory=dict)  # key -> the reason given
    released: set[str] = field(default_factory=set)  # looked personal, let through

    def send(self, pid: str, words: Sequence[str], keys: Sequence[str]) -> None:
        """A phone's words replace its earlier ones (none: it has withdrawn them)."""
        for word, word_key in zip(words, keys, strict=True):
            if word not in self.keys:
                self.keys[word] = word_key
                self.spellings.setdefault(word_key, []).append(word)
        self._count(self.words.get(pid, ()), -1)
        self._count(words, +1)
        if words:
            self.words[pid] = tuple(words)
        else:
            self.words.pop(pid, None)

    def _count(self, words: Sequence[str], step: int) -> None:
        for word in words:
            for counter, item in ((self.counts, self.keys[word]), (self.spelled, word)):
                counter[item] = counter.get(item, 0) + step
                if not counter[item]:
                    del counter[item]

    def status(self, word_key: str) -> str:
        if word_key in self.hidden:
            return "hidden"
        if word_key in self.flagged and word_key not in self.released:
            return "held"
        return "visible"

    def own(self, pid: str) -> list[tuple[str, str]]:
        """A phone's words with the key of each."""
        return [(word, self.keys[word]) for word in self.words.get(pid, ())]

    def known(self, word_key: str) -> bool:
        """True when some phone has ever sent the word."""
        return word_key in self.spellings

    def shown(self, word_key: str) -> str:
        """The spelling most of the word's phones use now; the first sent when as many."""
        spellings = self.spellings[word_key]
        if len(spellings) == 1:
            return spellings[0]
        best = max(range(len(spellings)), key=lambda i: (self.spelled.get(spellings[i], 0), -i))
        return spellings[best]

    def tally(self) -> list[Word]:
        """Every word some phone sends now, and every hidden one: most phones first, then in
        the order they were first sent."""
        listed = [k for k in self.spellings if k in self.counts or k in self.hidden]
        listed.sort(key=lambda k: -self.counts.get(k, 0))  # stable: first sent first if as many
        return [Word(k, self.shown(k), self.counts.get(k, 0), self.status(k)) for k in listed]


def of(state: ActivityState) -> Cloud:
    """The word cloud of an activity (ActivityState.kind_state of a word cloud)."""
    found: Cloud = state.kind_state
    return found
