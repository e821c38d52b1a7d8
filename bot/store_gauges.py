"""The gauges `/metrics` reads from the database at each scrape, registered in one place.

Apart from the HTTP server that serves them (`bot/telegram/monitoring.py`, tornado): they are
registered at start in every mode, the server runs only where one is asked for.
"""

from __future__ import annotations

from bot import metrics
from bot.store import inbox, outbox
from bot.store.executor import Database, SqliteDatabase
from bot.store.reminders import due_reminders, oldest_due_reminder_age, overdue_reminders


def watch_the_store() -> None:
    """Register the gauges read from the database when Prometheus scrapes (idempotent). A new
    one is one line: a name, its help text, and a function `(connection, now) -> number`."""
    metrics.STORE_READINGS.add(
        "exit_coach_reminders_due",
        "Reminders due now and not yet sent, of users who have not blocked the bot (the whole "
        "database: every instance reports the same)",
        due_reminders,
    )
    metrics.STORE_READINGS.add(
        "exit_coach_reminders_overdue",
        "Reminders still unsent five minutes or more after they were due (the whole database)",
        overdue_reminders,
    )
    metrics.STORE_READINGS.add(
        "exit_coach_oldest_due_reminder_age_seconds",
        "How long the oldest due reminder has been waiting to run; 0 when none is due",
        oldest_due_reminder_age,
    )
    metrics.STORE_READINGS.add(
        "exit_coach_outbox_waiting",
        "Messages committed and not yet sent (the whole database)",
        lambda connection, now: outbox.pending_count(connection),
    )
    metrics.STORE_READINGS.add(
        "exit_coach_oldest_undelivered_reply_age_seconds",
        "How long the oldest message in the outbox has waited to be sent; 0 when none waits",
        outbox.oldest_age,
    )
    metrics.STORE_READINGS.add(
        "exit_coach_inbox_waiting",
        "Updates kept and not yet applied (the whole database)",
        inbox.waiting_count,
    )


def watch_the_writer(database: Database) -> None:
    """The SQLite writer's queue, read when Prometheus scrapes (PostgreSQL has none: 0)."""
    if isinstance(database, SqliteDatabase):
        writer = database.writer
        metrics.STORE_QUEUE.set_function(lambda: writer.queued)
