"""Security headers on every response, and the Origin check for websockets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline scripts or styles anywhere: the pages pass data through data- attributes and JSON
# data blocks, which a CSP does not treat as scripts.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' {sockets}; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_HOST = re.compile(r"[A-Za-z0-9.\-\[\]:]{1,255}")  # with fullmatch: `$` lets "host\n" through
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Pure ASGI middleware (websockets pass straight through)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
        # Old Safari does not count ws: of the same host as 'self': name this host's sockets.
        sockets = f"ws://{host} wss://{host}" if _HOST.fullmatch(host) else ""
        csp = (b"content-security-policy", CSP.format(sockets=sockets).encode())

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in [csp, *HEADERS] if n not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def origin_allowed(
    origin: str | None, host: str | None, public_url: str | None, extra: Iterable[str] = ()
) -> bool:
    """A browser's websocket must come from a page of this server.

    No Origin header means no browser (a script or the load test), which gains nothing from
    forging one; everything a browser sends carries the Origin of the page that opened it.
    """
    if origin is None:
        return True
    netloc = urlsplit(origin).netloc.lower()
    allowed = {(host or "").lower()}
    if public_url:
        allowed.add(urlsplit(public_url).netloc.lower())
    allowed.update(urlsplit(o).netloc.lower() for o in extra)
    return bool(netloc) and netloc in allowed
