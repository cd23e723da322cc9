"""SMART: our reading of the five criteria for a proposed activity of a citizen promise. Pure.

The Swedish method guide for citizen promises (medborgarlöften, "Formulera mål") asks that goals
be SMART: specifikt, mätbart, accepterat, realistiskt, tidsatt. It gives questions, not rules;
a meeting needs rules a phone can check while someone types. `criteria` is how facilitate reads
them for one proposed activity, from its fields and from what the room said of it. It is our
reading for this method, not the guide's wording (docs/protocol.md, "Activities (SMART)").
"""

from __future__ import annotations

from collections.abc import Mapping

from facilitate.core import writing

# The fields of a proposed activity, in the order people fill them in: what (vad), for whom
# or by whom (vem), where (var), when (a period: "mars–juni 2027"), a measurable indicator
# (mätbar indikator: how we will know) and who is responsible (ansvarig).
FIELDS = ("what", "who", "where", "when", "indicator", "responsible")
# The criteria in the order of the word, with the letter each shows as.
CRITERIA = ("specific", "measurable", "accepted", "realistic", "time_bound")
LETTERS = dict(zip(CRITERIA, "SMART", strict=True))


def filled(fields: Mapping[str, str], name: str) -> bool:
    """True when the field holds something a person can see (not only spaces or marks)."""
    return not writing.blank(fields.get(name, ""))


def criteria(fields: Mapping[str, str], supports: int, questions: int) -> dict[str, bool]:
    """Which SMART criteria a proposed activity meets, in the order of the word.

    - specific: what is done, for or by whom, and where are all filled in;
    - measurable: an indicator says how we will know it was done or worked;
    - accepted: the room backs it: at least one phone supports it, and more support it than
      question it;
    - realistic: someone is named as responsible, so someone can say whether it can be done;
    - time_bound: a period (when) is given.

    A field counts as filled when it holds anything visible. The rules say nothing of the
    quality of a text: whether "more safety" is specific is for the people in the room.
    """
    return {
        "specific": all(filled(fields, name) for name in ("what", "who", "where")),
        "measurable": filled(fields, "indicator"),
        "accepted": supports >= 1 and supports > questions,
        "realistic": filled(fields, "responsible"),
        "time_bound": filled(fields, "when"),
    }


def letters(met: Mapping[str, bool]) -> str:
    """The criteria as letters, a met one as its letter and a missing one as a dash: "SM–RT"."""
    return "".join(LETTERS[name] if met.get(name) else "–" for name in CRITERIA)
