"""The door of `facilitate serve`: which connections get in, and how long they may take to ask.

Slowloris: a client opens connections and sends each request head a byte at a time, and every
one of them holds a file descriptor for as long as the client likes. uvicorn times out an idle
kept-alive connection, but nothing bounds how long a request head may take, nor a connection
that never sends a byte. Under the common limit of 1,024 open files, 1,100 such connections
from one address kept every phone, the screen and the console out. So, before anything reaches
the app:

- A deadline for the request head: HEAD_TIMEOUT seconds from the connection, or on a kept-alive
  connection from the first byte of the next request, until the head is complete. A trickle of
  bytes does not extend it. A connection past it is closed without an answer, as nginx does at
  its `client_header_timeout`. A websocket's upgrade request is such a head; after it, the
  app's `hello` has its own deadline (web/ws.py, 15 s), and uvicorn gives a websocket's closing
  handshake 10 s. A request body that is announced and trickled in holds a descriptor just as
  well, so it has a deadline too: BODY_TIMEOUT seconds from the end of the head.
- A cap on the connections one client address holds at once (see `Gate`).

Why a subclass of uvicorn's h11 protocol rather than an asyncio wrapper around whichever
protocol uvicorn picks: the deadline must know where a request head ends, on a kept-alive
connection too, and the cap must see a connection close whatever it has become. A wrapper would
parse HTTP a second time to find the ends of heads, and stand in for the transport to outlive
the upgrade to a websocket. The subclass reads the h11 connection uvicorn keeps anyway (h11's
public state: `their_state` is IDLE until a request head has been parsed, SEND_BODY while its
body comes in, DONE once the request is all in), sees the upgrade as the transport having
another protocol (asyncio's `get_protocol()`), and overrides only asyncio's protocol methods:
connection_made, data_received, connection_lost. `facilitate serve` names this
class rather than uvicorn's "auto", which would pick httptools when it is installed: the rules
then hold whatever else is installed, and httptools' faster parsing matters little to a server
whose phones make a few HTTP requests each and then talk over one websocket.
tests/web/test_gate_internals.py checks what this relies on; pyproject.toml pins uvicorn.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from facilitate.limits import Connections
from facilitate.web.protocol import FramesProtocol

HEAD_TIMEOUT = 10.0  # seconds for a request head; a phone on weak Wi-Fi sends its ~1 KB in one go
BODY_TIMEOUT = 30.0  # seconds for a body (the API takes at most 256 KiB: 9 KiB/s)
WARN_EVERY = 60.0  # seconds between two log lines about refused connections

logger = logging.getLogger("uvicorn.error")


class Gate:
    """What every connection to one server shares: how many each address holds, the deadlines.

    Every TCP connection counts toward its address's cap, whether it carries page loads or a
    websocket (it is descriptors that run out), from when it is accepted until its socket
    closes, across the upgrade to a websocket. One over the cap is closed at once, before a byte
    of it is read. The cap is the setting `max_connections_per_address` (default 100; 0: none):
    a phone holds one websocket and, while a page loads, a few connections more. The app's own
    count of websockets per address (web/ws.py) stays for servers started another way.
    """

    def __init__(
        self, limit: int, head_timeout: float = HEAD_TIMEOUT, body_timeout: float = BODY_TIMEOUT
    ) -> None:
        self.addresses = Connections(limit)
        self.head_timeout = head_timeout
        self.body_timeout = body_timeout
        self.refused = 0  # over the cap since the last log line about it
        self.warned_at: float | None = None

    def refuse(self, now: float) -> None:
        """Count a refused connection; say so in the log at most once every WARN_EVERY s."""
        self.refused += 1
        if self.warned_at is not None and now - self.warned_at < WARN_EVERY:
            return
        logger.warning(
            "Refused %d connection(s) from an address already holding %d "
            "(FACILITATE_MAX_CONNECTIONS_PER_ADDRESS): a device opening too many, or many "
            "phones behind one proxy or NAT, which needs a higher limit.",
            self.refused,
            self.addresses.limit,
        )
        self.refused = 0
        self.warned_at = now


class GatedProtocol(H11Protocol):
    """uvicorn's h11 protocol with the deadline and the cap; `protocol()` makes one per server."""

    gate: ClassVar[Gate] = Gate(0)
    address: str | None = None  # counted in the gate until the socket closes
    deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) and peer else "unknown"
        if not self.gate.addresses.acquire(address):
            self.gate.refuse(self.loop.time())
            transport.close()
            return
        self.address = address
        self._arm(self.gate.head_timeout)

    def data_received(self, data: bytes) -> None:
        before = self.conn.their_state
        if self.deadline is None and before is h11.IDLE:
            self._arm(self.gate.head_timeout)  # the first byte of the next kept-alive request
        elif self.deadline is None and before is h11.SEND_BODY:
            self._arm(self.gate.body_timeout)  # a body after a head uvicorn parsed by itself
        super().data_received(data)
        successor = self.transport.get_protocol()
        after = self.conn.their_state
        if successor is not self:
            self._upgraded(successor)
        elif after is h11.SEND_BODY and before is h11.IDLE:
            self._disarm()  # the head is complete, and a body follows
            self._arm(self.gate.body_timeout)
        elif after is not h11.IDLE and after is not h11.SEND_BODY:
            self._disarm()  # the request is all in (or broken: uvicorn has answered 400)

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self._disarm()
        self._leave()

    def _arm(self, seconds: float) -> None:
        if not self.transport.is_closing():
            self.deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def _too_slow(self) -> None:
        self.deadline = None
        waiting = self.conn.their_state in (h11.IDLE, h11.SEND_BODY)
        if waiting and self.transport.get_protocol() is self:
            self.transport.close()

    def _upgraded(self, successor: asyncio.BaseProtocol) -> None:
        """The websocket protocol owns the socket now: it gives the place in the count back."""
        self._disarm()
        if isinstance(successor, FramesProtocol) and self.address is not None:
            successor.leave = functools.partial(self.gate.addresses.release, self.address)
            self.address = None
        else:
            self._leave()  # a websocket protocol that cannot tell when it closes is not counted

    def _leave(self) -> None:
        if self.address is not None:
            self.gate.addresses.release(self.address)
            self.address = None


def protocol(
    limit: int, head_timeout: float = HEAD_TIMEOUT, body_timeout: float = BODY_TIMEOUT
) -> type[GatedProtocol]:
    """The HTTP protocol class for one server (`uvicorn.run(http=...)`), with its own gate."""

    class Gated(GatedProtocol):
        gate = Gate(limit, head_timeout, body_timeout)

    return Gated
