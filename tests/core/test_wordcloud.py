"""Word clouds: the agenda's fields, phones' words, moderation, views, record and minutes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from facilitate import i18n
from facilitate.core import record, views
from facilitate.core.plan import PlanError
from facilitate.export.markdown import minutes_markdown

from .helpers import Run, make_plan

PRESENCE = views.Presence(phones=3)


@pytest.fixture(scope="module")
def nb() -> Any:
    return i18n.load_catalogs()["nb"].gettext


def wordcloud(id: str = "wc", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": "wordcloud", "title": "Ett ord om sentrum", **extra}


def cloud_run(**extra: Any) -> Run:
    run = Run(wordcloud(**extra), {"id": "end", "kind": "info", "title": "Takk"})
    run.show("wc")
    return run


def send(run: Run, pid: str, *words: str) -> list[Any]:
    return run.do(pid, "words", activity="wc", words=list(words))


def screen(run: Run) -> dict[str, Any]:
    return views.screen(run.meeting, PRESENCE)["activity"]


def console(run: Run) -> dict[str, Any]:
    return views.console(run.meeting, PRESENCE)["activity"]


def entry(run: Run) -> dict[str, Any]:
    return next(a for a in record.build(run.log)["activities"] if a["id"] == "wc")


# -- the agenda -------------------------------------------------------------------------------


def test_a_word_cloud_asks_for_three_words_and_holds_personal_ones_by_default() -> None:
    settings = make_plan(wordcloud()).activities[0].settings
    assert (settings.max_words, settings.hold_personal) == (3, True)


@pytest.mark.parametrize("max_words", [0, 4, -1, 2.5, "3", True])
def test_max_words_out_of_range_is_a_located_problem(max_words: object) -> None:
    with pytest.raises(PlanError) as raised:
        make_plan(wordcloud(max_words=max_words))
    (problem,) = raised.value.problems
    assert (problem.field, problem.code) == ("activities[0].max_words", "whole_number")
    assert (problem.params["low"], problem.params["high"], problem.params["activity"]) == (1, 3, 1)


def test_hold_personal_must_be_true_or_false() -> None:
    with pytest.raises(PlanError) as raised:
        make_plan(wordcloud(hold_personal="yes"))
    (problem,) = raised.value.problems
    assert (problem.field, problem.code) == ("activities[0].hold_personal", "true_false")


# -- phones' words ----------------------------------------------------------------------------


def test_a_phones_words_replace_its_earlier_ones() -> None:
    run = cloud_run()
    send(run, "p1", "Mørkt", "Utrygt")
    send(run, "p1", "Trygt")
    assert [(w["word"], w["count"]) for w in screen(run)["words"]] == [("trygt", 1)]
    assert views.mine(run.meeting, "p1") == {
        "wc": {"words": [{"text": "Trygt", "status": "visible"}]}
    }


def test_the_same_words_again_change_nothing() -> None:
    run = cloud_run()
    send(run, "p1", "Mørkt", "Mer lys")
    assert send(run, "p1", "Mørkt", " Mer  lys ") == []  # the same once cleaned


def test_an_empty_list_withdraws_a_phones_words_and_it_no_longer_counts_as_answering() -> None:
    run = cloud_run()
    send(run, "p1", "Mørkt")
    send(run, "p1")
    assert screen(run)["words"] == [] and screen(run)["responders"] == 0
    assert send(run, "p1") == []  # nothing to withdraw
    assert views.mine(run.meeting, "p1") == {}


def test_a_word_counts_every_phone_that_sends_it_in_any_spelling() -> None:
    run = cloud_run()
    send(run, "p1", "Mørkt", "Trygt")
    send(run, "p2", "mørkt")
    send(run, "p3", "MØRKT.")
    assert screen(run)["words"] == [
        {"word": "mørkt", "text": "Mørkt", "count": 3},
        {"word": "trygt", "text": "Trygt", "count": 1},
    ]
    assert screen(run)["responders"] == 3


@pytest.mark.parametrize(
    ("words", "code", "params"),
    [
        (["a", "b"], "too_many_words", {"limit": 1}),
        ([""], "empty_word", {}),
        (["x" * 41], "word_too_long", {"limit": 40}),
    ],
)
def test_a_wrong_list_is_refused_and_keeps_the_earlier_words(
    words: list[str], code: str, params: dict[str, int]
) -> None:
    run = cloud_run(max_words=1)
    send(run, "p1", "Mørkt")
    refused = run.refused("p1", "words", activity="wc", words=words)
    assert (refused.code, refused.params) == (code, params)
    assert [w["word"] for w in screen(run)["words"]] == ["mørkt"]


def test_the_same_word_twice_is_refused() -> None:
    run = cloud_run()
    assert run.refused("p1", "words", activity="wc", words=["Lys", "lys!"]).code == "same_word"


def test_words_are_refused_once_input_is_closed() -> None:
    run = cloud_run()
    run.fac("close", activity="wc")
    assert run.refused("p1", "words", activity="wc", words=["Mørkt"]).code == "closed"


def test_results_on_reveal_are_hidden_from_screen_and_phones_until_revealed() -> None:
    run = cloud_run(results="reveal")
    send(run, "p1", "Mørkt")
    assert "words" not in screen(run)
    assert "words" not in views.phone(run.meeting, PRESENCE)["activity"]
    assert [w["word"] for w in console(run)["words"]] == ["mørkt"]  # the facilitator sees
    run.fac("reveal", activity="wc")
    assert [w["text"] for w in views.phone(run.meeting, PRESENCE)["activity"]["words"]] == ["Mørkt"]


def test_the_screen_shows_the_hundred_words_most_phones_sent_and_counts_the_rest() -> None:
    run = cloud_run(max_words=1)
    for n in range(105):
        send(run, f"p{n}", f"ord{n}")
    send(run, "p999", "ord104")
    shown = screen(run)
    assert len(shown["words"]) == 100 and shown["more_words"] == 5
    assert shown["words"][0] == {"word": "ord104", "text": "ord104", "count": 2}


# -- moderation -------------------------------------------------------------------------------


def test_a_hidden_word_is_gone_from_the_screen_and_phones_but_its_phones_see_it_marked() -> None:
    run = cloud_run()
    send(run, "p1", "Tulleord", "Mørkt")
    send(run, "p2", "tulleord")
    send(run, "p3", "Mørkt")
    events = run.fac("hide_word", activity="wc", word="TULLEORD", reason="off topic")
    assert events[0].data == {"activity": "wc", "word": "tulleord", "reason": "off topic"}
    assert views.affected(run.meeting, "word_hidden", events[0].data) == {"p1", "p2"}
    for view in (views.screen(run.meeting, PRESENCE), views.phone(run.meeting, PRESENCE)):
        assert "tulleord" not in json.dumps(view).casefold()
    assert "tulleord" not in json.dumps(views.mine(run.meeting, "p3")).casefold()
    assert views.mine(run.meeting, "p1")["wc"]["words"][0] == {
        "text": "Tulleord",
        "status": "hidden",
        "reason": "off topic",
    }
    listed = {w["word"]: w for w in console(run)["words"]}
    assert listed["tulleord"]["status"] == "hidden" and listed["tulleord"]["count"] == 2


def test_a_hidden_word_stays_hidden_for_phones_that_send_it_later() -> None:
    run = cloud_run()
    send(run, "p1", "Tull")
    run.fac("hide_word", activity="wc", word="tull")
    send(run, "p2", "TULL!")
    assert screen(run)["words"] == []
    assert views.mine(run.meeting, "p2")["wc"]["words"][0]["status"] == "hidden"


def test_a_restored_word_is_shown_again_with_its_count() -> None:
    run = cloud_run()
    send(run, "p1", "Tull")
    send(run, "p2", "tull")
    run.fac("hide_word", activity="wc", word="tull")
    run.fac("restore_word", activity="wc", word="Tull")
    assert screen(run)["words"] == [{"word": "tull", "text": "Tull", "count": 2}]


@pytest.mark.parametrize(
    ("command", "word", "code"),
    [
        ("hide_word", "aldri sendt", "unknown_word"),
        ("hide_word", "tull", "word_hidden"),
        ("restore_word", "mørkt", "word_not_hidden"),
        ("release_word", "mørkt", "word_not_held"),
        ("restore_word", "aldri sendt", "unknown_word"),
    ],
)
def test_moderating_a_word_that_cannot_be_is_refused(command: str, word: str, code: str) -> None:
    run = cloud_run()
    send(run, "p1", "Tull", "Mørkt")
    run.fac("hide_word", activity="wc", word="tull")
    assert run.refused("facilitator", command, activity="wc", word=word).code == code


def test_a_name_waits_for_the_facilitator_until_let_through() -> None:
    run = cloud_run()
    (event,) = send(run, "p1", "Kari Hansen", "Mørkt")
    assert event.data["held"] == ["name", None]
    assert [w["word"] for w in screen(run)["words"]] == ["mørkt"]
    assert console(run)["held"] == 1
    assert console(run)["words"][0] == {
        "word": "kari hansen",
        "text": "Kari Hansen",
        "count": 1,
        "status": "held",
        "reason": None,
        "held": "name",
    }
    assert views.mine(run.meeting, "p1")["wc"]["words"][0]["held"] == "name"
    run.fac("release_word", activity="wc", word="kari hansen")
    assert [w["word"] for w in screen(run)["words"]] == ["kari hansen", "mørkt"]
    send(run, "p2", "Kari Hansen")  # let through once, it is not held again
    assert screen(run)["words"][0]["count"] == 2


def test_without_hold_personal_a_name_goes_up_at_once() -> None:
    run = cloud_run(hold_personal=False)
    (event,) = send(run, "p1", "Kari Hansen")
    assert "held" not in event.data
    assert [w["word"] for w in screen(run)["words"]] == ["kari hansen"]


def test_a_hidden_name_shown_again_is_not_held_again() -> None:
    run = cloud_run()
    send(run, "p1", "Kari Hansen")
    run.fac("hide_word", activity="wc", word="kari hansen")
    run.fac("restore_word", activity="wc", word="kari hansen")
    assert [w["word"] for w in screen(run)["words"]] == ["kari hansen"]


# -- the record and the minutes ---------------------------------------------------------------


def meeting_with_moderation() -> Run:
    run = cloud_run()
    send(run, "p1", "Mørkt", "Trygt")
    send(run, "p2", "mørkt", "Tulleord")
    send(run, "p3", "Ola Nordmann")
    run.fac("hide_word", activity="wc", word="tulleord", reason="off topic")
    return run


def test_the_record_keeps_withheld_words_only_in_its_moderation_section() -> None:
    run = meeting_with_moderation()
    built = entry(run)
    assert built["words"] == [
        {"word": "mørkt", "text": "Mørkt", "count": 2},
        {"word": "trygt", "text": "Trygt", "count": 1},
    ]
    assert built["moderation"] == [
        {"word": "tulleord", "text": "Tulleord", "count": 1, "status": "hidden",
         "reason": "off topic", "held": None, "spellings": ["Tulleord"]},
        {"word": "ola nordmann", "text": "Ola Nordmann", "count": 1, "status": "held",
         "reason": None, "held": "name", "spellings": ["Ola Nordmann"]},
    ]  # fmt: skip
    assert (built["hidden"], built["held"], built["released"], built["responders"]) == (1, 1, 0, 3)
    public = json.dumps(record.public(record.build(run.log)), ensure_ascii=False)
    assert "Tulleord" not in public and "Ola Nordmann" not in public and "Mørkt" in public


def test_the_minutes_list_the_visible_words_and_count_the_moderation(nb: Any) -> None:
    run = meeting_with_moderation()
    text = minutes_markdown(record.build(run.log), nb)
    assert "| 1 | Mørkt | 2 | 67 |" in text
    assert "| 2 | Trygt | 1 | 33 |" in text
    assert "Ord skjult av møtelederen: 1 (begrunnelser: off topic)" in text
    assert "Ord som ventet på gjennomsyn: 1; sluppet gjennom: 0" in text
    assert "Tulleord" not in text and "Ola Nordmann" not in text


def test_the_minutes_chart_the_thirty_words_most_phones_sent(nb: Any) -> None:
    run = cloud_run(max_words=1)
    for n in range(32):
        send(run, f"p{n}", f"ord{n}")
    text = minutes_markdown(record.build(run.log), nb)
    assert "| 30 | ord29 |" not in text and "| 1 | ord29 |" in text  # all as many: one rank
    assert "ord30" not in text
    assert "2 ord til, hvert sendt av færre telefoner, står i regnearket." in text


def test_the_top_words_are_the_visible_ones_most_phones_sent() -> None:
    run = meeting_with_moderation()
    send(run, "p4", "Trygt")
    send(run, "p5", "Trygt")
    state = run.state("wc")
    assert state.kind.top(state, 5, "nb") == [{"nb": "Trygt"}, {"nb": "Mørkt"}]
