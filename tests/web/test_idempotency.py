"""Idempotency: the first answer to an (address, key), replayed for a minute, once at a time."""

from __future__ import annotations

import asyncio

import pytest
from starlette.responses import JSONResponse, Response

from facilitate.web.idempotency import TTL, Idempotency


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Maker:
    """Makes numbered answers, each after the test lets it go."""

    def __init__(self, status: int = 201) -> None:
        self.made = 0
        self.status = status
        self.go = asyncio.Event()
        self.go.set()

    async def __call__(self) -> Response:
        self.made += 1
        number = self.made
        await self.go.wait()
        return JSONResponse({"n": number}, status_code=self.status)


@pytest.mark.asyncio
async def test_a_repeated_key_gets_the_first_answer_until_it_expires() -> None:
    clock = Clock()
    once, make = Idempotency(clock=clock), Maker()
    first = await once.once("10.0.0.1", "k", make)
    again = await once.once("10.0.0.1", "k", make)
    elsewhere = await once.once("10.0.0.2", "k", make)  # another address, another answer
    assert (first.body, again.body, elsewhere.body) == (b'{"n":1}', b'{"n":1}', b'{"n":2}')
    assert again.status_code == 201 and again.media_type == "application/json"
    clock.now += TTL + 1
    assert (await once.once("10.0.0.1", "k", make)).body == b'{"n":3}'


@pytest.mark.asyncio
async def test_a_request_that_arrives_while_the_first_is_answered_waits_for_its_answer() -> None:
    once, make = Idempotency(clock=Clock()), Maker()
    make.go.clear()
    first = asyncio.create_task(once.once("a", "k", make))
    second = asyncio.create_task(once.once("a", "k", make))
    await asyncio.sleep(0)
    make.go.set()
    answers = await asyncio.gather(first, second)
    assert make.made == 1
    assert [a.body for a in answers] == [b'{"n":1}', b'{"n":1}']


@pytest.mark.asyncio
async def test_a_refused_or_failed_request_is_not_kept() -> None:
    once, refused = Idempotency(clock=Clock()), Maker(status=429)
    assert (await once.once("a", "k", refused)).status_code == 429
    assert (await once.once("a", "k", refused)).body == b'{"n":2}'

    async def broken() -> Response:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        await once.once("a", "j", broken)
    assert (await once.once("a", "j", Maker())).status_code == 201
