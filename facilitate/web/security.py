"""Security headers on every response, the Host check, and the Origin check for websockets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from babel.support import Translations
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from facilitate import i18n, network

# No inline scripts or styles anywhere: the pages pass data through data- attributes and JSON
# data blocks, which a CSP does not treat as scripts.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' {sockets}; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_HOST = re.compile(r"[A-Za-z0-9.\-\[\]:]{1,255}")  # with fullmatch: `$` lets "host\n" through
NOSNIFF = (b"x-content-type-options", b"nosniff")
_SUBRESOURCES = (b"text/css", b"text/javascript", b"application/javascript")
HEADERS = [
    NOSNIFF,
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
                headers = message.get("headers", [])
                names = {name for name, _ in headers}
                if dict(headers).get(b"content-type", b"").startswith(_SUBRESOURCES):
                    # A script or a stylesheet is never a document: the policies for documents
                    # do nothing on it, and the phone's first load is ~2 KB lighter without them.
                    wanted = [NOSNIFF]
                else:
                    wanted = [csp, *HEADERS]
                extra = [(n, v) for n, v in wanted if n not in names]
                message["headers"] = [*headers, *extra]
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


# Close code for a websocket to a host this server does not answer to (docs/protocol.md).
CLOSE_WRONG_HOST = 4403


class AllowedHosts:
    """With a public URL set, answer only requests addressed to it or to this machine.

    DNS rebinding: a page on evil.example, whose name the attacker then points at the hall's
    laptop, reaches the server from the facilitator's own browser as if it were a page of it;
    its requests still say `Host: evil.example`. Loopback stays allowed (the facilitator's own
    laptop), and so does an empty Host (no browser sends one). Without a public URL the server
    cannot know its own names, and nothing is checked.
    """

    def __init__(
        self, app: ASGIApp, public_url: str | None, catalogs: dict[str, Translations]
    ) -> None:
        self.app = app
        self.public_url = public_url.rstrip("/") if public_url else None
        self.catalogs = catalogs
        self.scheme = urlsplit(public_url).scheme.lower() if public_url else ""
        self.public = (
            _host_and_port(urlsplit(public_url).netloc, self.scheme) if public_url else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.public_url is None or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if network.is_local_host(host) or (
            _HOST.fullmatch(host) and _host_and_port(host, self.scheme) == self.public
        ):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":  # before accepting: the handshake is refused
            await send(
                {"type": "websocket.close", "code": CLOSE_WRONG_HOST, "reason": "wrong host"}
            )
            return
        lang = i18n.choose(accept=headers.get("accept-language", ""), default="en")
        message = self.catalogs[lang].gettext(
            "This server answers at %(url)s. Open that address instead."
        ) % {"url": self.public_url}
        await PlainTextResponse(message, status_code=421)(scope, receive, send)


def _host_and_port(netloc: str, scheme: str) -> tuple[str, int] | None:
    """("example.org", 443) for "Example.org." under https: what a Host header names."""
    try:
        parts = urlsplit("//" + netloc)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname.rstrip("."), port or (443 if scheme == "https" else 80)
