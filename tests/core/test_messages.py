"""The live protocol: client frames parsed strictly, never failing but with a CommandError."""

from __future__ import annotations

import json
from typing import Any

import pytest
from budget import examples
from hypothesis import given, settings, strategies as st

from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR
from facilitate.core.meeting import (
    APPOINTED,
    FACILITATOR_COMMANDS,
    HELPER_COMMANDS,
    PARTICIPANT_COMMANDS,
)
from facilitate.core.messages import (
    CLIENT_MESSAGES,
    MAX_CLIENT_ID,
    MAX_MESSAGE_BYTES,
    Message,
    encode,
    json_type,
    parse,
)
from facilitate.core.plan import PlanError
from facilitate.core.writing import MAX_CODE_POINTS_PER_CHARACTER

from .helpers import Run, info, notes, painjoy, poll


def frame(**fields: Any) -> str:
    return json.dumps(fields)


def refusal(raw: str | bytes) -> str:
    with pytest.raises(CommandError) as caught:
        parse(raw)
    return caught.value.code


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"type": "hello", "role": "participant"}, Message("hello", None, {"role": "participant"})),
        (
            {
                "type": "hello",
                "role": "facilitator",
                "token": "s3cret",
                "key": None,
                "lang": "sv",
                "id": "h1",
            },
            Message(
                "hello", "h1", {"role": "facilitator", "token": "s3cret", "key": None, "lang": "sv"}
            ),
        ),
        ({"type": "hello", "role": "screen", "id": 7}, Message("hello", None, {"role": "screen"})),
        (
            {"type": "vote", "id": "c1", "activity": "poll", "choices": ["a", "b"]},
            Message("vote", "c1", {"activity": "poll", "choices": ["a", "b"]}),
        ),
        (
            {"type": "vote", "id": "c1", "activity": "poll", "choices": []},
            Message("vote", "c1", {"activity": "poll", "choices": []}),
        ),
        (
            {
                "type": "note",
                "id": "c2",
                "activity": "ideas",
                "text": "Mer lys",
                "column": 1,
                "kind": None,
            },
            Message(
                "note", "c2", {"activity": "ideas", "text": "Mer lys", "column": 1, "kind": None}
            ),
        ),
        (
            {"type": "note", "id": "c2", "activity": "pj", "text": "Kø", "kind": "pain"},
            Message("note", "c2", {"activity": "pj", "text": "Kø", "kind": "pain"}),
        ),
        (
            {"type": "dot", "id": "c3", "activity": "pj", "note": "n1", "delta": -1},
            Message("dot", "c3", {"activity": "pj", "note": "n1", "delta": -1}),
        ),
        ({"type": "goto", "id": "f1", "activity": None}, Message("goto", "f1", {"activity": None})),
        (
            {"type": "goto", "id": "f1", "activity": "poll"},
            Message("goto", "f1", {"activity": "poll"}),
        ),
        (
            {"type": "open", "id": "f2", "activity": "poll"},
            Message("open", "f2", {"activity": "poll"}),
        ),
        (
            {"type": "close", "id": "f2", "activity": "poll"},
            Message("close", "f2", {"activity": "poll"}),
        ),
        (
            {"type": "reveal", "id": "f2", "activity": "poll"},
            Message("reveal", "f2", {"activity": "poll"}),
        ),
        (
            {"type": "conceal", "id": "f2", "activity": "poll"},
            Message("conceal", "f2", {"activity": "poll"}),
        ),
        (
            {"type": "phase", "id": "f3", "activity": "pj", "phase": "dots"},
            Message("phase", "f3", {"activity": "pj", "phase": "dots"}),
        ),
        (
            {"type": "hide", "id": "f4", "activity": "pj", "note": "n1"},
            Message("hide", "f4", {"activity": "pj", "note": "n1"}),
        ),
        (
            {"type": "hide", "id": "f4", "activity": "pj", "note": "n1", "reason": "personal"},
            Message("hide", "f4", {"activity": "pj", "note": "n1", "reason": "personal"}),
        ),
        (
            {"type": "restore", "id": "f5", "activity": "pj", "note": "n1"},
            Message("restore", "f5", {"activity": "pj", "note": "n1"}),
        ),
        (
            {"type": "merge", "id": "f6", "activity": "pj", "into": "n1", "notes": ["n2", "n3"]},
            Message("merge", "f6", {"activity": "pj", "into": "n1", "notes": ["n2", "n3"]}),
        ),
        (
            {"type": "open", "id": "x" * MAX_CLIENT_ID, "activity": "poll", "extra": [1, 2]},
            Message("open", "x" * MAX_CLIENT_ID, {"activity": "poll"}),
        ),
    ],
)
def test_when_a_message_is_well_formed_then_it_is_parsed_into_its_fields(fields, expected):
    assert parse(frame(**fields)) == expected


def test_when_a_message_arrives_as_utf8_bytes_then_it_is_parsed_too():
    raw = frame(type="note", id="c1", activity="ideas", text="Trær og benker").encode()
    assert parse(raw) == Message("note", "c1", {"activity": "ideas", "text": "Trær og benker"})


def test_when_a_message_is_exactly_at_the_size_limit_then_it_is_accepted():
    head = frame(type="note", id="c1", activity="ideas", text="")
    raw = head[:-2] + "x" * (MAX_MESSAGE_BYTES - len(head)) + head[-2:]
    assert len(raw.encode()) == MAX_MESSAGE_BYTES
    assert parse(raw).data["text"] == "x" * (MAX_MESSAGE_BYTES - len(head))


@pytest.mark.parametrize(
    "raw",
    [
        "",
        " ",
        "{",
        "nope",
        "{'type': 'vote'}",
        '{"type": "vote",}',
        "\ufeff{}",
        b"\xff\xfe\xfd",
        b'{"type": "\xff"}',
    ],
)
def test_when_a_message_is_not_json_then_it_is_a_bad_message(raw):
    assert refusal(raw) == "bad_message"


@pytest.mark.parametrize("raw", ["[]", '["vote"]', '"vote"', "3", "null", "true", "1.5"])
def test_when_a_message_is_not_an_object_then_it_is_a_bad_message(raw):
    assert refusal(raw) == "bad_message"


@pytest.mark.parametrize(
    "fields",
    [
        {"id": "c1", "activity": "poll"},
        {"type": "fly", "id": "c1"},
        {"type": "Vote", "id": "c1", "activity": "poll", "choices": []},
        {"type": "welcome", "id": "c1"},  # a server message, not a client one
        {"type": 3, "id": "c1"},
        {"type": None, "id": "c1"},
        {"type": ["vote"], "id": "c1"},
        {"type": {"vote": 1}, "id": "c1"},
    ],
)
def test_when_a_message_type_is_missing_or_unknown_then_it_is_a_bad_message(fields):
    assert refusal(frame(**fields)) == "bad_message"


@pytest.mark.parametrize(
    "client_id", [None, "", "x" * (MAX_CLIENT_ID + 1), 5, ["c1"], True, "missing"]
)
def test_when_a_command_has_no_proper_id_then_it_is_a_bad_message(client_id):
    fields: dict[str, Any] = {"type": "open", "activity": "poll"}
    if client_id != "missing":
        fields["id"] = client_id
    assert refusal(frame(**fields)) == "bad_message"


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "hello"},
        {"type": "vote", "activity": "poll"},
        {"type": "vote", "choices": ["a"]},
        {"type": "note", "activity": "ideas"},
        {"type": "dot", "activity": "pj", "note": "n1"},
        {"type": "dot", "activity": "pj", "delta": 1},
        {"type": "goto"},
        {"type": "open"},
        {"type": "phase", "activity": "pj"},
        {"type": "hide", "activity": "pj"},
        {"type": "restore", "activity": "pj"},
        {"type": "merge", "activity": "pj", "into": "n1"},
        {"type": "merge", "activity": "pj", "notes": ["n1"]},
    ],
)
def test_when_a_required_field_is_missing_then_it_is_a_bad_message(fields):
    assert refusal(frame(id="c1", **fields)) == "bad_message"


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "hello", "role": None},
        {"type": "hello", "role": "participant", "token": 5},
        {"type": "hello", "role": "participant", "lang": ["nb"]},
        {"type": "vote", "activity": "poll", "choices": "a"},
        {"type": "vote", "activity": "poll", "choices": {"a": 1}},
        {"type": "vote", "activity": 5, "choices": ["a"]},
        {"type": "vote", "activity": None, "choices": ["a"]},
        {"type": "note", "activity": "ideas", "text": 5},
        {"type": "note", "activity": "ideas", "text": None},
        {"type": "note", "activity": "ideas", "text": "x", "column": "1"},
        {"type": "note", "activity": "ideas", "text": "x", "column": 1.0},
        {"type": "note", "activity": "ideas", "text": "x", "kind": 1},
        {"type": "dot", "activity": "pj", "note": 1, "delta": 1},
        {"type": "dot", "activity": "pj", "note": "n1", "delta": "1"},
        {"type": "dot", "activity": "pj", "note": "n1", "delta": 1.0},
        {"type": "dot", "activity": "pj", "note": "n1", "delta": None},
        {"type": "goto", "activity": 1},
        {"type": "phase", "activity": "pj", "phase": None},
        {"type": "hide", "activity": "pj", "note": "n1", "reason": None},
        {"type": "hide", "activity": "pj", "note": "n1", "reason": 3},
        {"type": "merge", "activity": "pj", "into": None, "notes": ["n2"]},
        {"type": "merge", "activity": "pj", "into": "n1", "notes": "n2"},
    ],
)
def test_when_a_field_has_the_wrong_type_then_it_is_a_bad_message(fields):
    assert refusal(frame(id="c1", **fields)) == "bad_message"


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "dot", "activity": "pj", "note": "n1", "delta": True},
        {"type": "dot", "activity": "pj", "note": "n1", "delta": False},
        {"type": "note", "activity": "ideas", "text": "x", "column": True},
        {"type": "note", "activity": "ideas", "text": "x", "column": False},
    ],
)
def test_when_a_boolean_is_sent_for_a_number_then_it_is_a_bad_message(fields):
    assert refusal(frame(id="c1", **fields)) == "bad_message"


@pytest.mark.parametrize("delta", [0, 2, -2, 100])
def test_when_a_dot_delta_is_not_plus_or_minus_one_then_it_is_a_bad_message(delta):
    assert refusal(frame(type="dot", id="c1", activity="pj", note="n1", delta=delta)) == (
        "bad_message"
    )


@pytest.mark.parametrize(
    ("field", "items"),
    [
        ("choices", ["a"] * 51),
        ("choices", ["x" * 65]),
        ("choices", [1]),
        ("choices", [None]),
        ("choices", [["a"]]),
        ("notes", ["n1"] * 51),
        ("notes", ["n" * 65]),
        ("notes", [2]),
    ],
)
def test_when_a_list_is_too_long_or_holds_anything_but_short_ids_then_it_is_a_bad_message(
    field, items
):
    fields: dict[str, Any] = (
        {"type": "vote", "activity": "poll"}
        if field == "choices"
        else {"type": "merge", "activity": "pj", "into": "n1"}
    )
    assert refusal(frame(id="c1", **{field: items}, **fields)) == "bad_message"


def test_when_a_list_is_at_its_limits_then_it_is_accepted():
    raw = frame(type="vote", id="c1", activity="poll", choices=["x" * 64] * 50)
    assert parse(raw).data["choices"] == ["x" * 64] * 50


LONGEST_EMOJI = "👩🏻\u200d❤\ufe0f\u200d💋\u200d👨🏼"  # a kiss with two skin tones: ten code points


@pytest.mark.parametrize("ascii_only", [False, True], ids=["utf-8", "escaped"])
def test_the_longest_note_any_activity_accepts_fits_in_a_frame_however_it_is_written(ascii_only):
    run = Run(notes("ideas", max_length=1000))  # the highest max_length a plan may set
    run.show("ideas")
    text = LONGEST_EMOJI * 1000
    raw = json.dumps(
        {
            "type": "note",
            "id": "x" * MAX_CLIENT_ID,
            "activity": "ideas",
            "text": text,
            "column": None,
        },
        ensure_ascii=ascii_only,
    )
    message = parse(raw)
    assert message.data["text"] == text
    assert run.post("p1", **message.data)
    with pytest.raises(PlanError, match="from 20 to 1000"):  # no plan may set more
        Run(notes("ideas", max_length=1001))
    # and any note that fits: 10 code points a character at most, each escaped at most to 12 bytes
    envelope = len(raw) - len(json.dumps(text, ensure_ascii=ascii_only))
    worst = 1000 * MAX_CODE_POINTS_PER_CHARACTER * len(json.dumps("😀")[1:-1])  # \ud83d\ude00
    assert envelope + worst <= MAX_MESSAGE_BYTES


@pytest.mark.parametrize("letters", ["Lyset er på plass. ", "النور في مكانه. ", "नमस्ते दुनिया। "])
def test_the_longest_follow_up_fits_in_a_frame_in_any_alphabet(letters):
    text = (letters * 10_000)[:10_000]
    raw = json.dumps(
        {"type": "follow_up", "id": "g7", "title": "Lys", "text": text}, ensure_ascii=False
    )
    message = parse(raw)
    run = Run(info())
    (event,) = run.fac("follow_up", **message.data)
    assert event.data["text"] == text.strip()


@pytest.mark.parametrize(
    "raw",
    [
        frame(type="note", id="c1", activity="ideas", text="x" * MAX_MESSAGE_BYTES),
        frame(type="note", id="c1", activity="ideas", text="x" * MAX_MESSAGE_BYTES).encode(),
        " " * (MAX_MESSAGE_BYTES + 1),
        # fewer characters than bytes: the limit is on bytes
        json.dumps(
            {
                "type": "note",
                "id": "c1",
                "activity": "ideas",
                "text": "ø" * (MAX_MESSAGE_BYTES // 2),
            },
            ensure_ascii=False,
        ),
        "{" + "😀" * (MAX_MESSAGE_BYTES // 4) + "}",
    ],
)
def test_when_a_message_is_bigger_than_the_limit_then_it_is_too_big(raw):
    assert refusal(raw) == "too_big"


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 5000,
        '{"type": "vote", "choices": ' + "[" * 4000 + "}",
        '{"a":' * 1200 + "1" + "}" * 1200,
    ],
)
def test_when_json_is_nested_too_deep_then_it_is_a_bad_message(raw):
    assert refusal(raw) == "bad_message"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "9" * 5000])
def test_when_a_number_is_odd_json_then_it_is_refused_as_a_bad_message(number):
    raw = '{"type": "dot", "id": "c1", "activity": "pj", "note": "n1", "delta": ' + number + "}"
    assert refusal(raw) == "bad_message"


def test_every_client_command_is_a_meeting_command_and_hello_is_the_only_other_message():
    # `scribe_for` stands for `appoint_scribe`, which the server gives once it has checked the
    # code (docs/protocol.md, "Scribes"): no client sends that one itself.
    commands = {*PARTICIPANT_COMMANDS, *FACILITATOR_COMMANDS, *HELPER_COMMANDS}
    given = {"hello", "scribe_for", *commands} - set(APPOINTED)
    assert set(CLIENT_MESSAGES) == given


def test_when_a_server_message_is_encoded_then_it_is_compact_and_keeps_non_ascii():
    assert encode({"type": "error", "id": "c1", "message": "Trær – æøå"}) == (
        '{"type":"error","id":"c1","message":"Trær – æøå"}'
    )


# -- fuzzing: nothing but CommandError, and parsed messages are safe to handle --------------------


@settings(max_examples=examples(200), deadline=None)
@given(raw=st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_when_arbitrary_text_or_bytes_arrive_then_parse_raises_only_command_error(raw):
    try:
        parse(raw)
    except CommandError as error:
        assert error.code in ("bad_message", "too_big")


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False)
    | st.sampled_from(["poll", "ideas", "pj", "n1", "n2", "a", "none", "dots", "pain", ""]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)
_note_ids = st.sampled_from(["n1", "n2", "n3", "n99"])
_plausible: dict[str, st.SearchStrategy[Any]] = {
    "id": st.just("c1"),
    "activity": st.sampled_from(["welcome", "poll", "ideas", "cols", "pj", "nope", None]),
    "choices": st.lists(st.sampled_from(["a", "b", "none", "z"]), max_size=3),
    "text": st.sampled_from(["Kø", "", " \u202e ", "x" * 300]),
    "column": st.sampled_from([None, 0, 1, 2]),
    "kind": st.sampled_from([None, "pain", "joy", "meh"]),
    "note": _note_ids,
    "delta": st.sampled_from([1, 1, -1]),
    "phase": st.sampled_from(["notes", "dots", "x"]),
    "reason": st.sampled_from(["", "off topic"]),
    "into": _note_ids,
    "notes": st.lists(_note_ids, max_size=3),
}


@st.composite
def _objects(draw: st.DrawFn) -> dict[str, Any]:
    """JSON objects with a known type, each field mostly plausible, sometimes missing or odd."""
    kind = draw(st.sampled_from(sorted(CLIENT_MESSAGES)))
    obj: dict[str, Any] = {"type": kind}
    for name in ["id", *CLIENT_MESSAGES[kind]]:
        choice = draw(st.integers(0, 9))
        if choice == 1:
            obj[name] = draw(_json)
        elif choice >= 2:
            obj[name] = draw(_plausible.get(name, st.text(max_size=5)))
    return obj


def _meeting() -> Run:
    run = Run(
        info("welcome"),
        poll("poll", none_option=True),
        notes("ideas"),
        notes("cols", columns=["A", "B"]),
        painjoy("pj"),
    )
    for activity in ("poll", "ideas", "cols", "pj"):
        run.fac("open", activity=activity)
    run.post("p1", "pj", "Kø", side="pain")
    run.post("p2", "pj", "Park", side="joy")
    return run


@settings(max_examples=examples(200), deadline=None)
@given(
    frames=st.lists(
        st.tuples(_objects(), st.sampled_from(["right", "right", "right", "p2", FACILITATOR])),
        min_size=1,
        max_size=8,
    ),
    dots_phase=st.booleans(),
)
def test_when_any_object_is_parsed_and_handled_then_only_command_error_is_raised(
    frames, dots_phase
):
    run = _meeting()
    if dots_phase:
        run.fac("phase", activity="pj", phase="dots")
    for obj, sender in frames:
        try:
            message = parse(json.dumps(obj))
        except CommandError as error:
            assert error.code == "bad_message"
            continue
        for name, value in message.data.items():
            types = CLIENT_MESSAGES[message.type][name][0]
            assert (
                value is None
                and None in types
                or type(value) in {json_type(t) for t in types if t is not None}
            )
        if message.type == "hello":
            continue
        assert isinstance(message.id, str)
        if sender == "right":
            sender = FACILITATOR if message.type in FACILITATOR_COMMANDS else "p1"
        try:
            run.do(sender, message.type, **message.data)
        except CommandError:
            pass
    assert run.replayed().activities == run.meeting.activities
