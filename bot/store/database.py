"""Creating the async engine, with SQLite tuned for durability under a kill."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store.schema import metadata


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL survives a kill -9 with every committed transaction, and lets readers run alongside
    the writer; busy_timeout makes a second process wait instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


async def open_database(url: str) -> AsyncEngine:
    """Engine for `url`, with the schema created on first start (and a folder for SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    return engine
