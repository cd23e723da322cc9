"""A text slide: a title and a text on every screen and phone, no input. Pure."""

from __future__ import annotations

from facilitate.core.kinds.base import Kind


class Info(Kind):
    name = "info"
    takes_input = False


KIND = Info()
