"""A problem description's demo input: a room in a Norwegian town describing a problem the
police and the municipality heard about again and again, field by field. Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitate.core import problem
from facilitate.core.kinds.base import Demo

if TYPE_CHECKING:
    from facilitate.core.plan import ActivitySpec

DEMO: dict[str, list[str]] = {
    "what": [
        "Ungdom samler seg ved Kiwi på kveldstid, med bråk og mye søppel",
        "Mopeder kjører fort over parkeringsplassen",
    ],
    "where": ["Parkeringsplassen foran Kiwi Sentrum", "Busslommen og baksiden av butikken"],
    "when": ["Fredag og lørdag fra kl. 21 til langt på natt", "Mest i mørketiden, oktober–mars"],
    "offender": [
        "En gruppe på 10–15 ungdommer mellom 15 og 18 år",
        "Noen eldre som kjøper alkohol til de yngre",
        "Det er Ole Hansen som kjøper ut til dem",
    ],
    "target": [
        "De ansatte som stenger butikken alene",
        "Eldre som venter på bussen",
        "Butikkvinduene og søppeldunkene",
    ],
    "consequences": [
        "Folk handler heller et annet sted om kvelden",
        "Eldre tør ikke ta bussen hjem etter mørkets frembrudd",
        "Knuste flasker og søppel på parkeringsplassen",
    ],
    "why1": ["De har ikke noe annet sted å være når det er kaldt"],
    "why2": ["Ungdomsklubben har bare åpent to kvelder i uka"],
    "why3": ["Kommunen har kuttet i budsjettet til fritidsklubben"],
    "why4": ["Fritid for ungdom har ikke vært prioritert i planene"],
    "why5": ["Ingen har spurt ungdommen selv hva de trenger"],
    "fixer": ["Kommunen sammen med butikken og politiet", "Natteravnene"],
    "guardian": ["Butikkansatte og vekterne på senteret", "Natteravnene og foreldre"],
    "handler": ["Foreldre, trenere og ungdomsarbeiderne"],
    "manager": ["Butikksjefen og gårdeieren", "Kommunen, som eier parkeringsplassen"],
}
SCRIBED = "Gårdeieren kan sette opp bedre lys (fra en papirlapp)"
AGREED = [("what", 0), ("where", 0), ("when", 0), ("offender", 0), ("target", 0)]
AGREED += [("why1", 0), ("why2", 0), ("why3", 0), ("guardian", 0), ("handler", 0)]
AGREED += [("manager", 0)]


def demo(spec: ActivitySpec, demo: Demo, whys: int) -> None:
    """Contributions to every field the form asks (`whys` levels of why), one that names a
    person hidden, one written by the scribe, and the first of most fields agreed on."""
    names = problem.fields(whys)
    posted: dict[tuple[str, int], str] = {}
    for name, texts in DEMO.items():
        if name not in names:
            continue
        for number, text in enumerate(texts):
            pid = demo.chance.choice(demo.people)
            (event,) = demo.act(pid, "contribute", activity=spec.id, field=name, text=text)
            posted[name, number] = event.data["contribution"]
            if event.data.get("held"):
                demo.fac(
                    "hide_contribution",
                    activity=spec.id,
                    contribution=event.data["contribution"],
                    reason="Navngir en person",
                )
    demo.fac("scribe", activity=spec.id, field="fixer", text=SCRIBED)
    for name, number in AGREED:
        if (name, number) in posted:
            demo.fac("agree", activity=spec.id, contribution=posted[name, number])
    if spec.results == "reveal":
        demo.fac("reveal", activity=spec.id)
