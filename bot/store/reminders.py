"""Durable reminders: planned in the same transaction as the turn that planned them (see
records.py), claimed when due by exactly one instance, done once their dialog has run.

A claim is a lease: `claimed_until` says until when the claiming instance owns the reminder; if it
dies, the lease runs out and another instance takes the reminder over. Running the reminder's
dialog commits its rendered message into the outbox and marks the reminder done in one
transaction (`mark_rendered`), so the message is sent like any reply (bot/outbox.py) and the
dialog never runs twice. A dialog that fails is tried again after a pause that doubles, and given
up (logged as an error) after MAX_ATTEMPTS.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, case, func, select, update

from bot.store.schema import reminders, users

if TYPE_CHECKING:
    from bot.store.executor import Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LEASE = timedelta(seconds=30)  # running a dialog takes milliseconds; a dead claimer's runs out
RETRY_AFTER = timedelta(seconds=30)  # a failed dialog is tried again after this, then 60 s …
OVERDUE = timedelta(minutes=5)  # a due reminder still not run after this is late (metrics)


@dataclass(frozen=True)
class DueReminder:
    id: int
    user_id: int
    key: str
    dialog: str
    answers: dict[str, Any]
    due_at: datetime
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
        attempts=row.attempts,
    )


class ReminderStore:
    def __init__(self, database: Database) -> None:
        self.database = database

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
        claim = (
            update(reminders)
            .where(reminders.c.id.in_(chosen.scalar_subquery()))
            .values(claimed_until=to_db(now + LEASE))
            .returning(*reminders.c)
        )
        rows = await self.database.run(
            lambda connection: connection.execute(claim).all(), write=True
        )
        return sorted((_due(row) for row in rows), key=lambda r: (r.due_at, r.id))

    @staticmethod
    def mark_rendered(connection: Connection, reminder: DueReminder, now: datetime) -> None:
        """Done: its message is in the outbox, in the same transaction. Not when running it
        planned the same key anew (a repeating nudge): the row then holds the next time."""
        connection.execute(
            update(reminders)
            .where(reminders.c.id == reminder.id, reminders.c.due_at == to_db(reminder.due_at))
            .values(sent_at=to_db(now), claimed_until=None)
        )

    async def mark_failed(self, reminder: DueReminder, now: datetime) -> None:
        """Count a failed run of the reminder's dialog and try again after a pause that doubles
        each time; give up (mark it done, log an error) after MAX_ATTEMPTS."""
        attempts = reminder.attempts + 1
        given_up = attempts >= MAX_ATTEMPTS
        if given_up:
            log.error("reminder %s failed %s times; giving up", reminder.id, attempts)
        mark = (
            update(reminders)
            .where(reminders.c.id == reminder.id)
            .values(
                attempts=attempts,
                claimed_until=to_db(now + RETRY_AFTER * 2 ** (attempts - 1)),
                sent_at=to_db(now) if given_up else None,
            )
        )
        await self.database.run(lambda connection: connection.execute(mark), write=True)

    async def next_due(self, now: datetime) -> datetime | None:
        """When the next reminder falls due that nobody holds (now, if one is overdue)."""
        free_at = case(
            (reminders.c.claimed_until > reminders.c.due_at, reminders.c.claimed_until),
            else_=reminders.c.due_at,
        )
        query = (
            select(func.min(free_at))
            .join(users, users.c.id == reminders.c.user_id)
            .where(reminders.c.sent_at.is_(None), users.c.blocked.is_(False))
        )
        moment = await self.database.run(lambda connection: connection.scalar(query))
        return from_db(moment) if moment is not None else None

    async def pending(self, user_id: int) -> list[DueReminder]:
        """Every unsent reminder of a user (for tests and tools)."""
        query = (
            select(reminders)
            .where(reminders.c.user_id == user_id, reminders.c.sent_at.is_(None))
            .order_by(reminders.c.due_at, reminders.c.id)
        )
        return await self.database.run(
            lambda connection: [_due(row) for row in connection.execute(query)]
        )


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
