"""Street addresses, e-mail addresses and people's names in a note, for core/personal.py. Pure:
text in, spans out. The rules and their limits are described in core/personal.py."""

from __future__ import annotations

import re

from facilitate.core import patterns

from .names import FIRST_NAMES, NOT_SURNAMES, SURNAME_ENDINGS, SURNAMES

Span = tuple[int, int]  # text[start:end]

# -- e-mail addresses --------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]*\w(?:@|[ \u00a0]?[(\[][aA][tT][)\]][ \u00a0]?)"
    r"\w[\w-]*(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)"
)


def emails(text: str) -> list[Span]:
    """Where `text` has an e-mail address."""
    return [match.span() for match in _EMAIL.finditer(text)]


# -- street addresses --------------------------------------------------------------------------

# A house number: 1-999, perhaps with a letter (12, 3B, 14 B), not part of a longer number, a
# time, a date or a decimal; found first, because most notes have none.
# (The digit comes before the look back at what precedes it: a pattern that begins with a digit
# lets the regex engine skip to the next digit instead of trying every position.)
_HOUSE_NUMBER = re.compile(
    r"[1-9](?<![\w.,:/+-][1-9])\d{0,2}(?:[ \u00a0]?[A-Ha-h])?(?!\w|[.,:/]\d)"
)
# The word right before a house number (searched backwards from it), perhaps abbreviated with a
# dot, perhaps followed by "nr".
_WORD_BEFORE = patterns.compile(
    r"(?r)(?<![\w-])(\p{L}[\p{L}'’-]*)(\.?)[ \u00a0]+(?:(?i:nr)\.?[ \u00a0]*)?\Z"
)
# How far before a house number its street word may begin: bounded, so that a note full of
# numbers costs time in proportion to its length.
_LOOK_BACK = 40
# Street words that make an address in any case, glued to the name or on their own.
_STREET_WORDS = (
    "veien", "vegen", "vei", "veg", "gata", "gate", "gaten", "gatan", "vägen", "väg", "gränd",
    "gränden", "stien", "stigen", "plassen", "torget", "allé", "alle", "allè", "allén",
    "alléen", "platsen",
)  # fmt: skip
# On their own after a capitalised name, these too ("Solli plass 2", "Stora torg 1"), but not
# "kom på plass 2".
_NAMED = frozenset(("plass", "torg", "plats", "sti", "stig"))
_STANDALONE = frozenset((*_STREET_WORDS, *_NAMED))
# Endings that are street names only on a capitalised word longer than the ending.
_SOFT_ENDINGS = (
    "bakken", "bakke", "backen", "backe", "lia", "lien", "åsen", "haugen", "höjden", "kroken",
    "svingen", "ringen", "tunet", "jordet", "sletta", "løkka", "brekka", "vangen", "hagen",
    "stig", "sti", "plass", "torg", "plats", "kaia", "kaien", "brygga", "bryggen", "leden",
    "gången", "slingan", "kullen", "tun", "lunden", "gt",
)  # fmt: skip
# Road classes, not addresses (riksvei 7, fylkesveg 120), and words with a street-like ending.
_NOT_STREETS = ("riks", "fylkes", "europa", "motor", "läns", "kommunal", "sykkel", "gang")
_NOT_STREET_WORDS = frozenset(
    "familien italien australien brasilien italia australia familia linjen barnehagen".split()
)
_ENGLISH_STREETS = frozenset(
    "street st road rd avenue ave lane drive close place crescent terrace square way gardens"
    " grove row court walk mews".split()
)
# The number first: "12 High Street", "5 Elm Close"; street words that are not also common
# verbs or nouns ("2 Police Officers Walk").
_NUMBER_STREET = patterns.compile(
    r"(?<![\w.,:/-])[1-9]\d{0,3}[A-Za-z]?[ \u00a0]+(?:\p{Lu}\p{Ll}+[ \u00a0]+){1,3}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Close|Crescent|Terrace|Gardens|Grove|Mews)\b"
)
# The street words of _NUMBER_STREET on their own, or a few more words of their shape (a capital
# and an ending of one of them, as "Sd"): most notes have none, and this is quicker. Its first
# letter comes first so that the engine skips to the next S, R, A, L, C, T, G or M.
_ENGLISH_STREET_WORD = re.compile(
    r"[SRALCTGM](?<!\w[SRALCTGM])(?:treet|t|oad|d|venue|ve|ane|lose|rescent|errace|ardens|rove"
    r"|ews)\b"
)
# Counts, units, dates and stretches: "gata 3 ganger", "veien 50 km", "Torget 17. mai",
# "Skolegata 1-10".
_COUNT_AFTER = patterns.compile(
    r"(?i)(?:[ \u00a0]*(?:ganger|gånger|times|gang|gång|biler|bilar|cars|personer|people|stk"
    r"|st|min|minutt\w*|minut\w*|timer|timmar|hours|dager|dagar|days|år|km|meter|m|kr"
    r"|prosent|procent)\b|[ \u00a0]*%|\.?[ \u00a0]+(?:jan|feb|mar|apr|mai|maj|may|jun|jul|aug"
    r"|sep|okt|oct|nov|des|dec)\w*|[ \u00a0]?[-\u2013][ \u00a0]?\d)"
)


def _ending(words: tuple[str, ...]) -> re.Pattern[str]:
    """A word of at least two letters before one of these endings (one match, not a loop)."""
    return re.compile(r".{2,}(?:" + "|".join(map(re.escape, words)) + ")", re.DOTALL)


_GLUED_STREET = _ending(_STREET_WORDS)  # Storgata, Kirkeveien, Drottninggatan
_SOFT_STREET = _ending(_SOFT_ENDINGS)  # Solbakken, Granlia


def addresses(text: str) -> list[Span]:
    """Where `text` has a street name with a house number."""
    found = (
        [match.span() for match in _NUMBER_STREET.finditer(text)]
        if _ENGLISH_STREET_WORD.search(text)
        else []
    )
    for number in _HOUSE_NUMBER.finditer(text):
        word = _WORD_BEFORE.search(text, max(0, number.start() - _LOOK_BACK), number.start())
        if (
            word
            and _street(text, word[1], word.start(), word[2])
            and not _COUNT_AFTER.match(text, number.end())
        ):
            found.append((_name_start(text, word), number.end()))
    return found


def _street(text: str, word: str, start: int, dot: str) -> bool:
    """Whether `word`, at `start` and followed by `dot` and a house number, names a street."""
    lower = word.lower()
    if lower in _NOT_STREET_WORDS or lower.startswith(_NOT_STREETS):
        return False
    if lower in _NAMED:
        return _capitalised_before(text, start)
    if lower in _STANDALONE:
        return True
    if lower in _ENGLISH_STREETS:  # Baker Street 221b, but not "the street 5"
        return word[0].isupper() and _capitalised_before(text, start)
    if _GLUED_STREET.fullmatch(lower):
        return True
    if not word[0].isupper():
        return False
    if lower.endswith("gt"):
        return dot == "." and len(lower) > 4  # Storgt. 12
    return _SOFT_STREET.fullmatch(lower) is not None


def _capitalised_before(text: str, index: int) -> bool:
    before = text[max(0, index - _LOOK_BACK) : index].rstrip()
    word = before.rsplit(None, 1)[-1] if before else ""
    return bool(word) and word[0].isupper()


def _name_start(text: str, word: patterns.Match[str]) -> int:
    """Where a street name starts: the street word alone may follow a name (Karl Johans gate)."""
    start = word.start()
    if word[1].lower() not in _STANDALONE and word[1].lower() not in _ENGLISH_STREETS:
        return start
    before = _NAME_BEFORE.search(text, max(0, start - 3 * _LOOK_BACK), start)
    return before.start() if before else start


_NAME_BEFORE = patterns.compile(r"(?r)(?:\p{Lu}[\p{L}'’.-]*[ \u00a0]+){1,3}$")


# -- names -------------------------------------------------------------------------------------

_CAPITALISED = patterns.compile(r"(?<![\w'’-])\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?![\w-])")
# What follows a person's name in the name of a street or an institution: "Henrik Ibsens gate",
# "Hans Nielsen Hauges gate", "Thor Heyerdahl videregående skole".
_STREET_AFTER = patterns.compile(
    r"(?:[ \u00a0]\p{Lu}\p{Ll}+s)?[ \u00a0](?i:gate|gata|gatan|gaten|vei|veg|väg|vägen|plass"
    r"|plats|torg|allé|alle|sti|stig|street|road|skole|skule|skola|school|videregående|vgs"
    r"|gymnasium|park|parken|senter|center|centre|stadion|hall|arena|bibliotek|sykehus"
    r"|kirke|kyrka|church|värld|minne)\b"
)


def names(text: str) -> list[Span]:
    """Where `text` has a first name and a surname."""
    words = list(_CAPITALISED.finditer(text))
    found: list[Span] = []
    i = 0
    while i < len(words) - 1:
        if _first_name(words[i][0]):
            # First name, surname; or first name, middle name, surname.
            for last in (i + 1, i + 2):
                if last >= len(words) or not _adjacent(text, words, i, last):
                    break
                if _surname(words[last][0]) and not _STREET_AFTER.match(text, words[last].end()):
                    found.append((words[i].start(), words[last].end()))
                    i = last
                    break
                if words[last][0] in NOT_SURNAMES:
                    break
        i += 1
    return found


def _adjacent(text: str, words: list[patterns.Match[str]], first: int, last: int) -> bool:
    """Whether words[first..last] follow each other with one space between each."""
    return all(
        words[k + 1].start() == words[k].end() + 1 and text[words[k].end()] in " \u00a0"
        for k in range(first, last)
    )


def _first_name(word: str) -> bool:
    if word in FIRST_NAMES:
        return True
    head, dash, tail = word.partition("-")
    return bool(dash) and head in FIRST_NAMES and tail in FIRST_NAMES  # Anne-Lise, Per-Olof


def _surname(word: str) -> bool:
    if word in NOT_SURNAMES:
        return False
    if word in SURNAMES or _surname_shaped(word):
        return True
    # The genitive: "Kari Hansens hund".
    stem = word[:-1]
    return (
        word.endswith("s")
        and stem not in NOT_SURNAMES
        and (stem in SURNAMES or _surname_shaped(stem))
    )


def _surname_shaped(word: str) -> bool:
    lower = word.lower()
    if "-" in lower:  # Hansen-Berg
        return all(_surname_shaped(part) or part.title() in SURNAMES for part in word.split("-"))
    # endswith(tuple) first: most capitalised words have none of the endings
    return lower.endswith(SURNAME_ENDINGS) and any(
        lower.endswith(e) and len(lower) >= len(e) + 2 for e in SURNAME_ENDINGS
    )
