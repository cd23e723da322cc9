"""The websocket endpoint: hello, snapshot, then commands in and updates out.

One socket, four steps: check the Origin and the hello (role and key or token), send the
snapshot, then run a receive loop and a sender task side by side until either ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
from collections import deque
from collections.abc import Callable
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from facilitate import i18n
from facilitate.codec import encode, parse
from facilitate.core import views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, HELPER
from facilitate.core.text import PHONE_LANGUAGES, UI_LANGUAGES
from facilitate.hub import ROLES, Ended, Outlet, Stalled
from facilitate.limits import Bucket
from facilitate.meetings import Live, Outcome, participant_id
from facilitate.web import protocol, strings
from facilitate.web.context import TooManyGuesses, address, find_meeting, state
from facilitate.web.security import origin_allowed

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# A token the kiosk page made for the person in front of it (static/js/kiosk.js): the log marks
# the participant as one who came through a kiosk. Anyone can make such a token, as anyone can
# make any new token: the mark says where a participant says it came from, for the record's
# count, and grants nothing (docs/protocol.md, "Kiosk").
KIOSK_TOKEN = "kiosk-"
_ID = re.compile(r'"id"\s*:\s*"([^"\\]{1,64})"')
HELLO_TIMEOUT = 15.0
# An answer to a command: its id, and for an ack the activity and the note it posted (if any),
# or for a refusal the error's code and parameters.
Answer = tuple[str | None, str | None, str | None, tuple[str, dict[str, Any]] | None]
# Close codes in the 4000 range are ours (documented in docs/protocol.md).
CLOSE_UNKNOWN_MEETING = 4404
CLOSE_FORBIDDEN = 4403
CLOSE_BAD_HELLO = 4400
CLOSE_STALLED = 4408
CLOSE_FLOOD = 4429
CLOSE_TRY_AGAIN = 1013  # cluster mode: the meeting's owner cannot be reached just now
# Who a connection's commands come from, by its role (a phone's: its anonymous id).
ACTORS = {"facilitator": FACILITATOR, "helper": HELPER}
WHOLE = ""  # in place of a note id: the ack carries the phone's whole `mine`


async def meeting_socket(websocket: WebSocket) -> None:
    settings = state(websocket)["settings"]
    if not origin_allowed(
        websocket.headers.get("origin"),
        websocket.headers.get("host"),
        settings.public_url,
        settings.extra_origins,
    ):
        await websocket.close(code=CLOSE_FORBIDDEN, reason="origin not allowed")
        return
    await websocket.accept()
    catalogs = state(websocket)["catalogs"]
    connections = state(websocket)["connections"]
    who = address(websocket)
    if not connections.acquire(who):
        await _refuse(websocket, catalogs["en"], "too_many_connections", "", CLOSE_FLOOD)
        return
    try:
        await _serve(websocket, who)
    finally:
        connections.release(who)


async def _serve(websocket: WebSocket, who: str) -> None:
    meetings = state(websocket)["meetings"]
    catalogs = state(websocket)["catalogs"]
    try:
        live = await find_meeting(websocket, websocket.path_params["code"])
    except TooManyGuesses:
        await _refuse(websocket, catalogs["en"], "too_many_guesses", "", CLOSE_FLOOD)
        return
    if live is None:
        await _refuse(websocket, catalogs["en"], "unknown_meeting", "", CLOSE_UNKNOWN_MEETING)
        return
    if meetings.cluster is not None and not meetings.cluster.serves(live):
        # Another server owns the meeting and Redis, the way to it, is down: try again soon.
        with contextlib.suppress(Exception):
            await websocket.close(code=CLOSE_TRY_AGAIN)
        return
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), HELLO_TIMEOUT)
        hello = parse(raw)
    except (TimeoutError, WebSocketDisconnect, KeyError, RuntimeError):
        with contextlib.suppress(Exception):
            await websocket.close(code=CLOSE_BAD_HELLO)
        return
    except CommandError as exc:
        await _refuse(websocket, catalogs["en"], exc.code, exc.message, CLOSE_BAD_HELLO)
        return
    # A phone hears the server in any of the phone's languages; a console or a screen in the
    # meetings' languages.
    supported = PHONE_LANGUAGES if hello.data.get("role") == "participant" else UI_LANGUAGES
    lang = i18n.choose(
        hello.data.get("lang"), default=live.meeting.plan.language, supported=supported
    )
    translations = catalogs[lang]
    if hello.type != "hello" or hello.data["role"] not in ROLES:
        await _refuse(
            websocket, translations, "bad_role", "say hello with a role first", CLOSE_BAD_HELLO
        )
        return
    role = hello.data["role"]
    pid: str | None = None
    welcome: dict[str, Any] = {"type": "welcome", "role": role, "meeting": live.row.code}
    if role == "participant":
        token = hello.data.get("token")
        if token is not None and not TOKEN.fullmatch(token):
            await _refuse(websocket, translations, "bad_token", "malformed token", CLOSE_BAD_HELLO)
            return
        token = token or secrets.token_urlsafe(18)
        pid = participant_id(token)
        if pid not in live.meeting.participants:  # a new identity: the hall's budget for them
            if not state(websocket)["newcomers"].take(who):
                await _refuse(websocket, translations, "too_many_new_phones", "", CLOSE_FLOOD)
                return
            live.joins.add(who)
        welcome["token"] = token
        await meetings.join(live, pid, kiosk=token.startswith(KIOSK_TOKEN))
    elif role == "facilitator" and not live.is_facilitator(hello.data.get("key")):
        await _refuse(websocket, translations, "bad_key", "wrong facilitator key", CLOSE_FORBIDDEN)
        return
    elif role == "screen" and not live.is_screen(hello.data.get("key")):
        await _refuse(websocket, translations, "bad_key", "wrong screen key", CLOSE_FORBIDDEN)
        return
    elif role == "helper" and not live.is_helper(hello.data.get("key")):
        await _refuse(websocket, translations, "bad_key", "wrong helper key", CLOSE_FORBIDDEN)
        return

    # `facilitate serve`: idle sockets get pre-built frames, and commands come straight from
    # the socket (see facilitate.web.protocol). Elsewhere (the test client): plain ASGI.
    frames = websocket.scope.get("extensions", {}).get(protocol.EXTENSION, {})
    if frames:
        outlet = Outlet(role, pid, lang, write=frames["write"], framer=protocol.text_frame)
    else:
        outlet = Outlet(role, pid, lang)
    outlet.push(encode(welcome))
    outlet.push(meetings.snapshot(live, role, pid))
    live.room.enter(outlet)
    session = _Session(websocket, live, outlet, translations, who, frames.get("deliver"))
    receiver = asyncio.create_task(session.receive())
    sender = asyncio.create_task(session.send())
    outlet.sender = sender
    try:
        await asyncio.wait({receiver, sender}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        live.room.leave(outlet)
        for task in (receiver, sender):
            task.cancel()
        for task in (receiver, sender):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        # A stalled peer may never take the close frame: don't wait for it forever.
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2):
                await websocket.close(code=session.close_code)


async def _refuse(
    websocket: WebSocket, translations: Any, code: str, message: str, close_code: int
) -> None:
    text = strings.error_text(translations, code, {}) if code in strings.ERRORS else message
    with contextlib.suppress(Exception):
        await websocket.send_text(
            encode({"type": "error", "id": None, "code": code, "message": text})
        )
        await websocket.close(code=close_code)


class _Session:
    """One connected client after its hello."""

    def __init__(
        self,
        websocket: WebSocket,
        live: Live,
        outlet: Outlet,
        translations: Any,
        who: str,
        deliver: Callable[[Callable[[str | bytes], None]], None] | None = None,
    ) -> None:
        self.websocket = websocket
        self.who = who  # the client's address, for the console's flood warnings only
        self.meetings = state(websocket)["meetings"]
        self.deliver = deliver
        self.live = live
        self.outlet = outlet
        self.translations = translations
        self.actor = ACTORS.get(outlet.role, outlet.pid)
        # Phones: a burst of 20, then 5 a second. The console may click faster.
        self.bucket = Bucket(60, 20) if outlet.role == "facilitator" else Bucket(20, 5)
        self.close_code = 1000
        # Answers waiting for an earlier command's commit, in the order the commands came.
        self.answers: deque[tuple[Outcome | None, Answer]] = deque()
        self.drain = self._drain  # made once: it waits on every write

    async def send(self) -> None:
        # The raw ASGI send: this loop runs once per connection per update, so it skips the
        # wrapper's state checks (the socket is known to be accepted). The room's watchdog
        # cancels it when a send stays stuck (a phone that stopped reading).
        send = self.websocket._send
        outlet = self.outlet
        clock = asyncio.get_running_loop().time
        try:
            while True:
                frame = await outlet.next()
                outlet.since = clock()
                await send({"type": "websocket.send", "text": frame})
                outlet.since = None
        except Stalled:
            self.close_code = CLOSE_STALLED  # it rebuilds from a fresh snapshot on return
        except Ended as ended:
            self.close_code = ended.code
        except asyncio.CancelledError:
            if not outlet.stalled:
                raise
            self.close_code = CLOSE_STALLED
        except Exception:  # the socket went away: the receiver ends the session too
            return

    async def receive(self) -> None:
        """Take commands until the client goes away: straight from the socket where the
        server offers it, otherwise from ASGI `receive()`."""
        if self.deliver is not None:
            self.deliver(self.on_message)  # from now on only the disconnect is received
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            self.on_message(message["text"] if "text" in message else message.get("bytes", b""))

    def on_message(self, raw: str | bytes) -> None:
        """One frame from the client (binary frames are refused). Past the rate limit it gets
        `slow_down`; a client that keeps flooding is closed (after what is queued for it)."""
        # Inputs committed meanwhile get their acks now: a flood is read in one long turn of
        # the event loop, and they would otherwise wait for its end.
        self.meetings.writer.settle_ready()
        if self.outlet.ending is not None:
            return
        if not self.bucket.take():  # binary frames count too
            if self.bucket.refused > 200:
                self.close_code = CLOSE_FLOOD
                self.outlet.end(CLOSE_FLOOD)
                return
            # Name the command (cheaply, without parsing) so the client can drop or retry it.
            found = _ID.search(raw) if isinstance(raw, str) else None
            self.error(found.group(1) if found else None, "slow_down", {})
            return
        if not isinstance(raw, str):
            self.error(None, "bad_message", {})
            return
        self.handle(raw)

    def handle(self, raw: str) -> None:
        """Apply one command now; its ack goes out once it is committed. The next command is
        read without waiting for that commit, and answers still go out in the order the
        commands came in (a refusal waits for the acks before it)."""
        try:
            parsed = parse(raw)
        except CommandError as exc:
            self.error(None, exc.code, exc.params)
            return
        if parsed.type == "hello" or self.actor is None:
            self.error(parsed.id, "forbidden" if self.actor is None else "bad_message", {})
            return
        if parsed.type == "note":
            self.live.notes_from.add(self.who)
        meeting = self.live.meeting
        version = meeting.version
        actor, command = self.actor, parsed
        try:
            if parsed.type == "scribe_for":  # a phone with its table's scribe code
                if self.outlet.pid is None:
                    raise CommandError("forbidden", "only a phone becomes a table's scribe")
                actor, command = FACILITATOR, self.live.appointment(parsed, self.outlet.pid)
            written = self.meetings.submit(self.live, actor, command)
        except CommandError as exc:
            self.error(parsed.id, exc.code, exc.params)
            return
        except Exception:
            self.error(parsed.id, "storage", {})
            return
        activity = parsed.data.get("activity") if self.outlet.pid is not None else None
        note = None
        if parsed.type == "note" and activity is not None:
            # Applied just now, synchronously: the phone's newest note is this command's.
            # Otherwise (a resend of an applied note, a note applied after a reload) its ack
            # carries the whole `mine`, as acks used to: rare, and always right.
            applied = meeting is self.live.meeting and meeting.version != version
            state = meeting.own_state(activity, self.actor)
            note = state.authored[self.actor][-1] if applied and state else WHOLE
        self.answer(written, (parsed.id, activity, note, None))

    def answer(self, written: Outcome | None, answer: Answer) -> None:
        """Send an answer once `written`, if any, is done and every earlier answer is out."""
        if not self.answers and (written is None or written.done()):
            self.emit(written, answer)
            return
        self.answers.append((written, answer))
        if written is not None and not written.done():
            written.add_done_callback(self.drain)

    def _drain(self, _: object = None) -> None:
        answers = self.answers
        while answers:
            written, answer = answers[0]
            if written is not None and not written.done():
                return
            answers.popleft()
            self.emit(written, answer)

    def emit(self, written: Outcome | None, answer: Answer) -> None:
        command_id, activity, note, refusal = answer
        if refusal is not None:
            self._error(command_id, *refusal)
        else:
            self.acknowledge(command_id, activity, note, written)

    def acknowledge(
        self,
        command_id: str | None,
        activity: str | None,
        note: str | None,
        written: Outcome | None,
    ) -> None:
        """Ack a committed command. A phone's ack carries what the command changed: its own
        input in that activity (`own`, all but its notes) and the note it posted, if any, so
        an ack costs the same whatever the phone posted before. Its other connections (a
        second tab) get the whole `mine`."""
        if written is not None and (written.cancelled() or written.exception() is not None):
            failure = None if written.cancelled() else written.exception()
            if isinstance(failure, CommandError):  # decided after reloading the meeting
                self._error(command_id, failure.code, failure.params)
            else:
                self._error(command_id, "storage", {})
            return
        pid = self.outlet.pid
        if pid is None:
            self.outlet.push(encode({"type": "ack", "id": command_id}))
            return
        meeting = self.live.meeting
        ack: dict[str, Any] = {"type": "ack", "id": command_id}
        # A note applied elsewhere (a resend, a reload), or a command about the phone itself
        # (the table it sits at): send everything.
        if note == WHOLE or activity is None:
            ack["mine"] = views.mine(meeting, pid)
        else:
            ack["activity"] = activity
            ack["own"], posted = views.acked(meeting, pid, activity, note)
            if posted is not None:
                ack["note"] = posted
        self.outlet.push(encode(ack))
        connections = self.live.room.phones.get(pid)
        if connections is not None and len(connections) > 1:  # a second tab, say
            frame = encode({"type": "mine", "mine": views.mine(meeting, pid)})
            for outlet in connections:
                if outlet is not self.outlet:
                    outlet.push(frame)

    def error(self, client_id: str | None, code: str, params: dict[str, Any]) -> None:
        """Refuse a command or a frame, after the answers to everything sent before it."""
        self.answer(None, (client_id, None, None, (code, params)))

    def _error(self, client_id: str | None, code: str, params: dict[str, Any]) -> None:
        self.outlet.push(
            encode(
                {
                    "type": "error",
                    "id": client_id,
                    "code": code,
                    "message": strings.error_text(self.translations, code, params),
                }
            )
        )
