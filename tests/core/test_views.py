"""What each role sees: screen and phones only what the facilitator lets through, console all."""

from __future__ import annotations

import re
from typing import Any

from budget import examples
from hypothesis import given, settings, strategies as st

from facilitate.core import views
from facilitate.core.errors import CommandError

from .helpers import Run, info, notes, painjoy, poll

PRESENCE = views.Presence(phones=3, screens=1, consoles=2)
BASE = {
    "code": "ABCD",
    "title": {"nb": "Nabolagsmøte"},
    "language": "nb",
    "count": 6,
    "ended": False,
    "published": False,
}


def meeting() -> Run:
    return Run(
        info("welcome", text="Hei"),
        poll("poll", none_option=True),
        poll("secret", results="reveal"),
        notes("ideas", columns=["Bra", "Dårlig"]),
        painjoy("pj"),
        painjoy("quiet", results="reveal"),
    )


def screen(run: Run) -> dict[str, Any]:
    return views.screen(run.meeting, PRESENCE)


def phone(run: Run) -> dict[str, Any]:
    return views.phone(run.meeting, PRESENCE)


def console(run: Run) -> dict[str, Any]:
    return views.console(run.meeting, PRESENCE)


def note_ids(view: Any) -> set[str]:
    """Every note id anywhere in a view."""
    found: set[str] = set()
    if isinstance(view, dict):
        if isinstance(view.get("id"), str) and re.fullmatch(r"n\d+", view["id"]):
            found.add(view["id"])
        for value in view.values():
            found |= note_ids(value)
    elif isinstance(view, list):
        for value in view:
            found |= note_ids(value)
    return found


def board_with_hidden_and_merged(activity: str, **kinds: str) -> tuple[Run, dict[str, str]]:
    """Notes a (visible), b (merged into a), h (hidden), v (visible) on `activity`."""
    run = meeting()
    run.show(activity)
    extra = {"kind": "pain"} if activity in ("pj", "quiet") else {"column": 0}
    ids = {
        name: run.post("p1" if name != "v" else "p2", activity, f"text {name}", **extra)
        for name in "abhv"
    }
    run.fac("merge", activity=activity, into=ids["a"], notes=[ids["b"]])
    run.fac("hide", activity=activity, note=ids["h"], reason="personal")
    return run, ids


# -- the lobby ---------------------------------------------------------------------------------


def test_when_no_activity_is_current_then_every_view_shows_the_lobby():
    run = meeting()
    assert screen(run) == {**BASE, "participants": 3, "activity": None}
    assert phone(run) == {
        **BASE,
        "rules": "",
        "activity": None,
    }  # no count: no re-render on arrival
    assert console(run)["activity"] is None


# -- polls -------------------------------------------------------------------------------------


def test_when_a_poll_has_live_results_then_the_screen_shows_the_tally():
    run = meeting()
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["a"])
    run.do("p2", "vote", activity="poll", choices=["none"])
    assert screen(run) == {
        **BASE,
        "participants": 3,
        "activity": {
            "id": "poll",
            "kind": "poll",
            "title": {"nb": "Hva mener du?"},
            "text": {},
            "position": 2,
            "open": True,
            "show_results": True,
            "options": [
                {"id": "a", "text": {"nb": "A"}},
                {"id": "b", "text": {"nb": "B"}},
                {"id": "c", "text": {"nb": "C"}},
            ],
            "multiple": False,
            "none_option": True,
            "tally": {"counts": {"a": 1, "b": 0, "c": 0, "none": 1}, "voters": 2},
            "responders": 2,
        },
    }
    assert phone(run)["activity"]["tally"] == screen(run)["activity"]["tally"]


def test_when_poll_results_are_concealed_then_neither_screen_nor_phone_has_a_tally():
    run = meeting()
    run.show("secret")
    run.do("p1", "vote", activity="secret", choices=["b"])
    assert "tally" not in screen(run)["activity"]
    assert "tally" not in phone(run)["activity"]
    assert screen(run)["activity"]["responders"] == 1  # how many answered is not a result
    assert console(run)["activity"]["tally"] == {"counts": {"a": 0, "b": 1, "c": 0}, "voters": 1}


def test_when_poll_results_are_revealed_and_concealed_again_then_the_tally_comes_and_goes():
    run = meeting()
    run.show("secret")
    run.do("p1", "vote", activity="secret", choices=["b"])
    run.fac("reveal", activity="secret")
    assert screen(run)["activity"]["tally"] == {"counts": {"a": 0, "b": 1, "c": 0}, "voters": 1}
    assert phone(run)["activity"]["tally"] == {"counts": {"a": 0, "b": 1, "c": 0}, "voters": 1}
    run.fac("conceal", activity="secret")
    assert "tally" not in screen(run)["activity"] and "tally" not in phone(run)["activity"]


# -- notes -------------------------------------------------------------------------------------


def test_when_notes_are_hidden_or_merged_then_the_screen_shows_only_the_visible_ones():
    run, ids = board_with_hidden_and_merged("ideas")
    assert screen(run)["activity"]["notes"] == [
        {"id": ids["a"], "text": "text a", "merged": 1, "column": 0},
        {"id": ids["v"], "text": "text v", "merged": 0, "column": 0},
    ]
    assert "text h" not in repr(screen(run)) and "text b" not in repr(screen(run))


def test_when_notes_are_collected_then_phones_do_not_see_each_others_notes():
    run, ids = board_with_hidden_and_merged("ideas")
    assert note_ids(phone(run)) == set()
    assert phone(run)["activity"]["columns"] == [{"nb": "Bra"}, {"nb": "Dårlig"}]


def test_when_the_console_looks_at_a_board_then_it_sees_every_note_with_status_and_dots():
    run, ids = board_with_hidden_and_merged("ideas")
    a, b, h, v = ids["a"], ids["b"], ids["h"], ids["v"]
    assert console(run)["activity"]["notes"] == [
        {
            "id": a,
            "text": "text a",
            "merged": 1,
            "column": 0,
            "status": "visible",
            "reason": "",
            "held": None,
            "merged_into": None,
            "dots": 0,
        },
        {
            "id": b,
            "text": "text b",
            "merged": 0,
            "column": 0,
            "status": "merged",
            "reason": "",
            "held": None,
            "merged_into": a,
            "dots": 0,
        },
        {
            "id": h,
            "text": "text h",
            "merged": 0,
            "column": 0,
            "status": "hidden",
            "reason": "personal",
            "held": None,
            "merged_into": None,
            "dots": 0,
        },
        {
            "id": v,
            "text": "text v",
            "merged": 0,
            "column": 0,
            "status": "visible",
            "reason": "",
            "held": None,
            "merged_into": None,
            "dots": 0,
        },
    ]


def test_when_the_console_is_rendered_then_it_has_the_agenda_and_who_is_connected():
    run = meeting()
    run.join("p1", "p2")
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["a"])
    view = console(run)
    assert {k: v for k, v in view.items() if k not in ("activity", "agenda")} == {
        **BASE,
        "participants": 3,
        "current": "poll",
        "screens": 1,
        "alerts": [],
        "consoles": 2,
        "joined": 2,
        "rules": "",
        "report": {"details": {}, "items": [], "followups": []},
    }
    assert [(a["id"], a["open"], a["started"], a["responders"]) for a in view["agenda"]] == [
        ("welcome", False, False, 0),
        ("poll", True, True, 1),
        ("secret", False, False, 0),
        ("ideas", False, False, 0),
        ("pj", False, False, 0),
        ("quiet", False, False, 0),
    ]


# -- pain/joy points ---------------------------------------------------------------------------


def test_when_painjoy_collects_notes_then_the_screen_shows_visible_points_only():
    run, ids = board_with_hidden_and_merged("pj")
    assert screen(run)["activity"]["notes"] == [
        {"id": ids["a"], "text": "text a", "merged": 1, "kind": "pain"},
        {"id": ids["v"], "text": "text v", "merged": 0, "kind": "pain"},
    ]


def test_when_painjoy_is_in_the_dots_phase_then_screen_and_phone_rank_visible_points():
    run, ids = board_with_hidden_and_merged("pj")
    run.fac("phase", activity="pj", phase="dots")
    run.dot("p3", "pj", ids["v"])
    ranking = {
        "pain": [
            {"id": ids["v"], "text": "text v", "dots": 1, "merged": 0},
            {"id": ids["a"], "text": "text a", "dots": 0, "merged": 1},
        ],
        "joy": [],
    }
    assert screen(run)["activity"]["ranking"] == ranking
    assert phone(run)["activity"]["ranking"] == ranking
    assert phone(run)["activity"]["phase"] == "dots"


def test_when_painjoy_results_are_concealed_then_phones_get_points_in_posting_order_without_dots():
    run, ids = board_with_hidden_and_merged("quiet")
    run.fac("phase", activity="quiet", phase="dots")
    run.dot("p3", "quiet", ids["v"])
    assert phone(run)["activity"]["ranking"] == {
        "pain": [
            {"id": ids["a"], "text": "text a", "merged": 1},
            {"id": ids["v"], "text": "text v", "merged": 0},
        ],
        "joy": [],
    }
    assert "ranking" not in screen(run)["activity"]
    assert "notes" not in screen(run)["activity"]
    assert console(run)["activity"]["ranking"]["pain"][0]["dots"] == 1


def test_when_painjoy_results_are_concealed_then_the_screen_shows_no_notes_while_collecting():
    run, ids = board_with_hidden_and_merged("quiet")
    assert note_ids(screen(run)) == set()
    assert screen(run)["activity"]["responders"] == 2


def test_when_a_painjoy_slide_is_shown_then_its_dot_rules_are_in_the_head():
    run = meeting()
    run.show("pj")
    head = screen(run)["activity"]
    assert {k: head[k] for k in ("phase", "pain_dots", "joy_dots", "dot_cap", "max_length")} == {
        "phase": "notes",
        "pain_dots": 3,
        "joy_dots": 3,
        "dot_cap": 2,
        "max_length": 280,
    }


def test_when_an_info_slide_is_shown_then_it_has_no_results_and_no_responders():
    run = meeting()
    run.show("welcome")
    assert screen(run)["activity"] == {
        "id": "welcome",
        "kind": "info",
        "title": {"nb": "Velkommen"},
        "text": {"nb": "Hei"},
        "position": 1,
        "open": False,
        "show_results": True,
    }


# -- one participant's own view ----------------------------------------------------------------


def test_when_a_participant_has_given_no_input_then_mine_is_empty():
    run = meeting()
    run.show("poll")
    assert views.mine(run.meeting, "p1") == {}


def test_when_a_participant_has_voted_then_mine_shows_their_choices():
    run = meeting()
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["b"])
    assert views.mine(run.meeting, "p1") == {"poll": {"choices": ["b"]}}
    assert views.mine(run.meeting, "p2") == {}


def test_when_a_participant_withdraws_their_vote_then_mine_forgets_the_poll():
    run = meeting()
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["b"])
    run.do("p1", "vote", activity="poll", choices=[])
    assert views.mine(run.meeting, "p1") == {}


def test_when_a_participant_has_notes_then_mine_shows_them_with_status_even_hidden_ones():
    run, ids = board_with_hidden_and_merged("ideas")
    assert views.mine(run.meeting, "p1") == {
        "ideas": {
            "notes": [
                {"id": ids["a"], "text": "text a", "merged": 1, "column": 0, "status": "visible"},
                {"id": ids["b"], "text": "text b", "merged": 0, "column": 0, "status": "merged"},
                {
                    "id": ids["h"],
                    "text": "text h",
                    "merged": 0,
                    "column": 0,
                    "status": "hidden",
                    "reason": "personal",
                },
            ]
        }
    }
    assert views.mine(run.meeting, "p2") == {
        "ideas": {
            "notes": [
                {"id": ids["v"], "text": "text v", "merged": 0, "column": 0, "status": "visible"}
            ]
        }
    }


def test_when_a_participant_places_dots_then_mine_shows_them_and_what_remains():
    run = meeting()
    run.show("pj")
    pain = run.post("p2", "pj", "Kø", side="pain")
    joy = run.post("p2", "pj", "Park", side="joy")
    run.fac("phase", activity="pj", phase="dots")
    run.dot("p1", "pj", pain)
    run.dot("p1", "pj", pain)
    run.dot("p1", "pj", joy)
    assert views.mine(run.meeting, "p1") == {
        "pj": {"dots": {pain: 2, joy: 1}, "remaining": {"pain": 1, "joy": 2}}
    }
    assert views.mine(run.meeting, "p2") == {
        "pj": {
            "notes": [
                {"id": pain, "text": "Kø", "merged": 0, "kind": "pain", "status": "visible"},
                {"id": joy, "text": "Park", "merged": 0, "kind": "joy", "status": "visible"},
            ],
            "remaining": {"pain": 3, "joy": 3},
        }
    }


def test_when_the_facilitator_moves_on_then_mine_still_covers_every_activity():
    run = meeting()
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["a"])
    run.show("ideas")
    note = run.post("p1", "ideas", "Lys", column=1)
    before = views.mine(run.meeting, "p1")
    run.show(None)
    assert (
        views.mine(run.meeting, "p1")
        == before
        == {
            "poll": {"choices": ["a"]},
            "ideas": {
                "notes": [
                    {"id": note, "text": "Lys", "merged": 0, "column": 1, "status": "visible"}
                ]
            },
        }
    )


# -- who must be told when the facilitator touches notes ---------------------------------------


def test_when_a_note_is_hidden_then_its_author_and_everyone_with_dots_on_it_are_affected():
    run = meeting()
    run.show("pj")
    note = run.post("p1", "pj", "Kø", side="pain")
    other = run.post("p4", "pj", "Bråk", side="pain")
    run.fac("phase", activity="pj", phase="dots")
    run.dot("p2", "pj", note)
    run.dot("p3", "pj", other)
    (event,) = run.fac("hide", activity="pj", note=note)
    assert views.affected(run.meeting, event.type, event.data) == {"p1", "p2"}
    (event,) = run.fac("restore", activity="pj", note=note)
    assert views.affected(run.meeting, event.type, event.data) == {"p1", "p2"}
    (event,) = run.fac("merge", activity="pj", into=other, notes=[note])
    assert views.affected(run.meeting, event.type, event.data) == {"p1", "p2", "p3", "p4"}
    assert views.affected(run.meeting, "dot_placed", {"activity": "pj", "note": other}) == set()


# -- property: the screen and phones never leak --------------------------------------------------

_BOARDS = ("ideas", "pj", "quiet")
_SEEDED = [(board, f"n{4 * b + i + 1}") for b, board in enumerate(_BOARDS) for i in range(4)]
_note_ids = st.sampled_from([f"n{i}" for i in range(1, 17)])
_on_board = st.sampled_from(_SEEDED) | st.tuples(st.sampled_from(_BOARDS), _note_ids)
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("note"), st.sampled_from(_BOARDS), st.sampled_from(["pain", "joy"])),
        st.builds(lambda c, target: (c, *target), st.sampled_from(["hide", "restore"]), _on_board),
        st.builds(
            lambda target, sources: ("merge", *target, [n for _, n in sources]),
            _on_board,
            st.lists(_on_board, min_size=1, max_size=2),
        ),
        st.builds(
            lambda b, i: (
                "merge",
                _BOARDS[b],
                f"n{4 * b + i + 1}",
                [f"n{4 * b + (i + 2) % 4 + 1}"],
            ),  # same board, same kind
            st.integers(0, 2),
            st.integers(0, 3),
        ),
        st.tuples(
            st.sampled_from(["reveal", "conceal"]), st.sampled_from(["poll", "secret", *_BOARDS])
        ),
        st.tuples(
            st.just("phase"), st.sampled_from(["pj", "quiet"]), st.sampled_from(["notes", "dots"])
        ),
        st.builds(lambda target: ("dot", *target), _on_board),
        st.tuples(
            st.just("vote"), st.sampled_from(["poll", "secret"]), st.sampled_from(["a", "b", "c"])
        ),
    ),
    min_size=5,
    max_size=40,
)


@settings(max_examples=examples(200), deadline=None)
@given(ops=_ops)
def test_when_anything_happens_then_screen_and_phone_show_only_what_is_let_through(ops):
    run = meeting()
    for activity in ("poll", "secret", "ideas", "pj", "quiet"):
        run.fac("open", activity=activity)
    for board in _BOARDS:
        for i in range(4):
            run.post(
                f"p{i % 3 + 1}",
                board,
                f"seed {board} {i}",
                kind=("pain", "joy")[i % 2],
                column=i % 2,
            )
    run.fac("phase", activity="pj", phase="dots")
    for number, op in enumerate(ops):
        pid = f"p{number % 3 + 1}"
        try:
            match op:
                case ("note", activity, kind):
                    run.do(
                        pid,
                        "note",
                        activity=activity,
                        text=f"note {number}",
                        kind=kind,
                        column=number % 2,
                    )
                case ("merge", activity, into, sources):
                    run.fac("merge", activity=activity, into=into, notes=sources)
                case ("dot", activity, note):
                    run.dot(pid, activity, note)
                case ("vote", activity, choice):
                    run.do(pid, "vote", activity=activity, choices=[choice])
                case ("phase", activity, phase):
                    run.fac("phase", activity=activity, phase=phase)
                case (command, activity, note):
                    run.fac(command, activity=activity, note=note)
                case (command, activity):
                    run.fac(command, activity=activity)
        except CommandError:
            pass
    for activity in run.meeting.activities:
        run.meeting.current = activity
        state = run.state(activity)
        visible = {n.id for n in state.notes.values() if n.status == "visible"}
        for view in (screen(run), phone(run)):
            assert note_ids(view) <= visible
            assert ("tally" in view["activity"]) == (
                state.spec.kind == "poll" and state.show_results
            )
            if not state.show_results:
                assert "dots" not in repr(view["activity"].get("ranking", {}))
                assert "notes" not in view["activity"]
        assert note_ids(console(run)) == set(state.notes)


def test_when_a_board_holds_more_notes_than_a_wall_then_the_newest_are_shown_and_counted():
    from facilitate.core.kinds.boards import CONSOLE_NOTES, WALL_NOTES

    run = Run(notes("wall", max_length=40))
    run.show("wall")
    total = CONSOLE_NOTES + 10
    for n in range(total):
        run.post(f"p{n % 40}", "wall", f"lapp {n}")
    wall = screen(run)["activity"]
    assert [n["text"] for n in wall["notes"]] == [
        f"lapp {n}" for n in range(total - WALL_NOTES, total)
    ]
    assert wall["more_notes"] == total - WALL_NOTES
    listed = console(run)["activity"]
    assert len(listed["notes"]) == CONSOLE_NOTES and listed["total_notes"] == total
    assert listed["notes"][-1]["text"] == f"lapp {total - 1}"


def test_mine_is_own_of_every_activity_that_has_any():
    run = meeting()
    run.show("poll")
    run.do("p1", "vote", activity="poll", choices=["a"])
    run.show("pj")
    run.post("p1", "pj", "Kø", side="pain")
    assert views.mine(run.meeting, "p1") == {
        activity: views.own(run.meeting, "p1", activity)
        for activity in ("poll", "pj")  # the others are empty
    }
    assert views.own(run.meeting, "p1", "ideas") == {}
    assert views.own(run.meeting, "p1", "no-such-activity") == {}


def test_when_notes_are_left_out_then_own_keeps_everything_else_and_the_note_is_one_item():
    run = meeting()
    run.show("pj")
    pain = run.post("p1", "pj", "Kø", side="pain")
    whole = views.own(run.meeting, "p1", "pj")
    assert views.own(run.meeting, "p1", "pj", notes=False) == {"remaining": {"pain": 3, "joy": 3}}
    own, posted = views.acked(run.meeting, "p1", "pj", pain)  # what the note's ack carries
    assert own == views.own(run.meeting, "p1", "pj", notes=False)
    assert whole == {**own, "notes": [posted]}
    assert views.acked(run.meeting, "p1", "pj", None) == (own, None)  # a command that posts none
    assert views.acked(run.meeting, "p1", "no-such-activity", None) == ({}, None)


def test_own_without_notes_is_the_same_size_however_many_notes_a_participant_posted():
    run = meeting()
    run.show("ideas")
    sizes = []
    for n in range(12):
        run.post("p1", "ideas", f"Lapp {n}", column=0)
        sizes.append(len(repr(views.own(run.meeting, "p1", "ideas", notes=False))))
    assert len(views.mine(run.meeting, "p1")["ideas"]["notes"]) == 12
    assert sizes == [sizes[0]] * 12
