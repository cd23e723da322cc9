"""Does a note look personal? A local screen for what a facilitator should see before the hall.

Pure: text in, findings out; no I/O, and nothing is sent anywhere. Everything is decided by the
rules below, in Norwegian, Swedish and English as people type them on phones. A finding is a
reason to hold a note for the facilitator, not a verdict: they release it or hide it.

In order of precedence (REASONS):

- **national_id**: a Norwegian fødselsnummer (11 digits, `DDMMYY` then five, optionally after a
  space or a hyphen; D-numbers with day + 40 and H-numbers with month + 40; the birth date valid
  in the century its individual number gives; both mod-11 check digits right) or a Swedish
  personnummer (`YYMMDD-XXXX`, `YYMMDD+XXXX`, `YYYYMMDD-XXXX`, with or without the hyphen;
  samordningsnummer with day + 60; the date valid; the Luhn check digit right). Eleven or ten
  random digits are not an id. Ten digits without a hyphen that begin like a Swedish mobile
  number (070, 072, 073, 076, 079) are read as a phone number.
- **phone**: Norwegian numbers (8 digits not beginning with 0 or 1: `98765432`, `987 65 432`,
  `98 76 54 32`, `9876 5432`), Swedish numbers (a 0, an area code and the rest, 8–10 digits:
  `070-123 45 67`, `08-123 456 78`, `0701234567`), numbers after `+` or `00` (`+47 …`,
  `+46 (0)70 …`, `0044 …`), and 8–12 digits in groups of two or more right after a word such
  as "ring", "tlf", "mobil", "nummer", "sms", "call" or "phone" (`ring meg 12345678`). Not a
  phone number: an amount in thousands groups (`12 345 678`) or next to a currency or a unit
  (`kr 25000000`, `50000000 NOK`, `%`, `km`), a year range (`2019-2023`), a time range
  (`0800-1600`), a date (`20240315`, `2024-03-15`), a list of small numbers (`10 20 30 40 50`),
  and anything written with dots, colons or slashes (`22.30`, `12/03/2024`, `070.123.45.67`),
  which is how times, dates and prices are written.
- **email**: `name@domain.tld`, also written with `(at)` or `[at]`; not `@handles`.
- **address**: a street word and a house number (1–999, perhaps a letter): a word ending in a
  Norwegian or Swedish street word in any case (`Storgata 12`, `Kirkeveien 3B`,
  `Drottninggatan 5`, `Åsveien 14 B`, `sandakerveien 24c`, `Storgt. 4`), the street word on
  its own (`Karl Johans gate 7`, `gate 7`, `Bygdøy allé 5`; `plass`, `torg` only after a
  capitalised word: `Solli plass 2`, not "kom på plass 2"), softer endings only on a
  capitalised word (`Solbakken 4`, `Furulia 2`), and English streets with the number before
  or after (`12 High Street`, `Baker Street 221b`). Not road numbers (`E6`, `Rv 4`,
  `riksvei 7`, `Länsväg 225`), bus lines, a street without a number, a stretch of street
  (`Skolegata 1-10`, so also `Storgata 12-14`), a date (`Torget 17. mai`), nor a number
  followed by a unit or a count (`gata 3 ganger`, `veien 50 km/t`).
- **name**: a capitalised first name from a list of common Nordic first names (and common
  first names among people who have moved to Norway and Sweden, and a few English ones), then,
  after one space and perhaps a capitalised middle name, a capitalised surname: one from a list
  of common surnames, or shaped like one (`-sen`, `-son`, `-stad`, `-vik`, `-berg`, `-ström`,
  …, or its genitive with `-s`), and not a place or a word of that shape (`Trondheim`,
  `Narvesen`). A name followed by a street or an institution word is the name of a street or
  an institution, not a person (`Henrik Ibsens gate`, `Hans Nielsen Hauges gate`,
  `Thor Heyerdahl videregående skole`). The lists are in core/names.py.

Limits. Not found: a first name alone ("naboen Ole"), nicknames, names in lower case or in
capitals, names not on the lists whose surname has no recognised shape (`Jonas Gahr Støre`),
numbers written in words or with dots, e-mail addresses spelled out ("ola at gmail dot com"),
phone numbers of other countries written without `+` or `00`, social media handles, car
number plates, and descriptions of a person ("the man in the red house"). Held although not
personal: contact details of organisations (the municipality's phone number,
`post@politiet.no`, `Rådhusplassen 1`): the rules cannot tell whose number or address it is.
Nor do they know who is famous: a mayor or a minister is a name like anyone else's.

Findings never overlap: where two readings cover the same characters, the one of higher
precedence is kept. The finders are in core/personal_numbers.py (ids, phone numbers) and
core/personal_words.py (e-mail, addresses, names). Most notes have no digit, no `@` and no
capitalised pair of words, and cost a few regex searches; bench/personal.py measures the time
per note, and docs/privacy-screen.md has the figures measured on the labelled notes in
tests/data/personal-notes.tsv.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from facilitate.core import patterns

from .personal_numbers import national_ids, phones
from .personal_words import addresses, emails, names

REASONS = ("national_id", "phone", "email", "address", "name")  # in this order of precedence
_RANK = {name: rank for rank, name in enumerate(REASONS)}

# Cheap pre-checks: most notes have no digit, no "@" and no capitalised pair of words, and are
# done after these. Each finder is right without them; they only save time (a note with a
# number in it went through four more regex searches, a tenth of a note's cost in a flood).
_DIGITS = re.compile(r"\d")  # any digit (Unicode's, as the finders read them)
_ASCII_DIGITS = b"0123456789"
_EIGHT_DIGITS = re.compile(r"\d(?:\D{0,3}\d){7}")  # ids and phone numbers have at least eight
_AT = re.compile(r"@|[(\[][aA][tT][)\]]")
_NAME_PAIR = patterns.compile(r"\p{Lu}\p{Ll}+[ \u00a0]\p{Lu}\p{Ll}")


def _digits(text: str) -> int:
    """How many digits `text` has: counted on its bytes when it is ASCII (the most notes)."""
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, _ASCII_DIGITS))
    return len(_DIGITS.findall(text))


@dataclass(frozen=True)
class Finding:
    """A stretch of a note that looks personal, and why: `text[start:end]` is it."""

    reason: str  # one of REASONS
    start: int
    end: int


def findings(text: str) -> list[Finding]:
    """Every stretch of `text` that looks personal, in text order, none overlapping."""
    found: list[Finding] = []
    digits = _digits(text)
    if digits:
        if digits >= 8 and _EIGHT_DIGITS.search(text):
            found += [Finding("national_id", *span) for span in national_ids(text)]
            found += [Finding("phone", *span) for span in phones(text)]
        spans = addresses(text)
        if spans:  # (most numbers are no house number)
            found += [Finding("address", *span) for span in spans]
    if ("@" in text or "(" in text or "[" in text) and _AT.search(text):
        found += [Finding("email", *span) for span in emails(text)]
    if not text.islower() and _NAME_PAIR.search(text):  # islower(): no capital letter at all
        found += [Finding("name", *span) for span in names(text)]
    if len(found) < 2:
        return found
    # Higher precedence first; among equals, the earlier and then the longer. What is kept never
    # overlaps, so it is in order of both start and end, and only the neighbours need a look.
    found.sort(key=lambda f: (_RANK[f.reason], f.start, f.start - f.end))
    kept: list[Finding] = []
    starts: list[int] = []
    for finding in found:
        at = bisect.bisect_left(starts, finding.start)
        if (at == 0 or kept[at - 1].end <= finding.start) and (
            at == len(kept) or finding.end <= kept[at].start
        ):
            kept.insert(at, finding)
            starts.insert(at, finding.start)
    return kept


def reason(text: str) -> str | None:
    """The highest-precedence reason `text` looks personal, or None when it does not."""
    found = findings(text)
    if not found:  # most notes
        return None
    return REASONS[min(_RANK[finding.reason] for finding in found)]
