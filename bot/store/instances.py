"""The instances running now: each says so every few seconds; the live ones are counted (they
share Telegram's budget of messages per second, bot/presence.py). Plain synchronous functions on
a `Connection`, run through `Database.run` (bot/store/executor.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, update

from bot.store.reminders import to_db
from bot.store.schema import instances

FORGOTTEN = timedelta(hours=1)  # the row of an instance gone this long is deleted


def beat(connection: Connection, instance: str, now: datetime, alive: timedelta) -> int:
    """`instance` is alive at `now`; how many instances were seen within `alive` (itself
    included). Only its own row is written, so instances beating at once never conflict."""
    at = to_db(now)
    seen = connection.execute(
        update(instances).where(instances.c.id == instance).values(seen_at=at)
    )
    if not seen.rowcount:
        connection.execute(insert(instances).values(id=instance, seen_at=at))
    connection.execute(delete(instances).where(instances.c.seen_at < to_db(now - FORGOTTEN)))
    live = select(func.count()).where(instances.c.seen_at >= to_db(now - alive))
    return int(connection.scalar(live) or 0)


def leave(connection: Connection, instance: str) -> None:
    """`instance` stops: the others take its part of the budget at their next beat."""
    connection.execute(delete(instances).where(instances.c.id == instance))
