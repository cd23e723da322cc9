"""A thin websocket client for the load test: just enough RFC 6455 to speak our protocol.

Measured here first: a swarm built on a full websocket library spent ten times longer in itself
than the server did, so it measured the client. This one does the handshake once, frames text
with an all-zero mask (valid, and free to apply), and reads frames without copying more than
it must. It is for loopback benchmarks only, and for the tests that put a proxy in front of
real servers (tests/cluster/test_deploy.py), which is why it can speak TLS and send an Origin.
"""

from __future__ import annotations

import asyncio
import base64
import os
import ssl
import struct

_MASK_ZERO = b"\x00\x00\x00\x00"


class Closed(Exception):
    """The server closed the connection (or it broke)."""


class Wire:
    """One client connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(
        cls,
        host: str,
        port: int,
        path: str,
        *,
        rcvbuf: int | None = None,
        timeout: float = 30.0,
        tls: ssl.SSLContext | None = None,
        origin: str | None = None,
    ) -> Wire:
        """Open the connection (over TLS with `tls`) and do the upgrade; `origin` is sent as a
        browser's page would send it."""
        sock = None
        server_hostname = host if tls is not None else None
        if rcvbuf is not None:
            import socket

            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, (host, port))
            reader, writer = await asyncio.open_connection(
                sock=sock, limit=2**20, ssl=tls, server_hostname=server_hostname
            )
        else:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, limit=2**20, ssl=tls), timeout
            )
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                + (f"Origin: {origin}\r\n" if origin else "")
                + "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        except BaseException:  # closed or timed out mid-handshake: let go of the socket now
            writer.transport.abort()
            raise
        if not head.startswith(b"HTTP/1.1 101"):
            writer.transport.abort()  # at once: over TLS, close() would wait for a round trip
            raise Closed(head.split(b"\r\n", 1)[0].decode(errors="replace"))
        return cls(reader, writer)

    def send(self, text: str) -> None:
        payload = text.encode()
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        self.writer.write(header + _MASK_ZERO + payload)

    async def recv(self) -> bytes:
        """The next text frame's payload (pings are answered, closes raise Closed)."""
        read = self.reader.readexactly
        while True:
            try:
                b1, b2 = await read(2)
                n = b2 & 0x7F
                if n == 126:
                    (n,) = struct.unpack("!H", await read(2))
                elif n == 127:
                    (n,) = struct.unpack("!Q", await read(8))
                payload = await read(n) if n else b""
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                raise Closed(str(exc)) from exc
            opcode = b1 & 0x0F
            if opcode == 0x1:
                return payload
            if opcode == 0x8:
                raise Closed(f"close {payload[:2].hex()}")
            if opcode == 0x9:  # ping: answer pong with the same payload
                self.writer.write(
                    struct.pack("!BB", 0x8A, 0x80 | len(payload)) + _MASK_ZERO + payload
                )

    def close(self) -> None:
        try:
            self.writer.write(bytes((0x88, 0x82)) + _MASK_ZERO + struct.pack("!H", 1000))
            self.writer.close()
        except (ConnectionError, RuntimeError):
            pass

    async def wait_closed(self, timeout: float = 2.0) -> None:
        """After `close()`, until the socket is closed: over TLS only once the closing handshake
        has gone back and forth, which needs the loop. Past `timeout` it is dropped."""
        try:
            await asyncio.wait_for(self.writer.wait_closed(), timeout)
        except Exception:  # timed out, or the connection broke on the way: closed either way
            self.writer.transport.abort()

    def abort(self) -> None:
        """Drop the connection without a close frame, as a phone leaving the Wi-Fi does."""
        transport = self.writer.transport
        transport.abort()
