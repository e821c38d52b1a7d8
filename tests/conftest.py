"""Shared fixtures: settings on a temporary SQLite file, an engine, a service with a clock.

`TEST_DATABASE_URL=postgresql+asyncpg://…` runs the same tests on PostgreSQL instead (the
tables are emptied before each test).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection

from bot.authoring.transcripts import Clock  # a controllable 'now' so tests never sleep
from bot.bootstrap import build_engine
from bot.config import Settings, get_settings
from bot.engine.conversation import Engine
from bot.service import ConversationService
from bot.store.database import open_database
from bot.store.journal.sql_journal import SqlJournal
from bot.store.schema import metadata
from bot.store.sessions import SessionStore


@pytest.fixture
async def settings(tmp_path: Path) -> Settings:
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp_path}/data/test.db"
    if not url.startswith("sqlite"):
        database = await open_database(url)

        def empty(connection: Connection) -> None:
            for table in reversed(metadata.sorted_tables):
                connection.execute(table.delete())

        await database.run(empty, write=True)
        await database.dispose()
    return get_settings(
        database_url=url,
        telegram_bot_token="123456:TEST-TOKEN",
        _env_file=None,
    )


@pytest.fixture(scope="session")
def engine() -> Engine:
    return build_engine(get_settings(_env_file=None))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def service(
    settings: Settings, engine: Engine, clock: Clock
) -> AsyncIterator[ConversationService]:
    database = await open_database(settings.database_url)
    yield ConversationService(engine, SessionStore(database), clock=clock)
    await database.dispose()


async def write_records(
    service: ConversationService, user_id: int, write: Callable[[SqlJournal], object]
) -> None:
    """Write coaching records for an existing user straight into the store (test set-up)."""
    await service.store.database.run(
        lambda connection: write(SqlJournal(connection, user_id)), write=True
    )
