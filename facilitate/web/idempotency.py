"""Requests that must not happen twice: a repeated `Idempotency-Key` gets the first answer.

A double click on "Start this meeting", or a page that sends again after a dropped answer, would
otherwise make two meetings. The answers are kept in memory only, for a minute, per address and
key; a request that arrives while the first is still being answered waits for that answer.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from starlette.responses import Response

TTL = 60.0
MAX_KEY = 100  # characters; a longer key is not one a page of ours made
MAX_ENTRIES = 10_000  # bound the memory one client spraying keys can make us use


class Idempotency:
    """The first answer to each (address, key), replayed for a minute."""

    def __init__(self, ttl: float = TTL, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._answers: OrderedDict[tuple[str, str], tuple[float, asyncio.Future[Response]]] = (
            OrderedDict()
        )

    async def once(
        self, address: str, key: str, answer: Callable[[], Awaitable[Response]]
    ) -> Response:
        """`answer()`'s response, or a copy of the one a request with the same key got.

        Only a success (2xx) is kept: a refused request may be sent again and succeed.
        """
        now = self.clock()
        self._forget(now)
        slot = (address, key)
        found = self._answers.get(slot)
        if found is not None:
            return _copy(await asyncio.shield(found[1]))
        future: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
        self._answers[slot] = (now + self.ttl, future)
        while len(self._answers) > MAX_ENTRIES:
            self._answers.popitem(last=False)
        try:
            response = await answer()
        except BaseException as exc:
            self._answers.pop(slot, None)
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        if not 200 <= response.status_code < 300:
            self._answers.pop(slot, None)
        future.set_result(response)
        return response

    def _forget(self, now: float) -> None:
        while self._answers:
            expires, _ = next(iter(self._answers.values()))
            if expires > now:
                break
            self._answers.popitem(last=False)


def _copy(response: Response) -> Response:
    """A fresh response with the same status and body (a response object is sent once)."""
    return Response(response.body, status_code=response.status_code, media_type=response.media_type)
