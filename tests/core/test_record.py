"""The meeting record, built from the event log alone: tallies, notes and their fate, timestamps."""

from __future__ import annotations

import json

import pytest

from facilitate.core import record
from facilitate.core.events import FACILITATOR
from facilitate.core.plan import plan_from_dict

from .helpers import T0, T0_ISO, Run, info, notes, painjoy, poll


def t(seconds: int) -> str:
    """The ISO time `seconds` after the meeting was created (T0 is 22:13:20Z)."""
    assert 0 <= seconds < 40
    return f"2023-11-14T22:13:{20 + seconds:02d}Z"


def plan():
    return plan_from_dict(
        {
            "title": "Nabolagsmøte",
            "description": "Om parken",
            "activities": [
                info("welcome"),
                poll("poll", none_option=True),
                notes("ideas"),
                painjoy("pj"),
            ],
        }
    )


def meeting() -> Run:
    run = Run(plan=plan())
    run.join("p1", "p2", "p3")  # 1, 2, 3
    assert run.meeting.join("p1", T0 + 3) == []  # a second arrival is no news
    run.show("welcome", present=3)  # 4
    run.show("poll", present=3)  # 5: shown and opened
    run.do("p1", "vote", activity="poll", choices=["a"])  # 6
    run.do("p2", "vote", activity="poll", choices=["none"])  # 7
    run.do("p3", "vote", activity="poll", choices=["b"])  # 8
    run.fac("close", activity="poll", present=2)  # 9
    run.show("ideas", present=4)  # 10
    run.post("p1", "ideas", "Mer lys")  # 11: n1
    run.post("p2", "ideas", "Tull")  # 12: n2
    run.fac("hide", activity="ideas", note="n2", reason="off topic")  # 13
    run.post("p3", "ideas", "Lys!")  # 14: n3
    run.fac("merge", activity="ideas", into="n1", notes=["n3"])  # 15
    run.show("pj", present=3)  # 16
    run.post("p1", "pj", "Kø", side="pain")  # 17: n4
    run.post("p2", "pj", "Park", side="joy")  # 18: n5
    run.fac("phase", activity="pj", phase="dots")  # 19
    run.dot("p3", "pj", "n4")  # 20
    run.dot("p3", "pj", "n4")  # 21
    run.dot("p1", "pj", "n5")  # 22
    return run


def note(id, text, posted, **extra):
    return {
        "id": id,
        "text": text,
        "posted_at": posted,
        "column": None,
        "side": None,
        "status": "visible",
        "merged_into": None,
        "merged": [],
        "held": None,
        "dots": 0,
        **extra,
    }


def test_when_a_record_is_built_from_a_log_then_it_holds_the_whole_meeting():
    run = meeting()
    assert record.build(run.log) == {
        "schema": "facilitate.record/2",
        "meeting": {
            "code": "ABCD",
            "title": {"nb": "Nabolagsmøte"},
            "language": "nb",
            "description": {"nb": "Om parken"},
            "created_at": T0_ISO,
            "ended_at": None,
            "last_event_at": t(22),
            "details": {},
            "published": False,
            "rules": "",
        },
        "participants": {
            "joined": 3,
            "opened": 3,
            "peak_connected": 4,
            "joins": [{"minute": "2023-11-14T22:13:00Z", "joined": 3, "total": 3}],
        },
        "activities": [
            {
                "id": "welcome",
                "kind": "info",
                "title": {"nb": "Velkommen"},
                "shown_at": [t(4)],
                "opened_at": [],
                "closed_at": [],
                "present_when_shown": [3],
            },
            {
                **run.plan.activity("poll").to_dict(),
                "shown_at": [t(5)],
                "opened_at": [t(5)],
                "closed_at": [t(9)],
                "present_when_shown": [3],
                "responders": 3,
                "tally": {"counts": {"a": 1, "b": 1, "c": 0, "none": 1}, "voters": 3},
            },
            {
                **run.plan.activity("ideas").to_dict(),
                "shown_at": [t(10)],
                "opened_at": [t(10)],
                "closed_at": [],
                "present_when_shown": [4],
                "responders": 3,
                "notes": [
                    note("n1", "Mer lys", t(11), merged=["n3"]),
                    note("n3", "Lys!", t(14), status="merged", merged_into="n1"),
                ],
                "moderation": [
                    {
                        **{k: v for k, v in note("n2", "Tull", t(12)).items() if k != "dots"},
                        "status": "hidden",
                        "reason": "off topic",
                        "dots_withdrawn": 0,
                    }
                ],
                "hidden": 1,
                "held": 0,
                "released": 0,
            },
            {
                **run.plan.activity("pj").to_dict(),
                "shown_at": [t(16)],
                "opened_at": [t(16)],
                "closed_at": [],
                "present_when_shown": [3],
                "responders": 3,
                "notes": [
                    note("n4", "Kø", t(17), side="pain", dots=2),
                    note("n5", "Park", t(18), side="joy", dots=1),
                ],
                "moderation": [],
                "hidden": 0,
                "held": 0,
                "released": 0,
                "phase": "dots",
                "ranking": {
                    "pain": [{"id": "n4", "text": "Kø", "dots": 2, "merged": 0}],
                    "joy": [{"id": "n5", "text": "Park", "dots": 1, "merged": 0}],
                },
                "dots_placed": 3,
            },
        ],
        "decisions": [],
        "questions": [],
        "next_steps": [],
        "followups": [],
        "events": 1 + 3 + 1 + 2 + 3 + 1 + 2 + 2 + 1 + 1 + 1 + 2 + 2 + 1 + 3,
    }
    assert record.build(run.log)["events"] == len(run.log)


def test_when_a_meeting_has_only_begun_then_the_record_is_empty_but_complete():
    run = Run(plan=plan())
    built = record.build(run.log)
    assert built["meeting"]["created_at"] == built["meeting"]["last_event_at"] == T0_ISO
    assert built["participants"] == {"joined": 0, "opened": 0, "peak_connected": 0, "joins": []}
    assert built["events"] == 1
    assert [a.get("responders") for a in built["activities"]] == [None, 0, 0, 0]
    assert built["activities"][1]["tally"] == {
        "counts": {"a": 0, "b": 0, "c": 0, "none": 0},
        "voters": 0,
    }


def test_when_a_hidden_note_is_restored_then_it_is_public_again_and_a_merge_of_one_is_refused():
    run = Run(plan=plan())
    run.show("ideas")
    run.post("p1", "ideas", "a")
    run.post("p1", "ideas", "Ola på nr. 5 selger")
    run.post("p1", "ideas", "c")
    for note_id in ("n1", "n2"):
        run.fac("hide", activity="ideas", note=note_id, reason="personal")
    run.fac("restore", activity="ideas", note="n1")
    assert run.refused(FACILITATOR, "merge", activity="ideas", into="n3", notes=["n2"]).code == (
        "merge_hidden"
    )
    ideas = record.build(run.log)["activities"][2]
    assert [(n["id"], n["status"]) for n in ideas["notes"]] == [
        ("n1", "visible"),
        ("n3", "visible"),
    ]
    assert [(n["id"], n["text"], n["status"], n["reason"]) for n in ideas["moderation"]] == [
        ("n2", "Ola på nr. 5 selger", "hidden", "personal")
    ]
    assert ideas["hidden"] == 1


def test_when_a_note_with_merged_notes_is_hidden_then_they_are_withheld_with_it():
    run = Run(plan=plan())
    run.show("ideas")
    for text in ("alpha", "bravo", "charlie"):
        run.post("p1", "ideas", text)
    run.fac("merge", activity="ideas", into="n1", notes=["n2"])
    run.fac("hide", activity="ideas", note="n1", reason="off topic")
    ideas = record.build(run.log)["activities"][2]
    assert [n["id"] for n in ideas["notes"]] == ["n3"]
    assert [(n["id"], n["status"], n["reason"], n["merged_into"]) for n in ideas["moderation"]] == [
        ("n1", "hidden", "off topic", None),
        ("n2", "merged", None, "n1"),
    ]
    shown = record.public(record.build(run.log))
    assert "alpha" not in repr(shown) and "bravo" not in repr(shown)


def test_when_notes_are_merged_in_a_chain_then_the_record_lists_every_merged_note():
    run = Run(plan=plan())
    run.show("ideas")
    for text in ("a", "b", "c"):
        run.post("p1", "ideas", text)
    run.fac("merge", activity="ideas", into="n2", notes=["n1"])
    run.fac("merge", activity="ideas", into="n3", notes=["n2"])
    notes_now = record.build(run.log)["activities"][2]["notes"]
    assert [(n["id"], n["merged_into"], n["merged"]) for n in notes_now] == [
        ("n1", "n3", []),
        ("n2", "n3", []),
        ("n3", None, ["n1", "n2"]),
    ]


def test_when_an_activity_is_shown_opened_and_closed_often_then_every_time_is_kept():
    run = Run(plan=plan())
    run.show("poll", present=1)  # 1
    run.fac("close", activity="poll", present=2)  # 2
    run.show("welcome", present=5)  # 3
    run.show("poll", present=3)  # 4
    run.fac("open", activity="poll", present=3)  # 5
    built = record.build(run.log)["activities"][1]
    assert (
        built["shown_at"],
        built["opened_at"],
        built["closed_at"],
        built["present_when_shown"],
    ) == ([t(1), t(4)], [t(1), t(5)], [t(2)], [1, 3])
    assert record.build(run.log)["participants"]["peak_connected"] == 5


def test_when_a_record_is_built_then_it_is_plain_json():
    built = record.build(meeting().log)
    assert json.loads(json.dumps(built)) == built


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (None, None),
        (0, "1970-01-01T00:00:00Z"),
        (1.9, "1970-01-01T00:00:01Z"),
        (T0, T0_ISO),
        (T0 + 0.5, T0_ISO),
        (1_719_792_000, "2024-07-01T00:00:00Z"),
    ],
)
def test_when_a_time_is_written_then_it_is_iso_8601_utc_to_the_second(at, expected):
    assert record.iso(at) == expected


def test_when_the_facilitator_adds_to_the_account_then_the_record_keeps_it_all():
    from .test_meeting import busy_meeting

    built = record.build(busy_meeting().log)
    assert built["meeting"]["details"] == {"place": "Kulturhuset", "purpose": "Trygghet i sentrum"}
    assert built["meeting"]["published"] is True
    assert built["meeting"]["ended_at"] is not None
    assert [(d["text"], d["removed"]) for d in built["decisions"]] == [("Bedre lys i parken", True)]
    assert [q["text"] for q in built["questions"]] == ["Hvem eier gangveien?"]
    assert [(f["title"], f["removed"]) for f in built["followups"]] == [
        ("Lyset er på plass", True),
        ("Lyset er på plass", False),
    ]


def test_when_results_are_public_then_hidden_notes_reasons_and_removed_entries_are_left_out():
    from .test_meeting import busy_meeting

    shown = record.public(record.build(busy_meeting().log))
    text = repr(shown)
    assert "Tull" not in text and "off topic" not in text  # the hidden note and its reason
    assert "Bedre lys i parken" not in text  # a removed decision
    assert [f["text"] for f in shown["followups"]] == ["Kommunen har satt opp lys i parken."]
    pj = next(a for a in shown["activities"] if a["id"] == "pj")
    assert {n["text"] for n in pj["notes"]} == {"Trafikk", "Parken"}
