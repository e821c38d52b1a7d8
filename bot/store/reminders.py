"""Durable reminders: planned in the same transaction as the session that planned them (see
records.py), found
when due by a poller, marked sent only after they were delivered.

Delivery is at-least-once on a crash (a kill between sending and marking repeats one message)
and exactly once otherwise; a reminder that keeps failing is given up after MAX_ATTEMPTS.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.schema import reminders, users

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class DueReminder:
    id: int
    user_id: int
    key: str
    dialog: str
    answers: dict[str, Any]
    due_at: datetime


def to_db(moment: datetime) -> datetime:
    """Stored as naive UTC: SQLite has no time zones, and one rule for all backends is simpler."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_db(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


class ReminderStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def due(
        self, now: datetime, limit: int = 50, user_id: int | None = None
    ) -> list[DueReminder]:
        """Unsent reminders due by `now`, oldest first, for users who have not blocked us."""
        query = (
            select(reminders)
            .join(users, users.c.id == reminders.c.user_id)
            .where(
                reminders.c.sent_at.is_(None),
                reminders.c.due_at <= to_db(now),
                users.c.blocked.is_(False),
            )
            .order_by(reminders.c.due_at, reminders.c.id)
            .limit(limit)
        )
        if user_id is not None:
            query = query.where(reminders.c.user_id == user_id)
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            DueReminder(
                id=row.id,
                user_id=row.user_id,
                key=row.key,
                dialog=row.dialog,
                answers=json.loads(row.answers),
                due_at=from_db(row.due_at),
            )
            for row in rows
        ]

    async def mark_sent(self, reminder: DueReminder, now: datetime) -> None:
        """Mark `reminder` sent, unless handling it planned the same key anew (a repeating
        nudge): then the row already holds the next time and stays unsent."""
        async with self.engine.begin() as connection:
            await connection.execute(
                update(reminders)
                .where(reminders.c.id == reminder.id, reminders.c.due_at == to_db(reminder.due_at))
                .values(sent_at=to_db(now))
            )

    async def mark_failed(self, reminder_id: int, now: datetime) -> None:
        """Count a failed delivery; give up (mark it done) after MAX_ATTEMPTS."""
        async with self.engine.begin() as connection:
            attempts = await connection.scalar(
                update(reminders)
                .where(reminders.c.id == reminder_id)
                .values(attempts=reminders.c.attempts + 1)
                .returning(reminders.c.attempts)
            )
            if attempts is not None and attempts >= MAX_ATTEMPTS:
                log.error("reminder %s failed %s times; giving up", reminder_id, attempts)
                await connection.execute(
                    update(reminders)
                    .where(reminders.c.id == reminder_id)
                    .values(sent_at=to_db(now))
                )

    async def pending(self, user_id: int) -> list[DueReminder]:
        """Every unsent reminder of a user (for tests, /export and the journal)."""
        return await self.due(datetime.max.replace(tzinfo=UTC), limit=1000, user_id=user_id)
