"""Settings from the environment."""

from __future__ import annotations

import pytest

from facilitate.settings import Settings


def test_when_alert_thresholds_are_in_the_environment_then_the_console_warns_at_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FACILITATE_ALERT_JOINS_PER_MINUTE", "250")
    monkeypatch.setenv("FACILITATE_ALERT_NOTES_PER_MINUTE", "0")
    settings = Settings.from_env()
    assert (settings.alert_joins_per_minute, settings.alert_notes_per_minute) == (250, 0)


def test_without_alert_thresholds_in_the_environment_the_defaults_hold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FACILITATE_ALERT_JOINS_PER_MINUTE", raising=False)
    monkeypatch.delenv("FACILITATE_ALERT_NOTES_PER_MINUTE", raising=False)
    settings = Settings.from_env()
    assert (settings.alert_joins_per_minute, settings.alert_notes_per_minute) == (100, 100)
