"""What every handler reaches through the lifespan state, and small request helpers."""

from __future__ import annotations

from typing import Any, TypedDict

from babel.support import Translations
from starlette.requests import HTTPConnection
from starlette.templating import Jinja2Templates

from facilitate import i18n
from facilitate.core.text import PHONE_LANGUAGES, UI_LANGUAGES
from facilitate.limits import Connections, Newcomers, Throttle
from facilitate.meetings import CODE, Live, Meetings
from facilitate.processes import Processes
from facilitate.settings import Settings
from facilitate.web.idempotency import Idempotency


class State(TypedDict):
    settings: Settings
    templates: Jinja2Templates
    meetings: Meetings
    processes: Processes
    catalogs: dict[str, Translations]
    guesses: Throttle  # wrong join codes per address
    connections: Connections  # open websockets per address
    newcomers: Newcomers  # new participant identities per address
    creations: Throttle  # new meetings per address
    idempotency: Idempotency  # meetings just created, by address and Idempotency-Key


def state(conn: HTTPConnection) -> State:
    """What the lifespan in app.py yields; Starlette keeps it in the scope untyped."""
    shared: State = conn.scope["state"]
    return shared


def address(conn: HTTPConnection) -> str:
    """The client's address, for in-memory limits only."""
    return conn.client.host if conn.client else "unknown"


def language(
    conn: HTTPConnection, default: str | None = None, supported: tuple[str, ...] = UI_LANGUAGES
) -> str:
    """?lang= beats the cookie, which beats the meeting's language, which beats the browser;
    each only if the page speaks it (`supported`: a console asked for Arabic speaks the
    meeting's language)."""
    chosen = conn.query_params.get("lang")
    return i18n.choose(
        chosen,
        conn.cookies.get("lang"),
        default,
        accept=conn.headers.get("accept-language", ""),
        supported=supported,
    )


def public_language(conn: HTTPConnection, default: str | None = None) -> str:
    """The language of a page a participant reads (the phone, the join page, the public results
    and follow-up pages): any of the phone's languages."""
    return language(conn, default, PHONE_LANGUAGES)


def base_url(conn: HTTPConnection) -> str:
    """Where phones reach this server: the public URL if set, else how this request came in."""
    public = state(conn)["settings"].public_url
    if public:
        return public.rstrip("/")
    return f"{conn.url.scheme}://{conn.url.netloc}"


def join_urls(conn: HTTPConnection, code: str) -> dict[str, Any]:
    base = base_url(conn)
    return {"base": base, "short": base.split("://", 1)[-1], "join": f"{base}/{code}"}


class TooManyGuesses(Exception):
    """This address tried too many wrong codes: it waits `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many wrong codes; retry in {retry_after} s")
        self.retry_after = retry_after


async def find_meeting(conn: HTTPConnection, code: str) -> Live | None:
    """The meeting with this code; wrong codes count against the caller's address.

    Only a code-shaped path (six digits) is a guess: /favicon.ico, /robots.txt or a scanner's
    /wp-login.php are no meeting, and must not lock the address out of its real one.

    Raises:
        TooManyGuesses: after a burst of wrong codes from one address (guessing codes).
    """
    if not CODE.fullmatch(code):
        return None
    guesses = state(conn)["guesses"]
    who = address(conn)
    if guesses.blocked(who):
        raise TooManyGuesses(guesses.retry_after(who))
    live = await state(conn)["meetings"].get(code)
    if live is None:
        guesses.record(who)
    return live
