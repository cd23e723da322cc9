"""The uvicorn and h11 internals that web/gate.py builds on still have its shape.

`GatedProtocol` subclasses uvicorn's `H11Protocol`, which is not public API. It overrides only
asyncio's protocol methods, reads the h11 connection uvicorn keeps (`conn`) and its event loop
(`loop`), and relies on two things uvicorn does: a request head is parsed within
`data_received`, and an upgrade to a websocket hands the transport to another protocol there
(`transport.set_protocol`). When a test here fails, the installed release moved something gate.py
relies on, and the message says what; tests/web/test_gate.py then shows what it breaks.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from typing import Any

import h11
import pytest

from . import internals

MODULE = "uvicorn.protocols.http.h11_impl"
BASE = "H11Protocol"
OVERRIDES = {
    "connection_made": ["self", "transport"],
    "data_received": ["self", "data"],
    "connection_lost": ["self", "exc"],
}
HEAD = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def advice(package: str, what: str) -> str:
    return internals.advice(
        package, what, "facilitate/web/gate.py", "GatedProtocol", "tests/web/test_gate.py"
    )


def base_class() -> type:
    return internals.base_class(MODULE, BASE, "h11 protocol", advice)


@pytest.fixture
def instance() -> Iterator[Any]:
    """uvicorn's h11 protocol as uvicorn makes one for a new connection (no connection yet)."""
    with internals.made_by_uvicorn(base_class()) as made:
        yield made


@pytest.mark.parametrize("name", OVERRIDES)
def test_each_method_gate_py_overrides_keeps_its_signature(name: str) -> None:
    method = getattr(base_class(), name, None)
    if method is None:
        pytest.fail(advice("uvicorn", f"{BASE}.{name} (it is gone)"))
    found = list(inspect.signature(method).parameters)
    assert found == OVERRIDES[name], advice("uvicorn", f"the parameters of {BASE}.{name}")
    assert not inspect.iscoroutinefunction(method), advice("uvicorn", f"{BASE}.{name} (async)")


def test_every_override_in_gate_py_is_listed_here() -> None:
    from facilitate.web.gate import GatedProtocol

    base = base_class()
    overridden = {
        name
        for name, value in vars(GatedProtocol).items()
        if callable(value) and not name.startswith("__") and hasattr(base, name)
    }
    assert overridden == set(OVERRIDES), (
        "GatedProtocol overrides other methods of uvicorn's h11 protocol than this file checks: "
        f"add {sorted(overridden - set(OVERRIDES))}, drop {sorted(set(OVERRIDES) - overridden)}"
    )


def test_a_new_connection_keeps_an_h11_connection_and_the_loop(instance: Any) -> None:
    assert isinstance(instance.conn, h11.Connection), advice("uvicorn", f"{BASE}.conn")
    assert instance.conn.their_state is h11.IDLE, advice("uvicorn", f"{BASE}.conn's role")
    assert isinstance(instance.loop, asyncio.AbstractEventLoop), advice("uvicorn", f"{BASE}.loop")
    assert hasattr(instance, "transport"), advice("uvicorn", f"{BASE}.transport")


def test_a_request_head_is_parsed_and_a_websocket_handed_over_within_data_received() -> None:
    base = base_class()
    for method, needed in [
        ("data_received", "self.handle_events()"),
        ("handle_websocket_upgrade", "self.transport.set_protocol("),
    ]:
        function = getattr(base, method, None)
        assert function is not None, advice("uvicorn", f"{BASE}.{method} (it is gone)")
        assert needed in inspect.getsource(function), advice(
            "uvicorn", f"{BASE}.{method}, which no longer has `{needed}` in it"
        )


def test_uvicorn_takes_a_protocol_class_for_http() -> None:
    import uvicorn

    from facilitate.web import gate

    async def app(scope: Any, receive: Any, send: Any) -> None:  # never called
        raise AssertionError

    gated = gate.protocol(3)
    config = uvicorn.Config(app, http=gated, log_config=None, lifespan="off")
    config.load()
    assert config.http_protocol_class is gated, advice("uvicorn", "Config(http=a class)")


def test_h11_waits_for_a_body_in_send_body_and_is_done_when_it_is_in() -> None:
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\na")
    assert isinstance(conn.next_event(), h11.Request)
    assert conn.their_state is h11.SEND_BODY, advice("h11", "the state while a body comes in")
    conn.receive_data(b"b")
    while conn.their_state is h11.SEND_BODY and conn.next_event() is not h11.NEED_DATA:
        pass
    assert conn.their_state is h11.DONE, advice("h11", "the state once a request is all in")


def test_h11_stays_idle_until_a_request_head_is_complete() -> None:
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(HEAD[:-1])
    assert conn.next_event() is h11.NEED_DATA and conn.their_state is h11.IDLE, advice(
        "h11", "the state of a connection whose request head is not complete"
    )
    conn.receive_data(HEAD[-1:])
    complete = isinstance(conn.next_event(), h11.Request) and conn.their_state is not h11.IDLE
    assert complete, advice("h11", "the state of a connection whose request head is complete")
