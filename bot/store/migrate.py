"""Bringing a database's schema to the newest Alembic revision, safely with several instances.

Called at every start (`open_database`) and by `exit-coach migrate`. On PostgreSQL an advisory
lock makes a second instance that starts at the same moment wait and then find nothing to do;
SQLite serves one process only (see database.py).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from bot.engine.errors import CannotStart

if TYPE_CHECKING:
    from alembic.config import Config

    from bot.store.executor import Database

log = logging.getLogger(__name__)

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
    """The head as the newest file says it (`0011_….py`, its `revision = "…"` line): at every
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


async def upgrade(database: Database, revision: str = "head") -> None:
    stored = await _stored_revision(database)
    if revision == "head" and stored == newest_file_revision():
        return  # up to date: the common start; a newer release's instance upgrades as below
    await database.run(lambda connection: _upgrade(connection, revision), write=True)
    after = await _stored_revision(database)
    if stored is None:
        log.info("database schema made, at revision %s", after)
    else:
        log.info("database schema upgraded from revision %s to %s", stored, after)


async def current_revision(database: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return await database.run(
        lambda connection: MigrationContext.configure(connection).get_current_revision()
    )


async def _stored_revision(database: Database) -> str | None:
    """The revision in `alembic_version`, or None where there is none (a new database)."""

    def read(connection: Connection) -> str | None:
        if not inspect(connection).has_table("alembic_version"):
            return None
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        found = list(versions)
        return found[0] if len(found) == 1 else None

    return await database.run(read)


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
    _refuse_a_newer_schema(connection, config)
    command.upgrade(config, revision)


def _refuse_a_newer_schema(connection: Connection, config: Config) -> None:
    """A database a newer release has upgraded: this code cannot know its tables, and Alembic
    would only say it "can't locate revision"."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    stored = MigrationContext.configure(connection).get_current_heads()
    script = ScriptDirectory.from_config(config)
    for revision in stored:
        try:
            script.get_revision(revision)
        except CommandError:
            raise SchemaTooNew(
                f"DATABASE_URL: this database's schema is at revision {revision}, which this "
                f"release of Exit Coach does not know (its newest is {script.get_current_head()}"
                "): a newer release has upgraded it. Run that release or a later one; to go back "
                "to this one, restore the backup taken before the upgrade (a schema is never "
                "downgraded by itself)."
            ) from None


class SchemaTooNew(CannotStart):
    """The database was upgraded by a newer release than this one."""
