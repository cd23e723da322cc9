"""Translations: Babel catalogs, and choosing a language per request.

The `.po` files in `facilitate/locales/` are the source; they are compiled in memory when the
server starts, so there is no build step and nothing generated to forget.

nb, nn, sv and en translate everything (a test holds them to it). The phone's other languages
(so, ar, fa, uk, pl) translate what participants read; whatever they lack is said in English.
Their entries start out machine-made and marked fuzzy until a speaker has checked them
(docs/translating.md). They are shown all the same: a newcomer understands a sentence in their
own language that still waits for review better than the English one; the flag records who
has checked it, not whether it is used.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from facilitate.core.text import PHONE_LANGUAGES, UI_LANGUAGES

LOCALES = Path(__file__).resolve().parent / "locales"
# Each language named in its own words and script: the one a reader looks for is the one they
# can read.
LANGUAGE_NAMES = {
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "sv": "Svenska",
    "en": "English",
    "so": "Soomaali",
    "ar": "العربية",
    "fa": "فارسی",
    "uk": "Українська",
    "pl": "Polski",
}
RIGHT_TO_LEFT = frozenset({"ar", "fa"})


def load_catalogs(directory: Path = LOCALES) -> dict[str, Translations]:
    """Every language's translations, compiled from its .po file; what a catalog lacks is
    said in English. The phone's own languages use their entries still waiting for review
    (fuzzy) too: see the module's docstring. Each call gives new Translations objects, so
    two apps in one process share none."""
    catalogs: dict[str, Translations] = {}
    for lang in PHONE_LANGUAGES:
        path = directory / lang / "LC_MESSAGES" / "messages.po"
        compiled = _compiled(path, lang, use_fuzzy=lang not in UI_LANGUAGES)
        catalogs[lang] = Translations(io.BytesIO(compiled))
    for lang, translations in catalogs.items():
        if lang != "en":
            translations.add_fallback(catalogs["en"])
    return catalogs


# A .po file compiled once a process, for as long as it is unchanged: parsing the nine catalogs
# is most of what making an app costs (tests make thousands).
_COMPILED: dict[tuple[Path, str, bool], tuple[tuple[int, int], bytes]] = {}


def _compiled(path: Path, lang: str, *, use_fuzzy: bool) -> bytes:
    """The .po file at `path` as .mo bytes."""
    stat = path.stat()
    version = (stat.st_mtime_ns, stat.st_size)
    key = (path, lang, use_fuzzy)
    cached = _COMPILED.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=use_fuzzy)
    compiled = buffer.getvalue()
    _COMPILED[key] = (version, compiled)
    return compiled


def choose(
    *candidates: str | None,
    accept: str = "",
    default: str = "nb",
    supported: tuple[str, ...] = UI_LANGUAGES,
) -> str:
    """The first `supported` candidate (an explicit choice, a cookie, the meeting's language),
    else the best match in an Accept-Language header, else `default`."""
    for candidate in candidates:
        if candidate in supported:
            return candidate
    for lang in _accepted(accept):
        if lang in supported:
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
