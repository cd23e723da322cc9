"""Each kind's builder: the sample meeting's record entry in, its minutes' blocks out."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from facilitate.core.blocks import (
    Bar,
    Bars,
    BulletList,
    Column,
    Context,
    Facts,
    Heading,
    Input,
    Inputs,
    Item,
    Moderation,
    Paragraph,
    Table,
    safe,
)
from facilitate.core.kinds import KINDS
from facilitate.core.text import localize
from facilitate.export.model import moment, words

from . import sample
from .sample import activity

OSLO = ZoneInfo("Europe/Oslo")


def _context(nb: Any) -> Context:
    return Context(
        words(nb),
        lambda value: safe(localize(value or {}, "nb", "nb")),
        lambda iso: moment(iso, OSLO),
    )


def _at(hh_mm_ss: str) -> datetime:
    return datetime.fromisoformat(f"2023-11-14T{hh_mm_ss}").replace(tzinfo=OSLO)


BUILDERS = {name: kind.minutes for name, kind in KINDS.items()}


def test_every_kind_that_takes_input_says_something_in_the_minutes(
    record: dict[str, Any], nb: Any
) -> None:
    said = {
        entry["kind"]
        for entry in record["activities"]
        if BUILDERS[entry["kind"]](entry, _context(nb))
    }
    assert said == {name for name, kind in KINDS.items() if kind.takes_input}


def test_a_poll_is_its_votes_as_bars(record: dict[str, Any], nb: Any) -> None:
    blocks = BUILDERS["poll"](activity(record, "tiltak"), _context(nb))
    assert blocks == [
        Bars(
            "Svar",
            "Stemmer",
            (Bar("Mer lys", 3, 100), Bar("Flere voksne ute", 1, 33), Bar("Kamera", 1, 33)),
            whole=3,
        ),
        Paragraph("Flere svar var tillatt; prosentene er regnet av dem som svarte.", muted=True),
        Inputs(
            (
                Input(None, "Svar", text="Mer lys", votes=3),
                Input(None, "Svar", text="Flere voksne ute", votes=1),
                Input(None, "Svar", text="Kamera", votes=1),
            )
        ),
    ]


def test_notes_are_lists_under_their_columns_and_one_table_in_a_sheet(
    record: dict[str, Any], nb: Any
) -> None:
    blocks = BUILDERS["notes"](activity(record, "ideer"), _context(nb))
    inputs = blocks.pop()
    assert blocks == [
        Heading("Bra", show="documents"),
        BulletList(
            (Item(sample.SCRIPT), Item(sample.QUOTES, (sample.BENCHES,))),
            empty="(ingen)",
            show="documents",
        ),
        Heading("Dårlig", show="documents"),
        BulletList((Item(sample.FORMULA),), empty="(ingen)", show="documents"),
        Table(
            (
                Column("Kolonne"),
                Column("Lapp"),
                Column("Like lapper slått sammen med denne"),
                Column("Sendt", "time"),
            ),
            (
                ("Bra", sample.SCRIPT, None, _at("23:31:19")),
                ("Bra", sample.QUOTES, sample.BENCHES, _at("23:31:21")),
                ("Dårlig", sample.FORMULA, None, _at("23:31:20")),
            ),
            show="sheets",
        ),
        Moderation(hidden=1, reasons=(("personopplysninger", 1),)),
    ]
    assert isinstance(inputs, Inputs)
    assert [(i.note, i.status, i.text, i.reason) for i in inputs.rows] == [
        ("n1", "vist", sample.SCRIPT, ""),
        ("n2", "vist", sample.FORMULA, ""),
        ("n3", "vist", sample.QUOTES, ""),
        ("n4", "slått sammen", sample.BENCHES, ""),
        ("n5", "skjult", "", "personopplysninger"),  # never a withheld text
    ]


def test_pain_and_heart_points_are_ranked_bars_and_one_table_in_a_sheet(
    record: dict[str, Any], nb: Any
) -> None:
    blocks = BUILDERS["painjoy"](activity(record, "pj"), _context(nb))
    inputs = blocks.pop()
    pain = Bar(sample.DARK, 5, 100, rank=1, merged=(sample.SPEED,))
    youth, library = Bar(sample.YOUTH, 3, 75, rank=1), Bar(sample.LIBRARY, 1, 25, rank=2)
    assert blocks[:5] == [
        Heading("Smertepunkter", show="documents"),
        Bars("Punkt", "Prikker", (pain,), tone="negative", empty="(ingen)", show="documents"),
        Heading("Hjertepunkter", show="documents"),
        Bars(
            "Punkt",
            "Prikker",
            (youth, library),
            tone="positive",
            empty="(ingen)",
            show="documents",
        ),
        Paragraph("Prikker satt: 9", muted=True, show="documents"),
    ]
    assert blocks[5] == Facts((("Prikker", 9),), show="sheets")
    table = blocks[6]
    assert isinstance(table, Table) and table.show == "sheets"
    assert table.rows == (
        ("Smertepunkt", 1, sample.DARK, sample.SPEED, 5, 100),
        ("Hjertepunkt", 1, sample.YOUTH, None, 3, 75),
        ("Hjertepunkt", 2, sample.LIBRARY, None, 1, 25),
    )
    assert blocks[7] == Moderation(hidden=1, reasons=(("ingen begrunnelse gitt", 1),))
    assert isinstance(inputs, Inputs)
    assert [(i.kind, i.dots) for i in inputs.rows][:2] == [("Smertepunkt", 5), ("Smertepunkt", 0)]


def test_a_scale_is_a_table_of_means_and_medians_then_the_counts_of_each_statement(
    record: dict[str, Any], nb: Any
) -> None:
    blocks = BUILDERS["scale"](activity(record, "enig"), _context(nb))
    first, second = sample.STATEMENTS
    ends = ("1 (Helt uenig)", "2", "3", "4", "5 (Helt enig)")
    common = (
        Column("Påstand"),
        Column("Svart av", "number"),
        Column("Snitt", "number", 1),
        Column("Median", "number", 1),
    )
    assert blocks[:4] == [
        Paragraph("Skala fra 1 (Helt uenig) til 5 (Helt enig).", muted=True),
        Table(
            (*common, Column("Vet ikke", "number")),
            ((first, 3, 4.33, 4.0, 0), (second, 2, 1.5, 1.5, 1)),
            empty="(ingen)",
            show="documents",
        ),
        Table(
            (
                *common,
                Column("Standardavvik", "number", 2),
                Column("Vet ikke", "number"),
                *(Column(end, "number") for end in ends),
            ),
            (
                (first, 3, 4.33, 4.0, 0.47, 0, 0, 0, 0, 2, 1),
                (second, 2, 1.5, 1.5, 0.5, 1, 1, 1, 0, 0, 0),
            ),
            show="sheets",
        ),
        Paragraph(
            "«Vet ikke» telles for seg: det er ikke med i snittet eller medianen.",
            muted=True,
            show="documents",
        ),
    ]
    assert blocks[6:9] == [
        Heading(second, show="documents"),
        Bars(
            "Vurdering",
            "Svar",
            (Bar(ends[0], 1, 50), Bar(ends[1], 1, 50), *(Bar(end, 0, 0) for end in ends[2:])),
            show="documents",
        ),
        Paragraph("Vet ikke: 1", show="documents"),
    ]
    (inputs,) = [b for b in blocks if isinstance(b, Inputs)]
    assert [(i.column, i.text, i.votes) for i in inputs.rows] == [
        ("4", first, 2),
        ("5 (Helt enig)", first, 1),
        ("1 (Helt uenig)", second, 1),
        ("2", second, 1),
        ("Vet ikke", second, 1),
    ]


def test_a_matrix_is_a_table_of_mean_places_and_the_items_under_each_quadrant(
    record: dict[str, Any], nb: Any
) -> None:
    blocks = BUILDERS["matrix"](activity(record, "matrise"), _context(nb))
    assert blocks[:2] == [
        Paragraph("Innsats: fra 1 (Lite) til 5 (Mye). Effekt: fra 1 til 5.", muted=True),
        Table(
            (
                Column("Punkt"),
                Column("Svart av", "number"),
                Column("Innsats, snitt", "number", 1),
                Column("Innsats, spredning", "number", 1),
                Column("Effekt, snitt", "number", 1),
                Column("Effekt, spredning", "number", 1),
                Column("Kvadrant"),
            ),
            (
                ("Mer lys", 3, 1.67, 0.47, 4.67, 0.47, "Raske gevinster"),
                ("Flere voksne ute", 1, 5.0, 0.0, 2.0, 0.0, "Tidstyver"),
            ),
            empty="(ingen)",
        ),
    ]
    quadrants = [
        (heading.text, [i.text for i in items.items])
        for heading, items in zip(blocks[3:11:2], blocks[4:11:2], strict=True)
        if isinstance(heading, Heading) and isinstance(items, BulletList)
    ]
    assert quadrants == [
        ("Raske gevinster", ["Mer lys"]),
        ("Store prosjekter", []),
        ("Småtterier", []),
        ("Tidstyver", ["Flere voksne ute"]),
    ]
    (inputs,) = [b for b in blocks if isinstance(b, Inputs)]
    assert [(i.kind, i.column, i.text, i.votes) for i in inputs.rows] == [
        ("Plassering", "Innsats: 1; Effekt: 5", "Mer lys", 1),
        ("Plassering", "Innsats: 2; Effekt: 4", "Mer lys", 1),
        ("Plassering", "Innsats: 2; Effekt: 5", "Mer lys", 1),
        ("Plassering", "Innsats: 5; Effekt: 2", "Flere voksne ute", 1),
    ]
