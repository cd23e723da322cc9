"""A real server killed mid-meeting: after a restart on the same database nothing acked is lost.

Starts `python -m facilitate serve` on 127.0.0.1 and a free port, talks to it with the
`websockets` client and plain HTTP, SIGKILLs it and starts it again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from bench.server import serve_command

pytestmark = pytest.mark.slow

HOST = "127.0.0.1"
STARTUP_SECONDS = 20.0
RECEIVE_SECONDS = 10.0
NOTE = "Busstasjonen, fredag kveld"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    """One `facilitate serve` process; `start()` waits until /healthz answers."""

    def __init__(self, db: Path, port: int, logs: Path) -> None:
        self.db = db
        self.port = port
        self.logs = logs
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self.starts += 1
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATE_")}
        log = self.logs / f"server-{self.starts}.log"
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                serve_command(self.port, self.db),
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the server exited with {self.process.returncode}:\n"
                    + log.read_text("utf-8", "replace")
                )
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)  # polling a process that is starting up
        raise AssertionError(
            "the server did not answer /healthz in time:\n" + log.read_text("utf-8", "replace")
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, no goodbyes."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def request(
        self, method: str, path: str, body: Any = None, key: str | None = None
    ) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base}{path}", data=data, method=method)
        request.add_header("content-type", "application/json")
        if key:
            request.add_header("authorization", f"Bearer {key}")
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())

    def ws(self, code: str) -> ClientConnection:
        return connect(f"ws://{HOST}:{self.port}/{code}/ws", open_timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "restart.db", free_port(), tmp_path)
    try:
        yield running
    finally:
        running.kill()


def receive(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=RECEIVE_SECONDS))
    return message


def hello(ws: ClientConnection, role: str, **fields: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Say hello; the welcome and the snapshot."""
    ws.send(json.dumps({"type": "hello", "role": role, "lang": "en", **fields}))
    welcome, snapshot = receive(ws), receive(ws)
    assert welcome["type"] == "welcome", welcome
    assert snapshot["type"] == "snapshot", snapshot
    return welcome, snapshot


def command(ws: ClientConnection, type: str, id: str, **data: Any) -> dict[str, Any]:
    """Send a command and read until its ack or error."""
    ws.send(json.dumps({"type": type, "id": id, **data}))
    for _ in range(200):
        message = receive(ws)
        if message["type"] in ("ack", "error") and message.get("id") == id:
            return message
    raise AssertionError(f"no answer to {id}")


def acked(ws: ClientConnection, type: str, id: str, **data: Any) -> None:
    answer = command(ws, type, id, **data)
    bare = {k: v for k, v in answer.items() if k not in ("mine", "activity", "own", "note")}
    assert bare == {"type": "ack", "id": id}


def test_when_the_server_is_killed_then_acked_input_survives_a_restart(server: Server) -> None:
    server.start()
    status, meeting = server.request("POST", "/api/meetings", {"plan": "folkemote"})
    assert status == 201
    code, key = meeting["code"], meeting["facilitator_key"]

    with ExitStack() as sockets:
        console = sockets.enter_context(server.ws(code))
        hello(console, "facilitator", key=key)
        acked(console, "goto", "c-1", activity="safety-poll")
        acked(console, "goto", "c-2", activity="where-when")

        phone = sockets.enter_context(server.ws(code))
        welcome, snapshot = hello(phone, "participant")
        token = welcome["token"]
        assert snapshot["mine"] == {}
        acked(phone, "vote", "p-1", activity="safety-poll", choices=["fairly-unsafe"])
        acked(phone, "note", "p-2", activity="where-when", text=NOTE, column=0)
        _, before = server.request("GET", f"/api/meetings/{code}/record", key=key)

        server.kill()  # with both sockets still open

    server.start()
    with server.ws(code) as phone:
        welcome, snapshot = hello(phone, "participant", token=token)
        assert welcome == {
            "type": "welcome",
            "role": "participant",
            "meeting": code,
            "token": token,
        }
        assert snapshot["mine"] == {
            "safety-poll": {"choices": ["fairly-unsafe"]},
            "where-when": {
                "notes": [{"id": "n1", "text": NOTE, "merged": 0, "column": 0, "status": "visible"}]
            },
        }
        assert snapshot["view"]["activity"]["id"] == "where-when"
        # the phone never saw these acks (say): it sends them again
        acked(phone, "note", "p-2", activity="where-when", text=NOTE, column=0)
        acked(phone, "vote", "p-1", activity="safety-poll", choices=["fairly-unsafe"])

    _, after = server.request("GET", f"/api/meetings/{code}/record", key=key)
    assert after == before  # nothing added: not the resends, not the phone's return
    poll = next(a for a in after["activities"] if a["id"] == "safety-poll")
    notes = next(a for a in after["activities"] if a["id"] == "where-when")
    assert poll["tally"]["voters"] == 1 and poll["tally"]["counts"]["fairly-unsafe"] == 1
    assert [(n["id"], n["text"]) for n in notes["notes"]] == [("n1", NOTE)]
    assert after["participants"]["joined"] == 1


def test_when_the_server_restarts_then_the_console_carries_on_where_it_was(server: Server) -> None:
    server.start()
    _, meeting = server.request("POST", "/api/meetings", {"plan": "folkemote"})
    code, key = meeting["code"], meeting["facilitator_key"]
    with server.ws(code) as console:
        hello(console, "facilitator", key=key)
        acked(console, "goto", "c-1", activity="pain-joy")
        acked(console, "phase", "c-2", activity="pain-joy", phase="dots")
    server.kill()

    server.start()
    with server.ws(code) as console:
        _, snapshot = hello(console, "facilitator", key=key)
        view = snapshot["view"]
        assert view["current"] == "pain-joy"
        assert (view["activity"]["phase"], view["activity"]["open"]) == ("dots", True)
        # a resent command from before the kill is acked, a new one applied
        acked(console, "phase", "c-2", activity="pain-joy", phase="dots")
        acked(console, "close", "c-3", activity="pain-joy")
    with server.ws(code) as phone:
        hello(phone, "participant")
        answer = command(phone, "dot", "p-1", activity="pain-joy", note="n1", delta=1)
        assert (answer["type"], answer["code"]) == ("error", "closed")
