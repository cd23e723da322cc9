"""Every block type, rendered by every format without knowing which kind made it."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from core.helpers import Run, make_plan, poll

from facilitate.core import record as records
from facilitate.core.blocks import (
    Bar,
    Bars,
    Block,
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
)
from facilitate.core.kinds import KINDS
from facilitate.export import markdown, to_csv, to_docx, to_html, to_xlsx
from facilitate.export.model import Minutes, minutes

from .helpers import Page, docx_tables, docx_texts, read_csv, sheet_rows, unzip, workbook

EXPORT = Path(__file__).resolve().parents[2] / "facilitate" / "export"
HOSTILE = "<b>fet</b> & =1+1"
AT = datetime(2023, 11, 14, 23, 31, 19)

# One of each, with the things each format must get right: escaping, decimals, times, ranks,
# groups, merged texts, tones, and a block only the documents or only the sheets show.
BLOCKS: list[Block] = [
    Heading("Overskrift A"),
    Paragraph(HOSTILE),
    Paragraph("Bare i dokumentene", muted=True, show="documents"),
    Facts((("Snitt", 3.4), ("Median", 4))),
    Table(
        (Column("Navn"), Column("Antall", "number"), Column("Snitt", "number", 1)),
        (("Rad én", 2, 3.5), (Item("Rad to", ("slått sammen",)), 10, 1.25)),
        caption="Tabelltekst",
    ),
    Table((Column("Tid", "time"), Column("Tekst")), ((AT, "Bare i arkene"),), show="sheets"),
    BulletList((Item("Punkt en", ("lik lapp",)), Item("Punkt to"))),
    BulletList((), empty="(ingen)"),
    Bars(
        "Utsagn",
        "Svar",
        (Bar("Enig", 3, 75, group="Utsagn 1"), Bar("Uenig", 1, 25, group="Utsagn 1")),
        whole=4,
        tone="positive",
    ),
    Bars("Punkt", "Poeng", (Bar("Best", 7.5, 60, rank=1, merged=("nest best",)),), places=1),
    Moderation(hidden=2, reasons=(("navn", 2),), held=3, released=1),
    Inputs((Input(AT, "Innspill", text="Rad i den lange tabellen", votes=4),)),
]


def _minutes() -> Minutes:
    """The minutes of a meeting whose one activity's builder gives `BLOCKS`."""
    run = Run(plan=make_plan(poll("a"), language="nb"), code="1")
    run.show("a")

    def build(_activity: dict[str, Any], _context: Context) -> list[Block]:
        return BLOCKS

    return minutes(records.build(run.log), lambda s: s, builders={"poll": build})


def test_markdown_renders_every_block() -> None:
    text = markdown.render(_minutes())
    for expected in (
        "### Overskrift A\n",
        "\\<b\\>fet\\</b\\> \\& =1+1",
        "Bare i dokumentene",
        "Snitt: 3,4  \nMedian: 4",
        "Tabelltekst\n\n| Navn | Antall | Snitt |\n| --- | ---: | ---: |\n| Rad én | 2 | 3,5 |",
        "| Rad to (+ slått sammen) | 10 | 1,2 |",  # rounded half to even, as Python does
        "- Punkt en (+ lik lapp)\n- Punkt to",
        "- (ingen)",
        "|   | Utsagn | Svar | % |\n| --- | --- | ---: | ---: |\n| Utsagn 1 | Enig | 3 | 75 |",
        "| # | Punkt | Poeng | % |\n| ---: | --- | ---: | ---: |\n"
        "| 1 | Best (+ nest best) | 7,5 | 60 |",
        "Notes hidden by the facilitator: 2 (reasons: navn (2))",
        "Notes that waited for review: 3; let through: 1",
    ):
        assert expected in text, expected
    assert "Bare i arkene" not in text and "Rad i den lange" not in text


def test_html_renders_every_block_and_escapes_every_text() -> None:
    html = to_html.render(_minutes())
    page = Page(html)
    assert not page.problems
    assert "<b>fet" not in html and "&lt;b&gt;fet&lt;/b&gt; &amp; =1+1" in html
    text = " ".join(page.all_text.split())
    for expected in (
        "Overskrift A",
        "Bare i dokumentene",
        "Snitt3,4",
        "Tabelltekst",
        "Punkt en (+ lik lapp)",
        "(ingen)",
        "Notes hidden by the facilitator: 2 (reasons: navn (2)). The texts of hidden notes",
        "Notes that waited for review: 3; let through: 1.",
    ):
        assert expected in text, expected
    assert "Bare i arkene" not in text and "Rad i den lange" not in text
    assert [row for table in page.tables for row in table if row[:1] == ["Rad én"]] == [
        ["Rad én", "2", "3,5"]
    ]
    bars = [t for t in page.tables if t[0][:3] == ["", "Utsagn", "Svar"]]
    assert bars == [[["", "Utsagn", "Svar", "%", ""], ["Utsagn 1", "Enig", "3", "75", ""],
                     ["Utsagn 1", "Uenig", "1", "25", ""]]]  # fmt: skip
    assert '<table class="bars positive">' in html and 'width="75.0"' in html
    assert ["#", "Punkt", "Poeng", "%", ""] in [t[0] for t in page.tables]


def test_docx_renders_every_block() -> None:
    document, texts = docx_texts(to_docx.render(_minutes()))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 2", "Overskrift A") in paragraphs
    assert ("Normal", HOSTILE) in paragraphs
    start = paragraphs.index(("List Bullet", "Punkt en"))
    assert paragraphs[start : start + 3] == [
        ("List Bullet", "Punkt en"),
        ("List Bullet 2", "lik lapp"),
        ("List Bullet", "Punkt to"),
    ]
    assert "(ingen)" in texts and "Bare i dokumentene" in texts and "Bare i arkene" not in texts
    assert any(t.startswith("Notes hidden by the facilitator: 2") for t in texts)
    tables = docx_tables(document)
    assert [["Snitt", "3,4"], ["Median", "4"]] in tables
    assert [
        ["Navn", "Antall", "Snitt"],
        ["Rad én", "2", "3,5"],
        ["Rad to\n+ slått sammen", "10", "1,2"],
    ] in tables
    assert [["", "Utsagn", "Svar", "%"], ["Utsagn 1", "Enig", "3", "75"],
            ["Utsagn 1", "Uenig", "1", "25"]] in tables  # fmt: skip
    assert [["#", "Punkt", "Poeng", "%"], ["1", "Best\n+ nest best", "7,5", "60"]] in tables


def test_xlsx_renders_every_block_for_sheets_and_freezes_the_first_table_header() -> None:
    book = workbook(to_xlsx.render(_minutes()))
    name = book.sheetnames[1]
    rows = [[c for c in row if c is not None] for row in sheet_rows(book, name)]
    # Key figures and moderation first, then the rest in order, a blank row between blocks.
    assert rows[3:7] == [
        ["Snitt", 3.4],
        ["Median", 4],
        ["Hidden by the facilitator", 2, "navn (2)"],
        ["Waited for review", 3, "Let through", 1],
    ]
    assert rows[7:] == [
        [], ["Overskrift A"],
        [], [HOSTILE],
        [], ["Tabelltekst"], ["Navn", "Antall", "Snitt"], ["Rad én", 2, 3.5],
        ["Rad to\n+ slått sammen", 10, 1.25],
        [], ["Tid", "Tekst"], [AT, "Bare i arkene"],
        [], ["Punkt en\n+ lik lapp"], ["Punkt to"],
        [],
        [], ["Utsagn", "Svar", "%"], ["Utsagn 1", "Enig", 3, 75], ["Utsagn 1", "Uenig", 1, 25],
        [], ["#", "Punkt", "Poeng", "%"], [1, "Best\n+ nest best", 7.5, 60],
    ]  # fmt: skip
    sheet = book[name]
    assert sheet.freeze_panes == "A15" and sheet.print_title_rows == "$14:$14"
    assert sheet.cell(11, 1).value == HOSTILE and sheet.cell(11, 1).data_type == "s"
    inputs = sheet_rows(book, book.sheetnames[-1])
    assert inputs[1][:7] == [
        AT,
        1,
        "Hva mener du?",
        "Innspill",
        None,
        "Rad i den lange tabellen",
        4,
    ]


def test_csv_writes_a_file_per_table_and_the_inputs() -> None:
    files = unzip(to_csv.render_zip(_minutes()))
    assert list(files) == [
        "meeting.csv",
        "01-a.csv",
        "01-a-2.csv",
        "01-a-3.csv",
        "01-a-4.csv",
        "inputs.csv",
    ]
    assert read_csv(files["01-a.csv"]) == [
        ["Navn", "Antall", "Snitt"],
        ["Rad én", "2", "3,5"],  # the decimal comma, for Nordic Excel
        ["Rad to\n+ slått sammen", "10", "1,25"],
    ]
    assert read_csv(files["01-a-2.csv"]) == [
        ["Tid", "Tekst"],
        ["2023-11-14 23:31:19", "Bare i arkene"],
    ]
    assert read_csv(files["01-a-3.csv"])[0] == ["", "Utsagn", "Svar", "%"]
    assert read_csv(files["01-a-4.csv"])[1] == ["1", "Best\n+ nest best", "7,5", "60"]
    assert read_csv(files["inputs.csv"])[1][5] == "Rad i den lange tabellen"


# Quoted kind names: "poll", 'notes' … A record key that happens to share a kind's name is
# the kinds' business too (facilitate/core/kinds), so it may not appear in an exporter either.
def _naming_kinds(source: str) -> list[str]:
    names = "|".join(re.escape(kind) for kind in KINDS)
    return re.findall(rf"""["']({names})["']""", source)


@pytest.mark.parametrize(
    "path",
    sorted(EXPORT.glob("*.py")),
    ids=lambda p: p.name,
)
def test_no_exporter_names_a_kind(path: Path) -> None:
    assert _naming_kinds(path.read_text("utf-8")) == [], path.name


def test_the_kind_check_sees_a_kind_switch() -> None:
    assert _naming_kinds("if s.kind == \"poll\":\n    x = activity.get('notes')") == [
        "poll",
        "notes",
    ]
    assert _naming_kinds('"kind_poll" polls notes') == []
