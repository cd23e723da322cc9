"""The JSON export is the full record, and every record fits the versioned JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from core.helpers import Run
from core.test_meeting import AGENDA, busy_meeting

from facilitate.core import record as records
from facilitate.export import minutes_json

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "record-schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_the_schema_is_draft_2020_12_and_names_the_records_version() -> None:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + records.SCHEMA)
    assert schema["properties"]["schema"]["const"] == records.SCHEMA == "facilitate.record/2"


def test_the_export_is_the_record_and_fits_the_schema(
    record: dict[str, Any], nb: Any, validator: jsonschema.Draft202012Validator
) -> None:
    text = minutes_json(record, nb)
    assert json.loads(text) == record
    assert "Æ Ø Å" in text  # not \u-escaped
    validator.validate(json.loads(text))


@pytest.mark.parametrize("which", ["busy", "empty", "ended at once"])
def test_other_records_fit_the_schema(
    which: str, validator: jsonschema.Draft202012Validator
) -> None:
    if which == "busy":
        log = busy_meeting().log
    else:
        run = Run(*AGENDA)
        if which == "ended at once":
            run.fac("end")
        log = run.log
    errors = list(validator.iter_errors(records.build(log)))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@pytest.mark.parametrize(
    "break_it",
    [
        lambda r: r.pop("schema"),
        lambda r: r.update(schema="facilitate.record/1"),
        lambda r: r["activities"][3]["notes"][0].update(status="deleted"),
        lambda r: r["activities"][1]["tally"]["counts"].update(ja=-1),
        lambda r: r["meeting"].update(created_at="yesterday"),
        lambda r: r["activities"][5].pop("ranking"),
        lambda r: r["followups"][0].pop("title"),
        lambda r: r["activities"][6]["scores"][0].pop("dont_know"),
        lambda r: r["activities"][6]["scores"][1].update(mean="4,5"),
        lambda r: r["activities"][7]["positions"][0].update(quadrant="middle"),
        lambda r: r["activities"][7].pop("x"),
    ],
)
def test_a_broken_record_does_not_fit(
    record: dict[str, Any], break_it: Any, validator: jsonschema.Draft202012Validator
) -> None:
    break_it(record)
    assert not validator.is_valid(record)
