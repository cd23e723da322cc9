"""What every handler reaches through the lifespan state, and small request helpers."""

from __future__ import annotations

from typing import Any, TypedDict

from babel.support import Translations
from starlette.requests import HTTPConnection
from starlette.templating import Jinja2Templates

from facilitate import i18n
from facilitate.meetings import Meetings
from facilitate.settings import Settings


class State(TypedDict):
    settings: Settings
    templates: Jinja2Templates
    meetings: Meetings
    catalogs: dict[str, Translations]


def state(conn: HTTPConnection) -> State:
    return conn.scope["state"]  # type: ignore[no-any-return]


def language(conn: HTTPConnection, default: str | None = None) -> str:
    """?lang= beats the cookie, which beats the meeting's language, which beats the browser."""
    chosen = conn.query_params.get("lang")
    return i18n.choose(
        chosen, conn.cookies.get("lang"), default, accept=conn.headers.get("accept-language", "")
    )


def base_url(conn: HTTPConnection) -> str:
    """Where phones reach this server: the public URL if set, else how this request came in."""
    public = state(conn)["settings"].public_url
    if public:
        return public.rstrip("/")
    return f"{conn.url.scheme}://{conn.url.netloc}"


def join_urls(conn: HTTPConnection, code: str) -> dict[str, Any]:
    base = base_url(conn)
    return {"base": base, "short": base.split("://", 1)[-1], "join": f"{base}/{code}"}
