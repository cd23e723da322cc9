"""Fixtures for the export tests: the sample record and the catalogs."""

from __future__ import annotations

from typing import Any

import pytest
from babel.support import Translations

from facilitate import i18n

from .sample import sample_record


@pytest.fixture(scope="session")
def catalogs() -> dict[str, Translations]:
    return i18n.load_catalogs()


@pytest.fixture
def record() -> dict[str, Any]:
    return sample_record()


@pytest.fixture
def nb(catalogs: dict[str, Translations]):  # type: ignore[no-untyped-def]
    """Bokmål gettext, the sample meeting's language."""
    return catalogs["nb"].gettext
