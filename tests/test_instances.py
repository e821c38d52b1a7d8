"""Several instances on one PostgreSQL: each is a service with its own engine (connection pool),
as two bot processes would be. Updates of one user are applied one at a time and exactly once,
whichever instance gets them; erased data stays erased; every reminder goes out once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.bootstrap import build_engine
from bot.config import get_settings
from bot.engine.domain import PlanReminder
from bot.engine.io import Command, Tap, Text
from bot.engine.session import Session
from bot.reminders import ReminderRunner
from bot.service import ConversationService
from bot.store.database import open_database
from bot.store.reminders import ReminderStore
from bot.store.schema import inbox, step_history
from bot.store.sessions import SessionStore
from tests.coach.test_privacy import rows_about
from tests.conftest import Clock
from tests.dialog_client import DialogClient
from tests.outbox_line import RecordingLine, send_through
from tests.postgres import fresh_postgres_database


@pytest.fixture
async def instances(clock: Clock) -> AsyncIterator[tuple[ConversationService, ConversationService]]:
    engine = build_engine(get_settings(_env_file=None))
    async with fresh_postgres_database() as url:
        first, second = await open_database(url), await open_database(url)
        yield (
            ConversationService(engine, SessionStore(first), clock=clock),
            ConversationService(engine, SessionStore(second), clock=clock),
        )
        await first.dispose()
        await second.dispose()


async def test_concurrent_updates_of_one_user_are_applied_one_at_a_time(instances) -> None:
    first, second = instances
    await DialogClient(first, user_id=7).onboard()
    before = await first.session(7)
    assert before is not None
    replies = await asyncio.gather(
        *(
            (first if n % 2 else second).handle(7, Command("help"), "en", update_id=1000 + n)
            for n in range(40)
        )
    )
    assert all(r is not None and "went wrong" not in r.messages[0].html for r in replies)
    after = await second.session(7)
    assert after is not None and after.version == before.version + 40  # none lost
    count = select(func.count()).select_from(inbox)
    applied = await first.store.database.run(lambda connection: connection.scalar(count))
    assert applied == 40


async def test_an_update_delivered_to_both_instances_is_applied_once(instances) -> None:
    first, second = instances
    await DialogClient(first, user_id=8).onboard()
    before = await first.session(8)
    assert before is not None
    replies = await asyncio.gather(
        first.handle(8, Command("help"), "en", update_id=555),
        second.handle(8, Command("help"), "en", update_id=555),
    )
    assert sorted(r is None for r in replies) == [False, True]
    after = await first.session(8)
    assert after is not None and after.version == before.version + 1


async def test_erased_data_stays_erased_on_the_other_instance(instances) -> None:
    first, second = instances
    client = DialogClient(first, user_id=9)
    await client.onboard()
    await client.followup()
    await second.handle(9, Command("help"), "en")  # the other instance has seen the user too
    await client.send("/delete")
    await client.tap("Yes, erase everything")
    assert await rows_about(first, 9) == {}
    reply = await second.handle(9, Text("hello"), "en")
    assert reply is not None and "Which language" in reply.messages[-1].html  # a stranger
    left = await rows_about(second, 9)
    assert set(left) <= {"users", "step_history", "inbox"}
    session = await second.session(9)
    assert session is not None and session.profile.name is None


async def test_each_of_200_due_reminders_is_sent_once_by_two_instances(
    instances, clock: Clock
) -> None:
    first, second = instances
    for user_id in range(1, 201):
        await first.store.save(
            Session(user_id=user_id), [PlanReminder("k", clock.now - timedelta(minutes=1), "help")]
        )
    lines = [send_through(first, RecordingLine(pause=0.001)), send_through(second, RecordingLine(pause=0.001))]  # fmt: skip
    sent = await asyncio.gather(
        ReminderRunner(first, ReminderStore(first.store.database)).run_due(),
        ReminderRunner(second, ReminderStore(second.store.database)).run_due(),
    )
    assert sum(sent) == 200 and all(sent)  # both instances took part
    delivered = [user for line in lines for user, _ in line.delivered]
    assert sorted(delivered) == list(range(1, 201))  # each exactly once


async def test_a_tap_and_a_message_in_flight_together_are_both_applied(instances) -> None:
    """Telegram queues callback queries apart from messages: a lower update id can arrive
    after a higher one, and must be applied, not dropped as a redelivery."""
    first, second = instances
    await first.handle(10, Command("start"), "en", update_id=2)
    session = await first.session(10)
    assert session is not None
    await second.handle(10, Tap(f"v1.{session.step}.en"), "en", update_id=3)
    reply = await first.handle(10, Text("Ada"), "en", update_id=1)  # older, arrives last
    assert reply is not None and "What do you do for a living" in reply.messages[-1].html
    count = select(func.count()).select_from(step_history).where(step_history.c.user_id == 10)
    steps = await first.store.database.run(lambda connection: connection.scalar(count))
    assert steps and steps >= 3
