"""The upserts a turn runs, built once per SQL dialect with their values as parameters.

SQLAlchemy finds a statement's compiled form in its cache by a key it keeps on the statement
object; a statement built anew for every turn has its key computed (and, for an upsert, its
`excluded` columns set up) every time, which cost more than SQLite took to run it. So the
statements of a turn are built once and executed with a dict of values: those whose words
differ by dialect (ON CONFLICT) here, the others beside their use (bot/store/turns.py,
bot/store/journal/events.py, bot/store/journal/reviews.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy.sql.dml import Insert

from bot.store.schema import profiles, reminders

PROFILE_COLUMNS = ("name", "business", "goals", "reminders_off", "exit_tone")
REMINDER_COLUMNS = (
    "due_at", "dialog", "answers", "sent_at", "attempts", "claimed_until",
)  # fmt: skip


def dialect_insert(dialect: str) -> Any:
    """The INSERT with ON CONFLICT of `dialect` (PostgreSQL's, or SQLite's for any other).
    Imported here: a bot on SQLite never needs PostgreSQL's dialect (2 MB of memory)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


@cache
def save_profile(dialect: str) -> Insert:
    """Insert the user's profile, or update the one they have."""
    statement = dialect_insert(dialect)(profiles)
    return statement.on_conflict_do_update(
        index_elements=[profiles.c.user_id],
        set_={name: statement.excluded[name] for name in PROFILE_COLUMNS},
    )


@cache
def plan_reminder(dialect: str) -> Insert:
    """Plan a reminder by (user, key); planning it again moves it, but one already sent is not
    sent again when it is planned again for the same time."""
    statement = dialect_insert(dialect)(reminders)
    changed = reminders.c.sent_at.is_(None) | (reminders.c.due_at != statement.excluded.due_at)
    return statement.on_conflict_do_update(
        index_elements=["user_id", "key"],
        set_={name: statement.excluded[name] for name in REMINDER_COLUMNS},
        where=changed,
    )
