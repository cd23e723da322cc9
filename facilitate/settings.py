"""Settings for one running server, from arguments or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Everything a server needs to know; tests build one per test with a temporary database."""

    db_path: Path = Path("facilitate.db")
    # Cluster mode (docs/cluster.md): a postgresql:// URL in place of the SQLite file, and
    # Redis for live fan-out between the servers that share it.
    database_url: str | None = None
    redis_url: str | None = None
    public_url: str | None = None  # the address phones use, e.g. http://192.168.1.20:8000
    admin_token: str | None = None  # when set, creating a meeting needs it as a Bearer token
    sessions_dir: Path = ROOT / "sessions"
    templates_dir: Path = ROOT / "templates"
    static_dir: Path = ROOT / "static"
    debug: bool = False
    # Live tuning: how often views are rendered, how long a stalled connection may block.
    tick: float = 0.1
    phone_tick: float = 0.25
    send_timeout: float = 10.0
    extra_origins: tuple[str, ...] = field(default=())
    # Abuse limits per client address (kept in memory only, never stored). 0 turns one off.
    max_connections_per_address: int = 100
    wrong_codes_per_minute: int = 20
    # New participant identities per address: a burst, then a steady rate (docs/security.md:
    # 500 phones behind one router all scanning the QR code within 20 s pass; a script making
    # a fresh identity per vote gets 10 a second after its first 400).
    new_phones_burst: int = 400
    new_phones_per_second: float = 10.0
    meetings_per_address_per_hour: int = 20
    # The console warns when one address makes this many new phones, or posts this many
    # notes, in a minute.
    alert_joins_per_minute: int = 100
    alert_notes_per_minute: int = 100
    # No new meetings once the database is this big (running meetings go on). 0: no cap.
    max_database_megabytes: int = 2048
    # A meeting nobody is connected to leaves memory after this long (it reloads on demand).
    unload_after_seconds: float = 600.0

    @property
    def database(self) -> str:
        """Where the log is: the database URL, else the SQLite file."""
        return self.database_url or str(self.db_path)

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Settings from FACILITATE_* environment variables, then explicit overrides (a None
        override leaves the setting as it was)."""
        # Field names as keywords: the dataclass checks the names, nothing checks the types.
        values: dict[str, Any] = {}
        if db := os.environ.get("FACILITATE_DB"):
            values["db_path"] = Path(db)
        if database := os.environ.get("FACILITATE_DATABASE_URL"):
            values["database_url"] = database
        if redis := os.environ.get("FACILITATE_REDIS_URL"):
            values["redis_url"] = redis
        if url := os.environ.get("FACILITATE_PUBLIC_URL"):
            values["public_url"] = url
        if token := os.environ.get("FACILITATE_ADMIN_TOKEN"):
            values["admin_token"] = token
        if sessions := os.environ.get("FACILITATE_SESSIONS"):
            values["sessions_dir"] = Path(sessions)
        if connections := os.environ.get("FACILITATE_MAX_CONNECTIONS_PER_ADDRESS"):
            values["max_connections_per_address"] = int(connections)
        if burst := os.environ.get("FACILITATE_NEW_PHONES_BURST"):
            values["new_phones_burst"] = int(burst)
        if rate := os.environ.get("FACILITATE_NEW_PHONES_PER_SECOND"):
            values["new_phones_per_second"] = float(rate)
        if hourly := os.environ.get("FACILITATE_MEETINGS_PER_HOUR"):
            values["meetings_per_address_per_hour"] = int(hourly)
        if joins := os.environ.get("FACILITATE_ALERT_JOINS_PER_MINUTE"):
            values["alert_joins_per_minute"] = int(joins)
        if notes := os.environ.get("FACILITATE_ALERT_NOTES_PER_MINUTE"):
            values["alert_notes_per_minute"] = int(notes)
        if megabytes := os.environ.get("FACILITATE_MAX_DATABASE_MB"):
            values["max_database_megabytes"] = int(megabytes)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
