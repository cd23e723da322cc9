"""CSV results for Nordic Excel: UTF-8 with BOM, `;`, a zip per activity or one long table."""

from __future__ import annotations

from typing import Any

from facilitate.export.to_csv import cell, minutes_csv, minutes_csv_long

from . import sample
from .helpers import input_rows, read_csv, unzip
from .sample import activity

FILES = [
    "meeting.csv",
    "02-trygg.csv",
    "03-tiltak.csv",
    "04-ideer.csv",
    "05-fritt.csv",
    "06-pj.csv",
    "07-enig.csv",
    "08-matrise.csv",
    "09-meninger.csv",
    "10-spm.csv",
    "11-rekkefolge.csv",
    "12-poeng.csv",
    "13-ord.csv",
    "14-problem.csv",
    "14-problem-2.csv",
    "14-problem-3.csv",
    "15-hur.csv",  # the chosen activities
    "15-hur-2.csv",  # the other proposals
    "16-omdeg.csv",  # about you: age, merged into others
    "16-omdeg-2.csv",  # where they live
    "inputs.csv",
]
GUARDED = {sample.FORMULA, sample.PLUS, sample.MINUS, sample.AT, sample.FORMULA_PLACE}


def test_the_zip_has_a_file_per_activity_each_for_nordic_excel(
    record: dict[str, Any], nb: Any
) -> None:
    files = unzip(minutes_csv(record, nb))
    assert list(files) == FILES
    for name, data in files.items():
        assert data.startswith(b"\xef\xbb\xbf"), name
        assert data.endswith(b"\r\n") and b"\r" not in data.replace(b"\r\n", b""), name
        rows = read_csv(data)
        assert rows and rows[0], name
    meeting = read_csv(files["meeting.csv"])
    assert meeting[0] == ["Folkemøte på Ås – trygghet"]
    assert ["Sted", "Kulturhuset, Ås"] in meeting


def test_a_rankings_average_positions_have_a_decimal_comma(record: dict[str, Any], nb: Any) -> None:
    rows = read_csv(unzip(minutes_csv(record, nb))["11-rekkefolge.csv"])
    assert rows == [
        ["Plass", "Punkt", "Borda-poeng", "Gjennomsnittlig plass"],
        ["1", "Mer lys", "6", "1,5"],
        ["2", "Flere voksne ute", "3", "2,25"],
        ["2", "Kamera", "3", "2,25"],
    ]


def test_nordic_letters_survive_the_round_trip(record: dict[str, Any], nb: Any) -> None:
    rows = read_csv(unzip(minutes_csv(record, nb))["05-fritt.csv"])
    assert rows[0] == ["Kolonne", "Lapp", "Like lapper slått sammen med denne", "Sendt"]
    assert [r[1] for r in rows[1:]] == [
        "'" + sample.PLUS,
        "'" + sample.MINUS,
        "'" + sample.AT,
        sample.LINES,
        sample.NORDIC,
    ]


def test_the_tallies_are_the_records(record: dict[str, Any], nb: Any) -> None:
    files = unzip(minutes_csv(record, nb))
    for name, activity_id in (("02-trygg.csv", "trygg"), ("03-tiltak.csv", "tiltak")):
        tally = activity(record, activity_id)["tally"]
        rows = read_csv(files[name])
        assert rows[0] == ["Svar", "Stemmer", "%"]
        assert [int(r[1]) for r in rows[1:]] == list(tally["counts"].values())
    rows = read_csv(files["06-pj.csv"])
    ranking = activity(record, "pj")["ranking"]
    assert [(r[2], int(r[4])) for r in rows[1:]] == [
        (i["text"], i["dots"]) for kind in ("pain", "joy") for i in ranking[kind]
    ]


def test_every_visible_note_is_in_its_file_once_and_nothing_hidden(
    record: dict[str, Any], nb: Any
) -> None:
    files = unzip(minutes_csv(record, nb))
    cells = [
        c.removeprefix("'") for name in FILES[1:-1] for row in read_csv(files[name]) for c in row
    ]
    for note in sample.VISIBLE:
        assert sum(note in c for c in cells) == 1, note
    everything = b"".join(files.values()).decode("utf-8")
    for gone in (*sample.HIDDEN, *sample.REMOVED):
        assert gone.split()[0] not in everything


def test_no_cell_can_run_as_a_formula(record: dict[str, Any], nb: Any) -> None:
    files = unzip(minutes_csv(record, nb))
    files["long"] = minutes_csv_long(record, nb)
    seen = set()
    for data in files.values():
        for row in read_csv(data):
            for value in row:
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
                if value.removeprefix("'") in GUARDED:
                    seen.add(value.removeprefix("'"))
    assert seen == GUARDED
    assert cell("=1+1") == "'=1+1" and cell(-1) == "-1" and cell(None) == ""


def test_the_long_table_is_every_input_and_the_zips_inputs(record: dict[str, Any], nb: Any) -> None:
    data = minutes_csv_long(record, nb)
    assert data == unzip(minutes_csv(record, nb))["inputs.csv"]
    rows = read_csv(data)
    assert len(rows) == 1 + input_rows(record)
    hidden = [r for r in rows if r[8] == "skjult"]
    assert [(r[5], r[11]) for r in hidden] == [
        ("", "personopplysninger"),
        ("", ""),
        ("", "peker ut en person"),
        ("", "spurt før"),
        ("", "tull"),
        ("", "utenfor saken"),
        ("", "tull"),
    ]
    withdrawn = [r for r in rows if r[8] == "trukket tilbake"]
    assert [(r[3], r[5], r[6]) for r in withdrawn] == [("Spørsmål", "", "")]
    held = [r for r in rows if r[8] == "venter på gjennomsyn"]
    assert [(r[3], r[5], r[6]) for r in held] == [("Ord", "", "1"), ("Foreslått aktivitet", "", "")]
    first = next(r for r in rows if r[9] == "n1")
    assert first[0] == "2023-11-14 23:31:19"  # Oslo time, with seconds
