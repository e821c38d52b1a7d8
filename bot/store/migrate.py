"""Bringing a database's schema to the newest Alembic revision, safely with several instances.

Called at every start (`open_database`) and by `exit-coach migrate`. On PostgreSQL an advisory
lock makes a second instance that starts at the same moment wait and then find nothing to do;
SQLite serves one process only (see database.py).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # the schema the first release made with create_all, before Alembic
MIGRATION_LOCK = 0x45584954  # "EXIT": any constant the bot uses for nothing else


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


def _upgrade(connection: Connection, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        # Held until this transaction ends: PostgreSQL's DDL is transactional, so the second
        # instance sees either nothing done or everything done.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    config = alembic_config(connection)
    tables = inspect(connection)
    if not tables.has_table("alembic_version") and tables.has_table("users"):
        command.stamp(config, BASELINE)  # made by the first release: adopt, don't recreate
    command.upgrade(config, revision)
