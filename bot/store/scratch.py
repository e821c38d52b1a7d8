"""A throw-away, in-memory database with the full schema: for `exit-coach check`, which renders
every step with sample records, and for tests of the coach's views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import create_engine, insert

from bot.store.journal.sql_journal import SqlJournal
from bot.store.schema import metadata, users


@contextmanager
def scratch_journal(user_id: int = 0) -> Iterator[SqlJournal]:
    """Records of one user in a database that vanishes afterwards (nothing is committed)."""
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(users).values(
                id=user_id, session="{}", version=0, blocked=False, updated_at=datetime.now(UTC)
            )
        )
        yield SqlJournal(connection, user_id)
    engine.dispose()
