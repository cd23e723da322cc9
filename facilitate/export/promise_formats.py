"""A draft citizen promise as Markdown, HTML or DOCX, with the minutes' block renderers. Pure.

The parts' blocks are the minutes' blocks, so each format renders them with the function that
renders the minutes (`render_block` of markdown.py, to_html.py, to_docx.py): one renderer per
format, whatever the document.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import NamedTuple

from docx import Document
from docx.shared import Cm, Mm
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from facilitate.core.blocks import for_documents
from facilitate.export import markdown, to_docx, to_html
from facilitate.export.promise import Draft


def promise_markdown(d: Draft) -> str:
    out = [f"# {markdown.escape(d.title)}", "", markdown.escape(d.words["promise"])]
    for part in d.parts:
        out += ["", f"## {markdown.escape(part.heading)}"]
        for block in for_documents(part.blocks):
            lines = markdown.render_block(block, d)
            if lines:
                out += ["", *lines]
    return "\n".join(out).rstrip() + "\n"


_TEMPLATE = Environment(autoescape=True, undefined=StrictUndefined).from_string(
    """<!DOCTYPE html>
<html lang="{{ d.language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="facilitate">
<title>{{ d.title }} – {{ d.words.promise }}</title>
<style>{{ css }}</style>
</head>
<body>
<header><p class="kicker">{{ d.words.promise }}</p><h1 dir="auto">{{ d.title }}</h1></header>
{% for part in d.parts %}<section class="part {{ part.key }}">
<h2>{{ part.heading }}</h2>
{% for b in blocks(part) %}{{ block(b) }}
{% endfor %}</section>
{% endfor %}</body>
</html>
"""
)


def promise_html(d: Draft) -> str:
    return _TEMPLATE.render(
        d=d,
        css=Markup(to_html.CSS),
        blocks=lambda part: for_documents(part.blocks),
        block=lambda b: to_html.render_block(b, d),
    )


def promise_docx(d: Draft) -> bytes:
    doc = Document()
    for section in doc.sections:  # A4, as the minutes
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
    locale = to_docx.LOCALES.get(d.language, d.language)
    to_docx.set_language(doc, locale)
    props = doc.core_properties
    props.title = d.title[:255]
    props.subject = d.words["promise"]
    props.language = locale
    props.author = "facilitate"
    doc.add_heading(d.title, 0)
    doc.add_paragraph(d.words["promise"])
    for part in d.parts:
        doc.add_heading(part.heading, 1)
        for block in for_documents(part.blocks):
            to_docx.render_block(doc, block, d)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class PromiseFormat(NamedTuple):
    render: Callable[[Draft], str | bytes]
    media_type: str


FORMATS = {
    "md": PromiseFormat(promise_markdown, "text/markdown; charset=utf-8"),
    "html": PromiseFormat(promise_html, "text/html; charset=utf-8"),
    "docx": PromiseFormat(
        promise_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
}


def filename(fmt: str, name: str) -> str:
    safe = "".join(c for c in name if c.isalnum()) or "draft"
    return f"promise-{safe}.{fmt}"
