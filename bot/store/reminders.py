"""Durable reminders: planned in the same transaction as the turn that planned them (see
records.py), claimed when due by exactly one instance, marked sent once delivered.

A claim is a lease: `claimed_until` says until when the claiming instance owns the reminder; if it
dies, the lease runs out and another instance takes the reminder over. The first claim runs the
reminder's dialog and stores the rendered reply with it, in the turn's own transaction, so a retry
(or the instance taking over) sends the very same message instead of running the dialog again.
Delivery is at least once on a crash between sending and marking, exactly once otherwise; a
reminder that keeps failing is given up after MAX_ATTEMPTS.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select, update

from bot.engine.io import Reply, reply_from_json, reply_to_json
from bot.store.schema import reminders, users

if TYPE_CHECKING:
    from bot.store.database import Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=2)  # long enough to run a dialog and send through a flood wait
RETRY_AFTER = timedelta(seconds=30)  # a failed delivery is tried again after this
OVERDUE = timedelta(minutes=5)  # a due reminder still unsent after this is late (metrics)


@dataclass(frozen=True)
class DueReminder:
    id: int
    user_id: int
    key: str
    dialog: str
    answers: dict[str, Any]
    due_at: datetime
    message: Reply | None = None  # rendered at the first claim; a retry sends it again
    attempts: int = 0


def to_db(moment: datetime) -> datetime:
    """Stored as naive UTC: SQLite has no time zones, and one rule for all backends is simpler."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_db(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _due(row: Any) -> DueReminder:
    return DueReminder(
        id=row.id,
        user_id=row.user_id,
        key=row.key,
        dialog=row.dialog,
        answers=json.loads(row.answers),
        due_at=from_db(row.due_at),
        message=reply_from_json(row.message) if row.message else None,
        attempts=row.attempts,
    )


class ReminderStore:
    def __init__(self, engine: Database) -> None:
        self.engine = engine

    def _claimable(self, now: datetime, user_id: int | None) -> Any:
        query = (
            select(reminders.c.id)
            .join(users, users.c.id == reminders.c.user_id)
            .where(
                reminders.c.sent_at.is_(None),
                reminders.c.due_at <= to_db(now),
                reminders.c.claimed_until.is_(None) | (reminders.c.claimed_until <= to_db(now)),
                users.c.blocked.is_(False),
            )
            .order_by(reminders.c.due_at, reminders.c.id)
        )
        return query if user_id is None else query.where(reminders.c.user_id == user_id)

    async def claim(
        self, now: datetime, limit: int = 100, user_id: int | None = None
    ) -> list[DueReminder]:
        """Take up to `limit` due reminders for this instance, oldest first. Another instance
        claiming at the same moment skips the rows locked here (FOR UPDATE SKIP LOCKED on
        PostgreSQL; SQLite has one process and its write lock)."""
        chosen = (
            self._claimable(now, user_id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=reminders)
        )
        async with self.engine.begin() as connection:
            rows = (
                await connection.execute(
                    update(reminders)
                    .where(reminders.c.id.in_(chosen.scalar_subquery()))
                    .values(claimed_until=to_db(now + LEASE))
                    .returning(*reminders.c)
                )
            ).all()
        return sorted((_due(row) for row in rows), key=lambda r: (r.due_at, r.id))

    @staticmethod
    def store_message(connection: Connection, reminder: DueReminder, reply: Reply) -> None:
        """Keep the rendered reply with the reminder, in the turn's transaction; not when the
        turn planned the same key anew (a repeating nudge: its next time renders afresh)."""
        connection.execute(
            update(reminders)
            .where(reminders.c.id == reminder.id, reminders.c.due_at == to_db(reminder.due_at))
            .values(message=reply_to_json(reply))
        )

    async def mark_sent(self, reminder: DueReminder, now: datetime) -> None:
        """Mark `reminder` sent, unless handling it planned the same key anew (a repeating
        nudge): then the row already holds the next time and stays unsent."""
        async with self.engine.begin() as connection:
            await connection.execute(
                update(reminders)
                .where(reminders.c.id == reminder.id, reminders.c.due_at == to_db(reminder.due_at))
                .values(sent_at=to_db(now), claimed_until=None)
            )

    async def mark_failed(self, reminder: DueReminder, now: datetime) -> None:
        """Count a failed delivery and try again after RETRY_AFTER; give up (mark it done)
        after MAX_ATTEMPTS."""
        attempts = reminder.attempts + 1
        given_up = attempts >= MAX_ATTEMPTS
        if given_up:
            log.error("reminder %s failed %s times; giving up", reminder.id, attempts)
        async with self.engine.begin() as connection:
            await connection.execute(
                update(reminders)
                .where(reminders.c.id == reminder.id)
                .values(
                    attempts=attempts,
                    claimed_until=to_db(now + RETRY_AFTER),
                    sent_at=to_db(now) if given_up else None,
                )
            )

    async def pending(self, user_id: int) -> list[DueReminder]:
        """Every unsent reminder of a user (for tests and tools)."""
        query = (
            select(reminders)
            .where(reminders.c.user_id == user_id, reminders.c.sent_at.is_(None))
            .order_by(reminders.c.due_at, reminders.c.id)
        )
        async with self.engine.connect() as connection:
            return [_due(row) for row in await connection.execute(query)]


# Read by the metrics at each scrape (bot/telegram/monitoring.py): over the whole database,
# since any instance may send any reminder. The index on (sent_at, due_at) serves all three.


def _due_and_unsent(now: datetime) -> Any:
    return (
        select(func.count(), func.min(reminders.c.due_at))
        .select_from(reminders.join(users, users.c.id == reminders.c.user_id))
        .where(
            reminders.c.sent_at.is_(None),
            reminders.c.due_at <= to_db(now),
            users.c.blocked.is_(False),
        )
    )


def due_reminders(connection: Connection, now: datetime) -> float:
    """How many reminders are due and unsent (users who blocked the bot aside)."""
    return float(connection.execute(_due_and_unsent(now)).one()[0])


def overdue_reminders(connection: Connection, now: datetime) -> float:
    """How many of those have waited OVERDUE or longer: the sending is behind or stopped."""
    return float(connection.execute(_due_and_unsent(now - OVERDUE)).one()[0])


def oldest_due_reminder_age(connection: Connection, now: datetime) -> float:
    """Seconds the oldest due, unsent reminder has waited; 0 when none is due."""
    oldest = connection.execute(_due_and_unsent(now)).one()[1]
    return max(0.0, (now - from_db(oldest)).total_seconds()) if oldest is not None else 0.0
