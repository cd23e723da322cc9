"""Shared fixtures: a fresh app on a temporary database per test, a meeting, connected clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from web.helpers import Peers

from facilitate.app import create_app
from facilitate.settings import Settings


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def settings(db_path: Path) -> Settings:
    """Fast ticks, so views follow changes within a few milliseconds."""
    return Settings(db_path=db_path, tick=0.01, phone_tick=0.02)


@pytest.fixture
def app(settings: Settings) -> Starlette:
    return create_app(settings)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    """A test client with the lifespan running (database open, writer thread started)."""
    with TestClient(app) as test_client:
        yield test_client


def create_meeting(client: TestClient, **body: Any) -> dict[str, Any]:
    """POST /api/meetings (folkemote unless told otherwise); the 201 response's JSON."""
    response = client.post("/api/meetings", json=body or {"plan": "folkemote"})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def meeting(client: TestClient) -> dict[str, Any]:
    """A folkemote meeting: code, facilitator_key, screen_key and urls."""
    return create_meeting(client, plan="folkemote")


@pytest.fixture
def peers(client: TestClient, meeting: dict[str, Any]) -> Iterator[Peers]:
    """Connects phones, consoles and screens to `meeting`; disconnects them afterwards."""
    connected = Peers(client, meeting)
    try:
        yield connected
    finally:
        connected.close_all()


@pytest.fixture
def auth(meeting: dict[str, Any]) -> dict[str, str]:
    """The facilitator key as a Bearer header, for the record and the minutes."""
    return {"authorization": f"Bearer {meeting['facilitator_key']}"}
