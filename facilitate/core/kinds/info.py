"""A text slide: a title and a text on every screen and phone, no input. Pure."""

from __future__ import annotations

from facilitate.core.kinds.base import N_, Kind


class Info(Kind):
    name = "info"
    label = N_("Information")
    example = {"kind": "info", "title": "Velkommen", "text": "Slik foregår møtet i kveld."}
    takes_input = False


KIND = Info()
