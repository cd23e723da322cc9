"""National id numbers and phone numbers in a note, for core/personal.py. Pure: text in, spans
out. The rules and their limits are described in core/personal.py."""

from __future__ import annotations

import re

Span = tuple[int, int]  # text[start:end]

# -- national ids ------------------------------------------------------------------------------

_SIX_DIGITS = re.compile(r"\d{6}")
_FODSELSNUMMER = re.compile(r"(?<![\d+])(\d{6})[ -]?(\d{5})(?!\d)")
_PERSONNUMMER = re.compile(r"(?<![\d+])(\d\d)?(\d{6})([-+ ]?)(\d{4})(?!\d)")
_FNR_WEIGHTS = ((3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
_SWEDISH_MOBILE = ("070", "072", "073", "076", "079")


def national_ids(text: str) -> list[Span]:
    """Where `text` has a valid fødselsnummer or personnummer."""
    if not _SIX_DIGITS.search(text):
        return []
    found = [
        match.span()
        for match in _FODSELSNUMMER.finditer(text)
        if is_fodselsnummer(_ascii(match[1] + match[2]))
    ]
    for match in _PERSONNUMMER.finditer(text):
        century, digits = match[1], _ascii(match[2] + match[4])
        if not century and not match[3] and digits.startswith(_SWEDISH_MOBILE):
            continue  # 0701234567 is a phone number far more often than an id
        if is_personnummer(digits, _ascii(century) if century else None):
            found.append(match.span())
    return found


def is_fodselsnummer(digits: str) -> bool:
    """Whether 11 ASCII digits are a valid Norwegian fødselsnummer, D-number or H-number."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    values = [int(c) for c in digits]
    for weights in _FNR_WEIGHTS:
        check = -sum(w * v for w, v in zip(weights, values, strict=False)) % 11
        if check == 10 or check != values[len(weights)]:
            return False
    day, month, yy = values[0] * 10 + values[1], values[2] * 10 + values[3], int(digits[4:6])
    day -= 40 if day > 40 else 0  # D-number
    month -= 40 if month > 40 else 0  # H-number
    individual = int(digits[6:9])
    # The individual number says which century the two-digit year is in.
    if individual < 500:
        year = 1900 + yy
    elif individual < 750 and yy >= 54:
        year = 1800 + yy
    elif yy < 40:
        year = 2000 + yy
    elif individual >= 900:
        year = 1900 + yy
    else:
        return False
    return _valid_date(year, month, day)


def is_personnummer(digits: str, century: str | None = None) -> bool:
    """Whether 10 ASCII digits (YYMMDDNNNC) are a valid Swedish personnummer or
    samordningsnummer; `century` is the "19" or "20" of the 12-digit form."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    if century is not None and century not in ("18", "19", "20"):
        return False
    total = 0
    for i, c in enumerate(digits[:9]):
        product = int(c) * (2 - i % 2)
        total += product - 9 if product > 9 else product
    if (10 - total % 10) % 10 != int(digits[9]):
        return False
    yy, month, day = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    day -= 60 if day > 60 else 0  # samordningsnummer
    # Without the century, 2000 + yy is a leap year exactly when the birth year can be one.
    year = int(century) * 100 + yy if century else 2000 + yy
    return _valid_date(year, month, day)


def _valid_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return day <= (29 if leap else 28)
    return day <= (30 if month in (4, 6, 9, 11) else 31)


def _ascii(digits: str) -> str:
    """Any script's decimal digits (Arabic-Indic, fullwidth, …) as 0-9."""
    return digits if digits.isascii() else "".join(str(int(c)) for c in digits)


# -- phone numbers -----------------------------------------------------------------------------

# A run of digit groups joined by spaces or hyphens, perhaps with a leading + and an "(0)", not
# inside a word ("E6"), after a slash or after a number and a dot, comma or colon (times,
# prices, dates).
_NUMBER = re.compile(
    r"(?<![\w/+])(?<!\d[.,:])(?:\+[ \u00a0]?)?\(?\d+\)?"
    r"(?:(?:[ \u00a0]?[-\u2013][ \u00a0]?|[ \u00a0]{1,2}|[ \u00a0]?(?=\()|(?<=\)))\(?\d+\)?)*"
)
_GROUP = re.compile(r"\d+")
# "ring meg på", "tlf:", "call me on" right before a number.
_PHONE_WORD = re.compile(
    r"(?i)\b(?:ring\w*|tlf|tel|telefon\w*|mobil\w*|mob|nummer\w*|numret|number|sms|call"
    r"|phone|text|whatsapp|kontakt\w*|contact)\b"
    r"(?:[\s.:=-]|\b(?:meg|mig|me|på|on|at|til|till|to|nr|no)\b)*$"
)
_UNIT_AFTER = re.compile(
    r"(?i)[ \u00a0]*(?:kr\b|kroner|kronor|nok\b|sek\b|eur|euro|usd|dollar|,-|%|prosent|procent"
    r"|percent|km\b|mil\b|meter|kg\b)"
)
_UNIT_BEFORE = re.compile(r"(?i)(?:\bkr\.?|\bnok|\bsek|\beur|[$€£])[ \u00a0]*$")
_MAX_GROUPS = 7  # "+46 (0)70 123 45 67" is six


def phones(text: str) -> list[Span]:
    """Where `text` has a phone number."""
    found: list[Span] = []
    for match in _NUMBER.finditer(text):
        groups = list(_GROUP.finditer(match[0]))
        count = sum(len(g[0]) for g in groups)
        if count < 8:
            continue
        if _UNIT_AFTER.match(text, match.end()) or _UNIT_BEFORE.search(
            text, max(0, match.start() - 8), match.start()
        ):
            continue
        base = match.start()
        digits = [_ascii(g[0]) for g in groups]
        joiners = [match[0][a.end() : b.start()] for a, b in zip(groups, groups[1:], strict=False)]
        plus = match[0].startswith("+")
        if _thousands(digits, joiners) or (not plus and _listed(digits)):
            continue
        worded = bool(_PHONE_WORD.search(text, max(0, base - 40), base))
        i = 0
        while i < len(groups):
            for j in range(min(len(groups), i + _MAX_GROUPS) - 1, i - 1, -1):
                window = digits[i : j + 1]
                count = sum(map(len, window))
                if count < 8:
                    break  # shorter windows have fewer digits still
                if count <= 17 and _phone(window, joiners[i:j], plus and i == 0, worded):
                    start = base if plus and i == 0 else base + groups[i].start()
                    start -= text[start - 1 : start] == "("  # (08) 123 456 78
                    found.append((start, base + groups[j].end()))
                    i = j
                    break
            i += 1
    return found


def _phone(groups: list[str], joiners: list[str], plus: bool, worded: bool) -> bool:
    """Whether digit groups, joined by `joiners`, are a phone number."""
    digits = "".join(groups)
    count = len(digits)
    if plus:  # +47 987 65 432: a country code, then the number
        return 8 <= count <= 15 and digits[0] != "0"
    if digits.startswith("00"):  # 0047 987 65 432
        return 10 <= count <= 17 and digits[2] != "0"
    if count > 12 or any(len(g) < 2 for g in groups) or _date_or_years(groups, joiners):
        return False  # "ring 98765432 2 ganger" is not a nine-digit number
    if worded:
        return True
    if count == 8 and digits[0] != "0":  # Norway: no number begins with 0 or 1
        return digits[0] != "1"
    if digits[0] == "0" and 8 <= count <= 10:  # Sweden: a 0, the area code, the rest
        if len(groups) == 1:
            return count == 10 and digits.startswith("07")
        return 2 <= len(groups[0]) <= 4
    return False


def _listed(groups: list[str]) -> bool:
    """Whether groups are a list of small numbers (10 20 30 40 50), not one number."""
    return len(groups) >= 5 and all(len(g) <= 2 for g in groups)


def _thousands(groups: list[str], joiners: list[str]) -> bool:
    """Whether groups read as an amount: 12 345 678, 1 500 000."""
    return (
        len(groups) > 1
        and len(groups[0]) <= 3
        and groups[0][0] != "0"
        and all(len(g) == 3 for g in groups[1:])
        and all(j.strip() == "" for j in joiners)
    )


def _date_or_years(groups: list[str], joiners: list[str]) -> bool:
    """Whether digit groups read as a date (20240315, 2024-03-15, 15 03 2024), years
    (2019-2023) or times (0800-1600)."""
    shape = [len(g) for g in groups]
    if shape == [4, 4] and (
        all(g[:2] in ("19", "20") for g in groups)
        or all(int(g[:2]) < 24 and int(g[2:]) < 60 for g in groups)
    ):
        return True
    digits = "".join(groups)
    if shape in ([8], [4, 2, 2]) and _is_date(digits[0:4], digits[4:6], digits[6:8]):
        return True
    return shape in ([8], [2, 2, 4]) and _is_date(digits[4:8], digits[2:4], digits[0:2])


def _is_date(year: str, month: str, day: str) -> bool:
    return year[:2] in ("19", "20") and _valid_date(int(year), int(month), int(day))
