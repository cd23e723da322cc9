"""What we serve, compressed: a phone on a weak hall Wi-Fi loads the page in a few kilobytes.

Two parts, split by path so that exactly one of them ever touches a response:

- `Assets` serves the static files. Each file is read and gzipped once, when first asked for,
  and kept in memory with both representations until the file changes on disk (the stat that
  Starlette's StaticFiles makes anyway says so). Each representation has its own strong ETag,
  `Vary: Accept-Encoding`, its own Content-Length; `If-None-Match` and `If-Modified-Since` give
  304. Range requests are not honoured (a full 200 answers them, as HTTP allows): nothing we
  serve is big enough to resume.
- Every static response says `Cache-Control: no-cache`: a browser keeps the file but asks
  again each time it uses it, with the ETag, and gets a bodiless 304 while it is unchanged.
  Our URLs carry no version (a module imports `./live.js`, not `./live.3f2a.js`), so a long
  max-age would let a phone run last week's scripts against a server that speaks a newer
  protocol after an upgrade; without any Cache-Control a browser guesses a freshness from
  Last-Modified, with the same risk. Revalidation costs a small request per file, and those
  go out at once, not one after another: the phone's page preloads every module it imports
  (`ModuleGraph`, `<link rel="modulepreload">`).
- `Compression` gzips what the app renders (pages, JSON, CSV and Markdown downloads) with
  Starlette's GZipMiddleware, and passes static files and websockets through untouched. Those
  responses carry no ETag; one that gets an ETag later must change it per encoding.

gzip only: browsers offer brotli and zstd over https alone, and the hall's laptop serves plain
http on the local network, so a brotli dependency would never be used there.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.responses import Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from facilitate.web.lean import lean

# Below this many bytes gzip saves less than the headers it adds cost.
MINIMUM_SIZE = 500
# Compressed already: gzip would spend CPU to save nothing. DOCX and XLSX are zip files.
INCOMPRESSIBLE = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/pdf",
)
# Static files worth compressing: text of any kind, scripts, SVG.
_COMPRESSIBLE = {
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "application/xml",
    "image/svg+xml",
}
# Rendered per request: zlib's default level. The phone's page comes out the same size at 9,
# and 9 only costs more time on a big download.
PAGE_LEVEL = 6
# Compressed once per file: take the smallest.
ASSET_LEVEL = 9
# Keep it, but check with the ETag before each use (see the module's docstring).
CACHE_CONTROL = "no-cache"


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (RFC 9110, 12.5.3): `gzip` or `x-gzip`
    with a q-value above zero or, when neither is named, `*` with one."""
    quality: dict[str, float] = {}
    for item in accept_encoding.lower().split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding:
            quality[coding] = q
    for coding in ("gzip", "x-gzip"):
        if coding in quality:
            return quality[coding] > 0
    return quality.get("*", 0.0) > 0


@dataclass(frozen=True)
class Representation:
    """One encoding of a file: its bytes and their own ETag."""

    body: bytes
    etag: str
    encoding: str | None  # the Content-Encoding; None for the file as it is


@dataclass(frozen=True)
class Asset:
    """A static file as read at one (mtime, size), with its gzip variant when that pays."""

    stamp: tuple[int, int]
    media_type: str
    identity: Representation
    gzipped: Representation | None


def load(path: str, stat_result: os.stat_result) -> Asset:
    """Read a file and, when it is worth it, gzip it once."""
    with open(path, "rb") as file:
        data = file.read()
    media_type = mimetypes.guess_type(path)[0] or "text/plain"
    data = lean(data, media_type)  # scripts and sheets without their comments (lean.py)
    # 64 bits tell one version of a file from another; each byte more is paid with every file
    # of a phone's first load.
    digest = hashlib.sha256(data).hexdigest()[:16]
    identity = Representation(data, f'"{digest}"', None)
    gzipped = None
    if len(data) >= MINIMUM_SIZE and (
        media_type.startswith("text/") or media_type in _COMPRESSIBLE
    ):
        packed = gzip.compress(data, ASSET_LEVEL, mtime=0)  # the same bytes on every start
        if len(packed) < len(data):
            gzipped = Representation(packed, f'"{digest}-gzip"', "gzip")
    return Asset(
        stamp=(stat_result.st_mtime_ns, stat_result.st_size),
        media_type=media_type,
        identity=identity,
        gzipped=gzipped,
    )


class Assets(StaticFiles):
    """StaticFiles (its path checks, 404s and 405s) serving each file from memory, gzipped
    for the clients that accept it.

    A file is read on the event loop the first time it is asked for and after it changes: our
    static files are a few kilobytes each, and each is read once per process.
    """

    def __init__(self, *, directory: str | os.PathLike[str]) -> None:
        super().__init__(directory=directory)
        self._cache: dict[str, Asset] = {}

    def asset(self, full_path: str, stat_result: os.stat_result) -> Asset:
        stamp = (stat_result.st_mtime_ns, stat_result.st_size)
        asset = self._cache.get(full_path)
        if asset is None or asset.stamp != stamp:
            asset = self._cache[full_path] = load(full_path, stat_result)
        return asset

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        asset = self.asset(os.fspath(full_path), stat_result)
        request_headers = Headers(scope=scope)
        accepted = accepts_gzip(request_headers.get("accept-encoding", ""))
        chosen = asset.gzipped if asset.gzipped is not None and accepted else asset.identity
        # The ETag is the one validator: no Last-Modified, whose 46 bytes a phone would pay
        # with every file of its first load on the hall's Wi-Fi.
        headers = {
            "content-length": str(len(chosen.body)),
            "etag": chosen.etag,
            "cache-control": CACHE_CONTROL,
        }
        if asset.gzipped is not None:  # the answer depends on what the client accepts
            headers["vary"] = "Accept-Encoding"
        if chosen.encoding is not None:
            headers["content-encoding"] = chosen.encoding
        if self.is_not_modified(Headers(headers), request_headers):
            return NotModifiedResponse(Headers(headers))
        body = b"" if scope["method"] == "HEAD" else chosen.body
        return Response(body, status_code, headers=headers, media_type=asset.media_type)


# A static import or re-export of a module of ours: `import {a} from "./x.js"`, `import "./x.js"`,
# `export {a} from "./x.js"`. Dynamic `import()` loads later, on purpose: it is not preloaded.
_IMPORT = re.compile(
    r"""^\s*(?:import|export)\s(?:[^"';]*?\sfrom\s*)?["'](\.{1,2}/[^"']+)["']""", re.M
)


class ModuleGraph:
    """The ES modules a page's entry module loads, itself first and then every module it
    imports, all the way down, and the same for the activity kinds' modules it imports at run
    time: for `<link rel="modulepreload">`, so the browser fetches them all at once instead of
    finding each import only after the module before it arrived.

    Read from the files, not written out by hand, so a page's modules and its preloads cannot
    drift apart. Kept until one of the files changes on disk.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.root = Path(directory).resolve()
        self._cache: dict[str, tuple[list[tuple[Path, int]], list[str]]] = {}

    def __call__(self, *entries: str) -> list[str]:
        """Paths under the static directory (as `url_for('static', path=…)` takes them): each
        entry's modules in turn, every module once (a page's own and its kinds')."""
        found: list[str] = []
        for entry in entries:
            found.extend(path for path in self._graph(entry) if path not in found)
        return found

    def _graph(self, entry: str) -> list[str]:
        cached = self._cache.get(entry)
        if cached is not None and all(_mtime(path) == stamp for path, stamp in cached[0]):
            return cached[1]
        files: list[Path] = []
        pending = [(self.root / entry).resolve()]
        while pending:
            path = pending.pop(0)
            if path in files or not path.is_relative_to(self.root) or not path.is_file():
                continue
            files.append(path)
            text = path.read_text("utf-8")
            pending.extend((path.parent / found).resolve() for found in _IMPORT.findall(text))
        found = [path.relative_to(self.root).as_posix() for path in files]
        self._cache[entry] = ([(path, _mtime(path)) for path in files], found)
        return found


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


class Compression:
    """gzip for the responses the app renders; static files and websockets pass untouched.

    Pure ASGI around the whole app. The static files (under `static_path`) have their own
    compressed representations with their own ETags, which a second compression would break.
    """

    def __init__(self, app: ASGIApp, static_path: str = "/static") -> None:
        self.app = app
        self.static_prefix = static_path.rstrip("/") + "/"
        self.gzip = GZipMiddleware(
            app,
            minimum_size=MINIMUM_SIZE,
            compresslevel=PAGE_LEVEL,
            exclude_content_types=INCOMPRESSIBLE,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self.static_prefix):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
