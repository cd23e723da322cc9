"""Reading the plain HTML forms of the phone page without scripts into a kind's commands. Pure.

A posted form is each field's values in the order sent (`base.Form`); every value is text. A
kind's `from_form` reads its own fields with these and builds the commands the live page would
send, so the same checks refuse the same input. What only a form can get wrong (a number that
is no number, two items ranked the same) is refused here, with a code the page says in words.
"""

from __future__ import annotations

from facilitate.core.errors import CommandError
from facilitate.core.kinds.base import Form


def first(form: Form, name: str) -> str:
    """The field's first value ("" when the form has none)."""
    values = form.get(name) or ()
    return values[0] if values else ""


def given(form: Form, name: str) -> list[str]:
    """Every value of a field that was filled in (ticked boxes, the words of a word cloud)."""
    return [value for value in form.get(name) or () if value.strip()]


def whole(value: str) -> int | None:
    """A whole number as typed ("7", " 12 ", "-3"), None for an empty field.

    Raises:
        CommandError: "not_a_number" for anything else ("7.5", "sju").
    """
    text = value.strip()
    if not text:
        return None
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 6:
        raise CommandError("not_a_number", f"{text!r} is not a whole number")
    return int(text)


def choice(value: str, allowed: tuple[str, ...], code: str, message: str) -> str:
    """One of the values a form offers (a side, a stance), or a CommandError with `code`."""
    if value not in allowed:
        raise CommandError(code, message)
    return value
