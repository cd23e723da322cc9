"""The server-rendered pages show every text people wrote in its own bidi isolate."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from starlette.testclient import TestClient

from .helpers import Peers

NOTE = "من در Oslo زندگی می\u200cکنم 👨\u200d👩\u200d👧\u200d👦"
DECISION = "تصمیم: نور بیشتر در Storgata"
FOLLOWUP = ("שלום Ås", "הכל בסדר\nTakk")
PLACE = "کتابخانه Ås"


class Isolated(HTMLParser):
    """The texts of elements with dir="auto" and of <bdi> elements."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._open: list[tuple[str, list[str]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "bdi" or ("dir", "auto") in attrs:
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self.texts.append("".join(self._open.pop()[1]).strip())

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)


def test_when_results_are_published_then_every_written_text_is_isolated(
    client: TestClient, meeting: dict[str, Any], peers: Peers
) -> None:
    console, phone = peers.console(), peers.phone()
    console.ok("goto", activity="where-when")
    phone.ok("note", activity="where-when", text=NOTE, column=0)
    console.ok("details", fields={"place": PLACE})
    console.ok("add_item", section="decision", text=DECISION)
    console.ok("follow_up", title=FOLLOWUP[0], text=FOLLOWUP[1])
    console.ok("end")
    console.ok("publish")

    page = client.get(f"/{meeting['code']}/results")

    assert page.status_code == 200
    isolated = Isolated(page.text).texts
    for text in (DECISION, PLACE, *FOLLOWUP):
        assert text in isolated, text
    # The notes are drawn in the page from the public record, each in its own isolate
    # (tests/browser/test_kinds.py); the record travels as JSON data, never as markup.
    record = re.search(r'<script type="application/json" id="record">(.*?)</script>', page.text)
    assert record is not None
    (notes,) = [a["notes"] for a in json.loads(record.group(1)) if a["id"] == "where-when"]
    assert [note["text"] for note in notes] == [NOTE]
    assert "<script" not in record.group(1).lower()
