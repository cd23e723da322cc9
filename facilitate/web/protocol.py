"""The websocket protocol `facilitate serve` runs: uvicorn's sans-I/O one, with three changes.

Read-ahead. uvicorn pauses reading a socket after every message until the app has taken it, and
resumes it after: two `epoll_ctl` calls per message, a fifth of the server's time in a flood of
notes. Here up to READ_AHEAD messages may wait before reading pauses, which still stops a client
that sends faster than the app reads.

Pre-built frames. A fan-out sends the same view to thousands of sockets. The ASGI extension
`facilitate.frames` (in the connection's scope) offers `write(frame) -> bool`: it writes a
frame the app built once straight to the socket, instead of one ASGI `send` and one frame
serialisation per socket. It refuses (returns False) unless the socket is open and has nothing
waiting to go out, so a client that reads slowly gets the ordinary, flow-controlled `send`.

Direct delivery. The same extension offers `deliver(receiver)`: from then on each message is
handed to `receiver(text_or_bytes)` as soon as it is read, instead of being queued for the app
to `receive()` (a queue, a task woken and a dict per message). The app must not await in the
receiver; the disconnect still arrives through `receive()`. While a connection delivers directly
and sits between frames, the common frame (a complete, final, masked text frame within the size
limit) is unmasked and handed over here; from the first frame that is anything else (a ping, a
close, binary, fragmented, unmasked, too big, not UTF-8, or cut off), the bytes go to the
websockets parser as before, which then owns every rule of RFC 6455.

uvicorn's class is internal and changes between minor releases: pyproject.toml pins the uvicorn
and websockets releases this was checked on, and tests/web/test_protocol_internals.py lists
every method and attribute used here and says which one a new release moved.
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

from facilitate import runtime

try:  # websockets' C version when it was built, as websockets.frames itself picks it
    from websockets.speedups import apply_mask
except ImportError:  # a pure-Python install of websockets
    from websockets.utils import apply_mask

if TYPE_CHECKING:
    from uvicorn._types import WebSocketReceiveEvent

EXTENSION = "facilitate.frames"
READ_AHEAD = 16  # messages a socket may have waiting for the app before reading pauses
Receiver = Callable[[str | bytes], None]


def text_frame(text: str) -> bytes:
    """A server's (unmasked, final) websocket text frame holding `text` (RFC 6455, 5.2)."""
    payload = text.encode()
    n = len(payload)
    if n < 126:
        return bytes((0x81, n)) + payload
    if n < 1 << 16:
        return struct.pack("!BBH", 0x81, 126, n) + payload
    return struct.pack("!BBQ", 0x81, 127, n) + payload


class FramesProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websocket protocol with read-ahead and the `facilitate.frames` extension."""

    receiver: Receiver | None = None
    # The size a frame may have (the connection's message and fragment limits), read when
    # direct delivery starts: None for no limit. Until then 0, so that no frame takes the
    # shortcut: every one goes to websockets, which then owns every rule.
    limit: int | None = 0
    # Gives the connection's place in its address's count back when the socket closes: set by
    # the HTTP protocol that upgraded it (web/gate.py).
    leave: Callable[[], None] | None = None

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        if scope is not None:  # None when the upgrade was refused
            scope["extensions"][EXTENSION] = {"write": self.write_frame, "deliver": self.deliver}

    def deliver(self, receiver: Receiver) -> None:
        """Hand every later message to `receiver` as it is read; messages already waiting go
        to it first, in order. Only the disconnect still goes through `receive()`."""
        waiting = []
        while not self.queue.empty():
            waiting.append(self.queue.get_nowait())
        conn = self.conn
        sizes = [n for n in (conn.max_message_size, conn.max_fragment_size) if n is not None]
        self.limit = min(sizes) if sizes else None
        self.receiver = receiver
        for message in waiting:
            if message["type"] == "websocket.receive":
                text = message.get("text")
                self._hand(text if text is not None else message.get("bytes") or b"")
            else:
                self.queue.put_nowait(message)
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()

    def _hand(self, message: str | bytes) -> None:
        receiver = self.receiver
        if receiver is None:
            return
        try:
            receiver(message)
        except Exception:
            self._receiver_failed()

    def _receiver_failed(self) -> None:
        """A bug in the app: end this connection as uvicorn would (1011)."""
        self.logger.exception("Exception in the websocket receiver")
        self.receiver = None
        if not self.close_sent and not self.transport.is_closing():
            with contextlib.suppress(Exception):
                self.conn.send_close(1011)
                self.handle_parser_exception()

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if self.leave is not None:
            leave, self.leave = self.leave, None
            leave()
        runtime.collector.connection_closed()  # it leaves cycles behind for the collector

    def write_frame(self, frame: bytes) -> bool:
        """Write a pre-built frame if the socket is open and idle; False if it was not sent."""
        transport = self.transport
        if (
            self.close_sent
            or self.disconnected
            or not self.handshake_complete
            or self.initial_response is not None
            or self.conn.state is not State.OPEN
            or transport.is_closing()
            or transport.get_write_buffer_size()
        ):
            return False
        transport.write(frame)
        return True

    def data_received(self, data: bytes) -> None:
        if self.receiver is not None and self._between_frames():
            data = self._take_text_frames(data)
            if not data:
                return
        super().data_received(data)

    def _between_frames(self) -> bool:
        """Open, no message half-read by uvicorn or websockets, nothing buffered."""
        conn = self.conn
        return (
            conn.state is State.OPEN
            and conn.current_size is None
            and conn.parser_exc is None
            and not conn.reader.buffer
            and not self.frames
            and not self.close_sent
        )

    def _take_text_frames(self, data: bytes) -> bytes:
        """Hand the complete, final, masked text frames at the start of `data` to the receiver;
        return the rest, from the first frame that is anything else, for websockets."""
        limit, receiver = self.limit, self.receiver
        assert receiver is not None  # data_received checked
        end = len(data)
        at = 0
        while at + 6 <= end and data[at] == 0x81 and data[at + 1] & 0x80:  # FIN, text, masked
            size = data[at + 1] & 0x7F
            mask = at + 2
            if size == 126:
                size = int.from_bytes(data[mask : mask + 2], "big")
                mask += 2
            elif size == 127:
                break  # beyond any limit we set; websockets refuses it
            start = mask + 4
            stop = start + size
            if stop > end or (limit is not None and size > limit):
                break
            try:
                text = apply_mask(data[start:stop], data[mask:start]).decode()
            except UnicodeDecodeError:
                break  # websockets and uvicorn close with 1007
            at = stop
            try:
                receiver(text)  # (not through _hand: a call less for every frame)
            except Exception:
                self._receiver_failed()
            if self.receiver is None or self.close_sent:
                break  # the receiver ended the connection: the rest is websockets' to judge
        return data[at:] if at else data

    def send_receive_event_to_app(self) -> None:
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        if self.close_sent:
            return  # past `websocket.close`: keep reading until the peer's close reply
        message: str | bytes = data
        if self.curr_msg_data_type == "text":
            try:
                message = data.decode()
            except UnicodeDecodeError:
                self.conn.send_close(1007)
                self.handle_parser_exception()
                return
        if self.receiver is not None:
            self._hand(message)
            return
        event: WebSocketReceiveEvent = (
            {"type": "websocket.receive", "text": message}
            if isinstance(message, str)
            else {"type": "websocket.receive", "bytes": message}
        )
        self.queue.put_nowait(event)
        if not self.read_paused and self.queue.qsize() >= READ_AHEAD:
            self.read_paused = True
            self.transport.pause_reading()

    async def receive(self) -> Any:
        message = await self.queue.get()
        if self.read_paused and self.queue.qsize() <= READ_AHEAD // 2:
            self.read_paused = False
            self.transport.resume_reading()
        return message
