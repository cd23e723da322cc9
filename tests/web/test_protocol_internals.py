"""The uvicorn and websockets internals that web/protocol.py builds on still have its shape.

`FramesProtocol` subclasses uvicorn's `WebSocketsSansIOProtocol`, which is not public API and
has changed shape between minor releases (0.53 is the first with the one used here), and it
reads the state of websockets' sans-I/O `ServerProtocol`. pyproject.toml pins both to the
releases checked. When a test here fails, the installed release moved something protocol.py
relies on, and the message says what; tests/web/test_protocol.py then shows what it breaks.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import tomllib
from collections.abc import Iterator
from importlib import metadata
from typing import Any

import pytest
from packaging.requirements import Requirement

from facilitate.settings import ROOT

from . import internals

MODULE = "uvicorn.protocols.websockets.websockets_sansio_impl"
BASE = "WebSocketsSansIOProtocol"

# What FramesProtocol overrides (it must still be called, with these parameters) ...
OVERRIDES = {
    "handle_connect": ["self", "event"],
    "connection_lost": ["self", "exc"],
    "data_received": ["self", "data"],
    "send_receive_event_to_app": ["self"],
    "receive": ["self"],
}
# ... what it calls on uvicorn's protocol ...
CALLS = {"handle_parser_exception": ["self"]}
# ... and the connection state it reads or sets, with the type it expects before a connection.
ATTRIBUTES: dict[str, type | None] = {
    "queue": asyncio.Queue,
    "read_paused": bool,
    "close_sent": bool,
    "disconnected": bool,
    "handshake_complete": bool,
    "initial_response": type(None),
    "frames": list,
    "curr_msg_data_type": str,
    "logger": logging.Logger,
    "transport": None,  # any value: set by connection_made
    "conn": None,  # checked below as websockets' ServerProtocol
}
# websockets' ServerProtocol state read between frames, for the shortcut on masked text frames.
CONNECTION = ["state", "current_size", "parser_exc", "reader", "max_message_size"]


def pinned(name: str) -> Requirement:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        if requirement.name == name:
            return requirement
    raise AssertionError(f"pyproject.toml does not name {name}")


def advice(package: str, what: str) -> str:
    return internals.advice(
        package,
        what,
        "facilitate/web/protocol.py",
        "FramesProtocol",
        "tests/web/test_protocol.py",
        f" ({pinned(package).specifier})",
    )


def base_class() -> type:
    return internals.base_class(MODULE, BASE, "sans-I/O protocol", advice)


def parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


@pytest.fixture
def instance() -> Iterator[Any]:
    """uvicorn's protocol as uvicorn makes one for a new connection (no connection yet)."""
    with internals.made_by_uvicorn(base_class(), ws="none", ws_max_size=64 * 1024) as made:
        yield made


@pytest.mark.parametrize("package", ["uvicorn", "websockets"])
def test_the_installed_release_is_one_the_pin_says_was_checked(package: str) -> None:
    requirement = pinned(package)
    version = metadata.version(package)
    assert requirement.specifier.contains(version, prereleases=True), (
        f"{package} {version} is installed, but pyproject.toml pins {requirement.specifier}: "
        f"facilitate/web/protocol.py uses its internals and was checked only there. Install a "
        f"release in the range, or check this one (this file and tests/web/test_protocol.py) "
        f"and widen the pin."
    )


def test_the_uvicorn_protocol_class_is_where_protocol_py_imports_it_from() -> None:
    base_class()


@pytest.mark.parametrize("name", [*OVERRIDES, *CALLS])
def test_each_uvicorn_method_protocol_py_overrides_or_calls_keeps_its_signature(
    name: str,
) -> None:
    base = base_class()
    method = getattr(base, name, None)
    if method is None:
        pytest.fail(advice("uvicorn", f"{BASE}.{name} (it is gone, or renamed)"))
    expected = {**OVERRIDES, **CALLS}[name]
    found = parameters(method)
    assert found == expected, advice(
        "uvicorn",
        f"the parameters of {BASE}.{name}: ({', '.join(found)}), not ({', '.join(expected)})",
    )


def test_receive_is_still_a_coroutine_and_the_rest_plain_methods() -> None:
    base = base_class()
    for name in [*OVERRIDES, *CALLS]:
        is_async = inspect.iscoroutinefunction(getattr(base, name))
        assert is_async is (name == "receive"), advice(
            "uvicorn", f"whether {BASE}.{name} is async ({is_async})"
        )


def test_every_override_in_protocol_py_is_listed_here() -> None:
    from facilitate.web.protocol import FramesProtocol

    base = base_class()
    overridden = {
        name
        for name, value in vars(FramesProtocol).items()
        if callable(value) and not name.startswith("__") and hasattr(base, name)
    }
    assert overridden == set(OVERRIDES), (
        "FramesProtocol overrides other methods of uvicorn's protocol than this file checks: "
        f"add {sorted(overridden - set(OVERRIDES))}, drop {sorted(set(OVERRIDES) - overridden)}"
    )


@pytest.mark.parametrize(
    "handler", ["handle_text", "handle_bytes", "handle_cont", "handle_connect", "run_asgi"]
)
def test_uvicorn_still_routes_messages_through_the_methods_protocol_py_overrides(
    handler: str,
) -> None:
    base = base_class()
    source = inspect.getsource(getattr(base, handler))
    needed = {
        "handle_text": "self.send_receive_event_to_app()",
        "handle_bytes": "self.send_receive_event_to_app()",
        "handle_cont": "self.send_receive_event_to_app()",
        "handle_connect": '"extensions":',  # the scope that gets the facilitate.frames extension
        "run_asgi": "self.receive",  # the app reads through the overridden receive()
    }[handler]
    assert needed in source, advice(
        "uvicorn", f"{BASE}.{handler}, which no longer has `{needed}` in it"
    )


def test_a_new_connection_has_the_state_protocol_py_reads(instance: Any) -> None:
    problems = []
    for name, kind in ATTRIBUTES.items():
        if not hasattr(instance, name):
            problems.append(f"{name} is gone")
        elif kind is not None and not isinstance(getattr(instance, name), kind):
            found = type(getattr(instance, name)).__name__
            problems.append(f"{name} is a {found}, not a {kind.__name__}")
    assert not problems, advice("uvicorn", f"{BASE}'s attributes ({'; '.join(problems)})")
    assert instance.frames == [] and instance.curr_msg_data_type in ("text", "bytes")


def test_the_websockets_connection_has_the_state_protocol_py_reads(instance: Any) -> None:
    from websockets.server import ServerProtocol

    conn = instance.conn
    assert isinstance(conn, ServerProtocol), advice("uvicorn", f"{BASE}.conn's class")
    for name in [*CONNECTION, "max_fragment_size"]:
        assert hasattr(conn, name), advice("websockets", f"ServerProtocol.{name} (it is gone)")
    assert isinstance(conn.reader.buffer, bytearray), advice(
        "websockets", "ServerProtocol.reader.buffer"
    )
    # The size limit protocol.py enforces on its shortcut is the one uvicorn configured.
    assert conn.max_message_size == 64 * 1024, advice(
        "websockets", "how ServerProtocol keeps max_size (max_message_size)"
    )
    assert conn.current_size is None and conn.parser_exc is None
    assert parameters(conn.send_close)[:1] == ["code"], advice(
        "websockets", "ServerProtocol.send_close's parameters"
    )


def test_websockets_still_unmasks_and_names_its_states_as_protocol_py_expects() -> None:
    from websockets.frames import apply_mask
    from websockets.protocol import State

    assert apply_mask(b"\x00\x01\x02\x03\x04", b"\x01\x02\x03\x04") == b"\x01\x03\x01\x07\x05", (
        advice("websockets", "websockets.frames.apply_mask(data, mask)")
    )
    assert {"CONNECTING", "OPEN", "CLOSING", "CLOSED"} <= set(State.__members__), advice(
        "websockets", "websockets.protocol.State"
    )
