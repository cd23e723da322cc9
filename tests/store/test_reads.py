"""Reads beside the writer (store.Reads): the same log, in order, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate import store
from facilitate.core.events import SYSTEM, Event
from facilitate.store.postgres import PooledReads

CODE = "123456"


def filled(where: str | Path) -> store.Database:
    db = store.open_database(where)
    with store.transaction(db):
        db.insert_meeting(
            store.MeetingRow(CODE, "k", "s", 1.0, "Møte"),
            Event("meeting_created", {"code": CODE}, SYSTEM, 1.0),
        )
        db.append(
            CODE,
            [
                (seq, Event("note_added", {"text": f"lapp {seq}"}, "p1", seq), f"c{seq}")
                for seq in range(2, 6)
            ],
        )
    return db


@pytest.mark.asyncio
async def test_when_the_log_is_read_through_the_writer_then_it_is_the_log(tmp_path: Path) -> None:
    db = filled(tmp_path / "r.db")
    writer = store.Writer(db)
    reads = store.WriterReads(writer)
    try:
        assert [x.seq for x in await reads.events(CODE)] == [1, 2, 3, 4, 5]
        assert await reads.events(CODE, after=3) == db.events(CODE, after=3)
    finally:
        await reads.close()
        writer.close()
        db.close()


@pytest.mark.cluster
@pytest.mark.asyncio
async def test_when_the_log_is_read_through_the_pool_then_it_is_the_log(pg_url: str) -> None:
    db = filled(pg_url)
    reads = PooledReads(pg_url, size=2)
    await reads.open()
    try:
        assert [x.seq for x in await reads.events(CODE)] == [1, 2, 3, 4, 5]
        after = await reads.events(CODE, after=3)
        assert after == db.events(CODE, after=3)
        assert [(x.event.data["text"], x.client_id) for x in after] == [
            ("lapp 4", "c4"),
            ("lapp 5", "c5"),
        ]
        assert await reads.events("999999") == []
    finally:
        await reads.close()
        db.close()
