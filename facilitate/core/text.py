"""Localised texts: a plan's words in one or more languages. Pure."""

from __future__ import annotations

from collections.abc import Mapping

# The languages of meetings: their consoles, screens, minutes and processes speak these.
UI_LANGUAGES: tuple[str, ...] = ("nb", "nn", "sv", "en")
# The languages a participant's own pages speak (the phone, the join page, the public results
# and follow-up pages): the meetings' languages and those of many who live in Norway and Sweden
# without speaking theirs yet. Plan texts may carry any of them (`title.ar = "…"`).
PHONE_LANGUAGES: tuple[str, ...] = (*UI_LANGUAGES, "so", "ar", "fa", "uk", "pl")

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
