"""Translations: Babel catalogs for nb, nn, sv and en, and choosing a language per request.

The `.po` files in `facilitate/locales/` are the source; they are compiled in memory when the
server starts, so there is no build step and nothing generated to forget.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from facilitate.core.text import UI_LANGUAGES

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGE_NAMES = {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "sv": "Svenska", "en": "English"}


def load_catalogs(directory: Path = LOCALES) -> dict[str, Translations]:
    """Every UI language's translations, compiled from its .po file."""
    catalogs: dict[str, Translations] = {}
    for lang in UI_LANGUAGES:
        path = directory / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as fp:
            catalog = read_po(fp, locale=lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        catalogs[lang] = Translations(buffer)
    return catalogs


def choose(*candidates: str | None, accept: str = "", default: str = "nb") -> str:
    """The first supported candidate (an explicit choice, a cookie, the meeting's language),
    else the best match in an Accept-Language header, else `default`."""
    for candidate in candidates:
        if candidate in UI_LANGUAGES:
            return candidate
    for lang in _accepted(accept):
        if lang in UI_LANGUAGES:
            return lang
        if lang == "no":  # "Norwegian" without a written standard: bokmål is the common one
            return "nb"
    return default


def _accepted(header: str) -> Iterable[str]:
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower().split("-")[0]
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]
