"""Plans: parsing agenda files, defaults, every problem named with its line, and round trips."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from budget import examples
from hypothesis import given, settings, strategies as st

from facilitate.core import writing
from facilitate.core.kinds.notes import NotesSettings
from facilitate.core.kinds.painjoy import PainJoySettings
from facilitate.core.kinds.poll import Option, PollSettings
from facilitate.core.plan import (
    ActivitySpec,
    Plan,
    PlanError,
    Problem,
    parse_plan,
    plan_from_dict,
)


def toml(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


def problems(source: str) -> list[tuple[str, int | None]]:
    """The (field, line) of every problem a TOML plan has."""
    with pytest.raises(PlanError) as caught:
        parse_plan(toml(source))
    return [(p.field, p.line) for p in caught.value.problems]


def dict_problems(data: Any) -> list[Problem]:
    with pytest.raises(PlanError) as caught:
        plan_from_dict(data)
    return caught.value.problems


GOOD = """
    title = "Nabolagsmøte"
    language = "nb"
    description = { nb = "Om parken", en = "About the park" }

    [[activities]]
    kind = "info"
    title = "Velkommen"
    text = "  Hei alle sammen  "

    [[activities]]
    id = "park"
    kind = "poll"
    title = { nb = "Hva vil du ha?", en = "What do you want?" }
    options = [
      { id = "trees", text = { nb = "Trær", en = "Trees" } },
      { id = "benches", text = "Benker" },
      "Lekeplass",
    ]
    multiple = true
    none_option = true
    results = "reveal"

    [[activities]]
    kind = "notes"
    title = "Ideer"
    columns = ["Bra", { nb = "Dårlig", en = "Bad" }]
    max_length = 140

    [[activities]]
    kind = "painjoy"
    title = "Smerte og glede"
"""


def test_when_a_good_plan_is_parsed_then_every_field_is_read_with_its_defaults():
    assert parse_plan(toml(GOOD)) == Plan(
        title={"nb": "Nabolagsmøte"},
        language="nb",
        description={"nb": "Om parken", "en": "About the park"},
        activities=(
            ActivitySpec(
                id="info-1", kind="info", title={"nb": "Velkommen"}, text={"nb": "Hei alle sammen"}
            ),
            ActivitySpec(
                id="park",
                kind="poll",
                title={"nb": "Hva vil du ha?", "en": "What do you want?"},
                results="reveal",
                settings=PollSettings(
                    options=(
                        Option("trees", {"nb": "Trær", "en": "Trees"}),
                        Option("benches", {"nb": "Benker"}),
                        Option("o3", {"nb": "Lekeplass"}),
                    ),
                    multiple=True,
                    none_option=True,
                ),
            ),
            ActivitySpec(
                id="notes-3",
                kind="notes",
                title={"nb": "Ideer"},
                settings=NotesSettings(
                    columns=({"nb": "Bra"}, {"nb": "Dårlig", "en": "Bad"}), max_length=140
                ),
            ),
            ActivitySpec(
                id="painjoy-4",
                kind="painjoy",
                title={"nb": "Smerte og glede"},
                settings=PainJoySettings(),
            ),
        ),
    )


def test_when_a_painjoy_activity_gives_no_numbers_then_it_has_three_dots_of_each_kind_cap_two():
    plan = parse_plan(
        toml("""
        title = "T"
        [[activities]]
        kind = "painjoy"
        title = "P"
    """)
    )
    spec = plan.activities[0]
    assert (
        spec.settings.pain_dots,
        spec.settings.joy_dots,
        spec.settings.dot_cap,
        spec.settings.max_length,
        spec.results,
    ) == (
        3,
        3,
        2,
        280,
        "live",
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("dots = 5", (5, 5, 2)),
        ("dots = 1", (1, 1, 1)),
        ("dots = 4\npain_dots = 2", (2, 4, 2)),
        ("joy_dots = 0", (3, 0, 2)),
        ("dots = 6\ndot_cap = 6", (6, 6, 6)),
    ],
)
def test_when_dots_are_given_then_pain_joy_and_cap_follow_them(fields, expected):
    plan = parse_plan(f'title = "T"\n[[activities]]\nkind = "painjoy"\ntitle = "P"\n{fields}\n')
    spec = plan.activities[0]
    assert (spec.settings.pain_dots, spec.settings.joy_dots, spec.settings.dot_cap) == expected


def test_when_a_plan_gives_no_language_then_plain_strings_are_norwegian_bokmal():
    plan = parse_plan('title = "Møte"\n[[activities]]\nkind = "info"\ntitle = "Hei"\n')
    assert (plan.language, plan.title, plan.activities[0].title) == (
        "nb",
        {"nb": "Møte"},
        {"nb": "Hei"},
    )


def test_when_a_plan_is_in_english_then_plain_strings_are_english():
    plan = parse_plan(
        'title = "Meeting"\nlanguage = "en"\n'
        '[[activities]]\nkind = "poll"\ntitle = "Q"\noptions = ["Yes", "No"]\n'
    )
    assert plan.activities[0] == ActivitySpec(
        id="poll-1",
        kind="poll",
        title={"en": "Q"},
        settings=PollSettings(options=(Option("o1", {"en": "Yes"}), Option("o2", {"en": "No"}))),
    )


def test_when_a_text_table_has_other_languages_then_they_are_kept():
    plan = parse_plan(
        'title = { nb = "Møte", so = "Kulan", ar = "اجتماع" }\n'
        '[[activities]]\nkind = "info"\ntitle = "Hei"\n'
    )
    assert plan.title == {"nb": "Møte", "so": "Kulan", "ar": "اجتماع"}


def test_when_a_poll_has_no_options_ids_then_they_are_numbered_and_none_is_added_last():
    plan = parse_plan(
        'title = "T"\n[[activities]]\nkind = "poll"\ntitle = "Q"\n'
        'options = ["A", "B"]\nnone_option = true\n'
    )
    assert plan.activities[0].settings.choice_ids() == ("o1", "o2", "none")


def test_when_an_activity_is_looked_up_then_it_is_found_by_id_or_none():
    plan = parse_plan(toml(GOOD))
    assert (plan.activity("park").kind, plan.activity("nope")) == ("poll", None)


# -- bad plans: every problem, with its field and line ---------------------------------------


def test_when_toml_is_invalid_then_the_line_is_reported():
    with pytest.raises(PlanError) as caught:
        parse_plan('title = "T"\n\n[[activities]]\nkind = \n')
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == ("(file)", 4)
    assert problem.message.startswith("not valid TOML:")
    assert str(caught.value).startswith("line 4: (file): not valid TOML")


def test_when_a_top_level_field_is_unknown_then_it_is_named_with_its_line():
    assert problems("""
        title = "T"
        agenda = "x"
        [[activities]]
        kind = "info"
        title = "I"
    """) == [("agenda", 2)]


def test_when_an_activity_field_is_unknown_then_it_is_named_with_its_line():
    with pytest.raises(PlanError) as caught:
        parse_plan(
            toml("""
            title = "T"
            [[activities]]
            kind = "poll"
            title = "Q"
            options = ["A", "B"]
            multiple_choice = true
        """)
        )
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == ("activities[0].multiple_choice", 6)
    assert "unknown field for a poll activity" in problem.message


def test_when_a_field_belongs_to_another_kind_then_it_is_unknown_here():
    assert problems("""
        title = "T"
        [[activities]]
        kind = "info"
        title = "I"
        options = ["A", "B"]
        dots = 3
    """) == [("activities[0].options", 5), ("activities[0].dots", 6)]


@pytest.mark.parametrize("kind_line", ['kind = "vote"', "kind = 3"])
def test_when_the_kind_is_wrong_then_it_is_named_with_its_line(kind_line):
    assert problems(f"""
        title = "T"
        [[activities]]
        title = "I"
        {kind_line}
    """) == [("activities[0].kind", 4)]


def test_when_the_kind_is_missing_then_the_activity_section_line_is_reported():
    assert problems("""
        title = "T"

        [[activities]]
        title = "I"
    """) == [("activities[0].kind", 3)]


def test_when_the_title_is_missing_then_it_is_required_without_a_line():
    assert dict_problems({"activities": [{"kind": "info", "title": "I"}]}) == [
        Problem("title", "is required", None)
    ]


@pytest.mark.parametrize("title", ['""', '"   "', "{}", '{ nb = "  " }'])
def test_when_the_title_is_empty_then_it_is_reported(title):
    assert (
        problems(f"""
        title = {title}
        [[activities]]
        kind = "info"
        title = "I"
    """)[0][0]
        == "title"
    )


def test_when_an_activity_title_is_missing_then_its_section_line_is_reported():
    assert problems("""
        title = "T"
        [[activities]]
        kind = "info"

        [[activities]]
        kind = "notes"
        text = "no title here"
    """) == [("activities[0].title", 2), ("activities[1].title", 5)]


def test_when_an_activity_id_is_used_twice_then_the_second_is_reported_at_its_line():
    assert problems("""
        title = "T"
        [[activities]]
        id = "same"
        kind = "info"
        title = "I"
        [[activities]]
        kind = "info"
        title = "J"
        id = "same"
    """) == [("activities[1].id", 9)]


def test_when_a_default_id_collides_with_a_given_one_then_it_is_reported():
    # the second activity's default id is "info-2"
    assert problems("""
        title = "T"
        [[activities]]
        id = "info-2"
        kind = "info"
        title = "I"
        [[activities]]
        kind = "info"
        title = "J"
    """) == [("activities[1].id", 6)]


def test_when_an_option_id_is_used_twice_then_it_is_reported():
    assert problems("""
        title = "T"
        [[activities]]
        kind = "poll"
        title = "Q"
        options = [{ id = "a", text = "A" }, { id = "a", text = "B" }]
    """) == [("activities[0].options[1].id", 5)]


@pytest.mark.parametrize("option_id", ['"none"', '"Big"', '""', "7", '"' + "x" * 41 + '"'])
def test_when_an_option_id_is_not_a_short_lowercase_id_then_it_is_reported(option_id):
    assert problems(f"""
        title = "T"
        [[activities]]
        kind = "poll"
        title = "Q"
        options = [{{ id = {option_id}, text = "A" }}, "B"]
    """) == [("activities[0].options[0].id", 5)]


@pytest.mark.parametrize(
    "activity_id", ['"Has Space"', '"-leading"', '"ÆØÅ"', "12", '"' + "a" * 41 + '"']
)
def test_when_an_activity_id_is_malformed_then_it_is_reported(activity_id):
    assert problems(f"""
        title = "T"
        [[activities]]
        kind = "info"
        id = {activity_id}
        title = "I"
    """) == [("activities[0].id", 4)]


def test_when_the_plan_language_is_not_one_the_interface_speaks_then_it_is_reported():
    with pytest.raises(PlanError) as caught:
        parse_plan('title = "T"\nlanguage = "de"\n[[activities]]\nkind = "info"\ntitle = "I"\n')
    assert caught.value.problems == [
        Problem("language", "must be one of nb, nn, sv, en, not 'de'", 2)
    ]


@pytest.mark.parametrize("code", ["NB", "n", "norsk", "n1"])
def test_when_a_text_uses_a_bad_language_code_then_it_is_named(code):
    assert problems(f"""
        title = "T"
        [[activities]]
        kind = "info"
        title = {{ {code} = "Hei" }}
    """) == [(f"activities[0].title.{code}", 4)]


@pytest.mark.parametrize(
    "options",
    ['["Bare en"]', "[]", '"Ja, Nei"', "[" + ", ".join(f'"{n}"' for n in range(21)) + "]"],
)
def test_when_a_poll_has_too_few_or_too_many_options_then_it_is_reported(options):
    assert problems(f"""
        title = "T"
        [[activities]]
        kind = "poll"
        title = "Q"
        options = {options}
    """) == [("activities[0].options", 5)]


def test_when_a_poll_has_no_options_field_then_the_section_line_is_reported():
    assert problems("""
        title = "T"
        [[activities]]
        kind = "poll"
        title = "Q"
    """) == [("activities[0].options", 2)]


@pytest.mark.parametrize(
    "columns", ['["Bare en"]', '"A, B"', '["1", "2", "3", "4", "5", "6", "7"]']
)
def test_when_notes_have_one_column_or_too_many_then_it_is_reported(columns):
    assert problems(f"""
        title = "T"
        [[activities]]
        kind = "notes"
        title = "N"
        columns = {columns}
    """) == [("activities[0].columns", 5)]


def test_when_notes_have_no_columns_then_that_is_fine():
    plan = parse_plan('title = "T"\n[[activities]]\nkind = "notes"\ntitle = "N"\ncolumns = []\n')
    assert plan.activities[0].settings.columns == ()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_length", "19"),
        ("max_length", "1001"),
        ("max_length", '"200"'),
        ("max_length", "true"),
        ("dots", "0"),
        ("dots", "21"),
        ("pain_dots", "-1"),
        ("dot_cap", "0"),
        ("dot_cap", "true"),
        ("dot_cap", "1.5"),
    ],
)
def test_when_a_number_is_out_of_range_or_not_whole_then_it_is_reported(field, value):
    assert problems(f"""
        title = "T"
        [[activities]]
        kind = "painjoy"
        title = "P"
        {field} = {value}
    """) == [(f"activities[0].{field}", 5)]


def test_when_a_painjoy_activity_has_no_dots_at_all_then_it_is_reported():
    assert problems("""
        title = "T"
        [[activities]]
        kind = "painjoy"
        title = "P"
        pain_dots = 0
        joy_dots = 0
    """) == [("activities[0].dots", 2)]


@pytest.mark.parametrize(
    ("field", "value"), [("multiple", '"yes"'), ("none_option", "1"), ("results", '"later"')]
)
def test_when_a_poll_flag_or_results_is_wrong_then_it_is_reported(field, value):
    assert problems(f"""
        title = "T"
        [[activities]]
        kind = "poll"
        title = "Q"
        options = ["A", "B"]
        {field} = {value}
    """) == [(f"activities[0].{field}", 6)]


def test_when_a_title_is_too_long_then_its_length_is_reported():
    with pytest.raises(PlanError) as caught:
        parse_plan(f'title = "{"x" * 201}"\n[[activities]]\nkind = "info"\ntitle = "I"\n')
    assert caught.value.problems == [Problem("title", "is 201 characters; at most 200", 1)]


def test_when_a_text_is_not_text_then_it_is_reported():
    assert problems("""
        title = "T"
        [[activities]]
        kind = "info"
        title = "I"
        text = 42
    """) == [("activities[0].text", 5)]


@pytest.mark.parametrize("activities", ["", "activities = []", 'activities = "x"'])
def test_when_a_plan_has_no_activities_then_it_is_reported(activities):
    with pytest.raises(PlanError) as caught:
        parse_plan(f'title = "T"\n{activities}\n')
    assert [p.field for p in caught.value.problems] == ["activities"]


def test_when_a_plan_has_more_than_sixty_activities_then_it_is_reported():
    data = {"title": "T", "activities": [{"kind": "info", "title": "I"}] * 61}
    assert [p.field for p in dict_problems(data)] == ["activities"]


def test_when_an_activity_is_not_a_table_then_it_is_reported():
    assert [p.field for p in dict_problems({"title": "T", "activities": ["info"]})] == [
        "activities[0]"
    ]


@pytest.mark.parametrize("data", [None, [], "title", 3])
def test_when_the_plan_is_not_a_table_then_it_is_reported(data):
    assert [p.field for p in dict_problems(data)] == ["(plan)"]


def test_when_a_plan_has_several_problems_then_all_are_collected_with_their_lines():
    with pytest.raises(PlanError) as caught:
        parse_plan(
            toml("""
            titel = "x"
            language = "de"

            [[activities]]
            kind = "poll"
            title = "Q"
            options = ["Ja"]
            option = 3

            [[activities]]
            id = "same"
            kind = "vote"
            title = "x"

            [[activities]]
            id = "same"
            kind = "notes"
            title = { NB = "x" }
            columns = ["one"]

            [[activities]]
            kind = "notes"
            id = "same"

            [[activities]]
            kind = "painjoy"
            title = "p"
            pain_dots = 0
            joy_dots = 0
            dot_cap = true
        """)
        )
    assert [(p.field, p.line) for p in caught.value.problems] == [
        ("titel", 1),
        ("language", 2),
        ("title", None),
        ("activities[0].option", 8),
        ("activities[0].options", 7),
        ("activities[1].kind", 12),
        ("activities[2].title.NB", 18),
        ("activities[2].columns", 19),
        ("activities[3].title", 21),
        ("activities[3].id", 23),
        ("activities[4].dot_cap", 30),
        ("activities[4].dots", 25),
    ]
    message = str(caught.value)
    assert "line 1: titel: unknown field" in message
    assert "title: is required" in message


def test_when_a_problem_has_a_line_then_its_text_starts_with_it():
    assert (str(Problem("title", "is required", 3)), str(Problem("title", "is required"))) == (
        "line 3: title: is required",
        "title: is required",
    )


# -- round trips ----------------------------------------------------------------------------


def test_when_a_parsed_plan_is_turned_into_data_and_back_then_it_is_the_same_plan():
    plan = parse_plan(toml(GOOD))
    assert plan_from_dict(plan.to_dict()) == plan


def test_when_a_plan_is_turned_into_data_then_each_kind_keeps_only_its_fields():
    data = parse_plan(toml(GOOD)).to_dict()
    assert data == {
        "title": {"nb": "Nabolagsmøte"},
        "language": "nb",
        "description": {"nb": "Om parken", "en": "About the park"},
        "activities": [
            {
                "id": "info-1",
                "kind": "info",
                "title": {"nb": "Velkommen"},
                "text": {"nb": "Hei alle sammen"},
            },
            {
                "id": "park",
                "kind": "poll",
                "title": {"nb": "Hva vil du ha?", "en": "What do you want?"},
                "options": [
                    {"id": "trees", "text": {"nb": "Trær", "en": "Trees"}},
                    {"id": "benches", "text": {"nb": "Benker"}},
                    {"id": "o3", "text": {"nb": "Lekeplass"}},
                ],
                "multiple": True,
                "none_option": True,
                "results": "reveal",
            },
            {
                "id": "notes-3",
                "kind": "notes",
                "title": {"nb": "Ideer"},
                "max_length": 140,
                "hold_personal": True,
                "columns": [{"nb": "Bra"}, {"nb": "Dårlig", "en": "Bad"}],
                "results": "live",
            },
            {
                "id": "painjoy-4",
                "kind": "painjoy",
                "title": {"nb": "Smerte og glede"},
                "max_length": 280,
                "hold_personal": True,
                "pain_dots": 3,
                "joy_dots": 3,
                "dot_cap": 2,
                "results": "live",
            },
        ],
    }


_texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda text: not writing.blank(writing.clean_text(text)))  # "\xad" alone is empty
_localized = st.one_of(
    _texts,
    st.dictionaries(
        st.sampled_from(["nb", "nn", "sv", "en", "so"]), _texts, min_size=1, max_size=3
    ),
)
_ids = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True).filter(lambda s: s != "none")


@st.composite
def _activity(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["info", "poll", "notes", "painjoy"]))
    item: dict[str, Any] = {"kind": kind, "title": draw(_localized)}
    if draw(st.booleans()):
        item["text"] = draw(_localized)
    if kind != "info":
        item["results"] = draw(st.sampled_from(["live", "reveal"]))
    if kind == "poll":
        ids = draw(st.lists(_ids, min_size=2, max_size=5, unique=True))
        item["options"] = [{"id": i, "text": draw(_localized)} for i in ids]
        item["multiple"] = draw(st.booleans())
        item["none_option"] = draw(st.booleans())
    if kind == "notes":
        item["columns"] = draw(st.one_of(st.just([]), st.lists(_localized, min_size=2, max_size=6)))
    if kind in ("notes", "painjoy"):
        item["max_length"] = draw(st.integers(20, 1000))
    if kind == "painjoy":
        item["pain_dots"] = draw(st.integers(1, 20))
        item["joy_dots"] = draw(st.integers(0, 20))
        item["dot_cap"] = draw(st.integers(1, 20))
    return item


@settings(max_examples=examples(100), deadline=None)
@given(
    title=_localized,
    language=st.sampled_from(["nb", "nn", "sv", "en"]),
    activities=st.lists(_activity(), min_size=1, max_size=6),
)
def test_when_any_valid_plan_round_trips_through_data_then_nothing_is_lost(
    title, language, activities
):
    plan = plan_from_dict({"title": title, "language": language, "activities": activities})
    assert plan_from_dict(plan.to_dict()) == plan


# An OSC sequence retitles the terminal it is printed on; an override turns the line around.
HOSTILE = "Møte\x1b]0;pwned\x07 om\u202e torget\x9b2J"


def _plan_with(text: str) -> Plan:
    return plan_from_dict(
        {
            "title": text,
            "description": f"{text}\n\n{text}",
            "activities": [
                {"kind": "info", "title": text, "text": {"nb": f"{text}\r\n{text}"}},
                {"kind": "poll", "title": "P", "options": [text, {"id": "b", "text": text}]},
                {"kind": "notes", "title": "N", "columns": [text, {"nb": text, "en": text}]},
            ],
        }
    )


def test_when_plan_texts_hold_control_characters_then_they_are_cleaned_like_notes():
    plan = _plan_with(HOSTILE)
    info, poll, notes = plan.activities
    one_line = [
        plan.title,
        info.title,
        *(option.text for option in poll.settings.options),
        *notes.settings.columns,
    ]
    assert {text for value in one_line for text in value.values()} == {"Møte]0;pwned om torget2J"}
    assert plan.description == {"nb": "Møte]0;pwned om torget2J\n\nMøte]0;pwned om torget2J"}
    assert info.text == {"nb": "Møte]0;pwned om torget2J\nMøte]0;pwned om torget2J"}


def test_when_a_one_line_text_has_line_breaks_then_they_become_spaces():
    plan = _plan_with("Første linje\nandre\u2028tredje")
    assert plan.title == {"nb": "Første linje andre tredje"}
    assert plan.activities[1].settings.options[0].text == {"nb": "Første linje andre tredje"}
    paragraph = "Første linje\nandre\ntredje"
    assert plan.description == {"nb": f"{paragraph}\n\n{paragraph}"}


@pytest.mark.parametrize("title", ["\x1b\x07", "\u200b\u202e", " \x00 "])
def test_when_a_title_is_only_invisible_or_control_characters_then_it_is_empty(title):
    assert dict_problems({"title": title, "activities": [{"kind": "info", "title": "I"}]}) == [
        Problem("title", "is empty", None)
    ]


# `$` matches before a trailing newline too: every id and language code is matched whole.
def test_when_an_activity_id_ends_in_a_newline_then_it_is_refused():
    assert dict_problems(
        {"title": "T", "activities": [{"kind": "info", "id": "p\n", "title": "I"}]}
    ) == [
        Problem(
            "activities[0].id",
            "must be lowercase letters, digits, - or _ (at most 40), starting with a letter or "
            "digit",
        )
    ]


def test_when_an_option_id_ends_in_a_newline_then_it_is_refused():
    options = [{"id": "a\n", "text": "A"}, "B"]
    problems = dict_problems(
        {"title": "T", "activities": [{"kind": "poll", "title": "Q", "options": options}]}
    )
    assert [p.field for p in problems] == ["activities[0].options[0].id"]


def test_when_a_language_code_ends_in_a_newline_then_it_is_refused():
    problems = dict_problems(
        {"title": {"nb\n": "Hei"}, "activities": [{"kind": "info", "title": "I"}]}
    )
    assert [p.field for p in problems] == ["title.nb\n"]
