"""A meeting record with every part the minutes show, and texts chosen to break formats.

Built by driving a real `Meeting` (tests/core/helpers.py), so it is what the server would
record. The clock is fixed, so the minutes made from it are always the same.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from core.helpers import Run, make_plan

from facilitate.core import record as records

SCRIPT = "<script>alert('x')</script> & <b>fet</b>"
FORMULA = '=HYPERLINK("http://evil.example","klikk")'
PLUS = "+47 99 99 99 99"
MINUS = "-ikke bra nok"
AT = "@alle: mer lys"
QUOTES = 'Flere benker; og "sitteplasser"'
BENCHES = "Benker ved elva"
LINES = "Linje én\nLinje to"
NORDIC = "Æ Ø Å æ ø å Ä Ö ä ö"
DARK = "Mørke gangveier"
SPEED = "Fart i Storgata"
LIBRARY = "Biblioteket"
STATEMENTS = ("Jeg føler meg trygg i sentrum", "Det er nok lys på gangveiene")
YOUTH = "Ungdomsklubben"
# Texts only the record's moderation sections hold: hidden notes, a hidden proposal, one the
# facilitator never approved, a hidden question and a withdrawn one.
HIDDEN = (
    "HEMMELIG personopplysning 12345",
    "SKJULT tullenote",
    "SKJULT påstand om naboen",
    "VENTENDE påstand",
    "UTELATT spørsmål om naboen",
    "TRUKKET spørsmål",
    "TULLEORD",  # a word the facilitator hid
    "Petter Hansen",  # a name sent to a word cloud: it still waits for review
    "SKJULT bidrag om naboen",  # a problem description's contribution the facilitator hid
    "SKJULT aktivitet om naboen",  # a proposed activity the facilitator hid
    "Ring Ola Nordmann 912 34 567",  # a proposed activity still waiting for review
)
# Proposed activities (kind actions): one chosen and SMART, one with a formula for a place.
NIGHT = {
    "what": "Nattvandring fredagar vid Torget",
    "who": "Vuxna, för unga",
    "where": "Torget",
    "when": "mars–juni 2027",
    "indicator": "antal kvällar med vuxna ute",
    "responsible": "Föreningen Nattvandrarna",
}
FORMULA_PLACE = "=Storgata"
CLAIMS = ("Sentrum er trygt om kvelden", "Politiet bør gå mer til fots", "Vi trenger mer lys")
PROPOSED = "<i>Flere</i> voksne ute & natteravner"
REMOVED = ("FJERNET vedtak", "FJERNET oppfølging")
ASKED = ("Hvem betaler for lyset i parken?", "Kan bussen gå oftere | om kvelden?")
ANSWER = "Kommunen tar 50 % – <resten> søkes det om"
DECISION = "Kommunen setter opp lys i Ås-parken"
QUESTION = "Hvem eier gangveien?"
NEXT_STEP = "Nytt møte i mars"
FOLLOWUP = ("Lyset er på plass", "Kommunen har satt opp lys.\n\nTakk for innspillene!")
DETAILS = {
    "date": "14. november 2023",
    "place": "Kulturhuset, Ås",
    "organisers": "Politiet og Ås kommune",
    "facilitators": "Kari Nordmann",
    "purpose": "Trygghet i sentrum",
}

# A word cloud's words as phones spelled them, the spelling the minutes show, and a word that
# looks like a formula. HIDDEN holds a word the facilitator hid and a name that still waits.
DARK_WORDS = ("Mørkt", "mørkt", "MØRKT.")
SAFE_WORD = "Trygt"
FORMULA_WORD = "=1+1"
VISIBLE = (SCRIPT, FORMULA, QUOTES, BENCHES, PLUS, MINUS, AT, LINES, NORDIC, DARK, SPEED,
           LIBRARY, YOUTH, *ASKED, ANSWER)  # fmt: skip

ACTIVITIES: list[dict[str, Any]] = [
    {"id": "velkommen", "kind": "info", "title": "Velkommen", "text": "Svarene er anonyme."},
    {
        "id": "trygg",
        "kind": "poll",
        "title": "Føler du deg trygg i sentrum?",
        "options": [
            {"id": "ja", "text": "Ja"},
            {"id": "nei", "text": "Nei"},
            {"id": "usikker", "text": "Vet ikke / både og"},
        ],
        "none_option": True,
    },
    {
        "id": "tiltak",
        "kind": "poll",
        "title": "Hva bør gjøres? [flere svar]",
        "options": [
            {"id": "lys", "text": "Mer lys"},
            {"id": "vakt", "text": "Flere voksne ute"},
            {"id": "kamera", "text": "Kamera"},
        ],
        "multiple": True,
    },
    {
        "id": "ideer",
        "kind": "notes",
        "title": "Hva er bra, hva er dårlig?",
        "text": "Skriv én ting per lapp.",
        "columns": ["Bra", "Dårlig"],
    },
    {"id": "fritt", "kind": "notes", "title": "Noe annet?"},
    {"id": "pj", "kind": "painjoy", "title": "Smertepunkter og hjertepunkter"},
    {
        "id": "enig",
        "kind": "scale",
        "title": "Hvor enig er du?",
        "items": [STATEMENTS[0], STATEMENTS[1]],
        "labels": ["Helt uenig", "Helt enig"],
    },
    {
        "id": "matrise",
        "kind": "matrix",
        "title": "Innsats og effekt",
        "items_from": {"activity": "tiltak", "top": 2},
        "x": {"label": "Innsats", "min": 1, "max": 5, "low": "Lite", "high": "Mye"},
        "y": {"label": "Effekt", "min": 1, "max": 5},
    },
    {
        "id": "meninger",
        "kind": "statements",
        "title": "Hva mener du?",
        "statements": list(CLAIMS),
        "allow_new": True,
    },
    {"id": "spm", "kind": "qa", "title": "Spørsmål til panelet"},
    {
        "id": "rekkefolge",
        "kind": "ranking",
        "title": "Hva bør vi gjøre først?",
        "items_from": {"activity": "tiltak", "top": 3},
    },
    {
        "id": "poeng",
        "kind": "points",
        "title": "Fordel ti poeng",
        "items": ["Lys i parken", "Natteravner", "Fartskontroller"],
        "budget": 10,
    },
    {"id": "ord", "kind": "wordcloud", "title": "Ett ord om sentrum", "max_words": 2},
    {
        "id": "problem",
        "kind": "problem",
        "title": "Problemet og årsakene",
        "focus": "Gangveien til skolen er mørk",
        "whys": 3,
    },
    {"id": "hur", "kind": "actions", "title": "Hva gjør vi, og hvordan vet vi det?"},
    {
        "id": "omdeg",
        "kind": "about",
        "title": "Litt om deg",
        "profile": [
            {"id": "alder", "text": "Alder", "options": ["Under 30", "30–66", "67 eller eldre"]},
            {"id": "bor", "text": "Hvor bor du?", "options": ["Sentrum", "Utenfor sentrum"]},
        ],
    },
    {"id": "slutt", "kind": "info", "title": "Takk for nå"},
]
# A problem description: field -> the contributions phones p1, p2, … wrote, the first agreed.
PROBLEM = {
    "what": ("Gangveiene rundt skolen er for dårlig opplyst", "Folk føler seg utrygge om kvelden"),
    "where": ("Gangveien mellom skolen og Kiwi",),
    "when": ("Om kvelden i vinterhalvåret",),
    "offender": ("Ingen bestemt: mørket",),
    "target": ("Elever og eldre som går hjem",),
    "why1": ("Lyktene er ødelagt",),
    "why2": ("Ingen har meldt fra til kommunen",),
}


def _run() -> Run:
    plan = make_plan(*ACTIVITIES, title="Folkemøte på Ås – trygghet")
    run = Run(plan=plan, code="482913")
    run.join("p1", "p2", "p3")
    run.at += 400  # later arrivals: the joins table gets more than one row
    run.join("p4", "p5")
    run.show("velkommen", present=5)
    run.at += 180
    run.show("trygg", present=5)
    for pid, choice in (("p1", "ja"), ("p2", "nei"), ("p3", "nei"), ("p4", "none"), ("p5", "ja")):
        run.do(pid, "vote", activity="trygg", choices=[choice])
    run.fac("close", activity="trygg", present=5)
    run.at += 240
    run.show("tiltak", present=5)
    run.do("p1", "vote", activity="tiltak", choices=["lys", "vakt"])
    run.do("p2", "vote", activity="tiltak", choices=["lys"])
    run.do("p3", "vote", activity="tiltak", choices=["lys", "kamera"])
    run.at += 240
    run.show("ideer", present=4)
    run.post("p1", "ideer", SCRIPT, column=0)
    run.post("p2", "ideer", FORMULA, column=1)
    quotes = run.post("p3", "ideer", QUOTES, column=0)
    benches = run.post("p4", "ideer", BENCHES, column=0)
    secret = run.post("p5", "ideer", HIDDEN[0], column=1)
    run.fac("hide", activity="ideer", note=secret, reason="personopplysninger")
    run.fac("merge", activity="ideer", into=quotes, notes=[benches])
    run.at += 240
    run.show("fritt", present=4)
    for pid, text in (("p1", PLUS), ("p2", MINUS), ("p3", AT), ("p4", LINES), ("p5", NORDIC)):
        run.post(pid, "fritt", text)
    # PLUS looks like a phone number, so it waited for the facilitator, who let it through.
    held = [n.id for n in run.state("fritt").notes.values() if n.status == "held"]
    assert len(held) == 1
    run.fac("release", activity="fritt", note=held[0])
    run.at += 240
    run.show("pj", present=5)
    dark = run.post("p1", "pj", DARK, side="pain")
    speed = run.post("p2", "pj", SPEED, side="pain")
    library = run.post("p3", "pj", LIBRARY, side="joy")
    youth = run.post("p4", "pj", YOUTH, side="joy")
    silly = run.post("p5", "pj", HIDDEN[1], side="joy")
    run.fac("hide", activity="pj", note=silly)
    run.fac("phase", activity="pj", phase="dots")
    for pid, note in (
        ("p1", dark), ("p1", dark), ("p2", speed), ("p3", dark), ("p3", speed),
        ("p1", youth), ("p2", youth), ("p3", library), ("p4", youth),
    ):  # fmt: skip
        run.dot(pid, "pj", note)
    run.fac("merge", activity="pj", into=dark, notes=[speed])
    run.at += 240
    run.show("enig", present=5)
    for pid, first, second in (("p1", 4, 2), ("p2", 5, None), ("p3", 4, 1), ("p4", None, "?")):
        for item, value in enumerate((first, second)):
            if value == "?":
                run.do(pid, "rate", activity="enig", item=item, value=None, dont_know=True)
            elif value is not None:
                run.do(pid, "rate", activity="enig", item=item, value=value)
    run.at += 240
    run.show("matrise", present=5)  # draws the two answers with most votes in "tiltak"
    for pid, item, x, y in (("p1", 0, 1, 5), ("p2", 0, 2, 4), ("p3", 0, 2, 5), ("p1", 1, 5, 2)):
        run.do(pid, "place", activity="matrise", item=item, x=x, y=y)
    run.at += 240
    run.show("meninger", present=5)
    proposed = run.do("p1", "propose", activity="meninger", text=PROPOSED)[0].data["statement"]
    hidden = run.do("p2", "propose", activity="meninger", text=HIDDEN[2])[0].data["statement"]
    run.do("p3", "propose", activity="meninger", text=HIDDEN[3])
    run.fac("approve_statement", activity="meninger", statement=proposed)
    run.fac("hide_statement", activity="meninger", statement=hidden, reason="peker ut en person")
    for pid, stances in (
        ("p1", ("agree", "agree", "agree", "agree")),
        ("p2", ("agree", "disagree", "agree", "pass")),
        ("p3", ("agree", "disagree", "agree", "agree")),
        ("p4", ("agree", "agree", "pass", "disagree")),
        ("p5", ("agree", "disagree", "agree", "agree")),
    ):
        for statement, stance in zip(("s1", "s2", "s3", proposed), stances, strict=True):
            run.do(pid, "stance", activity="meninger", statement=statement, stance=stance)
    run.at += 240
    run.show("spm", present=5)  # moderated: every question waits for approval
    lights, bus = run.post("p1", "spm", ASKED[0]), run.post("p2", "spm", ASKED[1])
    neighbour = run.post("p3", "spm", HIDDEN[4])
    pulled = run.post("p4", "spm", HIDDEN[5])
    run.do("p4", "withdraw_question", activity="spm", note=pulled)
    run.fac("release", activity="spm", note=lights)
    run.fac("release", activity="spm", note=bus)
    run.fac("hide", activity="spm", note=neighbour, reason="spurt før")
    for pid, question in (("p2", lights), ("p3", lights), ("p5", lights), ("p1", bus)):
        run.do(pid, "upvote", activity="spm", note=question)
    run.fac("highlight", activity="spm", note=lights)
    run.fac("mark_answered", activity="spm", note=lights, answer=ANSWER)
    run.at += 240
    run.show("rekkefolge", present=5)  # draws Mer lys (i1), Flere voksne ute (i2), Kamera (i3)
    for pid, order in (
        ("p1", ["i1", "i2", "i3"]), ("p2", ["i1", "i3", "i2"]), ("p3", ["i2", "i1", "i3"]),
        ("p4", ["i3", "i1", "i2"]),
    ):  # fmt: skip
        run.do(pid, "rank", activity="rekkefolge", order=order)
    run.at += 240
    run.show("poeng", present=4)
    for pid, spread in (
        ("p1", {"i1": 6, "i2": 4}), ("p2", {"i3": 10}), ("p3", {"i1": 5, "i3": 3}),
    ):  # fmt: skip
        run.do(pid, "allot", activity="poeng", points=spread)
    run.at += 240
    run.show("ord", present=5)
    run.do("p1", "words", activity="ord", words=[DARK_WORDS[0], SAFE_WORD])
    run.do("p2", "words", activity="ord", words=[DARK_WORDS[1]])
    run.do("p3", "words", activity="ord", words=[DARK_WORDS[2], HIDDEN[6]])
    run.do("p4", "words", activity="ord", words=[FORMULA_WORD])
    run.do("p5", "words", activity="ord", words=[HIDDEN[7]])
    run.fac("hide_word", activity="ord", word=HIDDEN[6].lower(), reason="tull")
    run.at += 240
    run.show("problem", present=5)
    for name, texts in PROBLEM.items():
        for number, text in enumerate(texts):
            pid = f"p{number + 1}"
            (posted,) = run.do(pid, "contribute", activity="problem", field=name, text=text)
            if number == 0:
                run.fac("agree", activity="problem", contribution=posted.data["contribution"])
    aside = run.do("p5", "contribute", activity="problem", field="target", text=HIDDEN[8])
    hidden = aside[0].data["contribution"]
    run.fac("hide_contribution", activity="problem", contribution=hidden, reason="utenfor saken")
    run.fac("scribe", activity="problem", field="fixer", text="Kommunen (fra en papirlapp)")
    run.show("hur", present=5)
    night = run.do("p1", "propose_action", activity="hur", what=NIGHT["what"])[0].data["action"]
    run.do("p1", "edit_action", activity="hur", action=night, **NIGHT)
    lamps = run.do("p2", "propose_action", activity="hur", what="Mer lys", where=FORMULA_PLACE)
    lamps_id = lamps[0].data["action"]
    hidden_action = run.do("p3", "propose_action", activity="hur", what=HIDDEN[9])
    run.do("p4", "propose_action", activity="hur", what=HIDDEN[10])
    run.fac("hide_action", activity="hur", action=hidden_action[0].data["action"], reason="tull")
    run.fac("write_action", activity="hur", what="Trygghetsvandring", when="mai 2027")
    for pid, action, stance in (
        ("p2", night, "support"), ("p3", night, "support"), ("p4", night, "question"),
        ("p1", lamps_id, "question"),
    ):  # fmt: skip
        run.do(pid, "back_action", activity="hur", action=action, stance=stance)
    run.fac("choose_action", activity="hur", action=night)
    # About you: five phones, so only the groups of five show; the rest merge into others.
    run.at += 120
    run.show("omdeg", present=5)
    for pid, age in (("p1", "o2"), ("p2", "o2"), ("p3", "o2"), ("p4", "o3"), ("p5", None)):
        given = {"bor": "o1"} if age is None else {"alder": age, "bor": "o1"}
        run.do(pid, "describe", activity="omdeg", answers=given)
    run.fac("close", activity="omdeg", present=5)
    run.at += 240
    run.show("slutt", present=3)
    run.fac("details", fields=DETAILS)
    removed = run.fac("add_item", section="decision", text=REMOVED[0])
    run.fac("add_item", section="decision", text=DECISION)
    run.fac("remove_item", item=removed[0].data["item"])
    run.fac("add_item", section="question", text=QUESTION)
    run.fac("add_item", section="next_step", text=NEXT_STEP)
    run.at += 300
    run.fac("end", present=3)
    gone = run.fac("follow_up", title="Gammel", text=REMOVED[1])
    run.fac("remove_follow_up", followup=gone[0].data["followup"])
    run.at += 86400 * 20  # three weeks later
    run.fac("follow_up", title=FOLLOWUP[0], text=FOLLOWUP[1])
    return run


@cache
def _record() -> dict[str, Any]:
    return records.build(_run().log)


def sample_record() -> dict[str, Any]:
    """A fresh copy of the sample meeting's record."""
    return copy.deepcopy(_record())


def activity(record: dict[str, Any], activity_id: str) -> dict[str, Any]:
    return next(a for a in record["activities"] if a["id"] == activity_id)
