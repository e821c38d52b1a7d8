"""Several instances count each other through the database, and share Telegram's budget by
that count: on PostgreSQL three instances take a third each; one that stops or dies gives its
part back. On SQLite (one process) the count is 1 and nothing is written."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.presence import ALIVE, Presence
from bot.store.database import open_database
from bot.store.schema import instances
from bot.telegram.ratelimit import SendLimiter
from tests.postgres import fresh_postgres_database


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 1, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_live_instances_share_the_budget_and_the_gone_give_it_back() -> None:
    clock = Clock()
    async with fresh_postgres_database() as url:
        databases = [await open_database(url) for _ in range(3)]
        try:
            limiters = [SendLimiter(30) for _ in databases]
            presences = [
                Presence(db, limiter.share_among, clock)
                for db, limiter in zip(databases, limiters, strict=True)
            ]
            for presence in presences:
                await presence.beat()
            assert [await p.beat() for p in presences] == [3, 3, 3]
            assert [limiter.per_second for limiter in limiters] == [10, 10, 10]

            # The first stops (its loop leaves), the second dies (it simply stops beating).
            stop = asyncio.Event()
            stop.set()
            await presences[0].run(stop)
            assert await presences[2].beat() == 2
            assert limiters[2].per_second == 15
            clock.now += ALIVE + timedelta(seconds=1)
            assert await presences[2].beat() == 1
            assert limiters[2].per_second == 30
        finally:
            for db in databases:
                await db.dispose()


async def test_one_process_on_sqlite_takes_the_whole_budget_and_writes_nothing(
    tmp_path: Path,
) -> None:
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    try:
        limiter = SendLimiter(30)
        limiter.share_among(3)
        presence = Presence(database, limiter.share_among)
        assert await presence.beat() == 1 and limiter.per_second == 30
        rows = await database.run(
            lambda connection: connection.scalar(select(func.count()).select_from(instances))
        )
        assert rows == 0
    finally:
        await database.dispose()
