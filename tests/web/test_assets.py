"""Compressed responses: static files gzipped once with an ETag per encoding; pages gzipped."""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from facilitate.app import create_app
from facilitate.settings import ROOT, Settings
from facilitate.web import strings
from facilitate.web.assets import MINIMUM_SIZE, ModuleGraph, accepts_gzip
from facilitate.web.lean import lean

from .helpers import Peers

GZIP = {"accept-encoding": "gzip, deflate"}
IDENTITY = {"accept-encoding": "identity"}
CSS = "/static/css/app.css"
SCRIPT = b"// a script that repeats itself, as scripts do\n" + b"export const x = 1;\n" * 60


def raw(client: TestClient, path: str, headers: dict[str, str], method: str = "GET") -> Any:
    """The response with its body as sent (httpx would otherwise decode the gzip)."""
    with client.stream(method, path, headers=headers) as response:
        response.body = b"".join(response.iter_raw())
        return response


@pytest.fixture
def static_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "big.js").write_bytes(SCRIPT)
    (folder / "tiny.js").write_bytes(b"export const y = 2;\n")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4000))
    return folder


@pytest.fixture
def own(tmp_path: Path, static_dir: Path) -> Iterator[TestClient]:
    """A server whose static folder is the test's own."""
    settings = Settings(db_path=tmp_path / "t.db", static_dir=static_dir)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


# -- static files ------------------------------------------------------------------------------


def test_when_a_client_accepts_gzip_then_a_static_file_comes_gzipped_with_its_own_length(
    client: TestClient,
) -> None:
    response = raw(client, CSS, GZIP)
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-length"] == str(len(response.body))
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    original = lean((ROOT / "static" / "css" / "app.css").read_bytes(), "text/css")
    assert gzip.decompress(response.body) == original
    assert len(response.body) < len(original) / 2


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0", "br", ""])
def test_when_a_client_does_not_accept_gzip_then_it_gets_the_file_as_it_is(
    client: TestClient, accept: str
) -> None:
    response = raw(client, CSS, {"accept-encoding": accept})
    assert "content-encoding" not in response.headers
    assert response.body == lean((ROOT / "static" / "css" / "app.css").read_bytes(), "text/css")
    assert response.headers["content-length"] == str(len(response.body))
    assert response.headers["vary"] == "Accept-Encoding"


def test_when_a_static_file_is_served_then_each_encoding_has_its_own_etag(
    client: TestClient,
) -> None:
    zipped = raw(client, CSS, GZIP).headers["etag"]
    plain = raw(client, CSS, IDENTITY).headers["etag"]
    assert zipped != plain
    assert zipped.startswith('"') and plain.startswith('"')  # strong, not W/
    # the same bytes give the same tag every time
    assert raw(client, CSS, GZIP).headers["etag"] == zipped


def test_when_if_none_match_names_the_representation_then_304_without_a_body(
    client: TestClient,
) -> None:
    zipped = raw(client, CSS, GZIP).headers["etag"]
    plain = raw(client, CSS, IDENTITY).headers["etag"]
    for headers in (
        {**GZIP, "if-none-match": zipped},
        {**GZIP, "if-none-match": f'"other", W/{zipped}'},  # weak comparison, in a list
        {**IDENTITY, "if-none-match": plain},
        {**GZIP, "if-none-match": "*"},
    ):
        response = raw(client, CSS, headers)
        assert response.status_code == 304, headers
        assert response.body == b""
        assert response.headers["vary"] == "Accept-Encoding"
        assert "content-encoding" not in response.headers


def test_when_if_none_match_names_the_other_encoding_then_the_file_is_sent(
    client: TestClient,
) -> None:
    zipped = raw(client, CSS, GZIP).headers["etag"]
    plain = raw(client, CSS, IDENTITY).headers["etag"]
    assert raw(client, CSS, {**IDENTITY, "if-none-match": zipped}).status_code == 200
    assert raw(client, CSS, {**GZIP, "if-none-match": plain}).status_code == 200


def test_when_a_static_file_is_served_then_its_etag_is_the_only_validator(
    client: TestClient,
) -> None:
    response = raw(client, CSS, GZIP)
    assert "last-modified" not in response.headers
    # A date alone proves nothing about the bytes: the file is sent.
    later = "Fri, 01 Jan 2100 00:00:00 GMT"
    assert raw(client, CSS, {**GZIP, "if-modified-since": later}).status_code == 200
    etag = response.headers["etag"]
    both = {**GZIP, "if-none-match": etag, "if-modified-since": later}
    assert raw(client, CSS, both).status_code == 304


def test_when_head_is_asked_then_the_headers_match_get_without_a_body(
    client: TestClient,
) -> None:
    for headers in (GZIP, IDENTITY):
        got = raw(client, CSS, headers)
        head = raw(client, CSS, headers, method="HEAD")
        assert head.status_code == 200
        assert head.body == b""
        for name in ("content-length", "content-type", "etag", "vary"):
            assert head.headers[name] == got.headers[name], name
        assert head.headers.get("content-encoding") == got.headers.get("content-encoding")


def test_when_a_file_is_tiny_then_it_is_not_compressed_and_does_not_vary(
    own: TestClient,
) -> None:
    response = raw(own, "/static/tiny.js", GZIP)
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert "vary" not in response.headers
    assert response.body == b"export const y = 2;\n"
    assert len(response.body) < MINIMUM_SIZE


def test_when_a_file_is_compressed_already_then_it_goes_as_it_is(own: TestClient) -> None:
    response = raw(own, "/static/photo.png", GZIP)
    assert response.headers["content-type"] == "image/png"
    assert "content-encoding" not in response.headers
    assert response.headers["content-length"] == str(len(response.body)) == "4008"


def test_when_a_file_changes_on_disk_then_the_new_bytes_and_a_new_etag_are_served(
    own: TestClient, static_dir: Path
) -> None:
    before = raw(own, "/static/big.js", GZIP)
    assert gzip.decompress(before.body) == lean(SCRIPT, "text/javascript")
    changed = SCRIPT + b"export const z = 3;\n"
    path = static_dir / "big.js"
    path.write_bytes(changed)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = raw(own, "/static/big.js", GZIP)
    assert gzip.decompress(after.body) == lean(changed, "text/javascript")
    assert after.headers["etag"] != before.headers["etag"]
    stale = raw(own, "/static/big.js", {**GZIP, "if-none-match": before.headers["etag"]})
    assert stale.status_code == 200


def test_when_a_static_path_is_missing_or_escapes_or_is_posted_then_it_is_refused(
    own: TestClient,
) -> None:
    assert own.get("/static/none.js").status_code == 404
    assert own.get("/static/%2e%2e/t.db").status_code == 404
    assert own.post("/static/big.js").status_code == 405


@pytest.mark.parametrize(
    ("header", "gzip_ok"),
    [
        ("gzip, deflate", True),
        ("gzip, deflate, br, zstd", True),
        ("GZIP", True),
        ("deflate, gzip;q=0.5", True),
        ("x-gzip", True),
        ("*", True),
        ("br;q=1, *;q=0.1", True),
        ("", False),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("gzip;q=zero", False),
        ("*;q=0", False),
        ("*, gzip;q=0", False),
        ("deflate, br", False),
    ],
)
def test_accepts_gzip_reads_accept_encoding_as_http_does(header: str, gzip_ok: bool) -> None:
    assert accepts_gzip(header) is gzip_ok


def test_when_a_static_file_is_served_then_the_browser_keeps_it_but_checks_its_etag_each_time(
    client: TestClient,
) -> None:
    """Unversioned URLs: a phone must not run old scripts against an upgraded server."""
    for headers in (GZIP, IDENTITY):
        response = raw(client, "/static/js/live.js", headers)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-cache"
        again = raw(
            client, "/static/js/live.js", {**headers, "if-none-match": response.headers["etag"]}
        )
        assert again.status_code == 304
        assert again.headers["cache-control"] == "no-cache"


def test_module_graph_lists_an_entry_and_everything_it_imports_once(tmp_path: Path) -> None:
    js = tmp_path / "js"
    (js / "kinds").mkdir(parents=True)
    (js / "page.js").write_text(
        'import { a } from "./a.js";\nimport "./kinds/b.js";\n'
        'import {\n  c,\n  d,\n} from "./a.js";\nconst later = () => import("./lazy.js");\n'
    )
    (js / "a.js").write_text('export { b } from "./kinds/b.js";\nexport const a = 1;\n')
    (js / "kinds" / "b.js").write_text('import { a } from "../a.js";\nexport const b = a;\n')
    (js / "lazy.js").write_text("export const lazy = 1;\n")
    graph = ModuleGraph(tmp_path)
    assert graph("js/page.js") == ["js/page.js", "js/a.js", "js/kinds/b.js"]
    (js / "kinds" / "b.js").write_text('import "./c.js";\n')  # changed on disk: read again
    (js / "kinds" / "c.js").write_text("export const c = 1;\n")
    assert graph("js/page.js") == ["js/page.js", "js/a.js", "js/kinds/b.js", "js/kinds/c.js"]
    # Several entries (a page and the kinds it imports at run time): each module once.
    assert graph("js/lazy.js", "js/kinds/b.js") == ["js/lazy.js", "js/kinds/b.js", "js/kinds/c.js"]


def phone_page_modules(client: TestClient, code: str) -> tuple[list[str], dict[str, str], bool]:
    """What a phone's page preloads, the kinds' modules it lists, and whether it loads them
    lazily."""
    page = client.get(f"/{code}").text
    preloaded = re.findall(r'<link rel="modulepreload" href="[^"]*?/static/([^"]+)">', page)
    block = re.search(
        r'<script type="application/json" id="kinds"( data-lazy)?>(.*?)</script>', page, re.S
    )
    assert block is not None
    kinds = {kind: url.split("/static/", 1)[1] for kind, url in json.loads(block.group(2)).items()}
    return preloaded, kinds, bool(block.group(1))


def test_when_a_phone_opens_its_page_then_it_preloads_every_module_it_runs_first(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    preloaded, kinds, lazy = phone_page_modules(client, meeting["code"])
    # In the lobby: the page's own modules; every kind's module is listed, to load when its
    # first activity is shown.
    assert lazy and {"info", "poll", "notes", "painjoy"} <= set(kinds)
    assert preloaded[0] == "js/participant.js" and len(set(preloaded)) == len(preloaded)
    assert set(preloaded) == set(ModuleGraph(ROOT / "static")("js/participant.js"))
    assert {"js/participant.js", "js/live.js", "js/kinds.js"} <= set(preloaded)
    assert not set(kinds.values()) & set(preloaded)
    for path in [*preloaded, *kinds.values()]:
        assert client.get(f"/static/{path}").status_code == 200


def test_when_a_phone_opens_its_page_during_an_activity_then_its_kind_comes_with_the_page(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    with client.websocket_connect(f"/{meeting['code']}/ws") as console:
        console.send_json(
            {"type": "hello", "role": "facilitator", "key": meeting["facilitator_key"]}
        )
        while console.receive_json()["type"] != "snapshot":
            pass
        console.send_json({"type": "goto", "id": "g1", "activity": "safety-poll"})
        while console.receive_json().get("id") != "g1":
            pass
    preloaded, kinds, lazy = phone_page_modules(client, meeting["code"])
    assert lazy
    assert set(preloaded) == set(ModuleGraph(ROOT / "static")("js/participant.js", kinds["poll"]))


def linked_sheets(page: str) -> list[str]:
    """The kind sheets a page links in its head."""
    return re.findall(r'<link rel="stylesheet" href="[^"]*?/static/(css/kinds/[^"]+)">', page)


def later_sheets(page: str) -> dict[str, str]:
    """The kind sheets a page lists for static/js/kinds.js to link with their modules."""
    block = re.search(r'<script type="application/json" id="kind-sheets">(.*?)</script>', page)
    listed = json.loads(block.group(1)) if block else {}
    return {kind: url.split("/static/", 1)[1] for kind, url in listed.items()}


def go_to(client: TestClient, meeting: dict[str, Any], activity: str) -> None:
    with client.websocket_connect(f"/{meeting['code']}/ws") as console:
        console.send_json(
            {"type": "hello", "role": "facilitator", "key": meeting["facilitator_key"]}
        )
        while console.receive_json()["type"] != "snapshot":
            pass
        console.send_json({"type": "goto", "id": "g1", "activity": activity})
        while console.receive_json().get("id") != "g1":
            pass


def test_when_a_phone_waits_in_the_lobby_then_no_kind_sheet_comes_with_its_page(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    page = client.get(f"/{meeting['code']}").text
    assert linked_sheets(page) == []
    # The folkemøte's questions and matrix have sheets of their own: linked with their modules.
    later = later_sheets(page)
    assert later == {"qa": "css/kinds/qa.css", "matrix": "css/kinds/matrix.css"}
    for path in later.values():
        assert client.get(f"/static/{path}").status_code == 200


def test_when_a_phone_opens_its_page_during_a_kind_with_a_sheet_then_the_sheet_is_linked(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    go_to(client, meeting, "panel")
    page = client.get(f"/{meeting['code']}").text
    assert linked_sheets(page) == ["css/kinds/qa.css"]
    assert later_sheets(page) == {"matrix": "css/kinds/matrix.css"}


def test_when_the_screen_or_console_opens_then_every_kind_sheet_of_the_meeting_is_linked(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    for role in ("screen", "console"):
        page = client.get(f"/{meeting['code']}/{role}").text
        assert sorted(linked_sheets(page)) == ["css/kinds/matrix.css", "css/kinds/qa.css"]
        assert later_sheets(page) == {}


def test_when_a_phone_opens_a_meeting_with_statements_later_then_their_strings_come_later(
    client: TestClient,
) -> None:
    agenda = {
        "title": "Dialog",
        "language": "sv",
        "activities": [
            {"kind": "info", "id": "hi", "title": "Välkomna"},
            {"kind": "statements", "id": "st", "title": "Håller du med?", "statements": ["A", "B"]},
        ],
    }
    code = client.post("/api/meetings", json=agenda).json()["code"]
    page = client.get(f"/{code}").text
    carried = json.loads(re.search(r'id="strings">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert not any(key.startswith("statements.") for key in carried)
    later = re.search(r'id="kind-strings">(.*?)</script>', page)
    assert later is not None
    url = json.loads(later.group(1))["statements"]
    assert url == "/strings/sv/statements.json"
    own = client.get(url)
    assert own.status_code == 200 and own.headers["cache-control"] == "no-cache"
    assert own.json()["statements.agree"] == "Håller med"
    assert set(own.json()) == {k for k in strings.SCRIPT if k.startswith("statements.")}
    for wrong in (
        "/strings/xx/statements.json",
        "/strings/sv/nothing.json",
        "/strings/sv/poll.json",
    ):
        assert client.get(wrong).status_code == 404


def test_a_kind_sheet_imports_only_sheets_that_exist() -> None:
    """A kind's sheet may share rules with another through `@import` (rankings and points both
    import standings.css); each import names a sheet that is there."""
    folder = ROOT / "static" / "css" / "kinds"
    for sheet in folder.glob("*.css"):
        for imported in re.findall(r'@import url\("([^"]+)"\)', sheet.read_text("utf-8")):
            assert (folder / imported).is_file(), f"{sheet.name} imports {imported}"


# -- pages, downloads, websockets --------------------------------------------------------------


def test_when_a_phone_opens_its_page_then_it_comes_gzipped_with_the_security_headers(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    path = f"/{meeting['code']}"
    zipped = raw(client, path, GZIP)
    plain = raw(client, path, IDENTITY)
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["content-length"] == str(len(zipped.body))
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(zipped.body) == plain.body
    for response in (zipped, plain):
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert "etag" not in response.headers  # one ETag for two encodings would be a lie


def test_when_head_asks_for_a_page_then_its_length_is_the_gzipped_one(
    client: TestClient, meeting: dict[str, Any]
) -> None:
    path = f"/{meeting['code']}"
    head = raw(client, path, GZIP, method="HEAD")
    assert head.status_code == 200
    assert head.headers["content-encoding"] == "gzip"
    assert head.body == b""
    assert int(head.headers["content-length"]) < len(raw(client, path, IDENTITY).body)


def test_when_a_response_is_tiny_then_it_is_not_compressed(client: TestClient) -> None:
    response = raw(client, "/healthz", GZIP)
    assert response.body == b"ok"
    assert "content-encoding" not in response.headers


def test_when_minutes_are_downloaded_then_only_text_formats_are_gzipped(
    client: TestClient, meeting: dict[str, Any], auth: dict[str, str]
) -> None:
    base = f"/api/meetings/{meeting['code']}/minutes"
    for fmt in ("docx", "xlsx", "csv"):  # zip files, the CSV bundle included
        response = raw(client, f"{base}.{fmt}", {**auth, **GZIP})
        assert response.status_code == 200, fmt
        assert "content-encoding" not in response.headers, fmt
        assert response.body[:2] == b"PK", fmt
        assert response.headers["content-disposition"].startswith("attachment"), fmt
    for fmt in ("md", "html", "json"):
        response = raw(client, f"{base}.{fmt}", {**auth, **GZIP})
        assert response.headers["content-encoding"] == "gzip", fmt
        assert response.headers["content-length"] == str(len(response.body)), fmt
        assert response.headers["content-disposition"].startswith("attachment"), fmt
        plain = raw(client, f"{base}.{fmt}", {**auth, **IDENTITY})
        assert gzip.decompress(response.body) == plain.body, fmt
    html = raw(client, f"{base}.html", {**auth, **GZIP})
    assert "style-src 'unsafe-inline'" in html.headers["content-security-policy"]


def test_when_a_websocket_offers_gzip_then_its_frames_are_plain_json(
    peers: Peers,
) -> None:
    phone = peers.phone(headers=GZIP)  # read as JSON text: welcome, then the snapshot
    assert phone.snapshot is not None and phone.snapshot["type"] == "snapshot"
    peers.console().ok("goto", activity="safety-poll")
    assert phone.wait_view(lambda view: bool(view))
