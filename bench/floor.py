"""The raw floor: the least a server can do to send one frame to every socket.

A bare asyncio server accepts websocket upgrades and, on request, writes one pre-built frame to
every connection with `transport.write`. The benchmark runs it in the same way as the app (on the
same event loop: uvloop where it is installed, as uvicorn picks it) and reports the app's cost
per connection as a multiple of this one.

Run: python -m bench.floor PORT
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import struct
import sys

GUID = b"258EAFA5-E14A-47DA-95CA-C5AB0DC11B65"


def frame(size: int) -> bytes:
    payload = b'{"type":"view","view":' + b"x" * max(0, size - 24) + b"}"
    n = len(payload)
    header = struct.pack("!BB", 0x81, n) if n < 126 else struct.pack("!BBH", 0x81, 126, n)
    return header + payload


class Floor(asyncio.Protocol):
    clients: set[asyncio.Transport] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buffer = b""
        self.upgraded = False

    def data_received(self, data: bytes) -> None:
        if self.upgraded:
            return  # the floor ignores what clients say
        self.buffer += data
        if b"\r\n\r\n" not in self.buffer:
            return
        head = self.buffer.decode("latin-1")
        path = head.split(" ", 2)[1]
        if path.startswith("/healthz"):
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            self.transport.close()
            return
        if path.startswith("/broadcast"):
            size = int(path.split("size=")[1].split("&")[0])
            data = frame(size)
            for client in list(Floor.clients):
                client.write(data)
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            self.transport.close()
            return
        key = next(
            line.split(":", 1)[1].strip()
            for line in head.split("\r\n")
            if line.lower().startswith("sec-websocket-key")
        )
        accept = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
        self.transport.write(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        self.upgraded = True
        Floor.clients.add(self.transport)

    def connection_lost(self, exc: Exception | None) -> None:
        Floor.clients.discard(self.transport)


async def main(port: int) -> None:
    server = await asyncio.get_running_loop().create_server(Floor, "127.0.0.1", port, backlog=4096)
    async with server:
        await server.serve_forever()


def run(port: int) -> None:
    try:
        import uvloop
    except ImportError:
        asyncio.run(main(port))
    else:
        uvloop.run(main(port))


if __name__ == "__main__":
    run(int(sys.argv[1]))
