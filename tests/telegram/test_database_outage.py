"""The database goes away while users type: nothing Telegram was told we received is lost, and
nobody gets an apology for an input that was only delayed.

- Webhook: while the database is away every call is answered 503 (Telegram tries again later);
  once it is back the updates are kept, applied and answered, each once.
- Long polling: the batch stays with Telegram (its offset is not confirmed) until it is kept.
- A turn whose database went away after its update was kept is applied again, no apology.

On SQLite (every store call fails while "down") and on PostgreSQL (the server behind a proxy that
is cut: connections break, new ones are refused)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot.config import Settings
from bot.engine.conversation import Engine
from bot.service import ConversationService
from bot.store.database import open_database
from bot.store.executor import SqliteDatabase
from bot.store.sessions import SessionStore
from tests.conftest import Clock
from tests.faults import CuttableProxy, SqliteOutage, through_proxy
from tests.postgres import fresh_postgres_database
from tests.telegram.harness import running_bot
from tests.telegram.test_webhook import start_update, webhook

USERS = range(7001, 7011)
OUTAGE_SECONDS = 10.0  # longer than the outage operators saw take every input with it (8 s)
SORRY = "went wrong"
update_ids = itertools.count(1)


@asynccontextmanager
async def service_with_outage(
    kind: str, tmp_path: Path, engine: Engine, clock: Clock
) -> AsyncIterator[tuple[ConversationService, CuttableProxy | SqliteOutage]]:
    if kind == "sqlite":
        database = await open_database(f"sqlite:///{tmp_path}/bot.db")
        assert isinstance(database, SqliteDatabase)
        try:
            yield ConversationService(engine, SessionStore(database), clock=clock), SqliteOutage(
                database
            )
        finally:
            await database.dispose()
        return
    async with fresh_postgres_database() as url, through_proxy(url) as (proxied, proxy):
        database = await open_database(proxied)
        try:
            yield ConversationService(engine, SessionStore(database), clock=clock), proxy
        finally:
            await database.dispose()


async def post_until_taken(post: Any, update: dict[str, Any]) -> None:
    """Telegram's side: a call answered other than 200 is made again, a little later."""
    for _ in range(100):
        if await post(update) == 200:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"update {update['update_id']} never taken")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_webhook_answers_503_while_the_database_is_away_and_loses_nothing(
    kind: str, settings: Settings, engine: Engine, clock: Clock, tmp_path: Path
) -> None:
    async with (
        service_with_outage(kind, tmp_path, engine, clock) as (service, outage),
        webhook(settings, service) as hook,
    ):
        for user in USERS:
            hook.fake.user(user)
        updates = [start_update(next(update_ids), user) for user in USERS]
        outage.cut()
        assert [await hook.post(update) for update in updates] == [503] * len(USERS)
        await asyncio.sleep(OUTAGE_SECONDS)
        outage.mend()
        await asyncio.gather(*(post_until_taken(hook.post, update) for update in updates))
        await hook.fake.wait_for(lambda: all(hook.answered(user) for user in USERS), 30)
        await asyncio.sleep(0.3)  # time for a wrong second reply
        texts = [[m.plain_text for m in hook.fake.messages(user)] for user in USERS]
        assert all(len(shown) == 1 and SORRY not in shown[0] for shown in texts), texts


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_polling_leaves_updates_with_telegram_until_they_are_kept(
    kind: str, settings: Settings, engine: Engine, clock: Clock, tmp_path: Path
) -> None:
    async with (
        service_with_outage(kind, tmp_path, engine, clock) as (service, outage),
        running_bot(settings, engine, service) as bot,
    ):
        for user in USERS:
            bot.fake.user(user)
        outage.cut()
        for user in USERS:
            bot.fake.send_text(user, "/start")
        await asyncio.sleep(3.0)
        assert bot.fake.pending_updates  # fetched, but not confirmed: nothing was kept
        assert not any(bot.fake.messages(user) for user in USERS)
        outage.mend()
        await bot.fake.wait_for(
            lambda: all(
                any("Which language" in m.plain_text for m in bot.fake.messages(user))
                for user in USERS
            ),
            timeout=30,
        )
        await asyncio.sleep(0.3)
        assert all(len(bot.fake.messages(user)) == 1 for user in USERS)
        assert not any(SORRY in m.plain_text for user in USERS for m in bot.fake.messages(user))


async def test_a_turn_whose_database_went_away_is_applied_again_without_an_apology(
    settings: Settings, engine: Engine, service: ConversationService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Kept, then the turn failed (the connection broke): tried again after a pause."""
    turn = service.store.turn
    failures = iter(range(2))

    async def breaks_twice(*args: Any, **kwargs: Any) -> Any:
        for _ in failures:
            raise OperationalError("(injected)", None, Exception("server closed the connection"))
        return await turn(*args, **kwargs)

    async with running_bot(settings, engine, service) as bot:
        monkeypatch.setattr(service.store, "turn", breaks_twice)
        bot.fake.user(USERS[0])
        await bot.say(USERS[0], "/start", expect="Which language")
        await asyncio.sleep(0.3)
        assert [m.plain_text[:14] for m in bot.fake.messages(USERS[0])] == ["Hi, I'm your E"]
