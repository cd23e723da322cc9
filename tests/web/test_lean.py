"""Scripts and style sheets go out without their comments: every script still parses as the
module it is, and the code in it is all there."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from facilitate.settings import ROOT
from facilitate.web.lean import lean

STATIC = ROOT / "static"
SCRIPTS = sorted(STATIC.rglob("*.js"))
SHEETS = sorted(STATIC.rglob("*.css"))


def code(text: str) -> list[str]:
    """A script's lines of code, comments and blank lines left out, for comparing."""
    kept = []
    in_block = False
    for line in text.splitlines():
        stripped = line.strip()
        if in_block:
            in_block = "*/" not in stripped
            continue
        if stripped.startswith("/*"):
            in_block = "*/" not in stripped
            continue
        if stripped and not stripped.startswith("//"):
            kept.append(line)
    return kept


def test_a_script_loses_its_comments_and_keeps_its_code() -> None:
    source = b"""// A comment
/** A doc
 *  comment. */
const url = "http://example.org"; // stays: after code
  // indented
/* one */ const x = 1; /* two */
export default x;
"""
    assert lean(source, "text/javascript") == (
        b'const url = "http://example.org"; // stays: after code\n'
        b"/* one */ const x = 1; /* two */\n"
        b"export default x;\n"
    )
    assert lean(b"a { b: c; } /* x */\n\n/* y\n z */ d { e: f; }\n", "text/css") == (
        b"a { b: c; } \n d { e: f; }\n"
    )
    assert lean(b"<p>/* kept */</p>", "text/html") == b"<p>/* kept */</p>"


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(STATIC)))
def test_every_script_served_keeps_all_its_code_and_parses(path: Path, tmp_path: Path) -> None:
    source = path.read_bytes()
    served = lean(source, "text/javascript")
    assert code(served.decode()) == code(source.decode())
    assert not re.search(rb"^\s*//", served, re.M)
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: `make node_modules` installs it", pytrace=False)
    module = tmp_path / (path.stem + ".mjs")
    module.write_bytes(served)
    checked = subprocess.run([node, "--check", str(module)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("path", SHEETS, ids=lambda p: str(p.relative_to(STATIC)))
def test_every_sheet_served_has_its_rules_and_no_comment(path: Path) -> None:
    served = lean(path.read_bytes(), "text/css").decode()
    assert "/*" not in served and "*/" not in served
    source = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    assert served.count("{") == source.count("{") and served.count(";") == source.count(";")


def test_the_phone_gets_the_lean_script_and_a_matching_etag(client: TestClient) -> None:
    plain = client.get("/static/js/participant.js", headers={"accept-encoding": "identity"})
    assert plain.status_code == 200
    assert plain.content == lean((STATIC / "js" / "participant.js").read_bytes(), "text/javascript")
    again = client.get(
        "/static/js/participant.js",
        headers={"accept-encoding": "identity", "if-none-match": plain.headers["etag"]},
    )
    assert again.status_code == 304
