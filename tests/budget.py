"""How many examples a Hypothesis property tries.

`make test` runs each as many as it is written with. `make test-fast`, the loop while working,
loads the `fast` profile (tests/conftest.py), which tries a fifth as many: the state machines of
the activity kinds are most of that loop's time, and a fifth of their examples still runs every
rule many times. The default profile keeps Hypothesis's own default of 100 examples.
"""

from __future__ import annotations

from hypothesis import settings

WRITTEN_FOR = 100  # the max_examples the numbers in the tests are written for


def examples(wanted: int) -> int:
    """`wanted` examples under the default profile; the loaded profile's share of them else,
    never fewer than ten (or `wanted`, if that is fewer)."""
    return max(min(wanted, 10), wanted * settings.default.max_examples // WRITTEN_FOR)
