"""The edge's JSON (orjson) says and accepts exactly what the core's standard-library JSON does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, strategies as st

from facilitate import codec
from facilitate.core import messages
from facilitate.core.errors import CommandError

# What views and events hold: text (non-ASCII too), ints, floats, booleans, null, lists, objects.
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), values, max_size=6))
def test_when_a_message_is_encoded_then_it_round_trips_to_the_same_value_and_the_same_keys(
    message: dict[str, Any],
) -> None:
    text = codec.encode(message)
    assert json.loads(text) == message
    assert list(json.loads(text)) == list(message)  # key order kept
    assert codec.loads(text) == message


def test_when_a_message_is_encoded_then_it_is_the_same_text_as_the_cores() -> None:
    message = {"type": "ack", "id": "a1", "own": {"choices": ["ja"]}, "t": "Bålplass æøå 👩🏻‍🦱"}
    assert codec.encode(message) == messages.encode(message)
    assert codec.encode({"at": 1764950000.25, "n": 3, "x": None}) == messages.encode(
        {"at": 1764950000.25, "n": 3, "x": None}
    )


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb"])
def test_when_a_value_holds_a_lone_surrogate_then_it_is_not_encoded(text: str) -> None:
    with pytest.raises(TypeError):
        codec.encode({"text": text})


@pytest.mark.parametrize(
    "raw",
    [
        '{"type":"vote","id":"a1","activity":"p","choices":["ja"]}',
        '{"type":"note","id":"a2","activity":"n","text":"Lys i parken æøå","column":0}',
        '{"type":"hello","role":"participant","token":null}',
        '{"type":"note","id":"a3","activity":"n","text":"\\u00e6\\ud83d\\ude00"}',
    ],
)
def test_when_a_frame_is_valid_then_the_edge_reads_it_as_the_core_does(raw: str) -> None:
    assert codec.parse(raw) == messages.parse(raw)
    assert codec.parse(raw.encode()) == messages.parse(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        "[1, 2]",
        '{"type":"note","id":"a1","activity":"n","text":"\\ud800"}',  # a lone surrogate
        '{"type":"note","id":"a1","activity":"n","text":"a\\udfffb"}',
        '{"type":"vote","id":"a1","activity":"p","choices":[NaN]}',
        "[" * 5000 + "]" * 5000,  # nested too deep
        '{"type":"dot","id":"a1","activity":"p","note":"n1","delta":2}',
    ],
)
def test_when_a_frame_is_invalid_then_the_edge_refuses_it_as_the_core_does(raw: str) -> None:
    with pytest.raises(CommandError) as edge:
        codec.parse(raw)
    assert edge.value.code == "bad_message"
