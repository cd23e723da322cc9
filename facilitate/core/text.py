"""Localised texts: a plan's words in one or more languages. Pure."""

from __future__ import annotations

from collections.abc import Mapping

# The languages the user interface speaks. Plan texts may carry others (so, ar, …) as well.
UI_LANGUAGES: tuple[str, ...] = ("nb", "nn", "sv", "en")

# When a text lacks the wanted language, try its nearest neighbours before anything else.
_NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "nb": ("nn", "sv", "en"),
    "nn": ("nb", "sv", "en"),
    "sv": ("nb", "nn", "en"),
    "en": ("nb", "sv", "nn"),
}

Text = Mapping[str, str]


def localize(text: Text, language: str, fallback: str = "en") -> str:
    """The text in `language`, else a neighbouring language, else `fallback`, else any."""
    if not text:
        return ""
    for lang in (language, *_NEIGHBOURS.get(language, ()), fallback):
        if text.get(lang):
            return text[lang]
    return next(iter(text.values()))
