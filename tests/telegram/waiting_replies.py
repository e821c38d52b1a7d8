"""Waiting until a bot process has committed replies it cannot send (Telegram's flood control
holds them): seen in its database's outbox, because the rate limiter, pausing every send after
the first 429, does not try each one to show it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from sqlalchemy import func, select

from bot.store.database import open_database
from bot.store.schema import outbox


async def until_committed(url: str, users: Iterable[int], timeout: float = 60.0) -> None:  # noqa: ASYNC109
    """Return once every one of `users` has a reply waiting in the outbox at `url`."""
    wanted = set(users)
    query = select(func.count(func.distinct(outbox.c.user_id))).where(
        outbox.c.user_id.in_(wanted)
    )
    database = await open_database(url, migrate=False)
    try:
        deadline = time.monotonic() + timeout
        while (waiting := await database.run(lambda c: c.scalar(query))) < len(wanted):
            assert time.monotonic() < deadline, f"{waiting} of {len(wanted)} replies committed"
            await asyncio.sleep(0.1)
    finally:
        await database.dispose()
