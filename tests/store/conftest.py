"""One store suite, two databases: every test that takes `db` runs on SQLite and on PostgreSQL.

The PostgreSQL server is the one tests/conftest.py starts for this test process. Tests on
PostgreSQL carry the `cluster` marker.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from facilitate import store
from facilitate.store.postgres import Postgres
from facilitate.store.sqlite import SQLite

# What either database raises for a broken key: a seq used twice, an event of no meeting.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.errors.IntegrityError)


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.cluster)],
)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[store.Database]:
    """An open, empty, migrated database: a file in tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        database = store.open_database(tmp_path / "store.db")
    else:
        database = store.open_database(request.getfixturevalue("pg_url"))
    try:
        yield database
    finally:
        database.close()


def sql(db: store.Database, query: str, params: list[Any] | tuple[Any, ...] = ()) -> list[Any]:
    """Run raw SQL (with %s placeholders) on either database; the rows it returns, if any.

    Outside the writer, both connections commit each statement on its own (autocommit)."""
    if isinstance(db, SQLite):
        cursor: Any = db.conn.execute(query.replace("%s", "?"), params)
    elif isinstance(db, Postgres):
        cursor = db.conn.execute(query, params)
    else:
        raise TypeError(f"no raw SQL for {type(db).__name__}")
    return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
