"""Plain HTML forms read into a kind's commands (Kind.from_form): the same commands the live
page sends, and what only a form can get wrong refused with a code of its own."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, strategies as st

from facilitate.core.errors import CommandError
from facilitate.core.events import FORM
from facilitate.core.kinds import KINDS
from facilitate.core.kinds.forms import whole
from facilitate.core.kinds.ranking import order_from_places

from .helpers import Run, notes, painjoy, poll, qa


def commands(run: Run, activity: str, pid: str = "p1", **form: Any) -> list[tuple[str, Any]]:
    state = run.state(activity)
    posted = {k: v if isinstance(v, list) else [v] for k, v in form.items()}
    found = state.kind.from_form(state, posted, pid)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("typed", "number"), [("7", 7), (" 12 ", 12), ("-3", -3), ("+2", 2), ("", None), ("  ", None)]
)
def test_when_a_whole_number_is_typed_then_it_is_read(typed: str, number: int | None) -> None:
    assert whole(typed) == number


@pytest.mark.parametrize("typed", ["7.5", "sju", "٣", "1e3", "--1", "1234567"])
def test_when_a_number_is_not_a_whole_number_then_it_is_refused(typed: str) -> None:
    with pytest.raises(CommandError) as refused:
        whole(typed)
    assert refused.value.code == "not_a_number"


def test_when_a_ranking_is_numbered_then_the_numbers_give_the_order() -> None:
    assert order_from_places(["i1", "i2", "i3"], [3, 1, 2]) == ["i2", "i3", "i1"]
    assert order_from_places(["i1", "i2"], [None, None]) == []  # none at all: withdrawn
    for places, code in (
        ([1, 1, 2], "same_place"),
        ([1, 2, None], "bad_place"),
        ([1, 2, 4], "bad_place"),
        ([0, 1, 2], "bad_place"),
    ):
        with pytest.raises(CommandError) as refused:
            order_from_places(["i1", "i2", "i3"], places)
        assert (refused.value.code, refused.value.params) == (code, {"n": 3})


@given(st.permutations([1, 2, 3, 4, 5]))
def test_any_numbering_of_every_item_once_is_a_whole_order(places: list[int]) -> None:
    ids = ["i1", "i2", "i3", "i4", "i5"]
    order = order_from_places(ids, places)
    assert sorted(order) == sorted(ids)
    assert [places[ids.index(item)] for item in order] == [1, 2, 3, 4, 5]


def test_when_a_poll_form_is_read_then_it_is_a_vote_or_a_withdrawal() -> None:
    run = Run(poll(multiple=True))
    assert commands(run, "poll", choice=["a", "c"], do="vote") == [
        ("vote", {"activity": "poll", "choices": ["a", "c"]})
    ]
    assert commands(run, "poll", do="withdraw") == [("vote", {"activity": "poll", "choices": []})]
    with pytest.raises(CommandError) as refused:
        commands(run, "poll", do="vote")
    assert refused.value.code == "nothing_chosen"


def test_when_board_forms_are_read_then_they_are_notes_dots_and_upvotes() -> None:
    run = Run(notes(columns=["Hvor", "Når"]), painjoy(), qa())
    assert commands(run, "ideas", text="Lys", column="1") == [
        ("note", {"activity": "ideas", "text": "Lys", "column": 1})
    ]
    assert commands(run, "pj", text="Mørkt", side="pain") == [
        ("note", {"activity": "pj", "text": "Mørkt", "side": "pain"})
    ]
    assert commands(run, "pj", dot="n4 -1") == [
        ("dot", {"activity": "pj", "note": "n4", "delta": -1})
    ]
    assert commands(run, "qa", upvote="n2 0") == [
        ("upvote", {"activity": "qa", "note": "n2", "up": False})
    ]
    with pytest.raises(CommandError):
        commands(run, "pj", dot="n4 5")


def test_when_a_form_s_commands_are_handled_then_they_are_the_live_page_s_marked_form() -> None:
    """A form's commands go through the same rules: a note too long is refused as the live
    page's is, and one that fits is posted, marked as having come by form."""
    run = Run(notes(max_length=20))
    run.join("p1")
    run.show("ideas")
    ((command, data),) = commands(run, "ideas", text="x" * 21)
    assert run.refused("p1", command, **data).code == "too_long"
    ((command, data),) = commands(run, "ideas", text="Lys i parken")
    (posted,) = run.do("p1", command, **data, channel=FORM)
    assert posted.data["channel"] == "form"


def test_every_kind_that_takes_input_reads_forms() -> None:
    for name, kind in KINDS.items():
        takes = type(kind).from_form is not type(KINDS["info"]).from_form
        assert takes == kind.takes_input, name
