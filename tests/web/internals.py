"""What the internals tests of web/protocol.py and web/gate.py share: finding the uvicorn class
they subclass, saying what to do when a release moved it, and making one the way uvicorn does."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import Callable, Iterator
from importlib import metadata
from typing import Any

import pytest


def advice(package: str, what: str, ours: str, cls: str, tests: str, pin: str = "") -> str:
    """The failure message: what moved, in which release, and how to adapt `ours`."""
    return (
        f"{package} {metadata.version(package)} changed {what}, which {ours} relies on. "
        f"Read the new source, adapt {cls}, make {tests} pass, then move the "
        f"{package} pin in pyproject.toml{pin}. Until then, install a {package} in the "
        f"pinned range."
    )


def base_class(module: str, name: str, where: str, advise: Callable[[str, str], str]) -> type:
    """uvicorn's class `module.name`, or a failure that says what moved."""
    try:
        found = importlib.import_module(module)
    except ImportError as error:
        pytest.fail(advise("uvicorn", f"where its {where} lives ({error})"))
    if not hasattr(found, name):
        pytest.fail(advise("uvicorn", f"the name of {module}.{name} (it is gone)"))
    base: type = getattr(found, name)
    return base


@contextlib.contextmanager
def made_by_uvicorn(cls: type, **config: Any) -> Iterator[Any]:
    """A protocol as uvicorn makes one for a new connection (no connection yet)."""
    import uvicorn
    from uvicorn.server import ServerState

    async def app(scope: Any, receive: Any, send: Any) -> None:  # never called
        raise AssertionError

    settings = uvicorn.Config(app, log_config=None, lifespan="off", **config)
    settings.load()
    loop = asyncio.new_event_loop()
    try:
        yield cls(settings, ServerState(), {}, _loop=loop)
    finally:
        loop.close()


async def start(config: Any, servers: list[tuple[Any, asyncio.Task[None]]]) -> None:
    """Serve `config` (a uvicorn.Config) in this event loop until the test ends; the fixture
    that calls this stops everything in `servers` afterwards."""
    import uvicorn

    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(500):  # uvicorn says it has started with a flag, not an event
        if server.started:
            break
        await asyncio.sleep(0.01)
    assert server.started
    servers.append((server, task))
