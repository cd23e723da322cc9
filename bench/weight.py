"""The phone's first load in bytes on the wire: `python -m bench.weight` (part of `make bench`).

Starts a real `facilitate serve`, creates a meeting and fetches the participant page the way a
phone's browser does on the hall's plain-http network (`Accept-Encoding: gzip, deflate`), then
everything it references: stylesheets and icons in the page, its scripts, every module those
import, url()s in the stylesheets. Each response is counted as it arrives on the socket: the
status line, the headers and the body as sent. The same assets are fetched again without
`Accept-Encoding`, for the uncompressed figure. Prints a table per asset and the totals against
the budget; writes bench/results/weight.json.

The websocket the page opens afterwards is not part of the load (its first view is the
`frame_bytes` figure of bench/run.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import socket
import tempfile
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from bench import server as servers

HERE = Path(__file__).resolve().parent
BUDGET = 30_000  # bytes on the wire for a phone's first load, every asset counted
ACCEPT_GZIP = "gzip, deflate"  # what Chromium and Safari send over plain http (no br, no zstd)

_HTML_REFS = re.compile(
    r"""<(?:link|script|img|source)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I
)
_JS_REFS = re.compile(
    r"""(?:\bimport\s*(?:[\w*{}\s,]+\sfrom\s*)?|\bimport\s*\(\s*)["']([^"']+)["']"""
)
_CSS_REFS = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])([^"')\s]+)""")


@dataclass
class Fetched:
    """One response as it came off the socket."""

    path: str
    status: int
    wire: int  # status line + headers + body, as received
    body_wire: int  # the body as sent (compressed when the server compressed it)
    body: int  # the body once decoded
    encoding: str
    content_type: str
    text: str  # the decoded body, for finding what it references


def fetch(port: int, path: str, accept_encoding: str | None) -> Fetched:
    """GET `path` over a fresh HTTP/1.1 connection and count every byte of the answer."""
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    if accept_encoding:
        lines.append(f"Accept-Encoding: {accept_encoding}")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = _unchunk(body)
    encoding = headers.get("content-encoding", "")
    decoded = gzip.decompress(body) if encoding == "gzip" else body
    return Fetched(
        path=path,
        status=int(status_line.split()[1]),
        wire=len(raw),
        body_wire=len(body),
        body=len(decoded),
        encoding=encoding or "identity",
        content_type=headers.get("content-type", "").partition(";")[0],
        text=decoded.decode("utf-8", errors="replace"),
    )


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return bytes(out)


def references(fetched: Fetched, origin: str) -> list[str]:
    """The same-origin paths a browser fetches because of this response (`origin`:
    `http://host:port`, as the page's absolute URLs name it)."""
    kind = fetched.content_type
    if kind == "text/html":
        # Inline JSON data blocks are not fetched; only tags that load something.
        found = _HTML_REFS.findall(fetched.text)
    elif kind in ("text/javascript", "application/javascript"):
        found = _JS_REFS.findall(fetched.text)
    elif kind == "text/css":
        found = _CSS_REFS.findall(fetched.text)
    else:
        found = []
    paths = []
    for ref in found:
        if ref.startswith(("data:", "#")):
            continue
        url = urlsplit(urljoin(origin + fetched.path, ref))
        if f"{url.scheme}://{url.netloc}" == origin:
            paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


def first_load(port: int, page: str, accept_encoding: str | None) -> list[Fetched]:
    """The page and everything it pulls in, each fetched once, in the order a browser finds
    them (breadth first)."""
    seen = {page}
    queue = deque([page])
    fetched = []
    while queue:
        one = fetch(port, queue.popleft(), accept_encoding)
        if one.status != 200:
            raise RuntimeError(f"{one.path} answered {one.status}")
        fetched.append(one)
        for path in references(one, f"http://127.0.0.1:{port}"):
            if path not in seen:
                seen.add(path)
                queue.append(path)
    return fetched


def measure(port: int, code: str) -> dict[str, Any]:
    page = f"/{code}"
    compressed = first_load(port, page, ACCEPT_GZIP)
    plain = {f.path: f for f in first_load(port, page, None)}
    assets = []
    for f in compressed:
        row = {k: v for k, v in asdict(f).items() if k != "text"}
        row["path"] = "/{code}" if f.path == page else f.path
        row["wire_uncompressed"] = plain[f.path].wire
        assets.append(row)
    return {
        "budget": BUDGET,
        "accept_encoding": ACCEPT_GZIP,
        "assets": assets,
        "total_wire": sum(a["wire"] for a in assets),
        "total_wire_uncompressed": sum(a["wire_uncompressed"] for a in assets),
        "total_body": sum(a["body"] for a in assets),
    }


def table(result: dict[str, Any]) -> str:
    rows = [
        "| asset | encoding | body on the wire | body | response on the wire | uncompressed |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for a in result["assets"]:
        rows.append(
            f"| {a['path']} | {a['encoding']} | {a['body_wire']:,} | {a['body']:,} "
            f"| {a['wire']:,} | {a['wire_uncompressed']:,} |"
        )
    rows.append(
        f"| **first load** | | | {result['total_body']:,} | **{result['total_wire']:,}** "
        f"| {result['total_wire_uncompressed']:,} |"
    )
    verdict = "within" if result["total_wire"] <= result["budget"] else "OVER"
    rows.append(
        f"\nA phone's first load: {result['total_wire']:,} bytes on the wire "
        f"({verdict} the budget of {result['budget']:,}); "
        f"{result['total_wire_uncompressed']:,} without compression."
    )
    return "\n".join(rows)


def run() -> dict[str, Any]:
    port = servers.free_port()
    tmp = Path(tempfile.mkdtemp(prefix="facilitate-weight-"))
    process = servers.app_server(port, tmp / "weight.db", core=None)
    process.start()
    try:
        meeting = servers.api(port, "POST", "/api/meetings", {"plan": "folkemote"})
        return measure(port, meeting["code"])
    finally:
        process.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "weight.json")
    args = parser.parse_args()
    result = run()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
