"""Websocket clients for in-process tests: say hello, send commands, read until what you expect.

`receive_json` of Starlette's test session blocks forever when nothing comes, so every read here
has a timeout (a safety net, never a way to wait for something: each step of a test expects a
message that must arrive, an ack, an error or a view) and every search a bounded number of
messages.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import anyio
from starlette.testclient import TestClient, WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

RECEIVE_TIMEOUT = 5.0  # seconds; only reached when a test is wrong or the server hangs
MAX_MESSAGES = 200  # how many messages a search reads before giving up

Predicate = Callable[[dict[str, Any]], bool]


def receive_within(ws: WebSocketTestSession, timeout: float = RECEIVE_TIMEOUT) -> dict[str, Any]:
    """The next ASGI message the server sent to this socket, or TimeoutError."""

    async def receive() -> dict[str, Any]:
        with anyio.fail_after(timeout):
            return await ws._send_rx.receive()  # what receive() does, with a time limit

    return ws.portal.call(receive)


class Peer:
    """One websocket client of a meeting: remembers the newest view and own input it saw."""

    def __init__(self, ws: WebSocketTestSession, name: str) -> None:
        self.ws = ws
        self.name = name
        self.welcome: dict[str, Any] | None = None
        self.snapshot: dict[str, Any] | None = None
        self.view: dict[str, Any] | None = None
        self.mine: dict[str, Any] | None = None
        self.seen: list[dict[str, Any]] = []
        self.closed = False
        self._ids = itertools.count(1)

    # -- reading -------------------------------------------------------------------------

    def receive(self) -> dict[str, Any]:
        """The next message; WebSocketDisconnect when the server closed the socket."""
        try:
            message = receive_within(self.ws)
        except TimeoutError:
            raise AssertionError(
                f"{self.name}: nothing arrived within {RECEIVE_TIMEOUT} s; "
                f"last messages: {self.seen[-3:]}"
            ) from None
        if message["type"] == "websocket.close":
            raise WebSocketDisconnect(message.get("code", 1000), message.get("reason") or "")
        data: dict[str, Any] = json.loads(message["text"])
        self.seen.append(data)
        if data["type"] in ("view", "snapshot"):
            self.view = data["view"]
        if data["type"] in ("mine", "snapshot", "ack") and "mine" in data:
            self.mine = data["mine"]
        elif data["type"] == "ack" and "activity" in data:
            self.mine = merge_own(self.mine or {}, data)  # what the command changed
        return data

    def until(self, predicate: Predicate, limit: int = MAX_MESSAGES) -> dict[str, Any]:
        """Read until a message matches; fail after `limit` messages."""
        for _ in range(limit):
            message = self.receive()
            if predicate(message):
                return message
        raise AssertionError(f"{self.name}: no matching message in {limit}; last: {self.seen[-3:]}")

    def wait_view(self, predicate: Predicate, limit: int = MAX_MESSAGES) -> dict[str, Any]:
        """The newest view once it matches: the one already seen, or one still to come.

        Views are coalesced, so a state may be skipped; use predicates that describe the
        state you wait for, not one you expect to pass through.
        """
        if self.view is not None and predicate(self.view):
            return self.view
        self.until(lambda m: m["type"] in ("view", "snapshot") and predicate(m["view"]), limit)
        assert self.view is not None
        return self.view

    def wait_mine(self, predicate: Predicate, limit: int = MAX_MESSAGES) -> dict[str, Any]:
        """This participant's own input once it matches (seen already, or still to come)."""
        if self.mine is not None and predicate(self.mine):
            return self.mine
        self.until(lambda m: _carries_mine(m) and predicate(self.mine), limit)
        assert self.mine is not None
        return self.mine

    def closed_with(self, limit: int = MAX_MESSAGES) -> int:
        """Read until the server closes the socket; its close code."""
        for _ in range(limit):
            try:
                self.receive()
            except WebSocketDisconnect as exc:
                return exc.code
        raise AssertionError(f"{self.name}: still open after {limit} messages")

    # -- writing -------------------------------------------------------------------------

    def next_id(self) -> str:
        return f"{self.name}-{next(self._ids)}"

    def send(self, type: str, id: str | None = None, **data: Any) -> str:
        """Send a command without waiting; its id."""
        client_id = id or self.next_id()
        self.ws.send_json({"type": type, "id": client_id, **data})
        return client_id

    def do(self, type: str, id: str | None = None, **data: Any) -> dict[str, Any]:
        """Send a command and read until its ack or error (views on the way are remembered)."""
        client_id = self.send(type, id, **data)
        return self.answer(client_id)

    def answer(self, client_id: str) -> dict[str, Any]:
        """The ack or error for a command id already sent."""
        return self.until(lambda m: m["type"] in ("ack", "error") and m.get("id") == client_id)

    def ok(self, type: str, id: str | None = None, **data: Any) -> dict[str, Any]:
        """Send a command that must be accepted."""
        answer = self.do(type, id, **data)
        assert answer["type"] == "ack", f"{self.name}: {type} {data} refused: {answer}"
        return answer

    def refused(self, type: str, **data: Any) -> str:
        """Send a command that must be refused; the error code."""
        answer = self.do(type, **data)
        assert answer["type"] == "error", f"{self.name}: {type} {data} accepted: {answer}"
        assert answer["message"], answer
        code: str = answer["code"]
        return code

    # -- the end -------------------------------------------------------------------------

    def close(self) -> None:
        """Disconnect (idempotent): the server sees the socket go away."""
        if not self.closed:
            self.closed = True
            self.ws.__exit__(None, None, None)


class Peers:
    """Connects clients to one meeting over one TestClient; closes them all at the end."""

    def __init__(self, client: TestClient, meeting: dict[str, Any]) -> None:
        self.client = client
        self.meeting = meeting
        self.code: str = meeting["code"]
        self.all: list[Peer] = []
        self._names = itertools.count(1)

    def open(
        self, name: str = "ws", *, code: str | None = None, headers: dict[str, str] | None = None
    ) -> Peer:
        """A connected socket that has not said hello yet."""
        ws = self.client.websocket_connect(f"/{code or self.code}/ws", headers=dict(headers or {}))
        session = ws.__enter__()
        peer = Peer(session, name)
        self.all.append(peer)
        return peer

    def hello(self, role: str, name: str, **fields: Any) -> Peer:
        """A client that said hello and read its welcome and snapshot."""
        headers = fields.pop("headers", None)
        peer = self.open(name, headers=headers)
        peer.ws.send_json(
            {"type": "hello", "role": role, **{k: v for k, v in fields.items() if v is not None}}
        )
        peer.welcome = peer.receive()
        assert peer.welcome["type"] == "welcome", peer.welcome
        peer.snapshot = peer.receive()
        assert peer.snapshot["type"] == "snapshot", peer.snapshot
        return peer

    def phone(
        self, token: str | None = None, lang: str = "en", name: str | None = None, **fields: Any
    ) -> Peer:
        return self.hello(
            "participant", name or f"phone{next(self._names)}", token=token, lang=lang, **fields
        )

    def console(self, key: str | None = None, lang: str = "en", **fields: Any) -> Peer:
        return self.hello(
            "facilitator",
            f"console{next(self._names)}",
            key=key or self.meeting["facilitator_key"],
            lang=lang,
            **fields,
        )

    def screen(self, key: str | None = None, lang: str = "en", **fields: Any) -> Peer:
        return self.hello(
            "screen",
            f"screen{next(self._names)}",
            key=key or self.meeting["screen_key"],
            lang=lang,
            **fields,
        )

    def refused_hello(self, hello: dict[str, Any], **open_args: Any) -> tuple[dict[str, Any], int]:
        """Say a hello the server refuses: its error and the close code."""
        peer = self.open("refused", **open_args)
        peer.ws.send_json(hello)
        error = peer.receive()
        return error, peer.closed_with()

    def close_all(self) -> None:
        for peer in reversed(self.all):
            peer.close()


# -- the record and views ----------------------------------------------------------------


def record(client: TestClient, meeting: dict[str, Any]) -> dict[str, Any]:
    """The meeting's record through the API."""
    response = client.get(
        f"/api/meetings/{meeting['code']}/record",
        headers={"authorization": f"Bearer {meeting['facilitator_key']}"},
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def activity_record(client: TestClient, meeting: dict[str, Any], activity: str) -> dict[str, Any]:
    """One activity of the record."""
    for item in record(client, meeting)["activities"]:
        if item["id"] == activity:
            return item  # type: ignore[no-any-return]
    raise AssertionError(f"no activity {activity!r} in the record")


def current(view: dict[str, Any]) -> dict[str, Any]:
    """The current activity of a view ({} in the lobby)."""
    return view.get("activity") or {}


# -- HTML ------------------------------------------------------------------------------------


class Scripts(HTMLParser):
    """Collects the <script> elements of a page, with their attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, Any]] = []
        self.handlers: list[tuple[str, str]] = []  # inline event handler attributes
        self._inside: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, _ in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
        if tag == "script":
            self._inside = {"attrs": dict(attrs), "text": ""}
            self.scripts.append(self._inside)

    def handle_data(self, data: str) -> None:
        if self._inside is not None:
            self._inside["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = None


def scripts(html: str) -> Scripts:
    parser = Scripts()
    parser.feed(html)
    parser.close()
    return parser


OWN = ("mine", "activity", "own", "note")  # what a phone's ack may carry of its own input


def _carries_mine(message: dict[str, Any]) -> bool:
    return "mine" in message or (message["type"] == "ack" and "activity" in message)


def merge_own(mine: dict[str, Any], ack: dict[str, Any]) -> dict[str, Any]:
    """A phone's whole `mine` after an ack that carries what its command changed: as
    static/js/live.js merges it (docs/protocol.md)."""
    activity = ack["activity"]
    entry = dict(ack["own"])
    notes = list(mine.get(activity, {}).get("notes", []))
    note = ack.get("note")
    if note is not None:
        ids = [n["id"] for n in notes]
        if note["id"] in ids:
            notes[ids.index(note["id"])] = note
        else:
            notes.append(note)
    if notes:
        entry["notes"] = notes
    merged = {k: v for k, v in mine.items() if k != activity}
    if entry:
        merged[activity] = entry
    return merged
