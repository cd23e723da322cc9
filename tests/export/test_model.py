"""What every format says, worked out from the record: times, runs, joins, moderation, edges."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from core.helpers import T0, Run, info, make_plan, notes, painjoy, poll
from core.test_meeting import busy_meeting

from facilitate import export
from facilitate.core import record as records
from facilitate.core.blocks import BulletList, safe
from facilitate.export.model import minutes

from . import sample
from .helpers import Page, docx_texts, read_csv, unzip, workbook


def english(message: str) -> str:
    return message


def test_safe_text_keeps_words_and_drops_what_xml_cannot_hold() -> None:
    assert safe("Hei\tpå\ndeg 👋 æøå") == "Hei\tpå\ndeg 👋 æøå"
    assert safe("a\x00b\x0bc\ud800d\ufffee\r\nf") == "abcde\nf"
    assert safe(None) == ""


def test_times_are_in_oslo_summer_and_winter() -> None:
    for at, expected in ((T0, "23:13"), (1_688_000_000.0, "02:53")):  # November, June
        run = Run(info(), code="1")
        run.at = at
        run.show("welcome")
        (section,) = minutes(records.build(run.log), english).sections
        assert section.ran == f"{expected}–"  # still on the screen


def test_each_showing_of_an_activity_runs_until_the_next_or_the_end() -> None:
    run = Run(info("a"), info("b"), info("c"), code="1")
    run.show("a")
    run.at += 300
    run.show("b")
    run.at += 600
    run.show("a")
    run.at += 60
    run.fac("end")
    a, b, c = minutes(records.build(run.log), english).sections
    assert (a.ran, b.ran, c.ran) == ("23:13–23:18, 23:28–23:29", "23:18–23:28", "")


def test_joins_over_hours_come_in_wider_steps_that_add_up() -> None:
    run = Run(poll(), code="1")
    run.show("poll")
    for n in range(40):
        run.join(f"p{n}")
        run.do(f"p{n}", "vote", activity="poll", choices=["a"])  # only those who take part count
        run.at += 300  # one phone every five minutes for 3 h 20 min
    m = minutes(records.build(run.log), english)
    assert m.arrivals_per == 10
    assert len(m.arrivals) <= 24
    assert sum(a.joined for a in m.arrivals) == m.arrivals[-1].total == m.joined == 40
    totals = [a.total for a in m.arrivals]
    assert totals == sorted(totals)


def test_joins_over_days_show_the_date() -> None:
    run = Run(poll(), code="1")
    run.show("poll")
    run.join("p1")
    run.do("p1", "vote", activity="poll", choices=["a"])
    run.at += 3 * 86400
    run.join("p2")
    run.do("p2", "vote", activity="poll", choices=["b"])
    run.join("p3")  # opened the page, never took part: not in the count
    text = export.FORMATS["md"].function(records.build(run.log), english)
    assert "| 2023-11-14 18:00 | 1 | 1 |" in text and "| 2023-11-17 18:00 | 1 | 2 |" in text


def test_when_some_took_part_at_a_kiosk_then_the_minutes_say_how_many_of_them() -> None:
    run = Run(poll(), code="1")
    run.show("poll")
    run.log.extend(run.meeting.join("k1", run.tick(), kiosk=True))
    run.join("p1")
    for pid in ("k1", "p1"):
        run.do(pid, "vote", activity="poll", choices=["a"])
    text = export.FORMATS["md"].function(records.build(run.log), english)
    assert "Phones that took part: 2" in text
    assert "Of them at a kiosk (a shared tablet, one person after another): 1" in text
    book = workbook(export.FORMATS["xlsx"].function(records.build(run.log), english))
    rows = [list(row[:2]) for sheet in book for row in sheet.iter_rows(values_only=True)]
    assert ["Of them at a kiosk", 1] in rows
    plain = Run(poll(), code="1")
    plain.show("poll")
    plain.join("p1")
    plain.do("p1", "vote", activity="poll", choices=["a"])
    assert "kiosk" not in export.FORMATS["md"].function(records.build(plain.log), english)


def test_the_same_reason_twice_is_counted_and_merged_notes_of_a_hidden_one_stay_out() -> None:
    run = Run(notes("ideas"), code="1")
    run.show("ideas")
    first = run.post("p1", "ideas", "Første")
    second = run.post("p2", "ideas", "Andre")
    parent = run.post("p3", "ideas", "Forelder")
    child = run.post("p4", "ideas", "BARNET")
    run.fac("hide", activity="ideas", note=first, reason="navn")
    run.fac("hide", activity="ideas", note=second, reason="navn")
    run.fac("merge", activity="ideas", into=parent, notes=[child])
    run.fac("hide", activity="ideas", note=parent, reason="")
    (section,) = minutes(records.build(run.log), english).sections
    assert section.moderation is not None
    assert section.moderation.hidden == 3
    assert section.moderation.reasons == (("navn", 2), ("no reason given", 1))
    assert not any(isinstance(b, BulletList) for b in section.blocks)
    text = export.FORMATS["md"].function(records.build(run.log), english)
    assert "reasons: navn (2); no reason given" in text
    assert "BARNET" not in text


@pytest.mark.parametrize("fmt", list(export.FORMATS))
@pytest.mark.parametrize("which", ["busy", "nothing happened", "hostile text"])
def test_every_format_copes_with_every_record(fmt: str, which: str) -> None:
    if which == "busy":
        record = records.build(busy_meeting().log)
    elif which == "nothing happened":
        plan = make_plan(info(), poll(), notes(columns=["A", "B"]), painjoy(), language="sv")
        record = records.build(Run(plan=plan, code="1").log)
    else:  # what the core cleans away, in case a record ever holds it
        record = sample.sample_record()
        note = record["activities"][4]["notes"][0]
        note["text"] = "null\x00byte \ud800 \ufffe ok"
        record["meeting"]["details"]["place"] = "\x07Ås"
    data = export.export(copy.deepcopy(record), fmt, english)
    assert data
    if fmt in ("docx",):
        docx_texts(data)
    elif fmt == "xlsx":
        workbook(data)
    elif fmt == "csv":
        for name, body in unzip(data).items():
            read_csv(body), name
    elif fmt == "csv-long":
        read_csv(data)
    elif fmt == "html":
        assert not Page(data.decode("utf-8")).problems
    if which == "hostile text" and fmt != "json":
        assert b"\x00" not in data.replace(b"\x00\x00", b"") or fmt in ("docx", "xlsx", "csv")


def test_the_formats_table_names_media_types_and_files() -> None:
    assert set(export.FORMATS) == {"md", "html", "docx", "xlsx", "csv", "csv-long", "json"}
    assert export.filename("docx", "482913") == "minutes-482913.docx"
    assert export.filename("csv", "482913") == "minutes-482913.zip"
    assert export.filename("csv-long", "482913") == "inputs-482913.csv"
    assert export.filename("json", "482913") == "record-482913.json"
    assert export.filename("md", '4"2/\\') == "minutes-42.md"
    for fmt, (function, media_type, extension) in export.FORMATS.items():
        assert callable(function) and "/" in media_type and extension.isalpha(), fmt


def test_the_model_leaves_removed_entries_out(record: dict[str, Any]) -> None:
    m = minutes(record, english)
    parts = {p.key: [e.text for e in p.entries] for p in m.parts}
    assert parts == {
        "decisions": [sample.DECISION],
        "questions": [sample.QUESTION],
        "next_steps": [sample.NEXT_STEP],
        "followups": [sample.FOLLOWUP[1]],
    }
