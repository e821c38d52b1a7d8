"""Migrations: the schema the code declares is exactly what the revisions build, a database made
by the first release (no Alembic) is adopted, and two instances starting at once are safe."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, create_engine, inspect, text

from bot.store.database import Database, open_database
from bot.store.migrate import current_revision, head_revision
from bot.store.schema import metadata
from tests.postgres import fresh_postgres_database


def _differences(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


async def _assert_schema_matches(engine: Database) -> None:
    assert await engine.run(_differences) == []
    assert await current_revision(engine) == head_revision()


async def test_revisions_build_exactly_the_declared_schema_on_sqlite(tmp_path: Path) -> None:
    engine = await open_database(f"sqlite+aiosqlite:///{tmp_path}/new.db")
    try:
        await _assert_schema_matches(engine)
    finally:
        await engine.dispose()


async def test_revisions_build_exactly_the_declared_schema_on_postgresql() -> None:
    async with fresh_postgres_database() as url:
        engine = await open_database(url)
        try:
            await _assert_schema_matches(engine)
        finally:
            await engine.dispose()


async def test_two_instances_starting_at_once_migrate_once_on_postgresql() -> None:
    async with fresh_postgres_database() as url:
        engines = await asyncio.gather(open_database(url), open_database(url))
        try:
            await _assert_schema_matches(engines[0])
        finally:
            for engine in engines:
                await engine.dispose()


async def test_a_first_release_database_is_adopted_not_recreated(tmp_path: Path) -> None:
    """The first release made its tables with create_all and had no alembic_version."""
    url = f"sqlite:///{tmp_path}/old.db"
    legacy = create_engine(url)
    with legacy.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE users (id BIGINT PRIMARY KEY, session TEXT NOT NULL,"
                " version INTEGER NOT NULL, blocked BOOLEAN NOT NULL, updated_at DATETIME NOT NULL)"
            )
        )
        connection.execute(
            text("INSERT INTO users VALUES (7, '{\"user_id\": 7}', 3, 0, '2026-11-01 10:00:00')")
        )
        for statement in _FIRST_RELEASE_TABLES:
            connection.execute(text(statement))
    legacy.dispose()
    engine = await open_database(url)
    try:
        tables = await engine.run(lambda connection: inspect(connection).get_table_names())
        assert "alembic_version" in tables
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


_FIRST_RELEASE_TABLES = [
    "CREATE TABLE reminders (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id BIGINT NOT NULL,"
    " key VARCHAR(120) NOT NULL, due_at DATETIME NOT NULL, dialog VARCHAR(40) NOT NULL,"
    " answers TEXT NOT NULL, sent_at DATETIME, attempts INTEGER NOT NULL,"
    " CONSTRAINT uq_reminders_user_key UNIQUE (user_id, key))",
    "CREATE INDEX ix_reminders_unsent_due ON reminders (sent_at, due_at)",
    "CREATE TABLE waitlist (id INTEGER PRIMARY KEY AUTOINCREMENT, offer_key VARCHAR(40) NOT NULL,"
    " user_id BIGINT NOT NULL, name VARCHAR(120) NOT NULL, language VARCHAR(8) NOT NULL,"
    " joined_at DATETIME NOT NULL, CONSTRAINT uq_waitlist_offer_user UNIQUE (offer_key, user_id))",
]


def test_the_start_up_check_knows_the_head_without_alembic() -> None:
    """A start finds an up-to-date database from the newest file alone; it must name the head."""
    from bot.store.migrate import newest_file_revision

    assert newest_file_revision() == head_revision()
