"""Scripts and style sheets as a phone gets them: without their comments.

The comments in static/ are written for the people who read the code, and a phone on the
hall's Wi-Fi would pay for every one with each first load: a quarter of what the phone's
scripts and sheets weigh gzipped. So the server leaves them out when it reads a file (see
assets.py), and the sources keep them. Only comments that are safe to find without parsing
go: in scripts, a block comment or a `//` comment that starts a line (after its indentation);
in style sheets, every `/* … */` (CSS has no other kind, and ours never writes one inside a
string). A comment after code on the same line stays, so a `//` inside a string (an address)
is never touched. The tests check that every script still parses, and a test that fails here
names the file.
"""

from __future__ import annotations

import re

# A comment that starts a line and ends its own line: nothing after its `*/` but blanks.
_SCRIPT_BLOCK = re.compile(rb"^[ \t]*/\*(?:[^*]|\*(?!/))*\*/[ \t]*(?:\n|\Z)", re.M)
_SCRIPT_LINE = re.compile(rb"^[ \t]*//[^\n]*(?:\n|\Z)", re.M)
_SHEET_COMMENT = re.compile(rb"/\*.*?\*/", re.S)
_BLANK_LINES = re.compile(rb"\n[ \t]*(?=\n)")

SCRIPTS = ("text/javascript", "application/javascript")
SHEETS = ("text/css",)


def lean(data: bytes, media_type: str) -> bytes:
    """The file as served: a script or a style sheet without its comments, else as it is."""
    if media_type in SCRIPTS:
        data = _SCRIPT_LINE.sub(b"", _SCRIPT_BLOCK.sub(b"", data))
    elif media_type in SHEETS:
        data = _BLANK_LINES.sub(b"", _SHEET_COMMENT.sub(b"", data))
    else:
        return data
    return data.lstrip(b"\n")
