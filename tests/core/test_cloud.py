"""core.cloud: a phone's words checked and normalised, and the counts."""

from __future__ import annotations

import pytest

from facilitate.core import cloud
from facilitate.core.cloud import Cloud, Word
from facilitate.core.errors import CommandError


@pytest.mark.parametrize(
    ("spelling", "word"),
    [
        ("Mørkt", "mørkt"),
        ("MØRKT", "mørkt"),
        ("  Mørkt. ", "mørkt"),
        ("«mørkt»", "mørkt"),
        ("Mørkt!!", "mørkt"),
        ("Mer   lys", "mer lys"),
        ("Mer\tlys", "mer lys"),
        ("Mer\nlys", "mer lys"),
        ("mo\u0308rkt", "mörkt"),  # NFC: o + combining diaeresis is ö
        ("po\u200blice", "police"),  # a zero-width space is left out
        ("\u200fTrygt", "trygt"),  # and a right-to-left mark
        ("❤️", "❤"),  # an emoji's variation selector
        ("GROSS", "gross"),
        ("Straße", "strasse"),  # case folding, not lower case
        ("#MeToo", "metoo"),
        ("rock'n'roll", "rock'n'roll"),  # punctuation inside a word stays
        ("?!", "?!"),  # a word of punctuation alone keeps it
    ],
)
def test_spellings_of_one_word_share_its_key(spelling: str, word: str) -> None:
    assert cloud.key(spelling) == word


def test_the_joiners_that_spell_words_and_emoji_are_kept() -> None:
    assert cloud.key("می\u200cخواهم") == "می\u200cخواهم"
    family = "👨\u200d👩\u200d👧"
    assert cloud.key(family) == family


def test_a_word_is_kept_as_written_on_one_line_with_single_spaces() -> None:
    assert cloud.clean("  Mer \t lys\n i parken ") == "Mer lys i parken"
    assert cloud.clean("«Trygt»") == "«Trygt»"


def test_a_list_of_words_is_cleaned_in_the_order_given() -> None:
    assert cloud.check(["  Mørkt ", "Mer  lys"], 3) == ("Mørkt", "Mer lys")
    assert cloud.check([], 3) == ()


@pytest.mark.parametrize(
    ("words", "code", "params"),
    [
        (["a", "b", "c", "d"], "too_many_words", {"limit": 3}),
        (["Mørkt", ""], "empty_word", {}),
        (["   "], "empty_word", {}),
        (["\u200b\u200e"], "empty_word", {}),  # nothing anyone can see
        (["x" * 41], "word_too_long", {"limit": 40}),
        (["Mørkt", "mørkt."], "same_word", {}),
        (["Mørkt", 7], "bad_message", {}),
        ([None], "bad_message", {}),
    ],
)
def test_a_wrong_list_is_refused_with_what_is_wrong(
    words: list[object], code: str, params: dict[str, int]
) -> None:
    with pytest.raises(CommandError) as refused:
        cloud.check(words, 3)
    assert (refused.value.code, refused.value.params) == (code, params)


def test_a_word_of_forty_characters_fits_and_an_emoji_is_one() -> None:
    assert cloud.check(["x" * 40], 1) == ("x" * 40,)
    family = "👨\u200d👩\u200d👧\u200d👦"  # seven code points, one character
    assert cloud.check([family * 40], 1) == (family * 40,)
    with pytest.raises(CommandError):
        cloud.check([family * 41], 1)


def test_an_empty_word_is_refused_before_a_repeated_one() -> None:
    with pytest.raises(CommandError) as refused:
        cloud.check(["Mørkt", "mørkt", " "], 3)
    assert refused.value.code == "empty_word"


def sent(*phones: tuple[str, list[str]]) -> Cloud:
    words = Cloud()
    for pid, spellings in phones:
        words.send(pid, spellings, [cloud.key(s) for s in spellings])
    return words


def test_a_word_counts_once_per_phone_that_sends_it_now() -> None:
    words = sent(
        ("p1", ["Mørkt", "Trygt"]),
        ("p2", ["mørkt"]),
        ("p3", ["MØRKT."]),
        ("p2", ["Trygt"]),  # replaces p2's "mørkt"
    )
    assert [(w.key, w.count) for w in words.tally()] == [("mørkt", 2), ("trygt", 2)]


def test_a_phone_that_sends_nothing_has_withdrawn_its_words() -> None:
    words = sent(("p1", ["Mørkt"]), ("p1", []))
    assert words.tally() == [] and words.words == {}


def test_the_spelling_most_phones_used_is_shown_and_the_first_sent_wins_a_tie() -> None:
    words = sent(("p1", ["mørkt"]), ("p2", ["Mørkt"]), ("p3", ["Mørkt"]))
    assert words.tally()[0].text == "Mørkt"
    words = sent(("p1", ["mørkt"]), ("p2", ["Mørkt"]))
    assert words.tally()[0].text == "mørkt"


def test_equal_counts_keep_the_order_the_words_were_first_sent() -> None:
    words = sent(("p1", ["Lys"]), ("p2", ["Bråk"]), ("p3", ["Øde", "Bråk"]))
    assert [w.key for w in words.tally()] == ["bråk", "lys", "øde"]


def test_a_hidden_word_is_listed_even_when_no_phone_sends_it_any_more() -> None:
    words = sent(("p1", ["Tull"]))
    words.hidden["tull"] = "off topic"
    words.send("p1", [], [])
    assert words.tally() == [Word("tull", "Tull", 0, "hidden")]


def test_a_word_that_looked_personal_is_held_until_let_through() -> None:
    words = sent(("p1", ["Kari Hansen"]))
    words.flagged["kari hansen"] = "name"
    assert words.status("kari hansen") == "held"
    words.released.add("kari hansen")
    assert words.status("kari hansen") == "visible"
    words.hidden["kari hansen"] = ""
    assert words.status("kari hansen") == "hidden"
