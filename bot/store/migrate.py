"""Bringing a database's schema to the newest Alembic revision, safely with several instances.

Called at every start (`open_database`) and by `exit-coach migrate`. On PostgreSQL an advisory
lock makes a second instance that starts at the same moment wait and then find nothing to do;
SQLite serves one process only (see database.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

    from bot.store.database import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # the schema the first release made with create_all, before Alembic
MIGRATION_LOCK = 0x45584954  # "EXIT": any constant the bot uses for nothing else


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def newest_file_revision() -> str:
    """The head as the newest file says it (`0008_….py`, its `revision = "…"` line): at every
    start this is all the bot needs to see that nothing is to do, without importing Alembic
    (about 8 MB of memory with Mako and Pygments). A test keeps it equal to Alembic's own head."""
    files = {
        int(match.group(1)): path
        for path in (MIGRATIONS / "versions").glob("[0-9]*.py")
        if (match := re.match(r"(\d+)_", path.name))
    }
    source = files[max(files)].read_text(encoding="utf-8")
    found = re.search(r'^revision = "([^"]+)"', source, re.M)
    assert found is not None, f"{files[max(files)].name} names no revision"
    return found.group(1)


async def upgrade(engine: Database, revision: str = "head") -> None:
    if revision == "head" and await _stored_revision(engine) == newest_file_revision():
        return  # up to date: the common start; a newer release's instance upgrades as below
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


async def current_revision(engine: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def _stored_revision(engine: Database) -> str | None:
    """The revision in `alembic_version`, or None where there is none (a new database)."""

    def read(connection: Connection) -> str | None:
        if not inspect(connection).has_table("alembic_version"):
            return None
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        found = list(versions)
        return found[0] if len(found) == 1 else None

    async with engine.connect() as connection:
        return await connection.run_sync(read)


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    if connection.dialect.name == "postgresql":
        # Held until this transaction ends: PostgreSQL's DDL is transactional, so the second
        # instance sees either nothing done or everything done.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    config = alembic_config(connection)
    tables = inspect(connection)
    if not tables.has_table("alembic_version") and tables.has_table("users"):
        command.stamp(config, BASELINE)  # made by the first release: adopt, don't recreate
    command.upgrade(config, revision)
