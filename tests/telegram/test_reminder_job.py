"""The reminder job of the real Telegram adapter, against the fake Bot API server: due reminders
are sent once, a user who blocked the bot gets none and none pile up for them."""

from __future__ import annotations

import asyncio

from bot.config import Settings
from bot.engine.conversation import Engine
from bot.service import ConversationService
from bot.store.reminders import ReminderStore
from tests.conftest import Clock
from tests.dialog_client import DialogClient
from tests.telegram.harness import running_bot

ADA, BEN = 3001, 3002


async def prepare_event(service: ConversationService, user_id: int) -> None:
    """Onboard and prepare an event starting tomorrow 18:30 Berlin, through the service."""
    client = DialogClient(service, user_id=user_id)
    await client.onboard(goal="Win customers")
    await client.prepare()


async def test_due_reminders_are_sent_once_and_blocked_users_get_none(
    settings: Settings, engine: Engine, service: ConversationService, clock: Clock
) -> None:
    await prepare_event(service, ADA)
    await prepare_event(service, BEN)
    reminders = ReminderStore(service.store.database)
    assert len(await reminders.pending(ADA)) == 2
    fast = settings.model_copy(update={"reminder_poll_seconds": 1})
    async with running_bot(fast, engine, service) as bot:
        bot.fake.user(ADA)
        bot.fake.user(BEN)
        bot.fake.block(BEN)
        clock.advance(hours=24)  # Wed 17:00 UTC = 18:00 Berlin: the cheat sheet is due
        await bot.fake.wait_for(
            lambda: any("Your cheat sheet" in m.plain_text for m in bot.fake.messages(ADA))
        )
        await bot.fake.wait_for(lambda: any(c.status == 403 for c in bot.fake.errors))
        await asyncio.sleep(1.5)  # the job runs every second: give it the chance to misbehave
        cheat_sheets = [m for m in bot.fake.messages(ADA) if "Your cheat sheet" in m.plain_text]
        assert len(cheat_sheets) == 1
        assert len([c for c in bot.fake.errors if c.status == 403]) == 1
        assert await service.store.is_blocked(BEN)
        assert await reminders.pending(BEN) == []  # dropped: none pile up
        assert [r.key.endswith(":reflect") for r in await reminders.pending(ADA)] == [True]


async def test_a_burst_of_reminders_leaves_when_it_falls_due(
    settings: Settings, engine: Engine
) -> None:
    """150 cheat sheets planned for one moment: the runner sleeps until then, not until its
    next poll (REMINDER_POLL_SECONDS, 30 s), and each goes out once."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import Connection, insert

    from bot.store.database import open_database
    from bot.store.schema import reminders, users
    from bot.store.sessions import SessionStore

    people = range(9001, 9151)
    database = await open_database(settings.database_url)
    real_time = ConversationService(engine, SessionStore(database))  # the wall clock
    due = datetime.now(UTC) + timedelta(seconds=4)

    def plan(connection: Connection) -> None:
        connection.execute(
            insert(users),
            [{"id": user, "session": f'{{"user_id": {user}, "language": "en"}}', "version": 1,
              "blocked": False, "updated_at": datetime.now(UTC)} for user in people],
        )  # fmt: skip
        connection.execute(
            insert(reminders),
            [{"user_id": user, "key": "k", "due_at": due.replace(tzinfo=None), "dialog": "help",
              "answers": "{}", "attempts": 0} for user in people],
        )  # fmt: skip

    await database.run(plan, write=True)
    try:
        async with running_bot(settings, engine, real_time) as bot:
            for user in people:
                bot.fake.user(user)
            await bot.fake.wait_for(lambda: any(bot.fake.messages(u) for u in people), 30)
            first = datetime.now(UTC)
            await bot.fake.wait_for(lambda: all(bot.fake.messages(u) for u in people), 30)
            last = datetime.now(UTC)
            await asyncio.sleep(0.5)  # time for a wrong second copy
            assert [len(bot.fake.messages(u)) for u in people] == [1] * len(people)
            print(f"first reminder {(first - due).total_seconds():.2f} s after it fell due, "
                  f"all {len(people)} {(last - due).total_seconds():.2f} s after")  # fmt: skip
            assert (first - due).total_seconds() < 2.0
    finally:
        await database.dispose()
