"""Minutes as one self-contained HTML file that prints cleanly on A4. Pure over the record.

This is the "print / save as PDF" path: open the downloaded file in any browser and print it.
No script, no external asset, no web font: the CSS is in a <style> element and the bars are
inline SVG, so it opens offline and prints the same everywhere. Jinja autoescapes every value,
so participant text is only ever text, and each such text is its own bidi isolate (`dir="auto"`,
`<bdi>`), so a right-to-left note cannot reorder the line around it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from facilitate.core.blocks import (
    Bars,
    Block,
    BulletList,
    Cell,
    Facts,
    Heading,
    Item,
    Links,
    Moderation,
    Paragraph,
    Table,
    bar_width,
    decimal_mark,
    for_documents,
    number,
)
from facilitate.export.model import (
    TIMEZONE,
    Gettext,
    Minutes,
    Voice,
    arrival_time,
    kept_in_record,
    minutes,
    moderation_lines,
    paragraphs,
    participation_lines,
    ymd,
    ymd_hm,
)

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 11pt/1.4 system-ui, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif;
  color: #111; background: #fff; margin: 0 auto; max-width: 180mm; padding: 12mm 0; }
h1 { font-size: 20pt; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 7mm 0 2mm; border-bottom: 0.4mm solid #999; padding-bottom: 1mm; }
h3 { font-size: 11.5pt; margin: 4mm 0 1.5mm; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 9pt; color: #555;
  margin: 0; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 5mm; margin: 3mm 0; }
dl.details dt { font-weight: 600; }
dl.details dd { margin: 0; white-space: pre-line; }
p, li { orphans: 3; widows: 3; }
.question { font-style: italic; white-space: pre-line; }
.muted { color: #555; font-size: 9.5pt; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; }
thead { display: table-header-group; }
tr, li { break-inside: avoid; page-break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 1mm 2mm; border-bottom: 0.2mm solid #ccc; }
th { font-size: 9.5pt; color: #333; border-bottom: 0.4mm solid #888; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.bar { width: 32%; }
td.when { white-space: nowrap; }
svg.bar { display: block; width: 100%; height: 3mm; }
.text { white-space: pre-line; overflow-wrap: anywhere; }
.similar { color: #444; font-size: 9.5pt; }
ul.items { padding-left: 5mm; }
ul.items li { margin: 0 0 1mm; }
.moderation { border-left: 1mm solid #bbb; padding: 1mm 3mm; color: #333; font-size: 9.5pt; }
section.activity.results { break-before: page; page-break-before: always; }
footer { margin-top: 8mm; border-top: 0.2mm solid #ccc; padding-top: 2mm; }
@media screen { body { padding: 12mm 6mm; } }
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ m.language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="facilitate">
<title>{{ m.title }} – {{ w.minutes }}</title>
<style>{{ css }}</style>
</head>
<body>
<header>
<p class="kicker">{{ w.minutes }}</p>
<h1 dir="auto">{{ m.title }}</h1>
<dl class="details">
{% for label, value in facts %}<dt>{{ label }}</dt><dd dir="auto">{{ value }}</dd>
{% endfor %}</dl>
{% for p in description %}<p class="text" dir="auto">{{ p }}</p>
{% endfor %}{% if m.follow %}{{ follow }}{% endif %}</header>

<section class="participation">
<h2>{{ w.participation }}</h2>
<ul>
{% for line in participation(m) %}<li>{{ line }}</li>
{% endfor %}
</ul>
{% if m.arrivals %}<h3>{{ w.arrivals }}</h3>
<table>
<thead><tr><th>{{ w.time }}</th><th class="num">{{ w.arrived }}</th>
<th class="num">{{ w.total }}</th><th></th></tr></thead>
<tbody>
{% for a in m.arrivals %}<tr><td>{{ when(a) }}</td><td class="num">{{ a.joined }}</td>
<td class="num">{{ a.total }}</td><td class="bar">{{ bar(a.total, m.joined) }}</td></tr>
{% endfor %}</tbody>
</table>
{% endif %}</section>

<section class="agenda">
<h2>{{ w.agenda }}</h2>
<table>
<thead><tr><th class="num">#</th><th>{{ w.activity }}</th><th>{{ w.kind }}</th>
<th>{{ w.when }}</th><th class="num">{{ w.present }}</th></tr></thead>
<tbody>
{% for s in m.sections %}<tr><td class="num">{{ s.number }}</td><td>{{ s.title }}</td>
<td>{{ s.kind_label }}</td><td class="when">{{ s.ran or w.not_shown }}</td>
<td class="num">{{ "" if s.present is none else s.present }}</td></tr>
{% endfor %}</tbody>
</table>
</section>
{% for s in m.sections %}
<section class="activity{% if s.has_results %} results{% endif %}" id="activity-{{ s.id }}">
<h2>{{ s.number }}. {{ s.title }}</h2>
{% for p in paras(s.text) %}<p class="question">{{ p }}</p>
{% endfor %}{% if s.has_results %}<p class="muted">{{ w.answered % {"n": s.responders or 0} }}
{%- if s.ran %} · {{ s.ran }}{% endif %}</p>
{% for b in blocks(s) %}{{ block(b) }}
{% endfor %}{% endif %}</section>
{% endfor %}
{% for part in m.parts if part.entries %}
<section class="account {{ part.key }}">
<h2>{{ part.heading }}</h2>
{% if part.key == "followups" %}{% for e in part.entries %}<h3><bdi>{{ e.title }}</bdi>
<span class="muted">{{ day(e.at) }}</span></h3>
{% for p in paras(e.text) %}<p class="text" dir="auto">{{ p }}</p>
{% endfor %}{% endfor %}{% else %}<ul>
{% for e in part.entries %}<li class="text" dir="auto">{{ e.text }}</li>
{% endfor %}</ul>
{% endif %}</section>
{% endfor %}
<footer class="muted">{{ w.footer % {"n": m.events, "schema": m.schema} }}</footer>
</body>
</html>
"""

# One small template per block type; Jinja escapes every value in them.
BLOCKS = {
    Heading: """{% set level = [b.level + 2, 6] | min %}<h{{ level }} dir="auto">{{ b.text }}\
</h{{ level }}>""",
    Paragraph: """<p class="text{{ ' muted' if b.muted else '' }}" dir="auto">{{ b.text }}</p>""",
    Facts: """<dl class="details">
{% for label, value in b.pairs %}<dt>{{ label }}</dt><dd dir="auto">{{ cell(value, None) }}</dd>
{% endfor %}</dl>""",
    BulletList: """<ul class="items">
{% for i in b.items %}<li>{{ cell(i) }}</li>
{% else %}{% if b.empty %}<li class="muted">{{ b.empty }}</li>
{% endif %}{% endfor %}</ul>""",
    Table: """{% if not b.rows and b.empty %}<p class="muted">{{ b.empty }}</p>{% else %}<table>
{% if b.caption %}<caption dir="auto">{{ b.caption }}</caption>
{% endif %}<thead><tr>{% for c in b.columns %}<th{{ num(c) }}>{{ c.label }}</th>{% endfor %}
</tr></thead>
<tbody>
{% for row in b.rows %}<tr>{% for c, value in zip(b.columns, row) %}<td{{ num(c) }}>
{{- cell(value, c.places) }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>{% endif %}""",
    Bars: """{% if not b.bars and b.empty %}<p class="muted">{{ b.empty }}</p>{% else %}
<table class="bars {{ b.tone }}">
<thead><tr>{% if b.ranked %}<th class="num">#</th>{% endif %}{% if b.grouped %}<th></th>{% endif %}
<th>{{ b.label }}</th><th class="num">{{ b.value }}</th><th class="num">%</th><th></th></tr></thead>
<tbody>
{% for bar in b.bars %}<tr>{% if b.ranked %}<td class="num">{{ bar.rank or "" }}</td>{% endif %}
{%- if b.grouped %}<td dir="auto">{{ bar.group or "" }}</td>{% endif %}
<td>{{ cell(item(bar)) }}</td><td class="num">{{ cell(bar.value, b.places) }}</td>
<td class="num">{{ bar.share }}</td><td class="bar">{{ svg(width(b, bar), b.tone) }}</td></tr>
{% endfor %}</tbody>
</table>{% endif %}""",
    Links: """<ul class="links">
{% for label, address in b.items %}<li><a href="{{ address }}" dir="auto">{{ label }}</a> \
<span class="muted">{{ address }}</span></li>
{% endfor %}</ul>""",
    Moderation: """{% for line in lines(b, w) %}<p class="moderation">{{ line }}.
{%- if loop.first and b.hidden %} {{ kept(b, w) }}{% endif %}</p>
{% endfor %}""",
}

_COLOURS = {"negative": "#b03a2e", "positive": "#1e7d4f", "neutral": "#2f5d9a"}

_env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
_template = _env.from_string(TEMPLATE)
_blocks = {kind: _env.from_string(source) for kind, source in BLOCKS.items()}


def _svg(share: float, tone: str = "neutral") -> Markup:
    """A horizontal bar as inline SVG: prints even when a browser leaves out backgrounds."""
    return Markup(
        '<svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">'
        '<rect width="100" height="6" fill="#e8e8e8"/>'
        f'<rect width="{100 * share:.1f}" height="6" fill="{_COLOURS[tone]}"/></svg>'
    )


def _bar(value: int, whole: int) -> Markup:
    return _svg(0.0 if not whole else max(0.0, min(1.0, value / whole)))


def render_block(b: Block, m: Voice) -> Markup:
    """Any block as HTML; every text escaped, each participant text its own bidi isolate."""
    template = _blocks.get(type(b))
    if template is None:
        return Markup("")  # Inputs: the long table's
    mark = decimal_mark(m.language)

    def cell(value: Cell, places: int | None = 0) -> Markup | str:
        if isinstance(value, Item):
            text = Markup('<span class="text" dir="auto">{}</span>').format(value.text)
            if not value.merged:
                return text
            merged = "; ".join(value.merged)
            return text + Markup(' <span class="similar">(+ {})</span>').format(merged)
        if value is None:
            return ""
        if isinstance(value, datetime):
            return ymd_hm(value)
        if isinstance(value, int | float):
            return number(value, places, mark)
        return value

    return Markup(
        template.render(
            b=b,
            w=m.words,
            cell=cell,
            item=lambda bar: Item(bar.label, bar.merged),
            num=lambda c: Markup(' class="num"') if c.numeric else Markup(""),
            zip=zip,
            svg=_svg,
            width=bar_width,
            lines=moderation_lines,
            kept=kept_in_record,
        )
    )


def minutes_html(record: dict[str, Any], _: Gettext, timezone: str = TIMEZONE) -> str:
    """The minutes of a meeting as a printable HTML document."""
    return render(minutes(record, _, timezone))


def render(m: Minutes) -> str:
    w = m.words
    facts = [(w["date"], m.date)]
    if m.time:
        facts.append((w["time"], m.time))
    facts += [(label, value) for key, label, value in m.details if key != "date"]
    facts.append((w["code"], m.code))

    return _template.render(
        m=m,
        w=w,
        css=Markup(CSS),
        facts=facts,
        description=paragraphs(m.description),
        paras=paragraphs,
        when=lambda a: arrival_time(m, a),
        bar=_bar,
        blocks=lambda s: for_documents(s.blocks),
        block=lambda b: render_block(b, m),
        follow=render_block(Links((m.follow,)), m) if m.follow else "",
        participation=participation_lines,
        day=ymd,
    )
