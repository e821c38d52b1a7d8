"""Durable reminders with a controllable clock: sent once, kept across a restart, retried on
failure and given up after a few, never for a user who blocked the bot."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engine.conversation import Engine
from bot.engine.domain import PlanReminder
from bot.engine.io import Reply
from bot.engine.session import Session
from bot.reminders import BATCH, ReminderRunner
from bot.service import ConversationService
from bot.store.database import open_database
from bot.store.reminders import LEASE, MAX_ATTEMPTS, RETRY_AFTER, ReminderStore
from bot.store.sessions import SessionStore
from tests.conftest import Clock


class Inbox:
    def __init__(self) -> None:
        self.replies: dict[int, list[Reply]] = {}
        self.fail = False

    def to(self, user_id: int):
        async def deliver(reply: Reply) -> None:
            if self.fail:
                raise ConnectionError("network down")
            self.replies.setdefault(user_id, []).append(reply)

        return deliver


async def plan(service: ConversationService, user_id: int, minutes: int, key: str = "k") -> None:
    due = service.clock() + timedelta(minutes=minutes)
    session = await service.session(user_id) or Session(user_id=user_id)
    await service.store.save(session, [PlanReminder(key, due, "help")])


async def test_sent_once_when_due_and_not_before(
    service: ConversationService, clock: Clock
) -> None:
    inbox = Inbox()
    runner = ReminderRunner(service, ReminderStore(service.store.database))
    await plan(service, 1, minutes=10)
    assert await runner.run_due(inbox.to) == 0
    clock.advance(minutes=10)
    assert await runner.run_due(inbox.to) == 1
    assert await runner.run_due(inbox.to) == 0
    assert "How I can help" in inbox.replies[1][0].messages[0].html


async def test_a_restart_loses_no_reminder(
    settings: Settings, engine: Engine, clock: Clock
) -> None:
    first = await open_database(settings.database_url)
    await plan(ConversationService(engine, SessionStore(first), clock=clock), 1, minutes=5)
    await first.dispose()  # the process ends (the store is a file: nothing is in memory)
    clock.advance(minutes=30)
    second = await open_database(settings.database_url)
    service = ConversationService(engine, SessionStore(second), clock=clock)
    inbox = Inbox()
    assert await ReminderRunner(service, ReminderStore(second)).run_due(inbox.to) == 1
    await second.dispose()


async def test_failed_delivery_is_retried_then_given_up(
    service: ConversationService, clock: Clock
) -> None:
    store = ReminderStore(service.store.database)
    runner = ReminderRunner(service, store)
    inbox = Inbox()
    await plan(service, 1, minutes=0)
    inbox.fail = True
    assert await runner.run_due(inbox.to) == 0
    inbox.fail = False
    assert await runner.run_due(inbox.to) == 0  # not at once: a failing network needs a moment
    clock.advance(seconds=RETRY_AFTER.total_seconds())
    assert await runner.run_due(inbox.to) == 1  # a later poll tries again
    await plan(service, 2, minutes=0)
    inbox.fail = True
    for _ in range(MAX_ATTEMPTS):
        await runner.run_due(inbox.to)
        clock.advance(seconds=RETRY_AFTER.total_seconds())
    assert await store.pending(2) == []  # given up, not retried for ever


async def test_a_retry_sends_the_stored_message_without_running_the_dialog_again(
    service: ConversationService, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ReminderStore(service.store.database)
    runner = ReminderRunner(service, store)
    inbox = Inbox()
    await plan(service, 1, minutes=0)
    runs = []
    original = service.engine.handle
    monkeypatch.setattr(
        service.engine, "handle", lambda *a, **k: runs.append(a[1]) or original(*a, **k)
    )
    inbox.fail = True
    assert await runner.run_due(inbox.to) == 0
    [pending] = await store.pending(1)
    assert pending.message is not None and "How I can help" in pending.message.messages[0].html
    inbox.fail = False
    clock.advance(seconds=RETRY_AFTER.total_seconds())
    assert await runner.run_due(inbox.to) == 1
    assert len(runs) == 1  # the dialog ran once; the retry sent what it had rendered
    assert inbox.replies[1][0].messages == pending.message.messages


async def test_a_claim_of_a_dead_instance_runs_out_and_another_takes_over(
    service: ConversationService, clock: Clock
) -> None:
    store = ReminderStore(service.store.database)
    await plan(service, 1, minutes=0)
    [claimed] = await store.claim(clock.now)  # an instance claims it, then dies
    inbox = Inbox()
    assert await ReminderRunner(service, store).run_due(inbox.to) == 0  # its lease holds
    clock.advance(seconds=LEASE.total_seconds())
    assert await ReminderRunner(service, store).run_due(inbox.to) == 1
    assert await store.pending(1) == []


async def test_a_burst_is_sent_until_nothing_is_due(
    service: ConversationService, clock: Clock
) -> None:
    """More reminders due than one batch: one run sends them all, each once."""
    for user_id in range(1, BATCH + 31):
        await plan(service, user_id, minutes=0)
    inbox = Inbox()
    runner = ReminderRunner(service, ReminderStore(service.store.database), rate=1000)
    assert await runner.run_due(inbox.to) == BATCH + 30
    assert sorted(inbox.replies) == list(range(1, BATCH + 31))
    assert all(len(replies) == 1 for replies in inbox.replies.values())


async def test_blocked_user_gets_none_and_none_pile_up(service: ConversationService) -> None:
    store = ReminderStore(service.store.database)
    await plan(service, 1, minutes=0, key="a")
    await plan(service, 1, minutes=60, key="b")
    await service.store.mark_blocked(1)
    assert await store.pending(1) == []
    inbox = Inbox()
    assert await ReminderRunner(service, store).run_due(inbox.to) == 0


async def test_planning_again_moves_but_never_resends(
    service: ConversationService, clock: Clock
) -> None:
    store = ReminderStore(service.store.database)
    runner = ReminderRunner(service, store)
    inbox = Inbox()
    await plan(service, 1, minutes=0)
    assert await runner.run_due(inbox.to) == 1
    session = await service.session(1)
    assert session is not None
    await service.store.save(session, [PlanReminder("k", clock.now, "help")])  # same time again
    assert await runner.run_due(inbox.to) == 0
    session = await service.session(1)
    assert session is not None
    await service.store.save(session, [PlanReminder("k", clock.now + timedelta(hours=1), "help")])
    clock.advance(hours=1)
    assert await runner.run_due(inbox.to) == 1  # moved: due again at the new time


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
async def test_reminder_times_survive_a_dst_change(zone: str, tmp_path: Path) -> None:
    """Stored in UTC: the cheat sheet before an event right after the DST change is still
    exactly REMINDER_BEFORE_MINUTES before its start."""
    from datetime import UTC, datetime

    from bot.coach.events import plan_event_reminders
    from bot.coach.journal import Event
    from bot.coach.policy import CoachPolicy
    from bot.coach.when import parse_when

    now = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)  # before both zones change (8 and 29 March)
    start = parse_when(
        "3.4. 18:30" if zone == "Europe/Berlin" else "Apr 3 6:30pm",
        "de" if zone == "Europe/Berlin" else "en",
        zone,
        now,
    )
    event = Event(
        name="x",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        goal="exchange",
        created_at=now,
    )
    plans = [
        p for p in plan_event_reminders(event, now, CoachPolicy()) if isinstance(p, PlanReminder)
    ]
    assert plans[0].due_at == start - timedelta(minutes=60)
    assert start.hour == (16 if zone == "Europe/Berlin" else 22)  # summer time: UTC+2 / UTC-4


async def test_open_followups_are_nudged_until_done(
    service: ConversationService, clock: Clock
) -> None:
    from tests.dialog_client import DialogClient

    client = DialogClient(service, user_id=4)
    await client.onboard()
    await client.followup()
    await client.tap("Later")
    runner = ReminderRunner(service, ReminderStore(service.store.database))
    inbox = Inbox()
    for _ in range(2):  # ignored: it comes again
        clock.advance(days=2)
        assert await runner.run_due(inbox.to) == 1
        assert "have you followed up with <b>Ben</b> yet" in inbox.replies[4][-1].messages[-1].html
    client.replies.append(inbox.replies[4][-1])
    await client.tap("Sent")
    clock.advance(days=30)
    assert await runner.run_due(inbox.to) == 0
