"""Records an update produced besides the session (reminders to plan or cancel, waitlist
entries, an erasure), applied in the same transaction as the session itself.

`Record` is the closed set of them: a new kind of record is added to it, and mypy then points at
`apply_records`, where it must be handled (`assert_never`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import assert_never

from sqlalchemy import Connection, bindparam, delete

from bot.coach.offers import JoinWaitlist
from bot.coach.privacy import EraseUser
from bot.engine.domain import CancelReminders, PlanReminder
from bot.store import inbox, outbox
from bot.store.reminders import to_db
from bot.store.schema import reminders, users, waitlist
from bot.store.statements import dialect_insert, plan_reminder

# Unsent reminders of a user whose key starts with a prefix: built once (bot/store/statements.py).
_CANCEL_REMINDERS = delete(reminders).where(
    reminders.c.user_id == bindparam("user_id"),
    reminders.c.key.like(bindparam("pattern"), escape="/"),
    reminders.c.sent_at.is_(None),
)


def like_escaped(text: str) -> str:
    """`text` matched literally by LIKE … ESCAPE '/': its % and _ are not wildcards."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


Record = PlanReminder | CancelReminders | JoinWaitlist | EraseUser


def apply_records(
    connection: Connection,
    user_id: int,
    records: Iterable[Record],
    update_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Apply the records an update (`update_id`, if it came from Telegram) produced: reminders,
    waitlist, erasure; in the caller's transaction."""
    for record in records:
        match record:
            case PlanReminder():
                connection.execute(
                    plan_reminder(connection.dialect.name),
                    {
                        "user_id": user_id,
                        "key": record.key,
                        "due_at": to_db(record.due_at),
                        "dialog": record.dialog,
                        "answers": json.dumps(record.answers),
                        "sent_at": None,
                        "attempts": 0,
                        "claimed_until": None,
                    },
                )
            case CancelReminders():
                pattern = like_escaped(record.key_prefix) + "%"
                connection.execute(_CANCEL_REMINDERS, {"user_id": user_id, "pattern": pattern})
            case JoinWaitlist():
                statement = dialect_insert(connection.dialect.name)(waitlist).values(
                    offer_key=record.offer_key,
                    user_id=user_id,
                    name=record.name,
                    language=record.language,
                    joined_at=to_db(datetime.now(UTC)),
                )
                connection.execute(statement.on_conflict_do_nothing())
            case EraseUser():
                # Every row about the user hangs off theirs (ON DELETE CASCADE); their messages
                # still waiting go too (the goodbye is written after this). Update ids stay, with
                # the erasure's own, so an older update delivered again does not bring them back.
                connection.execute(delete(users).where(users.c.id == user_id))
                outbox.drop_user(connection, user_id)
                inbox.erase(connection, user_id, update_id, now or datetime.now(UTC))
            case _:
                assert_never(record)
