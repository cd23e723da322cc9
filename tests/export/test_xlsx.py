"""XLSX results, read back with openpyxl: sheets, tallies, every input, no formulas."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from openpyxl.utils import get_column_letter

from facilitate.export.to_xlsx import MAX_SHEET_NAME, minutes_xlsx, sheet_name

from . import sample
from .helpers import input_rows, sheet_rows, table_after, workbook
from .sample import activity

SHEETS = [
    "Oversikt",
    "2. Føler du deg trygg i sentrum",
    "3. Hva bør gjøres flere svar",
    "4. Hva er bra, hva er dårlig",
    "5. Noe annet",
    "6. Smertepunkter og hjertepunkt",
    "7. Hvor enig er du",
    "8. Innsats og effekt",
    "9. Hva mener du",
    "10. Spørsmål til panelet",
    "11. Hva bør vi gjøre først",
    "12. Fordel ti poeng",
    "13. Ett ord om sentrum",
    "14. Problemet og årsakene",
    "15. Hva gjør vi, og hvordan vet",
    "16. Litt om deg",
    "Alle innspill",
]


def test_there_is_a_summary_a_sheet_per_activity_and_the_inputs(
    record: dict[str, Any], nb: Any
) -> None:
    book = workbook(minutes_xlsx(record, nb))
    assert book.sheetnames == SHEETS
    for name in book.sheetnames:
        assert len(name) <= MAX_SHEET_NAME and not re.search(r"[\[\]:*?/\\]", name)
    summary = sheet_rows(book, "Oversikt")
    assert summary[0][0] == "Folkemøte på Ås – trygghet"
    facts = {row[0]: row[1] for row in summary if row[0] and row[1] is not None}
    assert facts["Sted"] == sample.DETAILS["place"]
    assert facts["Møteledere"] == sample.DETAILS["facilitators"]
    assert facts["Mobiler som deltok"] == 5
    agenda = table_after(summary, ["Nr.", "Aktivitet", "Type", "Når"])
    assert [row[1] for row in agenda] == [a["title"]["nb"] for a in record["activities"]]
    header = ["Nr.", "Aktivitet", "Type", "Når", "Mobiler tilkoblet", "Svart av"]
    hidden = table_after(summary, [*header, "Skjult av møtelederen", "Hvorfor de ble skjult"])
    assert hidden[3][6:] == [1, "personopplysninger"]
    texts = [cell for row in summary for cell in row if isinstance(cell, str)]
    assert sample.DECISION in texts and sample.QUESTION in texts and sample.NEXT_STEP in texts


def test_a_ranking_sheet_holds_the_records_standings(record: dict[str, Any], nb: Any) -> None:
    book = workbook(minutes_xlsx(record, nb))
    header = ["Plass", "Punkt", "Borda-poeng", "Gjennomsnittlig plass"]
    rows = table_after(sheet_rows(book, SHEETS[10]), header)
    standings = activity(record, "rekkefolge")["standings"]["items"]
    assert [r[:4] for r in rows] == [
        [i["rank"], i["text"]["nb"], i["score"], i["average"]] for i in standings
    ]
    assert rows[0][:4] == [1, "Mer lys", 6, 1.5]


def test_a_points_sheet_holds_the_budget_and_the_records_totals(
    record: dict[str, Any], nb: Any
) -> None:
    sheet = sheet_rows(workbook(minutes_xlsx(record, nb)), SHEETS[11])
    assert ["Poeng per telefon", 10] in [r[:2] for r in sheet]
    assert ["Poeng gitt", 28] in [r[:2] for r in sheet]
    totals = activity(record, "poeng")["totals"]["items"]
    rows = table_after(sheet, ["#", "Punkt", "Poeng", "%"])
    assert [r[:4] for r in rows] == [
        [i["rank"], i["text"]["nb"], i["points"], i["share"]] for i in totals
    ]


def test_the_activity_sheets_hold_the_records_tallies(record: dict[str, Any], nb: Any) -> None:
    book = workbook(minutes_xlsx(record, nb))
    for name, activity_id in ((SHEETS[1], "trygg"), (SHEETS[2], "tiltak")):
        tally = activity(record, activity_id)["tally"]
        rows = table_after(sheet_rows(book, name), ["Svar", "Stemmer", "%"])
        assert [r[1] for r in rows] == list(tally["counts"].values())
        assert [r[2] for r in rows] == [
            round(100 * c / tally["voters"]) for c in tally["counts"].values()
        ]
    ranking = activity(record, "pj")["ranking"]
    expected = [
        [kind_name, rank, item["text"], item["dots"]]
        for kind, kind_name in (("pain", "Smertepunkt"), ("joy", "Hjertepunkt"))
        for rank, item in enumerate(ranking[kind], start=1)
    ]
    header = ["Type", "Plass", "Punkt", "Like lapper slått sammen med denne", "Prikker"]
    ranked = table_after(sheet_rows(book, SHEETS[5]), header)
    assert [[r[0], r[1], r[2], r[4]] for r in ranked] == expected
    assert ranked[0][3] == sample.SPEED  # merged into the first pain point


def test_every_visible_note_is_on_its_activity_sheet_once(record: dict[str, Any], nb: Any) -> None:
    book = workbook(minutes_xlsx(record, nb))
    cells = [
        cell
        for name in SHEETS[1:-1]
        for row in sheet_rows(book, name)
        for cell in row
        if isinstance(cell, str)
    ]
    for note in sample.VISIBLE:
        assert sum(note in cell for cell in cells) == 1, note


def test_the_inputs_sheet_has_every_input_anonymously_and_no_hidden_text(
    record: dict[str, Any], nb: Any
) -> None:
    book = workbook(minutes_xlsx(record, nb))
    rows = sheet_rows(book, "Alle innspill")
    assert rows[0] == [
        "Tid", "Nr.", "Aktivitet", "Type", "Kolonne", "Tekst", "Stemmer", "Prikker",
        "Status", "Lapp", "Slått sammen med", "Hvorfor skjult",
    ]  # fmt: skip
    notes = [
        n
        for a in record["activities"]
        for n in [*a.get("notes", []), *a.get("questions", []), *a.get("moderation", [])]
    ]
    assert len(rows) - 1 == input_rows(record)
    by_id = {row[9]: row for row in rows[1:] if row[9]}
    for note in (n for n in notes if "id" in n):  # a word cloud's words have no id
        row = by_id[note["id"]]
        if note["status"] == "hidden":
            assert row[5] is None and row[8] == "skjult" and row[11] == (note["reason"] or None)
        elif note["status"] == "pending":  # a proposed statement never approved
            assert row[5] is None and row[8] == "venter"
        elif note["status"] == "withdrawn":
            assert row[5] is None and row[8] == "trukket tilbake"
        elif note["status"] == "held":  # a proposed activity still waiting for review
            assert row[5] is None and row[8] == "venter på gjennomsyn"
        else:
            assert row[5] == note["text"]
        assert row[0].strftime("%H:%M:%S") != ""  # a real date-time
    cells = " ".join(str(c) for row in rows for c in row if c is not None)
    for gone in sample.HIDDEN:
        assert gone.split()[0] not in cells
    # No participant ids (p1 … in this sample); the input's own id (a statement p1 …) is not one.
    people = " ".join(str(c) for row in rows for n, c in enumerate(row) if c and n != 9)
    assert not re.search(r"\bp[0-9]\b", people)
    assert by_id["n4"][10] == "n3"  # "Benker ved elva" merged into "Flere benker"


def test_no_sheet_holds_a_hidden_note_or_a_removed_entry(record: dict[str, Any], nb: Any) -> None:
    book = workbook(minutes_xlsx(record, nb))
    cells = " ".join(str(c) for name in book.sheetnames for r in sheet_rows(book, name) for c in r)
    for gone in (*sample.HIDDEN, *sample.REMOVED):
        assert gone.split()[0] not in cells


def test_text_that_looks_like_a_formula_stays_text(record: dict[str, Any], nb: Any) -> None:
    data = minutes_xlsx(record, nb)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    book = workbook(data)
    found = 0
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if cell.value in (sample.FORMULA, sample.PLUS, sample.MINUS, sample.AT):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.value
                    found += 1
    assert found == 8  # each on its activity sheet and in the inputs


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("4. Hva er bra? [flere svar]", "4. Hva er bra flere svar"),
        ("a" * 40, "a" * 31),
        ("'sitert'", "sitert"),
        ("History", "History (1)"),
        ("/:*?", "Sheet"),
    ],
)
def test_sheet_names_are_valid(wanted: str, expected: str) -> None:
    assert sheet_name(wanted, set()) == expected


def test_sheet_names_are_unique() -> None:
    taken: set[str] = set()
    names = [sheet_name("1. " + "x" * 40, taken) for _ in range(3)]
    assert names == ["1. " + "x" * 28, "1. " + "x" * 24 + " (2)", "1. " + "x" * 24 + " (3)"]
    assert sheet_name("OVERSIKT", {"oversikt"}) == "OVERSIKT (2)"


def test_every_sheet_prints_on_a4_whole_width_with_its_header_on_every_page(
    record: dict[str, Any], nb: Any
) -> None:
    book = workbook(minutes_xlsx(record, nb))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.paperSize == 9, sheet.title  # A4 in the OOXML paper sizes
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        widths = [
            sheet.column_dimensions[letter].width
            for letter in (get_column_letter(n) for n in range(1, sheet.max_column + 1))
        ]
        assert all(6 <= width <= 60 for width in widths), (sheet.title, widths)
        wide = sum(widths) > 90
        assert setup.orientation == ("landscape" if wide else "portrait"), sheet.title
    inputs = book["Alle innspill"]
    assert inputs.freeze_panes == "A2"
    assert inputs.print_title_rows == "$1:$1"
    assert inputs.page_setup.orientation == "landscape"  # twelve columns


def test_an_activity_sheet_repeats_and_freezes_its_table_header_and_its_title_spans_the_page(
    record: dict[str, Any], nb: Any
) -> None:
    book = workbook(minutes_xlsx(record, nb))
    sheet = book[SHEETS[1]]
    rows = sheet_rows(book, SHEETS[1])
    header = next(n for n, row in enumerate(rows, start=1) if row[:3] == ["Svar", "Stemmer", "%"])
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.print_title_rows == f"${header}:${header}"
    assert [str(r) for r in sheet.merged_cells.ranges] == [
        f"A1:{get_column_letter(sheet.max_column)}1"
    ]
    assert sheet.cell(1, 1).alignment.wrap_text
    # As wide as the longest answer, not a fixed guess.
    longest = max(len(str(row[0])) for row in table_after(rows, ["Svar", "Stemmer", "%"]))
    assert sheet.column_dimensions["A"].width == min(60, max(6, longest + 2))


def test_column_widths_follow_the_content_and_long_texts_wrap() -> None:
    from openpyxl import Workbook

    from facilitate.export.to_xlsx import _print_setup

    sheet = Workbook().active
    assert sheet is not None
    sheet.append(["A title far longer than any column, which must not widen the first one"])
    sheet.append(["Nr.", "Text"])
    sheet.append([1, "x" * 200])
    sheet.append([22, "two\nlines"])
    _print_setup(sheet, header_row=2)
    assert sheet.column_dimensions["A"].width == 6  # "Nr." + 2 is below the minimum
    assert sheet.column_dimensions["B"].width == 60  # a long text wraps at the cap
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.print_title_rows == "$2:$2" and sheet.freeze_panes == "A3"


def test_the_workbook_prints_to_pdf_when_libreoffice_is_here(
    record: dict[str, Any], nb: Any, tmp_path: Any
) -> None:
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "minutes.xlsx"
    source.write_bytes(minutes_xlsx(record, nb))
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), source],
        check=True,
        capture_output=True,
    )
    pdf = (tmp_path / "minutes.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
